using MLIntern.Findings;
using MLIntern.Data.Profiling;

namespace MLIntern.Data.Checks;

/// <summary>MLD001: Missing or empty text or label values. This file holds the rule's page and its check.</summary>
public static class MissingValues
{
    public static readonly RuleInfo Rule = new(
        "MLD001",
        "missing-text-or-label",
        Severity.Warning,
        "Missing or empty text or label values",
        """
        ## What it does
        Counts the rows whose text column or label column is empty, missing (a JSON `null`, a
        missing key) or one of the spellings pandas reads as NaN (`NA`, `N/A`, `NaN`, `null`, `None`).

        ## Why is this bad?
        A row without a label cannot be learned from; a row without a text teaches the model that
        nothing means something. `datasets` passes `None` to the tokenizer, which fails; pandas keeps
        `NaN`, which `str` turns into the word "nan" — and the model learns that word.

        ## Example
        ```csv
        text,label
        where is my order,track_order
        ,cancel_order
        ```

        ## Use instead
        ```csv
        text,label
        where is my order,track_order
        ```
        Drop the row, or fill it in.

        ## Fix safety
        No automatic fix: whether to drop or fill a row is the owner's decision.

        ## Error without the fix
        ```
        ValueError: text input must be of type `str` (single example), `List[str]` (batch or single pretokenized example) or `List[List[str]]` (batch of pretokenized examples).
        ```
        """);

    /// <summary>Counts the rows with no text or no label.</summary>
    internal sealed class Checker(DataPass pass) : IRowCheck
    {
        private readonly Tally _tally = new(pass.Options.MaxExamples);

        public void Row(in RowFacts row)
        {
            if (!row.TextMissing && !row.LabelMissing)
            {
                return;
            }

            _tally.Add();
            if (_tally.WantsExample)
            {
                var what = row.TextMissing && row.LabelMissing ? "no text and no label" : row.TextMissing ? "no text" : "no label";
                _tally.Example(row.Example($"this row has {what}"));
            }
        }

        public CheckResult Finish() =>
            _tally.Result(Rule, $"{_tally.About}{_tally.Count:N0} row(s) have no '{pass.TextName}' or no '{pass.LabelName}'");
    }
}
