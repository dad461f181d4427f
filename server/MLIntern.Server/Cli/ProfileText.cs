using System.Globalization;
using MLIntern.Data.Profiling;

namespace MLIntern.Server.Cli;

/// <summary>The terminal rendering of a profile.</summary>
internal static class ProfileText
{
    /// <summary>Writes the profile with every secret redacted (the profile redacts what it captures; names and paths are redacted here).</summary>
    public static void Write(TextWriter output, DatasetProfile p, Func<string, string> display)
    {
        using var o = new StringWriter(CultureInfo.InvariantCulture);
        WriteRaw(o, p, display);
        output.Write(Secrets.Redact(o.ToString()));
    }

    private static void WriteRaw(TextWriter o, DatasetProfile p, Func<string, string> display)
    {
        var inv = CultureInfo.InvariantCulture;
        o.WriteLine(string.Create(inv, $"Data set: {p.Rows:N0} rows in {p.Splits.Count} split(s), profiled in {p.Seconds:0.###} s"));
        o.WriteLine($"Text column: {p.Text.Column ?? "(none)"} ({p.Text.Source})   Label column: {p.Label.Column ?? "(none)"} ({p.Label.Source})");
        foreach (var split in p.Splits)
        {
            o.WriteLine();
            o.WriteLine(string.Create(inv, $"== {split.Name}: {split.Rows:N0} rows ({string.Join(", ", split.Files.Select(f => display(f.Path)))})"));
            o.WriteLine($"  {"column",-24} {"type",-9} {"missing",9} {"distinct",10}  top / lengths");
            foreach (var c in split.Columns)
            {
                var distinct = (c.DistinctIsExact ? "" : "~") + c.Distinct.ToString("N0", inv);
                var detail = c.Type == "text" && c.Lengths is { } l
                    ? string.Create(inv, $"chars min {l.Min} p50 {l.P50} p95 {l.P95} max {l.Max}")
                    : string.Join(", ", c.TopValues.Take(3).Select(v => string.Create(inv, $"{Cut(v.Value, 24)} ({v.Count:N0})")));
                o.WriteLine(string.Create(inv, $"  {Cut(c.Name, 24),-24} {c.Type,-9} {c.Missing,9:N0} {distinct,10}  {detail}"));
            }
        }

        if (p.Labels is { } labels)
        {
            o.WriteLine();
            o.WriteLine(string.Create(inv, $"Classes of '{labels.Column}' ({labels.ValueType}, {labels.Classes:N0}{(labels.ClassesComplete ? "" : "+")}):"));
            var max = Math.Max(1, labels.Counts.Count == 0 ? 1 : labels.Counts.Max(c => c.Count));
            foreach (var c in labels.Counts.Take(30))
            {
                var bar = new string('#', (int)Math.Ceiling(30.0 * c.Count / max));
                o.WriteLine(string.Create(inv, $"  {Cut(c.Label, 28),-28} {c.Count,8:N0} {bar}"));
            }

            if (labels.Counts.Count > 30)
            {
                o.WriteLine($"  … {labels.Counts.Count - 30} more");
            }
        }

        o.WriteLine();
        var found = p.Checks.Where(c => c.Count > 0).ToList();
        if (found.Count == 0)
        {
            o.WriteLine("No data problems found.");
            return;
        }

        o.WriteLine("Problems:");
        foreach (var check in found)
        {
            o.WriteLine($"  {check.Code} {check.Severity.ToString().ToLowerInvariant()}: {check.Message}");
            foreach (var e in check.Examples)
            {
                o.WriteLine($"    {display(e.Path)}:{e.Line}: {e.Detail}{(e.Text.Length > 0 && !e.Detail.Contains(e.Text, StringComparison.Ordinal) ? $"  | {e.Text}" : "")}");
            }

            foreach (var (path, f) in check.FileFindings.Take(5))
            {
                o.WriteLine($"    {display(path)}:{f.Range.Line}:{f.Range.Column}: {f.Message}");
            }
        }
    }

    private static string Cut(string s, int n) => s.Length <= n ? s : string.Concat(s.AsSpan(0, n - 1), "…");
}
