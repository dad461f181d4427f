using MLIntern.Server.Evaluate;
using MLIntern.Server.Lsp.Protocol;
using MLIntern.Server.Protocol;
using StreamJsonRpc;

namespace MLIntern.Server.Lsp.Handlers;

/// <summary>Shared by the evaluation, card, demo and publish handlers: finding the run a request names, and their errors.</summary>
internal static class RunRequests
{
    public static RunContext Resolve(RunRefParams parameters)
    {
        var path = Local(parameters.Path);
        var workspace = Local(parameters.WorkspaceFolder);
        var run = path ?? parameters.RunId ?? throw Invalid("runId or path is required");
        if (path is null && workspace is null)
        {
            throw Invalid("workspaceFolder is required with runId");
        }

        try
        {
            return RunContext.Resolve(run, path is null ? workspace : null);
        }
        catch (RunNotFoundException e)
        {
            throw NotFound(e.Message);
        }
    }

    /// <summary>A file URI as its local path; anything else as it is.</summary>
    public static string? Local(string? pathOrUri) =>
        pathOrUri is not null && Uri.TryCreate(pathOrUri, UriKind.Absolute, out var uri) && uri.IsFile ? uri.LocalPath : pathOrUri;

    public static LocalRpcException Invalid(string message) => ErrorReasons.Error(ErrorCodes.InvalidParams, ErrorReasons.InvalidParams, message);

    /// <summary>The run, or what the request names in it, does not exist (same code as before reasons existed: invalid params).</summary>
    public static LocalRpcException NotFound(string message) => ErrorReasons.Error(ErrorCodes.InvalidParams, ErrorReasons.NotFound, message);

    public static LocalRpcException Refused(string message) => ErrorReasons.Error(ErrorCodes.ApprovalRefused, ErrorReasons.Refused, message);
}
