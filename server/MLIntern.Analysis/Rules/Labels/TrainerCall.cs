using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Rules.Labels;

/// <summary>
/// A `transformers.Trainer(...)` (or `Seq2SeqTrainer`) call and the arguments label rules look at.
/// Subclasses defined in the script are not matched: they may override `compute_loss`.
/// </summary>
public sealed record TrainerCall(Call Call, Expr? TrainDataset, Expr? EvalDataset, Expr? DataCollator)
{
    private static readonly HashSet<string> Trainers =
    [
        "transformers.Trainer", "transformers.trainer.Trainer", "transformers.Seq2SeqTrainer", "transformers.trainer_seq2seq.Seq2SeqTrainer",
    ];

    public static TrainerCall? From(SemanticModel model, Call call) =>
        model.ResolveCallee(call) is { } callee && Trainers.Contains(callee)
            ? new TrainerCall(call, model.GetArgument(call, "train_dataset", 3), model.GetArgument(call, "eval_dataset", 4), model.GetArgument(call, "data_collator", 2))
            : null;

    /// <summary>True when batches are made by a collator the script wrote itself (it may build labels any way it likes).</summary>
    public bool HasCustomCollator(SemanticModel model) =>
        DataCollator is not null and not Constant { Value: null } && !(model.ResolveQualifiedName(DataCollator is Call c ? c.Func : DataCollator) is { } name && name.StartsWith("transformers.", StringComparison.Ordinal)) &&
        !(DataCollator is Name n && model.ReachingValue(n) is Call made && model.ResolveCallee(made) is { } maker && maker.StartsWith("transformers.", StringComparison.Ordinal));
}
