using MLIntern.Server.Runs;
using Core = MLIntern.Training;

namespace MLIntern.Server.Protocol;

// The training family: mlintern/planTraining, approveRun, startRun, runExited, generateScript,
// listRuns, getRun and the mlintern/metrics notification. Every answer is mapped here by hand from
// the core records, so renaming a property in MLIntern.Training changes run.json, never the wire.

/// <summary>Parameters every training method may carry: the workspace folder (path or file URI) holding .mlintern/.</summary>
internal class WorkspaceParams
{
    public string? WorkspaceFolder { get; set; }
}

internal sealed class PlanTrainingParams : WorkspaceParams
{
    /// <summary>The script (path or file URI); omitted for the built-in baseline.</summary>
    public string? Script { get; set; }

    public string? Data { get; set; }

    public string? TextColumn { get; set; }

    public string? LabelColumn { get; set; }

    public string? Model { get; set; }

    public double? Epochs { get; set; }

    public int? MaxLength { get; set; }

    public string? Hardware { get; set; }

    public string? Target { get; set; }

    public int? Processes { get; set; }

    public string? Python { get; set; }

    public int? Seed { get; set; }

    /// <summary>Which built-in baseline a plan without a script trains: "tfidf" (the default; TF-IDF + linear SVM) or "encoder" (all-MiniLM-L6-v2 + logistic regression).</summary>
    public string? Baseline { get; set; }

    public bool Smoke { get; set; }
}

/// <summary>The figures the approver saw: the plan's hash, hours and cost (absent when unknown).</summary>
internal sealed class PlanFigures
{
    public string? PlanHash { get; set; }

    public double? Hours { get; set; }

    public double? CostUsd { get; set; }
}

internal sealed class ApproveRunParams : WorkspaceParams
{
    public string? PlanId { get; set; }

    public PlanFigures? Figures { get; set; }

    public bool AcceptOverBudget { get; set; }

    public bool AcceptUnknownEstimate { get; set; }
}

internal sealed class StartRunParams : WorkspaceParams
{
    public string? PlanId { get; set; }

    public string? ApprovalToken { get; set; }

    public bool Smoke { get; set; }
}

internal sealed class RunParams : WorkspaceParams
{
    public string? RunId { get; set; }

    public int? ExitCode { get; set; }

    /// <summary>runExited: the user stopped the task (the extension also sends no exitCode then).</summary>
    public bool? Cancelled { get; set; }
}

internal sealed class GenerateScriptParams : WorkspaceParams
{
    public string? Data { get; set; }

    /// <summary>Where the script would go (path or file URI); default: train_&lt;data set&gt;.py in the workspace, a name not taken.</summary>
    public string? Output { get; set; }

    public string? Model { get; set; }

    public string? TextColumn { get; set; }

    public string? LabelColumn { get; set; }

    public int? Epochs { get; set; }
}

/// <summary>The figures an approval repeats back, as planTraining answers them.</summary>
internal sealed record ApprovalFigures(string PlanHash, double? Hours, double? CostUsd)
{
    public static ApprovalFigures From(Core.Plans.TrainingPlan plan) => new(plan.Hash, plan.Estimate.Hours, plan.Estimate.CostUsd);
}

/// <summary>mlintern/planTraining's answer: the plan, where it was written, its verdict, and the approval dialog the editor shows.</summary>
internal sealed record PlanTrainingResult(
    string PlanId,
    string MarkdownPath,
    string JsonPath,
    string Markdown,
    ApprovalFigures Figures,
    bool OverBudget,
    IReadOnlyList<string> OverBudgetReasons,
    bool EstimateKnown,
    string? UnknownBecause,
    IReadOnlyList<PlanFinding> Findings,
    TrainingPlan Plan,
    StepCount Steps,
    ApprovalPrompt ApprovalPrompt,
    IReadOnlyList<ComputeTargetInfo> Targets);

