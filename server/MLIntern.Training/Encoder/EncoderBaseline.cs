using MLIntern.Training.Baseline;
using MLIntern.Training.Evaluation;

namespace MLIntern.Training.Encoder;

/// <summary>Everything an encoder-baseline training produced; the host writes it into the run folder.</summary>
public sealed record EncoderResult(
    LogisticHead Head,
    IReadOnlyList<string> Classes,
    EvalReport Eval,
    IReadOnlyList<Prediction> Predictions,
    int TrainRows,
    int TestRows,
    string SplitSource,
    int Iterations,
    double TrainSeconds);

/// <summary>
/// The second built-in baseline: a frozen sentence encoder (all-MiniLM-L6-v2) and a multinomial
/// logistic-regression head on its embeddings. The same split and smoke subset as the TF-IDF
/// baseline for a seed; the head is full-batch, so the same seed gives the same predictions.
/// The embeddings come from <paramref name="embed"/> (the host caches them), in row order.
/// </summary>
public static class EncoderBaseline
{
    public static EncoderResult Run(LabeledRows train, LabeledRows? test, BaselineOptions options, Func<IReadOnlyList<string>, float[][]> embed, double c = 10.0, CancellationToken cancellationToken = default)
    {
        var (splitSource, classes, index) = PreparedSplit.Prepare(ref train, ref test, options);
        var trainVectors = embed(train.Texts);
        var testVectors = embed(test.Texts);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var head = LogisticHead.Fit(trainVectors, train.Labels.Select(l => index[l]).ToArray(), classes.Length, c, cancellationToken: cancellationToken);
        var trainSeconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;

        var predicted = new int[test.Count];
        var predictions = new Prediction[test.Count];
        for (var i = 0; i < test.Count; i++)
        {
            var p = head.Probabilities(testVectors[i]);
            var best = 0;
            var byLabel = new SortedDictionary<string, double>(StringComparer.Ordinal);
            for (var k = 0; k < classes.Length; k++)
            {
                byLabel[classes[k]] = Math.Round(p[k], 6);
                best = p[k] > p[best] ? k : best;
            }

            predicted[i] = best;
            predictions[i] = new Prediction(test.Texts[i], test.Labels[i], classes[best], byLabel);
        }

        var eval = EvalReport.Compute(classes, test.Labels.Select(l => index[l]).ToArray(), predicted);
        return new EncoderResult(head, classes, eval, predictions, train.Count, test.Count, splitSource, head.Iterations, trainSeconds);
    }
}
