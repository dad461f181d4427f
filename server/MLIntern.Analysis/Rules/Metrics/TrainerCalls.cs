using System.Runtime.CompilerServices;
using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Rules.Metrics;

/// <summary>
/// The Hugging Face Trainer constructions of a file: calls to `transformers.Trainer`,
/// `Seq2SeqTrainer`, trl's trainers, and classes of the file derived from them
/// (`class WeightedTrainer(Trainer)`), found through imports and aliases.
/// </summary>
public static class TrainerCalls
{
    private const int MaxDepth = 8;

    private static readonly HashSet<string> TrainerClasses =
    [
        "transformers.Trainer",
        "transformers.Seq2SeqTrainer",
        "transformers.trainer.Trainer",
        "transformers.trainer_seq2seq.Seq2SeqTrainer",
        "trl.SFTTrainer",
        "trl.RewardTrainer",
    ];

    /// <summary>Trainer parameters in the order `transformers.Trainer.__init__` takes them positionally.</summary>
    private static readonly string[] Positional =
    [
        "model", "args", "data_collator", "train_dataset", "eval_dataset", "processing_class", "model_init", "compute_metrics",
    ];

    private static readonly ConditionalWeakTable<SemanticModel, List<Call>> Cache = new();

    /// <summary>Every Trainer construction of the file, in source order.</summary>
    public static IReadOnlyList<Call> Of(SemanticModel model) => Cache.GetValue(model, m =>
        ScriptFacts.Imports(m, "transformers") || ScriptFacts.Imports(m, "trl")
            ? [.. m.Calls.Where(c => IsTrainerClass(m, c.Func, 0))]
            : []);

    /// <summary>True when the call constructs a Trainer (or a class of the file derived from one).</summary>
    public static bool IsTrainer(SemanticModel model, Call call) => Of(model).Contains(call);

    /// <summary>A Trainer argument by keyword, by its `transformers.Trainer` position, or through a literal `**` dict.</summary>
    public static Expr? Argument(SemanticModel model, Call trainer, string parameter) =>
        model.GetArgument(trainer, parameter, Array.IndexOf(Positional, parameter));

    /// <summary>The `TrainingArguments(...)` call a Trainer's `args=` is, directly or through a name, else null.</summary>
    public static Call? TrainingArguments(SemanticModel model, Call trainer) =>
        Argument(model, trainer, "args") is { } args && ScriptFacts.Unalias(model, args) is Call call &&
        model.ResolveCallee(call) is { } callee && callee.StartsWith("transformers.", StringComparison.Ordinal) &&
        callee.EndsWith("TrainingArguments", StringComparison.Ordinal)
            ? call
            : null;

    /// <summary>The name a Trainer construction is assigned to (`trainer = Trainer(...)`), else null.</summary>
    public static Binding? BoundTo(SemanticModel model, Call trainer)
    {
        foreach (var scope in model.Scopes)
        {
            foreach (var bindings in scope.Bindings.Values)
            {
                foreach (var b in bindings)
                {
                    if (ReferenceEquals(b.Value, trainer) && b.Kind == BindingKind.Assignment)
                    {
                        return b;
                    }
                }
            }
        }

        return null;
    }

    private static bool IsTrainerClass(SemanticModel model, Expr callee, int depth)
    {
        if (depth > MaxDepth)
        {
            return false;
        }

        if (model.ResolveQualifiedName(callee) is { } name && TrainerClasses.Contains(name))
        {
            return true;
        }

        // A class of the file: a Trainer if one of its bases is.
        return callee is Name n && model.ResolveName(n) is { Kind: BindingKind.ClassDefinition, Node: ClassDef cls } &&
               cls.Bases.Any(b => IsTrainerClass(model, b, depth + 1));
    }
}
