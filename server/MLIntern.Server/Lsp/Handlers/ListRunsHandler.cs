using MLIntern.Server.Lsp.Protocol;
using MLIntern.Server.State;
using Wire = MLIntern.Server.Protocol;

namespace MLIntern.Server.Lsp.Handlers;

/// <summary>mlintern/listRuns: the runs of a workspace, newest first.</summary>
internal sealed class ListRunsHandler : ReadHandler<Wire.WorkspaceParams, Wire.ListRunsResult>
{
    public override string Method => Methods.ListRuns;

    protected override Task<Wire.ListRunsResult> HandleAsync(Wire.WorkspaceParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        var store = new WorkspaceStore(TrainingRequests.Workspace(parameters));

        // Slurm and HF Jobs runs: their scheduler's state first, so a restarted sidecar shows where each job is.
        Runs.RemoteRuns.RefreshAll(store);
        return Task.FromResult(new Wire.ListRunsResult([.. store.ListRuns().Select(r => Wire.RunSummary.From(r, store.RunFolder(r.Id)))]));
    }
}
