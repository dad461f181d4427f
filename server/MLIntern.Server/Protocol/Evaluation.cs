using Core = MLIntern.Training.Evaluation;

namespace MLIntern.Server.Protocol;

/// <summary>
/// mlintern/evaluateRun's answer and `mlintern evaluate --format json`: the evaluation report of one
/// run. Each record is mapped by hand from its core type, so a renamed core property cannot change the wire.
/// </summary>
internal sealed record EvaluationReport(
    EvaluationSource Source,
    ClassificationMetrics Metrics,
    Calibration? Calibration,
    IReadOnlyList<ConfusedPair> ConfusedPairs,
    IReadOnlyList<Misclassified> Misclassified,
    IReadOnlyList<FailureSlice> Slices,
    LeakageAudit? Audit,
    IReadOnlyList<string> Suggestions,
    IReadOnlyList<string> Notes,
    int Version)
{
    public static EvaluationReport From(Core.EvaluationReport c) => new(
        EvaluationSource.From(c.Source),
        ClassificationMetrics.From(c.Metrics),
        c.Calibration is { } calibration ? Calibration.From(calibration) : null,
        [.. c.ConfusedPairs.Select(ConfusedPair.From)],
        [.. c.Misclassified.Select(Protocol.Misclassified.From)],
        [.. c.Slices.Select(FailureSlice.From)],
        c.Audit is { } audit ? LeakageAudit.From(audit) : null,
        c.Suggestions,
        c.Notes,
        c.Version);
}

/// <summary>What was evaluated: the run, its folder, the data set and columns, and how many lines were skipped as unreadable.</summary>
internal sealed record EvaluationSource(string? RunId, string RunFolder, string? DataPath, string? TextColumn, string? LabelColumn, string? CategoryColumn, int Rows, int SkippedLines)
{
    public static EvaluationSource From(Core.EvaluationSource c) => new(c.RunId, c.RunFolder, c.DataPath, c.TextColumn, c.LabelColumn, c.CategoryColumn, c.Rows, c.SkippedLines);
}

/// <summary>Precision, recall and F1 averaged one way (macro, micro or weighted).</summary>
internal sealed record AveragedScores(double Precision, double Recall, double F1)
{
    public static AveragedScores From(Core.AveragedScores c) => new(c.Precision, c.Recall, c.F1);
}

/// <summary>One class's row: precision, recall, F1, support (true rows) and how often it was predicted.</summary>
internal sealed record ClassMetrics(string Label, double Precision, double Recall, double F1, int Support, int Predicted)
{
    public static ClassMetrics From(Core.ClassMetrics c) => new(c.Label, c.Precision, c.Recall, c.F1, c.Support, c.Predicted);
}

/// <summary>The metrics (scikit-learn's definitions); the confusion matrix rows are true labels, columns predicted, in <see cref="Labels"/> order.</summary>
internal sealed record ClassificationMetrics(
    int Count,
    double Accuracy,
    AveragedScores Macro,
    AveragedScores Micro,
    AveragedScores Weighted,
    IReadOnlyList<ClassMetrics> PerClass,
    IReadOnlyList<string> Labels,
    IReadOnlyList<IReadOnlyList<int>> Confusion,
    IReadOnlyList<IReadOnlyList<double>> ConfusionNormalized)
{
    public static ClassificationMetrics From(Core.ClassificationMetrics c) => new(
        c.Count,
        c.Accuracy,
        AveragedScores.From(c.Macro),
        AveragedScores.From(c.Micro),
        AveragedScores.From(c.Weighted),
        [.. c.PerClass.Select(ClassMetrics.From)],
        c.Labels,
        [.. c.Confusion.Select(row => (IReadOnlyList<int>)[.. row])],
        [.. c.ConfusionNormalized.Select(row => (IReadOnlyList<double>)[.. row])]);
}

/// <summary>One reliability bin: confidences in (Low, High], how many, their mean confidence and accuracy.</summary>
internal sealed record CalibrationBin(double Low, double High, int Count, double Confidence, double Accuracy)
{
    public static CalibrationBin From(Core.CalibrationBin c) => new(c.Low, c.High, c.Count, c.Confidence, c.Accuracy);
}

/// <summary>Expected calibration error, its bins, and where the probabilities came from ("probabilities" or "softmax of scores").</summary>
internal sealed record Calibration(double Ece, int Bins, string Source, IReadOnlyList<CalibrationBin> Reliability)
{
    public static Calibration From(Core.Calibration c) => new(c.Ece, c.Bins, c.Source, [.. c.Reliability.Select(CalibrationBin.From)]);
}

/// <summary>A pair of classes the model mixes up, with example texts.</summary>
internal sealed record ConfusedPair(string Label, string Predicted, int Count, double ShareOfLabel, IReadOnlyList<string> Examples)
{
    public static ConfusedPair From(Core.ConfusedPair c) => new(c.Label, c.Predicted, c.Count, c.ShareOfLabel, c.Examples);
}

/// <summary>A wrong prediction and the confidence it was made with (absent without scores).</summary>
internal sealed record Misclassified(string Text, string Label, string Predicted, double? Confidence)
{
    public static Misclassified From(Core.Misclassified c) => new(c.Text, c.Label, c.Predicted, c.Confidence);
}

/// <summary>A slice of the test rows and its gap to the overall accuracy; <see cref="Weak"/> is the sidecar's one rule (<see cref="Core.FailureSlice.Weak"/>).</summary>
internal sealed record FailureSlice(string Kind, string Name, int Count, int Errors, double Accuracy, double MacroF1, double AccuracyGap, bool Weak)
{
    public static FailureSlice From(Core.FailureSlice c) => new(c.Kind, c.Name, c.Count, c.Errors, c.Accuracy, c.MacroF1, c.AccuracyGap, c.Weak);
}

