namespace MLIntern.Analysis.Facts;

/// <summary>
/// What script rules may know about a data set a script loads: the host reads the file (the data
/// profiler's facts) and hands this over, so rules stay free of IO.
/// </summary>
/// <param name="Path">The file as the host resolved it.</param>
/// <param name="Columns">Column names in file order.</param>
/// <param name="LabelColumn">The guessed or configured label column, if any.</param>
/// <param name="ClassCount">Distinct values of the label column, when known.</param>
/// <param name="LabelsAreStrings">True when the label column holds text rather than integers.</param>
public sealed record DatasetInfo(
    string Path,
    IReadOnlyList<string> Columns,
    string? TextColumn,
    string? LabelColumn,
    int? ClassCount,
    bool LabelsAreStrings,
    IReadOnlyList<string> Splits);

/// <summary>Finds the data set a script names (a path as written in the script), or null when it cannot be read.</summary>
public delegate DatasetInfo? DatasetLookup(string pathAsWritten);
