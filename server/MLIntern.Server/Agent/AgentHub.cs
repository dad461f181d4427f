using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using MLIntern.Server.Assist;
using MLIntern.Server.Protocol;
using MLIntern.Server.State;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Agent;

/// <summary>
/// The intern's sessions in one process: starts them (LLM mode when an assistant endpoint is
/// configured, else the guided workflow), routes the human's answers and steps to them, cancels
/// them, and reads the stored ones back. The work of a session runs in the background; its events
/// go to <see cref="AgentSession.Emit"/> (the session file, then the client through the sink).
/// </summary>
internal sealed class AgentHub(AgentServices services, Func<JObject?> settings, Action<AgentEvent> sink, ILogger logger, Func<string, string?>? environment = null)
{
    private readonly ConcurrentDictionary<string, AgentSession> _live = new(StringComparer.Ordinal);

    public AgentServices Services { get; } = services;

    /// <summary>Steps an LLM session may take per user message (tool rounds).</summary>
    public int MaxSteps { get; init; } = 24;

    /// <summary>Guided mode runs every step by itself (the headless CLI) instead of offering each as a button.</summary>
    public bool AutoAdvance { get; init; }

    public AgentStartResult Start(string workspace, string prompt, string? sessionId)
    {
        var store = new WorkspaceStore(workspace);
        AgentSession session;
        if (sessionId is not null)
        {
            session = Find(sessionId, workspace) ?? throw new AgentRequestException(ErrorReasons.NotFound, $"no session '{sessionId}' in {store.SessionsFolder}");
            if (session.Busy)
            {
                throw new AgentRequestException(ErrorReasons.InvalidParams, $"session {sessionId} is still working; cancel it or wait for it to finish");
            }

            session.Resume();
        }
        else
        {
            var config = AssistantSettings.From(settings(), environment ?? Environment.GetEnvironmentVariable, out var problem);
            var mode = config is null ? AgentMode.Guided : AgentMode.Llm;
            var id = NewId(mode);
            session = new AgentSession(id, store, mode, Title(prompt), sink);
            _live[id] = session;
            if (problem is not null)
            {
                logger.LogWarning("assistant settings: {Problem}; the intern runs guided", problem);
            }
        }

        session.Emit(AgentEventKind.User, prompt);
        Run(session, ct => session.Mode == AgentMode.Llm
            ? new AgentLoop(this, session, AssistantSettings.From(settings(), environment ?? Environment.GetEnvironmentVariable, out _)!, logger).RunAsync(ct)
            : new GuidedWorkflow(this, session, AutoAdvance).StartAsync(prompt, ct));
        return new AgentStartResult(session.Id, session.Mode);
    }

    public AgentRespondResult Respond(string? workspace, string sessionId, string approvalId, bool approved, string? token, string? answer)
    {
        if (Find(sessionId, workspace) is not { } session)
        {
            return new AgentRespondResult(false, $"no session '{sessionId}'");
        }

        if (session.Pending.TryGetValue(approvalId, out var pending))
        {
            return pending.Answer.TrySetResult(new ApprovalAnswer(approved, token, answer))
                ? new AgentRespondResult(true, null)
                : new AgentRespondResult(false, "this approval was already answered");
        }

        // After a reload the approval is in the file but nothing waits for it: the session takes it up again.
        if (AgentSession.Unanswered(session.Events).FirstOrDefault(a => a.ApprovalId == approvalId) is { } stored && !session.Busy)
        {
            Run(session, ct => session.Mode == AgentMode.Guided
                ? new GuidedWorkflow(this, session, AutoAdvance).ResumeApprovalAsync(stored, new ApprovalAnswer(approved, token, answer), ct)
                : new AgentLoop(this, session, AssistantSettings.From(settings(), environment ?? Environment.GetEnvironmentVariable, out _), logger).ResumeApprovalAsync(stored, new ApprovalAnswer(approved, token, answer), ct));
            return new AgentRespondResult(true, null);
        }

        return new AgentRespondResult(false, $"session {sessionId} is not waiting for approval '{approvalId}'");
    }

