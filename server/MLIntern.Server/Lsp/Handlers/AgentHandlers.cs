using MLIntern.Server.Agent;
using MLIntern.Server.Lsp.Protocol;
using Wire = MLIntern.Server.Protocol;

namespace MLIntern.Server.Lsp.Handlers;

/// <summary>The agent family's handlers over one <see cref="AgentHub"/>: what LanguageServer registers.</summary>
internal static class AgentHandlers
{
    public static IEnumerable<MethodHandler> Create(AgentHub hub) =>
    [
        new AgentStartHandler(hub),
        new AgentRespondHandler(hub),
        new AgentStepHandler(hub),
        new AgentCancelHandler(hub),
        new AgentSessionsHandler(hub),
        new AgentSessionHandler(hub),
    ];

    public static string? Workspace(Wire.WorkspaceParams parameters) =>
        parameters.WorkspaceFolder is null ? null : TrainingRequests.Workspace(parameters);

    public static string SessionId(Wire.AgentSessionParams parameters) =>
        parameters.SessionId is { Length: > 0 } id ? id : throw TrainingRequests.Invalid("sessionId is required");

    public static StreamJsonRpc.LocalRpcException Error(AgentRequestException e) =>
        Wire.ErrorReasons.Error(ErrorCodes.InvalidParams, e.Reason, e.Message);
}

/// <summary>mlintern/agentStart: a new session (or a new message in one); the work goes on in the background.</summary>
internal sealed class AgentStartHandler(AgentHub hub) : WriteHandler<Wire.AgentStartParams, Wire.AgentStartResult>
{
    public override string Method => Methods.AgentStart;

    protected override Task<Wire.AgentStartResult> HandleAsync(Wire.AgentStartParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        var workspace = TrainingRequests.Workspace(parameters);
        if (string.IsNullOrWhiteSpace(parameters.Prompt))
        {
            throw TrainingRequests.Invalid("prompt is required");
        }

        try
        {
            return Task.FromResult(hub.Start(workspace, parameters.Prompt, parameters.SessionId));
        }
        catch (AgentRequestException e)
        {
            throw AgentHandlers.Error(e);
        }
    }
}

/// <summary>mlintern/agentRespond: the human's answer to an approval event.</summary>
internal sealed class AgentRespondHandler(AgentHub hub) : WriteHandler<Wire.AgentRespondParams, Wire.AgentRespondResult>
{
    public override string Method => Methods.AgentRespond;

    protected override Task<Wire.AgentRespondResult> HandleAsync(Wire.AgentRespondParams parameters, Snapshot snapshot, CancellationToken cancellationToken) =>
        Task.FromResult(hub.Respond(AgentHandlers.Workspace(parameters), AgentHandlers.SessionId(parameters), parameters.ApprovalId is { Length: > 0 } approval ? approval : throw TrainingRequests.Invalid("approvalId is required"), parameters.Approved, parameters.ApprovalToken, parameters.Answer));
}

/// <summary>mlintern/agentStep: runs a next step the session offered.</summary>
internal sealed class AgentStepHandler(AgentHub hub) : WriteHandler<Wire.AgentStepParams, Wire.AgentStepResult>
{
    public override string Method => Methods.AgentStep;

    protected override Task<Wire.AgentStepResult> HandleAsync(Wire.AgentStepParams parameters, Snapshot snapshot, CancellationToken cancellationToken) =>
        Task.FromResult(hub.Step(AgentHandlers.Workspace(parameters), AgentHandlers.SessionId(parameters), parameters.Step is { Length: > 0 } step ? step : throw TrainingRequests.Invalid("step is required")));
}

/// <summary>mlintern/agentCancel: stops a session's running work.</summary>
internal sealed class AgentCancelHandler(AgentHub hub) : SignalHandler<Wire.AgentSessionParams, Wire.AgentCancelResult>
{
    public override string Method => Methods.AgentCancel;

    protected override Task<Wire.AgentCancelResult> HandleAsync(Wire.AgentSessionParams parameters, CancellationToken cancellationToken) =>
        Task.FromResult(new Wire.AgentCancelResult(hub.Cancel(AgentHandlers.Workspace(parameters), AgentHandlers.SessionId(parameters))));
}

/// <summary>mlintern/agentSessions: the workspace's sessions, newest first.</summary>
internal sealed class AgentSessionsHandler(AgentHub hub) : ReadHandler<Wire.WorkspaceParams, Wire.AgentSessionsResult>
{
    public override string Method => Methods.AgentSessions;

    protected override Task<Wire.AgentSessionsResult> HandleAsync(Wire.WorkspaceParams parameters, Snapshot snapshot, CancellationToken cancellationToken) =>
        Task.FromResult(new Wire.AgentSessionsResult(hub.Sessions(TrainingRequests.Workspace(parameters))));
}

/// <summary>mlintern/agentSession: one session's summary and events, for resuming.</summary>
internal sealed class AgentSessionHandler(AgentHub hub) : ReadHandler<Wire.AgentSessionParams, Wire.AgentSessionResult>
{
    public override string Method => Methods.AgentSession;

    protected override Task<Wire.AgentSessionResult> HandleAsync(Wire.AgentSessionParams parameters, Snapshot snapshot, CancellationToken cancellationToken) =>
        Task.FromResult(hub.Session(AgentHandlers.Workspace(parameters), AgentHandlers.SessionId(parameters))
            ?? throw TrainingRequests.NotFound($"no session '{parameters.SessionId}'{(parameters.WorkspaceFolder is null ? " (pass workspaceFolder to read a stored session)" : "")}"));
}
