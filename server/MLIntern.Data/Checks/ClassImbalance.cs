using MLIntern.Findings;
using MLIntern.Data.Profiling;

namespace MLIntern.Data.Checks;

/// <summary>MLD005: Class imbalance (largest/smallest class at or above 10). This file holds the rule's page and its check.</summary>
public static class ClassImbalance
{
    public static readonly RuleInfo Rule = new(
        "MLD005",
        "class-imbalance",
        Severity.Warning,
        "Class imbalance (largest/smallest class at or above 10)",
        """
        ## What it does
        Compares the largest and the smallest class of the label column over the whole data set and
        reports when the ratio is at least `imbalance-ratio` (default 10).

        ## Why is this bad?
        A model trained on imbalanced classes learns to predict the big ones; accuracy stays high
        while the small classes are never predicted. Macro-F1 shows it; accuracy hides it.

        ## Example
        ```
        cancel_order: 900 rows, check_cancellation_fee: 6 rows
        ```

        ## Use instead
        Collect more examples of the small classes, resample, or weight the loss by class; report
        macro-F1 as well as accuracy.

        ## Fix safety
        No automatic fix: rebalancing changes what the model learns.

        ## Error without the fix
        Nothing fails: the confusion matrix shows an empty column for the small class.
        """);

    /// <summary>Compares the largest and the smallest class in the label table once the pass is over.</summary>
    internal sealed class Checker(DataPass pass) : IDataCheck
    {
        public CheckResult Finish()
        {
            var labels = pass.Labels;
            var totals = labels.Names.Select((name, id) => (Name: name, Count: labels.Total(id))).Where(c => c.Count > 0).OrderByDescending(c => c.Count).ToList();
            if (totals.Count < 2)
            {
                return new CheckResult(Rule.Code, Rule.Name, Rule.DefaultSeverity, 0, false, "fewer than two classes", pass.Home, []);
            }

            var largest = totals[0];
            var smallest = totals[^1];
            var ratio = (double)largest.Count / smallest.Count;
            var limit = pass.Options.ImbalanceRatio;
            var found = ratio >= limit;
            return new CheckResult(Rule.Code, Rule.Name, Rule.DefaultSeverity, found ? 1 : 0, false,
                $"the largest class '{largest.Name}' has {largest.Count:N0} rows and the smallest '{smallest.Name}' {smallest.Count:N0}: ratio {ratio:0.#}{(found ? $" (≥ {limit:0.#})" : "")}",
                pass.Home, []);
        }
    }
}
