using System.Collections.Concurrent;
using MLIntern.Data.Profiling;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Engine;

/// <summary>
/// Data set facts and profiles by path, cached by content: an entry is current while every file keeps
/// its size and write time (checked on each ask, no read); when those change, the files' content hashes
/// decide, so a file touched, checked out again or downloaded again with the same bytes is not profiled
/// again. A file of the Hugging Face cache is a link into `blobs/`, whose name is the content's hash, so
/// it is never read for its hash. Each ask passes the editor's "mlintern.data" settings it is made under
/// (null: pyproject.toml's only); an entry is kept per path and settings, so asks under different
/// settings neither see nor evict each other's. Thread-safe; nothing in it is set from outside.
/// </summary>
internal sealed class DatasetFactsService
{
    private readonly ConcurrentDictionary<(string Path, string Settings), Entry> _entries = new();

    private sealed record Entry(string Version, string ContentVersion, Lazy<DatasetProfile> Profile, DatasetFacts Facts);

    /// <summary>How many profiles were computed (not found in the cache); for tests.</summary>
    public int ProfilesComputed => _computed;

    private int _computed;

    /// <summary>The facts of the data set a path belongs to, or null when it is not a data set.</summary>
    public DatasetFacts? GetFacts(string path, JObject? dataSettings, CancellationToken cancellationToken = default) =>
        Get(path, dataSettings, cancellationToken, null)?.Facts;

    /// <summary>The profile; <paramref name="progress"/> (bytes read, bytes in all) is called from the profiling thread when it has to be computed.</summary>
    public DatasetProfile? GetProfile(string path, JObject? dataSettings, CancellationToken cancellationToken = default, Action<long, long>? progress = null) =>
        Get(path, dataSettings, cancellationToken, progress)?.Profile.Value;

    /// <summary>Bytes a profile of the path would read now: 0 when it is cached and current, or not a data set.</summary>
    public long PendingBytes(string path, JObject? dataSettings)
    {
        var full = Path.GetFullPath(path);
        var splits = DataSets.Discover(full);
        if (splits.Count == 0 || (_entries.TryGetValue((full, Key(dataSettings)), out var cached) && cached.Version == Version(splits, dataSettings)))
        {
            return 0;
        }

        return splits.SelectMany(s => s.Files).Sum(f => new FileInfo(f.Path) is { Exists: true } info ? info.Length : 0);
    }

    private Entry? Get(string path, JObject? dataSettings, CancellationToken cancellationToken, Action<long, long>? progress)
    {
        var full = Path.GetFullPath(path);
        var splits = DataSets.Discover(full);
        if (splits.Count == 0)
        {
            return null;
        }

        var key = (full, Key(dataSettings));
        var version = Version(splits, dataSettings);
        if (_entries.TryGetValue(key, out var cached))
        {
            if (cached.Version == version)
            {
                return cached;
            }

            // Sizes or times moved: the same bytes keep the profile (its facts carry the new version).
            if (ContentVersion(splits, dataSettings, cancellationToken) == cached.ContentVersion)
            {
                var kept = cached with { Version = version, Facts = DatasetFacts.From(full, version, cached.Profile.Value) };
                _entries[key] = kept;
                return kept;
            }
        }

        var options = DataSets.Options(full, dataSettings, []);
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
        Interlocked.Increment(ref _computed);
        var entry = new Entry(version, ContentVersion(splits, dataSettings, cancellationToken), new Lazy<DatasetProfile>(profile), DatasetFacts.From(full, version, profile));
        _entries[key] = entry;
        return entry;
    }

    public void Invalidate(string path)
    {
        var full = Path.GetFullPath(path);
        foreach (var key in _entries.Keys.Where(k => k.Path == full))
        {
            _entries.TryRemove(key, out _);
        }
    }

    private static string Key(JObject? settings) => settings?.ToString(Newtonsoft.Json.Formatting.None) ?? "";

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

    /// <summary>The content of a data set: each file's content hash (a Hub cache blob's name, else SHA-256 of its bytes), and the settings.</summary>
    private static string ContentVersion(IReadOnlyList<DataSplit> splits, JObject? settings, CancellationToken cancellationToken)
    {
        var parts = new List<string> { Key(settings) };
        foreach (var file in splits.SelectMany(s => s.Files))
        {
            parts.Add($"{file.Path}:{ContentHash(file.Path, cancellationToken)}");
        }

        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join("|", parts))))[..32];
    }

    /// <summary>A file's content hash; "missing" or "unreadable" when it has none.</summary>
    internal static string ContentHash(string path, CancellationToken cancellationToken)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                return "missing";
            }

            // The Hub cache: snapshots/<revision>/<file> links to blobs/<sha256 or git sha1 of the bytes>.
            if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target
                && Path.GetFileName(Path.GetDirectoryName(target.FullName)) == "blobs" && target.Name.Length >= 40 && target.Name.All(char.IsAsciiHexDigit))
            {
                return "blob:" + target.Name.ToLowerInvariant();
            }

            if (RegularFiles.WhyNot(path) is not null)
            {
                return "unreadable";
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, FileOptions.SequentialScan);
            using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
            var buffer = new byte[1 << 16];
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                sha.AppendData(buffer, 0, read);
            }

            return Convert.ToHexString(sha.GetHashAndReset());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "unreadable";
        }
    }

    /// <summary>The version of a data set: its files' sizes and write times, and the settings it is profiled with.</summary>
    private static string Version(IReadOnlyList<DataSplit> splits, JObject? settings)
    {
        var parts = new List<string> { Key(settings) };
        foreach (var file in splits.SelectMany(s => s.Files))
        {
            var info = new FileInfo(file.Path);
            parts.Add(info.Exists ? $"{file.Path}:{info.Length}:{info.LastWriteTimeUtc.Ticks}" : $"{file.Path}:missing");
        }

        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join("|", parts))))[..16];
    }
}
