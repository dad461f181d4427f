using System.CommandLine;
using MLIntern.Analysis.Findings;
using MLIntern.Data.Reading;
using MLIntern.Server.Engine;

namespace MLIntern.Server.Cli;

/// <summary>
/// A finding with the file it was found in, as the CLI reports it. In a notebook, <see cref="Cell"/>
/// is the 1-based cell, the finding's range and fix are in that cell's coordinates
/// (<see cref="EditCells"/>[i] is the cell of the fix's i-th edit), and <see cref="InFile"/> is where
/// in the .ipynb's JSON the finding's line is written (SARIF points there).
/// </summary>
internal sealed record FileFinding(string Path, Finding Finding, int? Cell = null, (int Line, int Column)? InFile = null, IReadOnlyList<int>? EditCells = null);

internal static class CheckCommand
{
    private static readonly string[] SkippedDirectories =
        [".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", "bin", "obj", ".mlintern", ".e2e", ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".ipynb_checkpoints"];

    public static Command Create()
    {
        var paths = new Argument<string[]>("PATH") { Description = "Files or folders to check (folders: every .py, .ipynb, .csv, .tsv, .jsonl and .parquet file below, and the .json files their scripts load)", Arity = ArgumentArity.OneOrMore };
        var format = new Option<string>("--format") { Description = "Output format: text, json or sarif", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json", "sarif");
        var fix = new Option<bool>("--fix") { Description = "Apply safe fixes to the files, then report what is left" };
        var unsafeFixes = new Option<bool>("--unsafe-fixes") { Description = "With --fix or --diff: apply unsafe fixes too (they may change behaviour)" };
        var diff = new Option<bool>("--diff") { Description = "Print the fixes as a unified diff; change no file" };
        var paraphrases = new Option<bool>("--paraphrases") { Description = "MLD007 also reports test rows that are paraphrases of a train row (loads the built-in 91 MB sentence encoder; embeddings cached in .mlintern/cache/embeddings)" };
        var command = new Command("check", "Check training scripts and data files; print the findings.") { paths, format, fix, unsafeFixes, diff, paraphrases };
        command.SetAction(parse =>
        {
            var mode = parse.GetValue(diff) ? FixMode.Diff : parse.GetValue(fix) ? FixMode.Write : FixMode.None;
            var allowed = parse.GetValue(unsafeFixes) ? Applicability.Unsafe : Applicability.Safe;
            return Run(parse.GetValue(paths) ?? [], parse.GetValue(format) ?? "text", mode, allowed, Console.Out, Console.Error, parse.GetValue(paraphrases));
        });
        return command;
    }

    internal enum FixMode
    {
        None,
        Write,
        Diff,
    }

    public static int Run(IReadOnlyList<string> paths, string format, TextWriter output, TextWriter errors) =>
        Run(paths, format, FixMode.None, Applicability.Safe, output, errors);

    /// <summary>What checking (and maybe fixing) one file produced; merged in file order afterwards.</summary>
    private sealed record Outcome(IReadOnlyList<FileFinding> Findings, string? Diff, int Fixed, string? Error, List<string> Problems);

    /// <summary>What checking some paths found, as `check` reports it: the files checked, their findings in file order, the paths or files that could not be read, and the settings problems.</summary>
    internal sealed record CheckReport(IReadOnlyList<string> Files, IReadOnlyList<FileFinding> Findings, IReadOnlyList<string> Errors, IReadOnlyList<string> Problems);

    /// <summary>
    /// Checks the paths as `mlintern check` does, changing nothing. <paramref name="include"/>, when given,
    /// decides for each file a folder expanded to whether it is checked (the MCP server keeps to its workspace).
    /// </summary>
    internal static CheckReport Collect(IReadOnlyList<string> paths, Func<string, bool>? include = null)
    {
        var failed = false;
        var expandErrors = new StringWriter();
        var files = Expand(paths, expandErrors, ref failed);
        if (include is not null)
        {
            files = [.. files.Where(include)];
        }

        var outcomes = ProcessAll(files, FixMode.None, Applicability.Safe);
        var errors = expandErrors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        errors.AddRange(outcomes.Select(o => o.Error).OfType<string>());
        return new CheckReport(
            [.. files.Select(Display)],
            [.. outcomes.SelectMany(o => o.Findings)],
            errors,
            [.. outcomes.SelectMany(o => o.Problems).Distinct()]);
    }

    /// <summary>Files are independent: checks them on every core; the outcomes are in the files' order.</summary>
    private static Outcome[] ProcessAll(List<string> files, FixMode mode, Applicability allowed, bool paraphrases = false)
    {
        var outcomes = new Outcome[files.Count];
        Parallel.For(0, files.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i => outcomes[i] = Process(files[i], mode, allowed, paraphrases));
        return outcomes;
    }

    internal static int Run(IReadOnlyList<string> paths, string format, FixMode mode, Applicability allowed, TextWriter output, TextWriter errors, bool paraphrases = false)
    {
        var failed = false;
        var files = Expand(paths, errors, ref failed);
        var outcomes = ProcessAll(files, mode, allowed, paraphrases);

        var results = new List<FileFinding>();
        var fixedCount = 0;
        var diffs = 0;
        for (var i = 0; i < files.Count; i++)
        {
            var outcome = outcomes[i];
            if (outcome.Error is not null)
            {
                errors.WriteLine(outcome.Error);
                failed = true;
            }

            if (outcome.Diff is not null)
            {
                output.Write(outcome.Diff);
                diffs++;
            }

            fixedCount += outcome.Fixed;
            if (mode != FixMode.Diff)
            {
                results.AddRange(outcome.Findings);
            }
        }

        foreach (var problem in outcomes.SelectMany(o => o.Problems).Distinct())
        {
            errors.WriteLine($"warning: {problem}");
        }

        if (mode == FixMode.Diff)
        {
            errors.WriteLine(diffs == 0 ? "No fixes to apply." : $"Would fix {diffs} file{(diffs == 1 ? "" : "s")}.");
            return failed ? Commands.Failure : diffs > 0 ? Commands.Findings : Commands.Clean;
        }

        if (fixedCount > 0)
        {
            errors.WriteLine($"Fixed {fixedCount} problem{(fixedCount == 1 ? "" : "s")}.");
        }

        switch (format)
        {
            case "json":
                FindingWriters.WriteJson(output, results);
                break;
            case "sarif":
                FindingWriters.WriteSarif(output, results);
                break;
            default:
                FindingWriters.WriteText(output, results, failed);
                break;
        }

        return failed ? Commands.Failure : results.Count > 0 ? Commands.Findings : Commands.Clean;
    }

    private static Outcome Process(string file, FixMode mode, Applicability allowed, bool paraphrases)
    {
        var problems = new List<string>();
        try
        {
            if (FileChecks.KindOf(file) == FileKind.Notebook)
            {
                return ProcessNotebook(file, mode, allowed, problems);
            }

            var display = Display(file);
            var findings = FileChecks.CheckFile(file, problems, paraphrases);
            if (mode == FixMode.None || FileChecks.KindOf(file) != FileKind.Script)
            {
                return new Outcome(InFile(display, findings), null, 0, null, problems);
            }

            var fixes = Edits.Select(findings, allowed);
            if (fixes.Count == 0)
            {
                return new Outcome(InFile(display, findings), null, 0, null, problems);
            }

            if (FileChecks.ReadUtf8Text(file) is not { } text)
            {
                // Writing the decoded text back as UTF-8 would replace invalid bytes or change the encoding: refuse instead.
                return new Outcome(InFile(display, findings), null, 0, $"error: {display}: not valid UTF-8; fixes were not applied", problems);
            }

            var after = Edits.Apply(text, fixes.SelectMany(f => f.Edits));
            if (mode == FixMode.Diff)
            {
                return new Outcome(InFile(display, findings), UnifiedDiff.Render(display, text, after), 0, null, problems);
            }

            FileChecks.WriteText(file, after);
            return new Outcome(InFile(display, FileChecks.CheckFile(file, problems)), null, fixes.Count, null, problems);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new Outcome([], null, 0, $"error: {Display(file)}: {e.Message}", problems);
        }
    }

    private static List<FileFinding> InFile(string display, IEnumerable<Finding> findings) => [.. findings.Select(f => new FileFinding(display, f))];

    /// <summary>
    /// A notebook: findings per cell; fixes rewrite only the `source` of the cells they change, and
    /// every other byte of the .ipynb stays as it was. A diff is printed per changed cell.
    /// </summary>
    private static Outcome ProcessNotebook(string file, FixMode mode, Applicability allowed, List<string> problems)
    {
        var display = Display(file);
        var check = FileChecks.CheckNotebookFile(file, problems);
        if (mode == FixMode.None || check is not { File: { } notebook, Program: { } program })
        {
            return new Outcome(InCells(display, check), null, 0, null, problems);
        }

        // A fix that cannot be made inside cells (it would rewrite a magic, or span two cells) is left out.
        var fixes = Edits.Select(check.Findings.Where(f => f.Fix is null || program.CellEdits(f.Fix.Edits) is not null), allowed);
        if (fixes.Count == 0 || program.Apply(fixes.SelectMany(f => f.Edits)) is not { Count: > 0 } sources)
        {
            return new Outcome(InCells(display, check), null, 0, null, problems);
        }

        if (mode == FixMode.Diff)
        {
            var diff = string.Concat(sources.OrderBy(s => s.Key).Select(s =>
                UnifiedDiff.Render($"{display}:cell {s.Key}", program.CellOf(s.Key)!.Source, s.Value)));
            return new Outcome(InCells(display, check), diff.Length == 0 ? null : diff, 0, null, problems);
        }

        FileChecks.WriteBytes(file, notebook.WithSources(sources));
        return new Outcome(InCells(display, FileChecks.CheckNotebookFile(file, problems)), null, fixes.Count, null, problems);
    }

    private static List<FileFinding> InCells(string display, Notebooks.NotebookCheck check)
    {
        var results = new List<FileFinding>();
        foreach (var finding in check.Findings)
        {
            if (check.File is { } notebook && check.ToCell(finding) is { } cell)
            {
                results.Add(new FileFinding(display, cell.Finding, cell.Cell, notebook.PositionOf(cell.Cell, cell.Finding.Range.Line, cell.Finding.Range.Column), cell.EditCells));
            }
            else
            {
                // The notebook could not be read: the finding is at a line of the file itself.
                results.Add(new FileFinding(display, finding));
            }
        }

        return results;
    }

    /// <summary>
    /// The files to check, in a stable order. A path that does not exist is an error naming it.
    /// A folder gives its scripts and data files; a `.json` file below it only when a script
    /// being checked loads it (package.json, tsconfig.json, a checkpoint's config.json are not
    /// data sets). A file named on the command line is always checked.
    /// </summary>
    private static List<string> Expand(IReadOnlyList<string> paths, TextWriter errors, ref bool failed)
    {
        var groups = new List<(List<string> Files, List<string> Json)>();
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                groups.Add(([path], []));
            }
            else if (Directory.Exists(path))
            {
                var found = Walk(path).Where(f => FileChecks.KindOf(f) != FileKind.None).Order(StringComparer.Ordinal).ToList();
                groups.Add((found.Where(f => !IsJson(f)).ToList(), found.Where(IsJson).ToList()));
            }
            else
            {
                errors.WriteLine($"error: {path}: no such file or directory");
                failed = true;
            }
        }

