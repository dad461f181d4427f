using MLIntern.Analysis.Findings;
using MLIntern.Analysis.Rules.Loops;
using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Rules.Transformers;

/// <summary>MLI506: <c>metric_for_best_model</c> names a metric that compute_metrics never returns.</summary>
public sealed class UnknownMetricForBestModel : ScriptRule
{
    public static readonly RuleInfo Rule = new(
        "MLI506",
        "unknown-metric-for-best-model",
        Severity.Error,
        "`metric_for_best_model` names a key compute_metrics never returns",
        """
        ## What it does
        Follows a `Trainer(...)` call to its `TrainingArguments` (a call, or the script's own
        TrainingArguments dataclass that `HfArgumentParser(...).parse_args_into_dataclasses()` filled,
        read by its field defaults) and its `compute_metrics` function, and checks that `metric_for_best_model` is one of the keys the function returns.
        Keys are compared the way the Trainer compares them, with and without the `eval_` prefix;
        `loss` is always there. It only speaks when every `return` of `compute_metrics` is a literal
        dict (or `dict(...)`, with `**` of known dicts), the result of an evaluate metric's
        `compute(...)` (whose keys are the metric's: `accuracy` for `evaluate.load("accuracy")`), or
        when the Trainer gets no `compute_metrics` at all (then `loss` is the only metric). A Trainer
        given an `evaluator=` (sentence-transformers) is left alone: the evaluator reports metrics of
        its own, named at run time (`eval_sts-dev_spearman_cosine`).

        ## Why is this bad?
        The Trainer looks the metric up after every evaluation to decide which checkpoint is best.
        A name compute_metrics does not return — `"accuracy"` when it returns `{"f1": …}`, a typo,
        a metric renamed in one place — stops the run at the first evaluation, after a full epoch
        (or `eval_steps`) of paid compute, and the checkpoints written so far are never compared.

        ## Example
        ```python
        def compute_metrics(eval_pred):
            logits, labels = eval_pred
            return {"f1": f1_score(labels, logits.argmax(-1), average="macro")}

        args = TrainingArguments("out", eval_strategy="epoch", save_strategy="epoch",
                                 load_best_model_at_end=True, metric_for_best_model="accuracy")
        trainer = Trainer(model=model, args=args, compute_metrics=compute_metrics)
        ```

        ## Use instead
        ```python
        args = TrainingArguments("out", eval_strategy="epoch", save_strategy="epoch",
                                 load_best_model_at_end=True, metric_for_best_model="f1")
        ```

        ## Fix safety
        Unsafe, and offered only when compute_metrics returns exactly one key: the fix selects the
        best checkpoint by that metric, which may not be what the author meant — and
        `greater_is_better` (true by default for anything but the loss) must fit it.

        ## Error without the fix
        At the first evaluation:
        ```
        KeyError: "The `metric_for_best_model` training argument is set to 'eval_accuracy', which is not found in the evaluation metrics. The available evaluation metrics are: ['eval_loss', 'eval_f1', 'eval_runtime', 'eval_samples_per_second', 'eval_steps_per_second', 'epoch']. Consider changing the `metric_for_best_model` via the TrainingArguments."
        ```
        """);

    private const string Prefix = "eval_";

    /// <summary>Metrics the Trainer's evaluation loop adds itself, whatever compute_metrics returns.</summary>
    private static readonly string[] TrainerMetrics = ["loss", "runtime", "samples_per_second", "steps_per_second"];

    public override RuleInfo Info => Rule;

    public override FixAvailability FixAvailability => FixAvailability.Sometimes;

    public override IReadOnlyList<Type> NodeTypes => [typeof(Call)];

