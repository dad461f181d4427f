using System.Security.Cryptography;
using MLIntern.Data.Hub;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Hub;

/// <summary>One file of a planned download: where it comes from and where it goes.</summary>
internal sealed record PlannedFile(string Split, string Url, string LocalPath, long Size);

/// <summary>What a download would do, shown before anyone approves it: the files, their total size, the license and the revision.</summary>
internal sealed record DownloadPlan(string Id, string? Revision, string? License, string Config, string Directory, IReadOnlyList<PlannedFile> Files, bool Partial, IReadOnlyList<HubWarning> Warnings)
{
    public long TotalBytes => Files.Sum(f => f.Size);
}

/// <summary>The provenance file written beside downloaded files: which data set, revision and license they came from.</summary>
internal sealed record ProvenanceFile(string Path, long Size, string Sha256, string Split, string Url);

internal sealed record Provenance(string Source, string Id, string? Revision, string Config, string? License, DateTimeOffset DownloadedAt, bool Partial, IReadOnlyList<ProvenanceFile> Files);

/// <summary>
/// The host's data set research: a Hub entry and the viewer's answers gathered into one
/// <see cref="HubDatasetDetails"/>, and the download of a config's Parquet files (plan, then run).
/// A viewer endpoint that fails is a problem in the answer, not a failure of the whole info; the
/// Hub entry failing is (a data set the Hub does not show cannot be described).
/// </summary>
internal static class HubDatasets
{
    public const string ProvenanceFileName = "hub-provenance.json";

    /// <summary>Rows of the first rows kept for display.</summary>
    private const int MaxFirstRows = 10;

    public static async Task<HubDatasetDetails> InfoAsync(HubClient client, string id, string? config, string? split, CancellationToken cancellationToken)
    {
        var summary = await client.DatasetAsync(id, cancellationToken);
        var problems = new List<string>();

        async Task<JToken?> Viewer(string endpoint, string? c = null, string? s = null)
        {
            try
            {
                return await client.ViewerAsync(endpoint, id, cancellationToken, c, s);
            }
            catch (HubException e) when (e.Failure is not (HubFailure.Offline or HubFailure.RateLimited))
            {
                problems.Add($"{endpoint}: {e.Message}");
                return null;
            }
        }

        var valid = await Viewer("is-valid");
        var splits = await Viewer("splits") is { } splitsJson ? HubJson.Splits(splitsJson) : [];
        var chosenConfig = config ?? ChooseConfig(splits);
        var chosenSplit = split ?? ChooseSplit(splits.Where(s => s.Config == chosenConfig).Select(s => s.Split).ToList());
        string? description = null;
        if (chosenConfig is not null && await Viewer("info", chosenConfig) is { } infoJson)
        {
            var (text, sizes) = HubJson.Info(infoJson);
            description = text;
            splits = [.. splits.Select(s => s.Config == chosenConfig && sizes.TryGetValue(s.Split, out var size) ? s with { Rows = s.Rows ?? size.Rows, Bytes = s.Bytes ?? size.Bytes } : s)];
        }

        IReadOnlyList<HubColumn> columns = [];
        IReadOnlyList<IReadOnlyDictionary<string, string>> rows = [];
        HubSplitStatistics? statistics = null;
        if (chosenConfig is not null && chosenSplit is not null)
        {
            if (await Viewer("first-rows", chosenConfig, chosenSplit) is { } first)
            {
                (columns, rows) = HubJson.FirstRows(first, MaxFirstRows);
            }

            if (valid is null || HubJson.HasStatistics(valid))
            {
                if (await Viewer("statistics", chosenConfig, chosenSplit) is { } stats)
                {
                    statistics = HubJson.Statistics(stats, chosenConfig, chosenSplit);
                }
            }
            else
            {
                problems.Add("statistics: the dataset viewer has none for this data set");
            }
        }

        var label = HubWarnings.LabelColumn(columns, statistics);
        return new HubDatasetDetails(summary, description, splits, columns, rows, statistics, label, HubWarnings.For(summary, statistics, label), problems);
    }

