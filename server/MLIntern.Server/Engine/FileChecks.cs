using System.Text;
using MLIntern.Analysis.Findings;
using MLIntern.Analysis.Rules;
using MLIntern.Data.Reading;
using MLIntern.Python.Parsing;
using MLIntern.Python.Text;

namespace MLIntern.Server.Engine;

/// <summary>What kind of file ML Intern checks, by its name.</summary>
internal enum FileKind
{
    None,
    Script,
    Data,

    /// <summary>A Jupyter notebook (.ipynb): its code cells checked as one script.</summary>
    Notebook,
}

/// <summary>
/// Runs the right checks for a file. The one place where the editor and the CLI meet the engine,
/// so both report the same findings for the same bytes.
/// </summary>
internal static class FileChecks
{
    public static FileKind KindOf(string path) =>
        Path.GetExtension(path).Equals(".py", StringComparison.OrdinalIgnoreCase) ? FileKind.Script
        : Path.GetExtension(path).Equals(".ipynb", StringComparison.OrdinalIgnoreCase) ? FileKind.Notebook
        : DataFormats.FromFileName(path) is not null ? FileKind.Data
        : FileKind.None;

    /// <summary>The process's data set facts: shared by the script rules, the CLI and `mlintern/profileDataset`.</summary>
    public static DatasetFactsService Datasets { get; } = new();

    /// <summary>Checks a script; <paramref name="path"/> (when known) anchors the data set paths it names.</summary>
    public static IReadOnlyList<Finding> CheckScript(string text, string? path, RuleSelection? selection = null, ScriptChecker.RuleFailure? onFailure = null) =>
        CheckScript(SourceText.From(text), path, selection, onFailure);

    /// <summary>Checks a script already decoded (from the disk's bytes, as Python decodes them).</summary>
    public static IReadOnlyList<Finding> CheckScript(SourceText source, string? path, RuleSelection? selection = null, ScriptChecker.RuleFailure? onFailure = null, IReadOnlyList<int>? steps = null) =>
        [.. ScriptChecker.Check(
            Parser.Parse(source, TokenRetention.CommentsWhenClean),
            ScriptDatasets.For(path, Datasets),
            selection is null ? null : ScriptChecker.Rules.Select(r => r.Info.Code).Where(selection.IsEnabled).ToHashSet(),
            onFailure,
            steps), .. Runs.PlanFindings.ForScript(path, source.Text, selection)];

    /// <summary>Checks a data file whose content is <paramref name="bytes"/> (the editor's), with its data set's other splits read from disk and the editor's "mlintern.data" settings.</summary>
    public static IReadOnlyList<Finding> CheckData(string path, Stream bytes, Newtonsoft.Json.Linq.JObject? settings = null, CancellationToken cancellationToken = default)
    {
        using var copy = new MemoryStream();
        bytes.CopyTo(copy);
        return DataSets.CheckFile(path, copy.ToArray(), settings, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Checks a file on disk with the rule selection of its project (pyproject.toml). IO errors
    /// propagate: the caller names the file. Settings problems are added to <paramref name="problems"/>.
    /// A notebook's findings are in the coordinates of its code cells as one program: <see cref="CheckNotebookFile"/> maps them to cells.
    /// <paramref name="paraphrases"/>: MLD007 also reports paraphrases (`check --paraphrases`; loads the built-in encoder).
    /// </summary>
    public static IReadOnlyList<Finding> CheckFile(string path, List<string>? problems = null, bool paraphrases = false)
    {
        var selection = RuleSettings.For(path, null, problems);
        var findings = KindOf(path) switch
        {
            FileKind.Script => CheckScript(ReadSource(path), path, selection, RuleFailed(path, problems)),
            FileKind.Data => DataSets.CheckFile(path, null, paraphrases: paraphrases),
            FileKind.Notebook => CheckNotebookFile(path, problems).Findings,
            _ => [],
        };
        return selection.Apply(findings);
    }

    /// <summary>Checks a notebook on disk with its project's rule selection.</summary>
    public static Notebooks.NotebookCheck CheckNotebookFile(string path, List<string>? problems = null) =>
        Notebooks.NotebookChecks.Check(RegularFiles.ReadAllBytes(path), path, RuleSettings.For(path, null, problems), RuleFailed(path, problems));

    private static ScriptChecker.RuleFailure RuleFailed(string path, List<string>? problems) => (code, e) =>
        problems?.Add($"{path}: rule {code} failed ({e.GetType().Name}: {e.Message}); its findings were skipped — please report this");

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

        WriteBytes(path, [.. (hadBom ? "\uFEFF"u8.ToArray() : []), .. new UTF8Encoding(false).GetBytes(text)]);
    }

    /// <summary>Replaces a file's bytes through a temporary file of its own beside it, so a failure never leaves half a file.</summary>
    public static void WriteBytes(string path, byte[] bytes) => State.AtomicFile.WriteAllBytes(path, bytes);

    /// <summary>
    /// Reads a script as Python does: a UTF-8 BOM dropped, else the PEP 263 coding declaration of
    /// the first two lines, else UTF-8. Undecodable bytes become U+FFFD and the source's
    /// <see cref="SourceText.DecodeError"/> says where (MLI000 reports it).
    /// </summary>
    public static SourceText ReadSource(string path) => SourceText.FromBytes(RegularFiles.ReadAllBytes(path));

    /// <summary>
    /// The text of a script when writing fixed text back as UTF-8 (keeping a BOM) gives the same
    /// bytes for the unchanged parts: the file is UTF-8 with no undecodable byte. Null otherwise.
    /// </summary>
    public static string? ReadUtf8Text(string path)
    {
        var bytes = RegularFiles.ReadAllBytes(path);
        var span = bytes.AsSpan();
        if (span.StartsWith("\uFEFF"u8))
        {
            span = span[3..];
        }

        if (!System.Text.Unicode.Utf8.IsValid(span))
        {
            return null;
        }

        var source = SourceText.FromBytes(bytes);
        var text = Encoding.UTF8.GetString(span);
        return source.DecodeError is null && source.Text == text ? text : null;
    }
}
