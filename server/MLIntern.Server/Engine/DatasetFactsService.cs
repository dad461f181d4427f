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
        Get(path, cancellationToken)?.Facts;

    public DatasetProfile? GetProfile(string path, CancellationToken cancellationToken = default) =>
        Get(path, cancellationToken)?.Profile.Value;

    private Entry? Get(string path, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        var splits = DataSets.Discover(full);
        if (splits.Count == 0)
        {
            return null;
        }

        var version = Version(splits);
        if (_entries.TryGetValue(full, out var cached) && cached.Version == version)
        {
            return cached;
        }

        var options = DataSets.Options(full, EditorSettings?["data"] as JObject ?? EditorSettings, []);
        var profile = DatasetProfiler.Profile(splits, options, cancellationToken);
        var entry = new Entry(version, new Lazy<DatasetProfile>(profile), DatasetFacts.From(full, version, profile));
        _entries[full] = entry;
        return entry;
    }

    public void Invalidate(string path) => _entries.TryRemove(Path.GetFullPath(path), out _);

    private static string Version(IReadOnlyList<DataSplit> splits)
    {
        var parts = new List<string>();
        foreach (var file in splits.SelectMany(s => s.Files))
        {
            var info = new FileInfo(file.Path);
            parts.Add(info.Exists ? $"{file.Path}:{info.Length}:{info.LastWriteTimeUtc.Ticks}" : $"{file.Path}:missing");
        }

        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join("|", parts))))[..16];
    }
}
