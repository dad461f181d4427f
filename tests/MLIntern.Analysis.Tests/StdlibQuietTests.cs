using MLIntern.Analysis.Rules;

namespace MLIntern.Analysis.Tests;

/// <summary>
/// The CPython 3.13 standard library trains nothing, so no script rule may fire on it: rules about
/// training fire only where a file does ML work. Every file, every rule.
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
        var noisy = new List<string>();
        foreach (var file in files)
        {
            var findings = ScriptChecker.Check(File.ReadAllText(file));
            noisy.AddRange(findings.Select(f => $"{Path.GetRelativePath(stdlib!, file)}:{f.Range.Line}: {f.Code} {f.Message}"));
        }

        Assert.True(noisy.Count == 0, $"{noisy.Count} finding(s) on the stdlib, e.g.:\n{string.Join("\n", noisy.Take(20))}");
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
