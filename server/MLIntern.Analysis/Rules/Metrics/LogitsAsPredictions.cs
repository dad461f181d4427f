using MLIntern.Analysis.Findings;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Rules.Metrics;

/// <summary>MLI201: a `compute_metrics` function hands the model's logits to a classification metric as if they were class ids.</summary>
public sealed class LogitsAsPredictions : ScriptRule
{
    public static readonly RuleInfo Rule = new(
        "MLI201",
        "logits-as-predictions",
        Severity.Error,
        "compute_metrics passes logits to a metric without taking the argmax",
        """
        ## What it does
        Finds a `compute_metrics` function (the one passed as `compute_metrics=` to a `Trainer`,
        or a function named `compute_metrics`) that hands the model's raw output (`eval_pred.predictions`,
        `eval_pred[0]`, or `logits` from `logits, labels = eval_pred`) straight to a classification
        metric: scikit-learn's `accuracy_score`, `f1_score`, `precision_score`, `recall_score`,
        `confusion_matrix`… or `evaluate.load("accuracy" | "f1" | …).compute(predictions=…)`, and the
        suites that score class ids: `evaluate.load("glue", "mrpc")` (any GLUE task but the `stsb`
        regression), `evaluate.load("xnli")`.

        It stays silent when the Trainer has a `preprocess_logits_for_metrics` hook (the predictions may
        already be class ids) and when the name is rebound anywhere in the function.

        ## Why is this bad?
        The Trainer passes `compute_metrics` the logits, an array of shape `(examples, classes)` of
        unnormalised scores, not the predicted classes. Metrics that compare class ids cannot use
        them: the first evaluation, after a whole epoch of training, stops the run.

        ## Example
        ```python
        def compute_metrics(eval_pred):
            logits, labels = eval_pred
            return {"f1": f1_score(labels, logits, average="macro")}
        ```

        ## Use instead
        ```python
        import numpy as np

        def compute_metrics(eval_pred):
            logits, labels = eval_pred
            predictions = np.argmax(logits, axis=-1)
            return {"f1": f1_score(labels, predictions, average="macro")}
        ```

        ## Fix safety
        Unsafe: the fix wraps the argument in `np.argmax(…, axis=-1)` (adding `import numpy as np` when
        numpy is not imported), which assumes the classes are the last axis of the predictions, as
        they are for the Trainer's sequence- and token-classification heads. A model that returns a
        tuple, or a multi-label task that needs a threshold instead, needs a different change.

        ## Error without the fix
        scikit-learn:
        ```
        ValueError: Classification metrics can't handle a mix of multiclass and continuous-multioutput targets
        ```
        evaluate:
        ```
        ValueError: Predictions and/or references don't match the expected format.
        Expected format: {'predictions': Value(dtype='int32', id=None), 'references': Value(dtype='int32', id=None)}
        ```
        """);

    public override RuleInfo Info => Rule;

    public override FixAvailability FixAvailability => FixAvailability.Sometimes;

    public override void Finish(ScriptContext context)
    {
        var model = context.Model;
        foreach (var function in ComputeMetricsFunctions.Of(model))
        {
            if (function.PredictionsPreprocessed)
            {
                continue;
            }

            foreach (var call in model.Calls)
            {
                if (!function.Contains(model, call) || MetricCalls.Match(model, call) is not { } metric)
                {
                    continue;
                }

                foreach (var argument in metric.Arguments)
                {
                    if (function.IsRawPredictions(model, argument))
                    {
                        var what = context.Text(argument);
                        context.Report(
                            this,
                            $"`{metric.Name}` gets `{what}`, the raw logits of shape (examples, classes), as predictions: take the argmax over the classes first",
                            argument,
                            Fix(context, argument));
                    }
                }
            }
        }
    }

    private static Fix? Fix(ScriptContext context, Expr argument)
    {
        var edits = new List<TextEdit>();
        var argmax = Code.NumpyArgmax(context.Model);
        if (argmax is null)
        {
            // `np` must be free for the new import to mean numpy everywhere it is read.
            if (context.Model.Scopes.Any(s => s.Bindings.ContainsKey("np")) || CodeEdits.ImportAs(context, "numpy", "np") is not { } import)
            {
                return null;
            }

            edits.Add(import);
            argmax = "np.argmax";
        }

        edits.Insert(0, context.Replace(argument.Range, $"{argmax}({context.Text(argument)}, axis=-1)"));
        var title = edits.Count > 1
            ? $"Wrap in `{argmax}(…, axis=-1)` and import numpy (unsafe: assumes classes are the last axis)"
            : $"Wrap in `{argmax}(…, axis=-1)` (unsafe: assumes classes are the last axis)";
        return new Fix(title, Applicability.Unsafe, edits);
    }
}
