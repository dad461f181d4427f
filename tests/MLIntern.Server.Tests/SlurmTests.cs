using System.Diagnostics;
using MLIntern.Server.Cli;
using MLIntern.Server.Runs;
using MLIntern.Server.Samples;
using MLIntern.Server.State;
using MLIntern.Training.Runs;

namespace MLIntern.Server.Tests;

/// <summary>
/// The local single-node Slurm cluster of scripts/slurm-local.sh, started by the fixture when it is
/// not running. A test never skips: without Slurm it fails, saying how to start it.
/// </summary>
public sealed class LocalSlurm
{
    public LocalSlurm()
    {
        var root = AppContext.BaseDirectory;
        while (root is not null && !File.Exists(Path.Combine(root, "scripts", "slurm-local.sh")))
        {
            root = Path.GetDirectoryName(root);
        }

        Assert.True(root is not null, "scripts/slurm-local.sh not found above the test folder");
        var script = Path.Combine(root!, "scripts", "slurm-local.sh");
        if (Run("bash", script, "status").Exit != 0)
        {
            var started = Run("bash", script, "start");
            Assert.True(started.Exit == 0, $"Slurm is not running and could not be started; run `scripts/slurm-local.sh start` (as root). It said:\n{started.Text}");
        }

        Node = Run("hostname").Text.Trim();
    }

    /// <summary>The cluster's one node (slurm.conf names it after the host).</summary>
    public string Node { get; }

    public static (int Exit, string Text) Run(string executable, params string[] arguments)
    {
        var info = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result + errors.Result);
    }
}

[CollectionDefinition("slurm", DisableParallelization = true)]
public sealed class SlurmCollection : ICollectionFixture<LocalSlurm>;

/// <summary>
/// Real jobs on the local Slurm: the built-in baseline completes through `train --run` with its
/// metrics read; a script that exits 1 fails; one past its `--time` times out; one is cancelled
/// (scancel); one loses its node (`scontrol update state=down`). Each ends in run.json with its
/// reason, never "running".
/// </summary>
[Collection("slurm")]
public sealed class SlurmTests : IDisposable
{
    private readonly LocalSlurm _slurm;
    private readonly string _dir = Directory.CreateTempSubdirectory("mlintern-slurm-").FullName;

    public SlurmTests(LocalSlurm slurm)
    {
        _slurm = slurm;
        foreach (var (relative, content) in SupportTickets.Generate().Files)
        {
            var path = Path.Combine(_dir, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }

        Pyproject("00:05:00");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private WorkspaceStore Store => new(_dir);

    private void Pyproject(string time) => File.WriteAllText(Path.Combine(_dir, "pyproject.toml"), $"""
        [tool.mlintern.compute.targets.local-slurm]
        kind = "slurm"
        partition = "debug"
        cpus = 1
        time = "{time}"
        price-per-node-hour = 0.5
        """);

    /// <summary>Plans on the Slurm target, approves (overrides recorded for a script's unknown estimate) and creates the run folder: nothing is submitted yet.</summary>
    private RunRecord NewRun(string? script = null)
    {
        var errors = new StringWriter();
        var options = new PlanOptions { Script = script, Data = Path.Combine(_dir, SupportTickets.DataPath), Target = "slurm" };
        var (store, plan) = PlanCommand.TryPlan(_dir, options, errors) ?? throw new InvalidOperationException(errors.ToString());
        Assert.NotNull(plan.Remote);
        var approval = new Approval(Environment.UserName, plan.Id, plan.Hash, plan.Estimate.Hours, plan.Estimate.CostUsd, DateTimeOffset.UtcNow, "test", plan.OverBudget, !plan.Estimate.Known);
        return store.CreateRun(plan, approval, smoke: false);
    }

    private string Script(string name, string body)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, body);
        return path;
    }

