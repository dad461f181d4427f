using System.Text.RegularExpressions;

namespace MLIntern.Training.Evaluation;

/// <summary>One evaluated example: the text, its true label, the prediction, the scores (may be empty) and its category when the data set has one.</summary>
public sealed record EvaluatedRow(string Text, string Label, string Predicted, IReadOnlyDictionary<string, double> Scores, string? Category = null)
{
    public bool Correct => Label == Predicted;
}

/// <summary>A pair of classes the model mixes up: how often the true label was predicted as the other, with example texts.</summary>
public sealed record ConfusedPair(string Label, string Predicted, int Count, double ShareOfLabel, IReadOnlyList<string> Examples)
{
    public IReadOnlyList<string> Examples { get; init => field = Secrets.Redact(value); } = Secrets.Redact(Examples);
}

/// <summary>A wrong prediction with the confidence it was made with (null without scores).</summary>
public sealed record Misclassified(string Text, string Label, string Predicted, double? Confidence)
{
    public string Text { get; init => field = Secrets.Redact(value); } = Secrets.Redact(Text);
}

/// <summary>A slice of the test rows: how many, how many wrong, its accuracy and macro-F1, and the gap to the overall accuracy.</summary>
public sealed record FailureSlice(string Kind, string Name, int Count, int Errors, double Accuracy, double MacroF1, double AccuracyGap)
{
    /// <summary>A weak slice has at least this many rows: on fewer, one or two mistakes make any gap.</summary>
    public const int WeakMinRows = 5;

    /// <summary>…and an accuracy at least this far below the overall accuracy.</summary>
    public const double WeakGap = -0.05;

    /// <summary>
    /// The one definition of a weak slice: what the text report lists, the editor marks and the
    /// suggestions draw on (a suggestion asks for a larger gap still).
    /// </summary>
    public bool Weak => Count >= WeakMinRows && AccuracyGap <= WeakGap;
}

