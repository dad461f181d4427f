using Microsoft.Extensions.Logging;
using MLIntern.Server.Lsp.Handlers;
using MLIntern.Server.Protocol;
using MLIntern.Server.Runs;
using MLIntern.Server.State;
using MLIntern.Training.Runs;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Agent;

/// <summary>
/// What the intern's tools call: the handlers the editor's requests reach (registered by the
/// language server, or made by the headless CLI over the same books), so a tool does exactly what
/// the matching request does, with the same approval books — and in the same
/// <see cref="Lsp.RequestQueue"/> as the editor's requests (<see cref="Queue"/>), with the effect of
/// the method's row in Protocol/Contract.cs: a writing tool runs alone, a reading one beside reads.
/// </summary>
internal sealed class AgentServices(Func<JObject?> settings, ApprovalBook runApprovals, PublishApprovalBook publishApprovals, ILogger logger)
{
    private readonly Dictionary<string, MethodHandler> _handlers = new(StringComparer.Ordinal);

    public Func<JObject?> Settings { get; } = settings;

    public ApprovalBook RunApprovals { get; } = runApprovals;

    public PublishApprovalBook PublishApprovals { get; } = publishApprovals;

    public ILogger Logger { get; } = logger;

    /// <summary>
    /// The queue every tool call runs in: the language server's own (so a tool that writes .mlintern/
    /// never runs beside an editor request that writes), or, headless and in process, one of its own.
    /// </summary>
    public Lsp.RequestQueue Queue { get; init; } = new(new Lsp.DocumentStore());

    /// <summary>
    /// Headless (`mlintern agent`): the sidecar runs an approved run itself instead of handing the
    /// editor a task, and asks approvals on the terminal (null: no terminal, so every approval is refused).
    /// </summary>
    public bool Headless { get; init; }

    public Func<AgentApproval, CancellationToken, ApprovalAnswer>? TerminalApproval { get; init; }

    /// <summary>Where a headless run's own output goes (stderr by default, so a JSON transcript on stdout stays clean).</summary>
    public TextWriter RunOutput { get; init; } = TextWriter.Null;

    /// <summary>How often a followed run's run.json is read.</summary>
    public TimeSpan RunPoll { get; init; } = TimeSpan.FromMilliseconds(500);

    private readonly HashSet<string> _spentDownloads = new(StringComparer.Ordinal);

    /// <summary>A download approval is used once: false when this one was already (a replay).</summary>
    public bool SpendDownloadApproval(string token)
    {
        lock (_spentDownloads)
        {
            return _spentDownloads.Add(token);
        }
    }

    public void Register(IEnumerable<MethodHandler> handlers)
    {
        foreach (var handler in handlers)
        {
            _handlers[handler.Method] = handler;
        }
    }

    public MethodHandler Handler(string method) =>
        _handlers.TryGetValue(method, out var handler) ? handler : throw new InvalidOperationException($"{method} is not available to the intern");
}

/// <summary>How a tool stops for the human: the approval event, then the answer (from the view's agentRespond, or the terminal).</summary>
internal static class Approvals
{
    public static async Task<ApprovalAnswer> AskAsync(ToolCall call, AgentApproval approval)
    {
        var session = call.Session;

        // An approval answered before the call ran again (resumed after a restart) is not asked twice.
        var pending = session.Pending.GetOrAdd(approval.ApprovalId, _ => new PendingApproval(approval, call.CallId));
        try
        {
            if (!pending.Answer.Task.IsCompleted)
            {
                session.Emit(AgentEventKind.Approval, approval: approval);
                if (call.Services.Headless)
                {
                    pending.Answer.TrySetResult(call.Services.TerminalApproval?.Invoke(approval, call.Cancellation) ?? new ApprovalAnswer(false, null, "no terminal to ask: refused"));
                }
            }

            using var registration = call.Cancellation.Register(() => pending.Answer.TrySetCanceled());
            return await pending.Answer.Task.ConfigureAwait(false);
        }
        finally
        {
            session.Pending.TryRemove(approval.ApprovalId, out _);
        }
    }
}

/// <summary>Following a launched run to its end: the editor's task (run.json read until final), or headless, the run itself.</summary>
internal static class Runs
{
    public static async Task<string> FollowAsync(AgentServices services, WorkspaceStore store, string runId, CancellationToken cancellationToken)
    {
        if (services.Headless)
        {
            await Task.Run(() => RunExecutor.Execute(store, runId, services.RunOutput, services.RunOutput, cancellationToken), cancellationToken).ConfigureAwait(false);
        }

        MLIntern.Training.Runs.RunRecord? run;
        while ((run = store.LoadRun(runId)) is not null && !RunStatus.IsFinal(run.Status))
        {
            await Task.Delay(services.RunPoll, cancellationToken).ConfigureAwait(false);
        }

        if (run is null)
        {
            return $"run {runId} is gone";
        }

        var eval = WorkspaceStore.ReadEval(store.RunFolder(runId)) is { } json ? RunEvaluation.From(json) : null;
        var figures = eval is null ? "" : $" accuracy {eval.Accuracy?.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)}, macro-F1 {eval.MacroF1?.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)}.";
        return $"Run {runId} {run.Status}{(run.ExitCode is { } code ? $" (exit code {code})" : "")}.{figures}";
    }
}
