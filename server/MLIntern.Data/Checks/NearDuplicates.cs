using MLIntern.Findings;
using MLIntern.Data.Profiling;

namespace MLIntern.Data.Checks;

/// <summary>MLD004: Near-duplicate (templated) texts. This file holds the rule's page and its check.</summary>
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

    /// <summary>Counts the new texts the near-duplicate index matches with an earlier text of their split.</summary>
    internal sealed class Checker(DataPass pass) : IRowCheck
    {
        private readonly Tally _tally = new(pass.Options.MaxExamples);

        public void Row(in RowFacts row)
        {
            if (row.NearInSplit is not { } match)
            {
                return;
            }

            _tally.Add(row.Weight);
            if (_tally.WantsExample)
            {
                _tally.Example(row.Example($"near-duplicate of line {match.Line} (estimated similarity {match.Similarity:0.00})", match.Line));
            }
        }

        public CheckResult Finish() =>
            _tally.Result(Rule, $"{_tally.About}{_tally.Count:N0} row(s) are near-duplicates of an earlier row (estimated similarity ≥ {pass.Options.NearDuplicateThreshold:0.##})");
    }
}
