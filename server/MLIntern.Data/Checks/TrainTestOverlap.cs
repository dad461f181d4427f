using MLIntern.Findings;
using MLIntern.Data.Profiling;

namespace MLIntern.Data.Checks;

/// <summary>MLD007: Overlap between train and test (exact or near-duplicate). This file holds the rule's page and its check.</summary>
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

    /// <summary>
    /// Counts the evaluation rows whose text the shared indexes saw in train: a repeat first seen
    /// there (exact), or a new text whose only near-duplicate is there (near).
    /// </summary>
    internal sealed class Checker(DataPass pass) : IRowCheck
    {
        private readonly Tally _exact = new(pass.Options.MaxExamples);
        private readonly Tally _near = new(pass.Options.MaxExamples);

        public void Row(in RowFacts row)
        {
            if (!pass.FirstIsTrain || !DatasetProfiler.IsEvaluationSplit(row.File.SplitName))
            {
                return;
            }

            var train = pass.Splits[0].Name;
            var trainPath = pass.FirstPathOf(0);
            if (row.Exact == ExactTextIndex.Outcome.Repeat)
            {
                if (!row.RepeatsInItsSplit && row.Seen.FirstSplit == 0)
                {
                    _exact.Add(row.Weight);
                    if (_exact.WantsExample)
                    {
                        _exact.Example(row.Example($"this {row.File.SplitName} text is also in {train} ({trainPath} line {row.Seen.Line})", row.Seen.Line, trainPath));
                    }
                }
            }
            else if (row.NearInSplit is null && row.File.Split > 0 && row.NearInTrain is { } t)
            {
                _near.Add(row.Weight);
                if (_near.WantsExample)
                {
                    _near.Example(row.Example($"this {row.File.SplitName} text is a near-duplicate of {train} ({trainPath} line {t.Line}, estimated similarity {t.Similarity:0.00})", t.Line, trainPath));
                }
            }
        }

        public CheckResult Finish()
        {
            var overlap = new Tally(pass.Options.MaxExamples) { Count = _exact.Count + _near.Count, Estimated = _exact.Estimated || _near.Estimated };
            foreach (var e in _exact.Examples.Concat(_near.Examples).Take(pass.Options.MaxExamples))
            {
                overlap.Example(e);
            }

            return overlap.Result(Rule, $"{overlap.About}{overlap.Count:N0} evaluation row(s) overlap the train split: {_exact.Count:N0} exact, {_near.Count:N0} near-duplicate") with
            {
                Path = overlap.FirstPath,
                Parts = new Dictionary<string, long> { ["exact"] = _exact.Count, ["near"] = _near.Count },
            };
        }
    }
}
