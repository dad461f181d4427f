using Microsoft.Extensions.Logging;
using MLIntern.Server.Lsp.Protocol;
using MLIntern.Server.State;
using MLIntern.Training.Runs;
using Wire = MLIntern.Server.Protocol;

namespace MLIntern.Server.Lsp.Handlers;

/// <summary>
/// mlintern/approveRun: the editor's approval dialog said yes to these figures. The figures must be
/// the plan's (a stale dialog is refused), and the gate must allow the approval (over budget or an
/// unknown estimate need the explicit accept flags). Returns a single-use approval token.
/// </summary>
internal sealed class ApproveRunHandler(ApprovalBook book, ILogger logger) : ReadHandler<Wire.ApproveRunParams, Wire.ApproveRunResult>
{
    public override string Method => Methods.ApproveRun;

    protected override Task<Wire.ApproveRunResult> HandleAsync(Wire.ApproveRunParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        var workspace = TrainingRequests.Workspace(parameters);
        var plan = TrainingRequests.LoadPlan(new WorkspaceStore(workspace), parameters.PlanId);
        var figures = parameters.Figures ?? throw TrainingRequests.Invalid("figures {planHash, hours, costUsd} are required: the figures the user approved");
        var approval = new Approval(Environment.UserName, plan.Id, figures.PlanHash ?? "", figures.Hours, figures.CostUsd, DateTimeOffset.UtcNow, "editor dialog", parameters.AcceptOverBudget, parameters.AcceptUnknownEstimate);
        var decision = ApprovalGate.Check(plan, approval);
        if (!decision.Allowed)
        {
            logger.LogWarning("approval of {PlanId} refused: {Reason}", plan.Id, decision.Reason);
            throw TrainingRequests.Refused(decision.Reason);
        }

        logger.LogInformation("plan {PlanId} {Statement}", plan.Id, approval.Statement);
        return Task.FromResult(new Wire.ApproveRunResult(book.Add(approval, workspace), Wire.Approval.From(approval)));
    }
}
