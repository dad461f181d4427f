using System.Globalization;
using System.Text;

namespace MLIntern.Training.Plans;

/// <summary>The plan as the Markdown file a human reviews (the JSON beside it holds the same figures).</summary>
public static class PlanMarkdown
{
    public static string Render(TrainingPlan plan)
    {
        var c = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.Append("# Training plan: ").Append(plan.Title).Append("\n\n");
        md.Append("Plan `").Append(plan.Id).Append("` · hash `").Append(plan.Hash[..16]).Append("…`\n\n");
        if (plan.OverBudget)
        {
            md.Append("> **MLI602: over budget.** ").Append(string.Join("; ", plan.OverBudgetReasons)).Append(". Launching needs an approval that accepts the overrun.\n\n");
        }

        if (!plan.Estimate.Known)
        {
            md.Append("> **Estimate unknown:** ").Append(plan.Estimate.UnknownBecause).Append(". Launching needs an explicit override, which is recorded.\n\n");
        }

        md.Append("## What runs\n\n");
        md.Append("| | |\n|---|---|\n");
        Row(md, "Command", "`" + plan.Command.CommandLine.Replace("|", "\\|", StringComparison.Ordinal) + "`");
        Row(md, "Working directory", "`" + plan.Command.WorkingDirectory + "`");
        if (plan.Script is not null)
        {
            Row(md, "Script", "`" + plan.Script + "`");
        }

        if (plan.Command.Environment.Count > 0)
        {
            Row(md, "Environment", string.Join(", ", plan.Command.Environment.Select(p => $"`{p.Key}={p.Value}`".Replace("|", "\\|", StringComparison.Ordinal))));
        }

        foreach (var file in plan.Files)
        {
            // The approval is for this content: an edit after approving makes the run refuse to start.
            Row(md, "Content hash", $"`{System.IO.Path.GetFileName(file.Path)}` SHA-256 `{file.Sha256}`");
        }

        Row(md, "Data", $"`{plan.DataPath}` (text `{plan.TextColumn ?? "?"}`, label `{plan.LabelColumn ?? "?"}`, {plan.Classes} classes)");
        Row(md, "Model", plan.Model ?? "unknown");
        if (plan.Parameters is { } parameters)
        {
            Row(md, "Parameters", $"{parameters.ToString("N0", c)} ({plan.ParametersSource})");
        }

        foreach (var (key, value) in plan.Hyperparameters)
        {
            Row(md, key, value);
        }

        if (plan.Smoke)
        {
            Row(md, "Smoke test", "yes: a small subset and a step cap");
        }

        md.Append("\n## Estimate\n\n| | |\n|---|---|\n");
        if (plan.Tokens is { } t)
        {
            Row(md, "Tokens per row", $"{t.MeanTokens.ToString("0.#", c)} ({t.Basis})");
            Row(md, "Training tokens", $"{t.TrainRows.ToString("N0", c)} rows × {t.MeanTokens.ToString("0.#", c)} × {ScriptScan.Format(t.Epochs)} epochs = {t.TrainTokens.ToString("N0", c)}");
            Row(md, "Evaluation tokens", t.EvalTokens.ToString("N0", c));
        }

        var e = plan.Estimate;
        Row(md, "FLOPs", e.Flops is { } flops ? $"{flops.ToString("0.###e+0", c)} ({e.Formula})" : "unknown: " + e.UnknownBecause);
        Row(md, "Hardware", $"{e.HardwareName}: {(e.EffectiveFlops >= 1e12 ? (e.EffectiveFlops / 1e12).ToString("0.##", c) + " TFLOPS" : (e.EffectiveFlops / 1e9).ToString("0.##", c) + " GFLOPS")} effective");
        Row(md, "Wall time", e.Hours is { } hours ? (hours * 60 < 1 ? $"{(hours * 3600).ToString("0.#", c)} s" : $"{PlanBuilder.Format(hours)} h ({(hours * 60).ToString("0", c)} min)") : "unknown");
        Row(md, "Cost", e.CostUsd is { } cost ? $"${cost.ToString("0.00", c)} at ${e.PricePerHour.ToString("0.###", c)}/h" : "unknown");
        Row(md, "Budget", $"{(plan.Budget.MaxHours is { } mh ? ScriptScan.Format(mh) + " h" : "no hour limit")}, {(plan.Budget.MaxCostUsd is { } mc ? "$" + mc.ToString("0.00", c) : "no cost limit")}");
        if (plan.Remote is { } remote)
        {
            md.Append("\n## Target\n\n| | |\n|---|---|\n");
            foreach (var line in TargetLines(plan))
            {
                var colon = line.IndexOf(": ", StringComparison.Ordinal);
                Row(md, line[..colon], line[(colon + 2)..].Replace("|", "\\|", StringComparison.Ordinal));
            }

            md.Append('\n').Append(remote.Target.Kind == Launch.TargetKind.Slurm ? "The sbatch script (`{run}` is the run's folder):" : "The command (`{run}` is the run's folder):").Append("\n\n```").Append(remote.Target.Kind == Launch.TargetKind.Slurm ? "bash" : "").Append('\n').Append(remote.Submission.TrimEnd('\n')).Append("\n```\n");
            if (remote.Header is { } header)
            {
                md.Append("\nThe PEP 723 header written at the top of the submitted copy:\n\n```python\n").Append(header.TrimEnd('\n')).Append("\n```\n");
            }
        }

        md.Append("\n## Approval\n\nNothing runs until this plan is approved: in the editor's dialog, on the terminal's prompt, or with `mlintern train … --approve` (recorded as approved via CLI flag by the current user). The approval is stored in the run's `run.json` with these figures and this plan's hash.\n");
        return md.ToString();
    }

    /// <summary>The target's figures, one "Name: value" line each: where, price per hour, time limit, cost ceiling (also the approval dialog's lines).</summary>
    public static IReadOnlyList<string> TargetLines(TrainingPlan plan)
    {
        if (plan.Remote is not { } remote)
        {
            return [];
        }

        var t = remote.Target;
        var c = CultureInfo.InvariantCulture;
        var lines = new List<string>();
        if (t.Kind == Launch.TargetKind.Slurm)
        {
            lines.Add($"Target: Slurm '{t.Name}'{(t.Cluster is { Length: > 0 } cl ? " on cluster " + cl : "")}, partition {t.Partition ?? "(default)"}, {Math.Max(1, t.Nodes)} node(s), {t.Gpus} GPU(s) per node, {Math.Max(1, t.Cpus)} CPU(s) per task");
            if (t.Processes > 1)
            {
                lines.Add($"Processes: {t.Processes} ({t.Launcher}), scaling efficiency {Launch.Scaling.Percent(t.Processes)} (0.9^log2 N)");
            }

            lines.Add($"Price: ${remote.PricePerHour.ToString("0.###", c)}/h (${(t.Price ?? 0).ToString("0.###", c)} per {(t.Unit == Launch.PriceUnit.GpuHour ? "GPU-hour" : "node-hour")}; {remote.PriceSource})");
            lines.Add($"Time limit: --time={Launch.ComputeTarget.SlurmTime(t.TimeMinutes ?? 0)}");
        }
        else
        {
            lines.Add($"Target: HF Jobs '{t.Name}', flavor {t.Flavor}");
            lines.Add($"Price: ${remote.PricePerHour.ToString("0.###", c)}/h ({remote.PriceSource})");
            lines.Add($"Timeout: {t.TimeMinutes} min");
        }

        lines.Add($"Cost ceiling: ${remote.CeilingUsd.ToString("0.00", c)} (price × {PlanBuilder.Format(remote.CeilingHours)} h limit: the most the job can cost)");
        return lines;
    }

    private static void Row(StringBuilder md, string key, string value) => md.Append("| ").Append(key).Append(" | ").Append(value).Append(" |\n");
}
