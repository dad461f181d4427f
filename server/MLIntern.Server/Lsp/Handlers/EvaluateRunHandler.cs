using Microsoft.Extensions.Logging;
using MLIntern.Server.Evaluate;
using MLIntern.Server.Lsp.Protocol;
using MLIntern.Training.Evaluation;
using Wire = MLIntern.Server.Protocol;

namespace MLIntern.Server.Lsp.Handlers;

/// <summary>mlintern/evaluateRun: the evaluation report of a run, as `mlintern evaluate RUN --format json` prints it.</summary>
internal sealed class EvaluateRunHandler(ILogger logger) : ReadHandler<Wire.EvaluateRunParams, Wire.EvaluationReport>
{
    public override string Method => Methods.EvaluateRun;

    protected override Task<Wire.EvaluationReport> HandleAsync(Wire.EvaluateRunParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
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
            throw RunRequests.Invalid(e.Message);
        }

        logger.LogInformation("evaluated run {Run}: macro-F1 {MacroF1:0.0000}, audit {Audit}", run.Id ?? run.Folder, report.Metrics.Macro.F1, report.Audit is null ? "not run" : report.Audit.Alarm ? "alarm" : "clean");
        return Task.FromResult(Wire.EvaluationReport.From(report));
    }
}