/// <summary>
/// Where the model fails: confused pairs, confident mistakes, and slices of the test rows —
/// text length in words, unfilled placeholders (<c>{{...}}</c>), upper case, noisy spelling,
/// and the data set's category column when there is one.
/// </summary>
public static partial class FailureAnalysis
{
    public static IReadOnlyList<ConfusedPair> ConfusedPairs(IReadOnlyList<EvaluatedRow> rows, int top = 10, int examples = 3)
    {
        var supports = rows.GroupBy(r => r.Label, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return [.. rows.Where(r => !r.Correct)
            .GroupBy(r => (r.Label, r.Predicted))
            .Select(g => new ConfusedPair(g.Key.Label, g.Key.Predicted, g.Count(), (double)g.Count() / supports[g.Key.Label], [.. g.Select(r => r.Text).Take(examples)]))
            .OrderByDescending(p => p.Count)
            .ThenBy(p => p.Label, StringComparer.Ordinal)
            .ThenBy(p => p.Predicted, StringComparer.Ordinal)
            .Take(top)];
    }

    /// <summary>Wrong predictions, the most confident first (those are the ones to read: a label error or a shortcut).</summary>
    public static IReadOnlyList<Misclassified> RankedMistakes(IReadOnlyList<EvaluatedRow> rows, string? calibrationSource, int top = 25)
    {
        var probabilities = calibrationSource == Calibration.FromProbabilities;
        return [.. rows.Where(r => !r.Correct)
            .Select(r => new Misclassified(r.Text, r.Label, r.Predicted, r.Scores.Count == 0 ? null : Calibration.Confidence(r, probabilities)))
            .OrderByDescending(m => m.Confidence ?? 0)
            .ThenBy(m => m.Text, StringComparer.Ordinal)
            .Take(top)];
    }

    /// <summary>Length buckets in words: the upper bounds (inclusive); the last bucket is open.</summary>
    public static readonly int[] LengthBuckets = [3, 7, 15, 31];

    public static IReadOnlyList<FailureSlice> Slices(IReadOnlyList<EvaluatedRow> rows, double overallAccuracy)
    {
        var slices = new List<FailureSlice>();
        foreach (var group in rows.GroupBy(r => LengthBucket(WordCount(r.Text))).OrderBy(g => g.Key.Order))
        {
            slices.Add(Slice("length", group.Key.Name, [.. group], overallAccuracy));
        }

        AddFlag(slices, rows, overallAccuracy, "placeholder", "has {{placeholder}}", r => HasPlaceholder(r.Text));
        AddFlag(slices, rows, overallAccuracy, "case", "upper case", r => IsUpperCase(r.Text));
        AddFlag(slices, rows, overallAccuracy, "spelling", "noisy spelling", r => HasNoisySpelling(r.Text));
        if (rows.Any(r => r.Category is not null))
        {
            foreach (var group in rows.GroupBy(r => r.Category ?? "(none)", StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                slices.Add(Slice("category", group.Key, [.. group], overallAccuracy));
            }
        }

        return slices;
    }

    private static void AddFlag(List<FailureSlice> slices, IReadOnlyList<EvaluatedRow> rows, double overall, string kind, string name, Func<EvaluatedRow, bool> test)
    {
        var chosen = rows.Where(test).ToArray();
        if (chosen.Length > 0)
        {
            slices.Add(Slice(kind, name, chosen, overall));
        }
    }

    private static FailureSlice Slice(string kind, string name, EvaluatedRow[] rows, double overall)
    {
        var metrics = ClassificationMetrics.Compute([.. rows.Select(r => r.Label)], [.. rows.Select(r => r.Predicted)]);
        return new FailureSlice(kind, name, rows.Length, rows.Count(r => !r.Correct), metrics.Accuracy, metrics.Macro.F1, metrics.Accuracy - overall);
    }

    private static (int Order, string Name) LengthBucket(int words)
    {
        var low = 1;
        for (var i = 0; i < LengthBuckets.Length; i++)
        {
            if (words <= LengthBuckets[i])
            {
                return (i, words == 0 ? "0 words" : $"{low}–{LengthBuckets[i]} words");
            }

            low = LengthBuckets[i] + 1;
        }

        return (LengthBuckets.Length, $"{low}+ words");
    }

    public static int WordCount(string text) => WordPattern().Count(text);

    public static bool HasPlaceholder(string text) => PlaceholderPattern().IsMatch(text);

    /// <summary>At least four letters and at least 80 % of them upper case.</summary>
    public static bool IsUpperCase(string text)
    {
        int letters = 0, upper = 0;
        foreach (var c in text)
        {
            if (char.IsLetter(c))
            {
                letters++;
                upper += char.IsUpper(c) ? 1 : 0;
            }
        }

        return letters >= 4 && upper >= 0.8 * letters;
    }

    /// <summary>
    /// A heuristic without a dictionary: a letter repeated three times in a row ("pleeease"), a word
    /// of five or more letters without a vowel, or five consonants in a row ("dleivry" does not
    /// match; "plsssss" does). It finds keyboard noise and stretched words, not every typo.
    /// </summary>
    public static bool HasNoisySpelling(string text)
    {
        foreach (Match word in WordPattern().Matches(text))
        {
            var w = word.Value.ToLowerInvariant();
            if (!w.All(char.IsAsciiLetter))
            {
                continue;
            }

            if (RepeatedLetter().IsMatch(w) || (w.Length >= 5 && w.IndexOfAny(['a', 'e', 'i', 'o', 'u', 'y']) < 0) || ConsonantRun().IsMatch(w))
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex(@"[\p{L}\p{N}']+")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"\{\{[^{}]{1,80}\}\}")]
    private static partial Regex PlaceholderPattern();

    [GeneratedRegex(@"([a-z])\1\1")]
    private static partial Regex RepeatedLetter();

    [GeneratedRegex(@"[bcdfghjklmnpqrstvwxz]{5}")]
    private static partial Regex ConsonantRun();
}