/// <summary>A configured compute target the editor offers in "Launch Training…": its name (planTraining's `target`), kind and a one-line description.</summary>
internal sealed record ComputeTargetInfo(string Name, string Kind, string Description)
{
    public static ComputeTargetInfo From(Core.Launch.ComputeTarget t) => new(
        t.Name,
        Core.Launch.ComputeTarget.KindName(t.Kind),
        t.Kind == Core.Launch.TargetKind.Slurm
            ? $"Slurm partition {t.Partition ?? "(default)"}, {t.Gpus} GPU(s), {Math.Max(1, t.Cpus)} CPU(s), --time {(t.TimeMinutes is { } m ? Core.Launch.ComputeTarget.SlurmTime(m) : "unset")}, {(t.Price is { } p ? $"${p:0.###} per {(t.Unit == Core.Launch.PriceUnit.GpuHour ? "GPU-hour" : "node-hour")}" : "no price")}"
            : $"HF Jobs flavor {t.Flavor ?? "unset"}, timeout {(t.TimeMinutes is { } tm ? tm + " min" : "unset")}");
}

/// <summary>Where a plan runs when not here: the target, the price per hour of what it holds, the cost ceiling and the submission the approval shows.</summary>
internal sealed record RemotePlan(string Kind, string Name, double PricePerHour, double CeilingHours, double CeilingUsd, string Submission, string? Header, string? PriceSource)
{
    public static RemotePlan From(Core.Launch.TargetPlan r) =>
        new(Core.Launch.ComputeTarget.KindName(r.Target.Kind), r.Target.Name, r.PricePerHour, r.CeilingHours, r.CeilingUsd, r.Submission, r.Header, r.PriceSource);
}

/// <summary>A run's job on a scheduler: target kind, job id, cluster, the state last read and its reason.</summary>
internal sealed record RemoteJob(string Target, string JobId, string? Cluster, string? State, string? Reason, DateTimeOffset? CheckedAt)
{
    public static RemoteJob? From(Core.Runs.RemoteJob? j) => j is null ? null : new(j.Target, j.JobId, j.Cluster, j.State, j.Reason, j.CheckedAt);
}

/// <summary>A finding about the plan (MLI602 over budget) and where it points in the plan's markdown.</summary>
internal sealed record PlanFinding(string Code, string Message, string Location);

/// <summary>What the plan runs: the plan file's content as the editor shows it.</summary>
internal sealed record TrainingPlan(
    PlanKind Kind,
    string Title,
    string? Script,
    string DataPath,
    string? TextColumn,
    string? LabelColumn,
    int Classes,
    string? Model,
    long? Parameters,
    string? ParametersSource,
    IReadOnlyDictionary<string, string> Hyperparameters,
    TokenEstimate? Tokens,
    ComputeEstimate Estimate,
    Budget Budget,
    IReadOnlyList<string> OverBudgetReasons,
    LaunchCommand Command,
    bool Smoke,
    bool OverBudget,
    IReadOnlyList<PlanFile> Files,
    string Hash,
    string Id,
    string RunKind,
    RemotePlan? Remote)
{
    public static TrainingPlan From(Core.Plans.TrainingPlan p) => new(
        p.Kind switch { Core.Plans.PlanKind.Baseline => PlanKind.Baseline, _ => PlanKind.Script },
        p.Title,
        p.Script,
        p.DataPath,
        p.TextColumn,
        p.LabelColumn,
        p.Classes,
        p.Model,
        p.Parameters,
        p.ParametersSource,
        p.Hyperparameters,
        p.Tokens is { } t ? TokenEstimate.From(t) : null,
        ComputeEstimate.From(p.Estimate),
        new Budget(p.Budget.MaxHours, p.Budget.MaxCostUsd),
        p.OverBudgetReasons,
        LaunchCommand.From(p.Command),
        p.Smoke,
        p.OverBudget,
        [.. p.Files.Select(f => new PlanFile(f.Path, f.Sha256))],
        p.Hash,
        p.Id,
        p.RunKind,
        p.Remote is { } remote ? RemotePlan.From(remote) : null);
}

/// <summary>A file the plan runs and the SHA-256 of its content when planned: an approval covers exactly these bytes.</summary>
internal sealed record PlanFile(string Path, string Sha256);

/// <summary>What a plan runs: a Python script, or the built-in baseline trainer.</summary>
internal enum PlanKind
{
    Script,
    Baseline,
}

internal sealed record TokenEstimate(long TrainRows, long EvalRows, double MeanTokens, int MaxLength, double Epochs, double TrainTokens, double EvalTokens, string Basis)
{
    public static TokenEstimate From(Core.Plans.TokenEstimate t) => new(t.TrainRows, t.EvalRows, t.MeanTokens, t.MaxLength, t.Epochs, t.TrainTokens, t.EvalTokens, t.Basis);
}

/// <summary>The compute estimate; <see cref="Known"/> false means hours and cost are absent and approving needs the explicit override.</summary>
internal sealed record ComputeEstimate(
    bool Known,
    string? UnknownBecause,
    double? Flops,
    string Formula,
    string HardwareId,
    string HardwareName,
    double EffectiveFlops,
    double? Hours,
    double PricePerHour,
    double? CostUsd)
{
    public static ComputeEstimate From(Core.Plans.ComputeEstimate e) =>
        new(e.Known, e.UnknownBecause, e.Flops, e.Formula, e.HardwareId, e.HardwareName, e.EffectiveFlops, e.Hours, e.PricePerHour, e.CostUsd);
}

internal sealed record Budget(double? MaxHours, double? MaxCostUsd);

/// <summary>A command: executable, arguments, working directory, the environment it adds, and the whole as a POSIX shell line.</summary>
internal sealed record LaunchCommand(string Executable, IReadOnlyList<string> Arguments, string WorkingDirectory, IReadOnlyDictionary<string, string> Environment, string CommandLine)
{
    public static LaunchCommand From(Core.Launch.LaunchCommand c) => new(c.Executable, c.Arguments, c.WorkingDirectory, c.Environment, c.CommandLine);
}

/// <summary>The number of optimizer steps when the plan says enough to know it (<see cref="Count"/>), and how it was counted.</summary>
internal sealed record StepCount(long? Count, string Description)
{
    public static StepCount From(StepEstimate s) => new(s.Count, s.Description);
}

/// <summary>Whether the approval dialog informs or warns.</summary>
internal enum PromptKind
{
    Info,
    Warning,
}

/// <summary>
/// The approval dialog for a plan: its title line, its detail (warnings, the figures, what approving
/// records), the one button that approves, and what choosing it accepts explicitly (sent back to approveRun).
/// </summary>
internal sealed record ApprovalPrompt(PromptKind Kind, string Message, string Detail, string Action, bool AcceptOverBudget, bool AcceptUnknownEstimate, IReadOnlyList<string> FigureLines)
{
    public static ApprovalPrompt From(Runs.ApprovalPrompt p) =>
        new(p.Warning ? PromptKind.Warning : PromptKind.Info, p.Message, p.Detail, p.Action, p.AcceptOverBudget, p.AcceptUnknownEstimate, p.FigureLines);
}

/// <summary>mlintern/approveRun's answer: a single-use token for startRun, and the approval as run.json will record it.</summary>
internal sealed record ApproveRunResult(string ApprovalToken, Approval Approval);

/// <summary>A recorded decision to run a plan: who, which figures, when, through what, and which overrides were accepted.</summary>
internal sealed record Approval(
    string ApprovedBy,
    string PlanId,
    string PlanHash,
    double? Hours,
    double? CostUsd,
    DateTimeOffset At,
    string Via,
    bool AcceptedOverBudget,
    bool AcceptedUnknownEstimate,
    string Statement)
{
    public static Approval From(Core.Runs.Approval a) =>
        new(a.ApprovedBy, a.PlanId, a.PlanHash, a.Hours, a.CostUsd, a.At, a.Via, a.AcceptedOverBudget, a.AcceptedUnknownEstimate, a.Statement);
}

/// <summary>mlintern/startRun's answer: the run folder and the task the extension runs (the sidecar spawns nothing).</summary>
internal sealed record StartRunResult(string RunId, string RunDir, RunTask Task, string CommandLine, RunRecord Run);

/// <summary>The task's process: what a VS Code ProcessExecution needs.</summary>
internal sealed record RunTask(string Command, IReadOnlyList<string> Args, string Cwd, IReadOnlyDictionary<string, string> Env)
{
    public static RunTask From(Core.Launch.LaunchCommand c) => new(c.Executable, c.Arguments, c.WorkingDirectory, c.Environment);
}

/// <summary>A run as run.json holds it; <see cref="Final"/> says whether its status can still change.</summary>
internal sealed record RunRecord(
    string Id,
    string Kind,
    string Title,
    LaunchCommand Command,
    string CommandLine,
    PlanReference Plan,
    Approval Approval,
    string Status,
    bool Final,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    int? ExitCode,
    bool Smoke,
    string? Error,
    IReadOnlyList<RunPublication>? Publications,
    RemoteJob? Remote)
{
    public static RunRecord From(Core.Runs.RunRecord r) => new(
        r.Id,
        r.Kind,
        r.Title,
        LaunchCommand.From(r.Command),
        r.CommandLine,
        PlanReference.From(r.Plan),
        Approval.From(r.Approval),
        r.Status,
        Core.Runs.RunStatus.IsFinal(r.Status),
        r.CreatedAt,
        r.StartedAt,
        r.EndedAt,
        r.ExitCode,
        r.Smoke,
        r.Error,
        r.Publications is { } publications ? [.. publications.Select(RunPublication.From)] : null,
        RemoteJob.From(r.Remote));
}

/// <summary>The plan a run carries: its id, hash, file and the approved figures.</summary>
internal sealed record PlanReference(string Id, string Hash, string Path, double? Flops, double? Hours, double? CostUsd, bool OverBudget, bool EstimateKnown)
{
    public static PlanReference From(Core.Runs.PlanReference p) => new(p.Id, p.Hash, p.Path, p.Flops, p.Hours, p.CostUsd, p.OverBudget, p.EstimateKnown);
}

/// <summary>A publish approval as run.json records it ("publications"), shown with the run.</summary>
internal sealed record RunPublication(
    string Id,
    string ApprovedBy,
    string Via,
    DateTimeOffset ApprovedAt,
    string RepoId,
    string RepoType,
    bool Private,
    string Folder,
    string FileListHash,
    int Files,
    long TotalBytes,
    string CommitMessage,
    DateTimeOffset? UsedAt,
    int? ExitCode)
{
    public static RunPublication From(Core.Release.PublishApproval p) =>
        new(p.Id, p.ApprovedBy, p.Via, p.ApprovedAt, p.RepoId, p.RepoType, p.Private, p.Folder, p.FileListHash, p.Files, p.TotalBytes, p.CommitMessage, p.UsedAt, p.ExitCode);
}

/// <summary>A run as the Runs view lists it (runExited and listRuns).</summary>
internal sealed record RunSummary(
    string Id,
    string Title,
    string Kind,
    string Status,
    bool Final,
    bool Smoke,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    int? ExitCode,
    string PlanId,
    string RunDir,
    string? Error,
    RemoteJob? Remote)
{
    public static RunSummary From(Core.Runs.RunRecord r, string runDir) =>
        new(r.Id, r.Title, r.Kind, r.Status, Core.Runs.RunStatus.IsFinal(r.Status), r.Smoke, r.CreatedAt, r.StartedAt, r.EndedAt, r.ExitCode, r.Plan.Id, runDir, r.Error, RemoteJob.From(r.Remote));
}

/// <summary>mlintern/listRuns' answer: the workspace's runs, newest first.</summary>
internal sealed record ListRunsResult(IReadOnlyList<RunSummary> Runs);

/// <summary>mlintern/getRun's answer: run.json, every metric point so far, eval.json and predictions when written.</summary>
/// <param name="Eval">
/// eval.json as the run wrote it. Free-form on purpose: a training script writes its own eval.json,
/// with keys of its choosing; <paramref name="Evaluation"/> is what the sidecar could read of it.
/// </param>
/// <param name="Evaluation">The figures of eval.json the editor shows (absent when it has none of them).</param>
internal sealed record GetRunResult(RunRecord Run, string RunDir, IReadOnlyList<MetricPoint> Metrics, object? Eval, RunEvaluation? Evaluation, string? PredictionsPath);

/// <summary>
/// A run's evaluation as the Metrics panel shows it, read from eval.json (the baseline's keys, which
/// the generated Trainer scripts write too: accuracy, macro_f1, per_class, confusion_matrix, split, test_rows).
/// </summary>
internal sealed record RunEvaluation(double? Accuracy, double? MacroF1, IReadOnlyList<ClassScores> PerClass, ConfusionMatrix? Confusion, string? Split, double? TestRows)
{
    /// <summary>A class whose F1 is below this is weak: the panel marks its row.</summary>
    public const double WeakF1 = 0.5;

