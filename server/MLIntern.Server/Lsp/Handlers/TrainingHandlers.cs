using Microsoft.Extensions.Logging;
using MLIntern.Server.Engine;

namespace MLIntern.Server.Lsp.Handlers;

/// <summary>The training methods, sharing one approval book and one metrics watcher: what LanguageServer registers.</summary>
internal static class TrainingHandlers
{
    public static IEnumerable<MethodHandler> Create(ServerState state, DatasetFactsService datasets, Func<IClient> client, ILogger logger) =>
        Create(state, datasets, new ApprovalBook(), new MetricsWatcher(client, logger), logger);

    /// <summary>The handlers over a book and watcher the caller shares (the agent's launch_training uses the same ones).</summary>
    public static IEnumerable<MethodHandler> Create(ServerState state, DatasetFactsService datasets, ApprovalBook book, MetricsWatcher watcher, ILogger logger)
    {
        return
        [
            new GenerateScriptHandler(),
            new PlanTrainingHandler(state, datasets, logger),
            new ApproveRunHandler(book, logger),
            new StartRunHandler(book, watcher, logger),
            new RunExitedHandler(watcher),
            new CancelRunHandler(watcher),
            new ListRunsHandler(),
            new GetRunHandler(watcher),
        ];
    }
}
