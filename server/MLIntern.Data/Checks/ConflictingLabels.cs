using MLIntern.Findings;
using MLIntern.Data.Profiling;

namespace MLIntern.Data.Checks;

/// <summary>MLD003: The same text with different labels. This file holds the rule's page and its check.</summary>
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

    /// <summary>
    /// Counts each repeated text once, the first time it comes with another label than its first
    /// copy; the exact-text index keeps the "reported" mark beside the text, where the lookup already is.
    /// </summary>
    internal sealed class Checker(DataPass pass) : IRowCheck
    {
        private readonly Tally _tally = new(pass.Options.MaxExamples);

        public void Row(in RowFacts row)
        {
            var seen = row.Seen;
            if (row.Exact != ExactTextIndex.Outcome.Repeat || row.Label < 0 || seen.Label < 0 || row.Label == seen.Label || seen.ConflictReported)
            {
                return;
            }

            pass.Exact.MarkConflict(row.Hash);
            _tally.Add(row.Weight);
            if (_tally.WantsExample)
            {
                var sameSplit = seen.FirstSplit == row.File.Split;
                var where = sameSplit ? $"line {seen.Line}" : $"{pass.Splits[seen.FirstSplit].Name} line {seen.Line}";
                _tally.Example(row.Example($"labelled '{pass.Labels.Name(row.Label)}' here and '{pass.Labels.Name(seen.Label)}' on {where}", seen.Line, sameSplit ? null : pass.FirstPathOf(seen.FirstSplit)));
            }
        }

        public CheckResult Finish() =>
            _tally.Result(Rule, $"{_tally.About}{_tally.Count:N0} text(s) appear with different '{pass.LabelName}' values");
    }
}
