using MLIntern.Findings;

namespace MLIntern.Data.Checks;

/// <summary>MLD002: Exact duplicate texts. The profiler gathers the rows in its single pass; this file owns the rule's text.</summary>
public static class ExactDuplicates
{
    public static readonly RuleInfo Rule = new(
        "MLD002",
        "duplicate-texts",
        Severity.Warning,
        "Exact duplicate texts",
        """
        ## What it does
        Finds rows whose text is byte for byte the text of an earlier row (within a split), and
        names the first occurrence. Counting is exact up to 524,288 distinct texts; past that it uses a
        sample of the texts chosen by hash, so every copy of a sampled text is seen, and the count is
        scaled and marked as an estimate.

        ## Why is this bad?
        Duplicates weigh some examples more than others and, when the data is later split, put the
        same example on both sides — the test score then measures memory, not generalisation.

        ## Example
        ```csv
        text,label
        cancel order 123,cancel_order
        cancel order 123,cancel_order
        ```

        ## Use instead
        ```csv
        text,label
        cancel order 123,cancel_order
        ```
        Drop repeats before splitting (`df.drop_duplicates(subset=["text"])`).

        ## Fix safety
        No automatic fix: some data sets repeat texts on purpose (with weights).

        ## Error without the fix
        Nothing fails: the model trains, and its test score is inflated by rows it has already seen.
        """);
}
