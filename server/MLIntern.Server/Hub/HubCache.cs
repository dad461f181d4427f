namespace MLIntern.Server.Hub;

/// <summary>
/// Finds a Hub data set in the local Hugging Face cache, with no network: huggingface_hub's layout
/// `HF_HUB_CACHE/datasets--ORG--NAME/refs/REVISION` (a file holding the commit) and
/// `snapshots/COMMIT/…` (the repository's files, usually links into `blobs/`).
/// </summary>
internal static class HubCache
{
    /// <summary>A data set found in the cache: the file or folder to read, and the commit it is at.</summary>
    public sealed record Entry(string Path, string Id, string Commit)
    {
        /// <summary>How a message names it: "the Hub data set org/name (cached revision 1a2b3c4)".</summary>
        public string Display => $"the Hub data set {Id} (cached revision {Commit[..Math.Min(7, Commit.Length)]})";
    }

    private const string Prefix = "hf://datasets/";

    /// <summary>The cache folder the environment names (HF_HUB_CACHE, else HF_HOME/hub, else ~/.cache/huggingface/hub).</summary>
    public static string Folder() => HubSettings.CacheDirectoryFrom(Environment.GetEnvironmentVariable);

    /// <summary>`hf://datasets/ORG/NAME[@REVISION][/PATH]` split into its parts, or null for any other text.</summary>
    public static (string Id, string? Revision, string? Inner)? ParseHubPath(string written)
    {
        if (!written.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = written[Prefix.Length..].Split('/', 3);
        if (parts.Length < 2)
        {
            return null;
        }

        var name = parts[1];
        string? revision = null;
        if (name.IndexOf('@', StringComparison.Ordinal) is var at and > 0)
        {
            revision = name[(at + 1)..];
            name = name[..at];
        }

        var id = parts[0] + "/" + name;
        return HubDatasets.IsDatasetId(id) ? (id, revision, parts.Length == 3 && parts[2].Length > 0 ? parts[2] : null) : null;
    }

    /// <summary>The cached file or folder of <paramref name="id"/> at <paramref name="revision"/> (default main), or null when the cache does not hold it.</summary>
    public static Entry? Find(string cacheFolder, string id, string? revision, string? inner)
    {
        if (!HubDatasets.IsDatasetId(id) || (revision is not null && (revision.Contains("..", StringComparison.Ordinal) || Path.IsPathRooted(revision))))
        {
            return null;
        }

        try
        {
            var repo = Path.Combine(cacheFolder, "datasets--" + id.Replace("/", "--", StringComparison.Ordinal));
            var snapshots = Path.Combine(repo, "snapshots");
            if (!Directory.Exists(snapshots))
            {
                return null;
            }

            var reference = Path.Combine(repo, "refs", revision ?? "main");
            string commit;
            if (File.Exists(reference))
            {
                commit = File.ReadAllText(reference).Trim();
            }
            else if (revision is not null && Directory.Exists(Path.Combine(snapshots, revision)))
            {
                commit = revision;
            }
            else
            {
                return null;
            }

            var snapshot = Path.GetFullPath(Path.Combine(snapshots, commit));
            if (commit.Length == 0 || commit.Contains('/', StringComparison.Ordinal) || commit.Contains("..", StringComparison.Ordinal) || !Directory.Exists(snapshot))
            {
                return null;
            }

            var target = inner is null ? snapshot : Path.GetFullPath(Path.Combine(snapshot, inner));
            if (!target.StartsWith(snapshot, StringComparison.Ordinal) || !(File.Exists(target) || Directory.Exists(target)))
            {
                return null;
            }

            return new Entry(target, id, commit);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }
}
