using MLIntern.Server.Cli;
using MLIntern.Server.Engine;
using MLIntern.Server.Runs;
using MLIntern.Server.Samples;
using MLIntern.Training.Launch;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Tests;

/// <summary>Targets from pyproject.toml and the editor's settings; HF Jobs plans and their refusals (fail closed); no scheduler needed.</summary>
public sealed class ScaleOutPlanTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mlintern-targets-").FullName;

    public ScaleOutPlanTests()
    {
        foreach (var (relative, content) in SupportTickets.Generate().Files)
        {
            var path = Path.Combine(_dir, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }

        File.WriteAllText(Path.Combine(_dir, "helpers.py"), "X = 1\n");
        File.WriteAllText(Path.Combine(_dir, "job.py"), "import torch\nfrom transformers import Trainer\nimport helpers\nimport os\nprint('hi')\n");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void Pyproject(string text) => File.WriteAllText(Path.Combine(_dir, "pyproject.toml"), text);

    private MLIntern.Training.Plans.TrainingPlan Plan(string target, string? script = "job.py", JObject? editor = null) =>
        Planner.Plan(_dir, new PlanOptions { Script = script is null ? null : Path.Combine(_dir, script), Data = Path.Combine(_dir, SupportTickets.DataPath), Target = target }, editor, FileChecks.Datasets);

    [Fact]
    public void Targets_come_from_pyproject_and_the_editor_settings_override_them()
    {
        Pyproject("""
            [tool.mlintern.compute.targets.cluster]
            kind = "slurm"
            partition = "gpu"
            gpus = 2
            cpus = 8
            time = "2:00:00"
            price-per-gpu-hour = 1.5

            [tool.mlintern.compute.targets.hf]
            kind = "hf-jobs"
            flavor = "t4-small"
            timeout = 30
            """);
        var settings = ComputeSettings.Read(_dir, null);
        Assert.Equal(["cluster", "hf"], settings.Targets.Select(t => t.Name).Order());
        var cluster = settings.FindTarget("slurm")!;
        Assert.Equal(new ComputeTarget("cluster", TargetKind.Slurm, "gpu", 1, 2, 8, 120, 1.5, PriceUnit.GpuHour), cluster);
        Assert.Equal(30, settings.FindTarget("hf-jobs")!.TimeMinutes);

        var editor = JObject.Parse("""{"compute": {"targets": {"cluster": {"time": "30", "pricePerNodeHour": 4}}, "hfJobsPrices": {"a10g-small": 1.0}}}""");
        var overridden = ComputeSettings.Read(_dir, editor);
        Assert.Equal(30, overridden.FindTarget("cluster")!.TimeMinutes);
        Assert.Equal(1.0, overridden.HfJobsPrices["a10g-small"]);
        Assert.Null(settings.FindTarget("nowhere"));

        // A name no target has is refused with the configured ones.
        var e = Assert.Throws<ArgumentException>(() => Plan("nowhere"));
        Assert.Contains("configured: cluster, hf", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_hf_jobs_plan_carries_the_command_the_header_and_the_ceiling()
    {
        Pyproject("[tool.mlintern.compute.targets.hf]\nkind = \"hf-jobs\"\nflavor = \"t4-small\"\ntimeout = 90\n");
        var plan = Plan("hf-jobs");
        var remote = plan.Remote!;
        Assert.Equal("hf jobs uv run --flavor t4-small --timeout 90m --secrets HF_TOKEN '{run}/hf-job-script.py'", remote.Submission);
        Assert.Equal(0.40, remote.PricePerHour, 9);
        Assert.Equal(0.60, remote.CeilingUsd, 9);
        Assert.Contains("jobs-pricing", remote.PriceSource, StringComparison.Ordinal);
        Assert.Contains("#   \"torch\",", remote.Header, StringComparison.Ordinal);
        Assert.Contains("#   \"accelerate\",", remote.Header, StringComparison.Ordinal);
        Assert.DoesNotContain("helpers", remote.Header, StringComparison.Ordinal);

        // The approval shows the flavor, the price per hour and the ceiling, and the command.
        var prompt = ApprovalPrompts.For(plan);
        Assert.Contains("Target: HF Jobs 'hf', flavor t4-small", prompt.FigureLines);
        Assert.Contains(prompt.FigureLines, l => l.StartsWith("Price: $0.4/h", StringComparison.Ordinal));
        Assert.Contains(prompt.FigureLines, l => l.StartsWith("Cost ceiling: $0.60", StringComparison.Ordinal));
        Assert.Contains("hf jobs uv run", prompt.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[tool.mlintern.compute.targets.hf]\nkind = \"hf-jobs\"\nflavor = \"a100-large\"\ntimeout = 90\n", "no price is known for the HF Jobs flavor 'a100-large'")]
    [InlineData("[tool.mlintern.compute.targets.hf]\nkind = \"hf-jobs\"\nflavor = \"t4-small\"\n", "has no timeout")]
    [InlineData("[tool.mlintern.compute.targets.hf]\nkind = \"hf-jobs\"\ntimeout = 9\n", "names no flavor")]
    [InlineData("[tool.mlintern.compute.targets.s]\nkind = \"slurm\"\ntime = \"1:00:00\"\n", "has no price")]
    [InlineData("[tool.mlintern.compute.targets.s]\nkind = \"slurm\"\nprice-per-node-hour = 1\n", "has no time limit")]
    [InlineData("[tool.mlintern.compute.targets.s]\nkind = \"slurm\"\nnodes = 2\ntime = \"60\"\nprice-per-node-hour = 1\n", "one node")]
    public void A_target_without_a_ceiling_or_a_price_is_refused(string pyproject, string message)
    {
        Pyproject(pyproject);
        var e = Assert.Throws<ArgumentException>(() => Plan(pyproject.Contains("hf-jobs", StringComparison.Ordinal) ? "hf-jobs" : "slurm"));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);

        // Through the CLI: refused, no plan, no run.
        var errors = new StringWriter();
        Assert.Equal(Commands.Failure, TrainCommand.Run(_dir, new PlanOptions { Script = Path.Combine(_dir, "job.py"), Data = Path.Combine(_dir, SupportTickets.DataPath), Target = pyproject.Contains("hf-jobs", StringComparison.Ordinal) ? "hf-jobs" : "slurm" }, new TrainCommand.ApprovalChoice(true, true, true), null, new StringWriter(), errors));
        Assert.Contains(message, errors.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, ".mlintern", "runs")));
    }

    [Fact]
    public void Hf_jobs_runs_a_script_not_the_built_in_baseline()
    {
        Pyproject("[tool.mlintern.compute.targets.hf]\nkind = \"hf-jobs\"\nflavor = \"t4-small\"\ntimeout = 90\n");
        Assert.Contains("HF Jobs runs a training script", Assert.Throws<ArgumentException>(() => Plan("hf", script: null)).Message, StringComparison.Ordinal);
    }
}
