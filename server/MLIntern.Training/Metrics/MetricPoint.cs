namespace MLIntern.Training.Metrics;

/// <summary>
/// One logged step: step and epoch when known, the split ("train", "eval", "test"), and the metric
/// values by name (loss, learning_rate, accuracy, macro_f1, …). The shape of a metrics.jsonl line
/// and of the points in mlintern/metrics notifications.
/// </summary>
public sealed record MetricPoint(long? Step, double? Epoch, string Split, IReadOnlyDictionary<string, double> Values);
