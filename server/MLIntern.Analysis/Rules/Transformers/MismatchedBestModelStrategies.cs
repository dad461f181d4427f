using MLIntern.Analysis.Findings;
using MLIntern.Python.Lexing;
using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Rules.Transformers;

/// <summary>MLI504: <c>load_best_model_at_end=True</c> with evaluation and save strategies that differ.</summary>
public sealed class MismatchedBestModelStrategies : ScriptRule
{
    public static readonly RuleInfo Rule = new(
        "MLI504",
        "mismatched-best-model-strategies",
        Severity.Error,
        "`load_best_model_at_end=True` with evaluation and save strategies that differ",
        """
        ## What it does
        Finds `TrainingArguments(load_best_model_at_end=True, …)` whose evaluation strategy
        (`eval_strategy`, or the old `evaluation_strategy`) and `save_strategy` differ, counting the
        defaults (`eval_strategy="no"`, `save_strategy="steps"`), settings passed through a
        literal `**` dict, and the field defaults of the script's own TrainingArguments subclass
        (a `@dataclass` that an `HfArgumentParser` fills, or that the script constructs). With both strategies `"steps"`, it also finds a `save_steps` that is not a
        round multiple of `eval_steps` (which defaults to `logging_steps`, 500). The finding sits on
        `load_best_model_at_end` where it is written (the keyword, the key of the dict unpacked, or the
        dataclass field).

        ## Why is this bad?
        To load the best model at the end, the Trainer must have a checkpoint for every evaluation
        it compares. transformers checks this when `TrainingArguments` is created and refuses to
        start, so the mistake costs a full restart of the script (and, in a notebook, of the
        model and data loading before it). Leaving out `eval_strategy` is the usual cause: it
        defaults to `"no"`, which never evaluates at all.

        ## Example
        ```python
        args = TrainingArguments(
            output_dir="out",
            eval_strategy="epoch",
            load_best_model_at_end=True,
        )
        ```

        ## Use instead
        ```python
        args = TrainingArguments(
            output_dir="out",
            eval_strategy="epoch",
            save_strategy="epoch",
            load_best_model_at_end=True,
        )
        ```

        ## Fix safety
        Unsafe: the fix sets `save_strategy` to the evaluation strategy, which changes how often
        checkpoints are written (disk use, time spent saving). No fix is offered when evaluation is
        off (`"no"`): whether to evaluate, and how often, is the author's decision. `save_strategy="best"`
        (transformers 4.47 and later) is accepted as matching any evaluation strategy.

        ## Error without the fix
        ```
        ValueError: --load_best_model_at_end requires the save and eval strategy to match, but found
        - Evaluation strategy: IntervalStrategy.EPOCH
        - Save strategy: SaveStrategy.STEPS
        ```
        or, with both strategies `"steps"`:
        ```
        ValueError: --load_best_model_at_end requires the saving steps to be a round multiple of the evaluation steps, but found 500, which is not a round multiple of 300.
        ```
        """);

    private const string DefaultEval = "no";
    private const string DefaultSave = "steps";
    private const long DefaultSteps = 500;

    public override RuleInfo Info => Rule;

    public override FixAvailability FixAvailability => FixAvailability.Sometimes;

    public override IReadOnlyList<Type> NodeTypes => [typeof(Call), typeof(ClassDef)];

