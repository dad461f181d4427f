using System.Diagnostics;
using MLIntern.Server.Cli;
using MLIntern.Server.Engine;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Tests;

/// <summary>The `mlintern` executable as a user runs it: real process, real files.</summary>
public sealed class CliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mlintern-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    internal static (int Code, string Stdout, string Stderr) Run(string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mlintern.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private string MakeSample()
    {
        var project = Path.Combine(_dir, "sample");
        var (code, _, stderr) = Run(_dir, "sample", project);
        Assert.True(code == 0, stderr);
        return project;
    }

    /// <summary>The planted defect's line, found by reading the file rather than trusting the generator.</summary>
    private static int RaggedLine(string project) =>
        Array.FindIndex(File.ReadAllLines(Path.Combine(project, "data", "tickets.csv")), l => l.StartsWith("where is my refund, it has", StringComparison.Ordinal)) + 1;

    [Fact]
    public void Check_on_the_sample_prints_MLD012_on_the_ragged_line_and_exits_1()
    {
        var project = MakeSample();
        var (code, stdout, _) = Run(project, "check", ".");
        Assert.Equal(1, code);
        Assert.Contains($"data/tickets.csv:{RaggedLine(project)}:1: MLD012 ", stdout, StringComparison.Ordinal);
        Assert.Contains("train.py:38:5: MLI501 [*] ", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_output_is_an_array_of_findings_with_1_based_positions()
    {
        var project = MakeSample();
        var (code, stdout, _) = Run(project, "check", "data/tickets.csv", "train.py", "--format", "json");
        Assert.Equal(1, code);
        var findings = JArray.Parse(stdout);
        var data = findings.Single(f => (string?)f["code"] == "MLD012");
        Assert.Equal("data/tickets.csv", (string?)data["path"]);
        Assert.Equal(RaggedLine(project), (int)data["line"]!);
        Assert.Equal(1, (int)data["column"]!);
        Assert.Equal(JTokenType.Null, data["fix"]!.Type);
        var script = findings.Single(f => (string?)f["code"] == "MLI501");
        foreach (var key in new[] { "code", "severity", "message", "path", "line", "column", "end_line", "end_column", "fix" })
        {
            Assert.NotNull(script[key]);
        }

        Assert.Equal("safe", (string?)script.SelectToken("fix.applicability"));
        Assert.Equal("eval_strategy", (string?)script.SelectToken("fix.edits[0].content"));
        Assert.Equal((int)script["column"]!, (int)script.SelectToken("fix.edits[0].column")!);
    }

    [Fact]
    public void Sarif_output_has_every_field_the_2_1_0_schema_requires()
    {
        var project = MakeSample();
        var (code, stdout, _) = Run(project, "check", ".", "--format", "sarif");
        Assert.Equal(1, code);
        var log = JObject.Parse(stdout);
        Assert.Equal("2.1.0", (string?)log["version"]);
        var run = (JObject)Assert.Single((JArray)log["runs"]!);
        Assert.Equal("mlintern", (string?)run.SelectToken("tool.driver.name"));
        var rules = (JArray)run.SelectToken("tool.driver.rules")!;
        Assert.All(rules, r => Assert.False(string.IsNullOrEmpty((string?)r["id"])));
        var results = (JArray)run["results"]!;
        // The script's renamed argument and the data set's ragged row, plus the data set's MLD findings.
        Assert.Single(results, r => (string?)r["ruleId"] == "MLI501");
        Assert.Single(results, r => (string?)r["ruleId"] == "MLD012");
        Assert.Contains(results, r => (string?)r["ruleId"] == "MLD008");
        foreach (var result in results)
        {
            Assert.False(string.IsNullOrEmpty((string?)result.SelectToken("message.text")));
            var ruleIndex = (int)result["ruleIndex"]!;
            Assert.Equal((string?)result["ruleId"], (string?)rules[ruleIndex]["id"]);
            Assert.Contains((string?)result["level"], new[] { "error", "warning", "note", "none" });
            var region = result.SelectToken("locations[0].physicalLocation.region")!;
            Assert.True((int)region["startLine"]! >= 1);
            Assert.False(string.IsNullOrEmpty((string?)result.SelectToken("locations[0].physicalLocation.artifactLocation.uri")));
        }
    }

    [Fact]
    public void Exit_codes_follow_ruff()
    {
        File.WriteAllText(Path.Combine(_dir, "clean.py"), "print('hello')\n");
        File.WriteAllText(Path.Combine(_dir, "clean.csv"), "a,b\n1,2\n");
        var clean = Run(_dir, "check", ".");
        Assert.Equal(0, clean.Code);
        Assert.Contains("All checks passed!", clean.Stdout, StringComparison.Ordinal);

        var missing = Run(_dir, "check", "nowhere.py");
        Assert.Equal(2, missing.Code);
        Assert.Contains("nowhere.py: no such file or directory", missing.Stderr, StringComparison.Ordinal);

        Assert.Equal(2, Run(_dir, "check", ".", "--format", "xml").Code);
        Assert.Equal(2, Run(_dir, "frobnicate").Code);
        Assert.Equal(2, Run(_dir, "check").Code);
    }

    [Fact]
    public void A_syntax_error_is_a_finding_in_every_format_and_exits_1()
    {
        // Neither the comment on the line nor the project's rule selection silences it.
        File.WriteAllText(Path.Combine(_dir, "pyproject.toml"), "[tool.mlintern]\nselect = [\"MLD\"]\nignore = [\"MLI000\"]\n");
        File.WriteAllText(Path.Combine(_dir, "broken.py"), "import torch\nif torch.cuda.is_available()  # noqa\n    print('gpu')\n");

        var text = Run(_dir, "check", ".");
        Assert.Equal(1, text.Code);
        Assert.Contains("broken.py:2:29: MLI000 SyntaxError: expected ':'", text.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("All checks passed!", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("Found 1 problem.", text.Stdout, StringComparison.Ordinal);

        var json = Run(_dir, "check", "broken.py", "--format", "json");
        Assert.Equal(1, json.Code);
        var finding = (JObject)Assert.Single(JArray.Parse(json.Stdout));
        Assert.Equal(("MLI000", "error", "broken.py", 2, 29), ((string?)finding["code"], (string?)finding["severity"], (string?)finding["path"], (int)finding["line"]!, (int)finding["column"]!));
        Assert.EndsWith("docs/rules/MLI000.md", (string?)finding["url"]);
        Assert.Equal(JTokenType.Null, finding["fix"]!.Type);

        var sarif = Run(_dir, "check", ".", "--format", "sarif");
        Assert.Equal(1, sarif.Code);
        var run = JObject.Parse(sarif.Stdout).SelectToken("runs[0]")!;
        Assert.Equal("invalid-syntax", (string?)run.SelectToken("tool.driver.rules[0].name"));
        var result = Assert.Single((JArray)run["results"]!);
        Assert.Equal(("MLI000", "error"), ((string?)result["ruleId"], (string?)result["level"]));
        Assert.Equal(2, (int)result.SelectToken("locations[0].physicalLocation.region.startLine")!);
        Assert.Equal(29, (int)result.SelectToken("locations[0].physicalLocation.region.startColumn")!);
    }

    [Fact]
    public void Scripts_are_decoded_as_Python_decodes_them()
    {
        // A coding declaration and a BOM are honoured; undecodable UTF-8 is the syntax error Python reports.
        var latin1 = System.Text.Encoding.ASCII.GetBytes("# -*- coding: latin-1 -*-\nname = 'caf").Concat(new byte[] { 0xE9 }).Concat(System.Text.Encoding.ASCII.GetBytes("'\n")).ToArray();
        File.WriteAllBytes(Path.Combine(_dir, "latin1.py"), latin1);
        File.WriteAllBytes(Path.Combine(_dir, "bom.py"), [0xEF, 0xBB, 0xBF, .. "print('hello')\n"u8.ToArray()]);
        var clean = Run(_dir, "check", ".");
        Assert.True(clean.Code == 0, clean.Stdout + clean.Stderr);

        File.WriteAllBytes(Path.Combine(_dir, "latin1.py"), latin1[latin1.AsSpan().IndexOf((byte)'\n')..][1..]);
        var broken = Run(_dir, "check", "latin1.py");
        Assert.Equal(1, broken.Code);
        Assert.Contains("latin1.py:1:1: MLI000 SyntaxError: (unicode error) 'utf-8' codec can't decode byte", broken.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_check_reads_only_the_json_files_its_scripts_load()
    {
        // A project's tooling and a checkpoint's config are JSON but not data sets.
        Directory.CreateDirectory(Path.Combine(_dir, "web"));
        Directory.CreateDirectory(Path.Combine(_dir, "ckpt"));
        Directory.CreateDirectory(Path.Combine(_dir, "data"));
        Directory.CreateDirectory(Path.Combine(_dir, "node_modules", "pkg"));
        File.WriteAllText(Path.Combine(_dir, "web", "package.json"), "{\n  \"name\": \"web\",\n  \"scripts\": {\"build\": \"tsc\"},\n  \"devDependencies\": {\"typescript\": \"^5.0.0\"}\n}\n");
        File.WriteAllText(Path.Combine(_dir, "web", "tsconfig.json"), "{\n  // comments are allowed here\n  \"compilerOptions\": {\"strict\": true,},\n}\n");
        File.WriteAllText(Path.Combine(_dir, "ckpt", "config.json"), "{\n  \"architectures\": [\"BertForSequenceClassification\"],\n  \"id2label\": {\"0\": \"neg\", \"1\": \"pos\"}\n}\n");
        File.WriteAllText(Path.Combine(_dir, "node_modules", "pkg", "broken.csv"), "a,b\n1,2,3\n");
        // The loaded one has a broken record, which must still be found.
        File.WriteAllText(Path.Combine(_dir, "data", "train.json"), "[{\"text\": \"good\", \"label\": \"pos\"},\n{\"text\": \"meh\" \"label\": \"neg\"}]\n");
        File.WriteAllText(Path.Combine(_dir, "train.py"), "import pandas as pd\n\ndf = pd.read_json(\"data/train.json\")\nprint(df.head())\n");

        var (code, stdout, stderr) = Run(_dir, "check", ".", "--format", "json");
        Assert.True(code == 1, stdout + stderr);
        var paths = JArray.Parse(stdout).Select(f => (string?)f["path"]).Distinct().ToList();
        Assert.Equal(["data/train.json"], paths);
        Assert.Contains(JArray.Parse(stdout), f => (string?)f["code"] == "MLD012" && (int)f["line"]! == 2);

        // Named on the command line, a .json file is checked whatever loads it.
        var named = Run(_dir, "check", "ckpt/config.json", "web", "--format", "json");
        Assert.Equal(["ckpt/config.json"], JArray.Parse(named.Stdout).Select(f => (string?)f["path"]).Distinct());

        // Without the script that loads it, the folder's .json is not checked.
        File.Delete(Path.Combine(_dir, "train.py"));
        var alone = Run(_dir, "check", ".");
        Assert.Equal(0, alone.Code);
        Assert.Contains("All checks passed!", alone.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Sample_refuses_to_overwrite_a_folder_that_is_not_empty()
    {
        File.WriteAllText(Path.Combine(_dir, "mine.txt"), "keep me");
        var (code, _, stderr) = Run(_dir, "sample", _dir);
        Assert.Equal(2, code);
        Assert.Contains("not empty", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "train.py")));
    }

    [Fact]
    public void Version_prints_the_version()
    {
        var (code, stdout, _) = Run(_dir, "--version");
        Assert.Equal(0, code);
        Assert.StartsWith("0.", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Rule_pages_in_docs_are_generated_from_the_rules()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "MLIntern.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("repository root not found");
        }

        foreach (var rule in RuleCatalog.All)
        {
            var page = Path.Combine(root, "docs", "rules", rule.Code + ".md");
            Assert.True(File.Exists(page), $"{page} is missing: run `mlintern debug rule-docs docs/rules`");
            Assert.True(File.ReadAllText(page) == RulePages.Render(rule), $"{page} is stale: run `mlintern debug rule-docs docs/rules`");
        }
    }
}

public sealed class CliFixTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mlintern-fix-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Script = "from transformers import TrainingArguments\r\nargs = TrainingArguments(\r\n    output_dir='o',\r\n    evaluation_strategy='epoch',\r\n)\r\n";

    [Fact]
    public void Diff_prints_the_change_and_writes_nothing()
    {
        var path = Path.Combine(_dir, "train.py");
        File.WriteAllText(path, Script);
        var output = new StringWriter();
        var errors = new StringWriter();
        var code = CheckCommand.Run([path], "text", CheckCommand.FixMode.Diff, MLIntern.Findings.Applicability.Safe, output, errors);
        Assert.Equal(1, code);
        Assert.Contains("-    evaluation_strategy='epoch',\n+    eval_strategy='epoch',\n", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("@@ -1,5 +1,5 @@", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(Script, File.ReadAllText(path));
    }

    [Fact]
    public void Fix_writes_the_safe_fix_keeps_line_endings_and_reports_what_is_left()
    {
        var path = Path.Combine(_dir, "train.py");
        File.WriteAllText(path, Script);
        var output = new StringWriter();
        var errors = new StringWriter();
        var code = CheckCommand.Run([path], "text", CheckCommand.FixMode.Write, MLIntern.Findings.Applicability.Safe, output, errors);
        Assert.Equal(0, code);
        Assert.Equal(Script.Replace("evaluation_strategy", "eval_strategy", StringComparison.Ordinal), File.ReadAllText(path));
        Assert.Contains("Fixed 1 problem", errors.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(path + ".mlintern-tmp"));
    }

    [Fact]
    public void Fix_refuses_a_file_that_is_not_utf8()
    {
        var path = Path.Combine(_dir, "train.py");
        var bytes = System.Text.Encoding.UTF8.GetBytes("# caf").Concat(new byte[] { 0xE9, (byte)'\n' }).Concat(System.Text.Encoding.UTF8.GetBytes(Script)).ToArray();
        File.WriteAllBytes(path, bytes);
        var errors = new StringWriter();
        var code = CheckCommand.Run([path], "text", CheckCommand.FixMode.Write, MLIntern.Findings.Applicability.Safe, new StringWriter(), errors);
        Assert.Equal(2, code);
        Assert.Contains("not valid UTF-8", errors.ToString(), StringComparison.Ordinal);
        Assert.Equal(bytes, File.ReadAllBytes(path));
    }
}
