using MLIntern.Training.Evaluation;

namespace MLIntern.Training.Baseline;

/// <summary>Options of one baseline training.</summary>
/// <param name="Seed">Seeds the split, the smoke subset and the solver's visiting order.</param>
/// <param name="MaxTrainRows">Smoke test: train on a stratified subset of about this many rows.</param>
public sealed record BaselineOptions(int Seed = 42, double TestFraction = 0.2, int HashBits = 20, double C = 0.5, int MaxEpochs = 30, double Tolerance = 0.1, int? MaxTrainRows = null, int MaxThreads = 0);

/// <summary>One row of predictions.jsonl: the text, its label, the prediction and the decision value of every class.</summary>
/// <summary>A test row's prediction; its text, written to predictions.jsonl and shown in reports and Spaces, has every secret redacted.</summary>
public sealed record Prediction(string Text, string Label, string Predicted, IReadOnlyDictionary<string, double> Scores)
{
    public string Text { get; init => field = Secrets.Redact(value); } = Secrets.Redact(Text);
}

/// <summary>Everything a baseline training produced; the host writes it into the run folder.</summary>
public sealed record BaselineResult(
    BaselineModel Model,
    EvalReport Eval,
    IReadOnlyList<EpochLog> Epochs,
    IReadOnlyList<Prediction> Predictions,
    int TrainRows,
    int TestRows,
    int Features,
    string SplitSource,
    double FeaturizeSeconds,
    double TrainSeconds);

/// <summary>
/// The built-in baseline: TF-IDF over hashed word 1–2-grams and character 3–5-grams, a one-vs-rest
/// linear SVM (dual coordinate descent). Deterministic for a seed: the split, the subset, the
/// feature layout and the solver's order all come from it, and nothing depends on thread timing.
/// </summary>
public static class BaselineTrainer
{
    /// <summary>
    /// Trains on <paramref name="train"/> and evaluates on <paramref name="test"/>; when there is no
    /// test split, holds out a stratified part of <paramref name="train"/> (seeded).
    /// </summary>
    public static BaselineResult Run(LabeledRows train, LabeledRows? test, BaselineOptions options, Action<EpochLog>? onEpoch = null, CancellationToken cancellationToken = default)
    {
        var (splitSource, classes, index) = PreparedSplit.Prepare(ref train, ref test, options);

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var (vocabulary, rows) = TfidfVocabulary.Fit(train.Texts, new TextFeaturizer(options.HashBits));
        var featurizeSeconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
        var labels = train.Labels.Select(l => index[l]).ToArray();
        var epochs = new List<EpochLog>();
        var weights = LinearSvm.Train(
            rows,
            labels,
            classes.Length,
            new SvmOptions(options.C, options.MaxEpochs, options.Tolerance, options.Seed, options.MaxThreads),
            log =>
            {
                epochs.Add(log);
                onEpoch?.Invoke(log);
            },
            cancellationToken);
        var trainSeconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;

        var model = new BaselineModel(vocabulary, classes, weights);
        var scores = model.Score(test.Texts);
        var predicted = scores.Select(s => BaselineModel.ArgMax(s)).ToArray();
        var truth = test.Labels.Select(l => index[l]).ToArray();
        var eval = EvalReport.Compute(classes, truth, predicted);
        var predictions = new Prediction[test.Count];
        for (var i = 0; i < test.Count; i++)
        {
            var row = scores[i];
            var byLabel = new SortedDictionary<string, double>(StringComparer.Ordinal);
            for (var c = 0; c < classes.Length; c++)
            {
                byLabel[classes[c]] = Math.Round(row[c], 4);
            }

            predictions[i] = new Prediction(test.Texts[i], test.Labels[i], classes[predicted[i]], byLabel);
        }

        return new BaselineResult(model, eval, epochs, predictions, train.Count, test.Count, vocabulary.ColumnCount, splitSource, featurizeSeconds, trainSeconds);
    }
}
