using MLIntern.Findings;

namespace MLIntern.Data.Profiling;

/// <summary>
/// What the profiler knows in its one pass and shares with the checks: the splits in pass order
/// (train first), the settings, and the indexes every row is looked up in once — exact texts,
/// near-duplicate signatures, the label table — plus the column roles and the readers' malformed
/// records. The profiler fills it; a check reads it and never hashes a text again.
/// </summary>
internal sealed class DataPass
{
    public DataPass(IReadOnlyList<DataSplit> splits, DataCheckOptions options)
    {
        Splits = splits;
        Options = options;
        Labels = new LabelTable(splits.Count);
        Near = options.NearDuplicates ? new NearDuplicateIndex() : null;
    }

    /// <summary>In pass order: train, validation, test, then anything else.</summary>
    public IReadOnlyList<DataSplit> Splits { get; }

    public DataCheckOptions Options { get; }

    public ExactTextIndex Exact { get; } = new();

    /// <summary>Null when near-duplicate detection is turned off.</summary>
    public NearDuplicateIndex? Near { get; }

    public LabelTable Labels { get; }

    /// <summary>The column roles, chosen from the first records read; null until then (or for a data set with no rows).</summary>
    public ColumnGuess.Result? Roles { get; set; }

    /// <summary>The train split's label column's statistics, once a file with it has been seen.</summary>
    public ColumnProfiler? LabelColumn { get; set; }

    /// <summary>The readers' MLD012 findings, with their files, in reading order.</summary>
    public List<(string Path, Finding Finding)> Malformed { get; } = [];

    /// <summary>Files read to the end without a record or a malformed one (MLD013), with how many columns a header named.</summary>
    public List<(string Path, Reading.DataFormat Format, int Columns)> Empty { get; } = [];

    /// <summary>Whether the first split is a train split, the side evaluation splits must not overlap.</summary>
    public bool FirstIsTrain => Splits.Count > 0 && DatasetProfiler.SplitOrder(Splits[0].Name) == 0;

    /// <summary>Where data-set-level results are reported: the first file of the first split.</summary>
    public string? Home => Splits.Count > 0 && Splits[0].Files.Count > 0 ? Splits[0].Files[0].Path : null;

    public string TextName => Roles?.Text.Column ?? "text";

    public string LabelName => Roles?.Label.Column ?? "label";

    /// <summary>The caller's token, for the checks' work after the pass (MLD007's embedding).</summary>
    public CancellationToken Cancellation { get; set; }

    public string FirstPathOf(int split) => Splits[split].Files.Count > 0 ? Splits[split].Files[0].Path : Splits[split].Name;
}
