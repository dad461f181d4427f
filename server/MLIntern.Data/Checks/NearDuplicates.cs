using MLIntern.Findings;

namespace MLIntern.Data.Checks;

/// <summary>MLD004: Near-duplicate (templated) texts. The profiler gathers the rows in its single pass; this file owns the rule's text.</summary>
public static class NearDuplicates
{
    public static readonly RuleInfo Rule = new(
        "MLD004",
        "near-duplicate-texts",
        Severity.Warning,
        "Near-duplicate (templated) texts",
        """
        ## What it does
        Finds rows whose text is almost the text of an earlier row in the same split: the same words
        with a greeting added, a slot filled in, the case changed. Texts are compared by MinHash over
        word shingles (each word and each pair of adjacent words, lower-cased) with LSH banding: 36
        one-permutation MinHash bins, 12 bands of 3. A pair is a near-duplicate when the estimated
        Jaccard similarity is at least `near-duplicate-threshold` (default 0.7). Texts with fewer than
        3 words are not compared. The first 100,000 distinct texts are indexed; later texts are compared
        against them.

        ## Why is this bad?
        Templated data (a few sentences with slots) looks large but teaches little: the model learns
        the templates, and if templates fall on both sides of a split, the test score says nothing about
        new phrasings.

        ## Example
        ```csv
        text,label
        I want to cancel my order {{Order Number}},cancel_order
        hi I want to cancel my order {{Order Number}} please,cancel_order
        ```

        ## Use instead
        Keep one row per template, or split by template (group split) so a template never sits in
        both train and test.

        ## Fix safety
        No automatic fix: whether variants are useful augmentation or redundancy depends on the task.

        ## Error without the fix
        Nothing fails: validation accuracy is high and real users get worse results.
        """);
}
