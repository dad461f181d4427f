using MLIntern.Server.Samples;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Tests;

/// <summary>
/// A guided session over the real language server, as the Intern view drives it: agentStart on the
/// sample, the offered steps taken with agentStep up to the training approval, the approval answered
/// with the token the editor's approveRun gave, the launch. The session as mlintern/agentSession
/// answers it is written for the extension's unit tests (agentSession-waiting, agentSession-launched),
/// so agentModel.ts renders real events.
/// </summary>
public sealed class AgentSampleTests : IDisposable
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);

    private readonly string _dir = Directory.CreateTempSubdirectory("mlintern-agent-sample-").FullName;

    public AgentSampleTests()
    {
        foreach (var (relative, content) in SupportTickets.Generate().Files)
        {
            var path = Path.Combine(_dir, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Guided_session_over_lsp_up_to_the_launch_is_the_views_sample()
    {
        await using var client = LspClient.Start();
        await client.InitializeAsync();

        var started = (JObject)(await client.RequestAsync("mlintern/agentStart", new { workspaceFolder = _dir, prompt = $"a classifier for our support tickets in {SupportTickets.DataPath}" }))!;
        var sessionId = (string)started["sessionId"]!;
        Assert.Equal("guided", (string?)started["mode"]);

        // Take each offered step until the intern asks to train.
        JObject? approval = null;
        for (var taken = 0; approval is null && taken < 6; taken++)
        {
            var next = await client.WaitForNotificationAsync("mlintern/agentEvent", e => (string?)e["sessionId"] == sessionId && (string?)e["kind"] is "nextSteps" or "approval" or "error" or "done", StepTimeout);
            Assert.NotEqual("error", (string?)next["kind"]);
            Assert.NotEqual("done", (string?)next["kind"]);
            if ((string?)next["kind"] == "approval")
            {
                approval = (JObject)next["approval"]!;
                break;
            }

            var step = (string)next["nextSteps"]![0]!["id"]!;
            var answer = (JObject)(await client.RequestAsync("mlintern/agentStep", new { workspaceFolder = _dir, sessionId, step }))!;
            Assert.True((bool)answer["accepted"]!, (string?)answer["reason"]);
        }

        Assert.NotNull(approval);
        Assert.Equal("training", (string?)approval["kind"]);
        var waiting = (JObject)(await client.RequestAsync("mlintern/agentSession", new { workspaceFolder = _dir, sessionId }))!;
        Assert.Equal("waiting", (string?)waiting["summary"]!["state"]);
        var kinds = waiting["events"]!.Select(e => (string?)e["kind"]).ToList();
        var tools = waiting["events"]!.Where(e => (string?)e["kind"] == "toolCall").Select(e => (string?)e["tool"]!["name"]).ToList();
        Assert.Equal("user", kinds[0]);
        Assert.Equal("approval", kinds[^1]);
        Assert.Contains("inspect_dataset", tools);
        Assert.Contains("check_script", tools);
        Assert.Contains("plan_training", tools);
        ProtocolSamples.Write("agentSession-waiting", waiting);

        // The editor's human path: approveRun with the plan's figures, then the token to the intern.
        var plan = (JObject)approval["plan"]!;
        var approved = (JObject)(await client.RequestAsync("mlintern/approveRun", new { workspaceFolder = _dir, planId = (string)plan["planId"]!, figures = plan["figures"] }))!;
        var respond = (JObject)(await client.RequestAsync("mlintern/agentRespond", new { workspaceFolder = _dir, sessionId, approvalId = (string)approval["approvalId"]!, approved = true, approvalToken = (string)approved["approvalToken"]! }))!;
        Assert.True((bool)respond["accepted"]!, (string?)respond["reason"]);
        var launched = await client.WaitForNotificationAsync("mlintern/agentEvent", e => (string?)e["sessionId"] == sessionId && (string?)e["kind"] == "toolResult" && e["result"]!["launch"] is JObject, StepTimeout);
        var runId = (string)launched["result"]!["launch"]!["runId"]!;
        Assert.True(Directory.Exists(Path.Combine(_dir, ".mlintern", "runs", runId)));
        Assert.Contains(launched["result"]!["links"]!, l => (string?)l["kind"] == "run" && (string?)l["runId"] == runId);

        var session = (JObject)(await client.RequestAsync("mlintern/agentSession", new { workspaceFolder = _dir, sessionId }))!;
        ProtocolSamples.Write("agentSession-launched", session);
    }
}
