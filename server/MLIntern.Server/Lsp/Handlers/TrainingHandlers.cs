using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using MLIntern.Server.Engine;
using MLIntern.Server.Lsp.Protocol;
using MLIntern.Server.Runs;
using MLIntern.Server.State;
using MLIntern.Training.Plans;
using MLIntern.Training.Runs;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using StreamJsonRpc;

namespace MLIntern.Server.Lsp.Handlers;

/// <summary>Parameters every training method may carry: the workspace folder (path or file URI) holding .mlintern/.</summary>
internal class WorkspaceParams
{
    public string? WorkspaceFolder { get; set; }
}

internal sealed class PlanTrainingParams : WorkspaceParams
{
    /// <summary>The script (path or file URI); omitted for the built-in baseline.</summary>
    public string? Script { get; set; }

    public string? Data { get; set; }

    public string? TextColumn { get; set; }

    public string? LabelColumn { get; set; }

    public string? Model { get; set; }

    public double? Epochs { get; set; }

    public int? MaxLength { get; set; }

    public string? Hardware { get; set; }

    public string? Target { get; set; }

    public int? Processes { get; set; }

    public string? Python { get; set; }

    public int? Seed { get; set; }

    public bool Smoke { get; set; }
}

/// <summary>The figures the approver saw: the plan's hash, hours and cost (null when unknown).</summary>
internal sealed class PlanFigures
{
    public string? PlanHash { get; set; }

    public double? Hours { get; set; }

    public double? CostUsd { get; set; }
}

internal sealed class ApproveRunParams : WorkspaceParams
{
    public string? PlanId { get; set; }

    public PlanFigures? Figures { get; set; }

    public bool AcceptOverBudget { get; set; }

    public bool AcceptUnknownEstimate { get; set; }
}

internal sealed class StartRunParams : WorkspaceParams
{
    public string? PlanId { get; set; }

    public string? ApprovalToken { get; set; }

    public bool Smoke { get; set; }
}

internal sealed class RunParams : WorkspaceParams
{
    public string? RunId { get; set; }

    public int? ExitCode { get; set; }

    /// <summary>runExited: the user stopped the task (the extension also sends no exitCode then).</summary>
    public bool? Cancelled { get; set; }
}

/// <summary>
/// Approvals given in the editor, by token, until a run uses them: single use, and only for the
/// plan they were given for. In memory: a restarted sidecar forgets them, so the user approves again.
/// </summary>
internal sealed class ApprovalBook
{
    private readonly ConcurrentDictionary<string, (Approval Approval, string Workspace)> _tokens = new(StringComparer.Ordinal);

    public string Add(Approval approval, string workspace)
    {
        var token = System.Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        _tokens[token] = (approval, workspace);
        return token;
    }

    public (Approval Approval, string Workspace)? Take(string token) => _tokens.TryRemove(token, out var entry) ? entry : null;
}

/// <summary>Shared by the training handlers: the workspace a request is about, and the JSON shape of results.</summary>
internal static class TrainingRequests
{
    public static readonly JsonSerializer Serializer = JsonSerializer.Create(WorkspaceStore.Json);

    public static string Workspace(WorkspaceParams parameters, string? fallbackFile = null)
    {
        var folder = Local(parameters.WorkspaceFolder) ?? (Local(fallbackFile) is { } file ? Path.GetDirectoryName(Path.GetFullPath(file)) : null);
        if (folder is null || !Directory.Exists(folder))
        {
            throw Invalid($"workspaceFolder is required (an existing folder); got '{parameters.WorkspaceFolder}'");
        }

        return Path.GetFullPath(folder);
    }

    public static string? Local(string? pathOrUri) =>
        pathOrUri is not null && Uri.TryCreate(pathOrUri, UriKind.Absolute, out var uri) && uri.IsFile ? uri.LocalPath : pathOrUri;

    public static LocalRpcException Invalid(string message) => new(message) { ErrorCode = ErrorCodes.InvalidParams };

    public static LocalRpcException Refused(string message) => new("launch refused: " + message) { ErrorCode = ErrorCodes.ApprovalRefused };

    public static JObject Figures(TrainingPlan plan) => new() { ["planHash"] = plan.Hash, ["hours"] = plan.Estimate.Hours, ["costUsd"] = plan.Estimate.CostUsd };

    public static TrainingPlan LoadPlan(WorkspaceStore store, string? planId) =>
        (planId is null ? null : store.LoadPlan(planId)) ?? throw Invalid($"no plan '{planId}' in {store.PlansFolder}; plan first (mlintern/planTraining)");

