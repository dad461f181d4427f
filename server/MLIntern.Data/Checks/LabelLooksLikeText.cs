using MLIntern.Findings;

namespace MLIntern.Data.Checks;

/// <summary>MLD011: The label column looks like free text or IDs (too many classes). The profiler gathers the rows in its single pass; this file owns the rule's text.</summary>
public static class LabelLooksLikeText
{
    public static readonly RuleInfo Rule = new(
        "MLD011",
        "label-column-is-free-text",
        Severity.Error,
        "The label column looks like free text or IDs (too many classes)",
        """
        ## What it does
        Reports a label column with more than `max-label-classes` (default 200) distinct values, or
        one where more than half the rows have a value of their own (with at least 50 rows), or whose
        values read as text (several words on average) or as IDs.

        ## Why is this bad?
        Such a column is not a set of classes: the wrong column was taken as the label (an ID, the
        response text), so the model is set up with thousands of outputs and learns nothing.

        ## Example
        ```csv
        id,text,response
        1,where is my order,Your order ships tomorrow
        ```

        ## Use instead
        Name the real label column (`--label-column intent`, or `label-column` under
        `[tool.mlintern]` in pyproject.toml), or add one.

        ## Fix safety
        No automatic fix: which column is the label is the owner's decision.

        ## Error without the fix
        ```
        RuntimeError: CUDA error: device-side assert triggered (a label id is outside num_labels)
        ```
        """);
}