    public AgentStepResult Step(string? workspace, string sessionId, string step)
    {
        if (Find(sessionId, workspace) is not { } session)
        {
            return new AgentStepResult(false, $"no session '{sessionId}'");
        }

        if (session.Busy)
        {
            return new AgentStepResult(false, "the intern is still working on the previous step");
        }

        var offered = session.Events.LastOrDefault(e => e.Kind == AgentEventKind.NextSteps)?.NextSteps ?? [];
        if (!offered.Any(s => s.Id == step))
        {
            return new AgentStepResult(false, $"'{step}' is not a step the intern offered (offered: {string.Join(", ", offered.Select(s => s.Id))})");
        }

        session.Resume();
        Run(session, ct => new GuidedWorkflow(this, session, AutoAdvance).StepAsync(step, ct));
        return new AgentStepResult(true, null);
    }

    public bool Cancel(string? workspace, string sessionId)
    {
        if (Find(sessionId, workspace) is not { } session)
        {
            return false;
        }

        var cancelled = session.Cancel();
        if (cancelled && !session.Busy)
        {
            session.Emit(AgentEventKind.Done, "cancelled");
        }

        return cancelled;
    }

    public IReadOnlyList<AgentSessionSummary> Sessions(string workspace)
    {
        var store = new WorkspaceStore(workspace);
        List<AgentSessionSummary> list = [];
        foreach (var id in store.ListSessions())
        {
            if (Find(id, workspace) is { } session)
            {
                list.Add(session.Summary(live: true));
            }
        }

        return [.. list.OrderByDescending(s => s.StartedAt)];
    }

    public AgentSessionResult? Session(string? workspace, string sessionId) =>
        Find(sessionId, workspace) is { } session ? new AgentSessionResult(session.Summary(live: true), session.Events) : null;

    /// <summary>Waits for a session's running work (the CLI, tests).</summary>
    public async Task WaitAsync(string sessionId)
    {
        while (_live.TryGetValue(sessionId, out var session) && session.Work is { } work)
        {
            await work.ConfigureAwait(false);
            if (ReferenceEquals(work, session.Work))
            {
                return;
            }
        }
    }

    /// <summary>A live session, or one read back from its file (then kept live).</summary>
    public AgentSession? Find(string sessionId, string? workspace)
    {
        if (!WorkspaceStore.IsSessionId(sessionId))
        {
            return null;
        }

        if (_live.TryGetValue(sessionId, out var live) && (workspace is null || live.Workspace == Path.GetFullPath(workspace)))
        {
            return live;
        }

        if (workspace is null)
        {
            return null;
        }

        var store = new WorkspaceStore(workspace);
        var events = store.ReadSession(sessionId).Select(AgentSession.Read).OfType<AgentEvent>().ToList();
        if (events.Count == 0)
        {
            return null;
        }

        var mode = sessionId.Contains("-llm-", StringComparison.Ordinal) ? AgentMode.Llm : AgentMode.Guided;
        var session = new AgentSession(sessionId, store, mode, Title(events.FirstOrDefault(e => e.Kind == AgentEventKind.User)?.Text ?? sessionId), sink, events);
        return _live.GetOrAdd(sessionId, session);
    }

    private void Run(AgentSession session, Func<CancellationToken, Task> work)
    {
        var token = session.Cancellation;
        session.Work = Task.Run(async () =>
        {
            try
            {
                await work(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                session.Emit(AgentEventKind.Done, "cancelled");
            }
            catch (Exception e)
            {
                logger.LogError(e, "agent session {SessionId} failed", session.Id);
                session.Emit(AgentEventKind.Error, e is AgentRequestException or IOException or InvalidOperationException ? e.Message : "the intern stopped on an internal error (see the ML Intern log)");
            }
        });
    }

    private static string NewId(AgentMode mode) =>
        DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + (mode == AgentMode.Llm ? "llm" : "guided") + "-" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();

    private static string Title(string prompt)
    {
        var line = prompt.Trim().Split('\n')[0].Trim();
        return line.Length <= 80 ? line : line[..77] + "…";
    }
}

/// <summary>A request the hub refuses, with the contract's reason.</summary>
internal sealed class AgentRequestException(string reason, string message) : Exception(message)
{
    public string Reason { get; } = reason;
}