    public static JObject Summary(RunRecord run, WorkspaceStore store) => new()
    {
        ["id"] = run.Id,
        ["title"] = run.Title,
        ["kind"] = run.Kind,
        ["status"] = run.Status,
        ["smoke"] = run.Smoke,
        ["createdAt"] = run.CreatedAt,
        ["startedAt"] = run.StartedAt,
        ["endedAt"] = run.EndedAt,
        ["exitCode"] = run.ExitCode,
        ["planId"] = run.Plan.Id,
        ["runDir"] = store.RunFolder(run.Id),
    };
}

/// <summary>
/// mlintern/planTraining: builds the plan (script or built-in baseline), writes it to
/// .mlintern/plans/&lt;id&gt;.md and .json, and returns it with the figures an approval must repeat.
/// </summary>
internal sealed class PlanTrainingHandler(ServerState state, DatasetFactsService datasets, ILogger logger) : WriteHandler<PlanTrainingParams, JObject>
{
    public override string Method => Methods.PlanTraining;

    protected override Task<JObject> HandleAsync(PlanTrainingParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        var script = TrainingRequests.Local(parameters.Script);
        var workspace = TrainingRequests.Workspace(parameters, script ?? TrainingRequests.Local(parameters.Data));
        var store = new WorkspaceStore(workspace);
        TrainingPlan plan;
        try
        {
            plan = Planner.Plan(workspace, new PlanOptions
            {
                Script = script,
                Data = TrainingRequests.Local(parameters.Data),
                TextColumn = parameters.TextColumn,
                LabelColumn = parameters.LabelColumn,
                Model = parameters.Model,
                Epochs = parameters.Epochs,
                MaxLength = parameters.MaxLength,
                Hardware = parameters.Hardware,
                Target = parameters.Target ?? "local",
                Processes = parameters.Processes ?? 1,
                Python = parameters.Python ?? "python3",
                Seed = parameters.Seed ?? 42,
                Smoke = parameters.Smoke,
            }, state.Settings, datasets, cancellationToken);
        }
        catch (Exception e) when (e is ArgumentException or IOException)
        {
            throw TrainingRequests.Invalid(e.Message);
        }

        store.SavePlan(plan);
        logger.LogInformation("planned {PlanId} in {Workspace}: {Hours} h, over budget {Over}", plan.Id, workspace, plan.Estimate.Hours, plan.OverBudget);
        var findings = new JArray();
        if (Planner.OverBudgetFinding(plan, store.PlanMarkdownPath(plan.Id)) is { } finding)
        {
            findings.Add(new JObject { ["code"] = RunOverBudget.Rule.Code, ["message"] = string.Join("; ", plan.OverBudgetReasons), ["location"] = finding[..finding.IndexOf(": MLI602", StringComparison.Ordinal)] });
        }

        return Task.FromResult(new JObject
        {
            ["planId"] = plan.Id,
            ["markdownPath"] = store.PlanMarkdownPath(plan.Id),
            ["jsonPath"] = store.PlanJsonPath(plan.Id),
            ["markdown"] = PlanMarkdown.Render(plan),
            ["figures"] = TrainingRequests.Figures(plan),
            ["overBudget"] = plan.OverBudget,
            ["overBudgetReasons"] = new JArray(plan.OverBudgetReasons),
            ["estimateKnown"] = plan.Estimate.Known,
            ["unknownBecause"] = plan.Estimate.UnknownBecause,
            ["findings"] = findings,
            ["plan"] = JObject.FromObject(plan, TrainingRequests.Serializer),
        });
    }
}

/// <summary>
/// mlintern/approveRun: the editor's approval dialog said yes to these figures. The figures must be
/// the plan's (a stale dialog is refused), and the gate must allow the approval (over budget or an
/// unknown estimate need the explicit accept flags). Returns a single-use approval token.
/// </summary>
internal sealed class ApproveRunHandler(ApprovalBook book, ILogger logger) : ReadHandler<ApproveRunParams, JObject>
{
    public override string Method => Methods.ApproveRun;

    protected override Task<JObject> HandleAsync(ApproveRunParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        var workspace = TrainingRequests.Workspace(parameters);
        var plan = TrainingRequests.LoadPlan(new WorkspaceStore(workspace), parameters.PlanId);
        var figures = parameters.Figures ?? throw TrainingRequests.Invalid("figures {planHash, hours, costUsd} are required: the figures the user approved");
        var approval = new Approval(Environment.UserName, plan.Id, figures.PlanHash ?? "", figures.Hours, figures.CostUsd, DateTimeOffset.UtcNow, "editor dialog", parameters.AcceptOverBudget, parameters.AcceptUnknownEstimate);
        var decision = ApprovalGate.Check(plan, approval);
        if (!decision.Allowed)
        {
            logger.LogWarning("approval of {PlanId} refused: {Reason}", plan.Id, decision.Reason);
            throw TrainingRequests.Refused(decision.Reason);
        }

        logger.LogInformation("plan {PlanId} {Statement}", plan.Id, approval.Statement);
        return Task.FromResult(new JObject
        {
            ["approvalToken"] = book.Add(approval, workspace),
            ["approval"] = JObject.FromObject(approval, TrainingRequests.Serializer),
        });
    }
}

