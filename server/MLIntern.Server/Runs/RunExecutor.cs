using System.Diagnostics;
using System.Globalization;
using MLIntern.Server.Engine;
using MLIntern.Server.State;
using MLIntern.Training.Baseline;
using MLIntern.Training.Plans;
using MLIntern.Training.Runs;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Runs;

/// <summary>
/// Executes an approved run from its folder — the built-in baseline in-process, a script as a child
/// process with MLINTERN_RUN_DIR set and its output teed into stdout.log — and records the
/// outcome in run.json. It asks the approval gate again before anything starts, so a run folder
/// forged or edited after approval does not run either.
/// </summary>
internal static class RunExecutor
{
    /// <summary>The smoke test's step cap for the baseline: two epochs.</summary>
    public const int SmokeEpochs = 2;

    public static int Execute(WorkspaceStore store, string runId, TextWriter output, TextWriter errors, CancellationToken cancellationToken = default)
    {
        var found = store.LoadRun(runId);
        if (found is null)
        {
            errors.WriteLine($"error: no run '{runId}' in {store.RunsFolder}");
            return Cli.Commands.Failure;
        }

        // The gate, the binding of run.json to the plan, the signature and the one-time nonce are checked
        // on run.json as it is under the run's lock, and the start is recorded in the same step: two
        // `train --run` of one run (or of two copies of it) cannot both start it.
        var plan = store.LoadPlan(found.Plan.Id);
        string? refused = null;
        string? notApproved = null;
        RunRecord record;
        try
        {
            record = store.UpdateRun(runId, current => Start(current, plan, found.Plan.Id, ref refused, ref notApproved))!;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The key folder or run.json could not be used, and nothing started (no message holds the key).
            errors.WriteLine($"error: launch refused: {e.Message}");
            return Cli.Commands.Failure;
        }

        if (refused is not null)
        {
            errors.WriteLine($"error: launch refused: {refused}");
            return Cli.Commands.Failure;
        }

        if (notApproved is not null)
        {
            errors.WriteLine($"error: run {runId} is {notApproved}; a run executes once — plan and approve a new one");
            return Cli.Commands.Failure;
        }

        var folder = store.RunFolder(runId);
        if (plan!.Remote is { } remote)
        {
            return Submit(store, record, plan, output, errors);
        }

        output.WriteLine($"run {runId}: {record.Approval.Statement} for plan {plan!.Id} ({(plan.Estimate.Hours is { } h ? PlanBuilder.Format(h) + " h" : "unknown estimate")})");
        int exitCode;
        string? error = null;
        try
        {
            // What runs comes from the plan (checked against run.json above), never from run.json alone.
            exitCode = plan.Kind == PlanKind.Baseline
                ? RunBaseline(store, runId, plan, record.Smoke || plan.Smoke, output, cancellationToken)
                : RunScript(record, plan.CommandFor(record.Smoke), folder, output, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            store.UpdateRun(runId, current => current with { Status = RunStatus.Cancelled, EndedAt = DateTimeOffset.UtcNow, ExitCode = 130 });
            return 130;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            errors.WriteLine($"error: run {runId}: {e.Message}");
            error = e.Message;
            exitCode = Cli.Commands.Failure;
        }

        store.UpdateRun(runId, current => current with
        {
            Status = exitCode == 0 ? RunStatus.Succeeded : RunStatus.Failed,
            EndedAt = DateTimeOffset.UtcNow,
            ExitCode = exitCode,
            Error = error,
        });
        return exitCode;
    }

    /// <summary>The start of a run, decided on run.json under its lock: the record to write, with why it was refused or not approved.</summary>
    private static RunRecord? Start(RunRecord current, TrainingPlan? plan, string planId, ref string? refused, ref string? notApproved)
    {
        // A run past "approved" is left as it is (a finished run keeps its outcome, a running one its
        // executor); one set back to "approved" by hand is caught by its used nonce below.
        if (current.Status != RunStatus.Approved)
        {
            notApproved = current.Status;
            return null;
        }

        var reason = plan is null ? $"the plan {planId} is missing" : Refusal(plan, current);

        // Used last, when everything else holds: a refused run leaves its approval unused.
        if (reason is null && !ApprovalSeal.TryUse(current.Approval.Nonce!, $"run {current.Id} of {plan!.Id}"))
        {
            reason = "this approval was already used to start a run (a run executes once; a copied or reset run folder does not run again); approve again";
        }

        if (reason is not null)
        {
            refused = reason;
            return current with { Status = RunStatus.Failed, Error = "launch refused: " + reason, EndedAt = DateTimeOffset.UtcNow };
        }

        // A remote run's process is the scheduler's job, recorded when submitted; the submitting process ends.
        return current with { Status = RunStatus.Running, StartedAt = DateTimeOffset.UtcNow, Process = plan!.Remote is null ? ProcessIdentity.Current() : null };
    }

    /// <summary>An approved remote run: submitted to its scheduler (sbatch / hf jobs); run.json records the job, or why it was not submitted.</summary>
    private static int Submit(WorkspaceStore store, RunRecord record, TrainingPlan plan, TextWriter output, TextWriter errors)
    {
        var kind = MLIntern.Training.Launch.ComputeTarget.KindName(plan.TargetKindOf());
        try
        {
            var job = RemoteRuns.Submit(store, record, plan);
            output.WriteLine($"run {record.Id}: {record.Approval.Statement} for plan {plan.Id}; submitted to {kind} as job {job.JobId} (ceiling ${plan.Remote!.CeilingUsd:F2})");
            return 0;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            errors.WriteLine($"error: run {record.Id}: not submitted: {e.Message}");
            store.UpdateRun(record.Id, current => current with { Status = RunStatus.Failed, EndedAt = DateTimeOffset.UtcNow, ExitCode = Cli.Commands.Failure, Error = $"not submitted to {kind}: {e.Message}" });
            return Cli.Commands.Failure;
        }
    }

    /// <summary>
    /// `train --run ID --in-job`: the built-in baseline of a Slurm run, inside its job. The run must
    /// be the running run this job was submitted for (SLURM_JOB_ID is its recorded job) and hold
    /// everything the executor checked (gate, plan binding, signature, files); the one-time nonce was
    /// used by the submission. Writes metrics, eval.json, predictions and model.bin; the output goes to
    /// the job's output file. The outcome is the job's state, which the host reads.
    /// </summary>
    public static int ExecuteInJob(WorkspaceStore store, string runId, TextWriter output, TextWriter errors, CancellationToken cancellationToken = default)
    {
        var run = store.LoadRun(runId);
        var plan = run is null ? null : store.LoadPlan(run.Plan.Id);
        var jobId = Environment.GetEnvironmentVariable("SLURM_JOB_ID");
        var reason = run is null ? $"no run '{runId}'"
            : plan is null ? $"the plan {run.Plan.Id} is missing"
            : plan.Remote?.Target.Kind != MLIntern.Training.Launch.TargetKind.Slurm || plan.Kind != PlanKind.Baseline ? "the run's plan is not a built-in baseline on Slurm"
            : run.Status != RunStatus.Running || run.Remote is null ? $"the run is {run.Status}, not a submitted job"
            : jobId is null || jobId != run.Remote.JobId ? $"this is not the run's job ({(jobId is null ? "no SLURM_JOB_ID" : "job " + jobId)}, the run's is {run.Remote.JobId})"
            : Refusal(plan, run);
        if (reason is not null)
        {
            errors.WriteLine($"error: launch refused: {reason}");
            return Cli.Commands.Failure;
        }

        output.WriteLine($"run {runId} (Slurm job {jobId}): {run!.Approval.Statement} for plan {plan!.Id}");
        try
        {
            return RunBaseline(store, runId, plan, run.Smoke || plan.Smoke, output, cancellationToken, logFile: false);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            errors.WriteLine($"error: run {runId}: {e.Message}");
            return Cli.Commands.Failure;
        }
    }

    /// <summary>
    /// Why a run must not start, or null: the gate refuses the plan or the approval; run.json names
    /// another plan hash, kind or command (executable, arguments, folder, environment) than the plan
    /// runs; the approval's signature does not hold; a file the plan runs changed since it was hashed.
    /// </summary>
    public static string? Refusal(TrainingPlan plan, RunRecord run)
    {
        var decision = ApprovalGate.Check(plan, run.Approval);
        if (!decision.Allowed)
        {
            return decision.Reason;
        }

        if (plan.Hash != run.Plan.Hash)
        {
            return "run.json names another plan hash than the plan file's";
        }

        if (ApprovalSeal.Refusal(run.Approval) is { } unsigned)
        {
            return unsigned;
        }

        if (run.Kind != plan.RunKind)
        {
            return $"run.json's kind ({run.Kind}) is not the approved plan's ({plan.RunKind})";
        }

        if (plan.Remote is not null && plan.Kind == PlanKind.Script && run.Smoke && !plan.Smoke)
        {
            return "a smoke test of a script planned for a remote target is not the approved job script; plan the smoke test itself (--smoke)";
        }

        var planned = plan.CommandFor(run.Smoke);
        if (run.Command is null || !run.Command.SameAs(planned))
        {
            return $"run.json's command ({run.Command?.CommandLine ?? "none"}) is not the approved plan's ({planned.CommandLine}): its command, folder or environment was changed";
        }

        return PlanFiles.Changed(plan);
    }

    /// <summary>
    /// The editor's task for a run ended (mlintern/runExited). Records how, unless the run already
    /// recorded its own end: exit code 0 succeeded; stopped by the user (<paramref name="cancelled"/>,
    /// no exit code, or 130 = SIGINT) cancelled; anything else failed. Null when there is no such run.
    /// </summary>
    public static RunRecord? RecordTaskExit(WorkspaceStore store, string runId, int? exitCode, bool cancelled) =>
        store.UpdateRun(runId, run =>
        {
            if (RunStatus.IsFinal(run.Status))
            {
                return null;
            }

            var status = exitCode == 0 ? RunStatus.Succeeded : cancelled || exitCode is null or 130 ? RunStatus.Cancelled : RunStatus.Failed;
            return run with { Status = status, ExitCode = exitCode, EndedAt = DateTimeOffset.UtcNow };
        });

    /// <param name="logFile">Whether to write stdout.log (in a Slurm job the scheduler writes it from the output).</param>
    private static int RunBaseline(WorkspaceStore store, string runId, TrainingPlan plan, bool smoke, TextWriter output, CancellationToken cancellationToken, bool logFile = true)
    {
        var folder = store.RunFolder(runId);
        var splits = DataSets.Discover(plan.DataPath);
        if (plan.TextColumn is null || plan.LabelColumn is null)
        {
            throw new InvalidOperationException($"{plan.DataPath}: no text or label column found; pass --text and --label");
        }

        var seed = plan.Hyperparameters.TryGetValue("seed", out var s) && int.TryParse(s, CultureInfo.InvariantCulture, out var parsed) ? parsed : 42;
        var train = splits.FirstOrDefault(x => x.Name == "train") ?? splits.FirstOrDefault(x => x.Name == "all") ?? throw new InvalidOperationException($"{plan.DataPath}: no train split");
        var test = splits.FirstOrDefault(x => x.Name == "test") ?? splits.FirstOrDefault(x => x.Name is "validation" or "valid" or "val" or "dev");
        var trainRows = LabeledRows.Read(train, plan.TextColumn, plan.LabelColumn, cancellationToken: cancellationToken);
        var testRows = test is null ? null : LabeledRows.Read(test, plan.TextColumn, plan.LabelColumn, cancellationToken: cancellationToken);
        var options = new BaselineOptions(Seed: seed, MaxTrainRows: smoke ? 64 : null, MaxEpochs: smoke ? SmokeEpochs : 30);

        // metrics.jsonl and stdout.log are streams read while they grow (the editor tails them), so they
        // are appended line by line rather than replaced whole; every other output is written atomically.
        using var metrics = new StreamWriter(Path.Combine(folder, "metrics.jsonl"), append: false) { AutoFlush = true };
        using var log = logFile ? new StreamWriter(Path.Combine(folder, "stdout.log"), append: false) { AutoFlush = true } : null;
        void Say(string line)
        {
            output.WriteLine(line);
            log?.WriteLine(line);
        }

        if (plan.Hyperparameters.TryGetValue("baseline", out var kind) && kind == "encoder")
        {
            return RunEncoder(store, runId, trainRows, testRows, options, metrics, Say, cancellationToken);
        }

        Say($"training the baseline on {trainRows.Count} rows ({plan.TextColumn} → {plan.LabelColumn}), seed {seed}{(smoke ? ", smoke test" : "")}");
        var result = BaselineTrainer.Run(trainRows, testRows, options, epoch =>
        {
            metrics.WriteLine(Line(new JObject { ["step"] = epoch.Epoch, ["epoch"] = epoch.Epoch, ["split"] = "train", ["loss"] = Round(epoch.Loss), ["accuracy"] = Round(epoch.Accuracy) }));
            Say($"epoch {epoch.Epoch}: loss {epoch.Loss:F4}, train accuracy {epoch.Accuracy:F4}, {epoch.ActiveClasses} classes still moving");
        }, cancellationToken);

        var last = result.Epochs.Count;
        metrics.WriteLine(Line(new JObject { ["step"] = last, ["epoch"] = last, ["split"] = "test", ["accuracy"] = Round(result.Eval.Accuracy), ["macro_f1"] = Round(result.Eval.MacroF1) }));
        store.WriteRunFile(runId, WorkspaceStore.EvalFile, EvalJson(result).ToString(Formatting.Indented) + "\n");
        WritePredictions(store, runId, result.Predictions);
        store.WriteRunFile(runId, "model.bin", result.Model.Save);

        Say($"test ({result.SplitSource}, {result.TestRows} rows): accuracy {result.Eval.Accuracy:F4}, macro-F1 {result.Eval.MacroF1:F4}; trained in {result.TrainSeconds:F2} s");
        return 0;
    }

    /// <summary>
    /// The encoder baseline: embeddings (cached per content hash in .mlintern/cache/embeddings) and a
    /// logistic-regression head; eval.json and predictions.jsonl (softmax probabilities) as the TF-IDF
    /// baseline writes them, so `mlintern evaluate` reads either; model.bin is the EncoderModel (head, which encoder, the TF-IDF SVM when the head reads it).
    /// </summary>
    private static int RunEncoder(WorkspaceStore store, string runId, LabeledRows trainRows, LabeledRows? testRows, BaselineOptions options, StreamWriter metrics, Action<string> say, CancellationToken cancellationToken)
    {
        using var encoder = new Encoder.BuiltInEncoder();
        say($"training the encoder baseline ({Encoder.BuiltInEncoder.ModelId}, {encoder.Weights} weights, frozen, + logistic regression) on {trainRows.Count} rows, seed {options.Seed}");
        var result = MLIntern.Training.Encoder.EncoderBaseline.Run(trainRows, testRows, options, texts => encoder.Embed(store, texts, say, cancellationToken), cancellationToken: cancellationToken, searchCache: new MLIntern.Training.Encoder.HeadSearchCache(store.ReadHeadSearch, store.WriteHeadSearch), weights: encoder.Weights);
        metrics.WriteLine(Line(new JObject { ["step"] = result.Iterations, ["epoch"] = 1, ["split"] = "test", ["accuracy"] = Round(result.Eval.Accuracy), ["macro_f1"] = Round(result.Eval.MacroF1) }));
        var eval = EvalJson(result.Eval, result.SplitSource, result.TrainRows, result.TestRows);
        eval["model"] = Encoder.BuiltInEncoder.ModelId;
        eval["weights"] = result.Model.Weights;
        eval["head"] = new JObject
        {
            ["c"] = result.Model.C,
            ["tfidf_scale"] = result.Model.TfidfScale,
            ["cross_validation"] = new JArray(result.Candidates.Select(x => new JObject { ["c"] = x.C, ["tfidf_scale"] = x.TfidfScale, ["macro_f1"] = Round(x.CvMacroF1) })),
        };
        store.WriteRunFile(runId, WorkspaceStore.EvalFile, eval.ToString(Formatting.Indented) + "\n");
        WritePredictions(store, runId, result.Predictions);
        store.WriteRunFile(runId, "model.bin", result.Model.Save);

        if (result.SearchFromCache)
        {
            say("head cross-validation from the cache, and the head it chose (the same rows, embeddings, labels and seed as a previous run)");
        }

        foreach (var candidate in result.Candidates)
        {
            say($"head cross-validation ({MLIntern.Training.Encoder.EncoderBaseline.Folds} folds): C {candidate.C}, TF-IDF scores {(candidate.TfidfScale > 0 ? $"× {candidate.TfidfScale}" : "not used")}: macro-F1 {candidate.CvMacroF1:F4}");
        }

        say($"head: C {result.Model.C}, {(result.Model.Tfidf is null ? "embedding only" : $"embedding + TF-IDF SVM scores × {result.Model.TfidfScale}")}");
        say($"test ({result.SplitSource}, {result.TestRows} rows): accuracy {result.Eval.Accuracy:F4}, macro-F1 {result.Eval.MacroF1:F4}; head trained in {result.TrainSeconds:F2} s ({result.Iterations} L-BFGS iterations)");
        return 0;
    }

    /// <summary>predictions.jsonl of a built-in baseline (either kind), atomically, every text redacted by the one secret detector.</summary>
    private static void WritePredictions(WorkspaceStore store, string runId, IEnumerable<MLIntern.Training.Baseline.Prediction> rows) =>
        store.WriteRunFile(runId, "predictions.jsonl", stream =>
        {
            using var predictions = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 64 * 1024, leaveOpen: true);
            foreach (var p in rows)
            {
                predictions.WriteLine(Line(new JObject { ["text"] = MLIntern.Findings.Secrets.Redact(p.Text), ["label"] = p.Label, ["predicted"] = p.Predicted, ["scores"] = JObject.FromObject(p.Scores) }));
            }
        });