/// <summary>The leakage audit: whether the score is explained by leakage (<see cref="Alarm"/>), the findings and their figures.</summary>
internal sealed record LeakageAudit(
    string Reason,
    double MacroF1,
    bool Alarm,
    IReadOnlyList<string> Findings,
    OverlapFigures Overlap,
    ConflictFigures Conflicts,
    TokenShortcuts Shortcuts,
    TemplateFigures? Templates,
    IReadOnlyList<string> Suggestions,
    ParaphraseFigures? Paraphrases)
{
    public static LeakageAudit From(Core.LeakageAudit c) => new(
        c.Reason,
        c.MacroF1,
        c.Alarm,
        c.Findings,
        OverlapFigures.From(c.Overlap),
        ConflictFigures.From(c.Conflicts),
        TokenShortcuts.From(c.Shortcuts),
        c.Templates is { } templates ? TemplateFigures.From(templates) : null,
        c.Suggestions,
        c.Paraphrases is { } paraphrases ? ParaphraseFigures.From(paraphrases) : null);
}

/// <summary>Test rows that restate a train row: nearest train row by the encoder's embedding, same label, cosine at least the threshold.</summary>
internal sealed record ParaphraseFigures(string Encoder, double Threshold, int TestRows, int Paraphrases, double Share, IReadOnlyList<TextExample> Examples)
{
    public static ParaphraseFigures From(Core.ParaphraseFigures c) => new(c.Encoder, c.Threshold, c.TestRows, c.Paraphrases, c.Share, [.. c.Examples.Select(TextExample.From)]);
}

/// <summary>A test text found in train, with the train text it matches and their similarity when near-duplicate.</summary>
internal sealed record TextExample(string Text, string Label, string? Match, double? Similarity)
{
    public static TextExample From(Core.TextExample c) => new(c.Text, c.Label, c.Match, c.Similarity);
}

/// <summary>Test rows found in train: verbatim, after normalisation, or as near-duplicates.</summary>
internal sealed record OverlapFigures(int TestRows, int Exact, int Normalized, int NearDuplicate, double Share, IReadOnlyList<TextExample> Examples)
{
    public static OverlapFigures From(Core.OverlapFigures c) => new(c.TestRows, c.Exact, c.Normalized, c.NearDuplicate, c.Share, [.. c.Examples.Select(TextExample.From)]);
}

/// <summary>A text that carries more than one label.</summary>
internal sealed record ConflictExample(string Text, IReadOnlyList<string> Labels)
{
    public static ConflictExample From(Core.ConflictExample c) => new(c.Text, c.Labels);
}

/// <summary>Texts that carry more than one label across train and test.</summary>
internal sealed record ConflictFigures(int Texts, int Rows, IReadOnlyList<ConflictExample> Examples)
{
    public static ConflictFigures From(Core.ConflictFigures c) => new(c.Texts, c.Rows, [.. c.Examples.Select(ConflictExample.From)]);
}

/// <summary>A word that alone predicts a label in train.</summary>
internal sealed record PredictiveToken(string Token, string Label, int TrainRows, double Purity, double LabelCoverage)
{
    public static PredictiveToken From(Core.PredictiveToken c) => new(c.Token, c.Label, c.TrainRows, c.Purity, c.LabelCoverage);
}

/// <summary>The shortcut words and what the rule "word → its label" scores on the test rows.</summary>
internal sealed record TokenShortcuts(IReadOnlyList<PredictiveToken> Tokens, int Count, int TestRowsCovered, double Coverage, double RuleAccuracy)
{
    public static TokenShortcuts From(Core.TokenShortcuts c) => new([.. c.Tokens.Select(PredictiveToken.From)], c.Count, c.TestRowsCovered, c.Coverage, c.RuleAccuracy);
}

/// <summary>A template family: its signature, label, rows on each side of the split and example texts.</summary>
internal sealed record TemplateExample(string Signature, string Label, int TrainRows, int TestRows, IReadOnlyList<string> Texts)
{
    public static TemplateExample From(Core.TemplateExample c) => new(c.Signature, c.Label, c.TrainRows, c.TestRows, c.Texts);
}

/// <summary>Template leakage and the baseline retrained on a split where no family sits on both sides.</summary>
internal sealed record TemplateFigures(
    int Families,
    int SharedFamilies,
    int TestRowsInSharedFamilies,
    double SharedShare,
    double BaselineMacroF1,
    double GroupSplitMacroF1,
    double GroupSplitAccuracy,
    double Drop,
    int GroupTrainRows,
    int GroupTestRows,
    int Seed,
    IReadOnlyList<string> ClassesNotHeldOut,
    IReadOnlyList<TemplateExample> Examples)
{
    public static TemplateFigures From(Core.TemplateFigures c) => new(
        c.Families,
        c.SharedFamilies,
        c.TestRowsInSharedFamilies,
        c.SharedShare,
        c.BaselineMacroF1,
        c.GroupSplitMacroF1,
        c.GroupSplitAccuracy,
        c.Drop,
        c.GroupTrainRows,
        c.GroupTestRows,
        c.Seed,
        c.ClassesNotHeldOut,
        [.. c.Examples.Select(TemplateExample.From)]);
}

internal sealed class EvaluateRunParams : RunRefParams
{
    /// <summary>true: always audit; false: never; omitted: when macro-F1 ≥ auditThreshold.</summary>
    public bool? Audit { get; set; }

    public double? AuditThreshold { get; set; }

    public string? CategoryColumn { get; set; }
}
