using MLIntern.Server.Cli;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Tests;

/// <summary>
/// The intern in LLM mode through the real `mlintern serve` process and the streaming stand-in: its
/// tools wait in the same request queue as the editor's requests (a writing tool behind an editor
/// write, a reading one beside an editor read), and a stored LLM session goes on after the sidecar restarts.
/// </summary>
public sealed class AgentServerTests : IDisposable
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    private readonly string _dir = Directory.CreateTempSubdirectory("mlintern-agentserver-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string MakeSample()
    {
        var project = Path.Combine(_dir, "sample");
        var (code, _, stderr) = CliTests.Run(_dir, "sample", project);
        Assert.True(code == 0, stderr);
        return project;
    }

    private static object Settings(string endpoint) =>
        new { settings = new { mlintern = new { assistant = new { endpoint, model = "stand-in", apiKeyVariable = "MLINTERN_TEST_KEY", timeoutSeconds = 60 } } } };

    private static async Task<LspClient> Start(string endpoint, bool hooks = false)
    {
        var client = LspClient.Start(hooks ? new Dictionary<string, string> { ["MLINTERN_TEST_HOOKS"] = "1" } : null);
        await client.InitializeAsync();
        await client.NotifyAsync("workspace/didChangeConfiguration", Settings(endpoint));
        return client;
    }

    private static async Task<JObject> Event(LspClient client, string session, Func<JObject, bool> match) =>
        await client.WaitForNotificationAsync("mlintern/agentEvent", e => (string?)e["sessionId"] == session && match(e), Long);

    private static Func<JObject, bool> ResultOf(string callId) => e => (string?)e["kind"] == "toolResult" && (string?)e["result"]!["callId"] == callId;

    [Fact]
    public async Task AWritingToolWaitsBehindAnEditorWriteAndAReadingToolRunsBesideAnEditorRead()
    {
        var workspace = MakeSample();
        using var planTurn = new ManualResetEventSlim();
        using var inspectTurn = new ManualResetEventSlim();
        await using var llm = new StreamingChatStandIn((turn, body) =>
        {
            switch (turn)
            {
                case 0:
                    Assert.True(planTurn.Wait(Long));
                    return [StreamingChatStandIn.Call(0, "plan", "plan_training", "{\"data\": \"data/tickets.csv\"}")];
                case 1:
                    Assert.True(inspectTurn.Wait(Long));
                    return [StreamingChatStandIn.Call(0, "inspect", "inspect_dataset", "{\"path\": \"data/tickets.csv\"}")];
                default:
                    return [StreamingChatStandIn.Text("done")];
            }
        });
        await using var client = await Start(llm.BaseUrl, hooks: true);
        var session = (string)(await client.RequestAsync("mlintern/agentStart", new { workspaceFolder = workspace, prompt = "plan a baseline for data/tickets.csv" }))!["sessionId"]!;

        // An editor write holds the queue; the model's plan_training (a write) is called meanwhile.
        var (writeId, write) = client.Send("mlintern/_test/blockWrite", new { });
        await client.WaitForNotificationAsync("window/logMessage", m => ((string?)m["message"])!.Contains("test write holds the queue", StringComparison.Ordinal), Long);
        planTurn.Set();
        await Event(client, session, e => (string?)e["kind"] == "toolCall" && (string?)e["tool"]!["callId"] == "plan");
        await Task.Delay(1500);
        var plans = Path.Combine(workspace, ".mlintern", "plans");
        Assert.False(Directory.Exists(plans), "the tool's write ran beside the editor's write");
        Assert.False(client.Notifications("mlintern/agentEvent").Any(ResultOf("plan")), "the tool answered while the editor's write held the queue");

        // The editor's write ends (cancelled): then, and only then, the tool's write runs.
        await client.NotifyAsync("$/cancelRequest", new { id = writeId });
        Assert.Equal(-32800, (int)(await write.WaitAsync(Long)).SelectToken("error.code")!);
        var planned = await Event(client, session, ResultOf("plan"));
        Assert.True((bool)planned["result"]!["ok"]!, (string?)planned["result"]!["summary"]);
        Assert.Single(Directory.GetFiles(plans, "*.json"));
        var released = client.Notifications("window/logMessage").Select(m => (string?)m["message"]).ToList();
        Assert.Contains(released, m => m!.Contains("test write releases the queue", StringComparison.Ordinal));

        // An editor read that has not finished does not hold up the model's inspect_dataset (a read).
        var (readId, read) = client.Send("mlintern/_test/block", new { });
        await Task.Delay(300);
        inspectTurn.Set();
        var inspected = await Event(client, session, ResultOf("inspect"));
        Assert.True((bool)inspected["result"]!["ok"]!, (string?)inspected["result"]!["summary"]);
        Assert.False(read.IsCompleted, "the editor's read ended first");
        await client.NotifyAsync("$/cancelRequest", new { id = readId });
        await read.WaitAsync(Long);
        await Event(client, session, e => (string?)e["kind"] == "done");
        Assert.Empty(llm.Errors);
    }

    [Fact]
    public async Task AStoredLlmSessionGoesOnAfterTheSidecarRestartsWithItsHistoryRedactedAndItsApprovalOfferedAgain()
    {
        const string secret = "hf_abcdefghijklmnopqrstuvwxyzABCDEFGH";
        var workspace = MakeSample();
        await using var llm = new StreamingChatStandIn((turn, body) =>
        {
            switch (turn)
            {
                case 0:
                    return [StreamingChatStandIn.Text("Planning. "), StreamingChatStandIn.Call(0, "plan", "plan_training", "{\"data\": \"data/tickets.csv\"}")];
                case 1:
                    var planId = System.Text.RegularExpressions.Regex.Match(StreamingChatStandIn.ToolResults(body).Last().Content, "plan-[0-9a-f]{12}").Value;
                    return [StreamingChatStandIn.Call(0, "launch", "launch_training", "{\"planId\": \"" + planId + "\"}")];
                case 2:
                    return [StreamingChatStandIn.Text("It was refused.")];
                default:
                    return [StreamingChatStandIn.Text("Evaluate it next.")];
            }
        });

        string session;
        JObject approval;
        await using (var first = await Start(llm.BaseUrl))
        {
            var started = (JObject)(await first.RequestAsync("mlintern/agentStart", new { workspaceFolder = workspace, prompt = $"train a baseline on data/tickets.csv; my token is {secret}" }))!;
            Assert.Equal("llm", (string?)started["mode"]);
            session = (string)started["sessionId"]!;
            approval = (JObject)(await Event(first, session, e => (string?)e["kind"] == "approval"))["approval"]!;
        }

        // A new sidecar process: the stored session is read back, waiting; its events re-render the conversation.
        await using var client = await Start(llm.BaseUrl);
        var sessions = (JObject)(await client.RequestAsync("mlintern/agentSessions", new { workspaceFolder = workspace }))!;
        Assert.Equal(session, (string?)sessions["sessions"]![0]!["id"]);
        Assert.Equal("llm", (string?)sessions["sessions"]![0]!["mode"]);
        Assert.Equal("waiting", (string?)sessions["sessions"]![0]!["state"]);
        var stored = (JObject)(await client.RequestAsync("mlintern/agentSession", new { workspaceFolder = workspace, sessionId = session }))!;
        var events = (JArray)stored["events"]!;
        Assert.Equal(["user", "text", "toolCall", "toolResult", "toolCall", "approval"], events.Select(e => (string)e["kind"]!));
        Assert.Equal((string?)approval["approvalId"], (string?)events.Last()!["approval"]!["approvalId"]);
        Assert.DoesNotContain(secret, events.ToString(), StringComparison.Ordinal);

        // Offered again, not approved: nothing runs and the model is not asked while it waits.
        await Task.Delay(1000);
        Assert.Equal(2, llm.Requests.Count);
        Assert.False(Directory.Exists(Path.Combine(workspace, ".mlintern", "runs")));
        var forged = (JObject)(await client.RequestAsync("mlintern/agentRespond", new { workspaceFolder = workspace, sessionId = session, approvalId = (string)approval["approvalId"]!, approved = true, approvalToken = "0123456789abcdef0123456789abcdef" }))!;
        Assert.True((bool)forged["accepted"]!);
        var refused = await Event(client, session, e => (string?)e["kind"] == "toolResult" && (string?)e["result"]!["callId"] == "launch");
        Assert.False((bool)refused["result"]!["ok"]!);
        Assert.Contains("launch refused", (string?)refused["result"]!["summary"], StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(workspace, ".mlintern", "runs")));
        await Event(client, session, e => (string?)e["kind"] == "done");

        // The model got the conversation from the file: the prompt (redacted), both calls and their results.
        var resumed = llm.Requests[2];
        var messages = (JArray)resumed["messages"]!;
        Assert.Contains(messages, m => (string?)m["role"] == "user" && ((string?)m["content"])!.Contains("[Hugging Face token: hf_", StringComparison.Ordinal));
        Assert.Equal(["plan", "launch"], StreamingChatStandIn.ToolResults(resumed).Select(r => r.CallId));
        Assert.Contains("launch refused", StreamingChatStandIn.ToolResults(resumed)[1].Content, StringComparison.Ordinal);
        Assert.Contains(messages, m => (string?)m["role"] == "assistant" && ((string?)m["content"] ?? "").Contains("Planning.", StringComparison.Ordinal));

        // agentStart with the session id continues it with the whole history.
        var again = (JObject)(await client.RequestAsync("mlintern/agentStart", new { workspaceFolder = workspace, prompt = "what next?", sessionId = session }))!;
        Assert.Equal(session, (string?)again["sessionId"]);
        await Event(client, session, e => (string?)e["kind"] == "text" && (string?)e["text"] == "Evaluate it next.");
        var last = (JArray)llm.Requests[3]["messages"]!;
        Assert.Equal("what next?", (string?)last.Last(m => (string?)m["role"] == "user")["content"]);
        Assert.Equal(2, last.Count(m => (string?)m["role"] == "user"));
        Assert.All(llm.Bodies, b => Assert.DoesNotContain(secret, b, StringComparison.Ordinal));
        Assert.DoesNotContain(secret, File.ReadAllText(Path.Combine(workspace, ".mlintern", "sessions", session + ".jsonl")), StringComparison.Ordinal);
        Assert.Empty(llm.Errors);
    }
}
