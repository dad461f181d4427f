using Microsoft.Extensions.Logging;
using MLIntern.Server.Lsp.Protocol;
using MLIntern.Server.Release;
using Wire = MLIntern.Server.Protocol;

namespace MLIntern.Server.Lsp.Handlers;

/// <summary>
/// mlintern/publishExited: the upload task ended; records its exit code on the approval it used in
/// run.json. Only an approval that was used (startPublish) can get an exit code, once.
/// </summary>
internal sealed class PublishExitedHandler(ILogger logger) : WriteHandler<Wire.PublishExitedParams, Wire.PublishExitRecorded>
{
    public override string Method => Methods.PublishExited;

    protected override Task<Wire.PublishExitRecorded> HandleAsync(Wire.PublishExitedParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        if (parameters.ApprovalId is null || parameters.ExitCode is null)
        {
            throw RunRequests.Invalid("approvalId and exitCode are required");
        }

        var run = RunRequests.Resolve(parameters);
        var approval = Publisher.Recorded(run).FirstOrDefault(a => a.Id == parameters.ApprovalId);
        if (approval is null || approval.UsedAt is null)
        {
            throw RunRequests.NotFound($"run {run.Id ?? run.Folder} has no started upload with approval {parameters.ApprovalId}");
        }

        if (approval.ExitCode is not null)
        {
            throw RunRequests.Invalid($"the upload of approval {approval.Id} already ended (exit code {approval.ExitCode})");
        }

        try
        {
            Publisher.RecordExit(run, approval, parameters.ExitCode.Value);
        }
        catch (PublishRefusedException e)
        {
            throw RunRequests.Invalid(e.Message);
        }

        logger.LogInformation("publish ended: {Type} {Repo} ({Id}) exit code {Code}", approval.RepoType, approval.RepoId, approval.Id, parameters.ExitCode);
        return Task.FromResult(new Wire.PublishExitRecorded(true, Wire.PublishApproval.From(approval with { ExitCode = parameters.ExitCode })));
    }
}