    /// <summary>Submits through `train --run ID` (what the editor's task runs) without waiting; returns the job id.</summary>
    private string Submit(RunRecord run)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        Assert.True(TrainCommand.ExecuteApproved(_dir, run.Id, output, errors) == 0, errors.ToString());
        var submitted = Store.LoadRun(run.Id)!;
        Assert.Equal(RunStatus.Running, submitted.Status);
        Assert.Null(submitted.Process);
        return submitted.Remote!.JobId;
    }

    private RunRecord WaitFor(string runId, Func<RunRecord, bool> done, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var run = RemoteRuns.Refresh(Store, runId)!;
            if (done(run))
            {
                return run;
            }

            Assert.True(clock.Elapsed < timeout, $"run {runId} still {run.Status} ({run.Remote?.State}) after {timeout.TotalSeconds:0} s");
            Thread.Sleep(500);
        }
    }

    [Fact]
    public void The_baseline_completes_on_slurm_and_its_metrics_are_read()
    {
        var run = NewRun();
        var output = new StringWriter();
        var errors = new StringWriter();
        var code = TrainCommand.ExecuteApproved(_dir, run.Id, output, errors, wait: true);
        Assert.True(code == 0, output + "\n" + errors);

        var ended = Store.LoadRun(run.Id)!;
        Assert.Equal(RunStatus.Succeeded, ended.Status);
        Assert.Equal("COMPLETED", ended.Remote!.State);
        Assert.Equal(0, ended.ExitCode);
        var folder = Store.RunFolder(run.Id);
        Assert.True(File.Exists(Path.Combine(folder, RemoteRuns.SbatchFile)));
        Assert.Contains("#SBATCH --partition=debug", File.ReadAllText(Path.Combine(folder, RemoteRuns.SbatchFile)), StringComparison.Ordinal);

        // The job wrote the metrics and eval.json into the run folder; its output is stdout.log, which --wait printed.
        var points = new RunMetricsTailer(folder).Poll();
        Assert.Contains(points, p => p.Split == "test" && p.Values.ContainsKey("accuracy"));
        Assert.NotNull(WorkspaceStore.ReadEval(folder));
        Assert.Contains("training the baseline", File.ReadAllText(Path.Combine(folder, "stdout.log")), StringComparison.Ordinal);
        Assert.Contains("training the baseline", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("COMPLETED", output.ToString(), StringComparison.Ordinal);

        // `mlintern runs` lists it with its job.
        var list = new StringWriter();
        Assert.Equal(0, RunsCommand.Run(_dir, null, "text", list, new StringWriter()));
        Assert.Contains($"[slurm job {ended.Remote.JobId}: COMPLETED]", list.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_script_that_exits_1_fails_with_its_exit_code()
    {
        var run = NewRun(Script("fails.py", "import sys\nprint('about to fail', flush=True)\nsys.exit(1)\n"));
        var output = new StringWriter();
        var code = TrainCommand.ExecuteApproved(_dir, run.Id, output, new StringWriter(), wait: true);
        Assert.Equal(1, code);
        var ended = Store.LoadRun(run.Id)!;
        Assert.Equal(RunStatus.Failed, ended.Status);
        Assert.Equal("FAILED", ended.Remote!.State);
        Assert.Equal(1, ended.ExitCode);
        Assert.Contains("failed with exit code 1", ended.Error, StringComparison.Ordinal);
        Assert.Contains("about to fail", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_job_past_its_time_limit_times_out_and_the_run_fails_with_the_reason()
    {
        Pyproject("1");
        var run = NewRun(Script("sleeps.py", "import time\nprint('sleeping', flush=True)\ntime.sleep(600)\n"));
        Submit(run);

        // Slurm checks limits about every 30 s: a one-minute job ends within ~90 s.
        var ended = WaitFor(run.Id, r => RunStatus.IsFinal(r.Status), TimeSpan.FromSeconds(150));
        Assert.Equal(RunStatus.Failed, ended.Status);
        Assert.Equal("TIMEOUT", ended.Remote!.State);
        Assert.Contains("time limit", ended.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cancelled_job_is_a_cancelled_run()
    {
        var run = NewRun(Script("sleeps.py", "import time\ntime.sleep(600)\n"));
        Submit(run);
        WaitFor(run.Id, r => r.Remote?.State == "RUNNING", TimeSpan.FromSeconds(30));

        var output = new StringWriter();
        Assert.Equal(0, RunsCommand.Run(_dir, run.Id, "text", output, new StringWriter()));
        var ended = Store.LoadRun(run.Id)!;
        Assert.Equal(RunStatus.Cancelled, ended.Status);
        Assert.Equal("CANCELLED", ended.Remote!.State);
        Assert.Contains("cancelled", output.ToString(), StringComparison.Ordinal);

        // Cancelling again is refused: it is no longer running.
        Assert.Equal(Commands.Failure, RunsCommand.Run(_dir, run.Id, "text", new StringWriter(), new StringWriter()));
    }

    [Fact]
    public void A_job_whose_node_fails_ends_as_a_failed_run_with_the_reason()
    {
        var run = NewRun(Script("sleeps.py", "import time\ntime.sleep(600)\n"));
        Submit(run);
        WaitFor(run.Id, r => r.Remote?.State == "RUNNING", TimeSpan.FromSeconds(30));
        try
        {
            var down = LocalSlurm.Run("scontrol", "update", $"nodename={_slurm.Node}", "state=down", "reason=mlintern-test");
            Assert.True(down.Exit == 0, down.Text);
            var ended = WaitFor(run.Id, r => RunStatus.IsFinal(r.Status), TimeSpan.FromSeconds(60));
            Assert.Equal(RunStatus.Failed, ended.Status);
            Assert.Equal("NODE_FAIL", ended.Remote!.State);
            Assert.Contains("node failed", ended.Error, StringComparison.Ordinal);
        }
        finally
        {
            LocalSlurm.Run("scontrol", "update", $"nodename={_slurm.Node}", "state=resume");
            var clock = Stopwatch.StartNew();
            while (!LocalSlurm.Run("sinfo", "-h", "-n", _slurm.Node, "-o", "%t").Text.Trim().StartsWith("idle", StringComparison.Ordinal) && clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                Thread.Sleep(250);
            }
        }
    }

    [Fact]
    public void Nothing_is_submitted_without_an_approval_that_matches_the_plan()
    {
        var run = NewRun();
        var plan = Store.LoadPlan(run.Plan.Id)!;

        // The plan file's sbatch script edited after approval: the executor refuses, nothing reaches sbatch.
        var edited = plan with { Remote = plan.Remote! with { Submission = plan.Remote.Submission.Replace("--time=00:05:00", "--time=10:00:00", StringComparison.Ordinal) } };
        File.WriteAllText(Store.PlanJsonPath(plan.Id), Newtonsoft.Json.JsonConvert.SerializeObject(edited, WorkspaceStore.Json));
        var errors = new StringWriter();
        Assert.Equal(Commands.Failure, TrainCommand.ExecuteApproved(_dir, run.Id, new StringWriter(), errors));
        Assert.Contains("launch refused", errors.ToString(), StringComparison.Ordinal);
        var refused = Store.LoadRun(run.Id)!;
        Assert.Equal(RunStatus.Failed, refused.Status);
        Assert.Null(refused.Remote);
        Assert.False(File.Exists(Path.Combine(Store.RunFolder(run.Id), RemoteRuns.SbatchFile)));

        // The CLI without --approve submits nothing either; over budget (a 10 h limit against 4 h) needs the override.
        Pyproject("10:00:00");
        var before = Store.ListRuns().Count;
        var output = new StringWriter();
        errors = new StringWriter();
        Assert.Equal(Commands.Failure, TrainCommand.Run(_dir, new PlanOptions { Data = Path.Combine(_dir, SupportTickets.DataPath), Target = "slurm" }, new TrainCommand.ApprovalChoice(true, false, false), null, output, errors));
        Assert.Contains("MLI602", errors.ToString(), StringComparison.Ordinal);
        Assert.Contains("time limit 10:00:00", errors.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, Store.ListRuns().Count);

        // The in-job entry point refuses outside the run's job.
        var inJob = new StringWriter();
        Assert.Equal(Commands.Failure, RunExecutor.ExecuteInJob(Store, run.Id, new StringWriter(), inJob));
        Assert.Contains("launch refused", inJob.ToString(), StringComparison.Ordinal);
    }
}