    public override void Visit(Node node, ScriptContext context)
    {
        var call = (Call)node;
        var model = context.Model;
        if (!TrainerApi.IsTrainerCall(call, model)
            || TrainerApi.ArgumentsOf(call, model) is not { } args
            || TrainerApi.FindSetting(args, "metric_for_best_model", model) is not { } setting
            || model.EvaluateString(setting.Value) is not { } metric)
        {
            return;
        }

        // compute_metrics moved position between versions (after tokenizer, then after compute_loss_func): by keyword only.
        if (call.Args.Count > 5)
        {
            return;
        }

        // Several evaluation sets prefix their metrics with each set's name (`eval_<name>_f1`).
        if (model.GetArgument(call, "eval_dataset", 4) is { } evalSet && (evalSet is Dict || (evalSet is Name n && model.ReachingValue(n) is Dict)))
        {
            return;
        }

        // An evaluator (sentence-transformers' `evaluator=`) adds metrics of its own, named by it at run time.
        if (model.GetArgument(call, "evaluator") is not null)
        {
            return;
        }

        List<string>? returned;
        string source;
        var passed = model.GetArgument(call, "compute_metrics");
        if (passed is null)
        {
            if (call.Keywords.Any(k => k.Arg is null) || call.Args.Any(a => a is Starred))
            {
                return;
            }

            (returned, source) = ([], "the Trainer gets no compute_metrics, so evaluation reports only the loss");
        }
        else
        {
            if (TrainerApi.ComputeMetricsOf(call, model) is not { } function || ReturnedKeys(function, model) is not { } keys)
            {
                return;
            }

            var line = context.Source.GetLineColumn(function.Start).Line;
            (returned, source) = (keys, keys.Count == 0
                ? $"`{function.Name}` (line {line}) returns an empty dict"
                : $"`{function.Name}` (line {line}) returns only {string.Join(", ", keys.Select(k => $"`{k}`"))}");
        }

        var wanted = Strip(metric);
        if (returned.Select(Strip).Contains(wanted) || TrainerMetrics.Contains(wanted))
        {
            return;
        }

        Fix? fix = null;
        var distinct = returned.Select(Strip).Distinct().ToList();
        if (distinct.Count == 1 && setting.Value is Constant literal && context.Text(literal) is var text && text.Length == metric.Length + 2 && text[0] is '"' or '\'')
        {
            var key = distinct[0];
            fix = new Fix($"Select the best model by \"{key}\" (check `greater_is_better` fits it)", Applicability.Unsafe, [context.Replace(literal.Range, $"{text[0]}{key}{text[0]}")]);
        }

        context.Report(
            this,
            $"`metric_for_best_model=\"{metric}\"` is not a metric this run reports: {source}; the Trainer raises KeyError for `{Prefix}{wanted}` at the first evaluation",
            setting.Value,
            fix);
    }

    private static string Strip(string key) => key.StartsWith(Prefix, StringComparison.Ordinal) ? key[Prefix.Length..] : key;

    /// <summary>The keys of every dict the function returns, or null unless each return is a literal dict whose keys are all known.</summary>
    private static List<string>? ReturnedKeys(FunctionDef function, SemanticModel model)
    {
        var keys = new List<string>();
        var returns = SyntaxPath.DescendantsInScope(function).OfType<Return>().ToList();
        if (returns.Count == 0)
        {
            return null;
        }

        foreach (var ret in returns)
        {
            var value = ret.Value;
            if (value is Name name)
            {
                // A dict built in a variable: only if nothing adds keys to it later (`m["acc"] = …`, `m.update(…)`).
                if (IsMutated(function, name.Id))
                {
                    return null;
                }

                value = model.ReachingValue(name);
            }

            if (value is null || LiteralKeys(value, model) is not { } found)
            {
                return null;
            }

            keys.AddRange(found.Where(k => !keys.Contains(k)));
        }

        return keys;
    }

    private static List<string>? LiteralKeys(Expr value, SemanticModel model)
    {
        switch (value)
        {
            case Dict dict:
                var keys = new List<string>();
                for (var i = 0; i < dict.Keys.Count; i++)
                {
                    if (dict.Keys[i] is null && LiteralKeys(dict.Values[i], model) is { } unpacked)
                    {
                        keys.AddRange(unpacked);
                        continue;
                    }

                    if (dict.Keys[i] is not { } key || model.EvaluateString(key) is not { } text)
                    {
                        return null;
                    }

                    keys.Add(text);
                }

                return keys;
            case Call compute when Metrics.MetricCalls.Match(model, compute) is { Source: Metrics.MetricSource.Evaluate, Call.Func: AttributeExpr { Attr: "compute" } } metric &&
                                   Api.EvaluateResultKeys.TryGetValue(metric.Name, out var resultKeys):
                // `return accuracy.compute(...)`: an evaluate metric's result dict has its documented keys.
                return [.. resultKeys];
            case Call { Func: Name { Id: "dict" } } call when model.ResolveCallee(call) == "dict" && call.Args.Count == 0 && call.Keywords.All(k => k.Arg is not null):
                return [.. call.Keywords.Select(k => k.Arg!)];
            default:
                return null;
        }
    }

    private static bool IsMutated(FunctionDef function, string name) =>
        SyntaxPath.DescendantsInScope(function).Any(n => n switch
        {
            Subscript { Ctx: ExprContext.Store or ExprContext.Del, Value: Name target } => target.Id == name,
            Call { Func: AttributeExpr { Value: Name target, Attr: "update" or "setdefault" or "__setitem__" or "pop" or "clear" } } => target.Id == name,
            _ => false,
        });
}
