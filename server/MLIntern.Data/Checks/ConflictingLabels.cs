using MLIntern.Findings;

namespace MLIntern.Data.Checks;

/// <summary>MLD003: The same text with different labels. The profiler gathers the rows in its single pass; this file owns the rule's text.</summary>
public static class ConflictingLabels
{
    public static readonly RuleInfo Rule = new(
        "MLD003",
        "same-text-different-labels",
        Severity.Error,
        "The same text with different labels",
        """
        ## What it does
        Finds texts that appear more than once with different labels, anywhere in the data set.

        ## Why is this bad?
        The model is asked to learn a contradiction: the same input must give two outputs. At best
        one of the rows is wasted; usually it is a labelling error that also corrupts the evaluation.

        ## Example
        ```csv
        text,label
        I need help with my order,change_order
        I need help with my order,track_order
        ```

        ## Use instead
        ```csv
        text,label
        I need help with my order,track_order
        ```
        Decide which label is right, or drop the ambiguous text.

        ## Fix safety
        No automatic fix: which label is right needs a human.

        ## Error without the fix
        Nothing fails: accuracy is capped below 100% and the model is confidently wrong on these inputs.
        """);
}
