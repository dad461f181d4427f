using Microsoft.Extensions.Logging;
using MLIntern.Server.Evaluate;
using MLIntern.Server.Lsp.Protocol;
using MLIntern.Training.Evaluation;
using Newtonsoft.Json.Linq;
using StreamJsonRpc;
using WorkspaceParams = MLIntern.Server.Protocol.WorkspaceParams;

namespace MLIntern.Server.Lsp.Handlers;

/// <summary>A run named by id (under the workspace's .mlintern/runs/) or by its folder (path or file URI).</summary>
internal class RunRefParams : WorkspaceParams
{
    public string? RunId { get; set; }

    public string? Path { get; set; }
}

internal sealed class EvaluateRunParams : RunRefParams
{
    /// <summary>true: always audit; false: never; omitted: when macro-F1 ≥ auditThreshold.</summary>
    public bool? Audit { get; set; }

    public double? AuditThreshold { get; set; }

    public string? CategoryColumn { get; set; }
}

/// <summary>Shared by the evaluation, card, demo and publish handlers: finding the run a request names.</summary>
internal static class RunRequests
{
    public static RunContext Resolve(RunRefParams parameters)
    {
        var path = TrainingRequests.Local(parameters.Path);
        var workspace = TrainingRequests.Local(parameters.WorkspaceFolder);
        var run = path ?? parameters.RunId ?? throw TrainingRequests.Invalid("runId or path is required");
        if (path is null && workspace is null)
        {
            throw TrainingRequests.Invalid("workspaceFolder is required with runId");
        }

        try
        {
            return RunContext.Resolve(run, path is null ? workspace : null);
        }
        catch (RunNotFoundException e)
        {
            throw TrainingRequests.Invalid(e.Message);
        }
    }
}

/// <summary>mlintern/evaluateRun: the evaluation report of a run, as `mlintern evaluate RUN --format json` prints it.</summary>
internal sealed class EvaluateRunHandler(ILogger logger) : ReadHandler<EvaluateRunParams, JObject>
{
    public override string Method => Methods.EvaluateRun;

    protected override Task<JObject> HandleAsync(EvaluateRunParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        var run = RunRequests.Resolve(parameters);
        var options = new EvaluateOptions(parameters.Audit, parameters.AuditThreshold is { } t ? new AuditOptions(Threshold: t) : null, parameters.CategoryColumn);
        EvaluationReport report;
        try
        {
            report = RunEvaluator.Evaluate(run, options, cancellationToken);
        }
        catch (PredictionsException e)
        {
            throw TrainingRequests.Invalid(e.Message);
        }

        logger.LogInformation("evaluated run {Run}: macro-F1 {MacroF1:0.0000}, audit {Audit}", run.Id ?? run.Folder, report.Metrics.Macro.F1, report.Audit is null ? "not run" : report.Audit.Alarm ? "alarm" : "clean");
        return Task.FromResult(ReportWriters.Json(report));
    }
}

internal sealed class CreateCardParams : RunRefParams
{
    public string? License { get; set; }

    public List<string>? Languages { get; set; }

    public string? DatasetId { get; set; }

    public string? Author { get; set; }

    public string? ModelName { get; set; }
}

/// <summary>mlintern/createCard: writes README.md into the run's model folder; returns its path, the unfilled fields and the validator's problems.</summary>
internal sealed class CreateCardHandler(ILogger logger) : WriteHandler<CreateCardParams, JObject>
{
    public override string Method => Methods.CreateCard;

    protected override Task<JObject> HandleAsync(CreateCardParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        var run = RunRequests.Resolve(parameters);
        Release.CardResult result;
        try
        {
            result = Release.CardWriter.Write(run, new Release.CardOptions(parameters.License, parameters.Languages, parameters.DatasetId, parameters.Author ?? Environment.UserName, parameters.ModelName), cancellationToken);
        }
        catch (PredictionsException e)
        {
            throw TrainingRequests.Invalid(e.Message);
        }

        logger.LogInformation("wrote the model card of run {Run}: {Unfilled} unfilled", run.Id ?? run.Folder, result.Unfilled.Count);
        return Task.FromResult(new JObject
        {
            ["path"] = result.Path,
            ["modelFolder"] = result.ModelFolder,
            ["unfilled"] = new JArray(result.Unfilled),
            ["problems"] = new JArray(result.Problems.Select(p => new JObject { ["severity"] = p.Severity, ["field"] = p.Field, ["message"] = p.Message })),
            ["valid"] = result.Problems.All(p => p.Severity != Training.Release.CardProblem.Error),
        });
    }
}