    /// <summary>What eval.json says that the panel can show; null when it says none of it (no accuracy, macro-F1 or per-class scores).</summary>
    public static RunEvaluation? From(Newtonsoft.Json.Linq.JObject? eval)
    {
        if (eval is null)
        {
            return null;
        }

        List<ClassScores> perClass = [];
        if (eval["per_class"] is Newtonsoft.Json.Linq.JObject classes)
        {
            foreach (var (label, value) in classes)
            {
                if (value is Newtonsoft.Json.Linq.JObject s)
                {
                    var f1 = Number(s["f1"]) ?? 0;
                    perClass.Add(new ClassScores(label, Number(s["precision"]) ?? 0, Number(s["recall"]) ?? 0, f1, Number(s["support"]) ?? 0, f1 < WeakF1));
                }
            }
        }

        var accuracy = Number(eval["accuracy"]);
        var macroF1 = Number(eval["macro_f1"]);
        if (accuracy is null && macroF1 is null && perClass.Count == 0)
        {
            return null;
        }

        var split = eval["split"] is Newtonsoft.Json.Linq.JValue { Type: Newtonsoft.Json.Linq.JTokenType.String } text ? (string?)text : null;
        return new RunEvaluation(accuracy, macroF1, perClass, ReadConfusion(eval["confusion_matrix"]), split, Number(eval["test_rows"]));
    }

