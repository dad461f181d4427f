using Microsoft.Extensions.Logging;
using MLIntern.Server.Hub;
using MLIntern.Server.Lsp.Protocol;
using StreamJsonRpc;
using Wire = MLIntern.Server.Protocol;

namespace MLIntern.Server.Lsp.Handlers;

/// <summary>
/// mlintern/downloadDataset: downloads an approved plan. The plan is made again now and its hash must
/// be the one the user approved (a data set that changed since, or other files, is refused), so
/// nothing is downloaded that the dialog did not show. Reports window/workDoneProgress (cancellable;
/// a cancelled or cut download keeps its `.part` files and resumes on the next request).
/// </summary>
internal sealed class DownloadDatasetHandler(ServerState state, ILogger logger) : WriteHandler<Wire.DownloadDatasetParams, Wire.DownloadDatasetResult>
{
    public override string Method => Methods.DownloadDataset;

    protected override async Task<Wire.DownloadDatasetResult> HandleAsync(Wire.DownloadDatasetParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        using var client = HubRequests.Client();
        var plan = await HubRequests.PlanAsync(client, parameters, cancellationToken);
        var hash = HubDatasets.PlanHash(plan);
        if (string.IsNullOrEmpty(parameters.ApprovedHash) || parameters.ApprovedHash != hash)
        {
            throw Wire.ErrorReasons.Error(ErrorCodes.ApprovalRefused, Wire.ErrorReasons.Refused,
                $"download refused: the approved plan ({(string.IsNullOrEmpty(parameters.ApprovedHash) ? "none" : parameters.ApprovedHash)}) is not the plan now ({hash}); plan again (mlintern/planDatasetDownload) and approve what it shows. Nothing was downloaded.");
        }

        await using var progress = await WorkDoneProgress.StartAsync(state, parameters.WorkDoneToken, $"Downloading {plan.Id}", logger, cancellationToken);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, progress?.Cancelled ?? CancellationToken.None);
        Provenance provenance;
        try
        {
            provenance = await HubDatasets.DownloadAsync(client, plan, progress is null ? null : progress.Report, cancel.Token);
        }
        catch (HubException e)
        {
            throw HubRequests.Error(e);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LocalRpcException($"the download of {plan.Id} was cancelled; its partial files resume on the next download") { ErrorCode = ErrorCodes.RequestCancelled };
        }

        progress?.Finish($"{provenance.Files.Count} file(s)");
        logger.LogInformation("downloaded {Id} ({Files} files, {Bytes} bytes) into {Directory}", plan.Id, provenance.Files.Count, plan.TotalBytes, plan.Directory);
        return new Wire.DownloadDatasetResult(plan.Directory, Path.Combine(plan.Directory, HubDatasets.ProvenanceFileName),
            [.. plan.Files.Select(f => new Wire.DownloadFileInfo(f.LocalPath, f.Split, f.Size))], plan.TotalBytes);
    }
}