    /// <summary>The files a download of <paramref name="config"/> (one split, or all) would write under <paramref name="directory"/>.</summary>
    public static async Task<DownloadPlan> PlanAsync(HubClient client, string id, string? config, string? split, string directory, CancellationToken cancellationToken)
    {
        var summary = await client.DatasetAsync(id, cancellationToken);
        var (files, partial) = await client.ParquetFilesAsync(id, cancellationToken);
        var configs = files.Select(f => f.Config).Distinct(StringComparer.Ordinal).ToList();
        var chosen = config ?? (configs.Contains("default") ? "default" : configs.FirstOrDefault());
        if (chosen is null || !configs.Contains(chosen))
        {
            throw new HubException(HubFailure.NotFound, configs.Count == 0
                ? $"{id}: the dataset viewer lists no Parquet files for it (not converted yet, or too big)"
                : $"{id}: no config `{chosen}`; it has {string.Join(", ", configs.Select(c => $"`{c}`"))} (choose one with --config)");
        }

        var selected = files.Where(f => f.Config == chosen && (split is null || f.Split == split)).ToList();
        if (selected.Count == 0)
        {
            var splits = files.Where(f => f.Config == chosen).Select(f => f.Split).Distinct(StringComparer.Ordinal);
            throw new HubException(HubFailure.NotFound, $"{id}: config `{chosen}` has no split `{split}`; it has {string.Join(", ", splits.Select(s => $"`{s}`"))}");
        }

        // Local names say their split first ("train-00000-of-00002.parquet"), the layout the Dataset view and `inspect` read as splits.
        var planned = new List<PlannedFile>();
        foreach (var group in selected.GroupBy(f => f.Split, StringComparer.Ordinal))
        {
            var shards = group.ToList();
            for (var i = 0; i < shards.Count; i++)
            {
                var name = $"{SafeName(group.Key)}-{i:D5}-of-{shards.Count:D5}.parquet";
                planned.Add(new PlannedFile(group.Key, shards[i].Url, Path.Combine(directory, name), shards[i].Size));
            }
        }

        var warnings = HubWarnings.For(summary, null, null);
        return new DownloadPlan(id, summary.Sha, summary.License, chosen, Path.GetFullPath(directory), planned, partial, warnings);
    }

    /// <summary>Runs an approved plan: each file resumable and size-checked, then the provenance file beside them.</summary>
    /// <param name="progress">(bytes done, bytes in all) after each read.</param>
    public static async Task<Provenance> DownloadAsync(HubClient client, DownloadPlan plan, Action<long, long>? progress, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(plan.Directory);
        long done = 0;
        var written = new List<ProvenanceFile>();
        foreach (var file in plan.Files)
        {
            var before = done;
            await client.DownloadAsync(plan.Id, new HubParquetFile(plan.Config, file.Split, file.Url, Path.GetFileName(file.LocalPath), file.Size), file.LocalPath,
                bytes => progress?.Invoke(before + bytes, plan.TotalBytes), cancellationToken);
            done += file.Size;
            written.Add(new ProvenanceFile(Path.GetFileName(file.LocalPath), file.Size, await Sha256Async(file.LocalPath, cancellationToken), file.Split, file.Url));
        }

        var provenance = new Provenance("huggingface-hub", plan.Id, plan.Revision, plan.Config, plan.License, DateTimeOffset.UtcNow, plan.Partial, written);
        var path = Path.Combine(plan.Directory, ProvenanceFileName);
        State.AtomicFile.WriteAllText(path, JsonConvert.SerializeObject(provenance, Protocol.ProtocolJson.Indented) + "\n");
        return provenance;
    }

    /// <summary>The hash of exactly what a plan downloads (data set, revision, config, license, every file's URL, name and size): what an approval names.</summary>
    public static string PlanHash(DownloadPlan plan)
    {
        var text = string.Join("\n", new[] { plan.Id, plan.Revision ?? "", plan.Config, plan.License ?? "", plan.Directory }
            .Concat(plan.Files.Select(f => $"{f.Url}|{Path.GetFileName(f.LocalPath)}|{f.Size}")));
        return Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..16];
    }

    /// <summary>The folder a download goes to by default: data/hub/ORG/NAME under the workspace.</summary>
    public static string DefaultDirectory(string workspace, string id) =>
        Path.Combine([workspace, "data", "hub", .. id.Split('/').Select(SafeName)]);

    /// <summary>True for "name" and "org/name" made of the characters the Hub allows in repo ids.</summary>
    public static bool IsDatasetId(string id) =>
        id.Length is > 0 and <= 200 && id.Split('/') is { Length: 1 or 2 } parts &&
        parts.All(p => p.Length > 0 && p != "." && p != ".." && p.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'));

    private static string? ChooseConfig(IReadOnlyList<HubSplit> splits) =>
        splits.Any(s => s.Config == "default") ? "default" : splits.FirstOrDefault()?.Config;

    private static string? ChooseSplit(IReadOnlyList<string> splits) =>
        splits.Contains("train") ? "train" : splits.FirstOrDefault();

    private static string SafeName(string part) => new([.. part.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')]);

    private static async Task<string> Sha256Async(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }
}
