using MLIntern.Training.Compute;
using MLIntern.Training.Launch;
using MLIntern.Training.Plans;
using MLIntern.Training.Runs;

namespace MLIntern.Training.Tests;

/// <summary>Slurm and HF Jobs targets: the sbatch script, the hf jobs command, the PEP 723 header, the ceiling, the refusals, the state mapping.</summary>
public sealed class ScaleOutTests
{
    private static readonly ComputeTarget Slurm4 = new("gpu", TargetKind.Slurm, Partition: "a100", Gpus: 4, Cpus: 16, TimeMinutes: 120, Price: 2.5, Unit: PriceUnit.GpuHour);

    private static readonly LaunchCommand Accelerate = LaunchComposer.ForScript("python3", "train.py", [], "/w", LaunchTarget.Accelerate, 4);

    private static TrainingPlan Plan(ComputeTarget target, Budget? budget = null, string? submission = null, LaunchCommand? command = null) => PlanBuilder.Build(new PlanRequest(
        PlanKind.Script, "/w/data.csv", "/w/train.py", "text", "label", new DataSummary(100_000, 2000, 4, 400, []),
        ModelCatalog.Lookup("roberta-base"), "roberta-base", 3, 256, new Dictionary<string, string>(),
        HardwareCatalog.Gpus.First(g => g.Id == "a100"), budget ?? new Budget(null, null), command ?? Accelerate,
        Remote: new RemoteRequest(target, target.Price ?? 0, "test", submission ?? SbatchScript.Template(target, "mlintern-train", "/w", (command ?? Accelerate).CommandLine, new Dictionary<string, string>(), "train.py"))));

    [Fact]
    public void The_sbatch_script_carries_the_directives_and_the_approved_command_last()
    {
        var text = SbatchScript.Template(Slurm4, "mlintern-train", "/work/my project", Accelerate.CommandLine, new Dictionary<string, string> { ["MLINTERN_SMOKE_ROWS"] = "64" }, "train.py on target 'gpu'");
        var lines = text.TrimEnd('\n').Split('\n');
        Assert.Equal("#!/bin/bash", lines[0]);
        Assert.Contains("#SBATCH --job-name=mlintern-train", lines);
        Assert.Contains("#SBATCH --partition=a100", lines);
        Assert.Contains("#SBATCH --nodes=1", lines);
        Assert.Contains("#SBATCH --gpus-per-node=4", lines);
        Assert.Contains("#SBATCH --cpus-per-task=16", lines);
        Assert.Contains("#SBATCH --time=02:00:00", lines);
        Assert.Contains("#SBATCH --output=\"{run}/stdout.log\"", lines);
        Assert.Contains("#SBATCH --no-requeue", lines);
        Assert.Contains("cd '/work/my project'", lines);
        Assert.Contains("export MLINTERN_SMOKE_ROWS=64", lines);
        Assert.Equal("exec accelerate launch --num_processes 4 --multi_gpu train.py", lines[^1]);

        // A run gets the script with its folder: raw in the directives, quoted in the shell lines.
        var run = SbatchScript.ForRun(text, "/work/my project/.mlintern/runs/r1");
        Assert.Contains("#SBATCH --output=\"/work/my project/.mlintern/runs/r1/stdout.log\"", run.Split('\n'));
        Assert.Contains("export MLINTERN_RUN_DIR='/work/my project/.mlintern/runs/r1'", run.Split('\n'));
        Assert.DoesNotContain("{run}", run, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => SbatchScript.ForRun(text, "/w/a\"b"));

        // No GPUs: no GPU directive. Torchrun as the launcher.
        var cpu = SbatchScript.Template(Slurm4 with { Gpus = 0 }, "x y", "/w", LaunchComposer.ForScript("python3", "t.py", [], "/w", LaunchTarget.Torchrun, 2).CommandLine, new Dictionary<string, string>(), "t");
        Assert.DoesNotContain("--gpus", cpu, StringComparison.Ordinal);
        Assert.Contains("#SBATCH --job-name=x-y", cpu.Split('\n'));
        Assert.EndsWith("exec torchrun --standalone --nproc_per_node 2 t.py\n", cpu, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => SbatchScript.Template(Slurm4 with { TimeMinutes = null }, "x", "/w", "true", new Dictionary<string, string>(), "t"));
    }

