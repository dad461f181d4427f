namespace MLIntern.Data.Profiling;

/// <summary>
/// What other features need to know about a data set, without the profile's detail: the script
/// rules ask for the label column, the classes and whether labels are strings; the trainer for the
/// splits and the text column. <see cref="Version"/> changes whenever a file of the data set does.
/// </summary>
public sealed record DatasetFacts(
    string Path,
    string Version,
    IReadOnlyList<SplitFacts> Splits,
    string? TextColumn,
    string? LabelColumn,
    IReadOnlyList<string> Classes,
    bool ClassesComplete,
    string? LabelType,
    long Rows)
{
    public int ClassCount => Classes.Count;

    public bool LabelsAreStrings => LabelType == "string";

    public static DatasetFacts From(string path, string version, DatasetProfile profile) => new(
        path,
        version,
        [.. profile.Splits.Select(s => new SplitFacts(s.Name, [.. s.Files.Select(f => f.Path)], s.Rows))],
        profile.Text.Column,
        profile.Label.Column,
        profile.Labels is { } labels ? [.. labels.Counts.Select(c => c.Label).Order(StringComparer.Ordinal)] : [],
        profile.Labels?.ClassesComplete ?? true,
        profile.Labels?.ValueType,
        profile.Rows);
}

public sealed record SplitFacts(string Name, IReadOnlyList<string> Files, long Rows);
