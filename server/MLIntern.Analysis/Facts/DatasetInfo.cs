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
/// <param name="Display">How messages name the data set when the path as written would not say it
/// ("the Hub data set org/name (cached revision 1a2b3c4)"); null: the path as the script writes it.</param>
public sealed record DatasetInfo(
    string Path,
    IReadOnlyList<string> Columns,
    string? TextColumn,
    string? LabelColumn,
    int? ClassCount,
    bool LabelsAreStrings,
    IReadOnlyList<string> Splits,
    string? Display = null);

/// <summary>
/// Finds the data set a script names (a path as written in the script), or null when it cannot be read.
/// A Hub data set loaded with `data_files=`, a config name, `data_dir=` or `revision=` is written as
/// huggingface_hub's file-system path, `hf://datasets/ORG/NAME[@REVISION]/PATH-IN-REPO`; a bare
/// `load_dataset("org/name")` as "org/name" (a local folder of that name wins over the Hub).
/// </summary>
public delegate DatasetInfo? DatasetLookup(string pathAsWritten);
