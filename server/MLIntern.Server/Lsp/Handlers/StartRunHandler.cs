using Microsoft.Extensions.Logging;
using MLIntern.Server.Lsp.Protocol;
using MLIntern.Server.Runs;
using MLIntern.Server.State;
using MLIntern.Training.Launch;
using MLIntern.Training.Plans;
using MLIntern.Training.Runs;
using Wire = MLIntern.Server.Protocol;

namespace MLIntern.Server.Lsp.Handlers;

/// <summary>
/// mlintern/startRun: creates the run folder for an approved plan (the gate is asked again) and
/// returns the task the extension runs: `mlintern train --run ID --workspace W`, which executes the
/// run's recorded command after checking its approval once more. The sidecar spawns nothing here.
/// </summary>
internal sealed class StartRunHandler(ApprovalBook book, MetricsWatcher watcher, ILogger logger) : WriteHandler<Wire.StartRunParams, Wire.StartRunResult>
{
    public override string Method => Methods.StartRun;

    protected override Task<Wire.StartRunResult> HandleAsync(Wire.StartRunParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        var workspace = TrainingRequests.Workspace(parameters);
        var store = new WorkspaceStore(workspace);
        var plan = TrainingRequests.LoadPlan(store, parameters.PlanId);
        if (parameters.ApprovalToken is null || book.Take(parameters.ApprovalToken) is not { } entry)
        {
            throw TrainingRequests.Refused("no valid approval token (approve the plan with mlintern/approveRun; a token is used once)");
        }

        if (entry.Workspace != workspace || entry.Approval.PlanId != plan.Id)
        {
            throw TrainingRequests.Refused($"the approval token is for plan {entry.Approval.PlanId}, not {plan.Id}");
        }

        RunRecord run;
        try
        {
            run = store.CreateRun(plan, entry.Approval, parameters.Smoke);
        }
        catch (ApprovalRefusedException e)
        {
            throw TrainingRequests.Refused(e.Message);
        }

        var folder = store.RunFolder(run.Id);
        // A Slurm or HF Jobs run: the task submits the job and follows it to its end (--wait), printing its state and output.
        var task = new LaunchCommand(Planner.Self.Executable, [.. Planner.Self.Prefix, "train", "--run", run.Id, "--workspace", workspace, .. plan.Remote is null ? Array.Empty<string>() : ["--wait"]], workspace, new SortedDictionary<string, string>(StringComparer.Ordinal));
        watcher.Watch(run.Id, folder);
        logger.LogInformation("run {RunId} created for plan {PlanId} ({Statement})", run.Id, plan.Id, run.Approval.Statement);
        return Task.FromResult(new Wire.StartRunResult(run.Id, folder, Wire.RunTask.From(task), task.CommandLine, Wire.RunRecord.From(run)));
    }
}
