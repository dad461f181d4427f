using MLIntern.Server.Lsp.Protocol;
using MLIntern.Server.Runs;
using MLIntern.Server.State;
using Wire = MLIntern.Server.Protocol;

namespace MLIntern.Server.Lsp.Handlers;

/// <summary>
/// mlintern/runExited: the extension's task ended. Records how, unless the run already recorded its own
/// end: exit code 0 succeeded; stopped by the user (cancelled: true, no exit code, or 130 = SIGINT)
/// cancelled; anything else failed.
/// </summary>
internal sealed class RunExitedHandler(MetricsWatcher watcher) : WriteHandler<Wire.RunParams, Wire.RunSummary>
{
    public override string Method => Methods.RunExited;

    protected override Task<Wire.RunSummary> HandleAsync(Wire.RunParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        var store = new WorkspaceStore(TrainingRequests.Workspace(parameters));
        var run = (parameters.RunId is null ? null : RunExecutor.RecordTaskExit(store, parameters.RunId, parameters.ExitCode, parameters.Cancelled == true)) ?? throw TrainingRequests.NotFound($"no run '{parameters.RunId}'");

        watcher.Finish(run.Id);
        return Task.FromResult(Wire.RunSummary.From(run, store.RunFolder(run.Id)));
    }
}