    [Theory]
    [InlineData("90", 90)]
    [InlineData("1:30:00", 90)]
    [InlineData("30:00", 30)]
    [InlineData("0:01", 1)]
    [InlineData("2-00:00:00", 2880)]
    [InlineData("1-2", 1560)]
    [InlineData("", null)]
    [InlineData("soon", null)]
    [InlineData("0", null)]
    public void Slurm_time_limits_read_as_minutes(string text, int? minutes) => Assert.Equal(minutes, ComputeTarget.ParseMinutes(text));

    [Fact]
    public void Slurm_time_is_written_as_slurm_writes_it()
    {
        Assert.Equal("00:01:00", ComputeTarget.SlurmTime(1));
        Assert.Equal("02:00:00", ComputeTarget.SlurmTime(120));
        Assert.Equal("1-01:00:00", ComputeTarget.SlurmTime(1500));
    }

    [Fact]
    public void The_ceiling_is_the_price_of_what_the_job_holds_times_its_time_limit()
    {
        var plan = Plan(Slurm4);
        Assert.NotNull(plan.Remote);
        Assert.Equal(10.0, plan.Remote!.PricePerHour, 9);        // $2.50 per GPU-hour × 4 GPUs
        Assert.Equal(2.0, plan.Remote.CeilingHours, 9);
        Assert.Equal(20.0, plan.Remote.CeilingUsd, 9);
        Assert.False(plan.OverBudget);

        // Per node-hour: the node's price, whatever its GPUs.
        var node = Plan(Slurm4 with { Price = 12, Unit = PriceUnit.NodeHour });
        Assert.Equal(12.0, node.Remote!.PricePerHour, 9);
        Assert.Equal(24.0, node.Remote.CeilingUsd, 9);
    }

    [Fact]
    public void A_time_limit_over_the_budget_is_over_budget_like_any_plan()
    {
        var hours = Plan(Slurm4 with { TimeMinutes = 600 }, new Budget(4, null));
        Assert.True(hours.OverBudget);
        Assert.Contains(hours.OverBudgetReasons, r => r.Contains("time limit 10:00:00", StringComparison.Ordinal));
        var cost = Plan(Slurm4, new Budget(null, 15));
        Assert.True(cost.OverBudget);
        Assert.Contains(cost.OverBudgetReasons, r => r.Contains("cost ceiling $20.00", StringComparison.Ordinal));

        // The gate refuses it without the recorded acceptance, allows it with.
        var approval = new Approval("alice", cost.Id, cost.Hash, cost.Estimate.Hours, cost.Estimate.CostUsd, DateTimeOffset.UnixEpoch, "test");
        Assert.False(ApprovalGate.Check(cost, approval).Allowed);
        Assert.Contains("MLI602", ApprovalGate.Check(cost, approval).Reason, StringComparison.Ordinal);
        Assert.True(ApprovalGate.Check(cost, approval with { AcceptedOverBudget = true }).Allowed);

        // No time limit: no ceiling, refused at planning.
        Assert.Throws<ArgumentException>(() => Plan(Slurm4 with { TimeMinutes = null }));
    }

    [Fact]
    public void The_submission_and_the_target_are_part_of_the_hash()
    {
        var plan = Plan(Slurm4);
        var approval = new Approval("alice", plan.Id, plan.Hash, plan.Estimate.Hours, plan.Estimate.CostUsd, DateTimeOffset.UnixEpoch, "test");
        Assert.True(ApprovalGate.Check(plan, approval).Allowed);

        // An sbatch script or a target changed after planning no longer matches the approved hash.
        var script = plan with { Remote = plan.Remote! with { Submission = plan.Remote.Submission + "rm -rf ~\n" } };
        Assert.False(ApprovalGate.Check(script, approval).Allowed);
        var time = plan with { Remote = plan.Remote! with { Target = Slurm4 with { TimeMinutes = 6000 } } };
        Assert.False(ApprovalGate.Check(time, approval).Allowed);
        Assert.NotEqual(plan.Hash, Plan(Slurm4 with { Partition = "other" }).Hash);

        // A local plan's hash is what it was before targets existed (no target lines).
        var local = PlanBuilder.Build(new PlanRequest(PlanKind.Script, "/w/data.csv", "/w/train.py", "text", "label", new DataSummary(1000, 200, 4, 78, []), ModelCatalog.Lookup("roberta-base"), "roberta-base", 3, 128, new Dictionary<string, string>(), HardwareCatalog.Gpus[0], Budget.Default, new LaunchCommand("python3", ["train.py"], "/w", new SortedDictionary<string, string>())));
        Assert.Null(local.Remote);
        Assert.Equal(TargetKind.Local, local.TargetKindOf());
    }

