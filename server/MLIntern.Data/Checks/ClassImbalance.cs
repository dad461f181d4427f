using MLIntern.Findings;

namespace MLIntern.Data.Checks;

/// <summary>MLD005: Class imbalance (largest/smallest class at or above 10). The profiler gathers the rows in its single pass; this file owns the rule's text.</summary>
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
}
