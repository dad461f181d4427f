using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Rules.Metrics;

/// <summary>Where a metric comes from: a scikit-learn function or a Hugging Face `evaluate` metric.</summary>
public enum MetricSource
{
    Sklearn,
    Evaluate,
}

/// <summary>
/// A call that computes a classification metric from class ids: `sklearn.metrics.f1_score(y_true, y_pred)`
/// (through any alias), or `metric.compute(predictions=..., references=...)` / `metric.add_batch(...)`
/// on a metric made by `evaluate.load("f1")`.
/// </summary>
/// <param name="Name">The metric: "f1_score", "accuracy_score", or the evaluate name ("f1", "accuracy").</param>
/// <param name="Arguments">The arguments holding labels or predictions (both must be class ids).</param>
public sealed record MetricCall(Call Call, MetricSource Source, string Name, IReadOnlyList<Expr> Arguments);

public static class MetricCalls
{
    /// <summary>The classification metric a call computes, or null.</summary>
    public static MetricCall? Match(SemanticModel model, Call call)
    {
        if (model.ResolveCallee(call) is { } callee && callee.StartsWith("sklearn.metrics.", StringComparison.Ordinal))
        {
            var name = callee[(callee.LastIndexOf('.') + 1)..];
            if (!Api.SklearnLabelMetrics.Contains(name))
            {
                return null;
            }

            var arguments = new List<Expr>();
            AddIfPresent(arguments, model.GetArgument(call, "y_true", 0));
            AddIfPresent(arguments, model.GetArgument(call, "y_pred", 1));
            return new MetricCall(call, MetricSource.Sklearn, name, arguments);
        }

        if (call.Func is AttributeExpr { Attr: "compute" or "add_batch" or "add" } method && EvaluateMetricName(model, method.Value) is { } metric)
        {
            var arguments = new List<Expr>();
            AddIfPresent(arguments, model.GetArgument(call, "predictions"));
            AddIfPresent(arguments, model.GetArgument(call, "references"));
            AddIfPresent(arguments, model.GetArgument(call, "prediction"));
            AddIfPresent(arguments, model.GetArgument(call, "reference"));
            return new MetricCall(call, MetricSource.Evaluate, metric, arguments);
        }

        return null;
    }

    /// <summary>
    /// True when a call computes any evaluation metric — a `sklearn.metrics` function, `compute()`
    /// of an `evaluate.load(...)` metric of any name (`"glue"`, `"rouge"`), a torchmetrics metric —
    /// not only the classification metrics <see cref="Match"/> knows the arguments of.
    /// </summary>
    public static bool ComputesAMetric(SemanticModel model, Call call)
    {
        // Feeding a metric (`add_batch`, `add`) computes nothing yet.
        if (Match(model, call) is not null)
        {
            return call.Func is not AttributeExpr { Attr: "add_batch" or "add" };
        }

        if (model.ResolveCallee(call) is { } callee && (callee.StartsWith("sklearn.metrics.", StringComparison.Ordinal) || callee.StartsWith("torchmetrics.", StringComparison.Ordinal)))
        {
            return true;
        }

        return call.Func is AttributeExpr { Attr: "compute" } method && Code.Unalias(model, method.Value) is Call load &&
            model.ResolveCallee(load) is { } loader && Api.MetricLoaders.Contains(Symbols.Canonicalize(loader));
    }

    /// <summary>The predicted-labels argument of a metric call, or null when absent or unknown.</summary>
    public static Expr? Predictions(SemanticModel model, MetricCall metric) => metric.Source == MetricSource.Sklearn
        ? model.GetArgument(metric.Call, "y_pred", 1)
        : model.GetArgument(metric.Call, "predictions") ?? model.GetArgument(metric.Call, "prediction");

    /// <summary>"f1" for `evaluate.load("f1")`, "glue" for `evaluate.load("glue", "mrpc")` (not `"stsb"`), directly or through a name; null otherwise.</summary>
    private static string? EvaluateMetricName(SemanticModel model, Expr receiver)
    {
        if (Code.Unalias(model, receiver) is not Call load || model.ResolveCallee(load) is not { } loader || !Api.MetricLoaders.Contains(Symbols.Canonicalize(loader)))
        {
            return null;
        }

        var name = model.GetArgument(load, "path", 0) is { } path ? model.EvaluateString(path) : null;
        if (name is not null && Api.EvaluateLabelMetricSuites.TryGetValue(name, out var regression))
        {
            // A suite (`evaluate.load("glue", "mrpc")`) compares class ids unless its configuration is a regression task.
            var config = model.GetArgument(load, "config_name", 1) is { } c ? model.EvaluateString(c) : null;
            return (config is not null || regression.Length == 0) && !regression.Contains(config) ? name : null;
        }

        return name is not null && Api.EvaluateLabelMetrics.Contains(name) ? name : null;
    }

    private static void AddIfPresent(List<Expr> list, Expr? expr)
    {
        if (expr is not null)
        {
            list.Add(expr);
        }
    }
}
