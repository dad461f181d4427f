using MLIntern.Server.Lsp.Protocol;
using MLIntern.Server.State;
using MLIntern.Training.Plans;
using StreamJsonRpc;
using Wire = MLIntern.Server.Protocol;

namespace MLIntern.Server.Lsp.Handlers;

/// <summary>Shared by the training handlers: the workspace a request is about, the plan or run it names, and its errors.</summary>
internal static class TrainingRequests
{
    public static string Workspace(Wire.WorkspaceParams parameters, string? fallbackFile = null)
    {
        var folder = Local(parameters.WorkspaceFolder) ?? (Local(fallbackFile) is { } file ? Path.GetDirectoryName(Path.GetFullPath(file)) : null);
        if (folder is null || !Directory.Exists(folder))
        {
            throw Invalid($"workspaceFolder is required (an existing folder); got '{parameters.WorkspaceFolder}'");
        }

        return Path.GetFullPath(folder);
    }

    public static string? Local(string? pathOrUri) =>
        pathOrUri is not null && Uri.TryCreate(pathOrUri, UriKind.Absolute, out var uri) && uri.IsFile ? uri.LocalPath : pathOrUri;

    public static LocalRpcException Invalid(string message) => Wire.ErrorReasons.Error(ErrorCodes.InvalidParams, Wire.ErrorReasons.InvalidParams, message);

    /// <summary>A plan or run the request names is not there; the code stays InvalidParams, as clients have always seen it.</summary>
    public static LocalRpcException NotFound(string message) => Wire.ErrorReasons.Error(ErrorCodes.InvalidParams, Wire.ErrorReasons.NotFound, message);

    public static LocalRpcException Refused(string message) => Wire.ErrorReasons.Error(ErrorCodes.ApprovalRefused, Wire.ErrorReasons.Refused, "launch refused: " + message);

    public static TrainingPlan LoadPlan(WorkspaceStore store, string? planId) =>
        (planId is null ? null : store.LoadPlan(planId)) ?? throw NotFound($"no plan '{planId}' in {store.PlansFolder}; plan first (mlintern/planTraining)");
}
