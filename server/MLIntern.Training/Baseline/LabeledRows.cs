using MLIntern.Data.Profiling;
using MLIntern.Data.Reading;

namespace MLIntern.Training.Baseline;

/// <summary>Texts and their labels, as read from a data set; rows missing either are skipped and counted.</summary>
public sealed record LabeledRows(IReadOnlyList<string> Texts, IReadOnlyList<string> Labels, int Skipped)
{
    public int Count => Texts.Count;

    /// <summary>
    /// Reads the text and label columns of a split through the data set readers (the host opens the
    /// files). Malformed records are skipped by the readers and counted; so are rows missing a value.
    /// </summary>
    public static LabeledRows Read(DataSplit split, string textColumn, string labelColumn, int maxRows = int.MaxValue, CancellationToken cancellationToken = default)
    {
        var texts = new List<string>();
        var labels = new List<string>();
        var skipped = 0;
        var record = new Record();
        foreach (var file in split.Files)
        {
            using var stream = file.Open();
            using var reader = RecordReaders.Open(file.Format, stream, new MalformedSink());
            int textAt = -1, labelAt = -1;
            while (texts.Count < maxRows && reader.Read(record))
            {
                cancellationToken.ThrowIfCancellationRequested();

                // JSON readers add columns as keys appear, so the positions are looked up until found.
                if (textAt < 0 || labelAt < 0)
                {
                    textAt = IndexOf(reader.Columns, textColumn);
                    labelAt = IndexOf(reader.Columns, labelColumn);
                }

                if (textAt < 0 || labelAt < 0 || record.Kind(textAt) == ValueKind.Missing || record.Kind(labelAt) == ValueKind.Missing)
                {
                    skipped++;
                    continue;
                }

                var label = record.Text(labelAt).Trim();
                if (label.Length == 0)
                {
                    skipped++;
                    continue;
                }

                var text = record.Text(textAt);
                if (string.IsNullOrWhiteSpace(text))
                {
                    skipped++;
                    continue;
                }

                texts.Add(text);
                labels.Add(label);
            }

            skipped += reader.Skipped;
        }

        return new LabeledRows(texts, labels, skipped);
    }

    private static int IndexOf(IReadOnlyList<string> columns, string name)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if (columns[i] == name)
            {
                return i;
            }
        }

        return -1;
    }

    public LabeledRows Concat(LabeledRows other) =>
        new([.. Texts.Concat(other.Texts)], [.. Labels.Concat(other.Labels)], Skipped + other.Skipped);

    public LabeledRows Take(IEnumerable<int> indices)
    {
        var list = indices.ToList();
        return new LabeledRows([.. list.Select(i => Texts[i])], [.. list.Select(i => Labels[i])], 0);
    }
}

/// <summary>The stratified train/test split used when a data set has no test split.</summary>
public static class StratifiedSplit
{
    /// <summary>
    /// Per class (in ordinal label order), shuffles the row indices with a generator seeded by
    /// <paramref name="seed"/> and puts round(n × testFraction) of them in the test part — at least one
    /// when the class has two or more rows, none when it has one. Indices come back sorted.
    /// </summary>
    public static (int[] Train, int[] Test) Split(IReadOnlyList<string> labels, double testFraction, int seed)
    {
        var random = new Random(seed);
        var train = new List<int>();
        var test = new List<int>();
        foreach (var group in Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var indices = group.ToArray();
            random.Shuffle(indices);
            var take = indices.Length < 2 ? 0 : Math.Clamp((int)Math.Round(indices.Length * testFraction, MidpointRounding.AwayFromZero), 1, indices.Length - 1);
            test.AddRange(indices.Take(take));
            train.AddRange(indices.Skip(take));
        }

        train.Sort();
        test.Sort();
        return ([.. train], [.. test]);
    }

    /// <summary>A stratified subset of about <paramref name="count"/> rows (each class keeps at least one): the smoke test's rows.</summary>
    public static int[] Subset(IReadOnlyList<string> labels, int count, int seed)
    {
        if (count >= labels.Count)
        {
            return [.. Enumerable.Range(0, labels.Count)];
        }

        var random = new Random(seed);
        var chosen = new List<int>();
        foreach (var group in Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var indices = group.ToArray();
            random.Shuffle(indices);
            var take = Math.Max(1, (int)Math.Round((double)indices.Length * count / labels.Count));
            chosen.AddRange(indices.Take(take));
        }

        chosen.Sort();
        return [.. chosen];
    }
}
