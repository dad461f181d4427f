using MLIntern.Training.Plans;
using MLIntern.Training.Runs;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using Newtonsoft.Json.Serialization;

namespace MLIntern.Server.Runs;

/// <summary>
/// The `.mlintern/` folder of a workspace: plans (`plans/&lt;id&gt;.md` + `.json`) and runs
/// (`runs/&lt;id&gt;/run.json`, metrics.jsonl, stdout.log, eval.json, predictions.jsonl, model.bin).
/// Creating a run folder goes through the approval gate: <see cref="CreateRun"/> is the only way
/// a run.json comes into being.
/// </summary>
internal sealed class TrainingStore(string workspace)
{
    public static readonly JsonSerializerSettings Json = new()
    {
        ContractResolver = new DefaultContractResolver { NamingStrategy = new CamelCaseNamingStrategy { ProcessDictionaryKeys = false } },
        Converters = { new StringEnumConverter(new CamelCaseNamingStrategy()) },
        Formatting = Formatting.Indented,
        NullValueHandling = NullValueHandling.Ignore,
        DateParseHandling = DateParseHandling.DateTimeOffset,
    };

    public string Workspace { get; } = Path.GetFullPath(workspace);

    public string PlansFolder => Path.Combine(Workspace, ".mlintern", "plans");

    public string RunsFolder => Path.Combine(Workspace, ".mlintern", "runs");

    public string PlanJsonPath(string planId) => Path.Combine(PlansFolder, planId + ".json");

    public string PlanMarkdownPath(string planId) => Path.Combine(PlansFolder, planId + ".md");

    public string RunFolder(string runId) => RunIds.IsValid(runId) ? Path.Combine(RunsFolder, runId) : throw new ArgumentException($"'{runId}' is not a run id");

    public void SavePlan(TrainingPlan plan)
    {
        Directory.CreateDirectory(PlansFolder);
        File.WriteAllText(PlanJsonPath(plan.Id), JsonConvert.SerializeObject(plan, Json) + "\n");
        File.WriteAllText(PlanMarkdownPath(plan.Id), PlanMarkdown.Render(plan));
    }

    /// <summary>The plan saved under an id, or null. A plan whose content no longer matches its hash still loads; the gate refuses it.</summary>
    public TrainingPlan? LoadPlan(string planId)
    {
        if (!RunIds.IsValid(planId) || !File.Exists(PlanJsonPath(planId)))
        {
            return null;
        }

        return JsonConvert.DeserializeObject<TrainingPlan>(File.ReadAllText(PlanJsonPath(planId)), Json);
    }

    /// <summary>
    /// Creates the run folder with run.json for an approved plan. Asks the gate first and throws
    /// <see cref="ApprovalRefusedException"/> when it refuses: no folder, no run.
    /// </summary>
    public RunRecord CreateRun(TrainingPlan plan, Approval? approval, Func<string, MLIntern.Training.Launch.LaunchCommand> command, bool smoke)
    {
        var decision = ApprovalGate.Check(plan, approval);
        if (!decision.Allowed)
        {
            throw new ApprovalRefusedException(decision.Reason);
        }

        var now = DateTimeOffset.UtcNow;
        string id;
        do
        {
            id = RunIds.New(now);
        }
        while (Directory.Exists(Path.Combine(RunsFolder, id)));

        var folder = RunFolder(id);
        Directory.CreateDirectory(folder);
        var launch = command(folder);
        var record = new RunRecord(
            id,
            plan.Kind == PlanKind.Baseline ? "baseline" : "script",
            (smoke && !plan.Smoke ? "Smoke test: " : "") + plan.Title,
            launch,
            launch.ToString(),
            new PlanReference(plan.Id, plan.Hash, PlanJsonPath(plan.Id), plan.Estimate.Flops, plan.Estimate.Hours, plan.Estimate.CostUsd, plan.OverBudget, plan.Estimate.Known),
            approval!,
            RunStatus.Approved,
            now,
            Smoke: smoke || plan.Smoke);
        SaveRun(record);
        return record;
    }

    public void SaveRun(RunRecord record)
    {
        var folder = RunFolder(record.Id);
        var temporary = Path.Combine(folder, "run.json.tmp");
        File.WriteAllText(temporary, JsonConvert.SerializeObject(record, Json) + "\n");
        File.Move(temporary, Path.Combine(folder, "run.json"), overwrite: true);
    }

    public RunRecord? LoadRun(string runId)
    {
        if (!RunIds.IsValid(runId))
        {
            return null;
        }

        var path = Path.Combine(RunFolder(runId), "run.json");
        try
        {
            return File.Exists(path) ? JsonConvert.DeserializeObject<RunRecord>(File.ReadAllText(path), Json) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Every run with a readable run.json, newest first (at most 500).</summary>
    public IReadOnlyList<RunRecord> ListRuns()
    {
        if (!Directory.Exists(RunsFolder))
        {
            return [];
        }

        return [.. Directory.EnumerateDirectories(RunsFolder)
            .Select(Path.GetFileName)
            .OrderDescending(StringComparer.Ordinal)
            .Take(500)
            .Select(id => LoadRun(id!))
            .OfType<RunRecord>()];
    }
}

/// <summary>The approval gate said no; the message says why.</summary>
internal sealed class ApprovalRefusedException(string reason) : Exception($"launch refused: {reason}");
