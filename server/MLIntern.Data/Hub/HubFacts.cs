namespace MLIntern.Data.Hub;

/// <summary>Whether the Hub asks a user to accept terms before the files of a data set can be read.</summary>
public enum HubGating
{
    /// <summary>Open to anyone (public) or to its owners (private).</summary>
    None,

    /// <summary>Access is granted as soon as the user accepts the terms.</summary>
    Auto,

    /// <summary>The owners review each request.</summary>
    Manual,
}

/// <summary>One data set as the Hub's search lists it: its id and what its tags and card say.</summary>
/// <param name="Sha">The revision (commit) the Hub reports; null when the answer omits it.</param>
/// <param name="SizeCategory">The card's size bucket, such as "1K&lt;n&lt;10K".</param>
public sealed record HubDatasetSummary(
    string Id,
    string? Sha,
    DateTimeOffset? LastModified,
    long? Downloads,
    long? Likes,
    IReadOnlyList<string> Tasks,
    IReadOnlyList<string> Languages,
    string? License,
    string? SizeCategory,
    HubGating Gated,
    bool Private);

/// <summary>One split of one configuration (the viewer's "subset"), with its size when the viewer knows it.</summary>
public sealed record HubSplit(string Config, string Split, long? Rows, long? Bytes);

/// <summary>A column as the viewer's first rows describe it; <paramref name="Type"/> is the feature's dtype or kind ("string", "int64", "ClassLabel").</summary>
public sealed record HubColumn(string Name, string Type);

/// <summary>How often one value of a categorical column occurs.</summary>
public sealed record HubValueCount(string Value, long Count);

/// <summary>
/// The viewer's statistics of one column. <paramref name="Kind"/> is its column type ("class_label",
/// "string_label", "string_text", "int", "float", "bool", "list", "audio"); <paramref name="Frequencies"/>
/// is filled for the categorical kinds, Min/Max/Mean for the numeric ones and for text lengths.
/// </summary>
public sealed record HubColumnStatistics(
    string Name,
    string Kind,
    long NullCount,
    long? Unique,
    IReadOnlyList<HubValueCount> Frequencies,
    double? Min,
    double? Max,
    double? Mean)
{
    /// <summary>True for the column types whose values are classes.</summary>
    public bool IsCategorical => Kind is "class_label" or "string_label" or "bool";
}

/// <summary>The statistics of one split; <paramref name="Partial"/> is the viewer's flag that they cover only the first part of the data.</summary>
public sealed record HubSplitStatistics(string Config, string Split, long Rows, bool Partial, IReadOnlyList<HubColumnStatistics> Columns);

/// <summary>One Parquet file of the viewer's conversion: where it is and how many bytes it has.</summary>
public sealed record HubParquetFile(string Config, string Split, string Url, string FileName, long Size);

/// <summary>Something ML Intern wants a user to know before training on a data set; <paramref name="Code"/> is one of <see cref="HubWarnings"/>' constants.</summary>
public sealed record HubWarning(string Code, string Message);

/// <summary>
/// Everything `datasets info` shows: the Hub's summary, the viewer's splits, columns, first rows and
/// statistics of one split, the label column ML Intern picked, its warnings, and what could not be read
/// (<paramref name="Problems"/>: a viewer endpoint that failed does not hide what the others said).
/// </summary>
public sealed record HubDatasetDetails(
    HubDatasetSummary Summary,
    string? Description,
    IReadOnlyList<HubSplit> Splits,
    IReadOnlyList<HubColumn> Columns,
    IReadOnlyList<IReadOnlyDictionary<string, string>> FirstRows,
    HubSplitStatistics? Statistics,
    string? LabelColumn,
    IReadOnlyList<HubWarning> Warnings,
    IReadOnlyList<string> Problems);
