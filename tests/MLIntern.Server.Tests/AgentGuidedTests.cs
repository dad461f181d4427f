using System.Diagnostics;
using MLIntern.Server.Cli;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Tests;

/// <summary>
/// Guided mode (no endpoint) end to end on the seeded sample: through the real `mlintern serve`
/// process (the view's requests, the editor's approveRun and task, a sidecar restart while an
/// approval waits), and through `mlintern agent` with no terminal (every approval refused).
/// </summary>
public sealed class AgentGuidedTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mlintern-guided-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string MakeSample()
    {
        var project = Path.Combine(_dir, "sample");
        var (code, _, stderr) = CliTests.Run(_dir, "sample", project);
        Assert.True(code == 0, stderr);
        return project;
    }

    private static async Task<JObject> Event(LspClient client, string session, Func<JObject, bool> match, int seconds = 60) =>
        await client.WaitForNotificationAsync("mlintern/agentEvent", e => (string?)e["sessionId"] == session && match(e), TimeSpan.FromSeconds(seconds));

    private static Func<JObject, bool> Offers(string step) => e => (string?)e["kind"] == "nextSteps" && e["nextSteps"]!.Any(s => (string?)s["id"] == step);

    private static async Task Step(LspClient client, string workspace, string session, string step)
    {
        var answer = (JObject)(await client.RequestAsync("mlintern/agentStep", new { workspaceFolder = workspace, sessionId = session, step }))!;
        Assert.True((bool)answer["accepted"]!, (string?)answer["reason"]);
    }

    [Fact]
    public async Task TheSeedJourneyRunsThroughTheServerWithoutAnyLlm()
    {
        var workspace = MakeSample();
        string session;
        JObject approval;
        await using (var first = LspClient.Start())
        {
            await first.InitializeAsync();
            var started = (JObject)(await first.RequestAsync("mlintern/agentStart", new { workspaceFolder = workspace, prompt = "a classifier for our support tickets in data/tickets.csv; don't spend money without asking" }))!;
            Assert.Equal("guided", (string?)started["mode"]);
            session = (string)started["sessionId"]!;

            var inspected = await Event(first, session, e => (string?)e["kind"] == "toolResult");
            Assert.Equal("inspect_dataset", (string?)inspected["result"]!["name"]);
            Assert.True((bool)inspected["result"]!["ok"]!);
            Assert.Contains("979 rows", (string?)inspected["result"]!["summary"], StringComparison.Ordinal);
            await Event(first, session, Offers("check"));

            // A step the intern did not offer is refused.
            var unoffered = (JObject)(await first.RequestAsync("mlintern/agentStep", new { workspaceFolder = workspace, sessionId = session, step = "train" }))!;
            Assert.False((bool)unoffered["accepted"]!);

            await Step(first, workspace, session, "check");
            await Event(first, session, Offers("plan"));
            var results = first.Notifications("mlintern/agentEvent").Where(e => (string?)e["kind"] == "toolResult").ToList();
            Assert.Contains(results, r => (string?)r["result"]!["name"] == "check_script" && r["result"]!["links"]!.Any(l => (string?)l["kind"] == "finding" && (string?)l["code"] == "MLI301"));
            var diff = results.Single(r => (string?)r["result"]!["name"] == "propose_fix")["result"]!["links"]!.Single();
            Assert.Equal("diff", (string?)diff["kind"]);
            Assert.Contains("+    processing_class=tokenizer,", (string?)diff["code"], StringComparison.Ordinal);
            Assert.DoesNotContain("processing_class", File.ReadAllText(Path.Combine(workspace, "train.py")), StringComparison.Ordinal);

            await Step(first, workspace, session, "plan");
            await Event(first, session, Offers("train"));
            await Step(first, workspace, session, "train");
            approval = (JObject)(await Event(first, session, e => (string?)e["kind"] == "approval"))["approval"]!;
            Assert.Equal("training", (string?)approval["kind"]);
            Assert.False(Directory.Exists(Path.Combine(workspace, ".mlintern", "runs")));
        }

        // The sidecar restarts (a reload) while the approval waits: the stored session offers it again.
        await using var client = LspClient.Start();
        await client.InitializeAsync();
        var sessions = (JObject)(await client.RequestAsync("mlintern/agentSessions", new { workspaceFolder = workspace }))!;
        Assert.Equal(session, (string?)sessions["sessions"]![0]!["id"]);
        Assert.Equal("waiting", (string?)sessions["sessions"]![0]!["state"]);
        var resumed = (JObject)(await client.RequestAsync("mlintern/agentSession", new { workspaceFolder = workspace, sessionId = session }))!;
        var events = (JArray)resumed["events"]!;
        Assert.Equal("approval", (string?)events.Last()!["kind"]);
        Assert.Equal((string?)approval["approvalId"], (string?)events.Last()!["approval"]!["approvalId"]);
        Assert.Equal(Enumerable.Range(1, events.Count), events.Select(e => (int)e["seq"]!));

        // The extension's path: the modal's approveRun with the plan's figures, then agentRespond with the token.
        var planId = (string)approval["plan"]!["planId"]!;
        var approved = (JObject)(await client.RequestAsync("mlintern/approveRun", new { workspaceFolder = workspace, planId, figures = approval["plan"]!["figures"] }))!;
        var respond = (JObject)(await client.RequestAsync("mlintern/agentRespond", new { workspaceFolder = workspace, sessionId = session, approvalId = (string)approval["approvalId"]!, approved = true, approvalToken = (string)approved["approvalToken"]! }))!;
        Assert.True((bool)respond["accepted"]!, (string?)respond["reason"]);
        var launched = await Event(client, session, e => (string?)e["kind"] == "toolResult" && (string?)e["result"]!["name"] == "launch_training");
        Assert.True((bool)launched["result"]!["ok"]!, (string?)launched["result"]!["summary"]);
        var runId = (string)launched["result"]!["launch"]!["runId"]!;

        // The editor runs the task and reports its end; the intern follows run.json and offers the evaluation.
        Assert.Equal(0, TrainCommand.ExecuteApproved(workspace, runId, TextWriter.Null, TextWriter.Null));
        await client.RequestAsync("mlintern/runExited", new { workspaceFolder = workspace, runId, exitCode = 0 });
        await Event(client, session, Offers("evaluate"));
        await Step(client, workspace, session, "evaluate");
        var evaluated = await Event(client, session, e => (string?)e["kind"] == "toolResult" && (string?)e["result"]!["name"] == "evaluate_run");
        Assert.StartsWith("LEAKAGE AUDIT ALARM", (string?)evaluated["result"]!["summary"], StringComparison.Ordinal);
        await Event(client, session, Offers("card"));
        await Step(client, workspace, session, "card");
        await Event(client, session, Offers("demo"));
        await Step(client, workspace, session, "demo");
        await Event(client, session, e => (string?)e["kind"] == "done");
        Assert.True(File.Exists(Path.Combine(workspace, ".mlintern", "runs", runId, "model", "README.md")));
        Assert.True(Directory.Exists(Path.Combine(workspace, ".mlintern", "runs", runId, "space")));

        var done = (JObject)(await client.RequestAsync("mlintern/agentSession", new { workspaceFolder = workspace, sessionId = session }))!;
        Assert.Equal("done", (string?)done["summary"]!["state"]);
        var lines = File.ReadAllLines(Path.Combine(workspace, ".mlintern", "sessions", session + ".jsonl"));
        Assert.Equal(((JArray)done["events"]!).Count, lines.Length);
    }

    private static (int Code, string Stdout, string Stderr) RunWithoutTerminal(string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, WorkingDirectory = workingDirectory };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mlintern.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    [Fact]
    public void TheHeadlessAgentRefusesEveryApprovalWithoutATerminal()
    {
        var workspace = MakeSample();
        var (code, stdout, stderr) = RunWithoutTerminal(_dir, "agent", "a classifier for data/tickets.csv", "--format", "json", "--workspace", workspace);
        Assert.True(code == 1, stderr);
        var events = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(JObject.Parse).ToList();
        Assert.Equal("user", (string?)events[0]["kind"]);
        Assert.Equal(["inspect_dataset", "check_script", "check_script", "propose_fix", "plan_training", "launch_training"], events.Where(e => (string?)e["kind"] == "toolCall").Select(e => (string)e["tool"]!["name"]!));
        Assert.Contains(events, e => (string?)e["kind"] == "approval");
        var launch = events.Single(e => (string?)e["result"]?["name"] == "launch_training");
        Assert.False((bool)launch["result"]!["ok"]!);
        Assert.Contains("rejected", (string?)launch["result"]!["summary"], StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(workspace, ".mlintern", "runs")));

        // The transcript is the session file, line for line.
        var file = Directory.GetFiles(Path.Combine(workspace, ".mlintern", "sessions"), "*.jsonl").Single();
        Assert.Equal(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), File.ReadAllLines(file));

        // Text output, and the flag that would approve does not exist.
        var (textCode, text, _) = RunWithoutTerminal(_dir, "agent", "a classifier for data/tickets.csv", "--workspace", workspace);
        Assert.Equal(1, textCode);
        Assert.Contains("▶ Inspect dataset: data/tickets.csv", text, StringComparison.Ordinal);
        Assert.Contains("✗ the user rejected this step", text, StringComparison.Ordinal);
        var (flagCode, _, flagErrors) = RunWithoutTerminal(_dir, "agent", "train", "--approve", "--workspace", workspace);
        Assert.Equal(2, flagCode);
        Assert.Contains("--approve", flagErrors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheHeadlessAgentTalksToAnEndpoint()
    {
        var workspace = MakeSample();
        await using var llm = new StreamingChatStandIn((turn, body) => turn == 0
            ? [StreamingChatStandIn.Call(0, "c1", "inspect_dataset", "{\"path\": \"data/tickets.csv\"}")]
            : [StreamingChatStandIn.Text("It has 16 intents.")]);
        var (code, stdout, stderr) = RunWithoutTerminal(_dir, "agent", "what is in the data?", "--endpoint", llm.BaseUrl, "--model", "stand-in", "--workspace", workspace);
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("▶ Inspect dataset: data/tickets.csv", stdout, StringComparison.Ordinal);
        Assert.Contains("It has 16 intents.", stdout, StringComparison.Ordinal);
        Assert.Equal(2, llm.Requests.Count);
        Assert.Contains("-llm-", Path.GetFileName(Directory.GetFiles(Path.Combine(workspace, ".mlintern", "sessions"), "*.jsonl").Single()), StringComparison.Ordinal);
    }
}
