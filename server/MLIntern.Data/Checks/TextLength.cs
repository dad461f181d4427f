using MLIntern.Findings;

namespace MLIntern.Data.Checks;

/// <summary>MLD010: Empty or extremely long texts. The profiler gathers the rows in its single pass; this file owns the rule's text.</summary>
public static class TextLength
{
    public static readonly RuleInfo Rule = new(
        "MLD010",
        "empty-or-very-long-text",
        Severity.Warning,
        "Empty or extremely long texts",
        """
        ## What it does
        Finds texts that are only whitespace, and texts longer than `max-text-chars` (default
        5,000 characters).

        ## Why is this bad?
        An empty text carries no signal; a very long one is truncated by the tokenizer (typically at
        512 tokens, about 2,000 characters), so its label may depend on the part the model never sees.

        ## Example
        ```csv
        text,label
        "   ",complaint
        ```

        ## Use instead
        Drop empty texts; split or summarise very long ones, or raise the model's maximum length.

        ## Fix safety
        No automatic fix: what to keep of a long text is a judgement.

        ## Error without the fix
        Nothing fails: the tokenizer silently truncates, or the model learns that blank means a class.
        """);
}
