using MLIntern.Findings;
using MLIntern.Data.Reading;

namespace MLIntern.Data.Profiling;

/// <summary>One file of a data set, with how to open it. The host opens files; the profiler only reads the stream it gets.</summary>
public sealed record DataFile(string Path, DataFormat Format, Func<Stream> Open);

/// <summary>A split (train, validation, test, or "all" for a single file) and its files (Parquet shards, in order).</summary>
public sealed record DataSplit(string Name, IReadOnlyList<DataFile> Files);

/// <summary>The whole profile: what `mlintern inspect` prints and `mlintern/profileDataset` returns.</summary>
public sealed record DatasetProfile(
    IReadOnlyList<SplitProfile> Splits,
    ColumnRole Text,
    ColumnRole Label,
    LabelSummary? Labels,
    IReadOnlyList<CheckResult> Checks,
    double Seconds)
{
    public long Rows => Splits.Sum(s => s.Rows);

    /// <summary>The findings that belong to one file: each check's examples at their rows and its summary at line 1.</summary>
    public IReadOnlyList<Finding> FindingsFor(string path)
    {
        var findings = new List<Finding>();
        foreach (var check in Checks)
        {
            // Checks about files (MLD012, MLD013) give their findings per file, not one summary.
            if (check.FileFindings.Count > 0 || check.Code == MLIntern.Data.Checks.MalformedFile.Rule.Code)
            {
                findings.AddRange(check.FileFindings.Where(f => f.Path == path).Select(f => f.Finding));
                continue;
            }

            if (check.Count == 0 || check.Path != path)
            {
                continue;
            }

            findings.Add(new Finding(check.Code, check.Severity, check.Message, new SourceRange(1, 1, 1, 1)));
            foreach (var example in check.Examples.Where(e => e.Path == path && e.Line > 0))
            {
                findings.Add(new Finding(check.Code, check.Severity, example.Detail, SourceRange.WholeLine(example.Line)));
            }
        }

        return findings;
    }
}

/// <summary>Which column plays a role, and how it was chosen: "setting", "name", "content" or "none".</summary>
public sealed record ColumnRole(string? Column, string Source);

public sealed record SplitProfile(string Name, IReadOnlyList<FileProfile> Files, long Rows, IReadOnlyList<ColumnProfile> Columns, IReadOnlyList<ClassCount> Classes);

public sealed record FileProfile(string Path, string Format, long Rows, long MalformedRecords, bool LinesAreRows);

public sealed record ColumnProfile(
    string Name,
    string Type,
    long Present,
    long Missing,
    long Empty,
    long Distinct,
    bool DistinctIsExact,
    IReadOnlyList<ValueCount> TopValues,
    LengthStats? Lengths);

/// <summary>A column value and how often it occurs; the value with any secret redacted (<see cref="Secrets"/>), as every text a profile carries.</summary>
public sealed record ValueCount(string Value, long Count)
{
    public string Value { get; init => field = Secrets.Redact(value); } = Secrets.Redact(Value);
}

/// <summary>Lengths in characters (UTF-16 code units); percentiles are exact up to 4,096 characters.</summary>
public sealed record LengthStats(long Min, long Max, double Mean, long P50, long P95, IReadOnlyList<HistogramBin> Histogram);

/// <summary>Values with From ≤ length &lt; To; To is null for the last, open bin.</summary>
public sealed record HistogramBin(long From, long? To, long Count);

public sealed record ClassCount(string Label, long Count)
{
    public string Label { get; init => field = Secrets.Redact(value); } = Secrets.Redact(Label);
}

/// <summary>The label column over all splits: its classes, how they are written, and whether it is really a label.</summary>
public sealed record LabelSummary(string Column, string ValueType, long Classes, bool ClassesComplete, IReadOnlyList<ClassCount> Counts);

/// <summary>One check's result over the data set: how many rows it found and a few of them.</summary>
public sealed record CheckResult(
    string Code,
    string Name,
    Severity Severity,
    long Count,
    bool Estimated,
    string Message,
    string? Path,
    IReadOnlyList<Example> Examples)
{
    public string Message { get; init => field = Secrets.Redact(value); } = Secrets.Redact(Message);

    /// <summary>The count by kind where a check has kinds (MLD007: "exact" and "near"); null otherwise.</summary>
    public IReadOnlyDictionary<string, long>? Parts { get; init; }

    /// <summary>Checks about whole files (MLD012: the readers' findings, MLD013: empty files): the findings with their files.</summary>
    public IReadOnlyList<(string Path, Finding Finding)> FileFindings { get; init; } = [];
}

/// <summary>
/// A row that shows a finding. Text is a short preview with personal data masked; it and Detail (which
/// quotes the row) have every secret redacted here, where examples are made, so no writer or answer
/// that carries a profile can repeat one.
/// </summary>
public sealed record Example(string Split, string Path, int Line, string Text, string Detail, string? OtherPath = null, int? OtherLine = null)
{
    public string Text { get; init => field = Secrets.Redact(value); } = Secrets.Redact(Text);

    public string Detail { get; init => field = Secrets.Redact(value); } = Secrets.Redact(Detail);
}
