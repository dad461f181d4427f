using Microsoft.Extensions.Logging;
using MLIntern.Server.Lsp.Protocol;
using MLIntern.Server.Release;
using MLIntern.Training.Release;
using Wire = MLIntern.Server.Protocol;

namespace MLIntern.Server.Lsp.Handlers;

/// <summary>
/// mlintern/approvePublish: the user approved in the editor's modal. Re-runs the preflight; refuses
/// (-32010) when it fails or its fileListHash is not the one shown; records the approval in run.json;
/// returns a single-use approvalToken for startPublish.
/// </summary>
internal sealed class ApprovePublishHandler(PublishApprovalBook book, ILogger logger) : WriteHandler<Wire.PublishParams, Wire.PublishApproved>
{
    public override string Method => Methods.ApprovePublish;

    protected override Task<Wire.PublishApproved> HandleAsync(Wire.PublishParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        var target = PublishRequests.Target(parameters);
        if (parameters.FileListHash is null)
        {
            throw RunRequests.Refused("publish refused: fileListHash (from the preflight the user saw) is required");
        }

        PublishApproval approval;
        try
        {
            approval = Publisher.Approve(target, Environment.UserName, "editor dialog", parameters.FileListHash);
        }
        catch (PublishRefusedException e)
        {
            throw RunRequests.Refused(e.Message);
        }

        logger.LogInformation("publish approved: {Type} {Repo} from run {Run} ({Id})", approval.RepoType, approval.RepoId, target.Run.Id, approval.Id);
        return Task.FromResult(new Wire.PublishApproved(book.Add(target, approval), Wire.PublishApproval.From(approval)));
    }
}
