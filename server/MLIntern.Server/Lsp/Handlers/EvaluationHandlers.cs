using Microsoft.Extensions.Logging;

namespace MLIntern.Server.Lsp.Handlers;

/// <summary>The release family's handlers (evaluate, card, demo, repo-id check, publish), sharing one book of publish approvals.</summary>
internal static class EvaluationHandlers
{
    public static IEnumerable<MethodHandler> Create(ILogger logger) => Create(logger, new PublishApprovalBook());

    public static IEnumerable<MethodHandler> Create(ILogger logger, PublishApprovalBook book) =>
    [
        new EvaluateRunHandler(logger),
        new CreateCardHandler(logger),
        new CreateDemoHandler(),
        new CheckRepoIdHandler(),
        new PreflightPublishHandler(),
        new ApprovePublishHandler(book, logger),
        new StartPublishHandler(book, logger),
        new PublishExitedHandler(logger),
    ];
}
