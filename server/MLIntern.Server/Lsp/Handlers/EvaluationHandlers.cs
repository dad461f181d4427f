using Microsoft.Extensions.Logging;
using MLIntern.Server.Evaluate;
using MLIntern.Server.Lsp.Protocol;
using MLIntern.Training.Evaluation;
using Newtonsoft.Json.Linq;

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
internal sealed class CreateCardHandler(ILogger logger) : ReadHandler<CreateCardParams, JObject>
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

/// <summary>The handlers of issue 7: evaluate, card, demo, publish.</summary>
internal static class EvaluationHandlers
{
    public static IEnumerable<MethodHandler> Create(ILogger logger) =>
    [
        new EvaluateRunHandler(logger),
        new CreateCardHandler(logger),
    ];
}
