using MLIntern.Analysis.Findings;
using MLIntern.Server.Cli;
using MLIntern.Server.Engine;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Tests;

public sealed class SettingsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mlintern-settings-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Script = "from transformers import TrainingArguments\nargs = TrainingArguments(evaluation_strategy='epoch')\n";

    [Fact]
    public void Toml_subset_reads_tables_arrays_over_lines_comments_and_skips_the_rest()
    {
        var tables = Toml.Parse("""
            [project]
            name = "x"  # a comment
            [tool.mlintern]
            select = [
              "MLI5",  # transformers
              'MLD',
            ]
            ignore = ["MLI503"]
            max-rows = 1_000
            weird = {inline = "table"}
            [tool.mlintern.severity]
            MLI501 = "warning"
            "MLD012" = 'hint'
            """);
        Assert.Equal("x", tables["project"]["name"]);
        Assert.Equal(["MLI5", "MLD"], (List<object>)tables["tool.mlintern"]["select"]);
        Assert.Equal(1000d, tables["tool.mlintern"]["max-rows"]);
        Assert.False(tables["tool.mlintern"].ContainsKey("weird"));
        Assert.Equal("hint", tables["tool.mlintern.severity"]["MLD012"]);
    }

    [Fact]
    public void Pyproject_selection_applies_to_check_and_editor_settings_override_it()
    {
        File.WriteAllText(Path.Combine(_dir, "pyproject.toml"), "[tool.mlintern.severity]\nMLI501 = \"warning\"\n");
        var script = Path.Combine(_dir, "train.py");
        File.WriteAllText(script, Script);

        Assert.Equal(Severity.Warning, Assert.Single(FileChecks.CheckFile(script)).Severity);

        var editor = JObject.Parse("""{"severity": {"MLI501": "hint"}}""");
        Assert.Equal(Severity.Hint, RuleSettings.For(script, editor).SeverityOf("MLI501", Severity.Error));

        File.WriteAllText(Path.Combine(_dir, "pyproject.toml"), "[tool.mlintern]\nignore = [\"MLI5\"]\n");
        Assert.Empty(FileChecks.CheckFile(script));
        Assert.Equal(0, CheckCommand.Run([script], "text", new StringWriter(), new StringWriter()));
    }

    [Fact]
    public void Bad_values_are_reported_naming_the_file_and_skipped()
    {
        File.WriteAllText(Path.Combine(_dir, "pyproject.toml"), "[tool.mlintern.severity]\nMLI501 = \"loud\"\n");
        var script = Path.Combine(_dir, "train.py");
        File.WriteAllText(script, Script);
        var problems = new List<string>();
        Assert.Equal(Severity.Error, Assert.Single(FileChecks.CheckFile(script, problems)).Severity);
        Assert.Contains(problems, p => p.Contains("pyproject.toml", StringComparison.Ordinal) && p.Contains("'loud'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Changing_the_severity_setting_republishes_open_documents()
    {
        await using var client = LspClient.Start();
        await client.InitializeAsync();
        const string uri = "file:///nonexistent/settings/train.py";
        await client.NotifyAsync("textDocument/didOpen", new { textDocument = new { uri, languageId = "python", version = 1, text = Script } });
        var first = await client.WaitForDiagnosticsAsync(uri, 1);
        Assert.Equal(1, (int)first.SelectToken("diagnostics[0].severity")!);

        await client.NotifyAsync("workspace/didChangeConfiguration", new { settings = new { mlintern = new { severity = new { MLI501 = "warning" } } } });
        var again = await client.WaitForNotificationAsync("textDocument/publishDiagnostics", p => (string?)p["uri"] == uri && (int?)p.SelectToken("diagnostics[0].severity") == 2);
        Assert.Equal(1, (int)again["version"]!);

        await client.NotifyAsync("workspace/didChangeConfiguration", new { settings = new { mlintern = new { ignore = new[] { "MLI501" } } } });
        await client.WaitForNotificationAsync("textDocument/publishDiagnostics", p => (string?)p["uri"] == uri && ((JArray)p["diagnostics"]!).Count == 0);
    }
}
