using Core = MLIntern.Data.Profiling;

namespace MLIntern.Server.Protocol;

// mlintern/profileDataset: the profile of a data set, mapped by hand from MLIntern.Data's records.

/// <summary>Parameters of mlintern/profileDataset: a document URI or a file-system path (file or folder), and optionally the client's progress token.</summary>
internal sealed class ProfileDatasetParams
{
    public string? Uri { get; set; }

    public string? Path { get; set; }

    /// <summary>A token the client made for this request's progress (LSP's WorkDoneProgressParams): a string or an integer, as LSP allows.</summary>
    public object? WorkDoneToken { get; set; }
}

/// <summary>
/// mlintern/profileDataset's answer: every split with its files and columns, the text and label columns
/// and how they were chosen, the label classes, the data checks, and the path and version profiled
/// (the version changes when a file of the data set or the data settings change).
/// </summary>
internal sealed record DatasetProfile(
    IReadOnlyList<SplitProfile> Splits,
    ColumnRole Text,
    ColumnRole Label,
    LabelSummary? Labels,
    IReadOnlyList<CheckResult> Checks,
    double Seconds,
    long Rows,
    string Path,
    string? Version)
{
    public static DatasetProfile From(Core.DatasetProfile p, string path, string? version) => new(
        [.. p.Splits.Select(SplitProfile.From)],
        ColumnRole.From(p.Text),
        ColumnRole.From(p.Label),
        p.Labels is { } labels ? LabelSummary.From(labels) : null,
        [.. p.Checks.Select(CheckResult.From)],
        p.Seconds,
        p.Rows,
        path,
        version);
}

/// <summary>Which column plays a role (absent when none), and how it was chosen: "setting", "name", "content" or "none".</summary>
internal sealed record ColumnRole(string? Column, string Source)
{
    public static ColumnRole From(Core.ColumnRole r) => new(r.Column, r.Source);
}

internal sealed record SplitProfile(string Name, IReadOnlyList<FileProfile> Files, long Rows, IReadOnlyList<ColumnProfile> Columns, IReadOnlyList<ClassCount> Classes)
{
    public static SplitProfile From(Core.SplitProfile s) =>
        new(s.Name, [.. s.Files.Select(FileProfile.From)], s.Rows, [.. s.Columns.Select(ColumnProfile.From)], [.. s.Classes.Select(ClassCount.From)]);
}

internal sealed record FileProfile(string Path, string Format, long Rows, long MalformedRecords, bool LinesAreRows)
{
    public static FileProfile From(Core.FileProfile f) => new(f.Path, f.Format, f.Rows, f.MalformedRecords, f.LinesAreRows);
}

internal sealed record ColumnProfile(string Name, string Type, long Present, long Missing, long Empty, long Distinct, bool DistinctIsExact, IReadOnlyList<ValueCount> TopValues, LengthStats? Lengths)
{
    public static ColumnProfile From(Core.ColumnProfile c) => new(
        c.Name,
        c.Type,
        c.Present,
        c.Missing,
        c.Empty,
        c.Distinct,
        c.DistinctIsExact,
        [.. c.TopValues.Select(v => new ValueCount(v.Value, v.Count))],
        c.Lengths is { } lengths ? LengthStats.From(lengths) : null);
}

internal sealed record ValueCount(string Value, long Count);

/// <summary>Lengths in characters (UTF-16 code units); percentiles are exact up to 4,096 characters.</summary>
internal sealed record LengthStats(long Min, long Max, double Mean, long P50, long P95, IReadOnlyList<HistogramBin> Histogram)
{
    public static LengthStats From(Core.LengthStats l) => new(l.Min, l.Max, l.Mean, l.P50, l.P95, [.. l.Histogram.Select(b => new HistogramBin(b.From, b.To, b.Count))]);
}

/// <summary>Values with From ≤ length &lt; To; To is absent for the last, open bin.</summary>
internal sealed record HistogramBin(long From, long? To, long Count);

internal sealed record ClassCount(string Label, long Count)
{
    public static ClassCount From(Core.ClassCount c) => new(c.Label, c.Count);
}

/// <summary>The label column over all splits: its classes, how they are written, and whether it is really a label.</summary>
internal sealed record LabelSummary(string Column, string ValueType, long Classes, bool ClassesComplete, IReadOnlyList<ClassCount> Counts)
{
    public static LabelSummary From(Core.LabelSummary l) => new(l.Column, l.ValueType, l.Classes, l.ClassesComplete, [.. l.Counts.Select(ClassCount.From)]);
}

/// <summary>How much a finding matters, as LSP's diagnostics rank it.</summary>
internal enum Severity
{
    Error,
    Warning,
    Information,
    Hint,
}

/// <summary>One data check's result: how many rows it found (<see cref="Parts"/> by kind where it has kinds), and a few of them.</summary>
internal sealed record CheckResult(
    string Code,
    string Name,
    Severity Severity,
    long Count,
    bool Estimated,
    string Message,
    string? Path,
    IReadOnlyList<Example> Examples,
    IReadOnlyDictionary<string, long>? Parts,
    IReadOnlyList<FileFinding> FileFindings)
{
    public static CheckResult From(Core.CheckResult c) => new(
        c.Code,
        c.Name,
        ToWire(c.Severity),
        c.Count,
        c.Estimated,
        c.Message,
        c.Path,
        [.. c.Examples.Select(Example.From)],
        c.Parts,
        [.. c.FileFindings.Select(f => new FileFinding(f.Path, f.Finding.Code, ToWire(f.Finding.Severity), f.Finding.Message, f.Finding.Range.Line))]);

    public static Severity ToWire(MLIntern.Findings.Severity severity) => severity switch
    {
        MLIntern.Findings.Severity.Error => Severity.Error,
        MLIntern.Findings.Severity.Warning => Severity.Warning,
        MLIntern.Findings.Severity.Information => Severity.Information,
        _ => Severity.Hint,
    };
}

/// <summary>A row that shows a finding. Text is a short preview with personal data masked.</summary>
internal sealed record Example(string Split, string Path, int Line, string Text, string Detail, string? OtherPath, int? OtherLine)
{
    public static Example From(Core.Example e) => new(e.Split, e.Path, e.Line, e.Text, e.Detail, e.OtherPath, e.OtherLine);
}

/// <summary>MLD012: a reader's finding in one file (a malformed record at a line).</summary>
internal sealed record FileFinding(string Path, string Code, Severity Severity, string Message, int Line);
