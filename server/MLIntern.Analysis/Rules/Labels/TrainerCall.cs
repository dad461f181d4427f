using MLIntern.Analysis.Rules.Models;
using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Rules.Labels;

/// <summary>
/// A Trainer construction — transformers' or a library subclass (<see cref="Api"/>), or a subclass the
/// script defines on those alone that leaves the loss to the Trainer — and the arguments label rules look
/// at. A script's subclass that defines `compute_loss`, or has a base the table does not know (a mixin that
/// may), computes its own loss from the labels, so it is not matched.
/// </summary>
public sealed record TrainerCall(Call Call, Expr? Model, Expr? TrainDataset, Expr? EvalDataset, Expr? DataCollator)
{
    public static TrainerCall? From(SemanticModel model, Call call) =>
        (Symbols.Of(model).Callee(call) is { } callee && Symbols.IsKnownSubclass(callee, Api.Trainer) ||
         Symbols.Of(model).LocalClass(call.Func) is { } local && KeepsTrainerLoss(model, local, 0))
            ? new TrainerCall(
                call,
                model.GetArgument(call, "model", 0),
                model.GetArgument(call, "train_dataset", 3),
                model.GetArgument(call, "eval_dataset", 4),
                model.GetArgument(call, "data_collator", 2))
            : null;

    /// <summary>A class of the script whose bases are all known Trainer classes or such classes of the script, none defining `compute_loss`.</summary>
    private static bool KeepsTrainerLoss(SemanticModel model, ClassDef cls, int depth) =>
        depth < 8 && cls.Bases.Count > 0 && cls.Keywords.Count == 0 && !cls.Body.Any(s => s is FunctionDef { Name: "compute_loss" }) &&
        cls.Bases.All(b => Symbols.Of(model).LocalClass(b) is { } parent
            ? KeepsTrainerLoss(model, parent, depth + 1)
            : Symbols.Of(model).Canonical(b) is { } name && Symbols.IsKnownSubclass(name, Api.Trainer));

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
