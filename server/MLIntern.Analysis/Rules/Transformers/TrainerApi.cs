using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;
using MLIntern.Python.Text;

namespace MLIntern.Analysis.Rules.Transformers;

/// <summary>
/// What the Hugging Face training API looks like to the rules: the qualified names of the
/// argument and trainer classes, how a Trainer call reaches its TrainingArguments and its
/// compute_metrics function, and where a setting is written (a keyword or a `**` dict key).
/// </summary>
public static class TrainerApi
{
    /// <summary>TrainingArguments and its subclasses, under every path users import them from.</summary>
    public static readonly IReadOnlySet<string> ArgumentClasses = new HashSet<string>(StringComparer.Ordinal)
    {
        "transformers.TrainingArguments",
        "transformers.Seq2SeqTrainingArguments",
        "transformers.training_args.TrainingArguments",
        "transformers.training_args_seq2seq.Seq2SeqTrainingArguments",
        "trl.SFTConfig",
        "trl.DPOConfig",
        "trl.GRPOConfig",
        "trl.RewardConfig",
        "trl.ORPOConfig",
        "trl.KTOConfig",
        "trl.CPOConfig",
    };

    /// <summary>Trainer and the trainers built on it (transformers' Seq2SeqTrainer, trl's trainers).</summary>
    public static readonly IReadOnlySet<string> TrainerClasses = new HashSet<string>(StringComparer.Ordinal)
    {
        "transformers.Trainer",
        "transformers.Seq2SeqTrainer",
        "transformers.trainer.Trainer",
        "transformers.trainer_seq2seq.Seq2SeqTrainer",
        "trl.SFTTrainer",
        "trl.DPOTrainer",
        "trl.GRPOTrainer",
        "trl.RewardTrainer",
        "trl.ORPOTrainer",
        "trl.KTOTrainer",
        "trl.CPOTrainer",
    };

    public static bool IsArgumentsCall(Call call, SemanticModel model) =>
        model.ResolveCallee(call) is { } callee && IsClass(callee, ArgumentClasses, model, 0);

    public static bool IsTrainerCall(Call call, SemanticModel model) =>
        model.ResolveCallee(call) is { } callee && IsTrainerClass(callee, model);

    /// <summary>
    /// True for a trainer class's qualified name, or the name of a class of this file derived from one
    /// (`class WeightedTrainer(Trainer)` overriding compute_loss).
    /// </summary>
    public static bool IsTrainerClass(string qualifiedName, SemanticModel model) => IsClass(qualifiedName, TrainerClasses, model, 0);

    private static bool IsClass(string qualifiedName, IReadOnlySet<string> known, SemanticModel model, int depth)
    {
        if (known.Contains(qualifiedName))
        {
            return true;
        }

        // A local class resolves to its bare name; follow its bases a few levels.
        return depth < 4 && !qualifiedName.Contains('.')
            && model.GlobalScope.GetBindings(qualifiedName) is [{ Kind: BindingKind.ClassDefinition, Node: ClassDef cls }]
            && cls.Bases.Any(b => model.ResolveQualifiedName(b) is { } baseName && IsClass(baseName, known, model, depth + 1));
    }

    /// <summary>The TrainingArguments call a Trainer call gets as `args=` (or second positional), inline or through a name.</summary>
    public static Call? ArgumentsOf(Call trainer, SemanticModel model)
    {
        var args = model.GetArgument(trainer, "args", 1);
        var call = args switch
        {
            Call c => c,
            Name n => model.ReachingValue(n) as Call,
            _ => null,
        };
        return call is not null && IsArgumentsCall(call, model) ? call : null;
    }

    /// <summary>The module- or function-level `def` passed as `compute_metrics=`, or null when it is a lambda, a factory call, or unknown.</summary>
    public static FunctionDef? ComputeMetricsOf(Call trainer, SemanticModel model) =>
        model.GetArgument(trainer, "compute_metrics") is Name name && model.ResolveName(name) is { Kind: BindingKind.FunctionDefinition, Node: FunctionDef def }
            ? def
            : null;

    /// <summary>
    /// Where a setting is written in a call: the keyword's name (`fp16=`) or the string key of a
    /// literal dict unpacked with `**` (directly or through a name), with the value next to it.
    /// Null when the call does not name it explicitly.
    /// </summary>
    public static Setting? FindSetting(Call call, string name, SemanticModel model)
    {
        foreach (var keyword in call.Keywords)
        {
            if (keyword.Arg == name)
            {
                return new Setting(new TextRange(keyword.Start, keyword.Start + name.Length), keyword.Value, null);
            }
        }

        for (var i = call.Keywords.Count - 1; i >= 0; i--)
        {
            if (call.Keywords[i].Arg is null && FindInDict(call.Keywords[i].Value, name, model, 0) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private static Setting? FindInDict(Expr mapping, string name, SemanticModel model, int depth)
    {
        if (depth > 8)
        {
            return null;
        }

        var dict = mapping switch
        {
            Dict d => d,
            Name n => model.ReachingValue(n) as Dict,
            _ => null,
        };
        if (dict is null)
        {
            return null;
        }

        for (var i = dict.Keys.Count - 1; i >= 0; i--)
        {
            if (dict.Keys[i] is Constant { Value: string s } key && s == name)
            {
                return new Setting(key.Range, dict.Values[i], key);
            }

            if (dict.Keys[i] is null && FindInDict(dict.Values[i], name, model, depth + 1) is { } inner)
            {
                return inner;
            }
        }

        return null;
    }
}

/// <summary>A setting as written: the range of its name (keyword or dict key), its value, and the dict key node when it is one.</summary>
public sealed record Setting(TextRange NameRange, Expr Value, Constant? DictKey);
