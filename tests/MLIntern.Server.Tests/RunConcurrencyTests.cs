using System.Diagnostics;
using MLIntern.Server.Cli;
using MLIntern.Server.Evaluate;
using MLIntern.Server.Release;
using MLIntern.Server.Runs;
using MLIntern.Server.State;
using MLIntern.Training.Runs;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Tests;

/// <summary>
/// run.json's writers at once: the `train --run` child process (its start and its end), the editor's
/// runExited and approvePublish, against the same run, round after round. Whatever the interleaving,
/// run.json parses and holds every update.
/// </summary>
public sealed class RunConcurrencyTests(SampleRunFixture sample) : IClassFixture<SampleRunFixture>
{
    private const int Rounds = 25;

    private static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task RunExited_approvePublish_and_the_train_child_at_once_lose_no_update()
    {
        Assert.Equal(0, CardCommand.Run(sample.RunId, sample.Workspace, new CardOptions("apache-2.0", ["en"], "acme/support-tickets", "Jane"), new StringWriter(), new StringWriter()));
        var store = new WorkspaceStore(sample.Workspace);
        var trained = store.LoadRun(sample.RunId)!;
        var plan = store.LoadPlan(trained.Plan.Id)!;
        var card = File.ReadAllText(Path.Combine(sample.RunFolder, "model", "README.md"));
        var random = new Random(12);

        for (var round = 0; round < Rounds; round++)
        {
            // A new approved smoke run of the sample's plan, with the sample's model card (naming this run).
            var run = store.CreateRun(plan, trained.Approval, smoke: true);
            var folder = store.RunFolder(run.Id);
            Directory.CreateDirectory(Path.Combine(folder, "model"));
            File.WriteAllText(Path.Combine(folder, "model", "README.md"), card.Replace(sample.RunId, run.Id, StringComparison.Ordinal));
            File.Copy(Path.Combine(sample.RunFolder, "model", "model.bin"), Path.Combine(folder, "model", "model.bin"));

            using var child = StartTrain(run.Id);
            var stdout = child.StandardOutput.ReadToEndAsync();
            var stderr = child.StandardError.ReadToEndAsync();

            // Once the child has recorded its start, the editor's two writes land while it trains and ends.
            var waited = Stopwatch.StartNew();
            while (WorkspaceStore.ReadRun(folder)?.Status == RunStatus.Approved && !child.HasExited)
            {
                Assert.True(waited.Elapsed < Long, $"round {round}: the child never started the run");
                await Task.Delay(2);
            }

            var exitedDelay = random.Next(0, 120);
            var approveDelay = random.Next(0, 120);
            var start = new Barrier(2);
            var exited = Task.Run(() =>
            {
                start.SignalAndWait();
                Thread.Sleep(exitedDelay);
                return RunExecutor.RecordTaskExit(store, run.Id, 0, cancelled: false);
            });
            var approved = Task.Run(() =>
            {
                start.SignalAndWait();
                Thread.Sleep(approveDelay);
                return Publisher.Approve(new PublishTarget(RunContext.Resolve(run.Id, sample.Workspace), "acme/tickets-clf", "model", true), "tester", "test", null);
            });

            var approval = await approved.WaitAsync(Long);
            Assert.NotNull(await exited.WaitAsync(Long));
            await child.WaitForExitAsync().WaitAsync(Long);
            Assert.True(child.ExitCode == 0, $"round {round}: train --run exited {child.ExitCode}: {await stderr}{await stdout}");

            // run.json parses, as JSON and as a run record, and holds every writer's update.
            var text = File.ReadAllText(Path.Combine(folder, "run.json"));
            var json = JObject.Parse(text);
            var record = WorkspaceStore.ReadRun(folder)!;
            var context = $"round {round} (runExited after {exitedDelay} ms, approvePublish after {approveDelay} ms):\n{text}";
            Assert.True(record.Status == RunStatus.Succeeded, context);
            Assert.True(record.ExitCode == 0, context);
            Assert.True(record.StartedAt is not null && record.EndedAt is not null && record.EndedAt >= record.StartedAt, context);
            Assert.True(record.Error is null, context);
            Assert.True(record.Approval.PlanHash == plan.Hash, context);
            var publication = Assert.Single(record.Publications ?? []);
            Assert.True(publication.Id == approval.Id && publication.FileListHash == approval.FileListHash, context);
            Assert.Equal(approval.Id, (string?)json["publications"]![0]!["id"]);
            Assert.True(File.Exists(Path.Combine(folder, WorkspaceStore.EvalFile)), context);
            Assert.Empty(Directory.GetFiles(folder, "*.mlintern-tmp"));
        }
    }

    private Process StartTrain(string runId)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, WorkingDirectory = sample.Workspace };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "mlintern.dll"), "train", "--run", runId, "--workspace", sample.Workspace })
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info)!;
        process.StandardInput.Close();
        return process;
    }
}
