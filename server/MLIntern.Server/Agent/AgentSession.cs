using System.Collections.Concurrent;
using MLIntern.Findings;
using MLIntern.Server.Protocol;
using MLIntern.Server.State;
using Newtonsoft.Json;

namespace MLIntern.Server.Agent;

/// <summary>What a session's approval waits for: the human's answer (and the token their approval gave).</summary>
internal sealed record ApprovalAnswer(bool Approved, string? Token, string? Answer);

/// <summary>An approval a tool is waiting on: which call asked, and the answer when it comes.</summary>
internal sealed class PendingApproval(AgentApproval approval, string callId)
{
    public AgentApproval Approval { get; } = approval;

    public string CallId { get; } = callId;

    public TaskCompletionSource<ApprovalAnswer> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// One conversation of the intern: its events (in memory and, one JSON line each, in
/// .mlintern/sessions/&lt;id&gt;.jsonl through the store), the approvals it waits on, and the
/// cancellation of its running work. Every text is redacted before an event is made, so neither the
/// file, the client nor a model sees a secret.
/// </summary>
internal sealed class AgentSession
{
    private readonly List<AgentEvent> _events = [];
    private readonly Lock _gate = new();
    private readonly Action<AgentEvent> _sink;
    private CancellationTokenSource _cancel = new();

    public AgentSession(string id, WorkspaceStore store, AgentMode mode, string title, Action<AgentEvent> sink, IReadOnlyList<AgentEvent>? history = null)
    {
        Id = id;
        Store = store;
        Mode = mode;
        Title = Secrets.Redact(title);
        _sink = sink;
        if (history is { Count: > 0 })
        {
            _events.AddRange(history);
        }

        StartedAt = _events.Count > 0 ? _events[0].Time : DateTimeOffset.UtcNow;
    }

    public string Id { get; }

    public WorkspaceStore Store { get; }

    public string Workspace => Store.Workspace;

    public AgentMode Mode { get; }

    public string Title { get; }

    public DateTimeOffset StartedAt { get; }

    /// <summary>The work running now (a model turn or a guided step), or null when idle.</summary>
    public Task? Work { get; set; }

    public ConcurrentDictionary<string, PendingApproval> Pending { get; } = new(StringComparer.Ordinal);

    public bool Cancelled { get; private set; }

    public CancellationToken Cancellation => _cancel.Token;

    public IReadOnlyList<AgentEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    public bool Busy => Work is { IsCompleted: false };

    /// <summary>Makes the next event (redacted), stores its line, and hands it to the client.</summary>
    public AgentEvent Emit(AgentEventKind kind, string? text = null, AgentToolCall? tool = null, AgentToolResult? result = null, AgentApproval? approval = null, IReadOnlyList<AgentStep>? nextSteps = null)
    {
        AgentEvent e;
        lock (_gate)
        {
            var seq = _events.Count == 0 ? 1 : _events[^1].Seq + 1;
            e = new AgentEvent(
                Id,
                seq,
                DateTimeOffset.UtcNow,
                kind,
                text is null ? null : Secrets.Redact(text),
                tool is null ? null : tool with { Arguments = Secrets.Redact(tool.Arguments), Title = Secrets.Redact(tool.Title) },
                result is null ? null : result with { Summary = Secrets.Redact(result.Summary), Links = [.. result.Links.Select(l => l with { Label = Secrets.Redact(l.Label), Code = l.Code is null ? null : Secrets.Redact(l.Code) })] },
                approval,
                nextSteps);
            _events.Add(e);
            Store.AppendSession(Id, [Line(e)]);
        }

        _sink(e);
        return e;
    }

    /// <summary>Stops the running work; approvals waiting are answered "cancelled".</summary>
    public bool Cancel()
    {
        var wasBusy = Busy || !Pending.IsEmpty;
        Cancelled = true;
        _cancel.Cancel();
        foreach (var pending in Pending.Values)
        {
            pending.Answer.TrySetCanceled();
        }

        return wasBusy;
    }

    /// <summary>A new user message after a cancel starts with a fresh token.</summary>
    public void Resume()
    {
        if (_cancel.IsCancellationRequested)
        {
            _cancel = new CancellationTokenSource();
        }

        Cancelled = false;
    }

    public AgentSessionSummary Summary(bool live) => SummaryOf(Id, Title, Mode, Events, live && Busy, Cancelled);

    public static string Line(AgentEvent e) => ProtocolJson.Write(e);

    public static AgentEvent? Read(string line)
    {
        try
        {
            return JsonConvert.DeserializeObject<AgentEvent>(line, ProtocolJson.Settings);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The approval events not yet followed by their call's result: what is still to be answered.</summary>
    public static IReadOnlyList<AgentApproval> Unanswered(IReadOnlyList<AgentEvent> events)
    {
        var answered = events.Where(e => e.Kind == AgentEventKind.ToolResult && e.Result is not null).Select(e => e.Result!.CallId).ToHashSet(StringComparer.Ordinal);
        return [.. events.Where(e => e.Kind == AgentEventKind.Approval && e.Approval is not null && !answered.Contains(CallOf(e.Approval.ApprovalId))).Select(e => e.Approval!)];
    }

    /// <summary>An approval's id is "approve-" + the id of the tool call that asked.</summary>
    public static string ApprovalIdFor(string callId) => "approve-" + callId;

    public static string CallOf(string approvalId) => approvalId.StartsWith("approve-", StringComparison.Ordinal) ? approvalId["approve-".Length..] : approvalId;

    public static AgentSessionSummary SummaryOf(string id, string title, AgentMode mode, IReadOnlyList<AgentEvent> events, bool running, bool cancelled)
    {
        var started = events.Count > 0 ? events[0].Time : DateTimeOffset.UtcNow;
        var updated = events.Count > 0 ? events[^1].Time : started;
        var last = events.Count > 0 ? events[^1] : null;
        var state = Unanswered(events).Count > 0 ? AgentSessionState.Waiting
            : running ? AgentSessionState.Running
            : cancelled || last is { Kind: AgentEventKind.Done, Text: "cancelled" } ? AgentSessionState.Cancelled
            : last?.Kind == AgentEventKind.Error ? AgentSessionState.Failed
            : last?.Kind == AgentEventKind.NextSteps ? AgentSessionState.Waiting
            : AgentSessionState.Done;
        return new AgentSessionSummary(id, title, mode, started, updated, state);
    }
}
