using System.Diagnostics;
using MLIntern.Server.Cli;
using MLIntern.Server.Evaluate;
using MLIntern.Server.Release;
using MLIntern.Server.Runs;
using MLIntern.Server.Samples;
using MLIntern.Server.State;
using MLIntern.Training.Plans;
using MLIntern.Training.Release;
using MLIntern.Training.Runs;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Tests;

/// <summary>
/// Issue 17's approval attacks, each made as an attacker who can write files in the workspace
/// would: on real run folders, through the real executor, the `mlintern` process and the publish
/// command. Nothing the attack asks for runs or uploads; the run says why.
/// </summary>
public sealed class ApprovalTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mlintern-approve-").FullName;

    public ApprovalTests()
    {
        foreach (var (relative, content) in SupportTickets.Generate().Files)
        {
            var path = Path.Combine(_dir, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }

        File.WriteAllText(Script, """
            import os, sys
            open(os.path.join(os.environ["MLINTERN_RUN_DIR"], "ran.txt"), "w").write(" ".join(sys.argv))
            """);
        File.WriteAllText(Evil, """
            import os
            open(os.path.join(os.environ["MLINTERN_RUN_DIR"], "evil.txt"), "w").write("pwned")
            """);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Tickets => Path.Combine(_dir, SupportTickets.DataPath);

    private string Script => Path.Combine(_dir, "train.py");

    private string Evil => Path.Combine(_dir, "evil.py");

    private WorkspaceStore Store => new(_dir);

    private TrainingPlan PlanScript() => Planned(new PlanOptions { Script = Script, Data = Tickets });

    private TrainingPlan PlanBaseline() => Planned(new PlanOptions { Data = Tickets, Smoke = true });

    private TrainingPlan Planned(PlanOptions options)
    {
        var errors = new StringWriter();
        var (store, plan) = PlanCommand.TryPlan(_dir, options, errors) ?? throw new InvalidOperationException(errors.ToString());
        store.SavePlan(plan);
        return plan;
    }

    private static Approval ApprovalOf(TrainingPlan plan) =>
        new(Environment.UserName, plan.Id, plan.Hash, plan.Estimate.Hours, plan.Estimate.CostUsd, DateTimeOffset.UtcNow, "test", plan.OverBudget, !plan.Estimate.Known);

    private RunRecord Approved(TrainingPlan plan) => Store.CreateRun(plan, ApprovalOf(plan), smoke: false);

    private string RunJson(string runId) => Path.Combine(Store.RunFolder(runId), WorkspaceStore.RunFile);

    private void EditRun(string runId, Action<JObject> edit)
    {
        var json = JObject.Parse(File.ReadAllText(RunJson(runId)));
        edit(json);
        File.WriteAllText(RunJson(runId), json.ToString());
    }

    private (int Code, string Err) Execute(string runId)
    {
        var errors = new StringWriter();
        var code = RunExecutor.Execute(Store, runId, new StringWriter(), errors);
        return (code, errors.ToString());
    }

    private void AssertRefused(string runId, (int Code, string Err) result, string because)
    {
        Assert.True(result.Code == 2, result.Err);
        Assert.Contains("launch refused", result.Err, StringComparison.Ordinal);
        Assert.Contains(because, result.Err, StringComparison.Ordinal);
        var run = Store.LoadRun(runId)!;
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains(because, run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Store.RunFolder(runId), "evil.txt")), "the edited command ran");
        Assert.False(File.Exists(Path.Combine(Store.RunFolder(runId), "ran.txt")), "the script ran");
    }

    [Fact]
    public void An_approved_script_runs_the_plans_command()
    {
        var run = Approved(PlanScript());
        Assert.False(string.IsNullOrEmpty(run.Approval.Signature));
        var (code, errors) = Execute(run.Id);
        Assert.True(code == 0, errors);
        Assert.Equal(RunStatus.Succeeded, Store.LoadRun(run.Id)!.Status);
        Assert.EndsWith("train.py", File.ReadAllText(Path.Combine(Store.RunFolder(run.Id), "ran.txt")), StringComparison.Ordinal);
    }

    [Fact]
    public void An_edited_command_in_run_json_does_not_run()
    {
        var run = Approved(PlanScript());
        EditRun(run.Id, json => json["command"]!["arguments"] = new JArray("evil.py"));
        AssertRefused(run.Id, Execute(run.Id), "is not the approved plan's");
    }

    [Fact]
    public void An_edited_working_directory_or_environment_does_not_run()
    {
        var moved = Approved(PlanScript());
        var elsewhere = Directory.CreateDirectory(Path.Combine(_dir, "elsewhere")).FullName;
        File.Copy(Evil, Path.Combine(elsewhere, "train.py"));
        EditRun(moved.Id, json => json["command"]!["workingDirectory"] = elsewhere);
        AssertRefused(moved.Id, Execute(moved.Id), "is not the approved plan's");

        var injected = Approved(PlanScript());
        EditRun(injected.Id, json => json["command"]!["environment"] = new JObject { ["PYTHONSTARTUP"] = Evil });
        AssertRefused(injected.Id, Execute(injected.Id), "is not the approved plan's");
    }

    [Fact]
    public void A_baseline_run_set_to_kind_script_does_not_run_a_command()
    {
        var run = Approved(PlanBaseline());
        EditRun(run.Id, json => json["kind"] = "script");
        AssertRefused(run.Id, Execute(run.Id), "kind (script) is not the approved plan's (baseline)");
        Assert.False(File.Exists(Path.Combine(Store.RunFolder(run.Id), "model.bin")));
    }

    [Fact]
    public void A_smoke_run_whose_run_json_drops_smoke_still_runs_as_the_approved_smoke_test()
    {
        var run = Approved(PlanBaseline());
        EditRun(run.Id, json => json["smoke"] = false);
        var (code, errors) = Execute(run.Id);
        Assert.True(code == 0, errors);
        Assert.Contains(", smoke test", File.ReadAllText(Path.Combine(Store.RunFolder(run.Id), "stdout.log")), StringComparison.Ordinal);

        // And a full plan's run.json that claims smoke asks for another command than the plan's.
        var full = Approved(Planned(new PlanOptions { Data = Tickets }));
        EditRun(full.Id, json => json["smoke"] = true);
        AssertRefused(full.Id, Execute(full.Id), "is not the approved plan's");
    }

    [Fact]
    public void A_script_edited_after_approval_does_not_run()
    {
        var run = Approved(PlanScript());
        File.AppendAllText(Script, "\nopen('evil.txt', 'w')\n");
        AssertRefused(run.Id, Execute(run.Id), "train.py changed after approval: approve again");
    }

    [Fact]
    public void A_hand_written_run_json_with_the_plans_figures_does_not_run()
    {
        // Everything a real run.json holds, copied from the plan; only the signature cannot be copied.
        var plan = PlanScript();
        var real = Approved(plan);
        var forgedId = real.Id[..^4] + "f0f0";
        var forged = Path.Combine(Store.RunsFolder, forgedId);
        Directory.CreateDirectory(forged);
        var json = JObject.Parse(File.ReadAllText(RunJson(real.Id)));
        json["id"] = forgedId;
        ((JObject)json["approval"]!).Remove("signature");
        ((JObject)json["approval"]!).Remove("nonce");
        File.WriteAllText(Path.Combine(forged, WorkspaceStore.RunFile), json.ToString());
        AssertRefused(forgedId, Execute(forgedId), "is not signed");
    }

    [Fact]
    public void A_forged_signature_does_not_run()
    {
        var run = Approved(PlanScript());
        EditRun(run.Id, json => json["approval"]!["signature"] = new string('a', 64));
        AssertRefused(run.Id, Execute(run.Id), "signature does not match");

        // A valid signature over other figures: the approver or the time edited.
        var edited = Approved(PlanScript());
        EditRun(edited.Id, json => json["approval"]!["approvedBy"] = "someone-else");
        AssertRefused(edited.Id, Execute(edited.Id), "signature does not match");
    }

    [Fact]
    public void A_finished_run_set_back_to_approved_does_not_run_again()
    {
        var run = Approved(PlanScript());
        Assert.Equal(0, Execute(run.Id).Code);
        File.Delete(Path.Combine(Store.RunFolder(run.Id), "ran.txt"));
        EditRun(run.Id, json =>
        {
            json["status"] = "approved";
            json.Remove("startedAt");
            json.Remove("endedAt");
            json.Remove("exitCode");
            json.Remove("process");
        });
        AssertRefused(run.Id, Execute(run.Id), "already used");
    }

    [Fact]
    public void A_run_folder_copied_under_a_new_id_does_not_run_through_the_real_cli()
    {
        var run = Approved(PlanScript());
        var copyId = run.Id[..^4] + "c0c0";
        var copy = Directory.CreateDirectory(Path.Combine(Store.RunsFolder, copyId)).FullName;
        var json = JObject.Parse(File.ReadAllText(RunJson(run.Id)));
        json["id"] = copyId;
        File.WriteAllText(Path.Combine(copy, WorkspaceStore.RunFile), json.ToString());

        var first = Cli("train", "--run", run.Id, "--workspace", _dir);
        Assert.True(first.Code == 0, first.Err);
        var second = Cli("train", "--run", copyId, "--workspace", _dir);
        Assert.Equal(2, second.Code);
        Assert.Contains("already used", second.Err, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Failed, Store.LoadRun(copyId)!.Status);
        Assert.False(File.Exists(Path.Combine(copy, "ran.txt")));
    }

    [Fact]
    public void A_replayed_approval_in_another_run_does_not_run()
    {
        // Two real runs of one plan; the second's run.json gets the first's signed approval (nonce and all).
        var plan = PlanScript();
        var first = Approved(plan);
        var second = Approved(plan);
        var replayed = JObject.Parse(File.ReadAllText(RunJson(first.Id)))["approval"]!;
        EditRun(second.Id, json => json["approval"] = replayed.DeepClone());
        Assert.Equal(0, Execute(first.Id).Code);
        AssertRefused(second.Id, Execute(second.Id), "already used");
    }

    [Fact]
    public void A_run_json_written_by_anything_but_the_store_never_approves_even_with_the_gate_satisfied()
    {
        // The gate's checks (figures, plan hash, approver) all hold; the signature is from another key.
        var plan = PlanScript();
        var run = Approved(plan);
        using var hmac = new System.Security.Cryptography.HMACSHA256(new byte[32]);
        var signature = Convert.ToHexString(hmac.ComputeHash(System.Text.Encoding.UTF8.GetBytes(run.Approval.SignedText()))).ToLowerInvariant();
        EditRun(run.Id, json => json["approval"]!["signature"] = signature);
        Assert.True(ApprovalGate.Check(plan, Store.LoadRun(run.Id)!.Approval).Allowed);
        AssertRefused(run.Id, Execute(run.Id), "signature does not match");
    }

    [Fact]
    public void The_key_lives_outside_the_workspace_is_private_and_never_in_run_json()
    {
        var run = Approved(PlanScript());
        var key = Path.Combine(ApprovalSeal.Folder(), ApprovalSeal.KeyFileName);
        Assert.True(File.Exists(key));
        Assert.False(key.StartsWith(_dir, StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        }

        if (!OperatingSystem.IsWindows())
        {
            // A key that became readable by others is narrowed back on its next use.
            File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            Approved(PlanScript());
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        }

        var secret = File.ReadAllText(key).Trim();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(_dir, ".mlintern"), "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(secret, File.ReadAllText(file), StringComparison.Ordinal);
        }

        Assert.DoesNotContain(secret, File.ReadAllText(RunJson(run.Id)), StringComparison.Ordinal);
    }

    [Fact]
    public void The_key_folder_follows_the_override_then_XDG_CONFIG_HOME_then_home()
    {
        var home = Directory.CreateTempSubdirectory("mlintern-home-").FullName;
        try
        {
            var xdg = Path.Combine(home, "xdg");
            var fromXdg = Cli(new Dictionary<string, string?> { [ApprovalSeal.FolderVariable] = null, ["HOME"] = home, ["XDG_CONFIG_HOME"] = xdg }, "train", "--data", Tickets, "--smoke", "--approve", "--workspace", _dir);
            Assert.True(fromXdg.Code == 0, fromXdg.Err);
            Assert.True(File.Exists(Path.Combine(xdg, "mlintern", ApprovalSeal.KeyFileName)));
            Assert.True(File.Exists(Path.Combine(xdg, "mlintern", ApprovalSeal.UsedNoncesFileName)));

            var fromHome = Cli(new Dictionary<string, string?> { [ApprovalSeal.FolderVariable] = null, ["HOME"] = home, ["XDG_CONFIG_HOME"] = null }, "train", "--data", Tickets, "--smoke", "--approve", "--workspace", _dir);
            Assert.True(fromHome.Code == 0, fromHome.Err);
            Assert.True(File.Exists(Path.Combine(home, ".config", "mlintern", ApprovalSeal.KeyFileName)));
            Assert.DoesNotContain(File.ReadAllText(Path.Combine(home, ".config", "mlintern", ApprovalSeal.KeyFileName)).Trim(), fromHome.Out + fromHome.Err, StringComparison.Ordinal);

            // A key folder that cannot be made: a clear refusal, exit code 2, and no run.
            var blocker = Path.Combine(home, "a-file");
            File.WriteAllText(blocker, "");
            var runs = Directory.GetDirectories(Path.Combine(_dir, ".mlintern", "runs")).Length;
            var unusable = Cli(new Dictionary<string, string?> { [ApprovalSeal.FolderVariable] = Path.Combine(blocker, "mlintern") }, "train", "--data", Tickets, "--smoke", "--approve", "--workspace", _dir);
            Assert.Equal(2, unusable.Code);
            Assert.Contains("launch refused: the approval cannot be signed", unusable.Err, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", unusable.Err, StringComparison.Ordinal);
            Assert.Equal(runs, Directory.GetDirectories(Path.Combine(_dir, ".mlintern", "runs")).Length);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public void A_hand_written_publication_or_a_used_one_with_usedAt_deleted_never_uploads()
    {
        var run = Store.CreateRun(PlanBaseline(), ApprovalOf(PlanBaseline()), smoke: false);
        Assert.Equal(0, Execute(run.Id).Code);
        Assert.Equal(0, CardCommand.Run(run.Id, _dir, new CardOptions("apache-2.0", ["en"], "acme/support-tickets", "Jane"), new StringWriter(), new StringWriter()));
        var target = new PublishTarget(RunContext.Resolve(run.Id, _dir), "acme/tickets-clf", "model", false);
        var report = Publisher.Check(target);
        Assert.True(report.Passed, string.Join("; ", report.Problems.Select(p => p.Message)));
        var uploads = new List<PublishApproval>();
        var options = new PublishCommand.Options("acme/tickets-clf", "model", false, false, null, null, false);
        (int Code, string Err) Publish(PublishApproval approval)
        {
            var file = Path.Combine(_dir, "approval-" + Guid.NewGuid().ToString("N") + ".json");
            File.WriteAllText(file, JObject.FromObject(approval, Newtonsoft.Json.JsonSerializer.Create(MLIntern.Server.State.WorkspaceStore.Json)).ToString());
            var errors = new StringWriter();
            var code = PublishCommand.Run(run.Id, _dir, options with { ApproveFile = file }, null, (a, _) =>
            {
                uploads.Add(a);
                return 0;
            }, new StringWriter(), errors);
            return (code, errors.ToString());
        }

        // A publications[] entry written by hand, with the preflight's real file list hash.
        var handWritten = new PublishApproval("00c0ffee00c0ffee", Environment.UserName, "editor dialog", DateTimeOffset.UtcNow, "acme/tickets-clf", "model", false, report.Folder, report.FileListHash, report.Files.Count, report.TotalBytes, "Upload");
        EditRun(run.Id, json => json["publications"] = new JArray(JObject.FromObject(handWritten, Newtonsoft.Json.JsonSerializer.Create(MLIntern.Server.State.WorkspaceStore.Json))));
        var (code, errors) = Publish(handWritten);
        Assert.Equal(2, code);
        Assert.Contains("is not signed", errors, StringComparison.Ordinal);
        Assert.Empty(uploads);

        // A real approval uploads once; with its usedAt (and exit code) deleted it does not upload again.
        var approval = Publisher.Approve(target, Environment.UserName, "test", report.FileListHash);
        Assert.Equal(0, Publish(approval).Code);
        Assert.Single(uploads);
        EditRun(run.Id, json =>
        {
            foreach (var entry in json["publications"]!.OfType<JObject>())
            {
                entry.Remove("usedAt");
                entry.Remove("exitCode");
            }
        });
        (code, errors) = Publish(approval);
        Assert.Equal(2, code);
        Assert.Contains("already used", errors, StringComparison.Ordinal);
        Assert.Single(uploads);

        // A forged signature on an otherwise real entry.
        var other = Publisher.Approve(target, Environment.UserName, "test", report.FileListHash);
        EditRun(run.Id, json => json["publications"]!.OfType<JObject>().Single(p => (string?)p["id"] == other.Id)["repoId"] = "mallory/stolen");
        (code, errors) = Publish(other with { RepoId = "mallory/stolen" });
        Assert.Equal(2, code);
        Assert.Contains("signature does not match", errors, StringComparison.Ordinal);
        Assert.Single(uploads);
    }

    private static (int Code, string Out, string Err) Cli(params string[] args) => Cli(new Dictionary<string, string?>(), args);

    private static (int Code, string Out, string Err) Cli(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mlintern.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
