using System.Text;
using MLIntern.Data.Profiling;
using MLIntern.Data.Reading;

namespace MLIntern.Data.Tests;

/// <summary>Builds in-memory data sets for the tests.</summary>
internal static class Profiles
{
    public static DataFile File(string path, string content) => File(path, Encoding.UTF8.GetBytes(content));

    public static DataFile File(string path, byte[] bytes) =>
        new(path, DataFormats.FromFileName(path) ?? DataFormat.Csv, () => new MemoryStream(bytes, writable: false));

    public static DatasetProfile One(string path, string content, DataCheckOptions? options = null) =>
        DatasetProfiler.Profile([new DataSplit("all", [File(path, content)])], options ?? new DataCheckOptions());

    public static DatasetProfile Splits(params (string Split, string Path, string Content)[] files) =>
        DatasetProfiler.Profile([.. files.Select(f => new DataSplit(f.Split, [File(f.Path, f.Content)]))], new DataCheckOptions());

    public static CheckResult Check(this DatasetProfile profile, string code) => profile.Checks.Single(c => c.Code == code);

    public static string Csv(IEnumerable<(string Text, string Label)> rows)
    {
        var b = new StringBuilder("text,label\n");
        foreach (var (text, label) in rows)
        {
            b.Append('"').Append(text.Replace("\"", "\"\"", StringComparison.Ordinal)).Append("\",").Append(label).Append('\n');
        }

        return b.ToString();
    }

    private static readonly string[] Words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango", "uniform", "victor", "whiskey", "xray", "yankee", "zulu", "red", "green", "blue", "yellow", "order", "refund", "account", "parcel", "invoice", "coupon", "screen", "router", "ticket", "window"];

    /// <summary>Distinct random sentences of 12 words: pairs share few shingles, so nothing is a near-duplicate by chance.</summary>
    public static List<string> Sentences(int count, int seed)
    {
        var random = new Random(seed);
        var result = new List<string>();
        var seen = new HashSet<string>();
        while (result.Count < count)
        {
            var s = string.Join(' ', Enumerable.Range(0, 12).Select(_ => Words[random.Next(Words.Length)]));
            if (seen.Add(s))
            {
                result.Add(s);
            }
        }

        return result;
    }

    /// <summary>A balanced clean data set: 4 classes of 20 distinct sentences.</summary>
    public static List<(string Text, string Label)> Clean(int seed = 1) =>
        [.. Sentences(80, seed).Select((s, i) => (s, $"class_{i % 4}"))];
}
