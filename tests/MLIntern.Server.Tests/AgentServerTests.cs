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
}
