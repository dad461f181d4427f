using System.Diagnostics;
using System.Text.RegularExpressions;
using MLIntern.Server.Cli;
using MLIntern.Server.Runs;
using MLIntern.Server.Samples;
using MLIntern.Server.State;
using MLIntern.Training.Runs;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Tests;

/// <summary>
/// Runs never hang "running": a run whose process is gone ends as failed on the next read, by any
/// reader. And no writer leaves half a file: every file is replaced whole.
/// </summary>
public sealed partial class RunLifecycleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mlintern-life-").FullName;

    public RunLifecycleTests()
    {
        foreach (var (relative, content) in SupportTickets.Generate().Files)
        {
            var path = Path.Combine(_dir, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private WorkspaceStore Store => new(_dir);

    private RunRecord NewRun(string? script = null)
    {
        var errors = new StringWriter();
        var options = script is null
            ? new PlanOptions { Data = Path.Combine(_dir, SupportTickets.DataPath), Smoke = true }
            : new PlanOptions { Script = script, Data = Path.Combine(_dir, SupportTickets.DataPath) };
        var (store, plan) = PlanCommand.TryPlan(_dir, options, errors) ?? throw new InvalidOperationException(errors.ToString());
        store.SavePlan(plan);
        var approval = new Approval(Environment.UserName, plan.Id, plan.Hash, plan.Estimate.Hours, plan.Estimate.CostUsd, DateTimeOffset.UtcNow, "test", plan.OverBudget, !plan.Estimate.Known);
        return store.CreateRun(plan, approval, smoke: false);
    }

    [Fact]
    public async Task A_train_process_killed_while_running_shows_failed_on_the_next_read()
    {
        var script = Path.Combine(_dir, "sleeps.py");
        File.WriteAllText(script, """
            import os, time
            open(os.path.join(os.environ["MLINTERN_RUN_DIR"], "child.pid"), "w").write(str(os.getpid()))
            time.sleep(120)
            """);
        var run = NewRun(script);
        var folder = Store.RunFolder(run.Id);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "mlintern.dll"), "train", "--run", run.Id, "--workspace", _dir })
        {
            info.ArgumentList.Add(argument);
        }

        using var train = Process.Start(info)!;
        _ = train.StandardOutput.ReadToEndAsync();
        _ = train.StandardError.ReadToEndAsync();
        var childPid = Path.Combine(folder, "child.pid");
        var waited = Stopwatch.StartNew();
        while (!File.Exists(childPid) || new FileInfo(childPid).Length == 0)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60) && !train.HasExited, "the script never started");
            await Task.Delay(20);
        }

        var running = Store.LoadRun(run.Id)!;
        Assert.Equal(RunStatus.Running, running.Status);
        Assert.Equal(train.Id, running.Process!.Pid);

        // kill -9: the executor gets no chance to record anything.
        train.Kill(entireProcessTree: false);
        await train.WaitForExitAsync();
        try
        {
            using var child = Process.GetProcessById(int.Parse(File.ReadAllText(childPid), System.Globalization.CultureInfo.InvariantCulture));
            child.Kill();
        }
        catch (ArgumentException)
        {
        }

        // The first read is the editor's: listRuns over the real sidecar.
        await using (var client = LspClient.Start())
        {
            await client.InitializeAsync();
            var runs = (JArray)(await client.RequestAsync("mlintern/listRuns", new { workspaceFolder = _dir }))!["runs"]!;
            Assert.Equal(RunStatus.Failed, (string?)runs.Single(r => (string?)r["id"] == run.Id)["status"]);
            var got = (JObject)(await client.RequestAsync("mlintern/getRun", new { workspaceFolder = _dir, runId = run.Id }))!;
            Assert.Equal(RunStatus.ProcessGoneError, (string?)got["run"]!["error"]);
        }

        // Recorded on disk, so the CLI and the store read the same end.
        var listed = Assert.Single(Store.ListRuns(), r => r.Id == run.Id);
        Assert.Equal((RunStatus.Failed, RunStatus.ProcessGoneError), (listed.Status, listed.Error));
        Assert.NotNull(listed.EndedAt);
        var again = WorkspaceStore.ReadRun(folder)!;
        Assert.Equal(listed.EndedAt, again.EndedAt);
    }

    [Fact]
    public void A_running_run_whose_pid_now_names_another_process_is_ended_and_a_live_one_is_not()
    {
        var live = NewRun();
        var me = ProcessIdentity.Current()!;
        WorkspaceStore.UpdateRun(Store.RunFolder(live.Id), r => r with { Status = RunStatus.Running, Process = me });
        Assert.Equal(RunStatus.Running, Store.LoadRun(live.Id)!.Status);

        // The same pid, started at another time: the OS reused the number.
        var reused = NewRun();
        WorkspaceStore.UpdateRun(Store.RunFolder(reused.Id), r => r with { Status = RunStatus.Running, Process = me with { StartTime = "1" } });
        var read = Store.LoadRun(reused.Id)!;
        Assert.Equal(RunStatus.Failed, read.Status);
        Assert.Equal(RunStatus.ProcessGoneError, read.Error);

        // A finished run is never touched, whatever its process.
        var done = NewRun();
        WorkspaceStore.UpdateRun(Store.RunFolder(done.Id), r => r with { Status = RunStatus.Succeeded, Process = me with { StartTime = "1" } });
        Assert.Equal(RunStatus.Succeeded, Store.LoadRun(done.Id)!.Status);
    }

    [Fact]
    public void An_interrupted_writer_leaves_the_old_file_intact()
    {
        var path = Path.Combine(_dir, "model.bin");
        File.WriteAllText(path, "old model");
        var error = Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("new mod"u8);
            stream.Flush();
            throw new IOException("disk full");
        }));
        Assert.Equal("disk full", error.Message);
        Assert.Equal("old model", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_dir, "model.bin*"));

        AtomicFile.WriteText(path, writer => writer.Write("new model"));
        Assert.Equal("new model", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_dir, "model.bin*"));
    }

    /// <summary>
    /// Every writer of a file in the server goes through <see cref="AtomicFile"/>: a direct write
    /// (WriteAllText, File.Create, a StreamWriter on a path, a copy) would leave half a file when
    /// interrupted. The two logs a run appends while it is tailed are the exception, named here.
    /// </summary>
    [Fact]
    public void No_server_code_writes_a_file_in_place()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "MLIntern.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("no MLIntern.sln above the test folder");
        }

        var server = Path.Combine(root, "server", "MLIntern.Server");
        // AtomicFile is the writer; the approval key and used-nonce record are created 0600 outside any
        // workspace; a run's lock file is opened, never written.
        var allowedFiles = new[] { Path.Combine("State", "AtomicFile.cs"), Path.Combine("State", "ApprovalSeal.cs"), Path.Combine("State", "RunLock.cs"),
            // A resumable download streams into NAME.part (appended on resume) and is moved into place once its size is verified.
            Path.Combine("Hub", "HubClient.cs") };
        var offenders = new List<string>();
        foreach (var file in Directory.EnumerateFiles(server, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(server, file);
            if (relative.StartsWith("obj", StringComparison.Ordinal) || relative.StartsWith("bin", StringComparison.Ordinal) || allowedFiles.Contains(relative))
            {
                continue;
            }

            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (DirectWrite().IsMatch(lines[i]) && !lines[i].Contains("\"metrics.jsonl\"", StringComparison.Ordinal) && !lines[i].Contains("\"stdout.log\"", StringComparison.Ordinal))
                {
                    offenders.Add($"{relative}:{i + 1}: {lines[i].Trim()}");
                }
            }
        }

        Assert.True(offenders.Count == 0, "files written in place, not through AtomicFile:\n" + string.Join('\n', offenders));
    }

    [GeneratedRegex(@"(?<!AtomicFile\.)\bFile\.(WriteAll|AppendAll|Create\(|Copy\(|OpenWrite\()|new StreamWriter\((Path|\w+Path|""|path)|new FileStream\([^)]*FileMode\.(Create|Append|OpenOrCreate|Truncate)")]
    private static partial Regex DirectWrite();
}
