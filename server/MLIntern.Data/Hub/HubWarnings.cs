using System.Globalization;
using MLIntern.Data.Profiling;

namespace MLIntern.Data.Hub;

/// <summary>
/// ML Intern's own reading of a Hub data set before anyone downloads it: which column holds the
/// labels, and what should make a user stop (gated, no license, classes too small to learn, a label
/// column that is really free text, statistics of only part of the data). Pure: it reads the facts
/// the host fetched.
/// </summary>
public static class HubWarnings
{
    public const string Gated = "gated";
    public const string Private = "private";
    public const string NoLicense = "no-license";
    public const string TinyClasses = "tiny-classes";
    public const string LabelLooksLikeText = "label-looks-like-text";
    public const string PartialStatistics = "partial-statistics";

    /// <summary>A class with fewer examples than this in a split cannot be learned or evaluated with any confidence.</summary>
    public const int TinyClassSize = 10;

    /// <summary>
    /// The label column: a `ClassLabel` column, else the first column whose name is a label hint
    /// (the same list the data profiler uses), categorical or not — a label that is text is a warning, not a reason to look elsewhere.
    /// </summary>
    public static string? LabelColumn(IReadOnlyList<HubColumn> columns, HubSplitStatistics? statistics)
    {
        if (statistics?.Columns.FirstOrDefault(c => c.Kind == "class_label") is { } classLabel)
        {
            return classLabel.Name;
        }

        if (columns.FirstOrDefault(c => c.Type == "ClassLabel") is { } feature)
        {
            return feature.Name;
        }

        var names = columns.Select(c => c.Name).Concat(statistics?.Columns.Select(c => c.Name) ?? []).Distinct(StringComparer.Ordinal).ToList();
        foreach (var hint in ColumnGuess.LabelHints)
        {
            if (names.FirstOrDefault(n => string.Equals(n, hint, StringComparison.OrdinalIgnoreCase)) is { } name)
            {
                return name;
            }
        }

        return null;
    }

    public static IReadOnlyList<HubWarning> For(HubDatasetSummary summary, HubSplitStatistics? statistics, string? labelColumn)
    {
        var warnings = new List<HubWarning>();
        if (summary.Gated != HubGating.None)
        {
            var review = summary.Gated == HubGating.Manual ? "its owners review each request" : "access is granted once you accept";
            warnings.Add(new HubWarning(Gated, $"gated: accept the terms on the Hub before downloading ({review}), then set HF_TOKEN or log in with `hf auth login`"));
        }

        if (summary.Private)
        {
            warnings.Add(new HubWarning(Private, "private: only a token with read access to it can download it"));
        }

        if (string.IsNullOrWhiteSpace(summary.License))
        {
            warnings.Add(new HubWarning(NoLicense, "no license on the card: training on it or publishing a model made from it may not be allowed"));
        }

        if (statistics is null)
        {
            return warnings;
        }

        if (statistics.Partial)
        {
            warnings.Add(new HubWarning(PartialStatistics, $"the statistics of {statistics.Split} cover only the first part of the split ({Count(statistics.Rows)} rows), not all of it"));
        }

        if (labelColumn is not null && statistics.Columns.FirstOrDefault(c => c.Name == labelColumn) is { } label)
        {
            if (label.Kind == "string_text")
            {
                warnings.Add(new HubWarning(LabelLooksLikeText, $"`{labelColumn}` looks like free text, not classes: the viewer found too many distinct values in {statistics.Split} to treat it as a category"));
            }
            else if (label.IsCategorical)
            {
                var tiny = label.Frequencies.Where(f => f.Count < TinyClassSize).OrderBy(f => f.Count).ThenBy(f => f.Value, StringComparer.Ordinal).ToList();
                if (tiny.Count > 0)
                {
                    var classes = tiny.Count == 1 ? "1 class" : $"{tiny.Count} classes";
                    var have = tiny.Count == 1 ? "has" : "have";
                    warnings.Add(new HubWarning(TinyClasses, $"{classes} of `{labelColumn}` {have} fewer than {TinyClassSize} examples in {statistics.Split} (smallest: `{tiny[0].Value}` with {tiny[0].Count}): too few to learn or to evaluate"));
                }
            }
        }

        return warnings;
    }

    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
