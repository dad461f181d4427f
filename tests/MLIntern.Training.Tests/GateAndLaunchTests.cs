using MLIntern.Training.Compute;
using MLIntern.Training.Launch;
using MLIntern.Training.Plans;
using MLIntern.Training.Runs;

namespace MLIntern.Training.Tests;

/// <summary>The approval gate fails closed; launch commands are composed exactly.</summary>
public sealed class GateAndLaunchTests
{
    private static TrainingPlan Plan(Budget? budget = null, bool knownModel = true) => PlanBuilder.Build(new PlanRequest(
        PlanKind.Script, "/w/data.csv", "/w/train.py", "text", "label", new DataSummary(1000, 200, 4, 78, []),
        knownModel ? ModelCatalog.Lookup("roberta-base") : null, "roberta-base", 3, 128, new Dictionary<string, string>(),
        HardwareCatalog.Gpus[0], budget ?? Budget.Default, new LaunchCommand("python3", ["train.py"], "/w", new SortedDictionary<string, string>())));

    private static Approval For(TrainingPlan plan, bool overBudget = false, bool unknown = false) =>
        new("alice", plan.Id, plan.Hash, plan.Estimate.Hours, plan.Estimate.CostUsd, DateTimeOffset.UnixEpoch, "test", overBudget, unknown);

    [Fact]
    public void An_approval_of_the_plans_own_figures_is_allowed()
    {
        var plan = Plan();
        Assert.True(ApprovalGate.Check(plan, For(plan)).Allowed);
        Assert.Equal("approved via test by alice", For(plan).Statement);
    }

    [Fact]
    public void Everything_else_is_refused()
    {
        var plan = Plan();
        var other = Plan(new Budget(100, 100));
        Assert.False(ApprovalGate.Check(plan, null).Allowed);
        Assert.False(ApprovalGate.Check(plan, For(other)).Allowed);
        Assert.False(ApprovalGate.Check(plan, For(plan) with { Hours = plan.Estimate.Hours! * 0.5 }).Allowed);
        Assert.False(ApprovalGate.Check(plan, For(plan) with { CostUsd = null }).Allowed);
        Assert.False(ApprovalGate.Check(plan, For(plan) with { ApprovedBy = " " }).Allowed);

        // A plan edited after it was hashed (say, its command) is refused even with a matching approval.
        var edited = plan with { Command = plan.Command with { Arguments = ["other.py"] } };
        Assert.False(ApprovalGate.Check(edited, For(plan)).Allowed);
    }

    [Fact]
    public void Over_budget_and_unknown_estimates_need_their_explicit_overrides()
    {
        var over = Plan(new Budget(1e-9, null));
        Assert.True(over.OverBudget);
        var refused = ApprovalGate.Check(over, For(over));
        Assert.False(refused.Allowed);
        Assert.StartsWith("MLI602", refused.Reason, StringComparison.Ordinal);
        Assert.True(ApprovalGate.Check(over, For(over, overBudget: true)).Allowed);

        var unknown = Plan(knownModel: false);
        Assert.False(ApprovalGate.Check(unknown, For(unknown)).Allowed);
        Assert.True(ApprovalGate.Check(unknown, For(unknown, unknown: true)).Allowed);
    }

    [Fact]
    public void Launch_commands_for_local_accelerate_and_torchrun()
    {
        var local = LaunchComposer.ForScript("python3", "train.py", ["--max-steps", "10"], "/w", LaunchTarget.Local, 1);
        Assert.Equal(["train.py", "--max-steps", "10"], local.Arguments);
        Assert.Equal("python3 train.py --max-steps 10", local.CommandLine);

        var accelerate = LaunchComposer.ForScript("python3", "train.py", [], "/w", LaunchTarget.Accelerate, 4);
        Assert.Equal("accelerate launch --num_processes 4 --multi_gpu train.py", accelerate.CommandLine);
        Assert.Equal("accelerate launch --num_processes 1 train.py", LaunchComposer.ForScript("python3", "train.py", [], "/w", LaunchTarget.Accelerate, 1).CommandLine);

        var torchrun = LaunchComposer.ForScript("python3", "my train.py", [], "/w", LaunchTarget.Torchrun, 8, new Dictionary<string, string> { ["MLINTERN_SMOKE_STEPS"] = "10" });
        Assert.Equal("torchrun --standalone --nproc_per_node 8 'my train.py'", torchrun.CommandLine);
        Assert.Equal("MLINTERN_SMOKE_STEPS=10 torchrun --standalone --nproc_per_node 8 'my train.py'", torchrun.ToString());
        Assert.Equal("'it'\\''s'", LaunchCommand.Quote("it's"));
        Assert.Throws<ArgumentOutOfRangeException>(() => LaunchComposer.ForScript("python3", "t.py", [], "/w", LaunchTarget.Torchrun, 0));
    }

    [Fact]
    public void Run_ids_sort_by_time_and_are_safe_folder_names()
    {
        var id = RunIds.New(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), new Random(1));
        Assert.StartsWith("20260102-030405-", id, StringComparison.Ordinal);
        Assert.True(RunIds.IsValid(id));
        Assert.False(RunIds.IsValid("../etc"));
        Assert.False(RunIds.IsValid(""));
    }
}
