using Core = MLIntern.Data.Hub;

namespace MLIntern.Server.Protocol;

// mlintern/searchDatasets, datasetInfo, planDatasetDownload, downloadDataset: data set research on the
// Hugging Face Hub, mapped by hand from MLIntern.Data's Hub records and the host's download plan.

/// <summary>Parameters of mlintern/searchDatasets: words to search for and the Hub's filters (task category, language, license).</summary>
internal sealed class SearchDatasetsParams
{
    public string? Query { get; set; }

    public string? Task { get; set; }

    public string? Language { get; set; }

    public string? License { get; set; }

    /// <summary>downloads (default), likes, lastModified, trendingScore or createdAt.</summary>
    public string? Sort { get; set; }

    /// <summary>1 to 100; 20 when absent.</summary>
    public int? Limit { get; set; }
}

internal sealed record SearchDatasetsResult(IReadOnlyList<HubDataset> Datasets);

/// <summary>One Hub data set: id, revision, tags and card facts; gated is "none", "auto" or "manual".</summary>
internal sealed record HubDataset(string Id, string? Sha, DateTimeOffset? LastModified, long? Downloads, long? Likes, IReadOnlyList<string> Tasks, IReadOnlyList<string> Languages, string? License, string? SizeCategory, string Gated, bool Private)
{
    public static HubDataset From(Core.HubDatasetSummary s) =>
        new(s.Id, s.Sha, s.LastModified, s.Downloads, s.Likes, s.Tasks, s.Languages, s.License, s.SizeCategory, s.Gated switch { Core.HubGating.Auto => "auto", Core.HubGating.Manual => "manual", _ => "none" }, s.Private);
}

/// <summary>Parameters of mlintern/datasetInfo: the data set id, and the config and split to describe (defaults: `default`, train).</summary>
internal sealed class DatasetInfoParams
{
    public string Id { get; set; } = "";

    public string? Config { get; set; }

    public string? Split { get; set; }
}

/// <summary>mlintern/datasetInfo's answer: what `mlintern datasets info` shows.</summary>
internal sealed record DatasetInfoResult(
    HubDataset Summary,
    string? Description,
    IReadOnlyList<HubSplitInfo> Splits,
    IReadOnlyList<HubColumnInfo> Columns,
    IReadOnlyList<IReadOnlyDictionary<string, string>> FirstRows,
    HubStatisticsInfo? Statistics,
    string? LabelColumn,
    IReadOnlyList<HubWarningInfo> Warnings,
    IReadOnlyList<string> Problems)
{
    public static DatasetInfoResult From(Core.HubDatasetDetails d) => new(
        HubDataset.From(d.Summary),
        d.Description,
        [.. d.Splits.Select(s => new HubSplitInfo(s.Config, s.Split, s.Rows, s.Bytes))],
        [.. d.Columns.Select(c => new HubColumnInfo(c.Name, c.Type))],
        d.FirstRows,
        d.Statistics is { } st ? new HubStatisticsInfo(st.Config, st.Split, st.Rows, st.Partial, [.. st.Columns.Select(HubColumnStatisticsInfo.From)]) : null,
        d.LabelColumn,
        [.. d.Warnings.Select(w => new HubWarningInfo(w.Code, w.Message))],
        d.Problems);
}

internal sealed record HubSplitInfo(string Config, string Split, long? Rows, long? Bytes);

internal sealed record HubColumnInfo(string Name, string Type);

internal sealed record HubStatisticsInfo(string Config, string Split, long Rows, bool Partial, IReadOnlyList<HubColumnStatisticsInfo> Columns);

/// <summary>One column's statistics; kind is the viewer's column type, frequencies (most frequent first) for categorical columns.</summary>
internal sealed record HubColumnStatisticsInfo(string Name, string Kind, long NullCount, long? Unique, IReadOnlyList<HubValueCountInfo> Frequencies, double? Min, double? Max, double? Mean)
{
    public static HubColumnStatisticsInfo From(Core.HubColumnStatistics c) =>
        new(c.Name, c.Kind, c.NullCount, c.Unique, [.. c.Frequencies.Select(f => new HubValueCountInfo(f.Value, f.Count))], c.Min, c.Max, c.Mean);
}

internal sealed record HubValueCountInfo(string Value, long Count);

/// <summary>A warning about a Hub data set; code is gated, private, no-license, tiny-classes, label-looks-like-text or partial-statistics.</summary>
internal sealed record HubWarningInfo(string Code, string Message);

/// <summary>Parameters of mlintern/planDatasetDownload: which data set, config and split (all when absent), into which folder of the workspace (default data/hub/ORG/NAME).</summary>
internal class PlanDatasetDownloadParams : WorkspaceParams
{
    public string Id { get; set; } = "";

    public string? Config { get; set; }

    public string? Split { get; set; }

    /// <summary>Relative to the workspace folder.</summary>
    public string? Directory { get; set; }
}

/// <summary>
/// What a download would write, for the approval dialog: every file and its size, the total, the
/// license and revision, and the hash of exactly this plan, which mlintern/downloadDataset must be given back.
/// </summary>
internal sealed record DatasetDownloadPlan(string Id, string? Revision, string? License, string Config, string Directory, IReadOnlyList<DownloadFileInfo> Files, long TotalBytes, bool Partial, IReadOnlyList<HubWarningInfo> Warnings, string Hash);

internal sealed record DownloadFileInfo(string Path, string Split, long Size);

/// <summary>Parameters of mlintern/downloadDataset: the plan's parameters again, the hash of the plan the user approved, and optionally a progress token.</summary>
internal sealed class DownloadDatasetParams : PlanDatasetDownloadParams
{
    public string ApprovedHash { get; set; } = "";

    public object? WorkDoneToken { get; set; }
}

/// <summary>mlintern/downloadDataset's answer: the folder (a data set the Dataset view can open), the provenance file and the files written.</summary>
internal sealed record DownloadDatasetResult(string Directory, string ProvenancePath, IReadOnlyList<DownloadFileInfo> Files, long TotalBytes);
