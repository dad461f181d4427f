using Microsoft.Extensions.Logging;
using MLIntern.Server.Engine;
using MLIntern.Server.Lsp.Handlers;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Agent;

/// <summary>
/// What the intern's tools call: the same settings, data set facts, approval books and metrics
/// watcher the LSP handlers use, so a tool does exactly what the matching request does.
/// </summary>
internal sealed class AgentServices(Func<JObject?> settings, DatasetFactsService datasets, ApprovalBook runApprovals, PublishApprovalBook publishApprovals, MetricsWatcher? watcher, ILogger logger)
{
    public Func<JObject?> Settings { get; } = settings;

    public DatasetFactsService Datasets { get; } = datasets;

    public ApprovalBook RunApprovals { get; } = runApprovals;

    public PublishApprovalBook PublishApprovals { get; } = publishApprovals;

    public MetricsWatcher? Watcher { get; } = watcher;

    public ILogger Logger { get; } = logger;

    /// <summary>
    /// Headless (`mlintern agent`): the sidecar runs an approved run itself instead of handing the
    /// editor a task, and asks approvals on the terminal (null: no terminal, so every approval is refused).
    /// </summary>
    public bool Headless { get; init; }

    public Func<Protocol.AgentApproval, CancellationToken, ApprovalAnswer>? TerminalApproval { get; init; }
}
