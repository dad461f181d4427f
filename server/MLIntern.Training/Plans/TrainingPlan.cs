using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MLIntern.Training.Plans;

/// <summary>What to run: a Python script, or the built-in baseline trainer.</summary>
public enum PlanKind
{
    Script,
    Baseline,
}

/// <summary>The compute budget: from settings (`mlintern.compute.maxHours`, `maxCostUsd`) or pyproject.toml [tool.mlintern.compute].</summary>
public sealed record Budget(double? MaxHours, double? MaxCostUsd)
{
    public static Budget Default { get; } = new(4, 10);
}

/// <summary>The tokens a run processes and how they were counted.</summary>
public sealed record TokenEstimate(long TrainRows, long EvalRows, double MeanTokens, int MaxLength, double Epochs, double TrainTokens, double EvalTokens, string Basis);

/// <summary>
/// The compute estimate. <see cref="Known"/> is false when a figure it needs (the model's size, the
/// data set's rows) is missing; then Hours and CostUsd are null and the approval gate refuses
/// unless the approver overrides explicitly.
/// </summary>
public sealed record ComputeEstimate(
    bool Known,
    string? UnknownBecause,
    double? Flops,
    string Formula,
    string HardwareId,
    string HardwareName,
    double EffectiveFlops,
    double? Hours,
    double PricePerHour,
    double? CostUsd);

/// <summary>
/// A training plan: what runs (command, data, model, hyperparameters), the estimate, the budget
/// and the verdict. <see cref="Hash"/> covers everything an approver looks at, so an approval is
/// for exactly these figures; <see cref="Id"/> is derived from it.
/// </summary>
public sealed record TrainingPlan(
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
    Launch.LaunchCommand Command,
    bool Smoke)
{
    public bool OverBudget => OverBudgetReasons.Count > 0;

    /// <summary>
    /// The files the run executes (the script; a config file the command names), each with the SHA-256
    /// of its content when planned. The hash covers them, so an approval is for this code: a file
    /// edited after approval makes the executor refuse.
    /// </summary>
    public IReadOnlyList<PlanFile> Files { get; init; } = [];

    public string Hash { get; init; } = "";

    /// <summary>
    /// Where the plan runs when not on this machine: the Slurm or HF Jobs target, its price, the cost
    /// ceiling and the submission (sbatch script or hf jobs command) the approval shows. Null: local.
    /// </summary>
    public Launch.TargetPlan? Remote { get; init; }

    /// <summary>The target's kind: local unless <see cref="Remote"/> says otherwise (a method, so plan.json does not carry it twice).</summary>
    public Launch.TargetKind TargetKindOf() => Remote?.Target.Kind ?? Launch.TargetKind.Local;

    public string Id => "plan-" + Hash[..Math.Min(12, Hash.Length)];

    /// <summary>
    /// The command a run of this plan executes: the plan's own, or for a smoke test of a full plan
    /// (<paramref name="smoke"/>) the baseline with `--smoke`, a script with the smoke-test caps in
    /// its environment. The one answer for the editor's startRun, the CLI and the executor.
    /// </summary>
    public Launch.LaunchCommand CommandFor(bool smoke)
    {
        if (!smoke || Smoke)
        {
            return Command;
        }

        return Kind == PlanKind.Baseline
            ? Command with { Arguments = [.. Command.Arguments, "--smoke"] }
            : Command.WithEnvironment("MLINTERN_SMOKE_ROWS", "64").WithEnvironment("MLINTERN_SMOKE_STEPS", "10");
    }

    /// <summary>run.json's "kind" for this plan.</summary>
    public string RunKind => Kind == PlanKind.Baseline ? "baseline" : "script";

    /// <summary>Returns the plan with its hash computed over a canonical rendering of its content.</summary>
    public TrainingPlan Sealed() => this with { Hash = ComputeHash() };

    public string ComputeHash()
    {
        var text = new StringBuilder();
        void Add(string key, object? value) => text.Append(key).Append('=').Append(Convert.ToString(value, CultureInfo.InvariantCulture)).Append('\n');
        Add("kind", Kind);
        Add("script", Script);
        Add("data", DataPath);
        Add("text", TextColumn);
        Add("label", LabelColumn);
        Add("model", Model);
        Add("parameters", Parameters);
        foreach (var (key, value) in Hyperparameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Add("hp." + key, value);
        }

        Add("flops", Estimate.Flops?.ToString("R", CultureInfo.InvariantCulture));
        Add("hardware", Estimate.HardwareId);
        Add("hours", Estimate.Hours?.ToString("R", CultureInfo.InvariantCulture));
        Add("cost", Estimate.CostUsd?.ToString("R", CultureInfo.InvariantCulture));
        Add("maxHours", Budget.MaxHours);
        Add("maxCost", Budget.MaxCostUsd);
        Add("command", string.Join('\u001f', Command.Arguments.Prepend(Command.Executable)));
        Add("cwd", Command.WorkingDirectory);
        foreach (var (key, value) in Command.Environment.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Add("env." + key, value);
        }

        Add("smoke", Smoke);
        foreach (var file in Files.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            Add("file." + file.Path, file.Sha256);
        }

        if (Remote is { } remote)
        {
            var t = remote.Target;
            Add("target.kind", t.Kind);
            Add("target.name", t.Name);
            Add("target.partition", t.Partition);
            Add("target.nodes", t.Nodes);
            Add("target.gpus", t.Gpus);
            Add("target.cpus", t.Cpus);
            Add("target.minutes", t.TimeMinutes);
            Add("target.price", t.Price?.ToString("R", CultureInfo.InvariantCulture));
            Add("target.unit", t.Unit);
            Add("target.flavor", t.Flavor);
            Add("target.launcher", t.Launcher);
            Add("target.cluster", t.Cluster);
            Add("target.pricePerHour", remote.PricePerHour.ToString("R", CultureInfo.InvariantCulture));
            Add("target.ceilingHours", remote.CeilingHours.ToString("R", CultureInfo.InvariantCulture));
            Add("target.ceilingUsd", remote.CeilingUsd.ToString("R", CultureInfo.InvariantCulture));
            Add("target.priceSource", remote.PriceSource);
            Add("target.submission", Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(remote.Submission))));
            Add("target.header", remote.Header is null ? null : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(remote.Header))));
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))).ToLowerInvariant();
    }
}

/// <summary>A file a plan runs, and the SHA-256 (lower-case hex) of its content when planned.</summary>
public sealed record PlanFile(string Path, string Sha256);
