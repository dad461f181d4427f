using MLIntern.Server.Lsp.Protocol;
using MLIntern.Server.Runs;
using MLIntern.Server.State;
using MLIntern.Training.Runs;
using Wire = MLIntern.Server.Protocol;

namespace MLIntern.Server.Lsp.Handlers;

/// <summary>
/// mlintern/cancelRun ("Cancel Run" in the Runs view): a running Slurm or HF Jobs run's job is cancelled
/// (scancel / hf jobs cancel) and its state read into run.json. A local run is stopped by ending its
/// task, which the extension does; asked here it is refused.
/// </summary>
internal sealed class CancelRunHandler(MetricsWatcher watcher) : WriteHandler<Wire.RunParams, Wire.RunSummary>
{
    public override string Method => Methods.CancelRun;

    protected override Task<Wire.RunSummary> HandleAsync(Wire.RunParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        var store = new WorkspaceStore(TrainingRequests.Workspace(parameters));
        var run = (parameters.RunId is null || !RunIds.IsValid(parameters.RunId) ? null : store.LoadRun(parameters.RunId)) ?? throw TrainingRequests.NotFound($"no run '{parameters.RunId}'");
        if (run.Remote is null || run.Status != RunStatus.Running)
        {
            throw TrainingRequests.Invalid($"run {run.Id} is {run.Status}{(run.Remote is null ? " on this machine (stop its task to end it)" : "")}; only a running Slurm or HF Jobs run is cancelled here");
        }

        var ended = CancelJob(store, run.Id) ?? run;
        watcher.Finish(ended.Id);
        return Task.FromResult(Wire.RunSummary.From(ended, store.RunFolder(ended.Id)));
    }

    /// <summary>Cancels the run's job; a scheduler that refuses is an invalid-params error with its message.</summary>
    public static RunRecord? CancelJob(WorkspaceStore store, string runId)
    {
        try
        {
            return RemoteRuns.Cancel(store, runId);
        }
        catch (InvalidOperationException e)
        {
            throw TrainingRequests.Invalid(e.Message);
        }
    }
}
