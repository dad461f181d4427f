using Microsoft.Extensions.Logging;
using MLIntern.Server.Lsp.Protocol;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Lsp.Handlers;

/// <summary>Parameters of window/workDoneProgress/cancel.</summary>
internal sealed class WorkDoneProgressCancelParams
{
    public JToken? Token { get; set; }
}

/// <summary>window/workDoneProgress/cancel: the user pressed Cancel on a progress notification. A read, so it runs beside the work it cancels.</summary>
internal sealed class WorkDoneProgressCancelHandler(ServerState state, ILogger logger) : ReadHandler<WorkDoneProgressCancelParams, object?>
{
    public override string Method => Methods.WorkDoneProgressCancel;

    protected override Task<object?> HandleAsync(WorkDoneProgressCancelParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        var token = parameters.Token?.ToString(Formatting.None) ?? "";
        if (state.CancellableProgress.TryGetValue(token, out var cancel))
        {
            logger.LogInformation("progress {Token} cancelled by the client", token);
            cancel.Cancel();
        }

        return Task.FromResult<object?>(null);
    }
}
