using System.Runtime.CompilerServices;
using MLIntern.Python.Lexing;
using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;
using MLIntern.Python.Text;

namespace MLIntern.Analysis.Rules.Metrics;

/// <summary>
/// Small questions many script rules ask of a file: does it import an ML library at all, what
/// value does a name stand for after plain `a = b` copies, which name the file binds numpy to,
/// and how new code should be written (quote, line ending) so a fix reads like the user's code.
/// </summary>
public static class ScriptFacts
{
    private const int MaxDepth = 16;

    private static readonly ConditionalWeakTable<SemanticModel, HashSet<string>> ImportedRoots = new();

    /// <summary>True when the file imports <paramref name="package"/> (or a submodule of it) anywhere.</summary>
    public static bool Imports(SemanticModel model, string package) => ImportedRootsOf(model).Contains(package);

    /// <summary>True when the file imports any of the libraries that train or evaluate models.</summary>
    public static bool DoesMlWork(SemanticModel model)
    {
        var roots = ImportedRootsOf(model);
        return roots.Contains("transformers") || roots.Contains("torch") || roots.Contains("sklearn") ||
               roots.Contains("datasets") || roots.Contains("evaluate") || roots.Contains("trl") ||
               roots.Contains("tensorflow") || roots.Contains("keras") || roots.Contains("lightning") ||
               roots.Contains("pytorch_lightning");
    }

    private static HashSet<string> ImportedRootsOf(SemanticModel model) => ImportedRoots.GetValue(model, m =>
    {
        var roots = new HashSet<string>(StringComparer.Ordinal);
        foreach (var scope in m.Scopes)
        {
            foreach (var bindings in scope.Bindings.Values)
            {
                foreach (var b in bindings)
                {
                    if (b.Kind is BindingKind.Import or BindingKind.FromImport && b.QualifiedName is { } q)
                    {
                        var dot = q.IndexOf('.');
                        roots.Add(dot < 0 ? q : q[..dot]);
                    }
                }
            }
        }

        return roots;
    });

    /// <summary>
    /// The expression a value stands for once plain copies are followed: a name whose only
    /// binding in its scope is `name = value` becomes that value (repeatedly). A name bound more
    /// than once, a parameter, or a loop target stays the name: its value is not one thing.
    /// </summary>
    public static Expr Unalias(SemanticModel model, Expr expr)
    {
        for (var depth = 0; depth < MaxDepth && expr is Name name; depth++)
        {
            if (SingleAssignment(model, name) is not { Value: { } value })
            {
                break;
            }

            expr = value;
        }

        return expr;
    }

    /// <summary>The binding a name load refers to when it is the only binding of that name in its scope, else null.</summary>
    public static Binding? SingleAssignment(SemanticModel model, Name name)
    {
        var binding = model.ResolveName(name);
        if (binding is null || binding.Kind is not (BindingKind.Assignment or BindingKind.AnnotatedAssignment))
        {
            return null;
        }

        return binding.Scope.GetBindings(binding.Name).Count(b => b.Kind != BindingKind.Declaration) == 1 ? binding : null;
    }

    /// <summary>
    /// The receiver a value was made from, method call by method call: `ds = load_dataset(...)`,
    /// then `ds["train"].map(f).train_test_split(...)` walks back through `.map(f)`, `["train"]`
    /// and `ds` to the `load_dataset` call. Each step is yielded, outermost first.
    /// </summary>
    public static IEnumerable<Expr> Chain(SemanticModel model, Expr expr)
    {
        for (var depth = 0; depth < MaxDepth * 2; depth++)
        {
            expr = Unalias(model, expr);
            yield return expr;
            switch (expr)
            {
                case Call { Func: AttributeExpr method } call when model.ResolveCallee(call) is null:
                    // A method of a value (`ds.map(f)`), not a function of a module (`pd.read_csv(...)`).
                    expr = method.Value;
                    break;
                case Subscript s:
                    expr = s.Value;
                    break;
                default:
                    yield break;
            }
        }
    }

    /// <summary>
    /// How the file refers to `numpy.argmax`, or null when numpy is not imported at module level
    /// as a name that is free: "np.argmax" after `import numpy as np`, "argmax" after
    /// `from numpy import argmax`.
    /// </summary>
    public static string? NumpyArgmax(SemanticModel model)
    {
        foreach (var (name, bindings) in model.GlobalScope.Bindings)
        {
            if (bindings.Count != 1 || !bindings[0].IsUnconditional)
            {
                continue;
            }

            switch (bindings[0])
            {
                case { Kind: BindingKind.Import, QualifiedName: "numpy" }:
                    return name + ".argmax";
                case { Kind: BindingKind.FromImport, QualifiedName: "numpy.argmax" }:
                    return name;
            }
        }

        return null;
    }

