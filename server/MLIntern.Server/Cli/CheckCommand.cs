using System.CommandLine;
using MLIntern.Analysis.Findings;
using MLIntern.Server.Engine;

namespace MLIntern.Server.Cli;

/// <summary>A finding with the file it was found in, as the CLI reports it.</summary>
internal sealed record FileFinding(string Path, Finding Finding);

internal static class CheckCommand
{
    private static readonly string[] SkippedDirectories = [".git", "node_modules", ".venv", "venv", "__pycache__", "bin", "obj", ".mlintern", ".e2e"];

    public static Command Create()
    {
        var paths = new Argument<string[]>("PATH") { Description = "Files or folders to check (folders: every .py, .csv, .tsv and .jsonl file below)", Arity = ArgumentArity.OneOrMore };
        var format = new Option<string>("--format") { Description = "Output format: text, json or sarif", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json", "sarif");
        var fix = new Option<bool>("--fix") { Description = "Apply safe fixes to the files, then report what is left" };
        var unsafeFixes = new Option<bool>("--unsafe-fixes") { Description = "With --fix or --diff: apply unsafe fixes too (they may change behaviour)" };
        var diff = new Option<bool>("--diff") { Description = "Print the fixes as a unified diff; change no file" };
        var command = new Command("check", "Check training scripts and data files; print the findings.") { paths, format, fix, unsafeFixes, diff };
        command.SetAction(parse =>
        {
            var mode = parse.GetValue(diff) ? FixMode.Diff : parse.GetValue(fix) ? FixMode.Write : FixMode.None;
            var allowed = parse.GetValue(unsafeFixes) ? Applicability.Unsafe : Applicability.Safe;
            return Run(parse.GetValue(paths) ?? [], parse.GetValue(format) ?? "text", mode, allowed, Console.Out, Console.Error);
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
    private sealed record Outcome(IReadOnlyList<Finding> Findings, string? Diff, int Fixed, string? Error, List<string> Problems);

    internal static int Run(IReadOnlyList<string> paths, string format, FixMode mode, Applicability allowed, TextWriter output, TextWriter errors)
    {
        var failed = false;
        var files = Expand(paths, errors, ref failed);

        // Files are independent: check them on every core, then report in the stable file order.
        var outcomes = new Outcome[files.Count];
        Parallel.For(0, files.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i => outcomes[i] = Process(files[i], mode, allowed));

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
                results.AddRange(outcome.Findings.Select(f => new FileFinding(Display(files[i]), f)));
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

    private static Outcome Process(string file, FixMode mode, Applicability allowed)
    {
        var problems = new List<string>();
        try
        {
            var findings = FileChecks.CheckFile(file, problems);
            if (mode == FixMode.None || FileChecks.KindOf(file) != FileKind.Script)
            {
                return new Outcome(findings, null, 0, null, problems);
            }

            var fixes = Edits.Select(findings, allowed);
            if (fixes.Count == 0)
            {
                return new Outcome(findings, null, 0, null, problems);
            }

            if (FileChecks.ReadUtf8Text(file) is not { } text)
            {
                // Writing the decoded text back as UTF-8 would replace invalid bytes or change the encoding: refuse instead.
                return new Outcome(findings, null, 0, $"error: {Display(file)}: not valid UTF-8; fixes were not applied", problems);
            }

            var after = Edits.Apply(text, fixes.SelectMany(f => f.Edits));
            if (mode == FixMode.Diff)
            {
                return new Outcome(findings, UnifiedDiff.Render(Display(file), text, after), 0, null, problems);
            }

            FileChecks.WriteText(file, after);
            return new Outcome(FileChecks.CheckFile(file, problems), null, fixes.Count, null, problems);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new Outcome([], null, 0, $"error: {Display(file)}: {e.Message}", problems);
        }
    }

    /// <summary>The files to check, in a stable order. A path that does not exist is an error naming it.</summary>
    private static List<string> Expand(IReadOnlyList<string> paths, TextWriter errors, ref bool failed)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                files.Add(path);
            }
            else if (Directory.Exists(path))
            {
                files.AddRange(Walk(path).Where(f => FileChecks.KindOf(f) != FileKind.None).Order(StringComparer.Ordinal));
            }
            else
            {
                errors.WriteLine($"error: {path}: no such file or directory");
                failed = true;
            }
        }

        return files;
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