    /// <summary>The matrix when it is square over its labels (rows: true label); a ragged one is left out.</summary>
    private static ConfusionMatrix? ReadConfusion(Newtonsoft.Json.Linq.JToken? token)
    {
        if (token is not Newtonsoft.Json.Linq.JObject { } cm || cm["labels"] is not Newtonsoft.Json.Linq.JArray labels || cm["matrix"] is not Newtonsoft.Json.Linq.JArray matrix)
        {
            return null;
        }

        List<IReadOnlyList<double>> rows = [.. matrix.OfType<Newtonsoft.Json.Linq.JArray>().Select(row => row.Select(n => Number(n) ?? 0).ToList())];
        return rows.Count == labels.Count && rows.All(r => r.Count == labels.Count) ? new ConfusionMatrix([.. labels.Select(l => l.ToString())], rows) : null;
    }

    private static double? Number(Newtonsoft.Json.Linq.JToken? token) =>
        token is Newtonsoft.Json.Linq.JValue { Type: Newtonsoft.Json.Linq.JTokenType.Float or Newtonsoft.Json.Linq.JTokenType.Integer } value && double.IsFinite((double)value) ? (double)value : null;
}

/// <summary>One class's scores; <see cref="Weak"/> when its F1 is below <see cref="RunEvaluation.WeakF1"/>.</summary>
internal sealed record ClassScores(string Label, double Precision, double Recall, double F1, double Support, bool Weak);

/// <summary>Counts by true label (rows) and predicted label (columns), over <see cref="Labels"/>.</summary>
internal sealed record ConfusionMatrix(IReadOnlyList<string> Labels, IReadOnlyList<IReadOnlyList<double>> Matrix);

/// <summary>One logged step: step and epoch when known, the split, and the metric values by name.</summary>
internal sealed record MetricPoint(long? Step, double? Epoch, string Split, IReadOnlyDictionary<string, double> Values)
{
    public static MetricPoint From(Core.Metrics.MetricPoint p) => new(p.Step, p.Epoch, p.Split, p.Values);

    public static IReadOnlyList<MetricPoint> From(IEnumerable<Core.Metrics.MetricPoint> points) => [.. points.Select(From)];
}

/// <summary>mlintern/metrics: new points of a live run, sent as they are logged.</summary>
internal sealed record MetricsNotification(string RunId, IReadOnlyList<MetricPoint> Points);

/// <summary>mlintern/generateScript's answer: where the script would go and its text (nothing is written).</summary>
internal sealed record GenerateScriptResult(string Path, string Text, bool Exists);
