using MLIntern.Data.Profiling;
using MLIntern.Data.Reading;

namespace MLIntern.Data.Checks;

/// <summary>
/// One data rule's logic, made fresh for each profile from its <see cref="DataRules"/> entry. The
/// profiler reads the data once; a check never reads it again, and gives its result when the pass is over.
/// </summary>
internal interface IDataCheck
{
    CheckResult Finish();
}

/// <summary>A check that looks at every row during the pass, after the profiler has looked the row up in its shared indexes.</summary>
internal interface IRowCheck : IDataCheck
{
    void Row(in RowFacts row);
}

/// <summary>
/// One row as the checks see it: the record, where it is, its text and label, and what the shared
/// indexes said about its text. Lives only for the call; spans point into the record's buffer.
/// </summary>
internal ref struct RowFacts
{
    public DatasetProfiler.FileState File;
    public Record Record;
    public int Line;

    /// <summary>The text column's value (empty when there is no text column).</summary>
    public ReadOnlySpan<byte> Text;

    /// <summary>The text without surrounding whitespace; set when <see cref="HasText"/>.</summary>
    public ReadOnlySpan<byte> Trimmed;

    public bool TextMissing;
    public bool LabelMissing;

    /// <summary>The label's class id in the label table; negative when there is none.</summary>
    public int Label;

    /// <summary>What the exact-text index said; null when the row has no text to look up (missing or only whitespace).</summary>
    public ExactTextIndex.Outcome? Exact;

    /// <summary>On a repeat, the text's first occurrence.</summary>
    public ExactTextIndex.Seen Seen;

    /// <summary>The text's hash, the exact-text index's key.</summary>
    public ulong Hash;

    /// <summary>What one observation counts for at the exact-text index's sampling level.</summary>
    public long Weight;

    /// <summary>For a text seen for the first time: an earlier near-duplicate in its split, and one in train.</summary>
    public NearDuplicateIndex.Match? NearInSplit;
    public NearDuplicateIndex.Match? NearInTrain;

    /// <summary>The row has a text column and a value in it.</summary>
    public readonly bool HasText => File.Text >= 0 && !TextMissing;

    /// <summary>A repeat whose earlier copy is in this row's split.</summary>
    public readonly bool RepeatsInItsSplit => (Seen.Splits & (1 << Math.Min(File.Split, 7))) != 0;

    /// <summary>An example at this row, showing its text.</summary>
    public readonly Example Example(string detail, int? otherLine = null, string? otherPath = null) =>
        new(File.SplitName, File.Path, Line, File.Text >= 0 ? Preview(Text) : "", detail, otherPath ?? (otherLine is null ? null : File.Path), otherLine);

    /// <summary>A short preview of a value, with personal data masked: nothing in full reaches a message or a log.</summary>
    public static string Preview(ReadOnlySpan<byte> value) => PersonalData.Mask(Utf8Text.Preview(value, 100));
}