internal sealed class CreateDemoParams : RunRefParams
{
    public string? ModelId { get; set; }

    public string? License { get; set; }

    public string? SdkVersion { get; set; }
}

/// <summary>
/// mlintern/createDemo: writes the Gradio Space into the run's space/ folder; returns the folder, files,
/// unfilled fields, and — for a built-in baseline run — the command that serves it locally (for a task).
/// </summary>
internal sealed class CreateDemoHandler : WriteHandler<CreateDemoParams, JObject>
{
    public override string Method => Methods.CreateDemo;

    protected override Task<JObject> HandleAsync(CreateDemoParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        var run = RunRequests.Resolve(parameters);
        Release.SpaceResult result;
        try
        {
            result = Release.SpaceWriter.Write(run, parameters.ModelId, parameters.License, parameters.SdkVersion);
        }
        catch (PredictionsException e)
        {
            throw TrainingRequests.Invalid(e.Message);
        }

        var baseline = File.Exists(Path.Combine(run.Folder, "model.bin"));
        return Task.FromResult(new JObject
        {
            ["folder"] = result.Folder,
            ["files"] = new JArray(result.Files),
            ["unfilled"] = new JArray(result.Unfilled),
            ["serve"] = baseline ? new JObject { ["command"] = "mlintern", ["args"] = new JArray("demo", run.Folder, "--serve", "--port", "7860"), ["url"] = "http://127.0.0.1:7860/" } : null,
        });
    }
}

internal sealed class PublishParams : RunRefParams
{
    public string? RepoId { get; set; }

    /// <summary>"model" (default) or "space".</summary>
    public string? RepoType { get; set; }

    public bool Private { get; set; }

    public string? CommitMessage { get; set; }

    /// <summary>approvePublish: the fileListHash of the preflight the user saw.</summary>
    public string? FileListHash { get; set; }
}

internal sealed class StartPublishParams
{
    public string? ApprovalToken { get; set; }
}

/// <summary>Publish approvals given in the editor, by token, single use; in memory, so a restarted sidecar asks again.</summary>
internal sealed class PublishApprovalBook
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (Release.PublishTarget Target, Training.Release.PublishApproval Approval)> _tokens = new(StringComparer.Ordinal);

    public string Add(Release.PublishTarget target, Training.Release.PublishApproval approval)
    {
        var token = System.Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        _tokens[token] = (target, approval);
        return token;
    }

    public (Release.PublishTarget Target, Training.Release.PublishApproval Approval)? Take(string token) => _tokens.TryRemove(token, out var entry) ? entry : null;
}

internal static class PublishRequests
{
    public static Release.PublishTarget Target(PublishParams parameters)
    {
        var run = RunRequests.Resolve(parameters);
        var type = parameters.RepoType ?? Training.Release.Preflight.ModelType;
        if (parameters.RepoId is null)
        {
            throw TrainingRequests.Invalid("repoId is required");
        }

        if (type is not (Training.Release.Preflight.ModelType or Training.Release.Preflight.SpaceType))
        {
            throw TrainingRequests.Invalid($"repoType must be model or space, not '{type}'");
        }

        return new Release.PublishTarget(run, parameters.RepoId, type, parameters.Private, parameters.CommitMessage);
    }

    public static LocalRpcException Refused(string message) => new(message) { ErrorCode = ErrorCodes.ApprovalRefused };
}

/// <summary>mlintern/preflightPublish: what would be uploaded (files, sizes), what blocks it, and the fileListHash an approval must repeat.</summary>
internal sealed class PreflightPublishHandler : ReadHandler<PublishParams, JObject>
{
    public override string Method => Methods.PreflightPublish;

    protected override Task<JObject> HandleAsync(PublishParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        var report = Release.Publisher.Check(PublishRequests.Target(parameters));
        var json = Release.Publisher.ReportJson(report);
        json["passed"] = report.Passed;
        return Task.FromResult(json);
    }
}

/// <summary>
/// mlintern/approvePublish: the user approved in the editor's modal. Re-runs the preflight; refuses
/// (-32010) when it fails or its fileListHash is not the one shown; records the approval in run.json;
/// returns a single-use approvalToken for startPublish.
/// </summary>
internal sealed class ApprovePublishHandler(PublishApprovalBook book, ILogger logger) : WriteHandler<PublishParams, JObject>
{
    public override string Method => Methods.ApprovePublish;

