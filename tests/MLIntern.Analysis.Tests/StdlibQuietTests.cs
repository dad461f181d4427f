using System.Diagnostics;
using MLIntern.Analysis.Rules;
using MLIntern.Analysis.Rules.Syntax;
using MLIntern.Python.Parsing;
using MLIntern.Python.Text;

namespace MLIntern.Analysis.Tests;

/// <summary>
/// The CPython 3.13 standard library trains nothing, so no script rule may fire on it: rules about
/// training fire only where a file does ML work. Every file, every rule. MLI000 (invalid syntax)
/// fires on exactly the files CPython 3.13's <c>ast.parse</c> rejects, asked of python3.13 itself.
/// Files are decoded from their bytes as Python decodes them (BOM, coding declaration).
/// </summary>
public sealed class StdlibQuietTests
{
    [Fact]
    public void No_rule_fires_on_the_CPython_313_standard_library()
    {
        var stdlib = Stdlib313();
        Assert.True(stdlib is not null, "CPython 3.13's standard library was not found (pyenv 3.13 is part of this machine kind)");
        var files = Directory.EnumerateFiles(stdlib!, "*.py", SearchOption.AllDirectories).ToList();
        Assert.True(files.Count > 1000, $"only {files.Count} files under {stdlib}");
        var rejected = RejectedByCPython(stdlib!, files);
        Assert.True(rejected.Count > 0, "CPython 3.13 rejects some test files of its own stdlib (badsyntax_*.py); none were reported");
        var noisy = new List<string>();
        var syntax = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var findings = ScriptChecker.Check(Parser.Parse(SourceText.FromBytes(File.ReadAllBytes(file))));
            var relative = Path.GetRelativePath(stdlib!, file);
            if (findings.Any(f => f.Code == InvalidSyntax.Rule.Code))
            {
                syntax.Add(relative);
            }

            noisy.AddRange(findings.Where(f => f.Code != InvalidSyntax.Rule.Code).Select(f => $"{relative}:{f.Range.Line}: {f.Code} {f.Message}"));
        }

        Assert.True(noisy.Count == 0, $"{noisy.Count} finding(s) on the stdlib, e.g.:\n{string.Join("\n", noisy.Take(20))}");
        var missed = rejected.Except(syntax).Order(StringComparer.Ordinal).ToList();
        var extra = syntax.Except(rejected).Order(StringComparer.Ordinal).ToList();
        Assert.True(missed.Count == 0 && extra.Count == 0,
            $"MLI000 must fire on exactly the {rejected.Count} files CPython rejects; missing on: {string.Join(", ", missed.Take(10))}; extra on: {string.Join(", ", extra.Take(10))}");
    }

    /// <summary>The files (relative to <paramref name="stdlib"/>) python3.13's <c>ast.parse</c> rejects, in one python3.13 process.</summary>
    private static HashSet<string> RejectedByCPython(string stdlib, IReadOnlyList<string> files)
    {
        var python = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(stdlib)!)!, "bin", "python3.13");
        Assert.True(File.Exists(python), $"python3.13 not found at {python}");
        const string script = """
            import ast, sys, warnings
            warnings.simplefilter("ignore")
            for line in sys.stdin:
                path = line.rstrip("\n")
                try:
                    with open(path, "rb") as f:
                        ast.parse(f.read())
                except (SyntaxError, ValueError):
                    print(path)
            """;
        var start = new ProcessStartInfo(python) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        foreach (var file in files)
        {
            process.StandardInput.WriteLine(file);
        }

        process.StandardInput.Close();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return [.. output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(p => Path.GetRelativePath(stdlib, p))];
    }

    private static string? Stdlib313()
    {
        var root = Environment.GetEnvironmentVariable("PYENV_ROOT") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".pyenv");
        var versions = Path.Combine(root, "versions");
        if (!Directory.Exists(versions))
        {
            return null;
        }

        return Directory.EnumerateDirectories(versions, "3.13*")
            .Select(v => Path.Combine(v, "lib", "python3.13"))
            .FirstOrDefault(Directory.Exists);
    }
}
