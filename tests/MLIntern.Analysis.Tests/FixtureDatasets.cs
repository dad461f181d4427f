using MLIntern.Analysis.Facts;

namespace MLIntern.Analysis.Tests;

/// <summary>
/// Data set facts for fixtures, without the profiler: a fixture's `*.csv` beside it is read for its
/// header and its last column taken as the label — enough for rules that cross-check a script
/// against its data. The real host uses the data profiler.
/// </summary>
internal static class FixtureDatasets
{
    public static DatasetLookup Lookup(string folder) => path =>
    {
        var full = Path.Combine(folder, path);
        if (!File.Exists(full))
        {
            return null;
        }

        var rows = File.ReadAllLines(full).Where(l => l.Length > 0).Select(l => l.Split(',')).ToList();
        var header = rows[0];
        var labels = rows.Skip(1).Select(r => r[^1]).Distinct().ToList();
        return new DatasetInfo(full, header, header[0], header[^1], labels.Count, labels.Any(l => !int.TryParse(l, out _)), ["train"]);
    };
}