    /// <summary>The quote character new strings should use: the file's majority style.</summary>
    public static char Quote(ScriptContext context) => context.Parse.Tokens.QuoteStyle == QuoteStyle.Single ? '\'' : '"';

    /// <summary>The quote character of an existing string literal, else the file's style.</summary>
    public static char QuoteOf(ScriptContext context, Expr? neighbour)
    {
        if (neighbour is Constant { Value: string })
        {
            var text = context.Text(neighbour);
            var at = text.IndexOfAny(['"', '\'']);
            if (at >= 0)
            {
                return text[at];
            }
        }

        return Quote(context);
    }

    /// <summary>The file's line break.</summary>
    public static string Newline(ScriptContext context) => context.Source.LineEnding switch
    {
        LineEnding.CarriageReturnLineFeed => "\r\n",
        LineEnding.CarriageReturn => "\r",
        _ => "\n",
    };

    /// <summary>
    /// An edit that appends <paramref name="keywordText"/> (e.g. `average="macro"`) as the last
    /// argument of a call, right after its last argument (so a trailing comma and the closing
    /// parenthesis stay where they are).
    /// </summary>
    public static Findings.TextEdit AddKeyword(ScriptContext context, Call call, string keywordText)
    {
        var last = call.Args.Cast<Node>().Concat(call.Keywords).MaxBy(n => n.End);
        if (last is null)
        {
            // `f()`: the text goes between the parentheses.
            var close = call.End - 1;
            return context.Replace(new TextRange(close, close), keywordText);
        }

        var text = context.Source.Text;
        if (call.Args is [GeneratorExp generator] && call.Keywords.Count == 0 && generator.End == call.End)
        {
            // `f(x for x in xs)`: the generator's range is the call's parentheses; it needs its own once another argument follows.
            return context.Replace(generator.Range, $"({context.Text(generator)}, {keywordText})");
        }

        var end = last is Expr { IsParenthesized: true } ? ClosingParen(context, last.End) : last.End;
        var comma = text.IndexOf(',', end, Math.Max(call.End - 1 - end, 0));
        if (comma >= 0 && text.AsSpan(comma, call.End - 1 - comma).IndexOfAny('\r', '\n') >= 0)
        {
            // One argument a line with a trailing comma: the new one gets its own line, indented like the last.
            var lineStart = context.Source.GetLineStart(context.Source.GetLineIndex(last.Start));
            var indent = text[lineStart..last.Start];
            if (indent.All(c => c is ' ' or '\t'))
            {
                return context.Replace(new TextRange(comma + 1, comma + 1), Newline(context) + indent + keywordText + ",");
            }
        }

        return context.Replace(new TextRange(end, end), ", " + keywordText);
    }

    /// <summary>
    /// An edit that gives a call's parameter a value: replaces the value it already has (`random_state=None`,
    /// also inside a `**` dict literal), or appends the keyword when the call does not pass it.
    /// </summary>
    public static Findings.TextEdit SetKeyword(ScriptContext context, Call call, string keyword, string valueText) =>
        context.Model.GetArgument(call, keyword) is { } existing
            ? context.Replace(existing.Range, valueText)
            : AddKeyword(context, call, $"{keyword}={valueText}");

    /// <summary>The offset after the `)` that closes a parenthesized expression ending at <paramref name="end"/>.</summary>
    private static int ClosingParen(ScriptContext context, int end)
    {
        var text = context.Source.Text;
        var at = text.IndexOf(')', end);
        return at < 0 ? end : at + 1;
    }

    /// <summary>
    /// An edit that adds `import <paramref name="module"/> as <paramref name="alias"/>` on a line of its
    /// own before the file's first top-level import. The edit replaces that import's first keyword (rather
    /// than inserting at a point), so two fixes that both need the import overlap and a "fix all" pass
    /// takes only one of them. Null when the file has no top-level import to anchor on.
    /// </summary>
    public static Findings.TextEdit? AddImport(ScriptContext context, string module, string alias)
    {
        foreach (var statement in context.Parse.Tree.Body)
        {
            if (statement is ImportFrom { Module: "__future__" })
            {
                continue;
            }

            if (statement is Import or ImportFrom)
            {
                var keyword = statement is Import ? "import" : "from";
                var range = new TextRange(statement.Start, statement.Start + keyword.Length);
                return context.Replace(range, $"import {module} as {alias}{Newline(context)}{keyword}");
            }
        }

        return null;
    }
}
