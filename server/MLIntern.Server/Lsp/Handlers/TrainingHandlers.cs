using Microsoft.Extensions.Logging;
using MLIntern.Server.Engine;

namespace MLIntern.Server.Lsp.Handlers;

/// <summary>The training methods, sharing one approval book and one metrics watcher: what LanguageServer registers.</summary>
internal static class TrainingHandlers
{
    public static IEnumerable<MethodHandler> Create(ServerState state, DatasetFactsService datasets, Func<IClient> client, ILogger logger)
    {
        var book = new ApprovalBook();
        var watcher = new MetricsWatcher(client, logger);
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
