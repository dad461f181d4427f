namespace MLIntern.Training.Evaluation;

/// <summary>One reliability bin: confidences in (Low, High], how many, their mean confidence and accuracy.</summary>
public sealed record CalibrationBin(double Low, double High, int Count, double Confidence, double Accuracy);

/// <summary>
/// Expected calibration error (Guo et al. 2017): the confidences (the probability given to the
/// predicted label) are cut into <see cref="Bins"/> equal-width bins (Low, High] — a confidence of
/// exactly 0 goes to the first — and ECE = Σ (nᵦ / n) · |accuracy(b) − mean confidence(b)|.
/// <see cref="Source"/> says where the probabilities came from: the scores themselves when every
/// row's scores lie in [0, 1] and sum to 1 (± 0.001), else a softmax of the scores (decision
/// values such as the baseline SVM's are not probabilities, so the figure is then only indicative).
/// </summary>
public sealed record Calibration(double Ece, int Bins, string Source, IReadOnlyList<CalibrationBin> Reliability)
{
    public const int DefaultBins = 15;
    public const string FromProbabilities = "probabilities";
    public const string FromSoftmax = "softmax of scores";

    /// <summary>Null when any row lacks scores.</summary>
    public static Calibration? Compute(IReadOnlyList<EvaluatedRow> rows, int bins = DefaultBins)
    {
        if (rows.Count == 0 || rows.Any(r => r.Scores.Count == 0) || bins < 1)
        {
            return null;
        }

        var probabilities = rows.All(r => IsDistribution(r.Scores));
        var confidences = rows.Select(r => Confidence(r, probabilities)).ToArray();
        var count = new int[bins];
        var confidenceSum = new double[bins];
        var correct = new int[bins];
        for (var i = 0; i < rows.Count; i++)
        {
            var bin = Math.Clamp((int)Math.Ceiling(confidences[i] * bins) - 1, 0, bins - 1);
            count[bin]++;
            confidenceSum[bin] += confidences[i];
            correct[bin] += rows[i].Correct ? 1 : 0;
        }

        var ece = 0.0;
        var reliability = new List<CalibrationBin>(bins);
        for (var b = 0; b < bins; b++)
        {
            var meanConfidence = count[b] == 0 ? 0 : confidenceSum[b] / count[b];
            var accuracy = count[b] == 0 ? 0 : (double)correct[b] / count[b];
            ece += (double)count[b] / rows.Count * Math.Abs(accuracy - meanConfidence);
            reliability.Add(new CalibrationBin((double)b / bins, (double)(b + 1) / bins, count[b], meanConfidence, accuracy));
        }

        return new Calibration(ece, bins, probabilities ? FromProbabilities : FromSoftmax, reliability);
    }

    /// <summary>The probability of the predicted label (the highest score when the prediction has none).</summary>
    public static double Confidence(EvaluatedRow row, bool probabilities)
    {
        var scores = row.Scores;
        var max = scores.Values.Max();
        var own = scores.TryGetValue(row.Predicted, out var s) ? s : max;
        if (probabilities)
        {
            return own;
        }

        var sum = scores.Values.Sum(v => Math.Exp(v - max));
        return Math.Exp(own - max) / sum;
    }

    private static bool IsDistribution(IReadOnlyDictionary<string, double> scores) =>
        scores.Values.All(v => v is >= 0 and <= 1) && Math.Abs(scores.Values.Sum() - 1) <= 1e-3;
}
