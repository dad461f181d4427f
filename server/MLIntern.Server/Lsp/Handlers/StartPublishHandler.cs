using Microsoft.Extensions.Logging;
using MLIntern.Server.Lsp.Protocol;
using MLIntern.Server.Release;
using MLIntern.Training.Release;
using Wire = MLIntern.Server.Protocol;

namespace MLIntern.Server.Lsp.Handlers;

/// <summary>
/// mlintern/startPublish: exchanges an approval token (single use) for the upload command, after
/// checking the files still match the approval. The extension runs {command, args, cwd} as a task.
/// </summary>
internal sealed class StartPublishHandler(PublishApprovalBook book, ILogger logger) : WriteHandler<Wire.StartPublishParams, Wire.PublishStarted>
{
    public override string Method => Methods.StartPublish;

    protected override Task<Wire.PublishStarted> HandleAsync(Wire.StartPublishParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        if (parameters.ApprovalToken is null || book.Take(parameters.ApprovalToken) is not { } entry)
        {
            throw RunRequests.Refused("publish refused: no approval (approvalToken missing, unknown or already used); approve with mlintern/approvePublish");
        }

        PublishApproval used;
        try
        {
            used = Publisher.Use(entry.Target, entry.Approval);
        }
        catch (PublishRefusedException e)
        {
            throw RunRequests.Refused(e.Message);
        }

        logger.LogInformation("publish started: {Type} {Repo} ({Id})", used.RepoType, used.RepoId, used.Id);
        return Task.FromResult(new Wire.PublishStarted(UploadCommand.Executable, UploadCommand.Arguments(used), entry.Target.Run.Folder, UploadCommand.Line(used), Wire.PublishApproval.From(used)));
    }
}