    /// <summary>eval.json: accuracy, macro_f1, per_class {precision, recall, f1, support}, confusion_matrix {labels, matrix} (rows: true label).</summary>
    public static JObject EvalJson(BaselineResult result) => EvalJson(result.Eval, result.SplitSource, result.TrainRows, result.TestRows);

    public static JObject EvalJson(MLIntern.Training.Evaluation.EvalReport report, string splitSource, int trainRows, int testRows)
    {
        var perClass = new JObject();
        foreach (var (label, scores) in report.PerClass)
        {
            perClass[label] = new JObject { ["precision"] = Round(scores.Precision), ["recall"] = Round(scores.Recall), ["f1"] = Round(scores.F1), ["support"] = scores.Support };
        }

        return new JObject
        {
            ["accuracy"] = Round(report.Accuracy),
            ["macro_f1"] = Round(report.MacroF1),
            ["per_class"] = perClass,
            ["confusion_matrix"] = new JObject { ["labels"] = new JArray(report.Labels), ["matrix"] = JArray.FromObject(report.ConfusionMatrix) },
            ["split"] = splitSource,
            ["train_rows"] = trainRows,
            ["test_rows"] = testRows,
        };
    }

    private static double Round(double value) => Math.Round(value, 6);

    private static string Line(JObject value) => value.ToString(Formatting.None);

    /// <param name="command">The plan's command — never run.json's, which is only compared with it.</param>
    private static int RunScript(RunRecord record, MLIntern.Training.Launch.LaunchCommand command, string folder, TextWriter output, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(command.Executable)
        {
            WorkingDirectory = command.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in command.Environment)
        {
            info.Environment[key] = value;
        }

        info.Environment["MLINTERN_RUN_DIR"] = folder;
        info.Environment["MLINTERN_RUN_ID"] = record.Id;
        info.Environment["PYTHONUNBUFFERED"] = "1";

        using var log = new StreamWriter(Path.Combine(folder, "stdout.log"), append: true) { AutoFlush = true };
        var gate = new object();
        void Tee(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (gate)
            {
                output.WriteLine(line);
                log.WriteLine(line);
            }
        }

        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Tee(e.Data);
        process.ErrorDataReceived += (_, e) => Tee(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using (cancellationToken.Register(() =>
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
        }))
        {
            process.WaitForExit();
        }

        cancellationToken.ThrowIfCancellationRequested();
        return process.ExitCode;
    }
}
