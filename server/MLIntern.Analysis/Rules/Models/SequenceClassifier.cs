using MLIntern.Analysis.Knowledge;
using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Rules.Models;

/// <summary>
/// A sequence-classification model created from a checkpoint —
/// `AutoModelForSequenceClassification.from_pretrained(...)` or any transformers
/// `*ForSequenceClassification.from_pretrained(...)`, through imports and aliases — and the
/// label arguments it was given (directly, through a literal `**dict`, or on the
/// `AutoConfig.from_pretrained(...)` passed as `config=`). <see cref="LabelCall"/> is the call that
/// holds them; <see cref="Config"/> is set only when a config of unknown origin decides them.
/// </summary>
public sealed record SequenceClassifier(Call Call, Call LabelCall, Expr? NumLabels, Expr? Id2Label, Expr? Label2Id, Expr? Config)
{
    private const string Suffix = "ForSequenceClassification.from_pretrained";

    /// <summary>The model call described, or null when <paramref name="call"/> does not create a sequence classifier.</summary>
    public static SequenceClassifier? From(SemanticModel model, Call call)
    {
        if (call.Func is not AttributeExpr { Attr: "from_pretrained" } ||
            model.ResolveCallee(call) is not { } callee ||
            !callee.StartsWith("transformers.", StringComparison.Ordinal) ||
            !callee.EndsWith(Suffix, StringComparison.Ordinal))
        {
            return null;
        }

        var labelCall = call;
        if (model.GetArgument(call, "config") is { } config)
        {
            var made = config is Name n ? model.ReachingValue(n) as Call : config as Call;
            if (made is null || model.ResolveCallee(made) is not { } maker || !maker.StartsWith("transformers.", StringComparison.Ordinal) ||
                !maker.EndsWith("Config.from_pretrained", StringComparison.Ordinal))
            {
                return new SequenceClassifier(call, call, null, null, null, config);
            }

            labelCall = made;
        }

        return new SequenceClassifier(
            call,
            labelCall,
            model.GetArgument(labelCall, "num_labels"),
            model.GetArgument(labelCall, "id2label"),
            model.GetArgument(labelCall, "label2id"),
            null);
    }

    /// <summary>
    /// True when the head is a regression head, not a classifier: `num_labels=1` (transformers then sets
    /// `problem_type="regression"` and computes an MSE loss) or `problem_type="regression"` given.
    /// The label column holds scores then, and its distinct values are no class count.
    /// </summary>
    public bool IsRegression(SemanticModel model) =>
        (NumLabels is not null && model.TryEvaluate(NumLabels, out var n) && n is 1L) ||
        (model.GetArgument(LabelCall, "problem_type") is { } kind && model.EvaluateString(kind) == "regression");

    /// <summary>
    /// True when the call's `**kwargs` include something we cannot see into (a name that is not a
    /// literal dict, a function's result): any argument may hide there, so rules stay silent.
    /// </summary>
    public bool HasOpaqueKwargs(SemanticModel model) =>
        Call.Keywords.Concat(LabelCall.Keywords).Any(k => k.Arg is null && !IsLiteralMapping(model, k.Value, 0));

    private static bool IsLiteralMapping(SemanticModel model, Expr value, int depth) => depth < 8 && value switch
    {
        Dict d => d.Keys.Select((k, i) => k switch { Constant => true, null => IsLiteralMapping(model, d.Values[i], depth + 1), _ => false }).All(ok => ok),
        Call { Func: Name { Id: "dict" } } c => c.Args.Count == 0 && c.Keywords.All(k => k.Arg is not null),
        Name n => model.ReachingValue(n) is { } v && IsLiteralMapping(model, v, depth + 1),
        _ => false,
    };

    /// <summary>
    /// True when the classification head is the checkpoint's own, not a new one: the checkpoint is a
    /// local directory (a model this project fine-tuned, its config holding its labels), or the script
    /// only runs the model (a distillation teacher, an evaluation) and never trains it. A label
    /// argument left out then keeps what the checkpoint has.
    /// </summary>
    public bool HeadFromCheckpoint(ScriptContext context)
    {
        var model = context.Model;
        if (model.GetArgument(Call, "pretrained_model_name_or_path", 0) is { } checkpoint &&
            ValueFlow.Of(context).String(checkpoint) is { } path && Api.IsLocalCheckpoint(path))
        {
            return true;
        }

        return Roles.Of(context).OnlyRun(Call) == true;
    }

    /// <summary>How many classes the model should have, and the evidence: the task's class count (<see cref="TaskFacts.TaskClasses"/>).</summary>
    public ClassCount? ClassCount(ScriptContext context) => TaskFacts.Of(context).TaskClasses(context);
}
