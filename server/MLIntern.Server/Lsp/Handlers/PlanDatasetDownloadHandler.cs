using MLIntern.Server.Lsp.Protocol;
using Wire = MLIntern.Server.Protocol;

namespace MLIntern.Server.Lsp.Handlers;

/// <summary>mlintern/planDatasetDownload: what a download would write and its hash, for the approval dialog. Nothing is downloaded or written.</summary>
internal sealed class PlanDatasetDownloadHandler : ReadHandler<Wire.PlanDatasetDownloadParams, Wire.DatasetDownloadPlan>
{
    public override string Method => Methods.PlanDatasetDownload;

    protected override async Task<Wire.DatasetDownloadPlan> HandleAsync(Wire.PlanDatasetDownloadParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        using var client = HubRequests.Client();
        return HubRequests.ToWire(await HubRequests.PlanAsync(client, parameters, cancellationToken));
    }
}
