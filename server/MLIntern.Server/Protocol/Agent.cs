namespace MLIntern.Server.Protocol;

// The agent family: mlintern/agentStart, agentRespond, agentStep, agentCancel, agentSessions,
// agentSession and the mlintern/agentEvent notification. The intern's conversation is a list of
// events; a session file (.mlintern/sessions/<id>.jsonl) is the same events, one per line.

/// <summary>mlintern/agentStart: a project prompt for a new session, or a new user message for <see cref="SessionId"/>.</summary>
internal sealed class AgentStartParams : WorkspaceParams
{
    public string Prompt { get; set; } = "";

    /// <summary>Continue this session with <see cref="Prompt"/> as a new user message.</summary>
    public string? SessionId { get; set; }
}

/// <summary>Whether the session talks to an LLM or runs the fixed guided workflow (no endpoint configured).</summary>
internal enum AgentMode
{
    Llm,
    Guided,
}

internal sealed record AgentStartResult(string SessionId, AgentMode Mode);

/// <summary>A session by id. The workspace folder is optional when the sidecar already knows the session; after a restart it finds the file there.</summary>
internal class AgentSessionParams : WorkspaceParams
{
    public string SessionId { get; set; } = "";
}

/// <summary>mlintern/agentRespond: the human's answer to an approval event; a training or publish approval carries the token approveRun or approvePublish gave.</summary>
internal sealed class AgentRespondParams : AgentSessionParams
{
    public string ApprovalId { get; set; } = "";

    public bool Approved { get; set; }

    public string? ApprovalToken { get; set; }

    public string? Answer { get; set; }
}

internal sealed record AgentRespondResult(bool Accepted, string? Reason);

/// <summary>mlintern/agentStep: run one of the next steps an event offered (guided mode).</summary>
internal sealed class AgentStepParams : AgentSessionParams
{
    public string Step { get; set; } = "";
}

internal sealed record AgentStepResult(bool Accepted, string? Reason);

internal sealed record AgentCancelResult(bool Cancelled);

internal enum AgentSessionState
{
    Running,
    Waiting,
    Done,
    Cancelled,
    Failed,
}

internal sealed record AgentSessionSummary(string Id, string Title, AgentMode Mode, DateTimeOffset StartedAt, DateTimeOffset UpdatedAt, AgentSessionState State);

internal sealed record AgentSessionsResult(IReadOnlyList<AgentSessionSummary> Sessions);

internal sealed record AgentSessionResult(AgentSessionSummary Summary, IReadOnlyList<AgentEvent> Events);

internal enum AgentEventKind
{
    User,
    Text,
    ToolCall,
    ToolResult,
    Approval,
    NextSteps,
    Done,
    Error,
}

/// <summary>
/// One thing that happened in a session (mlintern/agentEvent, and one line of the session file).
/// <see cref="Text"/>: the user's message, a streamed text delta (the view appends), or an error.
/// </summary>
internal sealed record AgentEvent(
    string SessionId,
    int Seq,
    DateTimeOffset Time,
    AgentEventKind Kind,
    string? Text = null,
    AgentToolCall? Tool = null,
    AgentToolResult? Result = null,
    AgentApproval? Approval = null,
    IReadOnlyList<AgentStep>? NextSteps = null);

/// <summary>A tool call: its id, the tool's name, its arguments as JSON text, and a title for the card.</summary>
internal sealed record AgentToolCall(string CallId, string Name, string Arguments, string Title);

/// <summary>
/// A tool's result as the view shows it. <see cref="Launch"/> is a startRun answer the editor runs
/// as its training task (and reports through mlintern/runExited); <see cref="Upload"/> a startPublish
/// answer (an approved upload, its token already used) the editor runs as its upload task (and reports
/// through mlintern/publishExited), for the run <see cref="RunId"/>.
/// </summary>
internal sealed record AgentToolResult(string CallId, string Name, bool Ok, string Summary, IReadOnlyList<AgentLink> Links, StartRunResult? Launch = null, PublishStarted? Upload = null, string? RunId = null);

internal enum AgentApprovalKind
{
    Training,
    Publish,
    Download,
}

/// <summary>A step waiting for the human: training (approve the plan), publishing (the preflight) or a download.</summary>
internal sealed record AgentApproval(string ApprovalId, AgentApprovalKind Kind, string Title, PlanTrainingResult? Plan = null, PreflightReport? Preflight = null, DatasetDownloadPlan? Download = null);

/// <summary>A next step offered as a button: agentStep with its id runs it.</summary>
internal sealed record AgentStep(string Id, string Title);

internal enum AgentLinkKind
{
    Finding,
    Diff,
    Plan,
    Run,
    Evaluation,
    Card,
    File,
    Rule,
}

/// <summary>
/// A link on a result card. finding: <see cref="Uri"/> is the file (with <c>#L&lt;line&gt;</c>) and <see cref="Code"/> the rule code;
/// rule: <see cref="Code"/>; plan, card, file, evaluation: <see cref="Uri"/>; run: <see cref="RunId"/>;
/// diff: <see cref="Uri"/> is the file it changes and <see cref="Code"/> the unified diff, applied only when the user accepts it.
/// </summary>
internal sealed record AgentLink(AgentLinkKind Kind, string Label, string? Uri = null, string? RunId = null, string? Code = null);