    [Fact]
    public void Several_gpus_divide_the_time_by_n_times_the_scaling_efficiency()
    {
        Assert.Equal(1.0, Scaling.Efficiency(1));
        Assert.Equal(0.9, Scaling.Efficiency(2), 9);
        Assert.Equal(0.81, Scaling.Efficiency(4), 9);
        Assert.Equal(0.729, Scaling.Efficiency(8), 9);
        Assert.Equal(10 / (8 * 0.729), Scaling.Hours(10, 8), 9);

        var single = Plan(Slurm4 with { Gpus = 1 }, command: LaunchComposer.ForScript("python3", "train.py", [], "/w", LaunchTarget.Local, 1));
        var four = Plan(Slurm4);
        Assert.Equal(single.Estimate.Hours!.Value / (4 * 0.81), four.Estimate.Hours!.Value, 9);
        Assert.Contains("4 processes at 81% scaling efficiency", four.Estimate.HardwareName, StringComparison.Ordinal);
        Assert.Equal(four.Estimate.Hours.Value * 10, four.Estimate.CostUsd!.Value, 9);
    }

    [Fact]
    public void The_hf_jobs_command_is_uv_run_with_flavor_timeout_and_the_token_secret()
    {
        var target = new ComputeTarget("hf", TargetKind.HfJobs, Flavor: "t4-small", TimeMinutes: 90);
        var command = HfJobs.Command(target, "{run}/hf-job-script.py", "/w");
        Assert.Equal("hf jobs uv run --flavor t4-small --timeout 90m --secrets HF_TOKEN '{run}/hf-job-script.py'", command.CommandLine);
        Assert.Throws<ArgumentException>(() => HfJobs.Command(target with { TimeMinutes = null }, "s.py", "/w"));
        Assert.Throws<ArgumentException>(() => HfJobs.Command(target with { Flavor = "" }, "s.py", "/w"));

        var plan = Plan(target with { Price = 0.4 }, submission: command.CommandLine);
        Assert.Equal(0.4, plan.Remote!.PricePerHour, 9);
        Assert.Equal(0.6, plan.Remote.CeilingUsd, 9);
    }

    [Fact]
    public void The_pep_723_header_names_the_distributions_of_the_imports()
    {
        const string script = """
            import os, sys, json
            import torch.nn as nn
            from transformers import AutoModel, Trainer
            from sklearn.metrics import f1_score
            from datasets import load_dataset
            import numpy as np
            import yaml
            from . import helpers
            from mylib import thing
            import PIL.Image
            def f():
                import evaluate
            """;
        var dependencies = Pep723.Dependencies(script, new HashSet<string> { "mylib" });
        Assert.Equal(["accelerate", "datasets", "evaluate", "numpy", "pillow", "pyyaml", "scikit-learn", "torch", "transformers"], dependencies);
        var header = Pep723.Header(script, new HashSet<string> { "mylib" })!;
        Assert.StartsWith("# /// script\n# requires-python = \">=3.10\"\n# dependencies = [\n#   \"accelerate\",\n", header, StringComparison.Ordinal);
        Assert.EndsWith("#   \"transformers\",\n# ]\n# ///\n", header, StringComparison.Ordinal);
        Assert.StartsWith(header, HfJobs.SubmittedCopy(script, header), StringComparison.Ordinal);

        // A script with its own block is submitted as it is; a broken one still gets what parses; none: an empty list.
        Assert.Null(Pep723.Header("# /// script\n# dependencies = [\"torch\"]\n# ///\nimport torch\n"));
        Assert.Equal("# /// script\n# requires-python = \">=3.10\"\n# dependencies = []\n# ///\n", Pep723.Header("print('hi')\n"));
        Assert.Contains("torch", Pep723.Dependencies("import torch\ndef broken(:\n"));
    }