    public override void Visit(Node node, ScriptContext context)
    {
        // A TrainingArguments call, or the file's own TrainingArguments dataclass an HfArgumentParser fills (its field defaults).
        var model = context.Model;
        if ((node is Call args ? !TrainerApi.IsArgumentsCall(args, model) : !TrainerApi.IsParsedArgumentsClass((ClassDef)node, model))
            || TrainerApi.FindSetting(node, "load_best_model_at_end", model) is not { } loadBest
            || (node is ClassDef && !node.Range.Contains(loadBest.NameRange))
            || !model.TryEvaluate(loadBest.Value, out var on) || on is not true)
        {
            return;
        }

        var call = node;

        var evalName = "eval_strategy";
        var evalSetting = TrainerApi.FindSetting(call, evalName, model);
        if (evalSetting is null && TrainerApi.FindSetting(call, "evaluation_strategy", model) is { } old)
        {
            (evalName, evalSetting) = ("evaluation_strategy", old);
        }

        var saveSetting = TrainerApi.FindSetting(call, "save_strategy", model);
        if (node is Call c && (c.Args.Any(a => a is Starred) || HasUnknownUnpacking(c, model)))
        {
            // A strategy may hide in `*args` or a `**` mapping we cannot read: the defaults are not proven.
            if (evalSetting is null || saveSetting is null)
            {
                return;
            }
        }

        var evalStrategy = evalSetting is null ? DefaultEval : Strategy(evalSetting.Value, model);
        var saveStrategy = saveSetting is null ? DefaultSave : Strategy(saveSetting.Value, model);
        if (evalStrategy is null || saveStrategy is null || saveStrategy == "best")
        {
            return;
        }

        if (evalStrategy != saveStrategy)
        {
            var evalText = evalSetting is null ? $"`eval_strategy` is \"{DefaultEval}\" (the default)" : $"`{evalName}` is \"{evalStrategy}\"";
            var saveText = saveSetting is null ? $"`save_strategy` is \"{DefaultSave}\" (the default)" : $"`save_strategy` is \"{saveStrategy}\"";
            context.Report(
                this,
                $"`load_best_model_at_end=True` needs the same evaluation and save strategy, but {evalText} and {saveText}; TrainingArguments raises ValueError",
                loadBest.NameRange,
                MatchSaveToEval(context, evalSetting, saveSetting, evalStrategy));
            return;
        }

        if (evalStrategy == "steps")
        {
            var logging = Steps(call, "logging_steps", DefaultSteps, model);
            var evalSteps = Steps(call, "eval_steps", logging, model);
            var evalSource = TrainerApi.FindSetting(call, "eval_steps", model) is null ? "`eval_steps` (taken from `logging_steps`)" : "`eval_steps`";
            var saveSteps = Steps(call, "save_steps", DefaultSteps, model);
            if (evalSteps is > 0 && saveSteps is > 0 && saveSteps % evalSteps != 0)
            {
                context.Report(
                    this,
                    $"`load_best_model_at_end=True` needs `save_steps` ({saveSteps}) to be a round multiple of {evalSource} ({evalSteps}); TrainingArguments raises ValueError",
                    loadBest.NameRange);
            }
        }
    }

    /// <summary>A strategy as lower-case text: a string literal (through names) or a member of transformers' strategy enums.</summary>
    private static string? Strategy(Expr value, SemanticModel model)
    {
        if (model.EvaluateString(value) is { } text)
        {
            return text.ToLowerInvariant();
        }

        return model.ResolveQualifiedName(value) is { } name && name.StartsWith("transformers.", StringComparison.Ordinal)
            && (name.Contains("IntervalStrategy.", StringComparison.Ordinal) || name.Contains("SaveStrategy.", StringComparison.Ordinal))
                ? name[(name.LastIndexOf('.') + 1)..].ToLowerInvariant()
                : null;
    }

    /// <summary>An integer step setting, its default when absent, or null when it is not a literal integer (a float is a ratio of the run).</summary>
    private static long? Steps(Node call, string name, long? fallback, SemanticModel model)
    {
        if (TrainerApi.FindSetting(call, name, model) is not { } setting)
        {
            return fallback;
        }

        return model.TryEvaluate(setting.Value, out var value) && value is long n ? n : null;
    }

    private static bool HasUnknownUnpacking(Call call, SemanticModel model) =>
        call.Keywords.Any(k => k.Arg is null && k.Value switch
        {
            Dict d => d.Keys.Any(key => key is null),
            Name n => model.ReachingValue(n) is not Dict nd || nd.Keys.Any(key => key is null),
            _ => true,
        });

    /// <summary>Sets `save_strategy` to the evaluation strategy, in the place and quotes the settings are already written in.</summary>
    private static Fix? MatchSaveToEval(ScriptContext context, Setting? evalSetting, Setting? saveSetting, string evalStrategy)
    {
        if (evalSetting is null || evalStrategy == DefaultEval || (saveSetting is null && evalSetting.InClass))
        {
            // A dataclass field is declared on its own line: no keyword to add next to it.
            return null;
        }

        var quote = QuoteOf(context, evalSetting.Value);
        var literal = $"{quote}{evalStrategy}{quote}";
        var title = $"Set `save_strategy` to {literal} (changes how often checkpoints are saved)";
        if (saveSetting is not null)
        {
            return new Fix(title, Applicability.Unsafe, [context.Replace(saveSetting.Value.Range, literal)]);
        }

        // Written next to the evaluation strategy, in the same form: a keyword, or a key of the same dict.
        var insertion = evalSetting.DictKey is null
            ? $", save_strategy={literal}"
            : $", {quote}save_strategy{quote}: {literal}";
        var end = evalSetting.Value.End;
        return new Fix(title, Applicability.Unsafe, [context.Replace(new Python.Text.TextRange(end, end), insertion)]);
    }

    private static char QuoteOf(ScriptContext context, Expr value)
    {
        if (value is Constant { Value: string })
        {
            var text = context.Text(value);
            var at = text.IndexOfAny(['"', '\'']);
            if (at >= 0)
            {
                return text[at];
            }
        }

        return context.Parse.Tokens.QuoteStyle == QuoteStyle.Single ? '\'' : '"';
    }
}
