using MLIntern.Server.Lsp.Protocol;
using MLIntern.Server.Runs;
using MLIntern.Server.State;
using Wire = MLIntern.Server.Protocol;

namespace MLIntern.Server.Lsp.Handlers;

/// <summary>
/// mlintern/runExited: the extension's task ended. Records how, unless the run already recorded its own
/// end: exit code 0 succeeded; stopped by the user (cancelled: true, no exit code, or 130 = SIGINT)
/// cancelled; anything else failed. A Slurm or HF Jobs run is its job's: a stopped task cancels the job
/// (scancel), any other end of the task reads the job's state, which keeps the run running while the job does.
/// </summary>
internal sealed class RunExitedHandler(MetricsWatcher watcher) : WriteHandler<Wire.RunParams, Wire.RunSummary>
{
    public override string Method => Methods.RunExited;

    protected override Task<Wire.RunSummary> HandleAsync(Wire.RunParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        var store = new WorkspaceStore(TrainingRequests.Workspace(parameters));
        var current = parameters.RunId is null || !MLIntern.Training.Runs.RunIds.IsValid(parameters.RunId) ? null : store.LoadRun(parameters.RunId);
        var stopped = parameters.Cancelled == true || parameters.ExitCode is null or 130;
        var run = current is { Remote: not null, Status: MLIntern.Training.Runs.RunStatus.Running }
            ? (stopped ? CancelRunHandler.CancelJob(store, current.Id) : RemoteRuns.Refresh(store, current.Id))
            : current is null ? null : RunExecutor.RecordTaskExit(store, current.Id, parameters.ExitCode, parameters.Cancelled == true);
        run ??= current ?? throw TrainingRequests.NotFound($"no run '{parameters.RunId}'");

        watcher.Finish(run.Id);
        return Task.FromResult(Wire.RunSummary.From(run, store.RunFolder(run.Id)));
    }
}
