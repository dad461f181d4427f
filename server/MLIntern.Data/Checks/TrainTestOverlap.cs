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

        Opted in, it also finds **paraphrases**: evaluation rows that say what a train row says in
        other words ("please call off the purchase I just made" ~ "I want to cancel my order"), which
        shingles do not see. Every evaluation row that is neither an exact nor a near-duplicate repeat
        is compared with every distinct train row by all-MiniLM-L6-v2 sentence embedding (the
        built-in encoder); it is a paraphrase when its nearest train row has its label and a cosine
        of at least 0.55. The finding then counts them as their own part ("…, N paraphrase") and
        each example shows the evaluation row, its train neighbour (file, line, text) and the cosine.
        Without a label column the cosine alone decides. At most the first 10,000 distinct rows of
        each side are compared.

        Why 0.55 and the label: cosine alone does not separate a paraphrase from a row on the same
        subject that asks for something else ("track my order" vs "cancel my order"); the label does,
        as asking for something else is another class, not leakage. The threshold was chosen on
        hand-written pairs (docs/evaluation.md, "Paraphrase overlap", has the figures). On the planted
        test set tests/fixtures/paraphrases (28 hand-written paraphrases among 52 test rows): recall
        1.00, precision 0.93.

        **Opting in:** the editor setting `mlintern.data.paraphraseOverlap`, `paraphrase-overlap =
        true` under `[tool.mlintern]` in `pyproject.toml`, or `mlintern check --paraphrases` (and
        `mlintern inspect --paraphrases`). It is off by default because of its cost: the first use
        loads the 91 MB encoder (about 2 s and 0.5 GB of memory, kept while the editor runs), and
        embedding costs about 11 s per 1,000 rows on two CPU cores. Embeddings are cached by content
        in `.mlintern/cache/embeddings` of the nearest folder above the data that has a `.mlintern/`
        folder, so checking the same rows again embeds nothing. Without the opt-in nothing loads
        the model. The leakage audit of `mlintern evaluate` always measures paraphrase overlap.

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
        rows stay on one side. For paraphrases: move them to train (or their sources to test) and
        report the score on the rest, or collect test rows independently of train.

        ## Fix safety
        No automatic fix: removing rows from test changes a benchmark others may compare against.

        ## Error without the fix
        Nothing fails: the reported score is higher than what users will see.
        """);

    /// <summary>
    /// Counts the evaluation rows whose text the shared indexes saw in train: a repeat first seen
    /// there (exact), or a new text whose only near-duplicate is there (near). Opted in
    /// (<see cref="DataCheckOptions.ParaphraseOverlap"/>, with the host's <see cref="DataCheckOptions.Embed"/>),
    /// it also keeps the distinct train texts and the other evaluation texts (up to
    /// <see cref="DataCheckOptions.MaxParaphraseRows"/> each) and, after the pass, counts the evaluation
    /// rows that are paraphrases of a train row (<see cref="ParaphraseOverlap"/>).
    /// </summary>
    internal sealed class Checker(DataPass pass) : IRowCheck
    {
        private readonly Tally _exact = new(pass.Options.MaxExamples);
        private readonly Tally _near = new(pass.Options.MaxExamples);
        private readonly bool _paraphrases = pass.Options is { ParaphraseOverlap: true, Embed: not null };
        private readonly List<Kept> _trainRows = [];
        private readonly List<Kept> _evaluationRows = [];
        private bool _capped;

        /// <summary>A row kept for the paraphrase comparison: where it is, its text, a preview, its label id.</summary>
        private sealed record Kept(string Split, string Path, int Line, string Text, string Preview, int Label);

        public void Row(in RowFacts row)
        {
            if (!pass.FirstIsTrain)
            {
                return;
            }

            if (_paraphrases && row.File.Split == 0 && row.HasText && row.Exact == ExactTextIndex.Outcome.First)
            {
                Keep(_trainRows, row);
            }

            if (!DatasetProfiler.IsEvaluationSplit(row.File.SplitName))
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
            else if (_paraphrases && row.HasText && row.Exact == ExactTextIndex.Outcome.First)
            {
                Keep(_evaluationRows, row);
            }
        }

        private void Keep(List<Kept> rows, in RowFacts row)
        {
            if (rows.Count >= pass.Options.MaxParaphraseRows)
            {
                _capped = true;
                return;
            }

            var text = System.Text.Encoding.UTF8.GetString(row.Trimmed.Length > 4096 ? row.Trimmed[..4096] : row.Trimmed);
            rows.Add(new Kept(row.File.SplitName, row.File.Path, row.Line, text, RowFacts.Preview(row.Text), row.Label));
        }

        public CheckResult Finish()
        {
            var (paraphrase, note) = _paraphrases ? Paraphrases() : (null, "");
            var count = _exact.Count + _near.Count + (paraphrase?.Count ?? 0);
            var overlap = new Tally(pass.Options.MaxExamples) { Count = count, Estimated = _exact.Estimated || _near.Estimated };

            // The paraphrase part keeps at least half the examples when it has some, so it is seen next to many exact repeats.
            var max = pass.Options.MaxExamples;
            var paraphraseExamples = paraphrase?.Examples ?? [];
            foreach (var e in _exact.Examples.Concat(_near.Examples).Take(max - Math.Min(paraphraseExamples.Count, max / 2)).Concat(paraphraseExamples).Take(max))
            {
                overlap.Example(e);
            }

            var parts = new Dictionary<string, long> { ["exact"] = _exact.Count, ["near"] = _near.Count };
            var message = $"{overlap.About}{overlap.Count:N0} evaluation row(s) overlap the train split: {_exact.Count:N0} exact, {_near.Count:N0} near-duplicate";
            if (paraphrase is not null)
            {
                parts["paraphrase"] = paraphrase.Count;
                message += string.Create(System.Globalization.CultureInfo.InvariantCulture, $", {paraphrase.Count:N0} paraphrase (nearest train row by sentence embedding has the same label and a cosine ≥ {ParaphraseOverlap.DefaultThreshold:0.00})");
            }

            return overlap.Result(Rule, message + note) with { Path = overlap.FirstPath, Parts = parts };
        }

        /// <summary>Embeds the kept rows and finds the paraphrases; null with a note when the encoder failed.</summary>
        private (Tally? Tally, string Note) Paraphrases()
        {
            var tally = new Tally(pass.Options.MaxExamples);
            if (_trainRows.Count == 0 || _evaluationRows.Count == 0)
            {
                return (tally, "");
            }

            var token = pass.Cancellation;
            var labelled = pass.Roles?.Label.Column is not null;
            IReadOnlyList<ParaphraseMatch> matches;
            try
            {
                var trainVectors = pass.Options.Embed!([.. _trainRows.Select(r => r.Text)], token);
                var evaluationVectors = pass.Options.Embed!([.. _evaluationRows.Select(r => r.Text)], token);
                matches = ParaphraseOverlap.Find(
                    trainVectors,
                    labelled ? [.. _trainRows.Select(r => LabelKey(r.Label, "train"))] : null,
                    evaluationVectors,
                    labelled ? [.. _evaluationRows.Select(r => LabelKey(r.Label, "evaluation"))] : null,
                    cancellationToken: token);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return (null, $" (paraphrase overlap not measured: {e.GetType().Name}: {e.Message.Split('\n')[0]})");
            }

            foreach (var m in matches)
            {
                var test = _evaluationRows[m.TestRow];
                var source = _trainRows[m.TrainRow];
                tally.Add();
                tally.Example(new Example(test.Split, test.Path, test.Line, test.Preview, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"this {test.Split} text is a paraphrase of {source.Split} ({source.Path} line {source.Line}: \"{source.Preview}\", cosine {m.Cosine:0.00}{(labelled ? ", same label" : "")})"), source.Path, source.Line));
            }

            return (tally, _capped ? $" (paraphrases among the first {pass.Options.MaxParaphraseRows:N0} distinct rows of each side)" : "");
        }

        /// <summary>A row's label for the comparison: its class id, or (no label) a key no class and no row of the other side has.</summary>
        private static string LabelKey(int label, string side) => label >= 0 ? label.ToString(System.Globalization.CultureInfo.InvariantCulture) : "\0" + side;
    }
}
