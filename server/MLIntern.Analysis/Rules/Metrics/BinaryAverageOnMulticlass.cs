using MLIntern.Analysis.Findings;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Rules.Metrics;

/// <summary>MLI203: F1, precision or recall with the default binary average on a task with more than two classes.</summary>
public sealed class BinaryAverageOnMulticlass : ScriptRule
{
    public static readonly RuleInfo Rule = new(
        "MLI203",
        "binary-average-on-multiclass",
        Severity.Error,
        "f1/precision/recall with the default binary average on a multi-class task",
        """
        ## What it does
        Finds scikit-learn's `f1_score`, `precision_score`, `recall_score`, `fbeta_score` and
        `jaccard_score`, and `evaluate.load("f1" | "precision" | "recall").compute(...)`, called without
        `average=` (or with `average="binary"`) in a script whose task has more than two classes. The
        class count comes from the data set the script loads (its label column) or, failing that, from a
        literal `num_labels=` in the file; when neither is known the rule says nothing.

        ## Why is this bad?
        These metrics default to `average="binary"`: the score of class 1 alone. With more than two
        classes scikit-learn refuses to pick a positive class and raises, so the first evaluation stops
        a run that may have trained for an hour.

        ## Example
        ```python
        df = pd.read_csv("tickets.csv")      # 16 intents
        ...
        f1 = f1_score(labels, predictions)
        ```

        ## Use instead
        ```python
        f1 = f1_score(labels, predictions, average="macro")
        ```

        ## Fix safety
        Unsafe: the fix adds `average="macro"` (the unweighted mean over classes, which does not hide
        rare classes). `"weighted"` or `"micro"` give different numbers; which one the report should
        carry is the user's choice.

        ## Error without the fix
        ```
        ValueError: Target is multiclass but average='binary'. Please choose another average setting, one of [None, 'micro', 'macro', 'weighted'].
        ```
        """);

    private const string Average = "average";

    public override RuleInfo Info => Rule;

    public override FixAvailability FixAvailability => FixAvailability.Always;

    public override void Finish(ScriptContext context)
    {
        var model = context.Model;
        if (!Symbols.Of(model).Imports("sklearn") && !Symbols.Of(model).Imports("evaluate") && !Symbols.Of(model).Imports("datasets"))
        {
            return;
        }

        List<MetricCall>? calls = null;
        foreach (var call in model.Calls)
        {
            // evaluate takes `average=` in `compute`, not in `add_batch`.
            if (MetricCalls.Match(model, call) is { } metric && (metric.Source == MetricSource.Sklearn ? Api.SklearnBinaryAverageMetrics : Api.EvaluateBinaryAverageMetrics).Contains(metric.Name) &&
                (metric.Source == MetricSource.Sklearn || metric.Call.Func is AttributeExpr { Attr: "compute" }))
            {
                (calls ??= []).Add(metric);
            }
        }

        if (calls is null || Knowledge.TaskFacts.Of(context).MetricClasses(context) is not { Count: > 2 } classes)
        {
            return;
        }

        foreach (var metric in calls)
        {
            var call = metric.Call;
            var average = model.GetArgument(call, Average);
            if (average is null)
            {
                // An unknown `**kwargs` or `*args` may carry the average: stay silent.
                if (call.Keywords.Any(k => k.Arg is null) || call.Args.Any(a => a is Starred))
                {
                    continue;
                }

                var quote = CodeEdits.Quote(context);
                context.Report(
                    this,
                    $"`{metric.Name}` averages as `binary` by default, but the task has {classes.Count} classes ({classes.Evidence})",
                    call.Func,
                    Fix.Create($"Add `{Average}={quote}macro{quote}` (unsafe: the reported number changes)", Applicability.Unsafe, CodeEdits.AddKeyword(context, call, $"{Average}={quote}macro{quote}")));
            }
            else if (model.EvaluateString(average) == "binary")
            {
                var quote = CodeEdits.QuoteOf(context, average);
                var fix = average is Constant
                    ? new Fix($"Use `{Average}={quote}macro{quote}` (unsafe: the reported number changes)", Applicability.Unsafe,
                        [context.Replace(average.Range, $"{quote}macro{quote}")])
                    : null;
                context.Report(this, $"`{metric.Name}` with `average=\"binary\"`, but the task has {classes.Count} classes ({classes.Evidence})", average, fix);
            }
        }
    }
}
