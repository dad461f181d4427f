using System.CommandLine;
using MLIntern.Server.Runs;
using MLIntern.Server.State;
using MLIntern.Training.Plans;
using MLIntern.Training.Runs;

namespace MLIntern.Server.Cli;

/// <summary>
/// `mlintern train [SCRIPT] --data PATH [--approve]`: plans, asks for approval (the flag, or a
/// prompt on a terminal; refused otherwise), creates the run folder and runs — the built-in
/// baseline in-process, a script as a child process. `mlintern train --run ID` executes a run the
/// editor created (mlintern/startRun) after its approval. The last line printed is the run folder.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var arguments = new PlanCommand.PlanArguments();
        var approve = new Option<bool>("--approve") { Description = "Approve the plan non-interactively (recorded as approved via CLI flag by the current user)" };
        var overBudget = new Option<bool>("--accept-over-budget") { Description = "Accept a plan over the compute budget (recorded in the approval)" };
        var unknown = new Option<bool>("--accept-unknown-estimate") { Description = "Accept a plan whose estimate is unknown (recorded in the approval)" };
        var run = new Option<string?>("--run") { Description = "Execute an already approved run by id (what the editor's task runs)", Hidden = true };
        var wait = new Option<bool>("--wait") { Description = "For a Slurm or HF Jobs target: follow the job to its end (state changes and its output); the exit code is the job's outcome" };
        var inJob = new Option<bool>("--in-job") { Description = "Run the built-in baseline of a submitted Slurm run inside its job", Hidden = true };
        var workspace = new Option<string?>("--workspace") { Description = "The workspace folder holding .mlintern/ (default: the current folder)" };
        var command = new Command("train", "Plan, approve and run training: a script, or the built-in baseline trainer (no Python needed).");
        arguments.AddTo(command);
        command.Add(approve);
        command.Add(overBudget);
        command.Add(unknown);
        command.Add(run);
        command.Add(wait);
        command.Add(inJob);
        command.Add(workspace);
        command.SetAction((parse, cancellationToken) =>
        {
            var root = parse.GetValue(workspace) ?? Directory.GetCurrentDirectory();
            var prompt = !Console.IsInputRedirected && !Console.IsOutputRedirected ? new Func<string, string?>(q =>
            {
                Console.Write(q);
                return Console.ReadLine();
            }) : null;
            var code = parse.GetValue(run) is { } runId
                ? parse.GetValue(inJob)
                    ? RunExecutor.ExecuteInJob(new WorkspaceStore(root), runId, Console.Out, Console.Error, cancellationToken)
                    : ExecuteApproved(root, runId, Console.Out, Console.Error, cancellationToken, parse.GetValue(wait))
                : Run(root, arguments.Read(parse), new ApprovalChoice(parse.GetValue(approve), parse.GetValue(overBudget), parse.GetValue(unknown)), prompt, Console.Out, Console.Error, cancellationToken, parse.GetValue(wait));
            return Task.FromResult(code);
        });
        return command;
    }

    /// <summary>How the CLI user approves: the flags, and whether a terminal can be asked.</summary>
    internal sealed record ApprovalChoice(bool Approve, bool AcceptOverBudget, bool AcceptUnknownEstimate);

    /// <param name="prompt">Asks the user on a terminal and returns the answer; null when there is no terminal (then only --approve approves).</param>
    public static int Run(string workspace, PlanOptions options, ApprovalChoice choice, Func<string, string?>? prompt, TextWriter output, TextWriter errors, CancellationToken cancellationToken = default, bool wait = false)
    {
        if (PlanCommand.TryPlan(workspace, options, errors) is not { } planned)
        {
            return Commands.Failure;
        }

        var (store, plan) = planned;
        Approval? approval = null;
        if (choice.Approve)
        {
            approval = Approve(plan, "CLI flag", choice);
        }
        else if (prompt is not null)
        {
            output.Write(PlanMarkdown.Render(plan));
            var answer = prompt($"\nApprove this run ({Figures(plan)})? [y/N] ");
            if (answer?.Trim().ToLowerInvariant() is "y" or "yes")
            {
                approval = Approve(plan, "terminal prompt", choice);
            }
        }
        else
        {
            output.Write(PlanMarkdown.Render(plan));
        }

        if (approval is null)
        {
            errors.WriteLine($"error: launch refused: not approved. Review {store.PlanMarkdownPath(plan.Id)}, then run again with --approve{(plan.OverBudget ? " --accept-over-budget" : "")}{(!plan.Estimate.Known ? " --accept-unknown-estimate" : "")} (or answer the prompt on a terminal).");
            return Commands.Failure;
        }

        RunRecord record;
        try
        {
            record = store.CreateRun(plan, approval, _ => plan.Command, options.Smoke);
        }
        catch (ApprovalRefusedException e)
        {
            errors.WriteLine($"error: {e.Message}");
            return Commands.Failure;
        }

        var code = RunExecutor.Execute(store, record.Id, output, errors, cancellationToken);
        if (code == 0 && wait && plan.Remote is not null)
        {
            code = RemoteRuns.Wait(store, record.Id, output, cancellationToken);
        }

        output.WriteLine(store.RunFolder(record.Id));
        return code;
    }

    public static int ExecuteApproved(string workspace, string runId, TextWriter output, TextWriter errors, CancellationToken cancellationToken = default, bool wait = false)
    {
        var store = new WorkspaceStore(workspace);
        if (!RunIds.IsValid(runId))
        {
            errors.WriteLine($"error: '{runId}' is not a run id");
            return Commands.Failure;
        }

        var code = RunExecutor.Execute(store, runId, output, errors, cancellationToken);
        if (code == 0 && wait && store.LoadRun(runId)?.Remote is not null)
        {
            code = RemoteRuns.Wait(store, runId, output, cancellationToken);
        }

        output.WriteLine(store.RunFolder(runId));
        return code;
    }

    private static Approval Approve(TrainingPlan plan, string via, ApprovalChoice choice) => new(
        Environment.UserName,
        plan.Id,
        plan.Hash,
        plan.Estimate.Hours,
        plan.Estimate.CostUsd,
        DateTimeOffset.UtcNow,
        via,
        choice.AcceptOverBudget,
        choice.AcceptUnknownEstimate);

    private static string Figures(TrainingPlan plan) =>
        plan.Estimate.Hours is { } h ? $"{PlanBuilder.Format(h)} h, ${plan.Estimate.CostUsd:F2}" : "estimate unknown";
}
