namespace MLIntern.Training.Evaluation;

/// <summary>A test row whose embedding is within the threshold of a train row.</summary>
public sealed record ParaphraseMatch(int TestRow, int TrainRow, double Cosine);

/// <summary>The leakage audit's paraphrase overlap: how many test rows restate a train row, with examples (best first).</summary>
public sealed record ParaphraseFigures(string Encoder, double Threshold, int TestRows, int Paraphrases, double Share, IReadOnlyList<TextExample> Examples);

/// <summary>
/// Paraphrase overlap between splits: test rows whose sentence embedding (unit length, so the dot
/// product is the cosine) is at least <see cref="DefaultThreshold"/> from their nearest train row —
/// the same request in other words, which shingles (near-duplicates) do not see. With labels, the
/// nearest train row must also carry the test row's label: a row on the same subject that asks for
/// something else (track an order vs cancel it) is close in embedding space but is another class,
/// and asking something else is not leakage.
/// </summary>
public static class ParaphraseOverlap
{
    /// <summary>
    /// all-MiniLM-L6-v2 cosine from which a test row counts as a paraphrase of its nearest train row (with the same
    /// label). Chosen on the hand-written pairs of tests/MLIntern.Training.Tests/ParaphraseOverlapTests.cs (so it is
    /// fitted to them, not validated on other pairs): paraphrases scored 0.43–0.89 with their source (18 of 20 at
    /// 0.575 or more), rows on the same subject asking something else up to 0.81. Cosine alone cannot separate the
    /// two (at 0.6: recall 0.80, precision 0.80); with the label condition, 0.55 gives recall 0.90 and precision 0.95.
    /// </summary>
    public const double DefaultThreshold = 0.55;

    /// <summary>For every test row, its nearest train row when that one is within <paramref name="threshold"/>; best first.</summary>
    public static IReadOnlyList<ParaphraseMatch> Find(IReadOnlyList<float[]> train, IReadOnlyList<float[]> test, double threshold = DefaultThreshold, CancellationToken cancellationToken = default) =>
        Find(train, null, test, null, threshold, cancellationToken);

    /// <summary>
    /// For every test row, its nearest train row when that one is within <paramref name="threshold"/> and, when
    /// labels are given, has the test row's label; best first.
    /// </summary>
    public static IReadOnlyList<ParaphraseMatch> Find(IReadOnlyList<float[]> train, IReadOnlyList<string>? trainLabels, IReadOnlyList<float[]> test, IReadOnlyList<string>? testLabels, double threshold = DefaultThreshold, CancellationToken cancellationToken = default)
    {
        var matches = new List<ParaphraseMatch>();
        for (var t = 0; t < test.Count; t++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var best = -1;
            var bestCosine = double.NegativeInfinity;
            for (var r = 0; r < train.Count; r++)
            {
                var cosine = Dot(test[t], train[r]);
                if (cosine > bestCosine)
                {
                    (best, bestCosine) = (r, cosine);
                }
            }

            var sameLabel = trainLabels is null || testLabels is null || (best >= 0 && string.Equals(trainLabels[best], testLabels[t], StringComparison.Ordinal));
            if (best >= 0 && bestCosine >= threshold && sameLabel)
            {
                matches.Add(new ParaphraseMatch(t, best, bestCosine));
            }
        }

        return [.. matches.OrderByDescending(m => m.Cosine).ThenBy(m => m.TestRow)];
    }

    /// <summary>The audit's figures: the labelled matches between the splits, with up to <paramref name="examples"/> examples (texts redacted).</summary>
    public static ParaphraseFigures Measure(Baseline.LabeledRows train, Baseline.LabeledRows test, Func<IReadOnlyList<string>, float[][]> embed, string encoder, double threshold = DefaultThreshold, int examples = 5, CancellationToken cancellationToken = default)
    {
        var trainVectors = embed(train.Texts);
        var testVectors = embed(test.Texts);
        var matches = Find(trainVectors, train.Labels, testVectors, test.Labels, threshold, cancellationToken);
        var shown = matches.Take(examples).Select(m => new TextExample(test.Texts[m.TestRow], test.Labels[m.TestRow], train.Texts[m.TrainRow], Math.Round(m.Cosine, 3))).ToArray();
        return new ParaphraseFigures(encoder, threshold, test.Count, matches.Count, test.Count == 0 ? 0 : (double)matches.Count / test.Count, shown);
    }

    private static double Dot(float[] a, float[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += (double)a[i] * b[i];
        }

        return sum;
    }
}
