using MLIntern.Analysis.Rules.Metrics;
using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Rules.Tokenizers;

/// <summary>What a `from_pretrained` call loads.</summary>
public enum PretrainedKind
{
    Tokenizer,
    Model,
}

/// <summary>A `transformers` `X.from_pretrained(checkpoint)` call: what it loads, the checkpoint argument and its value when literal.</summary>
public sealed record PretrainedLoad(Call Call, PretrainedKind Kind, string ClassName, Expr? Checkpoint, string? CheckpointValue);

/// <summary>
/// The tokenizers and models a file loads with `from_pretrained`, through imports and aliases
/// (`tf.AutoTokenizer.from_pretrained(CHECKPOINT)`), and the tokenizer objects' calls.
/// </summary>
public static class PretrainedLoads
{
    private const string FromPretrained = ".from_pretrained";

    /// <summary>Every tokenizer and model load of the file, in source order.</summary>
    public static IReadOnlyList<PretrainedLoad> Of(SemanticModel model)
    {
        var result = new List<PretrainedLoad>();
        if (!Symbols.Of(model).Imports("transformers"))
        {
            return result;
        }

        foreach (var call in model.Calls)
        {
            if (Match(model, call) is { } load)
            {
                result.Add(load);
            }
        }

        return result;
    }

    /// <summary>The load a call is, or null.</summary>
    public static PretrainedLoad? Match(SemanticModel model, Call call)
    {
        if (model.ResolveCallee(call) is not { } callee || !callee.StartsWith("transformers.", StringComparison.Ordinal) ||
            !callee.EndsWith(FromPretrained, StringComparison.Ordinal))
        {
            return null;
        }

        var owner = callee[..^FromPretrained.Length];
        var name = owner[(owner.LastIndexOf('.') + 1)..];
        PretrainedKind kind;
        if (name.EndsWith("Tokenizer", StringComparison.Ordinal) || name.EndsWith("TokenizerFast", StringComparison.Ordinal))
        {
            kind = PretrainedKind.Tokenizer;
        }
        else if (!Api.NotModels.Contains(name) && (name.Contains("Model", StringComparison.Ordinal) || name.Contains("For", StringComparison.Ordinal)))
        {
            kind = PretrainedKind.Model;
        }
        else
        {
            return null;
        }

        var checkpoint = model.GetArgument(call, "pretrained_model_name_or_path", 0);
        return new PretrainedLoad(call, kind, name, checkpoint, checkpoint is null ? null : model.EvaluateString(checkpoint));
    }

    /// <summary>
    /// The tokenizer load a name (or `self.attr`) refers to (`tokenizer = AutoTokenizer.from_pretrained(...)`,
    /// read anywhere; a parameter every call gives one; an attribute the class sets to one), else null.
    /// </summary>
    public static PretrainedLoad? TokenizerOf(SemanticModel model, Expr expr) => TokenizerOf(model, expr, 0);

    private static PretrainedLoad? TokenizerOf(SemanticModel model, Expr expr, int depth)
    {
        var value = Code.Unalias(model, expr);
        if (value is Call call && Match(model, call) is { Kind: PretrainedKind.Tokenizer } load)
        {
            return load;
        }

        // `self.tok` of a class whose methods set it: every value they assign is that tokenizer load.
        if (depth < 4 && value is AttributeExpr { Value: Name self, Attr: var attr } && Code.SelfClass(model, self) is { } cls)
        {
            var held = Code.SelfAttributeValues(model, cls, attr).Select(v => TokenizerOf(model, v, depth + 1)).ToList();
            return held.Count > 0 && held.All(l => l is not null) ? held[0] : null;
        }

        // A parameter (`def encode(batch, tok)` used through `partial(encode, tok=tokenizer)`): what every call passes.
        if (depth < 4 && value is Name name && Code.ParameterArguments(model, name) is { } passed)
        {
            var loads = passed.Select(a => TokenizerOf(model, a, depth + 1)).ToList();
            return loads.All(l => l is not null) ? loads[0] : null;
        }

        return null;
    }
}
