using MLIntern.Analysis.Rules.Models;
using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Rules.Labels;

/// <summary>
/// A Trainer construction — transformers' or a library subclass (<see cref="Api"/>) — and the arguments
/// label rules look at. Subclasses defined in the script are not matched: they may override `compute_loss`.
/// </summary>
public sealed record TrainerCall(Call Call, Expr? Model, Expr? TrainDataset, Expr? EvalDataset, Expr? DataCollator)
{
    public static TrainerCall? From(SemanticModel model, Call call) =>
        Symbols.Of(model).Callee(call) is { } callee && Symbols.IsKnownSubclass(callee, Api.Trainer)
            ? new TrainerCall(
                call,
                model.GetArgument(call, "model", 0),
                model.GetArgument(call, "train_dataset", 3),
                model.GetArgument(call, "eval_dataset", 4),
                model.GetArgument(call, "data_collator", 2))
            : null;

    /// <summary>
    /// True when the batches keep the data set's label column as it is: no collator, or one that only
    /// pads (a language-modelling collator makes its own labels; a script's own collator may do anything).
    /// </summary>
    public bool CollatorKeepsLabels(SemanticModel model)
    {
        var collator = DataCollator;
        if (collator is null or Constant { Value: null })
        {
            return true;
        }

        if (collator is Name n && model.ReachingValue(n) is Call made)
        {
            collator = made;
        }

        return Symbols.Of(model).Canonical(collator is Call c ? c.Func : collator) is { } name && Api.PlainCollators.Contains(name);
    }

    /// <summary>
    /// True when the model trained is a sequence classifier: the `model=` argument is one, or it is
    /// not known and the script creates one. A model known to be something else (a causal LM) is not.
    /// </summary>
    public bool TrainsClassifier(SemanticModel model)
    {
        if (Model is Name n && model.ReachingValue(n) is Call made)
        {
            if (SequenceClassifier.From(model, made) is not null)
            {
                return true;
            }

            if (model.ResolveCallee(made) is { } callee && callee.StartsWith("transformers.", StringComparison.Ordinal))
            {
                return false;
            }
        }

        return model.Calls.Any(c => c.Func is AttributeExpr { Attr: "from_pretrained" } && SequenceClassifier.From(model, c) is not null);
    }
}