/// <summary>
/// mlintern/startRun: creates the run folder for an approved plan (the gate is asked again) and
/// returns the task the extension runs: `mlintern train --run ID --workspace W`, which executes the
/// run's recorded command after checking its approval once more. The sidecar spawns nothing here.
/// </summary>
internal sealed class StartRunHandler(ApprovalBook book, MetricsWatcher watcher, ILogger logger) : WriteHandler<StartRunParams, JObject>
{
    public override string Method => Methods.StartRun;

    protected override Task<JObject> HandleAsync(StartRunParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        var workspace = TrainingRequests.Workspace(parameters);
        var store = new WorkspaceStore(workspace);
        var plan = TrainingRequests.LoadPlan(store, parameters.PlanId);
        if (parameters.ApprovalToken is null || book.Take(parameters.ApprovalToken) is not { } entry)
        {
            throw TrainingRequests.Refused("no valid approval token (approve the plan with mlintern/approveRun; a token is used once)");
        }

        if (entry.Workspace != workspace || entry.Approval.PlanId != plan.Id)
        {
            throw TrainingRequests.Refused($"the approval token is for plan {entry.Approval.PlanId}, not {plan.Id}");
        }

        var smoke = parameters.Smoke && !plan.Smoke;
        RunRecord run;
        try
        {
            run = store.CreateRun(plan, entry.Approval, _ => SmokeCommand(plan, smoke), parameters.Smoke);
        }
        catch (ApprovalRefusedException e)
        {
            throw TrainingRequests.Refused(e.Message);
        }

        var folder = store.RunFolder(run.Id);
        var task = new MLIntern.Training.Launch.LaunchCommand(Planner.Self.Executable, [.. Planner.Self.Prefix, "train", "--run", run.Id, "--workspace", workspace], workspace, new SortedDictionary<string, string>(StringComparer.Ordinal));
        watcher.Watch(run.Id, folder);
        logger.LogInformation("run {RunId} created for plan {PlanId} ({Statement})", run.Id, plan.Id, run.Approval.Statement);
        return Task.FromResult(new JObject
        {
            ["runId"] = run.Id,
            ["runDir"] = folder,
            ["task"] = new JObject
            {
                ["command"] = task.Executable,
                ["args"] = new JArray(task.Arguments),
                ["cwd"] = task.WorkingDirectory,
                ["env"] = JObject.FromObject(task.Environment),
            },
            ["commandLine"] = task.CommandLine,
            ["run"] = JObject.FromObject(run, TrainingRequests.Serializer),
        });
    }

    /// <summary>The recorded command of a smoke run made from a full plan: the subset and step cap as the documented environment variables (scripts) or --smoke (baseline).</summary>
    private static MLIntern.Training.Launch.LaunchCommand SmokeCommand(TrainingPlan plan, bool smoke)
    {
        if (!smoke)
        {
            return plan.Command;
        }

        return plan.Kind == PlanKind.Baseline
            ? plan.Command with { Arguments = [.. plan.Command.Arguments, "--smoke"] }
            : plan.Command.WithEnvironment("MLINTERN_SMOKE_ROWS", "64").WithEnvironment("MLINTERN_SMOKE_STEPS", "10");
    }
}

/// <summary>
/// mlintern/runExited: the extension's task ended. Records how, unless the run already recorded its own
/// end: exit code 0 succeeded; stopped by the user (cancelled: true, no exit code, or 130 = SIGINT)
/// cancelled; anything else failed.
/// </summary>
internal sealed class RunExitedHandler(MetricsWatcher watcher) : WriteHandler<RunParams, JObject>
{
    public override string Method => Methods.RunExited;

    protected override Task<JObject> HandleAsync(RunParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        var store = new WorkspaceStore(TrainingRequests.Workspace(parameters));
        var run = (parameters.RunId is null ? null : RunExecutor.RecordTaskExit(store, parameters.RunId, parameters.ExitCode, parameters.Cancelled == true)) ?? throw TrainingRequests.Invalid($"no run '{parameters.RunId}'");

        watcher.Finish(run.Id);
        return Task.FromResult(TrainingRequests.Summary(run, store));
    }
}

internal sealed class GenerateScriptParams : WorkspaceParams
{
    public string? Data { get; set; }

    /// <summary>Where the script would go (path or file URI); default: train_&lt;data set&gt;.py in the workspace, a name not taken.</summary>
    public string? Output { get; set; }

    public string? Model { get; set; }

    public string? TextColumn { get; set; }

    public string? LabelColumn { get; set; }

