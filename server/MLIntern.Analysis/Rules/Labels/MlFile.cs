using System.Runtime.CompilerServices;
using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Rules.Labels;

/// <summary>
/// Small questions about a script that several label and model rules ask: does the file do ML work
/// at all, which callee a method call's receiver resolves to, which builtin a call calls.
/// </summary>
public static class MlFile
{
    /// <summary>Top-level packages whose import marks a file as doing ML work.</summary>
    private static readonly HashSet<string> MlPackages = new(StringComparer.Ordinal)
    {
        "transformers", "torch", "sklearn", "datasets", "evaluate", "numpy", "pandas", "tensorflow", "keras",
        "jax", "flax", "lightning", "pytorch_lightning", "accelerate", "peft", "trl", "setfit", "sentence_transformers",
        "xgboost", "lightgbm", "catboost",
    };

    /// <summary>True when the file imports an ML package anywhere (any scope): rules stay silent on other files.</summary>
    public static bool DoesMlWork(SemanticModel model) => MlWork.GetValue(model, m => new StrongBox<bool>(ImportsMl(m))).Value;

    private static readonly ConditionalWeakTable<SemanticModel, StrongBox<bool>> MlWork = new();

    private static bool ImportsMl(SemanticModel model)
    {
        foreach (var scope in model.Scopes)
        {
            foreach (var bindings in scope.Bindings.Values)
            {
                foreach (var b in bindings)
                {
                    if (b.Kind is BindingKind.Import or BindingKind.FromImport && b.QualifiedName is { } q && MlPackages.Contains(TopLevel(q)))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>True if the call calls the builtin <paramref name="name"/> (not a local redefinition).</summary>
    public static bool IsBuiltinCall(SemanticModel model, Expr expr, string name) =>
        expr is Call { Func: Name n } && n.Id == name && model.ResolveName(n) is null;

    /// <summary>The method name of `receiver.method(...)`, or null.</summary>
    public static string? MethodName(Call call) => call.Func is AttributeExpr a ? a.Attr : null;

    /// <summary>The receiver of `receiver.method(...)`, or null.</summary>
    public static Expr? Receiver(Call call) => call.Func is AttributeExpr a ? a.Value : null;

    /// <summary>The string value of an expression (following names), or null.</summary>
    public static string? String(SemanticModel model, Expr? expr) => expr is null ? null : model.EvaluateString(expr);

    /// <summary>The integer value of an expression (following names, and `len(...)` of a literal collection), or null.</summary>
    public static long? Integer(SemanticModel model, Expr? expr)
    {
        if (expr is null)
        {
            return null;
        }

        if (expr is Call { Args.Count: 1, Keywords.Count: 0 } call && IsBuiltinCall(model, call, "len"))
        {
            return LiteralLength(model, call.Args[0]);
        }

        if (expr is Name n && model.ReachingValue(n) is Call inner && !ReferenceEquals(inner, expr))
        {
            return Integer(model, inner);
        }

        return model.TryEvaluate(expr, out var v) && v is long l ? l : null;
    }

    /// <summary>The number of items of a literal list, tuple, set or dict (following names), or null.</summary>
    public static long? LiteralLength(SemanticModel model, Expr expr)
    {
        if (!model.TryEvaluate(expr, out var v))
        {
            return null;
        }

        return v switch
        {
            LiteralList l => l.Items.Count,
            LiteralTuple t => t.Items.Count,
            LiteralSet s => s.Items.Distinct().Count(),
            LiteralDict d => d.Entries.Select(e => e.Key).Distinct().Count(),
            _ => null,
        };
    }

    private static string TopLevel(string qualified)
    {
        var dot = qualified.IndexOf('.');
        return dot < 0 ? qualified : qualified[..dot];
    }
}