    protected override Task<JObject> HandleAsync(PublishParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        var target = PublishRequests.Target(parameters);
        if (parameters.FileListHash is null)
        {
            throw PublishRequests.Refused("publish refused: fileListHash (from the preflight the user saw) is required");
        }

        Training.Release.PublishApproval approval;
        try
        {
            approval = Release.Publisher.Approve(target, Environment.UserName, "editor dialog", parameters.FileListHash);
        }
        catch (Release.PublishRefusedException e)
        {
            throw PublishRequests.Refused(e.Message);
        }

        logger.LogInformation("publish approved: {Type} {Repo} from run {Run} ({Id})", approval.RepoType, approval.RepoId, target.Run.Id, approval.Id);
        return Task.FromResult(new JObject { ["approvalToken"] = book.Add(target, approval), ["approval"] = Release.Publisher.ApprovalJson(approval) });
    }
}

/// <summary>
/// mlintern/startPublish: exchanges an approval token (single use) for the upload command, after
/// checking the files still match the approval. The extension runs {command, args, cwd} as a task.
/// </summary>
internal sealed class StartPublishHandler(PublishApprovalBook book, ILogger logger) : WriteHandler<StartPublishParams, JObject>
{
    public override string Method => Methods.StartPublish;

    protected override Task<JObject> HandleAsync(StartPublishParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        if (parameters.ApprovalToken is null || book.Take(parameters.ApprovalToken) is not { } entry)
        {
            throw PublishRequests.Refused("publish refused: no approval (approvalToken missing, unknown or already used); approve with mlintern/approvePublish");
        }

        Training.Release.PublishApproval used;
        try
        {
            used = Release.Publisher.Use(entry.Target, entry.Approval);
        }
        catch (Release.PublishRefusedException e)
        {
            throw PublishRequests.Refused(e.Message);
        }

        logger.LogInformation("publish started: {Type} {Repo} ({Id})", used.RepoType, used.RepoId, used.Id);
        return Task.FromResult(new JObject
        {
            ["command"] = Training.Release.UploadCommand.Executable,
            ["args"] = new JArray(Training.Release.UploadCommand.Arguments(used)),
            ["cwd"] = entry.Target.Run.Folder,
            ["commandLine"] = Training.Release.UploadCommand.Line(used),
            ["approval"] = Release.Publisher.ApprovalJson(used),
        });
    }
}

internal sealed class PublishExitedParams : RunRefParams
{
    /// <summary>The id of the approval startPublish used (its answer's approval.id).</summary>
    public string? ApprovalId { get; set; }

    public int? ExitCode { get; set; }
}

/// <summary>
/// mlintern/publishExited: the upload task ended; records its exit code on the approval it used in
/// run.json. Only an approval that was used (startPublish) can get an exit code, once.
/// </summary>
internal sealed class PublishExitedHandler(ILogger logger) : WriteHandler<PublishExitedParams, JObject>
{
    public override string Method => Methods.PublishExited;

    protected override Task<JObject> HandleAsync(PublishExitedParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        if (parameters.ApprovalId is null || parameters.ExitCode is null)
        {
            throw TrainingRequests.Invalid("approvalId and exitCode are required");
        }

        var run = RunRequests.Resolve(parameters);
        var approval = Release.Publisher.Recorded(run).FirstOrDefault(a => a.Id == parameters.ApprovalId);
        if (approval is null || approval.UsedAt is null)
        {
            throw TrainingRequests.Invalid($"run {run.Id ?? run.Folder} has no started upload with approval {parameters.ApprovalId}");
        }

        if (approval.ExitCode is not null)
        {
            throw TrainingRequests.Invalid($"the upload of approval {approval.Id} already ended (exit code {approval.ExitCode})");
        }

        try
        {
            Release.Publisher.RecordExit(run, approval, parameters.ExitCode.Value);
        }
        catch (Release.PublishRefusedException e)
        {
            throw TrainingRequests.Invalid(e.Message);
        }

        logger.LogInformation("publish ended: {Type} {Repo} ({Id}) exit code {Code}", approval.RepoType, approval.RepoId, approval.Id, parameters.ExitCode);
        return Task.FromResult(new JObject { ["recorded"] = true });
    }
}

/// <summary>The handlers of issue 7: evaluate, card, demo, publish.</summary>
internal static class EvaluationHandlers
{
    public static IEnumerable<MethodHandler> Create(ILogger logger) => Create(logger, new PublishApprovalBook());

    private static IEnumerable<MethodHandler> Create(ILogger logger, PublishApprovalBook book) =>
    [
        new EvaluateRunHandler(logger),
        new CreateCardHandler(logger),
        new CreateDemoHandler(),
        new PreflightPublishHandler(),
        new ApprovePublishHandler(book, logger),
        new StartPublishHandler(book, logger),
        new PublishExitedHandler(logger),
    ];
}
