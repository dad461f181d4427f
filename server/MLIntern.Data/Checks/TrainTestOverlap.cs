using MLIntern.Findings;

namespace MLIntern.Data.Checks;

/// <summary>MLD007: Overlap between train and test (exact or near-duplicate). The profiler gathers the rows in its single pass; this file owns the rule's text.</summary>
public static class TrainTestOverlap
{
    public static readonly RuleInfo Rule = new(
        "MLD007",
        "train-test-overlap",
        Severity.Error,
        "Overlap between train and test (exact or near-duplicate)",
        """
        ## What it does
        Finds rows of the validation and test splits whose text is also in the train split, exactly
        or as a near-duplicate (the MinHash comparison of MLD004, same threshold). Each finding names
        the train row.

        ## Why is this bad?
        Rows that sit in both splits are scored as "unseen" although the model trained on them: the
        test score is inflated, sometimes to a suspicious 100%, and says nothing about new data.

        ## Example
        ```
        train.csv:  where is my order 123,track_order
        test.csv:   where is my order 123,track_order
        ```

        ## Use instead
        Deduplicate before splitting, and split by group (template, user, conversation) so related
        rows stay on one side.

        ## Fix safety
        No automatic fix: removing rows from test changes a benchmark others may compare against.

        ## Error without the fix
        Nothing fails: the reported score is higher than what users will see.
        """);
}
