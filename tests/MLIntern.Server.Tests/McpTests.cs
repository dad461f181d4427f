using System.Diagnostics;
using System.Text.Json;
using MLIntern.Server.Engine;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Tests;

/// <summary>
/// `mlintern mcp` as an MCP client uses it: the SDK's own client starts the real executable over stdio,
/// lists the tools and calls each on the sample project (`mlintern sample`), with a real baseline run to evaluate.
/// </summary>
public sealed class McpTests : IAsyncLifetime
{
    private static readonly string[] ReadOnlyTools = ["check_script", "estimate_plan", "evaluate_run", "explain_rule", "inspect_dataset"];

    private readonly string _dir = Directory.CreateTempSubdirectory("mlintern-mcp-").FullName;
    private string _project = "";
    private McpClient? _client;

    private McpClient Client => _client!;

    public async Task InitializeAsync()
    {
        _project = Path.Combine(_dir, "sample");
        var (code, _, stderr) = CliTests.Run(_dir, "sample", _project);
        Assert.True(code == 0, stderr);
        _client = await Connect(_project, _dir);
    }

    public async Task DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }

        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>The real executable, `dotnet mlintern.dll mcp --workspace DIR`, started from another folder.</summary>
    private static Task<McpClient> Connect(string workspace, string workingDirectory) =>
        McpClient.CreateAsync(new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "mlintern",
            Command = "dotnet",
            Arguments = [Path.Combine(AppContext.BaseDirectory, "mlintern.dll"), "mcp", "--workspace", workspace],
            WorkingDirectory = workingDirectory,
        }));

    private async Task<CallToolResult> Call(string tool, Dictionary<string, object?> arguments) =>
        await Client.CallToolAsync(tool, arguments);

    private static string Text(CallToolResult result) => Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;

    /// <summary>A successful call's JSON answer.</summary>
    private async Task<JToken> Answer(string tool, Dictionary<string, object?> arguments)
    {
        var result = await Call(tool, arguments);
        Assert.True(result.IsError != true, $"{tool} failed: {Text(result)}");
        return JToken.Parse(Text(result));
    }

    /// <summary>A refused call: a tool result marked as an error, with its message.</summary>
    private async Task<string> Refusal(string tool, Dictionary<string, object?> arguments)
    {
        var result = await Call(tool, arguments);
        Assert.True(result.IsError == true, $"{tool} should have been refused, answered: {Text(result)}");
        return Text(result);
    }

    [Fact]
    public async Task Lists_exactly_the_read_only_tools_each_with_a_closed_input_schema()
    {
        var tools = await Client.ListToolsAsync();
        Assert.Equal(ReadOnlyTools, tools.Select(t => t.Name).Order(StringComparer.Ordinal));
        foreach (var tool in tools.Select(t => t.ProtocolTool))
        {
            Assert.False(string.IsNullOrWhiteSpace(tool.Description));
            Assert.Equal("object", tool.InputSchema.GetProperty("type").GetString());
            Assert.False(tool.InputSchema.GetProperty("additionalProperties").GetBoolean());
            Assert.True(tool.InputSchema.GetProperty("properties").EnumerateObject().Any(), tool.Name);
            Assert.True(tool.Annotations?.ReadOnlyHint, tool.Name);
            Assert.False(tool.Annotations?.DestructiveHint ?? true, tool.Name);
        }

        var required = tools.ToDictionary(t => t.Name, t => t.ProtocolTool.InputSchema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(e => e.GetString() ?? "").ToArray() : []);
        Assert.Equal(["path"], required["check_script"]);
        Assert.Equal(["path"], required["inspect_dataset"]);
        Assert.Equal(["run"], required["evaluate_run"]);
        Assert.Equal(["code"], required["explain_rule"]);
        Assert.Empty(required["estimate_plan"]);
    }

    [Fact]
    public async Task Check_script_reports_the_engines_findings_and_changes_nothing()
    {
        var before = Snapshot(_project);
        var answer = await Answer("check_script", new() { ["path"] = "." });
        var findings = (JArray)answer["findings"]!;
        Assert.Contains("train.py", answer["files"]!.Select(f => (string)f!));
        var renamed = findings.Single(f => (string?)f["code"] == "MLI501");
        Assert.Equal("train.py", (string?)renamed["path"]);
        Assert.Equal(38, (int)renamed["line"]!);
        Assert.Equal("safe", (string?)renamed.SelectToken("fix.applicability"));
        Assert.Equal("eval_strategy", (string?)renamed.SelectToken("fix.edits[0].content"));
        Assert.Contains(findings, f => (string?)f["code"] == "MLD012" && (string?)f["path"] == "data/tickets.csv");
        Assert.Equal(findings.Count, (int)answer["total"]!);

        // The same findings as `mlintern check --format json` for the file.
        var (_, cli, _) = CliTests.Run(_project, "check", "train.py", "--format", "json");
        var expected = JArray.Parse(cli).Select(f => $"{f["code"]}@{f["line"]}:{f["column"]}").ToList();
        var script = await Answer("check_script", new() { ["path"] = "train.py" });
        Assert.Equal(expected, script["findings"]!.Select(f => $"{f["code"]}@{f["line"]}:{f["column"]}"));
        Assert.Equal(before, Snapshot(_project));
    }

    [Fact]
    public async Task Inspect_dataset_gives_the_profile_with_the_label_column()
    {
        var profile = await Answer("inspect_dataset", new() { ["path"] = "data/tickets.csv" });
        Assert.Equal("intent", (string?)profile.SelectToken("label.column"));
        Assert.Equal("instruction", (string?)profile.SelectToken("text.column"));
        Assert.True((long)profile["rows"]! > 900);
        Assert.Contains(profile["checks"]!, c => (string?)c["code"] == "MLD012" && (long)c["count"]! > 0);

        // The record `mlintern inspect --format json` prints, field for field but the timing.
        var (_, cli, _) = CliTests.Run(_project, "inspect", "data/tickets.csv", "--format", "json");
        var expected = JObject.Parse(cli);
        foreach (var volatileField in new[] { "seconds" })
        {
            expected.Remove(volatileField);
            ((JObject)profile).Remove(volatileField);
        }

        Assert.Equal(expected.ToString(), profile.ToString());

        var chosen = await Answer("inspect_dataset", new() { ["path"] = "data/tickets.csv", ["labelColumn"] = "category", ["textColumn"] = "instruction" });
        Assert.Equal("category", (string?)chosen.SelectToken("label.column"));
    }

    [Fact]
    public async Task Estimate_plan_gives_the_figures_and_writes_no_plan()
    {
        var plan = await Answer("estimate_plan", new() { ["data"] = "data/tickets.csv" });
        Assert.Equal("baseline", (string?)plan["kind"]);
        Assert.Equal("intent", (string?)plan["labelColumn"]);
        Assert.True((bool)plan.SelectToken("estimate.known")!);
        Assert.True((double)plan.SelectToken("estimate.flops")! > 0);
        Assert.True((double)plan.SelectToken("estimate.hours")! > 0);

        var script = await Answer("estimate_plan", new() { ["script"] = "train.py", ["hardware"] = "t4", ["epochs"] = 2.0 });
        Assert.Equal("script", (string?)script["kind"]);
        Assert.True((long)script["parameters"]! > 1_000_000, script.ToString());
        Assert.Equal("t4", (string?)script.SelectToken("estimate.hardwareId"));
        Assert.Equal(2.0, (double)script.SelectToken("tokens.epochs")!);
        Assert.True((double)script.SelectToken("estimate.costUsd")! > 0);

        Assert.False(Directory.Exists(Path.Combine(_project, ".mlintern", "plans")), "estimate_plan saved a plan");
        Assert.Contains("which data set", await Refusal("estimate_plan", new()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_run_reports_a_real_run_and_writes_nothing_in_it()
    {
        var (code, _, stderr) = CliTests.Run(_project, "train", "--data", "data/tickets.csv", "--approve");
        Assert.True(code == 0, stderr);
        var runId = Path.GetFileName(Assert.Single(Directory.GetDirectories(Path.Combine(_project, ".mlintern", "runs"))));
        var runFolder = Path.Combine(_project, ".mlintern", "runs", runId);
        var before = Snapshot(runFolder);

        var report = await Answer("evaluate_run", new() { ["run"] = runId });
        Assert.Equal(runId, (string?)report.SelectToken("source.runId"));
        Assert.Equal("intent", (string?)report.SelectToken("source.labelColumn"));
        var macroF1 = (double)report.SelectToken("metrics.macro.f1")!;
        Assert.InRange(macroF1, 0.5, 1.0);
        Assert.Equal(before, Snapshot(runFolder));

        var byFolder = await Answer("evaluate_run", new() { ["run"] = $".mlintern/runs/{runId}", ["audit"] = true });
        Assert.Equal(macroF1, (double)byFolder.SelectToken("metrics.macro.f1")!);
        Assert.NotNull(byFolder["audit"]);
        Assert.Equal(before, Snapshot(runFolder));

        Assert.Contains("no such run", await Refusal("evaluate_run", new() { ["run"] = "20990101-000000-0000" }), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_rule_gives_the_rule_page()
    {
        var rule = RuleCatalog.Find("MLI501")!;
        var page = await Answer("explain_rule", new() { ["code"] = "mli501" });
        Assert.Equal("MLI501", (string?)page["code"]);
        Assert.StartsWith($"# MLI501: {rule.Name}\n", (string)page["page"]!, StringComparison.Ordinal);
        Assert.Contains("## Why is this bad?", (string)page["page"]!, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "rules", "MLI501.md")), (string)page["page"]!);
    }

    [Fact]
    public async Task Refuses_paths_outside_the_workspace_bad_arguments_and_unknown_rules_and_keeps_serving()
    {
        var outside = Directory.CreateDirectory(Path.Combine(_dir, "outside")).FullName;
        File.Copy(Path.Combine(_project, "data", "tickets.csv"), Path.Combine(outside, "tickets.csv"));
        File.CreateSymbolicLink(Path.Combine(_project, "elsewhere"), outside);

        Assert.Contains("outside the workspace", await Refusal("check_script", new() { ["path"] = "../outside" }), StringComparison.Ordinal);
        Assert.Contains("outside the workspace", await Refusal("check_script", new() { ["path"] = outside }), StringComparison.Ordinal);
        Assert.Contains("outside the workspace", await Refusal("inspect_dataset", new() { ["path"] = "elsewhere/tickets.csv" }), StringComparison.Ordinal);
        Assert.Contains("outside the workspace", await Refusal("estimate_plan", new() { ["data"] = "/etc/passwd" }), StringComparison.Ordinal);
        Assert.Contains("outside the workspace", await Refusal("estimate_plan", new() { ["data"] = "data/tickets.csv", ["model"] = outside }), StringComparison.Ordinal);
        Assert.Contains("outside the workspace", await Refusal("evaluate_run", new() { ["run"] = outside }), StringComparison.Ordinal);

        // A folder check does not follow a link out of the workspace; it names what it left out.
        var folder = await Answer("check_script", new() { ["path"] = "." });
        Assert.DoesNotContain(folder["findings"]!, f => ((string)f["path"]!).StartsWith("elsewhere", StringComparison.Ordinal));
        Assert.Contains(folder["skippedOutsideWorkspace"]!, s => ((string)s!).EndsWith("tickets.csv", StringComparison.Ordinal));

        Assert.Contains("unknown rule 'MLI999'", await Refusal("explain_rule", new() { ["code"] = "MLI999" }), StringComparison.Ordinal);
        Assert.Contains("unknown argument 'force'", await Refusal("check_script", new() { ["path"] = ".", ["force"] = true }), StringComparison.Ordinal);
        Assert.Contains("'path' must be a string", await Refusal("check_script", new() { ["path"] = 3 }), StringComparison.Ordinal);
        Assert.Contains("missing argument 'code'", await Refusal("explain_rule", new()), StringComparison.Ordinal);
        Assert.Contains("'hardware' must be one of", await Refusal("estimate_plan", new() { ["hardware"] = "tpu" }), StringComparison.Ordinal);
        Assert.Contains("'epochs' must be a number", await Refusal("estimate_plan", new() { ["epochs"] = "3" }), StringComparison.Ordinal);
        Assert.Contains("no such file", await Refusal("check_script", new() { ["path"] = "missing.py" }), StringComparison.Ordinal);

        var unknown = await Assert.ThrowsAsync<McpProtocolException>(() => Call("train_model", new()));
        Assert.Equal(McpErrorCode.InvalidParams, unknown.ErrorCode);

        // Still the same process, still answering.
        Assert.Equal(ReadOnlyTools.Length, (await Client.ListToolsAsync()).Count);
        Assert.Equal("MLD004", (string?)(await Answer("explain_rule", new() { ["code"] = "MLD004" }))["code"]);
    }

    [Fact]
    public async Task Stdout_carries_only_MCP_frames_even_after_a_line_that_is_not_JSON()
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _dir };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "mlintern.dll"), "mcp", "--workspace", _project })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string[] requests =
        [
            """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""",
            """{"jsonrpc":"2.0","method":"notifications/initialized"}""",
            "this is not JSON {",
            """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"check_script","arguments":{"path":"train.py"}}}""",
            """{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"explain_rule","arguments":{"code":"MLI501"}}}""",
        ];
        var answered = new Dictionary<int, JsonElement>();
        var lines = new List<string>();
        var reader = Task.Run(() =>
        {
            while (answered.Count < 3 && process.StandardOutput.ReadLine() is { } line)
            {
                lines.Add(line);
                using var frame = JsonDocument.Parse(line);
                Assert.Equal("2.0", frame.RootElement.GetProperty("jsonrpc").GetString());
                if (frame.RootElement.TryGetProperty("id", out var id))
                {
                    answered[id.GetInt32()] = frame.RootElement.Clone();
                }
            }
        });
        foreach (var request in requests)
        {
            process.StandardInput.WriteLine(request);
        }

        process.StandardInput.Flush();
        await reader.WaitAsync(TimeSpan.FromSeconds(60));
        process.StandardInput.Close();
        using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(exit.Token);
        Assert.Equal([1, 2, 3], answered.Keys.Order());
        Assert.Contains("MLI501", answered[2].GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("serving", await stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secret_in_a_checked_script_is_redacted_in_the_answer()
    {
        var token = "hf_" + new string('a', 10) + "BCDEFGHIJKLMNOPQRSTUVWXY";
        File.WriteAllText(Path.Combine(_project, "leaky.py"), $"import transformers\nHF_TOKEN = \"{token}\"\n");
        var result = await Call("check_script", new() { ["path"] = "leaky.py" });
        var text = Text(result);
        Assert.Contains("MLI603", text, StringComparison.Ordinal);
        Assert.DoesNotContain(token, text, StringComparison.Ordinal);
    }

    /// <summary>Every file below a folder with its length and last write time.</summary>
    private static string Snapshot(string folder) => string.Join('\n', Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
        .Order(StringComparer.Ordinal)
        .Select(f => $"{Path.GetRelativePath(folder, f)} {new FileInfo(f).Length} {File.GetLastWriteTimeUtc(f):O}"));

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MLIntern.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("the repository root was not found above the test binaries");
    }
}
