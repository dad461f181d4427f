using System.Diagnostics;
using MLIntern.Server.Cli;
using MLIntern.Server.Runs;
using MLIntern.Server.Samples;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Tests;

/// <summary>
/// Training through the CLI and the language server: plans, the approval gate (no path starts a run
/// without a recorded approval), run folders, the baseline's outputs and live metrics.
/// </summary>
public sealed class TrainingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mlintern-train-").FullName;

    public TrainingTests()
    {
        foreach (var (relative, content) in SupportTickets.Generate().Files)
        {
            var path = Path.Combine(_dir, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Tickets => Path.Combine(_dir, SupportTickets.DataPath);

    private string RunsFolder => Path.Combine(_dir, ".mlintern", "runs");

    private static readonly TrainCommand.ApprovalChoice Approved = new(true, false, false);

    private static readonly TrainCommand.ApprovalChoice NotApproved = new(false, false, false);

    private (int Code, string Out, string Err) Train(PlanOptions options, TrainCommand.ApprovalChoice choice, Func<string, string?>? prompt = null)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var code = TrainCommand.Run(_dir, options, choice, prompt, output, errors);
        return (code, output.ToString(), errors.ToString());
    }

    private static (int Code, string Stdout, string Stderr) Process(string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, WorkingDirectory = workingDirectory };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mlintern.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private void WritePyproject(string body) => File.WriteAllText(Path.Combine(_dir, "pyproject.toml"), "[tool.mlintern.compute]\n" + body + "\n");

    [Fact]
    public void Cli_train_without_approval_on_a_non_tty_refuses_and_creates_no_run()
    {
        var (code, stdout, stderr) = Process(_dir, "train", "--data", Tickets);
        Assert.Equal(2, code);
        Assert.Contains("launch refused: not approved", stderr, StringComparison.Ordinal);
        Assert.Contains("# Training plan: Built-in baseline on tickets.csv", stdout, StringComparison.Ordinal);
        Assert.False(Directory.Exists(RunsFolder));
        Assert.Single(Directory.GetFiles(Path.Combine(_dir, ".mlintern", "plans"), "*.md"));
    }

    [Fact]
    public void Cli_prompt_answered_no_refuses_and_yes_records_the_terminal_approval()
    {
        Assert.Equal(2, Train(new PlanOptions { Data = Tickets, Smoke = true }, NotApproved, _ => "n").Code);
        Assert.False(Directory.Exists(RunsFolder));
        var (code, output, _) = Train(new PlanOptions { Data = Tickets, Smoke = true }, NotApproved, _ => "y");
        Assert.Equal(0, code);
        var run = JObject.Parse(File.ReadAllText(Path.Combine(output.TrimEnd().Split('\n')[^1], "run.json")));
        Assert.Equal("terminal prompt", (string?)run["approval"]!["via"]);
        Assert.True((bool)run["smoke"]!);
    }

    [Fact]
    public void Cli_train_approve_runs_the_baseline_and_writes_the_run_folder()
    {
        var (code, output, errors) = Train(new PlanOptions { Data = Tickets }, Approved);
        Assert.True(code == 0, errors);
        var folder = output.TrimEnd().Split('\n')[^1];
        Assert.StartsWith(RunsFolder, folder, StringComparison.Ordinal);

        var run = JObject.Parse(File.ReadAllText(Path.Combine(folder, "run.json")));
        Assert.Equal("succeeded", (string?)run["status"]);
        Assert.Equal(0, (int)run["exitCode"]!);
        Assert.Equal($"approved via CLI flag by {Environment.UserName}", (string?)run["approval"]!["statement"]);
        Assert.Equal((string?)run["plan"]!["hash"], (string?)run["approval"]!["planHash"]);
        Assert.NotNull(run["startedAt"]);
        Assert.NotNull(run["endedAt"]);
        Assert.Contains("train --data", (string?)run["commandLine"], StringComparison.Ordinal);

        var metrics = File.ReadAllLines(Path.Combine(folder, "metrics.jsonl")).Select(JObject.Parse).ToList();
        Assert.Contains(metrics, m => (string?)m["split"] == "train" && m["loss"] is not null && m["step"] is not null && m["epoch"] is not null);
        Assert.Equal("test", (string?)metrics[^1]["split"]);

        var eval = JObject.Parse(File.ReadAllText(Path.Combine(folder, "eval.json")));
        Assert.True((double)eval["accuracy"]! > 0.5, "well above chance (1/16)");
        Assert.True((double)eval["macro_f1"]! > 0.3);
        var labels = eval["confusion_matrix"]!["labels"]!.Select(l => (string)l!).ToList();
        Assert.Equal(16, labels.Count);
        Assert.Equal(16, ((JArray)eval["confusion_matrix"]!["matrix"]!).Count);
        Assert.Equal(labels.Order(StringComparer.Ordinal), ((JObject)eval["per_class"]!).Properties().Select(p => p.Name));
        Assert.NotNull(eval["per_class"]!["cancel_order"]!["support"]);

        var predictions = File.ReadAllLines(Path.Combine(folder, "predictions.jsonl")).Select(JObject.Parse).ToList();
        Assert.Equal(predictions.Count, ((JObject)eval["per_class"]!).Properties().Sum(p => (int)p.Value["support"]!));
        Assert.All(predictions, p => Assert.Equal(16, ((JObject)p["scores"]!).Count));
        Assert.True(File.Exists(Path.Combine(folder, "model.bin")));
        Assert.Contains("epoch 1:", File.ReadAllText(Path.Combine(folder, "stdout.log")), StringComparison.Ordinal);
    }

    [Fact]
    public void Two_runs_with_the_same_seed_write_identical_eval_and_predictions()
    {
        var first = Train(new PlanOptions { Data = Tickets, Seed = 5 }, Approved).Out.TrimEnd().Split('\n')[^1];
        var second = Train(new PlanOptions { Data = Tickets, Seed = 5 }, Approved).Out.TrimEnd().Split('\n')[^1];
        Assert.NotEqual(first, second);
        Assert.Equal(File.ReadAllText(Path.Combine(first, "eval.json")), File.ReadAllText(Path.Combine(second, "eval.json")));
        Assert.Equal(File.ReadAllText(Path.Combine(first, "predictions.jsonl")), File.ReadAllText(Path.Combine(second, "predictions.jsonl")));
    }

    [Fact]
    public void Encoder_baseline_writes_probabilities_caches_embeddings_and_repeats_exactly()
    {
        var first = Train(new PlanOptions { Data = Tickets, Seed = 5, Baseline = "encoder" }, Approved);
        Assert.Equal(0, first.Code);
        Assert.Contains("embedding ", first.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("from the cache", first.Out, StringComparison.Ordinal);
        var second = Train(new PlanOptions { Data = Tickets, Seed = 5, Baseline = "encoder" }, Approved);
        Assert.Equal(0, second.Code);
        Assert.Contains("from the cache", second.Out, StringComparison.Ordinal);
        var (a, b) = (first.Out.TrimEnd().Split('\n')[^1], second.Out.TrimEnd().Split('\n')[^1]);
        Assert.NotEqual(a, b);
        Assert.Equal(File.ReadAllText(Path.Combine(a, "predictions.jsonl")), File.ReadAllText(Path.Combine(b, "predictions.jsonl")));
        var eval = JObject.Parse(File.ReadAllText(Path.Combine(a, "eval.json")));
        Assert.Equal("sentence-transformers/all-MiniLM-L6-v2", (string?)eval["model"]);
        Assert.Equal("int8-dynamic", (string?)eval["weights"]);
        Assert.Equal(MLIntern.Training.Encoder.EncoderBaseline.Grid.Count, ((JArray)eval["head"]!["cross_validation"]!).Count);
        Assert.Equal(File.ReadAllBytes(Path.Combine(a, "model.bin")), File.ReadAllBytes(Path.Combine(b, "model.bin")));
        using (var stream = File.OpenRead(Path.Combine(a, "model.bin")))
        {
            Assert.True(MLIntern.Training.Encoder.EncoderModel.IsEncoderModel(stream));
            var model = MLIntern.Training.Encoder.EncoderModel.Load(stream);
            Assert.Equal("sentence-transformers/all-MiniLM-L6-v2", model.EncoderId);
            Assert.Equal("int8-dynamic", model.Weights);
            Assert.Equal((double)eval["head"]!["c"]!, model.C);
        }

        foreach (var line in File.ReadLines(Path.Combine(a, "predictions.jsonl")))
        {
            var scores = (JObject)JObject.Parse(line)["scores"]!;
            Assert.Equal(1.0, scores.Properties().Sum(p => (double)p.Value), 3);
        }

        var plan = JObject.Parse(File.ReadAllText(Directory.GetFiles(Path.Combine(_dir, ".mlintern", "plans"), "*.json").Single(f => File.ReadAllText(f).Contains("encoder", StringComparison.Ordinal))));
        Assert.Contains("parameters × tokens", (string?)plan["estimate"]?["formula"] ?? plan.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Encoder_baseline_second_run_reuses_the_cached_head_search_and_writes_the_identical_model()
    {
        var first = Train(new PlanOptions { Data = Tickets, Seed = 5, Baseline = "encoder" }, Approved);
        Assert.Equal(0, first.Code);
        Assert.DoesNotContain("head cross-validation from the cache", first.Out, StringComparison.Ordinal);
        var searches = Directory.GetFiles(Path.Combine(_dir, ".mlintern", "cache", "head-search"), "*.bin");
        Assert.Single(searches);
        var stored = File.ReadAllBytes(searches[0]);

        var second = Train(new PlanOptions { Data = Tickets, Seed = 5, Baseline = "encoder" }, Approved);
        Assert.Equal(0, second.Code);
        Assert.Contains("head cross-validation from the cache", second.Out, StringComparison.Ordinal);
        var (a, b) = (first.Out.TrimEnd().Split('\n')[^1], second.Out.TrimEnd().Split('\n')[^1]);
        Assert.Equal(File.ReadAllBytes(Path.Combine(a, "model.bin")), File.ReadAllBytes(Path.Combine(b, "model.bin")));
        Assert.Equal(File.ReadAllText(Path.Combine(a, "eval.json")), File.ReadAllText(Path.Combine(b, "eval.json")));
        Assert.Equal(File.ReadAllText(Path.Combine(a, "predictions.jsonl")), File.ReadAllText(Path.Combine(b, "predictions.jsonl")));

        // A damaged entry is not trusted: the search runs again, rewrites it, and the model is the same.
        File.WriteAllBytes(searches[0], [1, 2, 3]);
        var third = Train(new PlanOptions { Data = Tickets, Seed = 5, Baseline = "encoder" }, Approved);
        Assert.Equal(0, third.Code);
        Assert.DoesNotContain("head cross-validation from the cache", third.Out, StringComparison.Ordinal);
        Assert.Equal(stored, File.ReadAllBytes(searches[0]));
        Assert.Equal(File.ReadAllBytes(Path.Combine(a, "model.bin")), File.ReadAllBytes(Path.Combine(third.Out.TrimEnd().Split('\n')[^1], "model.bin")));

        // Another seed is another search (another key).
        Assert.Equal(0, Train(new PlanOptions { Data = Tickets, Seed = 6, Baseline = "encoder" }, Approved).Code);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(_dir, ".mlintern", "cache", "head-search"), "*.bin").Length);
    }

    [Fact]
    public void Over_budget_is_MLI602_on_the_plan_and_needs_the_recorded_override()
    {
        WritePyproject("max-hours = 0.0000000001");
        var plan = new StringWriter();
        var errors = new StringWriter();
        Assert.Equal(1, PlanCommand.Run(_dir, new PlanOptions { Data = Tickets }, "text", plan, errors));
        Assert.Contains("MLI602", errors.ToString(), StringComparison.Ordinal);
        Assert.Contains("**MLI602: over budget.**", plan.ToString(), StringComparison.Ordinal);

        var refused = Train(new PlanOptions { Data = Tickets, Smoke = true }, Approved);
        Assert.Equal(2, refused.Code);
        Assert.Contains("over budget", refused.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(RunsFolder));

        var (code, output, _) = Train(new PlanOptions { Data = Tickets, Smoke = true }, Approved with { AcceptOverBudget = true });
        Assert.Equal(0, code);
        var run = JObject.Parse(File.ReadAllText(Path.Combine(output.TrimEnd().Split('\n')[^1], "run.json")));
        Assert.True((bool)run["approval"]!["acceptedOverBudget"]!);
        Assert.True((bool)run["plan"]!["overBudget"]!);
    }

    [Fact]
    public void An_over_budget_plan_puts_MLI602_on_the_scripts_train_call_until_a_plan_fits()
    {
        var script = Path.Combine(_dir, SupportTickets.ScriptPath);
        var text = File.ReadAllText(script);
        Assert.DoesNotContain(Engine.FileChecks.CheckScript(text, script), f => f.Code == "MLI602");
        WritePyproject("max-hours = 0.0000000001");
        Assert.Equal(1, PlanCommand.Run(_dir, new PlanOptions { Script = script, Data = Tickets }, "text", new StringWriter(), new StringWriter()));
        var finding = Assert.Single(Engine.FileChecks.CheckScript(text, script), f => f.Code == "MLI602");
        var trainLine = Array.FindIndex(text.Split('\n'), l => l.Contains(".train(", StringComparison.Ordinal)) + 1;
        Assert.Equal(trainLine, finding.Range.Line);
        Assert.Contains("over budget", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Engine.FileChecks.CheckScript(text, script, new MLIntern.Analysis.Findings.RuleSelection(["ALL"], ["MLI602"], new Dictionary<string, MLIntern.Findings.Severity>())), f => f.Code == "MLI602");

        // Raising the budget and planning again clears it: the newest plan for the script decides.
        Thread.Sleep(20);
        WritePyproject("max-hours = 100000");
        Assert.Equal(0, PlanCommand.Run(_dir, new PlanOptions { Script = script, Data = Tickets }, "text", new StringWriter(), new StringWriter()));
        Assert.DoesNotContain(Engine.FileChecks.CheckScript(text, script), f => f.Code == "MLI602");
    }

    [Fact]
    public void A_script_plan_without_data_reads_the_data_set_the_script_loads()
    {
        var script = Path.Combine(_dir, SupportTickets.ScriptPath);
        var output = new StringWriter();
        var errors = new StringWriter();

        // The estimate follows this machine's measured speed; the budget is not what this test is about.
        WritePyproject("max-hours = 100000");
        Assert.Equal(0, PlanCommand.Run(_dir, new PlanOptions { Script = script }, "json", output, errors));
        var plan = JObject.Parse(output.ToString());
        Assert.Equal(Path.GetFullPath(Tickets), Path.GetFullPath((string)plan["dataPath"]!));
        Assert.True((int)plan["classes"]! > 1, plan.ToString());

        // A script that loads nothing readable: the plan asks for the data set, naming the script.
        var bare = Path.Combine(_dir, "bare.py");
        File.WriteAllText(bare, "print('no data here')\n");
        errors = new StringWriter();
        Assert.NotEqual(0, PlanCommand.Run(_dir, new PlanOptions { Script = bare }, "json", new StringWriter(), errors));
        Assert.Contains("which data set does bare.py train on?", errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_script_with_an_unknown_model_needs_the_override_then_runs_and_its_printed_logs_become_metrics()
    {
        var script = Path.Combine(_dir, "fake_train.py");
        File.WriteAllText(script, """
            import os
            if False:
                from transformers import AutoModel
                AutoModel.from_pretrained("my-org/never-heard-of-it")
            assert os.path.isdir(os.environ["MLINTERN_RUN_DIR"])
            print("{'loss': 1.25, 'learning_rate': 5e-05, 'epoch': 0.5}")
            print("{'loss': 0.75, 'learning_rate': 2.5e-05, 'epoch': 1.0}")
            print("{'eval_loss': 0.5, 'eval_accuracy': 0.8, 'epoch': 1.0}")
            """);
        var options = new PlanOptions { Script = script, Data = Tickets };
        var refused = Train(options, Approved);
        Assert.Equal(2, refused.Code);
        Assert.Contains("estimate is unknown", refused.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(RunsFolder));

        var (code, output, errors) = Train(options, Approved with { AcceptUnknownEstimate = true });
        Assert.True(code == 0, errors + output);
        var folder = output.TrimEnd().Split('\n')[^1];
        var run = JObject.Parse(File.ReadAllText(Path.Combine(folder, "run.json")));
        Assert.Equal("python3 fake_train.py", (string?)run["commandLine"]);
        Assert.True((bool)run["approval"]!["acceptedUnknownEstimate"]!);
        var points = new RunMetricsTailer(folder).Poll();
        Assert.Equal(3, points.Count);
        Assert.Equal([1L, 2L], points.Where(p => p.Split == "train").Select(p => p.Step!.Value));
        Assert.Equal(0.8, points.Single(p => p.Split == "eval").Values["accuracy"]);
    }

    [Fact]
    public void A_run_folder_edited_after_approval_does_not_execute_and_a_run_executes_once()
    {
        var (_, output, _) = Train(new PlanOptions { Data = Tickets, Smoke = true }, Approved);
        var folder = output.TrimEnd().Split('\n')[^1];
        var runId = Path.GetFileName(folder);
        var again = new StringWriter();
        Assert.Equal(2, TrainCommand.ExecuteApproved(_dir, runId, new StringWriter(), again));
        Assert.Contains("a run executes once", again.ToString(), StringComparison.Ordinal);

        // Forge a new run from the old one: status reset, approval pointing at another hash.
        var forgedId = runId[..^4] + "beef";
        var forged = Path.Combine(RunsFolder, forgedId);
        Directory.CreateDirectory(forged);
        var run = JObject.Parse(File.ReadAllText(Path.Combine(folder, "run.json")));
        run["id"] = forgedId;
        run["status"] = "approved";
        run["approval"]!["planHash"] = new string('0', 64);
        File.WriteAllText(Path.Combine(forged, "run.json"), run.ToString());
        var errors = new StringWriter();
        Assert.Equal(2, TrainCommand.ExecuteApproved(_dir, forgedId, new StringWriter(), errors));
        Assert.Contains("launch refused", errors.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(forged, "metrics.jsonl")));
        Assert.Equal("failed", (string?)JObject.Parse(File.ReadAllText(Path.Combine(forged, "run.json")))["status"]);

        // A run.json without any approval is refused.
        var unapproved = (JObject)run.DeepClone();
        unapproved.Remove("approval");
        unapproved["status"] = "approved";
        File.WriteAllText(Path.Combine(forged, "run.json"), unapproved.ToString());
        errors = new StringWriter();
        Assert.Equal(2, TrainCommand.ExecuteApproved(_dir, forgedId, new StringWriter(), errors));
        Assert.Contains("no approval is recorded", errors.ToString(), StringComparison.Ordinal);

        // An edited plan file (the command changed after approval) is refused too.
        var planPath = (string)run["plan"]!["path"]!;
        var plan = JObject.Parse(File.ReadAllText(planPath));
        plan["command"]!["arguments"] = new JArray("train", "--data", "/etc/passwd");
        File.WriteAllText(planPath, plan.ToString());
        run["approval"]!["planHash"] = run["plan"]!["hash"];
        run["status"] = "approved";
        File.WriteAllText(Path.Combine(forged, "run.json"), run.ToString());
        errors = new StringWriter();
        Assert.Equal(2, TrainCommand.ExecuteApproved(_dir, forgedId, new StringWriter(), errors));
        Assert.Contains("does not match its hash", errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_failing_script_records_its_exit_code_and_the_trainer_state_becomes_metrics()
    {
        var script = Path.Combine(_dir, "failing.py");
        File.WriteAllText(script, """
            import os, shutil, sys
            target = os.path.join(os.environ["MLINTERN_RUN_DIR"], "checkpoints", "checkpoint-500")
            os.makedirs(target)
            shutil.copy(sys.argv[1] if len(sys.argv) > 1 else "trainer_state.json", target)
            print("Traceback (most recent call last):", file=sys.stderr)
            sys.exit(3)
            """);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "trainer_state.json"), Path.Combine(_dir, "trainer_state.json"));
        var (code, output, _) = Train(new PlanOptions { Script = script, Data = Tickets, Model = "distilbert-base-uncased" }, Approved with { AcceptOverBudget = true });
        Assert.Equal(3, code);
        var folder = output.TrimEnd().Split('\n')[^1];
        var run = JObject.Parse(File.ReadAllText(Path.Combine(folder, "run.json")));
        Assert.Equal("failed", (string?)run["status"]);
        Assert.Equal(3, (int)run["exitCode"]!);
        Assert.Contains("Traceback", File.ReadAllText(Path.Combine(folder, "stdout.log")), StringComparison.Ordinal);
        var points = new RunMetricsTailer(folder).Poll();
        Assert.Equal(6, points.Count);
        Assert.Equal(0.8912, points.Last(p => p.Split == "eval").Values["macro_f1"]);
    }

    [Fact]
    public void Generate_train_script_writes_a_script_the_checker_passes()
    {
        var output = Path.Combine(_dir, "generated_train.py");
        Assert.Equal(0, GenerateCommand.WriteTrainScript(Tickets, output, "distilbert-base-uncased", null, null, 3, false, new StringWriter(), new StringWriter()));
        var text = File.ReadAllText(output);
        Assert.Contains("\"train\": \"data/tickets.csv\"", text, StringComparison.Ordinal);
        Assert.Contains("LABEL_COLUMN = \"intent\"", text, StringComparison.Ordinal);
        Assert.Empty(Engine.FileChecks.CheckScript(text, output));
        Assert.Equal(2, GenerateCommand.WriteTrainScript(Tickets, output, "distilbert-base-uncased", null, null, 3, false, new StringWriter(), new StringWriter()));
    }

    [Fact]
    public async Task Lsp_planTraining_with_baseline_encoder_plans_the_encoder_and_refuses_an_unknown_baseline()
    {
        await using var client = LspClient.Start();
        await client.InitializeAsync();
        var workspace = new Uri(_dir).AbsoluteUri;
        var planned = (JObject)(await client.RequestAsync("mlintern/planTraining", new { workspaceFolder = workspace, data = Tickets, baseline = "encoder" }))!;
        Assert.Equal("encoder", (string?)planned["plan"]!["hyperparameters"]!["baseline"]);
        Assert.Contains("all-MiniLM-L6-v2", planned["plan"]!.ToString(), StringComparison.Ordinal);
        Assert.Contains("--baseline", planned["plan"]!["command"]!["arguments"]!.Select(a => (string?)a));
        var tfidf = (JObject)(await client.RequestAsync("mlintern/planTraining", new { workspaceFolder = workspace, data = Tickets }))!;
        Assert.Null(tfidf["plan"]!["hyperparameters"]!["baseline"]);
        Assert.NotEqual((string?)planned["planId"], (string?)tfidf["planId"]);
        var refused = await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync("mlintern/planTraining", new { workspaceFolder = workspace, data = Tickets, baseline = "bert" }));
        Assert.Contains("not tfidf or encoder", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lsp_plan_approve_start_execute_and_watch_the_metrics()
    {
        await using var client = LspClient.Start();
        await client.InitializeAsync();
        var workspace = new Uri(_dir).AbsoluteUri;

        // Starting without any approval, or with a made-up token, is refused.
        var planned = (JObject)(await client.RequestAsync("mlintern/planTraining", new { workspaceFolder = workspace, data = Tickets }))!;
        var planId = (string)planned["planId"]!;
        Assert.True(File.Exists((string)planned["markdownPath"]!));
        Assert.True((bool)planned["estimateKnown"]!);
        ProtocolSamples.Write("planTraining", planned);

        // The sidecar decides the dialog: a known estimate within budget is a plain question with one approving button.
        var prompt = (JObject)planned["approvalPrompt"]!;
        Assert.Equal("info", (string?)prompt["kind"]);
        Assert.Equal("Approve and Run", (string?)prompt["action"]);
        Assert.Equal($"Run {(string?)planned["plan"]!["title"]}?", (string?)prompt["message"]);
        Assert.False((bool)prompt["acceptOverBudget"]!);
        Assert.Contains($"Plan {planId}. Nothing runs unless you choose \"Approve and Run\"", (string?)prompt["detail"], StringComparison.Ordinal);
        Assert.Contains(prompt["figureLines"]!, l => ((string)l!).StartsWith("Steps: ", StringComparison.Ordinal));
        Assert.Equal("baseline", (string?)planned["plan"]!["kind"]);
        Assert.StartsWith("at most ", (string?)planned["steps"]!["description"], StringComparison.Ordinal);
        Assert.Null(planned["steps"]!["count"]);

        var noToken = await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync("mlintern/startRun", new { workspaceFolder = workspace, planId }));
        Assert.Equal(-32010, noToken.Code);
        Assert.Equal("refused", (string?)noToken.ErrorData?["reason"]);
        var badToken = await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync("mlintern/startRun", new { workspaceFolder = workspace, planId, approvalToken = "0123" }));
        Assert.Equal(-32010, badToken.Code);

        // Approving figures other than the plan's is refused (a stale dialog).
        var figures = (JObject)planned["figures"]!;
        var stale = (JObject)figures.DeepClone();
        stale["hours"] = 99.0;
        var staleError = await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync("mlintern/approveRun", new { workspaceFolder = workspace, planId, figures = stale }));
        Assert.Equal(-32010, staleError.Code);
        Assert.False(Directory.Exists(RunsFolder));

        var approved = (JObject)(await client.RequestAsync("mlintern/approveRun", new { workspaceFolder = workspace, planId, figures }))!;
        var token = (string)approved["approvalToken"]!;
        ProtocolSamples.Write("approveRun", approved);
        Assert.Equal("editor dialog", (string?)approved["approval"]!["via"]);

        var started = (JObject)(await client.RequestAsync("mlintern/startRun", new { workspaceFolder = workspace, planId, approvalToken = token, smoke = true }))!;
        var runId = (string)started["runId"]!;
        ProtocolSamples.Write("startRun", started);
        Assert.False((bool)started["run"]!["final"]!);
        var task = started["task"]!["args"]!.Select(a => (string)a!).ToList();
        Assert.Equal(["train", "--run", runId, "--workspace", _dir], task.SkipWhile(a => a != "train"));

        // Under the dotnet host (as here) the task names the assembly: a real command, not `dotnet train`.
        Assert.True(task[0] == "train" || task[0].EndsWith("mlintern.dll", StringComparison.Ordinal), string.Join(' ', task));
        Assert.Equal("approved", (string?)started["run"]!["status"]);
        Assert.Contains("--smoke", (string?)started["run"]!["commandLine"], StringComparison.Ordinal);

        // The token is single use.
        var reused = await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync("mlintern/startRun", new { workspaceFolder = workspace, planId, approvalToken = token }));
        Assert.Equal(-32010, reused.Code);
        Assert.Single(Directory.GetDirectories(RunsFolder));

        // The extension's task runs the returned command; here the same entry point runs in-process.
        Assert.Equal(0, TrainCommand.ExecuteApproved(_dir, runId, new StringWriter(), new StringWriter()));
        var notification = await client.WaitForNotificationAsync("mlintern/metrics", n => (string?)n["runId"] == runId && n["points"]!.Any(p => (string?)p["split"] == "test"));
        Assert.Contains(notification["points"]!, p => p["values"]!["accuracy"] is not null);
        ProtocolSamples.Write("metrics", notification);

        var exited = (JObject)(await client.RequestAsync("mlintern/runExited", new { workspaceFolder = workspace, runId, exitCode = 0 }))!;
        Assert.Equal("succeeded", (string?)exited["status"]);
        Assert.True((bool)exited["final"]!);
        ProtocolSamples.Write("runExited", exited);
        var listed = (JObject)(await client.RequestAsync("mlintern/listRuns", new { workspaceFolder = workspace }))!;
        ProtocolSamples.Write("listRuns", listed);
        var runs = (JArray)listed["runs"]!;
        Assert.Equal(runId, (string?)runs.Single()["id"]);
        var run = (JObject)(await client.RequestAsync("mlintern/getRun", new { workspaceFolder = workspace, runId }))!;
        ProtocolSamples.Write("getRun", run);
        Assert.True((bool)run["run"]!["final"]!);
        var noRun = await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync("mlintern/getRun", new { workspaceFolder = workspace, runId = "20000101-000000-0000" }));
        Assert.Equal(("notFound", -32602), ((string?)noRun.ErrorData?["reason"], noRun.Code));
        Assert.NotNull(run["eval"]!["macro_f1"]);
        Assert.Equal((double)run["eval"]!["macro_f1"]!, (double)run["evaluation"]!["macroF1"]!);
        Assert.Equal(((JObject)run["eval"]!["per_class"]!).Count, ((JArray)run["evaluation"]!["perClass"]!).Count);
        Assert.NotEmpty((JArray)run["metrics"]!);
        Assert.Equal(planId, (string?)run["run"]!["plan"]!["id"]);

        // A task the user stopped (no exit code) is a cancelled run, not a failed one; a crash is failed.
        foreach (var (exit, status) in new[] { ((int?)null, "cancelled"), (2, "failed") })
        {
            var again = (JObject)(await client.RequestAsync("mlintern/approveRun", new { workspaceFolder = workspace, planId, figures }))!;
            var next = (JObject)(await client.RequestAsync("mlintern/startRun", new { workspaceFolder = workspace, planId, approvalToken = (string)again["approvalToken"]! }))!;
            var nextId = (string)next["runId"]!;
            var ended = (JObject)(await client.RequestAsync("mlintern/runExited", exit is null ? new { workspaceFolder = workspace, runId = nextId, cancelled = true } : (object)new { workspaceFolder = workspace, runId = nextId, exitCode = exit }))!;
            Assert.Equal(status, (string?)ended["status"]);
        }
    }

    [Fact]
    public async Task Lsp_generate_script_answers_a_free_path_and_the_scripts_text_and_writes_nothing()
    {
        await using var client = LspClient.Start();
        await client.InitializeAsync();
        File.WriteAllText(Path.Combine(_dir, "train_tickets.py"), "# mine\n");
        var before = Directory.GetFileSystemEntries(_dir, "*", SearchOption.AllDirectories).Length;

        var answer = (JObject)(await client.RequestAsync("mlintern/generateScript", new { workspaceFolder = _dir, data = Tickets }))!;
        ProtocolSamples.Write("generateScript", answer);
        Assert.Equal(Path.Combine(_dir, "train_tickets_2.py"), (string?)answer["path"]);
        Assert.False((bool)answer["exists"]!);
        var text = (string)answer["text"]!;
        Assert.Contains("data/tickets.csv", text, StringComparison.Ordinal);
        Assert.Empty(Engine.FileChecks.CheckScript(text, Path.Combine(_dir, "train_tickets_2.py")));
        Assert.Equal(before, Directory.GetFileSystemEntries(_dir, "*", SearchOption.AllDirectories).Length);
        Assert.Equal("# mine\n", File.ReadAllText(Path.Combine(_dir, "train_tickets.py")));

        var missing = await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync("mlintern/generateScript", new { workspaceFolder = _dir, data = Path.Combine(_dir, "nope.csv") }));
        Assert.Equal(-32602, missing.Code);
        Assert.Equal($"-32602: {Path.Combine(_dir, "nope.csv")}: no such file or directory", missing.Message);
        Assert.Equal(-32602, (await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync("mlintern/generateScript", new { workspaceFolder = _dir }))).Code);
    }

    [Fact]
    public async Task Lsp_over_budget_approval_needs_accept_over_budget()
    {
        await using var client = LspClient.Start();
        await client.InitializeAsync();
        await client.NotifyAsync("workspace/didChangeConfiguration", new { settings = new { mlintern = new { compute = new { maxHours = 1e-12, maxCostUsd = 5 } } } });
        var workspace = _dir;
        var planned = (JObject)(await client.RequestAsync("mlintern/planTraining", new { workspaceFolder = workspace, data = Tickets }))!;
        Assert.True((bool)planned["overBudget"]!);
        Assert.Equal("MLI602", (string?)planned["findings"]![0]!["code"]);
        var planId = (string)planned["planId"]!;
        var error = await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync("mlintern/approveRun", new { workspaceFolder = workspace, planId, figures = planned["figures"] }));
        Assert.Contains("MLI602", error.Message, StringComparison.Ordinal);
        Assert.Equal("refused", (string?)error.ErrorData?["reason"]);
        ProtocolSamples.Write("planTraining-overBudget", planned);

        // Over budget, the dialog warns and its one button is the override approveRun is then told about.
        var prompt = (JObject)planned["approvalPrompt"]!;
        Assert.Equal(("warning", "Override budget and run", true, false), ((string?)prompt["kind"], (string?)prompt["action"], (bool)prompt["acceptOverBudget"]!, (bool)prompt["acceptUnknownEstimate"]!));
        Assert.StartsWith("MLI602 — over budget: ", (string?)prompt["detail"], StringComparison.Ordinal);
        var approved = (JObject)(await client.RequestAsync("mlintern/approveRun", new { workspaceFolder = workspace, planId, figures = planned["figures"], acceptOverBudget = true }))!;
        Assert.True((bool)approved["approval"]!["acceptedOverBudget"]!);
        var unknownPlan = await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync("mlintern/approveRun", new { workspaceFolder = workspace, planId = "plan-000000000000", figures = planned["figures"] }));
        Assert.Equal(-32602, unknownPlan.Code);
        Assert.Equal("notFound", (string?)unknownPlan.ErrorData?["reason"]);
        var noFolder = await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync("mlintern/listRuns", new { workspaceFolder = Path.Combine(_dir, "nowhere") }));
        Assert.Equal(("invalidParams", -32602), ((string?)noFolder.ErrorData?["reason"], noFolder.Code));
    }

    [Fact]
    public async Task Lsp_planning_a_script_that_loads_no_data_set_answers_needs_data_set()
    {
        await using var client = LspClient.Start();
        await client.InitializeAsync();
        var script = Path.Combine(_dir, "train_nothing.py");
        File.WriteAllText(script, "print('no data here')\n");

        var error = await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync("mlintern/planTraining", new { workspaceFolder = _dir, script }));
        Assert.Equal(("needsDataSet", -32602), ((string?)error.ErrorData?["reason"], error.Code));

        // Given the data set, the same script plans.
        var planned = (JObject)(await client.RequestAsync("mlintern/planTraining", new { workspaceFolder = _dir, script, data = Tickets }))!;
        Assert.Equal("script", (string?)planned["plan"]!["kind"]);
    }
}
