using System.Globalization;
using MLIntern.Training.Plans;

namespace MLIntern.Server.Runs;

/// <summary>The number of optimizer steps when a plan says enough to know it, and how it was counted ("1,250 (max_steps)").</summary>
internal sealed record StepEstimate(long? Count, string Description);

/// <summary>
/// The editor's approval dialog for a plan: the title line, the detail, the one approving button and
/// what choosing it accepts explicitly. <see cref="FigureLines"/> are the plan's figures, one per line.
/// </summary>
internal sealed record ApprovalPrompt(bool Warning, string Message, string Detail, string Action, bool AcceptOverBudget, bool AcceptUnknownEstimate, IReadOnlyList<string> FigureLines);

/// <summary>
/// What the approval dialog says, decided here from the plan's own figures so the editor only shows it:
/// an over-budget plan or an unknown estimate turns the dialog into a warning whose button names the
/// override, and the override is what approveRun is then told the user accepted.
/// </summary>
internal static class ApprovalPrompts
{
    public const string ApproveAction = "Approve and Run";
    public const string OverrideBudgetAction = "Override budget and run";
    public const string OverrideUnknownAction = "Run without an estimate";
    public const string OverrideBothAction = "Override budget and unknown estimate, and run";

    public const string SmokeLine = "Smoke test: a small subset of the data and a step cap, so a broken run fails in seconds.";

    public static ApprovalPrompt For(TrainingPlan plan)
    {
        var unknown = !plan.Estimate.Known;
        var over = plan.OverBudget;
        var what = plan.Smoke && !plan.Title.StartsWith("smoke test", StringComparison.OrdinalIgnoreCase) ? $"Smoke test: {plan.Title}" : plan.Title;
        var figures = FigureLines(plan);
        var (message, action) = (over, unknown) switch
        {
            (true, true) => ($"Over budget, and the estimate is unknown: {what}", OverrideBothAction),
            (true, false) => ($"Over budget: {what}", OverrideBudgetAction),
            (false, true) => ($"The compute estimate is unknown: {what}", OverrideUnknownAction),
            _ => ($"Run {what}?", ApproveAction),
        };

        var detail = new List<string>();
        if (over)
        {
            var reasons = plan.OverBudgetReasons.Count > 0 ? string.Join("; ", plan.OverBudgetReasons) : "the estimate exceeds the budget";
            detail.Add($"MLI602 — over budget: {reasons}. Running it needs your explicit override.");
        }

        if (unknown)
        {
            detail.Add($"Estimate unknown: {plan.Estimate.UnknownBecause ?? "a figure it needs is missing"}. Running it needs your explicit override.");
        }

        if (detail.Count > 0)
        {
            detail.Add("");
        }

        if (plan.Smoke)
        {
            detail.Add(SmokeLine);
        }

        detail.AddRange(figures);
        if (plan.Remote is { } remote)
        {
            detail.Add("");
            detail.Add(remote.Target.Kind == MLIntern.Training.Launch.TargetKind.Slurm ? "The sbatch script ({run} is the run's folder):" : "The command ({run} is the run's folder):");
            detail.Add(remote.Submission.TrimEnd('\n'));
            if (remote.Header is { } header)
            {
                detail.Add("PEP 723 header of the submitted copy:");
                detail.Add(header.TrimEnd('\n'));
            }
        }

        detail.Add("");
        detail.Add($"Plan {plan.Id}. Nothing runs unless you choose \"{action}\"; your approval is recorded in the run's run.json.");
        return new ApprovalPrompt(over || unknown, message, string.Join('\n', detail), action, over, unknown, figures);
    }

