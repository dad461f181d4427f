namespace MLIntern.Training.Evaluation;

/// <summary>What was evaluated: the run, its folder, the data set and columns, and how many rows were skipped as unreadable.</summary>
public sealed record EvaluationSource(string? RunId, string RunFolder, string? DataPath, string? TextColumn, string? LabelColumn, string? CategoryColumn, int Rows, int SkippedLines);

/// <summary>
/// The evaluation report of one run: the metrics, the failure analysis, and — when the score is
/// suspiciously high or the audit was asked for — the leakage audit. <see cref="Notes"/> say what
/// could not be computed and why.
/// </summary>
public sealed record EvaluationReport(
    EvaluationSource Source,
    ClassificationMetrics Metrics,
    Calibration? Calibration,
    IReadOnlyList<ConfusedPair> ConfusedPairs,
    IReadOnlyList<Misclassified> Misclassified,
    IReadOnlyList<FailureSlice> Slices,
    LeakageAudit? Audit,
    IReadOnlyList<string> Suggestions,
    IReadOnlyList<string> Notes)
{
    /// <summary>The report version; bumped when a field changes meaning.</summary>
    public int Version => 1;

    public static EvaluationReport Build(EvaluationSource source, IReadOnlyList<EvaluatedRow> rows, LeakageAudit? audit = null, IReadOnlyList<string>? notes = null)
    {
        var metrics = ClassificationMetrics.Compute([.. rows.Select(r => r.Label)], [.. rows.Select(r => r.Predicted)]);
        var calibration = Calibration.Compute(rows);
        var allNotes = new List<string>(notes ?? []);
        if (calibration is null)
        {
            allNotes.Add("no calibration: some predictions carry no scores");
        }
        else if (calibration.Source == Calibration.FromSoftmax)
        {
            allNotes.Add("scores are not probabilities (decision values); calibration uses their softmax and is only indicative");
        }

        var slices = FailureAnalysis.Slices(rows, metrics.Accuracy);
        return new EvaluationReport(
            source,
            metrics,
            calibration,
            FailureAnalysis.ConfusedPairs(rows),
            FailureAnalysis.RankedMistakes(rows, calibration?.Source),
            slices,
            audit,
            Suggest(metrics, slices, audit),
            allNotes);
    }

    /// <summary>Suggestions that follow from a figure in the report; each names the figure. No figure, no suggestion.</summary>
    public static IReadOnlyList<string> Suggest(ClassificationMetrics metrics, IReadOnlyList<FailureSlice> slices, LeakageAudit? audit)
    {
        var list = new List<string>();
        if (audit is not null)
        {
            list.AddRange(audit.Suggestions);
        }

        foreach (var c in metrics.PerClass.Where(c => c.Support > 0 && c.F1 < metrics.Macro.F1 - 0.1).OrderBy(c => c.F1).Take(3))
        {
            list.Add($"Collect more examples of '{c.Label}': F1 {c.F1:0.000} on {c.Support} test rows, against a macro-F1 of {metrics.Macro.F1:0.000}.");
        }

        var supports = metrics.PerClass.Where(c => c.Support > 0).ToArray();
        if (supports.Length > 1)
        {
            var largest = supports.MaxBy(c => c.Support)!;
            var smallest = supports.MinBy(c => c.Support)!;
            if (largest.Support >= 10 * smallest.Support)
            {
                list.Add($"Rebalance: '{largest.Label}' has {largest.Support} test rows, '{smallest.Label}' {smallest.Support} ({(double)largest.Support / smallest.Support:0.#}×); weight the classes or collect more of the small one.");
            }
        }

        foreach (var s in slices.Where(s => s.Weak && s.AccuracyGap <= -0.1).OrderBy(s => s.AccuracyGap).Take(3))
        {
            list.Add($"Texts with {s.Name} ({s.Kind}) are {-s.AccuracyGap:P0} less accurate ({s.Accuracy:0.000} on {s.Count} rows); add such examples to training or normalise them.");
        }

        return list;
    }
}
