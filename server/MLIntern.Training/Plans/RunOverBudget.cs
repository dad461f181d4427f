using MLIntern.Analysis.Findings;

namespace MLIntern.Training.Plans;

/// <summary>MLI602: the planned run exceeds the compute budget. Reported on the plan (and at the script's train call when the plan knows it).</summary>
public static class RunOverBudget
{
    public static readonly RuleInfo Rule = new(
        "MLI602",
        "run-over-budget",
        Severity.Warning,
        "The planned run exceeds the compute budget (hours or cost)",
        """
        ## What it does
        Compares a training plan's estimate — FLOPs ≈ 6 × parameters × tokens for a transformer
        fine-tune, turned into hours on the chosen hardware at a realistic utilisation and into a
        cost from the price table — with the budget in `mlintern.compute.maxHours` and
        `mlintern.compute.maxCostUsd` (or `max-hours` / `max-cost-usd` under
        `[tool.mlintern.compute]` in pyproject.toml), and reports a plan that exceeds either: on the
        plan, and on the script at its `.train()` call while the newest plan saved for the script is
        over budget.

        ## Why is this bad?
        A run that costs more than the team agreed to spend should be a decision, not a surprise on
        the invoice: a long fine-tune on a rented GPU is real money, and a run that takes twice the
        hours blocks the machine for everyone else. ML Intern refuses to launch an over-budget run
        until someone approves the figures explicitly.

        ## Example
        ```
        model: roberta-large, 27,000 rows × 128 tokens × 10 epochs on a T4
        estimate: 11.6 h, $4.06 — budget 4 h, $10
        ```

        ## Use instead
        Fewer epochs, a shorter `max_length`, a smaller checkpoint (distilroberta-base instead of
        roberta-large), faster hardware, or a smoke test first — or raise the budget in settings if
        the run is worth it.

        ## Fix safety
        No automatic fix: every remedy changes the experiment. Approving the run with the
        over-budget override records who accepted which figures in the run's `run.json`.

        ## Error without the fix
        Nothing fails at first: the run goes on for hours and the bill arrives later (or the job is
        killed by a quota: `CUDA error: out of memory` is not the only way a run dies).
        """);

    public static IReadOnlyList<RuleInfo> All { get; } = [Rule];
}