        var loaded = groups.Any(g => g.Json.Count > 0) ? LoadedByScripts(groups.SelectMany(g => g.Files)) : [];
        var files = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (found, json) in groups)
        {
            var chosen = json.Where(j => IsLoaded(Path.GetFullPath(j), loaded));
            files.AddRange(found.Concat(chosen).Order(StringComparer.Ordinal).Where(f => seen.Add(Path.GetFullPath(f))));
        }

        return files;
    }

    private static bool IsJson(string path) => DataFormats.FromFileName(path) == DataFormat.Json;

    /// <summary>A file a load names, or one inside a folder a load names.</summary>
    private static bool IsLoaded(string fullPath, HashSet<string> loaded)
    {
        if (loaded.Contains(fullPath))
        {
            return true;
        }

        for (var folder = Path.GetDirectoryName(fullPath); folder is not null; folder = Path.GetDirectoryName(folder))
        {
            if (loaded.Contains(folder))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Every path the scripts' data set loads name. Only scripts that spell "json" somewhere are parsed for it.</summary>
    private static HashSet<string> LoadedByScripts(IEnumerable<string> files)
    {
        var scripts = files.Where(f => FileChecks.KindOf(f) is FileKind.Script or FileKind.Notebook).ToList();
        var loaded = new HashSet<string>(StringComparer.Ordinal);
        var gate = new object();
        Parallel.ForEach(scripts, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, script =>
        {
            try
            {
                var bytes = RegularFiles.ReadAllBytes(script);
                if (bytes.AsSpan().IndexOf("json"u8) < 0)
                {
                    return;
                }

                var source = FileChecks.KindOf(script) == FileKind.Notebook
                    ? Notebooks.NotebookChecks.ProgramText(bytes) is { } program ? MLIntern.Python.Text.SourceText.From(program) : null
                    : MLIntern.Python.Text.SourceText.FromBytes(bytes);
                if (source is null)
                {
                    return;
                }

                var paths = ScriptDatasets.LoadedPaths(script, source);
                lock (gate)
                {
                    loaded.UnionWith(paths.Select(p => p.TrimEnd(Path.DirectorySeparatorChar)));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The check of the script itself reports it.
            }
        });
        return loaded;
    }

    private static IEnumerable<string> Walk(string directory)
    {
        var pending = new Stack<string>([directory]);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            IEnumerable<string> entries;
            try
            {
                entries = Directory.EnumerateFileSystemEntries(current).ToList();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var entry in entries)
            {
                if (Directory.Exists(entry))
                {
                    if (!SkippedDirectories.Contains(Path.GetFileName(entry)))
                    {
                        pending.Push(entry);
                    }
                }
                else
                {
                    yield return entry;
                }
            }
        }
    }

    /// <summary>Paths under the working directory print relative to it, with forward slashes.</summary>
    private static string Display(string path)
    {
        var full = Path.GetFullPath(path);
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, full);
        var shown = relative.StartsWith("..", StringComparison.Ordinal) ? full : relative;
        return shown.Replace('\\', '/');
    }
}
