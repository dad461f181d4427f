using MLIntern.Data.Reading;

namespace MLIntern.Data.Profiling;

/// <summary>
/// Picks the text and label columns from the header and the first records: a setting wins, then a
/// name hint (in the order of the lists below), then the content (the longest texts; the column with
/// few distinct short values).
/// </summary>
internal static class ColumnGuess
{
    public static readonly string[] TextHints = ["text", "sentence", "instruction", "utterance", "content", "review", "question", "query", "prompt", "document", "body", "message", "input", "comment", "tweet"];

    public static readonly string[] LabelHints = ["label", "labels", "intent", "category", "target", "class", "sentiment", "y", "tag", "topic"];

    public sealed record Result(ColumnRole Text, ColumnRole Label, IReadOnlyList<string> TextLike);

    public static Result Guess(IReadOnlyList<string> columns, IReadOnlyList<Record> sample, DataCheckOptions options, List<string> problems)
    {
        var stats = new List<(string Name, double MeanLength, double MeanWords, int Distinct, int Present, bool Numeric)>();
        for (var c = 0; c < columns.Count; c++)
        {
            var distinct = new HashSet<ulong>();
            long length = 0;
            long words = 0;
            var present = 0;
            var numeric = 0;
            foreach (var record in sample)
            {
                var value = record[c];
                if (value.IsEmpty)
                {
                    continue;
                }

                present++;
                distinct.Add(Hash64.Of(value));
                length += Utf8Text.Utf16Length(value);
                words += 1 + value.Count((byte)' ');
                if (record.Kind(c) == ValueKind.Number || double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _))
                {
                    numeric++;
                }
            }

            stats.Add((columns[c], present == 0 ? 0 : (double)length / present, present == 0 ? 0 : (double)words / present, distinct.Count, present, present > 0 && numeric == present));
        }

        var text = Pick(columns, options.TextColumn, TextHints, "text", problems, null);
        if (text is null)
        {
            var best = stats.Where(s => !s.Numeric && s.MeanLength >= 10).OrderByDescending(s => s.MeanWords).FirstOrDefault();
            text = best.Name is null ? new ColumnRole(null, "none") : new ColumnRole(best.Name, "content");
        }

        var label = Pick(columns, options.LabelColumn, LabelHints, "label", problems, text.Column);
        if (label is null)
        {
            // Few distinct, short values: the last such column (labels tend to come last).
            var rows = Math.Max(1, sample.Count);
            var candidate = stats.Where(s => s.Name != text.Column && s.Present > 0 && s.Distinct >= 2 && s.Distinct <= Math.Max(2, Math.Min(100, rows / 2)) && s.MeanWords < 4).LastOrDefault();
            label = candidate.Name is null ? new ColumnRole(null, "none") : new ColumnRole(candidate.Name, "content");
        }

        var textLike = stats.Where(s => s.Name == text.Column || (!s.Numeric && (s.MeanLength >= 15 || s.MeanWords >= 3))).Select(s => s.Name).ToList();
        return new Result(text, label, textLike);
    }

    private static ColumnRole? Pick(IReadOnlyList<string> columns, string? setting, string[] hints, string role, List<string> problems, string? exclude)
    {
        if (!string.IsNullOrEmpty(setting))
        {
            if (columns.Contains(setting))
            {
                return new ColumnRole(setting, "setting");
            }

            problems.Add($"the {role} column '{setting}' is not in the data (columns: {string.Join(", ", columns.Take(20))})");
        }

        foreach (var hint in hints)
        {
            var match = columns.FirstOrDefault(c => c != exclude && c.Equals(hint, StringComparison.OrdinalIgnoreCase));
            if (match is not null)
            {
                return new ColumnRole(match, "name");
            }
        }

        return null;
    }
}