    /// <summary>The figures the dialog shows, one per line: script, data, model, steps, FLOPs, time, cost, budget.</summary>
    public static IReadOnlyList<string> FigureLines(TrainingPlan plan)
    {
        var e = plan.Estimate;
        var lines = new List<string>();
        if (!string.IsNullOrEmpty(plan.Script))
        {
            lines.Add($"Script: {plan.Script}");
        }

        var columns = string.IsNullOrEmpty(plan.TextColumn) && string.IsNullOrEmpty(plan.LabelColumn)
            ? ""
            : $" (text {plan.TextColumn ?? "?"}, label {plan.LabelColumn ?? "?"}{(plan.Classes != 0 ? $", {plan.Classes} classes" : "")})";
        lines.Add($"Data: {plan.DataPath}{columns}");
        if (!string.IsNullOrEmpty(plan.Model))
        {
            lines.Add($"Model: {plan.Model}{(plan.Parameters is { } n and not 0 ? $" ({Count(n)} parameters)" : "")}");
        }

        lines.Add($"Steps: {Steps(plan).Description}");
        lines.Add($"FLOPs: {(e.Flops is { } flops ? Flops(flops) : "unknown")}");
        lines.Add($"Time: {Hours(e.Hours)} on {e.HardwareName}");
        lines.Add($"Cost: {Usd(e.CostUsd)} at {Usd(e.PricePerHour)}/h");
        var hours = plan.Budget.MaxHours is { } h and not 0 ? $"{Trim(h)} h" : "no hour limit";
        var cost = plan.Budget.MaxCostUsd is { } c and not 0 ? Usd(c) : "no cost limit";
        lines.AddRange(PlanMarkdown.TargetLines(plan));
        lines.Add($"Budget: {hours}, {cost} (mlintern.compute.maxHours / maxCostUsd)");
        return lines;
    }

    /// <summary>
    /// The optimizer steps: <c>max_steps</c>, else ceil(train rows / batch size) × ceil(epochs); for the
    /// baseline its epoch cap; else what is known without a count.
    /// </summary>
    public static StepEstimate Steps(TrainingPlan plan)
    {
        var hp = plan.Hyperparameters;
        if (Number(hp, "max_steps") is { } maxSteps and > 0)
        {
            var count = (long)Math.Round(maxSteps, MidpointRounding.AwayFromZero);
            return new StepEstimate(count, $"{Count(maxSteps)} (max_steps)");
        }

        var rows = plan.Tokens?.TrainRows ?? 0;
        var epochs = plan.Tokens?.Epochs ?? 0;
        if (Number(hp, "per_device_train_batch_size") is { } batch and > 0 && rows != 0 && epochs != 0)
        {
            var count = (long)(Math.Ceiling(rows / batch) * Math.Ceiling(epochs));
            return new StepEstimate(count, $"{Count(count)} ({Count(rows)} rows / batch {batch.ToString(CultureInfo.InvariantCulture)} × {Trim(epochs)} epochs)");
        }

        if (hp.TryGetValue("epochs (at most)", out var cap) && cap.Length > 0)
        {
            return new StepEstimate(null, $"at most {cap} epochs over the data");
        }

        return rows != 0 && epochs != 0
            ? new StepEstimate(null, $"{Trim(epochs)} epochs over {Count(rows)} rows (batch size unknown)")
            : new StepEstimate(null, "unknown");
    }

    /// <summary>Hours as seconds, minutes or hours, whichever reads best; "unknown" when there is no figure.</summary>
    public static string Hours(double? hours)
    {
        if (hours is not { } h || !double.IsFinite(h))
        {
            return "unknown";
        }

        var seconds = h * 3600;
        return seconds < 60 ? $"{Trim(Math.Max(seconds, 0.1), 1)} s" : seconds < 3600 ? $"{Trim(seconds / 60, 1)} min" : $"{Trim(h)} h";
    }

    public static string Usd(double? usd) => usd is { } u && double.IsFinite(u) ? "$" + u.ToString("F2", CultureInfo.InvariantCulture) : "unknown";

    /// <summary>FLOPs in scientific notation with two decimals (4.20e15).</summary>
    public static string Flops(double flops)
    {
        if (!double.IsFinite(flops) || flops <= 0)
        {
            return "0";
        }

        var exponent = (int)Math.Floor(Math.Log10(flops));
        return (flops / Math.Pow(10, exponent)).ToString("F2", CultureInfo.InvariantCulture) + "e" + exponent.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A whole number with thousands separators (en-US, whatever the machine's culture).</summary>
    public static string Count(double n) => Math.Round(n, MidpointRounding.AwayFromZero).ToString("N0", CultureInfo.InvariantCulture);

    private static string Trim(double n, int digits = 2) => Math.Round(n, digits, MidpointRounding.AwayFromZero).ToString("0.##", CultureInfo.InvariantCulture);

    private static double? Number(IReadOnlyDictionary<string, string> hyperparameters, string key) =>
        hyperparameters.TryGetValue(key, out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;
}
