using System.Text;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Tests;

/// <summary>
/// A second real editor end to end: neovim's built-in LSP client, headless, driving the real
/// `mlintern serve` (tests/clients/nvim/init.lua: open, diagnostics, code actions, apply the quick
/// fix, write, shutdown). Needs neovim 0.7 or later on PATH (`apt-get install -y neovim`); without
/// it the test fails and says so.
/// </summary>
public sealed class NeovimClientTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mlintern-nvim-" + Guid.NewGuid().ToString("N")[..8]);

    public NeovimClientTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Neovim_shows_the_findings_and_applies_the_quick_fix()
    {
        var clientFolder = Path.Combine(ProtocolSamples.RepoRoot(), "tests", "clients", "nvim");
        var (project, script, original) = EditorProcess.MakeProject(_dir);
        var output = Path.Combine(_dir, "out.json");

        var info = EditorProcess.StartInfo("nvim", "Debian: apt-get install -y neovim", project, "--headless", "-n", "-i", "NONE", "-u", Path.Combine(clientFolder, "init.lua"));

        info.Environment["MLINTERN_CMD"] = EditorProcess.ServerCommand;
        info.Environment["MLINTERN_FILE"] = script;
        info.Environment["MLINTERN_OUT"] = output;
        info.Environment["MLINTERN_SETTINGS"] = """{"mlintern": {"ignore": ["MLI505"]}}""";
        foreach (var xdg in new[] { "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME" })
        {
            info.Environment[xdg] = Path.Combine(_dir, xdg.ToLowerInvariant());
        }

        var (result, exitCode, said) = await EditorProcess.RunAsync(info, output, TimeSpan.FromMinutes(3));
        Assert.True(result["error"] is null, said);
        Assert.Equal(0, exitCode);
        Assert.Equal("stopped", (string?)result["steps"]!.Last());

        // shutdown then exit, as neovim's stop_client sends them: exit code 0.
        Assert.Equal(0, (int)result.SelectToken("server_exit.code")!);
        Assert.Equal("utf-16", (string?)result["position_encoding"]);

        // The findings at their lines (0-based), MLI505 ignored through the settings neovim answers workspace/configuration with;
        // the data findings come from tickets.csv next to the script.
        var diagnostics = (JArray)result["diagnostics"]!;
        Assert.Equal(
            ["6 MLI105", "9 MLI501", "10 MLI101", "10 MLI106"],
            diagnostics.Select(d => $"{(int)d["lnum"]!} {(string)d["code"]!}"));
        Assert.All(diagnostics, d => Assert.Equal("mlintern", (string?)d["source"]));

        // neovim counts columns in bytes: the server's UTF-16 column came through after é and an emoji.
        var line = original.Split('\n')[9];
        var mli501 = diagnostics.Single(d => (string?)d["code"] == "MLI501");
        Assert.Equal(Encoding.UTF8.GetByteCount(line[..line.IndexOf("evaluation_strategy", StringComparison.Ordinal)]), (int)mli501["col"]!);
        Assert.Equal((int)mli501["col"]! + "evaluation_strategy".Length, (int)mli501["end_col"]!);

        Assert.Contains(result["actions"]!, a => (string?)a["kind"] == "quickfix" && ((string?)a["title"])!.StartsWith("Rename 'evaluation_strategy' to 'eval_strategy'", StringComparison.Ordinal));

        // The quick fix applied by neovim and written: exactly the rename, and the diagnostics without MLI501.
        Assert.Equal(original.Replace("evaluation_strategy=", "eval_strategy=", StringComparison.Ordinal), File.ReadAllText(script));
        Assert.Equal(["6 MLI105", "10 MLI101", "10 MLI106"], result["after"]!.Select(d => $"{(int)d["lnum"]!} {(string)d["code"]!}"));
    }
}
