using System.Globalization;
using MLIntern.Data.Hub;
using MLIntern.Server.Hub;

namespace MLIntern.Server.Cli;

/// <summary>The text output of `datasets info` and of a download plan.</summary>
internal static class HubText
{
    private const int BarWidth = 24;
    private const int MaxClassesShown = 30;

    public static void WriteDetails(TextWriter output, HubDatasetDetails details)
    {
        var s = details.Summary;
        output.WriteLine($"{s.Id}  revision {DatasetsCommand.ShortSha(s.Sha)}  license {s.License ?? "none"}");
        var facts = new List<string>();
        if (s.Tasks.Count > 0)
        {
            facts.Add("tasks " + string.Join(", ", s.Tasks));
        }

        if (s.Languages.Count > 0)
        {
            facts.Add("languages " + string.Join(", ", s.Languages));
        }

        if (s.SizeCategory is { } size)
        {
            facts.Add("size " + size);
        }

        if (s.Downloads is { } downloads)
        {
            facts.Add("downloads " + N(downloads));
        }

        if (s.LastModified is { } modified)
        {
            facts.Add("modified " + modified.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        if (facts.Count > 0)
        {
            output.WriteLine(string.Join("  ", facts));
        }

        if (details.Description is { } description)
        {
            var first = description.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
            output.WriteLine(first.Length > 200 ? first[..200] + "…" : first);
        }

        if (details.Warnings.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Warnings:");
            foreach (var warning in details.Warnings)
            {
                output.WriteLine($"  ! {warning.Message}");
            }
        }

        if (details.Splits.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Splits:");
            foreach (var split in details.Splits)
            {
                var rows = split.Rows is { } r ? $"{N(r)} rows" : "rows unknown";
                var bytes = split.Bytes is { } b ? $"  {Bytes(b)}" : "";
                output.WriteLine($"  {split.Config}/{split.Split}  {rows}{bytes}");
            }
        }

        if (details.Columns.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Columns: " + string.Join(", ", details.Columns.Select(c => $"{c.Name} ({c.Type}){(c.Name == details.LabelColumn ? " [label]" : "")}")));
        }

        if (details.FirstRows.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("First rows:");
            var names = details.Columns.Count > 0 ? details.Columns.Select(c => c.Name).ToList() : [.. details.FirstRows[0].Keys];
            var rows = details.FirstRows.Select(r => names.Select(n => Short(r.TryGetValue(n, out var v) ? v : "")).ToArray()).ToList();
            DatasetsCommand.WriteTable(output, names, rows);
        }

        if (details.Statistics is { } statistics)
        {
            output.WriteLine();
            output.WriteLine($"Statistics of {statistics.Config}/{statistics.Split} ({N(statistics.Rows)} rows{(statistics.Partial ? ", partial" : "")}):");
            foreach (var column in statistics.Columns)
            {
                WriteColumn(output, column, statistics.Rows, column.Name == details.LabelColumn);
            }
        }
    }

    public static void WritePlan(TextWriter output, DownloadPlan plan, string workspace)
    {
        output.WriteLine($"{plan.Id}  config {plan.Config}  revision {DatasetsCommand.ShortSha(plan.Revision)}  license {plan.License ?? "none"}");
        foreach (var warning in plan.Warnings)
        {
            output.WriteLine($"  ! {warning.Message}");
        }

        if (plan.Partial)
        {
            output.WriteLine("  ! the dataset viewer converted only the first part of this data set to Parquet: these files are not all of it");
        }

        output.WriteLine($"Would download {plan.Files.Count} file(s), {Bytes(plan.TotalBytes)} in all, into {Display(plan.Directory, workspace)}:");
        foreach (var file in plan.Files)
        {
            output.WriteLine($"  {Path.GetFileName(file.LocalPath)}  {Bytes(file.Size)}  ({file.Split})");
        }
    }

    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):0.##} GB"),
    };

    private static void WriteColumn(TextWriter output, HubColumnStatistics column, long rows, bool isLabel)
    {
        var nulls = column.NullCount > 0 ? $", {N(column.NullCount)} missing" : "";
        if (column.IsCategorical && column.Frequencies.Count > 0)
        {
            output.WriteLine($"  {column.Name}{(isLabel ? " [label]" : "")}  {column.Kind}, {N(column.Unique ?? column.Frequencies.Count)} classes{nulls}");
            var max = column.Frequencies.Max(f => f.Count);
            var width = Math.Min(30, column.Frequencies.Max(f => f.Value.Length));
            foreach (var value in column.Frequencies.Take(MaxClassesShown))
            {
                var bar = new string('#', max == 0 ? 0 : (int)Math.Max(1, value.Count * BarWidth / max));
                var share = rows > 0 ? string.Create(CultureInfo.InvariantCulture, $"{value.Count * 100.0 / rows:0.0}%") : "";
                output.WriteLine($"    {Short(value.Value, width).PadRight(width)}  {N(value.Count),10}  {share,6}  {bar}");
            }

            if (column.Frequencies.Count > MaxClassesShown)
            {
                output.WriteLine($"    … and {column.Frequencies.Count - MaxClassesShown} more");
            }

            return;
        }

        var range = column is { Min: { } min, Max: { } maxValue }
            ? string.Create(CultureInfo.InvariantCulture, $", {(column.Kind == "string_text" ? "length " : "")}{min:0.###}–{maxValue:0.###}{(column.Mean is { } mean ? $", mean {mean:0.##}" : "")}")
            : "";
        output.WriteLine($"  {column.Name}{(isLabel ? " [label]" : "")}  {column.Kind}{range}{nulls}");
    }

    private static string Display(string path, string workspace)
    {
        var relative = Path.GetRelativePath(workspace, path);
        return (relative.StartsWith("..", StringComparison.Ordinal) ? path : relative).Replace('\\', '/');
    }

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Short(string text, int max = 40)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length > max ? line[..(max - 1)] + "…" : line;
    }
}