    [Fact]
    public void The_price_table_is_data_with_its_source_and_date_and_settings_override_it()
    {
        var table = HfJobsPrices.Default;
        Assert.StartsWith("https://huggingface.co/docs/hub/jobs-pricing", table.Source, StringComparison.Ordinal);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", table.Checked);
        Assert.Equal(0.40, table.Prices["t4-small"], 9);
        Assert.Equal(0.40, HfJobsPrices.Find("t4-small", null)!.Value.Price, 9);
        Assert.Contains("checked", HfJobsPrices.Find("t4-small", null)!.Value.Source, StringComparison.Ordinal);
        Assert.Null(HfJobsPrices.Find("a100-large", null));
        Assert.Equal(2.5, HfJobsPrices.Find("a100-large", new Dictionary<string, double> { ["a100-large"] = 2.5 })!.Value.Price, 9);
        Assert.Equal("your settings", HfJobsPrices.Find("t4-small", new Dictionary<string, double> { ["t4-small"] = 1 })!.Value.Source);

        var parsed = HfJobsPrices.Parse("# source: x\n# checked: 2026-01-01\nok\t1.5\nbad\tfree\n-\n");
        Assert.Equal(["ok"], parsed.Prices.Keys);
    }

    [Fact]
    public void Scheduler_output_reads_into_states()
    {
        Assert.Equal(("42", null), SlurmJobs.ParseSubmission("42\n"));
        Assert.Equal(("42", "cl"), SlurmJobs.ParseSubmission("42;cl"));
        Assert.Null(SlurmJobs.ParseSubmission("sbatch: error: Batch job submission failed"));
        Assert.Null(SlurmJobs.ParseSubmission(""));

        var shown = SlurmJobs.ParseScontrol("JobId=7 JobName=x\n   JobState=TIMEOUT Reason=TimeLimit Dependency=(null)\n   ExitCode=0:15 TimeLimit=00:01:00 NodeList=vm\n")!;
        Assert.Equal(new SlurmJobState("TIMEOUT", "TimeLimit", 0, 15, "00:01:00", "vm"), shown);
        Assert.Null(SlurmJobs.ParseScontrol("slurm_load_jobs error: Invalid job id specified"));
        Assert.Equal("CANCELLED", SlurmJobs.ParseSacct("CANCELLED by 0|0:15|None\n")!.State);
        Assert.Null(SlurmJobs.ParseSacct("Slurm accounting storage is disabled"));
        Assert.Equal(new SlurmJobState("PENDING", "Resources", null, null, null, null), SlurmJobs.ParseSqueue("PENDING|Resources\n"));
        Assert.Null(SlurmJobs.ParseSqueue(""));
    }

    [Theory]
    [InlineData("PENDING", false, RunStatus.Running)]
    [InlineData("RUNNING", false, RunStatus.Running)]
    [InlineData("COMPLETING", false, RunStatus.Running)]
    [InlineData("COMPLETED", true, RunStatus.Succeeded)]
    [InlineData("FAILED", true, RunStatus.Failed)]
    [InlineData("TIMEOUT", true, RunStatus.Failed)]
    [InlineData("CANCELLED", true, RunStatus.Cancelled)]
    [InlineData("NODE_FAIL", true, RunStatus.Failed)]
    [InlineData("OUT_OF_MEMORY", true, RunStatus.Failed)]
    [InlineData("SOMETHING_NEW", true, RunStatus.Failed)]
    public void Every_ended_state_ends_the_run(string state, bool final, string status)
    {
        var outcome = SlurmJobs.Outcome(new SlurmJobState(state, "why", 1, 0, "00:01:00", "vm"), "9");
        Assert.Equal(final, outcome.Final);
        Assert.Equal(status, outcome.Status);
        if (status == RunStatus.Failed)
        {
            Assert.Contains("job 9", outcome.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Hf_jobs_output_reads_into_states()
    {
        Assert.Equal("68a1b2c3", HfJobsStatus.ParseJobId("Job started with ID: 68a1b2c3\nView at: https://…\n"));
        Assert.Null(HfJobsStatus.ParseJobId("error"));
        Assert.Equal(RunStatus.Succeeded, HfJobsStatus.Outcome("COMPLETED", "j", null).Status);
        Assert.Equal(RunStatus.Failed, HfJobsStatus.Outcome("ERROR", "j", "OOM").Status);
        Assert.Equal(RunStatus.Cancelled, HfJobsStatus.Outcome("CANCELED", "j", null).Status);
        Assert.False(HfJobsStatus.Outcome("RUNNING", "j", null).Final);
    }
}
