using System.Globalization;

namespace MLIntern.Server.Tests;

/// <summary>
/// A third real editor end to end: Emacs's eglot (1.9 on Emacs 28, Debian's elpa-eglot), in batch mode, driving
/// the real `mlintern serve` (tests/clients/eglot/run.el: open, diagnostics as eglot places them, code actions,
/// apply the quick fix through eglot's own code path, save, shutdown and exit). eglot knows no pull diagnostics and
/// no position encodings: the server pushes, and its UTF-16 columns must land on the right Emacs characters.
/// Needs emacs and elpa-eglot (`apt-get install -y emacs-nox elpa-eglot`); without them the test fails and says so.
/// </summary>
public sealed class EglotClientTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mlintern-eglot-" + Guid.NewGuid().ToString("N")[..8]);

    public EglotClientTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Eglot_shows_the_findings_where_they_are_and_applies_the_quick_fix()
    {
        // The same script as the neovim test: an é and an emoji (two UTF-16 units, one Emacs character) before a finding.
        var (project, script, original) = EditorProcess.MakeProject(_dir);
        var output = Path.Combine(_dir, "out.json");

        var info = EditorProcess.StartInfo("emacs", "Debian: apt-get install -y emacs-nox elpa-eglot", project, "--batch", "-l", Path.Combine(ProtocolSamples.RepoRoot(), "tests", "clients", "eglot", "run.el"));

        info.Environment["HOME"] = Path.Combine(_dir, "home");
        info.Environment["MLINTERN_CMD"] = EditorProcess.ServerCommand;
        info.Environment["MLINTERN_FILE"] = script;
        info.Environment["MLINTERN_OUT"] = output;
        info.Environment["MLINTERN_SETTINGS"] = """{"mlintern": {"ignore": ["MLI505"]}}""";

        var (result, exitCode, said) = await EditorProcess.RunAsync(info, output, TimeSpan.FromMinutes(3));
        Assert.True(result["error"] is null, said);
        Assert.Equal(0, exitCode);
        Assert.Equal(["opened", "connected", "diagnostics", "actions", "applied", "saved", "stopped"], result["steps"]!.Select(s => (string)s!));
        Assert.Equal("mlintern", (string?)result["server_name"]);

        // shutdown answered (null), then exit: the server ends on its own with 0.
        Assert.True((bool)result.SelectToken("shutdown.answered")!, said);
        Assert.Equal(Newtonsoft.Json.Linq.JTokenType.Null, result.SelectToken("shutdown.result")!.Type);
        Assert.Equal("exit", (string?)result.SelectToken("server_exit.status"));
        Assert.Equal(0, (int)result.SelectToken("server_exit.code")!);

        // The findings at their lines (0-based), MLI505 ignored through the settings eglot answers workspace/configuration with.
        var diagnostics = result["diagnostics"]!;
        Assert.Equal(["6 MLI105", "9 MLI501", "10 MLI101", "10 MLI106"], diagnostics.Select(d => $"{(int)d["lnum"]!} {(string)d["code"]!}"));
        Assert.All(diagnostics, d => Assert.Equal("mlintern", (string?)d["source"]));

        // Emacs counts characters (code points): the server's UTF-16 column came through after é and the emoji.
        var line = original.Split('\n')[9];
        var at = line.IndexOf("evaluation_strategy", StringComparison.Ordinal);
        var mli501 = diagnostics.Single(d => (string?)d["code"] == "MLI501");
        Assert.Equal(new StringInfo(line[..at]).LengthInTextElements, (int)mli501["col"]!);
        Assert.NotEqual(at, (int)mli501["col"]!);
        Assert.Equal((int)mli501["col"]! + "evaluation_strategy".Length, (int)mli501["end_col"]!);

        Assert.Contains(result["actions"]!, a => (string?)a["kind"] == "quickfix" && ((string?)a["title"])!.StartsWith("Rename 'evaluation_strategy' to 'eval_strategy'", StringComparison.Ordinal));

        // The quick fix applied by eglot and saved: exactly the rename, and the diagnostics without MLI501.
        Assert.Equal(original.Replace("evaluation_strategy=", "eval_strategy=", StringComparison.Ordinal), File.ReadAllText(script));
        Assert.Equal(["6 MLI105", "10 MLI101", "10 MLI106"], result["after"]!.Select(d => $"{(int)d["lnum"]!} {(string)d["code"]!}"));
    }
}
