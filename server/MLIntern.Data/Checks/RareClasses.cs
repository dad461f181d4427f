using MLIntern.Findings;

namespace MLIntern.Data.Checks;

/// <summary>MLD006: Classes with fewer than 10 examples. The profiler gathers the rows in its single pass; this file owns the rule's text.</summary>
public static class RareClasses
{
    public static readonly RuleInfo Rule = new(
        "MLD006",
        "too-few-examples-per-class",
        Severity.Warning,
        "Classes with fewer than 10 examples",
        """
        ## What it does
        Lists the classes with fewer than `min-class-examples` (default 10) rows, with the line of
        one of them.

        ## Why is this bad?
        A class with a handful of examples cannot be learned or measured: after a split the test set
        holds one or none of them, and a stratified split fails outright.

        ## Example
        ```
        check_cancellation_fee: 6 rows
        ```

        ## Use instead
        Collect more examples, merge the class into a related one, or drop it.

        ## Fix safety
        No automatic fix: merging or dropping a class changes the task.

        ## Error without the fix
        ```
        ValueError: The least populated class in y has only 1 member, which is too few. The minimum number of groups for any class cannot be less than 2.
        ```
        """);
}
