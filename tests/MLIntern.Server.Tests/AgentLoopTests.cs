using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using MLIntern.Server.Agent;
using MLIntern.Server.Cli;
using MLIntern.Server.Logging;
using MLIntern.Server.Lsp;
using MLIntern.Server.Lsp.Handlers;
using MLIntern.Server.Protocol;
using Newtonsoft.Json.Linq;
using M = MLIntern.Server.Lsp.Protocol.Methods;

namespace MLIntern.Server.Tests;

/// <summary>
/// The intern's LLM loop against the streaming stand-in, in process over the real handlers and a real
/// sample project: split and parallel tool calls, refused calls, approvals (rejected, approved, and every
/// way of getting a spending tool to run without a human), a looping model, redaction.
/// </summary>
public sealed partial class AgentLoopTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mlintern-agent-").FullName;

    /// <summary>A session's background work may still append its last event; the folder goes once it has.</summary>
    public void Dispose()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Directory.Delete(_dir, recursive: true);
                return;
            }
            catch (IOException) when (attempt < 20)
            {
                Thread.Sleep(100);
            }
        }
    }

    /// <summary>A hub over the real handlers (as the language server registers them) on a fresh sample project.</summary>
    private sealed class Harness
    {
        public Harness(string dir, string? endpoint, int maxSteps = 24)
        {
            Workspace = Path.Combine(dir, "sample");
            Assert.Equal(0, SampleCommand.Run(Workspace, force: false, seed: 7, TextWriter.Null, TextWriter.Null));
            var settings = endpoint is null ? new JObject() : new JObject { ["assistant"] = new JObject { ["endpoint"] = endpoint, ["model"] = "stand-in" } };
            var state = new ServerState(new LogLevelSwitch(), NullLoggerFactory.Instance) { Settings = settings };
            Services = new AgentServices(() => settings, RunApprovals, new PublishApprovalBook(), NullLogger.Instance) { RunPoll = TimeSpan.FromMilliseconds(50) };
            Services.Register([
                new ProfileDatasetHandler(state, Engine.FileChecks.Datasets, NullLogger.Instance),
                .. TrainingHandlers.Create(state, Engine.FileChecks.Datasets, RunApprovals, new MetricsWatcher(() => NullClient.Instance, NullLogger.Instance), NullLogger.Instance),
                .. EvaluationHandlers.Create(NullLogger.Instance, new PublishApprovalBook()),
            ]);
            Hub = new AgentHub(Services, () => settings, e =>
            {
                lock (Events)
                {
                    Events.Add(e);
                }
            }, NullLogger.Instance, _ => null) { MaxSteps = maxSteps };
        }

        public string Workspace { get; }

        public ApprovalBook RunApprovals { get; } = new();

        public AgentServices Services { get; }

        public AgentHub Hub { get; }

        public List<AgentEvent> Events { get; } = [];

        public string RunsFolder => Path.Combine(Workspace, ".mlintern", "runs");

        public async Task<AgentEvent> WaitFor(Func<AgentEvent, bool> match, int seconds = 60)
        {
            var deadline = DateTime.UtcNow.AddSeconds(seconds);
            while (DateTime.UtcNow < deadline)
            {
                lock (Events)
                {
                    if (Events.FirstOrDefault(match) is { } found)
                    {
                        return found;
                    }
                }

                await Task.Delay(20);
            }

            lock (Events)
            {
                throw new TimeoutException("no matching event; got:\n" + string.Join("\n", Events.Select(e => ProtocolJson.Write(e))));
            }
        }

        public IReadOnlyList<AgentEvent> Snapshot()
        {
            lock (Events)
            {
                return [.. Events];
            }
        }

        /// <summary>The token the editor's modal gets: mlintern/approveRun with the plan's figures.</summary>
        public async Task<string> ApproveInEditor(string planId)
        {
            var plan = (PlanTrainingResult)(await Services.Handler(M.PlanTraining).InvokeAsync(new PlanTrainingParams { WorkspaceFolder = Workspace, Data = Path.Combine(Workspace, "data", "tickets.csv") }, default))!;
            Assert.NotNull(plan);
            var saved = new State.WorkspaceStore(Workspace).LoadPlan(planId)!;
            var approved = (ApproveRunResult)(await Services.Handler(M.ApproveRun).InvokeAsync(new ApproveRunParams { WorkspaceFolder = Workspace, PlanId = planId, Figures = new PlanFigures { PlanHash = saved.Hash, Hours = saved.Estimate.Hours, CostUsd = saved.Estimate.CostUsd } }, default))!;
            return approved.ApprovalToken;
        }
    }

    [GeneratedRegex("plan-[0-9a-f]{12}")]
    private static partial Regex PlanId();

    [Fact]
    public async Task SplitArgumentsAndParallelCallsAreGatheredAndAnswered()
    {
        await using var llm = new StreamingChatStandIn((turn, body) => turn switch
        {
            0 =>
            [
                StreamingChatStandIn.Text("Let me look. "),
                StreamingChatStandIn.Call(0, "call_a", "explain_finding", "{\"co"),
                StreamingChatStandIn.Call(0, null, null, "de\": \"MLI1"),
                StreamingChatStandIn.Call(0, null, null, "01\"}"),
                StreamingChatStandIn.Call(1, "call_b", "inspect_dataset", "{\"path\":"),
                StreamingChatStandIn.Call(1, null, null, " \"data/tickets.csv\"}"),
            ],
            _ => [StreamingChatStandIn.Text("The data set has 16 classes.")],
        });
        var h = new Harness(_dir, llm.BaseUrl);
        var started = h.Hub.Start(h.Workspace, "what is in data/tickets.csv?", null);
        Assert.Equal(AgentMode.Llm, started.Mode);
        await h.WaitFor(e => e.Kind == AgentEventKind.Done);

        var events = h.Snapshot();
        var calls = events.Where(e => e.Kind == AgentEventKind.ToolCall).Select(e => e.Tool!).ToList();
        Assert.Equal(["call_a", "call_b"], calls.Select(c => c.CallId));
        Assert.Equal("MLI101", (string?)JObject.Parse(calls[0].Arguments)["code"]);
        Assert.Equal("data/tickets.csv", (string?)JObject.Parse(calls[1].Arguments)["path"]);
        var results = events.Where(e => e.Kind == AgentEventKind.ToolResult).Select(e => e.Result!).ToList();
        Assert.All(results, r => Assert.True(r.Ok, r.Summary));
        Assert.Contains("979 rows", results[1].Summary, StringComparison.Ordinal);
        Assert.Equal("Let me look. The data set has 16 classes.", string.Concat(events.Where(e => e.Kind == AgentEventKind.Text).Select(e => e.Text)));

        // The first request described the tools; the second carried both results, by call id.
        var tools = llm.Requests[0]["tools"]!.Select(t => (string)t["function"]!["name"]!).ToList();
        Assert.Contains("launch_training", tools);
        Assert.Equal(AgentTools.All.Count, tools.Count);
        var inspect = llm.Requests[0]["tools"]!.First(t => (string?)t["function"]!["name"] == "inspect_dataset")["function"]!["parameters"]!;
        Assert.Equal("string", (string?)inspect["properties"]!["path"]!["type"]);
        Assert.Contains("path", inspect["required"]!.Select(r => (string)r!));
        var answered = StreamingChatStandIn.ToolResults(llm.Requests[1]);
        Assert.Equal(["call_a", "call_b"], answered.Select(a => a.CallId));
        Assert.Contains("MLI101", answered[0].Content, StringComparison.Ordinal);
        Assert.Equal(2, llm.Requests.Count);

        // The session file holds the same events, one per line.
        var lines = new State.WorkspaceStore(h.Workspace).ReadSession(started.SessionId);
        Assert.Equal(events.Count, lines.Count);
        Assert.Equal(events.Select(e => e.Seq), lines.Select(l => AgentSession.Read(l)!.Seq));
    }

    [Fact]
    public async Task UnknownToolsMalformedAndExtraArgumentsAreRefusedNotRun()
    {
        await using var llm = new StreamingChatStandIn((turn, body) => turn switch
        {
            0 =>
            [
                StreamingChatStandIn.Call(0, "c1", "delete_everything", "{}"),
                StreamingChatStandIn.Call(1, "c2", "plan_training", "{\"data\": \"data/tickets.csv\""),
                StreamingChatStandIn.Call(2, "c3", "plan_training", "{\"data\": \"data/tickets.csv\", \"approved\": true}"),
                StreamingChatStandIn.Call(3, "c4", "read_metrics", "{}"),
                StreamingChatStandIn.Call(4, "c5", "read_metrics", "{\"runId\": 7}"),
                StreamingChatStandIn.Call(5, "c6", "list_runs", "[1]"),
            ],
            _ => [StreamingChatStandIn.Text("ok")],
        });
        var h = new Harness(_dir, llm.BaseUrl);
        h.Hub.Start(h.Workspace, "go", null);
        await h.WaitFor(e => e.Kind == AgentEventKind.Done);
        var results = h.Snapshot().Where(e => e.Kind == AgentEventKind.ToolResult).Select(e => e.Result!).ToList();
        Assert.Equal(6, results.Count);
        Assert.All(results, r => Assert.False(r.Ok));
        Assert.All(results, r => Assert.StartsWith("refused: ", r.Summary, StringComparison.Ordinal));
        Assert.Contains("no tool 'delete_everything'", results[0].Summary, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", results[1].Summary, StringComparison.Ordinal);
        Assert.Contains("no argument 'approved'", results[2].Summary, StringComparison.Ordinal);
        Assert.Contains("needs runId", results[3].Summary, StringComparison.Ordinal);
        Assert.Contains("runId must be a string", results[4].Summary, StringComparison.Ordinal);
        Assert.Contains("must be a JSON object", results[5].Summary, StringComparison.Ordinal);

        // Nothing ran: no plan was written for the refused plan_training calls.
        Assert.False(Directory.Exists(Path.Combine(h.Workspace, ".mlintern", "plans")));
        var answered = StreamingChatStandIn.ToolResults(llm.Requests[1]);
        Assert.Equal(6, answered.Count);
        Assert.All(answered, a => Assert.StartsWith("refused: ", a.Content, StringComparison.Ordinal));
    }

    /// <summary>The model plans, then asks to launch three times: rejected, approved, then (the run over) it stops.</summary>
    private static StreamingChatStandIn PlanThenLaunch(int launches) => new((turn, body) =>
    {
        if (turn == 0)
        {
            return [StreamingChatStandIn.Call(0, "plan", "plan_training", "{\"data\": \"data/tickets.csv\"}")];
        }

        if (turn <= launches)
        {
            var planId = PlanId().Match(string.Join("\n", StreamingChatStandIn.ToolResults(body).Select(r => r.Content))).Value;
            // Each attempt differs (the repeat detector would stop a third identical one).
            var smoke = turn switch { 1 => "", 2 => ", \"smoke\": false", _ => ", \"smoke\": true" };
            return [StreamingChatStandIn.Call(0, $"launch{turn}", "launch_training", "{\"planId\": \"" + planId + "\"" + smoke + "}")];
        }

        return [StreamingChatStandIn.Text("finished")];
    });

    [Fact]
    public async Task ASpendingCallWaitsForTheHumanRejectedOnceThenApproved()
    {
        await using var llm = PlanThenLaunch(2);
        var h = new Harness(_dir, llm.BaseUrl);
        var session = h.Hub.Start(h.Workspace, "train a baseline on data/tickets.csv", null).SessionId;

        var first = await h.WaitFor(e => e.Kind == AgentEventKind.Approval);
        Assert.Equal(AgentApprovalKind.Training, first.Approval!.Kind);
        var planId = first.Approval.Plan!.PlanId;
        Assert.Contains("Approve", first.Approval.Plan.ApprovalPrompt.Action, StringComparison.Ordinal);

        // Waiting: nothing runs, the model is not asked again, the session says so.
        await Task.Delay(300);
        Assert.False(Directory.Exists(h.RunsFolder));
        Assert.Equal(2, llm.Requests.Count);
        Assert.Equal(AgentSessionState.Waiting, h.Hub.Session(h.Workspace, session)!.Summary.State);
        Assert.Equal(first.Approval.ApprovalId, AgentSession.Unanswered(h.Hub.Session(h.Workspace, session)!.Events).Single().ApprovalId);

        Assert.True(h.Hub.Respond(h.Workspace, session, first.Approval.ApprovalId, approved: false, null, null).Accepted);
        var rejected = await h.WaitFor(e => e.Result is { CallId: "launch1" });
        Assert.False(rejected.Result!.Ok);
        Assert.Contains("the user rejected this step", rejected.Result.Summary, StringComparison.Ordinal);
        Assert.False(h.Hub.Respond(h.Workspace, session, first.Approval.ApprovalId, approved: true, null, null).Accepted);

        var second = await h.WaitFor(e => e.Kind == AgentEventKind.Approval && e.Approval!.ApprovalId != first.Approval.ApprovalId);
        Assert.Contains(StreamingChatStandIn.ToolResults(llm.Requests[2]), r => r.Content.Contains("the user rejected this step", StringComparison.Ordinal));
        var token = await h.ApproveInEditor(planId);
        Assert.True(h.Hub.Respond(h.Workspace, session, second.Approval!.ApprovalId, approved: true, token, null).Accepted);
        var launched = await h.WaitFor(e => e.Result is { CallId: "launch2" });
        Assert.True(launched.Result!.Ok, launched.Result.Summary);
        var launch = launched.Result.Launch!;
        Assert.Equal(["train", "--run", launch.RunId, "--workspace", h.Workspace], launch.Task.Args.SkipWhile(a => a != "train"));
        Assert.Equal("approved", launch.Run.Status);

        // The editor runs the task; the intern follows the run to its end, then the model goes on.
        Assert.Equal(0, TrainCommand.ExecuteApproved(h.Workspace, launch.RunId, TextWriter.Null, TextWriter.Null));
        await h.WaitFor(e => e.Kind == AgentEventKind.Done);
        var end = StreamingChatStandIn.ToolResults(llm.Requests[^1]).Last().Content;
        Assert.Contains($"Run {launch.RunId} succeeded", end, StringComparison.Ordinal);
        Assert.Single(Directory.GetDirectories(h.RunsFolder));
    }

    [Fact]
    public async Task AnApprovedPublishHandsTheEditorTheUploadTaskAndNothingUploadsWithoutTheHuman()
    {
        var dir = Path.Combine(_dir, "pub");
        Directory.CreateDirectory(dir);
        string? runId = null;
        await using var llm = new StreamingChatStandIn((turn, body) => turn switch
        {
            0 or 1 => [StreamingChatStandIn.Call(0, $"publish{turn + 1}", "publish", "{\"runId\": \"" + runId + "\", \"repoId\": \"acme/tickets-clf\"" + (turn == 1 ? ", \"private\": false" : "") + "}")],
            _ => [StreamingChatStandIn.Text("published")],
        });
        var h = new Harness(dir, llm.BaseUrl);
        var output = new StringWriter();
        Assert.Equal(0, TrainCommand.Run(h.Workspace, new Runs.PlanOptions { Data = Path.Combine(h.Workspace, "data") }, new TrainCommand.ApprovalChoice(true, false, false), null, output, TextWriter.Null));
        runId = Path.GetFileName(output.ToString().TrimEnd().Split('\n')[^1]);
        Assert.Equal(0, CardCommand.Run(runId, h.Workspace, new Release.CardOptions("apache-2.0", ["en"], "acme/support-tickets", "Jane"), TextWriter.Null, TextWriter.Null));
        var session = h.Hub.Start(h.Workspace, "publish the run", null).SessionId;

        // Rejected: the model hears so, and no upload is handed over.
        var first = await h.WaitFor(e => e.Kind == AgentEventKind.Approval);
        Assert.Equal(AgentApprovalKind.Publish, first.Approval!.Kind);
        Assert.True(first.Approval.Preflight!.Passed);
        Assert.True(h.Hub.Respond(h.Workspace, session, first.Approval.ApprovalId, approved: false, null, null).Accepted);
        var rejected = await h.WaitFor(e => e.Result?.CallId == "publish1");
        Assert.False(rejected.Result!.Ok);
        Assert.Null(rejected.Result.Upload);

        // Approved through the editor's own path (approvePublish with the hash the human saw): the upload task, for that run.
        var second = await h.WaitFor(e => e.Kind == AgentEventKind.Approval && e.Approval!.ApprovalId != first.Approval.ApprovalId);
        var approved = (PublishApproved)(await h.Services.Handler(M.ApprovePublish).InvokeAsync(new PublishParams { WorkspaceFolder = h.Workspace, RunId = runId, RepoId = "acme/tickets-clf", FileListHash = second.Approval!.Preflight!.FileListHash }, default))!;
        Assert.True(h.Hub.Respond(h.Workspace, session, second.Approval.ApprovalId, approved: true, approved.ApprovalToken, null).Accepted);
        var result = await h.WaitFor(e => e.Result?.CallId == "publish2");
        Assert.True(result.Result!.Ok, result.Result.Summary);
        var upload = result.Result.Upload!;
        Assert.Equal(runId, result.Result.RunId);
        Assert.Equal("acme/tickets-clf", upload.Approval.RepoId);
        Assert.Contains("upload", upload.Args);
        Assert.NotNull(upload.Approval.UsedAt); // the token is spent: the same approval cannot upload twice
        await h.WaitFor(e => e.Kind == AgentEventKind.Done);
    }

    [Fact]
    public async Task ASpendingToolNeverRunsWithoutAHumansToken()
    {
        // A fourth launch waits for its approval when the session is cancelled. (With three, the model's answer
        // after the third refusal could end the turn before the cancel arrived: then no "cancelled" came — the flake.)
        await using var llm = PlanThenLaunch(4);
        var h = new Harness(_dir, llm.BaseUrl);
        var session = h.Hub.Start(h.Workspace, "train", null).SessionId;
        var planId = (await h.WaitFor(e => e.Kind == AgentEventKind.Approval)).Approval!.Plan!.PlanId;

        // Another plan, approved by the human: its token does not launch this one.
        var other = (PlanTrainingResult)(await h.Services.Handler(M.PlanTraining).InvokeAsync(new PlanTrainingParams { WorkspaceFolder = h.Workspace, Data = Path.Combine(h.Workspace, "data", "train.csv") }, default))!;
        Assert.NotEqual(planId, other.PlanId);
        var otherToken = await h.ApproveInEditor(other.PlanId);

        string[] attempts = ["", "0123456789abcdef0123456789abcdef", otherToken];
        for (var i = 0; i < attempts.Length; i++)
        {
            var approval = await h.WaitFor(e => e.Kind == AgentEventKind.Approval && e.Approval!.ApprovalId == AgentSession.ApprovalIdFor($"launch{i + 1}"));
            Assert.True(h.Hub.Respond(h.Workspace, session, approval.Approval!.ApprovalId, approved: true, attempts[i].Length == 0 ? null : attempts[i], null).Accepted);
            var result = await h.WaitFor(e => e.Result?.CallId == $"launch{i + 1}");
            Assert.False(result.Result!.Ok);
            Assert.Contains("launch refused", result.Result.Summary, StringComparison.Ordinal);
            Assert.Null(result.Result.Launch);
        }

        Assert.Contains($"is for plan {other.PlanId}", h.Snapshot().Last(e => e.Result?.CallId == "launch3").Result!.Summary, StringComparison.Ordinal);
        Assert.False(Directory.Exists(h.RunsFolder));
        await h.WaitFor(e => e.Kind == AgentEventKind.Approval && e.Approval!.ApprovalId == AgentSession.ApprovalIdFor("launch4"));
        Assert.True(h.Hub.Cancel(h.Workspace, session));
        await h.WaitFor(e => e.Kind == AgentEventKind.Done && e.Text == "cancelled");
        Assert.False(h.Hub.Respond(h.Workspace, session, AgentSession.ApprovalIdFor("launch4"), approved: true, otherToken, null).Accepted);
        Assert.False(Directory.Exists(h.RunsFolder));
    }

    [Fact]
    public async Task ASessionCancelledWhileItsWriteWaitsInTheQueueEndsAndTheWriteNeverRuns()
    {
        await using var llm = new StreamingChatStandIn((turn, body) => turn == 0
            ? [StreamingChatStandIn.Call(0, "plan", "plan_training", "{\"data\": \"data/tickets.csv\"}")]
            : [StreamingChatStandIn.Text("done")]);
        var h = new Harness(_dir, llm.BaseUrl);

        // An editor write holds the queue the tools run in.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var editorWrite = h.Services.Queue.EnqueueWrite(async (_, _) =>
        {
            await release.Task;
            return 0;
        }, CancellationToken.None);
        var session = h.Hub.Start(h.Workspace, "plan a baseline", null).SessionId;
        await h.WaitFor(e => e.Kind == AgentEventKind.ToolCall);
        await Task.Delay(2000); // long enough for a plan made outside the queue to be written
        Assert.DoesNotContain(h.Snapshot(), e => e.Result?.CallId == "plan");
        var plans = Path.Combine(h.Workspace, ".mlintern", "plans");
        Assert.False(Directory.Exists(plans));

        // Stop ends the session now, not when the write ahead of its call is done; the call never runs.
        Assert.True(h.Hub.Cancel(h.Workspace, session));
        Assert.Equal("cancelled", (await h.WaitFor(e => e.Kind == AgentEventKind.Done, seconds: 10)).Text);
        Assert.Equal("cancelled", h.Snapshot().Single(e => e.Result?.CallId == "plan").Result!.Summary);
        release.SetResult();
        await editorWrite;
        await h.Services.Queue.EnqueueWrite((_, _) => Task.FromResult(0), CancellationToken.None);
        Assert.False(Directory.Exists(plans));
    }

    private static void AddCluster(string workspace) => File.AppendAllText(Path.Combine(workspace, "pyproject.toml"), """

        [tool.mlintern.compute.targets.cluster]
        kind = "slurm"
        partition = "gpu"
        gpus = 1
        cpus = 4
        time = "2:00:00"
        price-per-gpu-hour = 1.5
        """);

    [Fact]
    public async Task TheInternsPlanNamesItsComputeTargetAndAnUnknownTargetIsRefused()
    {
        string? planId = null;
        await using var llm = new StreamingChatStandIn((turn, body) =>
        {
            switch (turn)
            {
                case 0:
                    return [StreamingChatStandIn.Call(0, "nowhere", "plan_training", "{\"data\": \"data/tickets.csv\", \"target\": \"moon-cluster\"}")];
                case 1:
                    return [StreamingChatStandIn.Call(0, "cluster", "plan_training", "{\"data\": \"data/tickets.csv\", \"target\": \"cluster\"}")];
                case 2:
                    planId = PlanId().Match(StreamingChatStandIn.ToolResults(body).Last().Content).Value;
                    return [StreamingChatStandIn.Call(0, "launch", "launch_training", "{\"planId\": \"" + planId + "\"}")];
                default:
                    return [StreamingChatStandIn.Text("ok")];
            }
        });
        var h = new Harness(_dir, llm.BaseUrl);
        AddCluster(h.Workspace);
        var session = h.Hub.Start(h.Workspace, "train on the cluster", null).SessionId;

        // An unknown target: refused, nothing planned.
        var refused = await h.WaitFor(e => e.Result?.CallId == "nowhere");
        Assert.False(refused.Result!.Ok);
        Assert.Contains("refused: there is no compute target 'moon-cluster' (the targets are: local, cluster); nothing was planned.", refused.Result.Summary, StringComparison.Ordinal);
        var planned = await h.WaitFor(e => e.Result?.CallId == "cluster");
        Assert.True(planned.Result!.Ok, planned.Result.Summary);
        Assert.Contains("on slurm target 'cluster' at $1.5/h, ceiling 2 h = $3.00", planned.Result.Summary, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(Path.Combine(h.Workspace, ".mlintern", "plans"), "*.json"));

        // The approval the human sees: the plan on that target, its ceiling and cost, and the configured targets.
        var approval = (await h.WaitFor(e => e.Kind == AgentEventKind.Approval)).Approval!;
        var plan = approval.Plan!;
        Assert.Equal(planId, plan.PlanId);
        Assert.Equal(["cluster"], plan.Targets.Select(t => t.Name));
        Assert.Equal("slurm", plan.Targets[0].Kind);
        Assert.Equal("cluster", plan.Plan.Remote!.Name);
        Assert.Equal(3.0, plan.Plan.Remote.CeilingUsd, 9);
        var prompt = ProtocolJson.Write(plan.ApprovalPrompt);
        Assert.Contains("cluster", prompt, StringComparison.Ordinal);
        Assert.Contains("$3.00", prompt, StringComparison.Ordinal);
        Assert.True(h.Hub.Respond(h.Workspace, session, approval.ApprovalId, approved: false, null, null).Accepted);
        await h.WaitFor(e => e.Kind == AgentEventKind.Done);
        Assert.False(Directory.Exists(h.RunsFolder));
    }

    [Fact]
    public async Task TheGuidedApprovalCarriesTheConfiguredComputeTargets()
    {
        var h = new Harness(_dir, endpoint: null);
        AddCluster(h.Workspace);
        var session = h.Hub.Start(h.Workspace, "a classifier for data/tickets.csv", null).SessionId;
        foreach (var step in new[] { "check", "plan", "train" })
        {
            await h.WaitFor(e => e.Kind == AgentEventKind.NextSteps && e.NextSteps!.Any(s => s.Id == step));
            Assert.True(h.Hub.Step(h.Workspace, session, step).Accepted);
        }

        var approval = (await h.WaitFor(e => e.Kind == AgentEventKind.Approval)).Approval!;
        Assert.Equal(["cluster"], approval.Plan!.Targets.Select(t => t.Name));
        Assert.Contains("Slurm partition gpu", approval.Plan.Targets[0].Description, StringComparison.Ordinal);
        Assert.Null(approval.Plan.Plan.Remote); // the guided baseline runs here; the editor's modal offers the targets
        Assert.True(h.Hub.Cancel(h.Workspace, session));
        await h.WaitFor(e => e.Kind == AgentEventKind.Done && e.Text == "cancelled"); // its last write lands before the folder goes
    }

    [Fact]
    public async Task AModelThatLoopsIsStoppedByTheRepeatDetectorAndTheStepCap()
    {
        await using var repeating = new StreamingChatStandIn((turn, body) => [StreamingChatStandIn.Call(0, $"r{turn}", "list_runs", "{}")]);
        var h = new Harness(_dir, repeating.BaseUrl);
        h.Hub.Start(h.Workspace, "loop", null);
        var stop = await h.WaitFor(e => e.Kind == AgentEventKind.Error);
        Assert.Contains("repeated the same call 3 times", stop.Text, StringComparison.Ordinal);
        Assert.Equal(3, repeating.Requests.Count);
        Assert.Contains("refused: list_runs was already called 2 times", h.Snapshot().Last(e => e.Kind == AgentEventKind.ToolResult).Result!.Summary, StringComparison.Ordinal);

        string[] codes = ["MLI101", "MLI102", "MLI103", "MLI105", "MLI106", "MLI201", "MLI203"];
        await using var wandering = new StreamingChatStandIn((turn, body) => [StreamingChatStandIn.Call(0, $"w{turn}", "explain_finding", "{\"code\": \"" + codes[turn % codes.Length] + "\"}")]);
        var capped = new Harness(Directory.CreateDirectory(Path.Combine(_dir, "b")).FullName, wandering.BaseUrl, maxSteps: 4);
        capped.Hub.Start(capped.Workspace, "wander", null);
        var cap = await capped.WaitFor(e => e.Kind == AgentEventKind.Error);
        Assert.Contains("stopped after 4 steps", cap.Text, StringComparison.Ordinal);
        Assert.Equal(4, wandering.Requests.Count);
    }

    [Fact]
    public async Task ASecretInThePromptReachesNeitherTheSessionFileNorTheModel()
    {
        const string token = "hf_abcdefghijklmnopqrstuvwxyzABCDEFGH";
        await using var llm = new StreamingChatStandIn((turn, body) => turn == 0
            ? [StreamingChatStandIn.Call(0, "c", "explain_finding", "{\"code\": \"MLI603\"}")]
            : [StreamingChatStandIn.Text("Do not paste tokens: " + token)]);
        var h = new Harness(_dir, llm.BaseUrl);
        var session = h.Hub.Start(h.Workspace, $"my token is {token}, publish with it", null).SessionId;
        await h.WaitFor(e => e.Kind == AgentEventKind.Done);

        var file = File.ReadAllText(new State.WorkspaceStore(h.Workspace).SessionPath(session));
        Assert.DoesNotContain(token, file, StringComparison.Ordinal);
        Assert.Contains("[Hugging Face token: hf_", file, StringComparison.Ordinal);
        Assert.All(llm.Bodies, b => Assert.DoesNotContain(token, b, StringComparison.Ordinal));
        Assert.Contains("[Hugging Face token: hf_", llm.Bodies[0], StringComparison.Ordinal);
        Assert.All(h.Snapshot(), e => Assert.DoesNotContain(token, ProtocolJson.Write(e), StringComparison.Ordinal));
    }

    [Fact]
    public async Task GuidedModeAsksWhichDataSetWhenThePromptNamesNoneAndTheWorkspaceHasSeveral()
    {
        var h = new Harness(_dir, endpoint: null);
        var started = h.Hub.Start(h.Workspace, "build me a classifier", null);
        Assert.Equal(AgentMode.Guided, started.Mode);
        var choice = await h.WaitFor(e => e.Kind == AgentEventKind.NextSteps);
        Assert.Equal(["data:data", "data:data/tickets.csv"], choice.NextSteps!.Select(s => s.Id).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(h.Snapshot(), e => e.Kind == AgentEventKind.ToolCall);
        Assert.False(h.Hub.Step(h.Workspace, started.SessionId, "plan").Accepted);

        Assert.True(h.Hub.Step(h.Workspace, started.SessionId, "data:data").Accepted);
        var inspected = await h.WaitFor(e => e.Result is { Name: "inspect_dataset" });
        Assert.True(inspected.Result!.Ok, inspected.Result.Summary);
        Assert.Contains("2 split(s)", inspected.Result.Summary, StringComparison.Ordinal);
        await h.WaitFor(e => e.Kind == AgentEventKind.NextSteps && e.NextSteps!.Any(s => s.Id == "check"));
    }
}
