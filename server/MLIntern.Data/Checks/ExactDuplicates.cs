using MLIntern.Findings;
using MLIntern.Data.Profiling;

namespace MLIntern.Data.Checks;

/// <summary>MLD002: Exact duplicate texts. This file holds the rule's page and its check.</summary>
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

    /// <summary>Counts the repeats the exact-text index finds within a split; the example names the first copy.</summary>
    internal sealed class Checker(DataPass pass) : IRowCheck
    {
        private readonly Tally _tally = new(pass.Options.MaxExamples);

        public void Row(in RowFacts row)
        {
            if (row.Exact != ExactTextIndex.Outcome.Repeat || !row.RepeatsInItsSplit)
            {
                return;
            }

            _tally.Add(row.Weight);
            if (_tally.WantsExample && row.Seen.FirstSplit == row.File.Split)
            {
                _tally.Example(row.Example($"same text as line {row.Seen.Line}", row.Seen.Line));
            }
        }

        public CheckResult Finish() =>
            _tally.Result(Rule, $"{_tally.About}{_tally.Count:N0} row(s) repeat the '{pass.TextName}' of an earlier row");
    }
}
