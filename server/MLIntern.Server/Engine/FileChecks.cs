using System.Text;
using MLIntern.Analysis.Findings;
using MLIntern.Analysis.Rules;
using MLIntern.Data.Reading;

namespace MLIntern.Server.Engine;

/// <summary>What kind of file ML Intern checks, by its name.</summary>
internal enum FileKind
{
    None,
    Script,
    Data,
}

/// <summary>
/// Runs the right checks for a file. The one place where the editor and the CLI meet the engine,
/// so both report the same findings for the same bytes.
/// </summary>
internal static class FileChecks
{
    public static FileKind KindOf(string path) =>
        Path.GetExtension(path).Equals(".py", StringComparison.OrdinalIgnoreCase) ? FileKind.Script
        : DataFormats.FromFileName(path) is not null ? FileKind.Data
        : FileKind.None;

    /// <summary>The process's data set facts: shared by the script rules, the CLI and `mlintern/profileDataset`.</summary>
    public static DatasetFactsService Datasets { get; } = new();

    /// <summary>Checks a script; <paramref name="path"/> (when known) anchors the data set paths it names.</summary>
    public static IReadOnlyList<Finding> CheckScript(string text, string? path, RuleSelection? selection = null, ScriptChecker.RuleFailure? onFailure = null) =>
        [.. ScriptChecker.Check(
            text,
            ScriptDatasets.For(path, Datasets),
            selection is null ? null : ScriptChecker.Rules.Select(r => r.Info.Code).Where(selection.IsEnabled).ToHashSet(),
            onFailure), .. Runs.PlanFindings.ForScript(path, text, selection)];

    /// <summary>Checks a data file whose content is <paramref name="bytes"/> (the editor's), with its data set's other splits read from disk and the editor's "mlintern.data" settings.</summary>
    public static IReadOnlyList<Finding> CheckData(string path, Stream bytes, Newtonsoft.Json.Linq.JObject? settings = null)
    {
        using var copy = new MemoryStream();
        bytes.CopyTo(copy);
        return DataSets.CheckFile(path, copy.ToArray(), settings);
    }

    /// <summary>
    /// Checks a file on disk with the rule selection of its project (pyproject.toml). IO errors
    /// propagate: the caller names the file. Settings problems are added to <paramref name="problems"/>.
    /// </summary>
    public static IReadOnlyList<Finding> CheckFile(string path, List<string>? problems = null)
    {
        var selection = RuleSettings.For(path, null, problems);
        var findings = KindOf(path) switch
        {
            FileKind.Script => CheckScript(ReadText(path), path, selection, (code, e) =>
                problems?.Add($"{path}: rule {code} failed ({e.GetType().Name}: {e.Message}); its findings were skipped — please report this")),
            FileKind.Data => CheckDataFile(path),
            _ => [],
        };
        return selection.Apply(findings);
    }

    private static IReadOnlyList<Finding> CheckDataFile(string path)
    {
        return DataSets.CheckFile(path, null);
    }

    /// <summary>
    /// Writes a fixed script back, keeping a BOM if the file had one. Written to a temporary file
    /// first and moved over the original, so a failure never leaves half a file.
    /// </summary>
    public static void WriteText(string path, string text)
    {
        var hadBom = false;
        using (var existing = File.OpenRead(path))
        {
            Span<byte> head = stackalloc byte[3];
            hadBom = existing.Read(head) == 3 && head.SequenceEqual("\uFEFF"u8);
        }

        var temporary = path + ".mlintern-tmp";
        File.WriteAllText(temporary, text, new UTF8Encoding(hadBom));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads a script as Python does: UTF-8, a BOM dropped. Invalid bytes become U+FFFD.</summary>
    public static string ReadText(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var span = bytes.AsSpan();
        if (span.StartsWith("\uFEFF"u8))
        {
            span = span[3..];
        }

        return Encoding.UTF8.GetString(span);
    }
}
