using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Rules.Publishing;

/// <summary>
/// Where a value came from, as far as the semantic model can tell: the qualified name of the
/// library call that made it, following names to their reaching values, method chains to their
/// receiver (`Dataset.from_pandas(df).map(f)` → "datasets.Dataset.from_pandas"), attributes and
/// subscripts to their object (`ds["train"]`, `trainer.model`).
/// </summary>
public static class ValueOrigin
{
    private const int MaxSteps = 32;

    /// <summary>The qualified name of the call (or import) the value of <paramref name="expr"/> comes from, or null.</summary>
    public static string? Of(Expr expr, SemanticModel model)
    {
        var current = expr;
        for (var step = 0; step < MaxSteps; step++)
        {
            switch (current)
            {
                case Name name:
                    if (model.ReachingValue(name) is { } value)
                    {
                        current = value;
                        continue;
                    }

                    // A module or class imported as is (`import datasets`), or a parameter: no value to follow.
                    return model.ResolveName(name) is { Kind: BindingKind.Import or BindingKind.FromImport } ? model.ResolveQualifiedName(name) : null;
                case Call call:
                    if (model.ResolveCallee(call) is { } callee)
                    {
                        return callee;
                    }

                    if (call.Func is AttributeExpr method)
                    {
                        current = method.Value;
                        continue;
                    }

                    return null;
                case AttributeExpr attribute:
                    if (model.ResolveQualifiedName(attribute) is { } qualified)
                    {
                        return qualified;
                    }

                    current = attribute.Value;
                    continue;
                case Subscript subscript:
                    current = subscript.Value;
                    continue;
                default:
                    return null;
            }
        }

        return null;
    }

    /// <summary>True when the value comes from a library whose qualified names start with one of <paramref name="prefixes"/> (e.g. "transformers.").</summary>
    public static bool IsFrom(Expr expr, SemanticModel model, IEnumerable<string> prefixes) =>
        Of(expr, model) is { } origin && prefixes.Any(p => origin.StartsWith(p, StringComparison.Ordinal));
}
