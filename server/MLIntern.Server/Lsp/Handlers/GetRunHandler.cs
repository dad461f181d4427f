using MLIntern.Server.Lsp.Protocol;
using MLIntern.Server.Runs;
using MLIntern.Server.State;
using MLIntern.Training.Runs;
using Wire = MLIntern.Server.Protocol;

namespace MLIntern.Server.Lsp.Handlers;

/// <summary>mlintern/getRun: one run — run.json, every metric point so far, eval.json when written — and live metrics while it runs.</summary>
internal sealed class GetRunHandler(MetricsWatcher watcher) : ReadHandler<Wire.RunParams, Wire.GetRunResult>
{
    public override string Method => Methods.GetRun;

    protected override Task<Wire.GetRunResult> HandleAsync(Wire.RunParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        var store = new WorkspaceStore(TrainingRequests.Workspace(parameters));
        var run = (parameters.RunId is null || !RunIds.IsValid(parameters.RunId) ? null : RemoteRuns.Refresh(store, parameters.RunId)) ?? throw TrainingRequests.NotFound($"no run '{parameters.RunId}'");
        var folder = store.RunFolder(run.Id);
        var points = new RunMetricsTailer(folder).Poll();
        var predictions = Path.Combine(folder, "predictions.jsonl");
        if (!RunStatus.IsFinal(run.Status))
        {
            watcher.Watch(run.Id, folder, skip: points.Count);
        }

        var eval = WorkspaceStore.ReadEval(folder);
        return Task.FromResult(new Wire.GetRunResult(Wire.RunRecord.From(run), folder, Wire.MetricPoint.From(points), eval, Wire.RunEvaluation.From(eval), File.Exists(predictions) ? predictions : null));
    }
}
