namespace MLIntern.Training.Baseline;

/// <summary>
/// The rows both built-in baselines train and test on, prepared one way: the data set's own test split,
/// or a stratified hold-out of the training rows (seeded); the training rows capped by
/// <see cref="BaselineOptions.MaxTrainRows"/>; the classes in ordinal order with their indexes.
/// </summary>
public static class PreparedSplit
{
    /// <summary>Replaces <paramref name="train"/> and <paramref name="test"/> with the rows to use; answers where the test rows came from and the classes.</summary>
    public static (string SplitSource, string[] Classes, Dictionary<string, int> Index) Prepare(ref LabeledRows train, [System.Diagnostics.CodeAnalysis.NotNull] ref LabeledRows? test, BaselineOptions options)
    {
        var splitSource = "test split";
        if (test is null || test.Count == 0)
        {
            var (trainIndices, testIndices) = StratifiedSplit.Split(train.Labels, options.TestFraction, options.Seed);
            (train, test) = (train.Take(trainIndices), train.Take(testIndices));
            splitSource = $"stratified {options.TestFraction:0.##} hold-out, seed {options.Seed}";
        }

        if (options.MaxTrainRows is { } cap && cap < train.Count)
        {
            train = train.Take(StratifiedSplit.Subset(train.Labels, cap, options.Seed));
        }

        if (train.Count == 0)
        {
            throw new InvalidOperationException("no training rows with both a text and a label");
        }

        var classes = train.Labels.Concat(test.Labels).Distinct().Order(StringComparer.Ordinal).ToArray();
        var index = classes.Select((label, i) => (label, i)).ToDictionary(p => p.label, p => p.i, StringComparer.Ordinal);
        return (splitSource, classes, index);
    }
}
