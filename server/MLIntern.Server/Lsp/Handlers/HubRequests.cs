using MLIntern.Server.Hub;
using MLIntern.Server.Lsp.Protocol;
using StreamJsonRpc;
using Wire = MLIntern.Server.Protocol;

namespace MLIntern.Server.Lsp.Handlers;

/// <summary>Shared by the Hub handlers: the settings (from the sidecar's environment, never from the editor's settings: the token lives there only), the plan a request names, and the errors.</summary>
internal static class HubRequests
{
    public static HubClient Client() => new(HubSettings.FromEnvironment());

    public static string Id(string? id) =>
        id is not null && HubDatasets.IsDatasetId(id) ? id : throw TrainingRequests.Invalid($"`{id}` is not a data set id (expected org/name)");

    /// <summary>A Hub failure as a JSON-RPC error: its message (which never holds the token), reason notFound for a 404, refused for 401/403.</summary>
    public static LocalRpcException Error(HubException e) => e.Failure switch
    {
        HubFailure.NotFound => Wire.ErrorReasons.Error(ErrorCodes.RequestFailed, Wire.ErrorReasons.NotFound, e.Message),
        HubFailure.Unauthorized or HubFailure.Forbidden => Wire.ErrorReasons.Error(ErrorCodes.RequestFailed, Wire.ErrorReasons.Refused, e.Message),
        _ => new LocalRpcException(e.Message) { ErrorCode = ErrorCodes.RequestFailed },
    };

    /// <summary>The plan for a request, in a folder that must stay inside the workspace.</summary>
    public static async Task<DownloadPlan> PlanAsync(HubClient client, Wire.PlanDatasetDownloadParams parameters, CancellationToken cancellationToken)
    {
        var id = Id(parameters.Id);
        var workspace = TrainingRequests.Workspace(parameters);
        var directory = parameters.Directory is { Length: > 0 } dir ? Path.GetFullPath(Path.Combine(workspace, dir)) : HubDatasets.DefaultDirectory(workspace, id);
        if (!directory.StartsWith(Path.TrimEndingDirectorySeparator(workspace) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw TrainingRequests.Invalid($"directory must be inside the workspace folder; got '{parameters.Directory}'");
        }

        try
        {
            return await HubDatasets.PlanAsync(client, id, parameters.Config, parameters.Split, directory, cancellationToken);
        }
        catch (HubException e)
        {
            throw Error(e);
        }
    }

    public static Wire.DatasetDownloadPlan ToWire(DownloadPlan plan) => new(
        plan.Id, plan.Revision, plan.License, plan.Config, plan.Directory,
        [.. plan.Files.Select(f => new Wire.DownloadFileInfo(f.LocalPath, f.Split, f.Size))],
        plan.TotalBytes, plan.Partial, [.. plan.Warnings.Select(w => new Wire.HubWarningInfo(w.Code, w.Message))], HubDatasets.PlanHash(plan));
}