    public int? Epochs { get; set; }
}

/// <summary>
/// mlintern/generateScript: the text of a Hugging Face Trainer script for a data set and where it would
/// go — as `mlintern generate train-script` writes it, but nothing is written: the editor creates the
/// file through a WorkspaceEdit the user sees (and can undo).
/// </summary>
internal sealed class GenerateScriptHandler : ReadHandler<GenerateScriptParams, JObject>
{
    public override string Method => Methods.GenerateScript;

    protected override Task<JObject> HandleAsync(GenerateScriptParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        var data = TrainingRequests.Local(parameters.Data) ?? throw TrainingRequests.Invalid("data is required");
        var workspace = TrainingRequests.Workspace(parameters, data);
        data = Path.GetFullPath(data, workspace);
        var output = TrainingRequests.Local(parameters.Output) is { } o ? Path.GetFullPath(o, workspace) : FreeScriptPath(workspace, data);
        string text;
        try
        {
            text = TrainScripts.Render(data, Path.GetDirectoryName(output)!, parameters.Model ?? "distilbert-base-uncased", parameters.TextColumn, parameters.LabelColumn, parameters.Epochs ?? 3);
        }
        catch (DatasetUnusableException e)
        {
            throw TrainingRequests.Invalid(e.Message);
        }

        return Task.FromResult(new JObject { ["path"] = output, ["text"] = text, ["exists"] = File.Exists(output) });
    }

    /// <summary>train_&lt;name&gt;.py in the workspace (name: the data file or folder, other characters as '_'), with _2, _3 … when taken.</summary>
    private static string FreeScriptPath(string workspace, string data)
    {
        var name = System.Text.RegularExpressions.Regex.Replace(Path.GetFileNameWithoutExtension(data.TrimEnd(Path.DirectorySeparatorChar)), "[^A-Za-z0-9_]+", "_");
        var stem = Path.Combine(workspace, $"train_{(name.Length == 0 ? "data" : name)}");
        var path = stem + ".py";
        for (var i = 2; File.Exists(path) && i < 10_000; i++)
        {
            path = $"{stem}_{i}.py";
        }

        return path;
    }
}

/// <summary>mlintern/listRuns: the runs of a workspace, newest first.</summary>
internal sealed class ListRunsHandler : ReadHandler<WorkspaceParams, JObject>
{
    public override string Method => Methods.ListRuns;

    protected override Task<JObject> HandleAsync(WorkspaceParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        var store = new WorkspaceStore(TrainingRequests.Workspace(parameters));
        return Task.FromResult(new JObject { ["runs"] = new JArray(store.ListRuns().Select(r => TrainingRequests.Summary(r, store))) });
    }
}

/// <summary>mlintern/getRun: one run — run.json, every metric point so far, eval.json when written — and live metrics while it runs.</summary>
internal sealed class GetRunHandler(MetricsWatcher watcher) : ReadHandler<RunParams, JObject>
{
    public override string Method => Methods.GetRun;

    protected override Task<JObject> HandleAsync(RunParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        var store = new WorkspaceStore(TrainingRequests.Workspace(parameters));
        var run = (parameters.RunId is null ? null : store.LoadRun(parameters.RunId)) ?? throw TrainingRequests.Invalid($"no run '{parameters.RunId}'");
        var folder = store.RunFolder(run.Id);
        var points = new RunMetricsTailer(folder).Poll();
        var result = new JObject
        {
            ["run"] = JObject.FromObject(run, TrainingRequests.Serializer),
            ["runDir"] = folder,
            ["metrics"] = JArray.FromObject(points, TrainingRequests.Serializer),
        };
        if (WorkspaceStore.ReadEval(folder) is { } eval)
        {
            result["eval"] = eval;
        }

        var predictions = Path.Combine(folder, "predictions.jsonl");
        if (File.Exists(predictions))
        {
            result["predictionsPath"] = predictions;
        }

        if (!RunStatus.IsFinal(run.Status))
        {
            watcher.Watch(run.Id, folder, skip: points.Count);
        }

        return Task.FromResult(result);
    }
}

/// <summary>The training methods, sharing one approval book and one metrics watcher: what LanguageServer registers.</summary>
internal static class TrainingHandlers
{
    public static IEnumerable<MethodHandler> Create(ServerState state, DatasetFactsService datasets, Func<IClient> client, ILogger logger)
    {
        var book = new ApprovalBook();
        var watcher = new MetricsWatcher(client, logger);
        return
        [
            new GenerateScriptHandler(),
            new PlanTrainingHandler(state, datasets, logger),
            new ApproveRunHandler(book, logger),
            new StartRunHandler(book, watcher, logger),
            new RunExitedHandler(watcher),
            new ListRunsHandler(),
            new GetRunHandler(watcher),
        ];
    }
}
