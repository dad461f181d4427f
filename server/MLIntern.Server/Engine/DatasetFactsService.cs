using System.Collections.Concurrent;
using MLIntern.Data.Profiling;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Engine;

/// <summary>
/// Data set facts and profiles by path, cached and versioned: the version is every file's size and
/// write time, so a change to any split invalidates the entry on the next ask. Thread-safe; one
/// computation per path at a time.
/// </summary>
internal sealed class DatasetFactsService
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private sealed record Entry(string Version, Lazy<DatasetProfile> Profile, DatasetFacts Facts);

    public JObject? EditorSettings { get; set; }

    /// <summary>The facts of the data set a path belongs to, or null when it is not a data set.</summary>
    public DatasetFacts? GetFacts(string path, CancellationToken cancellationToken = default) =>
        Get(path, cancellationToken, null)?.Facts;

    /// <summary>The profile; <paramref name="progress"/> (bytes read, bytes in all) is called from the profiling thread when it has to be computed.</summary>
    public DatasetProfile? GetProfile(string path, CancellationToken cancellationToken = default, Action<long, long>? progress = null) =>
        Get(path, cancellationToken, progress)?.Profile.Value;

    /// <summary>Bytes a profile of the path would read now: 0 when it is cached and current, or not a data set.</summary>
    public long PendingBytes(string path)
    {
        var full = Path.GetFullPath(path);
        var splits = DataSets.Discover(full);
        if (splits.Count == 0 || (_entries.TryGetValue(full, out var cached) && cached.Version == Version(splits, EditorSettings)))
        {
            return 0;
        }

        return splits.SelectMany(s => s.Files).Sum(f => new FileInfo(f.Path) is { Exists: true } info ? info.Length : 0);
    }

    private Entry? Get(string path, CancellationToken cancellationToken, Action<long, long>? progress)
    {
        var full = Path.GetFullPath(path);
        var splits = DataSets.Discover(full);
        if (splits.Count == 0)
        {
            return null;
        }

        var version = Version(splits, EditorSettings);
        if (_entries.TryGetValue(full, out var cached) && cached.Version == version)
        {
            return cached;
        }

        var options = DataSets.Options(full, EditorSettings?["data"] as JObject ?? EditorSettings, []);
        DatasetProfiler profiler;
        if (progress is null)
        {
            profiler = new DatasetProfiler(splits, options);
        }
        else
        {
            var counted = Counted(full, progress, out var position);
            profiler = new DatasetProfiler(counted, options) { Progress = _ => position() };
        }

        var profile = profiler.Run(cancellationToken);
        var entry = new Entry(version, new Lazy<DatasetProfile>(profile), DatasetFacts.From(full, version, profile));
        _entries[full] = entry;
        return entry;
    }

    public void Invalidate(string path) => _entries.TryRemove(Path.GetFullPath(path), out _);

    /// <summary>The data set's splits with files opened so that <paramref name="report"/> gets the bytes read; <paramref name="position"/> reports them (called on the reading thread).</summary>
    private static IReadOnlyList<DataSplit> Counted(string full, Action<long, long> report, out Action position)
    {
        var splits = DataSets.Discover(full);
        var total = splits.SelectMany(s => s.Files).Sum(f => new FileInfo(f.Path) is { Exists: true } info ? info.Length : 0);
        long before = 0;
        Stream? current = null;
        long currentLength = 0;
        position = () => report(before + (current is { CanSeek: true } s ? Math.Min(s.Position, currentLength) : 0), total);
        return DataSets.Discover(full, p =>
        {
            before += currentLength;
            var stream = DataSets.OpenFile(p);
            current = stream;
            currentLength = stream.Length;
            return stream;
        });
    }

    /// <summary>The version of a data set: its files' sizes and write times, and the settings it is profiled with.</summary>
    private static string Version(IReadOnlyList<DataSplit> splits, JObject? settings)
    {
        var parts = new List<string> { settings?.ToString(Newtonsoft.Json.Formatting.None) ?? "" };
        foreach (var file in splits.SelectMany(s => s.Files))
        {
            var info = new FileInfo(file.Path);
            parts.Add(info.Exists ? $"{file.Path}:{info.Length}:{info.LastWriteTimeUtc.Ticks}" : $"{file.Path}:missing");
        }

        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join("|", parts))))[..16];
    }
}
