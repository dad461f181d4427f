using System.Globalization;
using MLIntern.Data.Checks;
using MLIntern.Training.Baseline;

namespace MLIntern.Training.Evaluation;

/// <summary>
/// Thresholds of the leakage audit (documented in docs/evaluation.md).
/// </summary>
/// <param name="Threshold">The audit runs by itself when macro-F1 is at or above this.</param>
/// <param name="NearDuplicateJaccard">A test text is a near-duplicate of a train text at this Jaccard similarity of words and word pairs.</param>
/// <param name="TemplateJaccard">Two texts of the same label are one template family at this Jaccard similarity of their template signatures.</param>
/// <param name="MinTokenRows">A shortcut word occurs in at least this many train rows (and at least 0.5 % of them).</param>
/// <param name="TokenPurity">…and at least this share of those rows carry one label.</param>
/// <param name="AlarmOverlap">Alarm when this share of test rows is in train (exact or near-duplicate).</param>
/// <param name="AlarmDrop">Alarm when macro-F1 drops by this much under the template group split.</param>
public sealed record AuditOptions(
    double Threshold = 0.99,
    double NearDuplicateJaccard = 0.8,
    double TemplateJaccard = 0.5,
    int MinTokenRows = 5,
    double TokenPurity = 0.99,
    double AlarmOverlap = 0.01,
    double AlarmDrop = 0.05,
    int Seed = 42,
    double TestFraction = 0.2);

public sealed record TextExample(string Text, string Label, string? Match = null, double? Similarity = null)
{
    public string Text { get; init => field = Secrets.Redact(value); } = Secrets.Redact(Text);

    public string? Match { get; init => field = value is null ? null : Secrets.Redact(value); } = Match is null ? null : Secrets.Redact(Match);
}

/// <summary>Test rows found in train: verbatim, after case/punctuation normalisation, or as near-duplicates.</summary>
/// <summary>The leakage audit's paraphrase overlap (<see cref="ParaphraseOverlap"/>): how many test rows restate a train row, with examples (best first).</summary>
public sealed record ParaphraseFigures(string Encoder, double Threshold, int TestRows, int Paraphrases, double Share, IReadOnlyList<TextExample> Examples);

public sealed record OverlapFigures(int TestRows, int Exact, int Normalized, int NearDuplicate, double Share, IReadOnlyList<TextExample> Examples);

/// <summary>Texts (normalised) that carry more than one label across train and test.</summary>
public sealed record ConflictFigures(int Texts, int Rows, IReadOnlyList<ConflictExample> Examples);

public sealed record ConflictExample(string Text, IReadOnlyList<string> Labels)
{
    public string Text { get; init => field = Secrets.Redact(value); } = Secrets.Redact(Text);
}

/// <summary>A word that alone predicts a label in train.</summary>
public sealed record PredictiveToken(string Token, string Label, int TrainRows, double Purity, double LabelCoverage)
{
    public string Token { get; init => field = Secrets.Redact(value); } = Secrets.Redact(Token);
}

/// <summary>The shortcut words and what a rule "word → its label" does on the test rows.</summary>
public sealed record TokenShortcuts(IReadOnlyList<PredictiveToken> Tokens, int Count, int TestRowsCovered, double Coverage, double RuleAccuracy);

/// <summary>A template family: its signature, rows on each side.</summary>
public sealed record TemplateExample(string Signature, string Label, int TrainRows, int TestRows, IReadOnlyList<string> Texts)
{
    public string Signature { get; init => field = Secrets.Redact(value); } = Secrets.Redact(Signature);

    public IReadOnlyList<string> Texts { get; init => field = Secrets.Redact(value); } = Secrets.Redact(Texts);
}

/// <summary>
/// Template leakage: families of texts of one label that differ only in filled-in values; how many
/// sit on both sides of the split; and the baseline retrained on a split where none does.
/// </summary>
public sealed record TemplateFigures(
    int Families,
    int SharedFamilies,
    int TestRowsInSharedFamilies,
    double SharedShare,
    double BaselineMacroF1,
    double GroupSplitMacroF1,
    double GroupSplitAccuracy,
    double Drop,
    int GroupTrainRows,
    int GroupTestRows,
    int Seed,
    IReadOnlyList<string> ClassesNotHeldOut,
    IReadOnlyList<TemplateExample> Examples);

/// <summary>
/// The leakage audit: a score at or above the threshold is treated as a question. It measures
/// train/test overlap (exact and near-duplicate), conflicting labels, single-word shortcuts and
/// template leakage (a group split by template family, the baseline retrained and re-scored), and
/// says whether the score is explained by leakage (<see cref="Alarm"/>), with figures.
/// </summary>
public sealed record LeakageAudit(
    string Reason,
    double MacroF1,
    bool Alarm,
    IReadOnlyList<string> Findings,
    OverlapFigures Overlap,
    ConflictFigures Conflicts,
    TokenShortcuts Shortcuts,
    TemplateFigures? Templates,
    IReadOnlyList<string> Suggestions,
    ParaphraseFigures? Paraphrases = null)
{
    /// <summary>Trains on the first rows and scores the second; by default the built-in baseline.</summary>
    public delegate ClassificationMetrics Retrain(LabeledRows train, LabeledRows test, CancellationToken cancellationToken);

    public static bool ShouldRun(double macroF1, AuditOptions options) => macroF1 >= options.Threshold;

    public static ClassificationMetrics RetrainBaseline(LabeledRows train, LabeledRows test, int seed, CancellationToken cancellationToken)
    {
        var result = BaselineTrainer.Run(train, test, new BaselineOptions(Seed: seed), cancellationToken: cancellationToken);
        return ClassificationMetrics.Compute([.. result.Predictions.Select(p => p.Label)], [.. result.Predictions.Select(p => p.Predicted)]);
    }

    /// <param name="embed">The sentence encoder for the paraphrase overlap, named by <paramref name="encoder"/>; null leaves it out.</param>
    public static LeakageAudit Run(LabeledRows train, LabeledRows test, double macroF1, string reason, AuditOptions options, Retrain? retrain = null, CancellationToken cancellationToken = default, TextEmbedder? embed = null, string? encoder = null)
    {
        retrain ??= (a, b, ct) => RetrainBaseline(a, b, options.Seed, ct);
        var overlap = MeasureOverlap(train, test, options, cancellationToken);
        var conflicts = FindConflicts(train, test);
        var shortcuts = FindShortcuts(train, test, options);
        var templates = test.Count == 0 || train.Count == 0 ? null : MeasureTemplates(train, test, options, retrain, cancellationToken);
        var paraphrases = embed is null || test.Count == 0 || train.Count == 0 ? null : MeasureParaphrases(train, test, embed, encoder ?? "sentence encoder", cancellationToken: cancellationToken);

        var findings = new List<string>();
        var suggestions = new List<string>();
        var f = CultureInfo.InvariantCulture;
        if (overlap.Exact + overlap.Normalized + overlap.NearDuplicate > 0)
        {
            findings.Add(string.Format(f, "{0} of {1} test rows ({2:P1}) are also in train: {3} verbatim, {4} after case and punctuation are ignored, {5} as near-duplicates (Jaccard ≥ {6}).", overlap.Exact + overlap.Normalized + overlap.NearDuplicate, overlap.TestRows, overlap.Share, overlap.Exact, overlap.Normalized, overlap.NearDuplicate, options.NearDuplicateJaccard));
            suggestions.Add(string.Format(f, "Deduplicate across the split: drop or move the {0} test rows that are in train ({1:P1} of the test set) before reporting a score.", overlap.Exact + overlap.Normalized + overlap.NearDuplicate, overlap.Share));
        }
        else
        {
            findings.Add(string.Format(f, "No test row is in train, verbatim or as a near-duplicate (Jaccard ≥ {0}), among {1} test rows.", options.NearDuplicateJaccard, overlap.TestRows));
        }

        if (paraphrases is not null)
        {
            if (paraphrases.Paraphrases > 0)
            {
                var top = paraphrases.Examples[0];
                findings.Add(string.Format(f, "{0} of {1} test rows ({2:P1}) are paraphrases of a train row: their nearest train row by {3} embedding has the same label and a cosine ≥ {4}, e.g. \"{5}\" ~ \"{6}\" ({7:0.000}).", paraphrases.Paraphrases, paraphrases.TestRows, paraphrases.Share, paraphrases.Encoder, paraphrases.Threshold, top.Text, top.Match, top.Similarity));
                suggestions.Add(string.Format(f, "Hold out by meaning, not only by text: {0} test rows ({1:P1}) restate a train row in other words; move them to train (or their sources to test) and report the score on the rest.", paraphrases.Paraphrases, paraphrases.Share));
            }
            else
            {
                findings.Add(string.Format(f, "No test row is a paraphrase of a train row ({0} cosine ≥ {1} to a nearest train row of the same label), among {2} test rows.", paraphrases.Encoder, paraphrases.Threshold, paraphrases.TestRows));
            }
        }

        if (conflicts.Texts > 0)
        {
            var first = conflicts.Examples[0];
            findings.Add(string.Format(f, "{0} text(s) carry more than one label ({1} rows), e.g. \"{2}\": {3}.", conflicts.Texts, conflicts.Rows, first.Text, string.Join(", ", first.Labels)));
            suggestions.Add(string.Format(f, "Resolve the {0} text(s) labelled two ways (relabel or drop them); the model is asked to learn a contradiction.", conflicts.Texts));
        }

        if (shortcuts.Count > 0)
        {
            var top = shortcuts.Tokens[0];
            findings.Add(string.Format(f, "{0} single words predict their label alone (purity ≥ {1:P0}), e.g. '{2}' → {3} in {4} train rows; the rule \"word → label\" covers {5:P1} of test rows at {6:P1} accuracy.", shortcuts.Count, options.TokenPurity, top.Token, top.Label, top.TrainRows, shortcuts.Coverage, shortcuts.RuleAccuracy));
            if (shortcuts.Coverage >= 0.5 && shortcuts.RuleAccuracy >= 0.95)
            {
                suggestions.Add(string.Format(f, "Test with paraphrases that avoid the shortcut words: one word decides {0:P0} of the test rows (rule accuracy {1:P1}).", shortcuts.Coverage, shortcuts.RuleAccuracy));
            }
        }

        if (templates is not null)
        {
            findings.Add(string.Format(f, "{0} template families; {1} of them sit on both sides of the split and hold {2} of {3} test rows ({4:P1}).", templates.Families, templates.SharedFamilies, templates.TestRowsInSharedFamilies, test.Count, templates.SharedShare));
            findings.Add(string.Format(f, "Baseline macro-F1 {0:0.000} → {1:0.000} when no template is shared between train and test (drop {2:0.000}; group split, seed {3}, {4} train / {5} test rows).", templates.BaselineMacroF1, templates.GroupSplitMacroF1, templates.Drop, templates.Seed, templates.GroupTrainRows, templates.GroupTestRows));
            if (templates.ClassesNotHeldOut.Count > 0)
            {
                findings.Add(string.Format(f, "{0} classes have a single template family and stay in train only: {1}.", templates.ClassesNotHeldOut.Count, string.Join(", ", templates.ClassesNotHeldOut.Take(10))));
            }

            if (templates.Drop >= options.AlarmDrop)
            {
                suggestions.Add(string.Format(f, "Split by template family (a group split on the template signature) and report that score: macro-F1 {0:0.000}, not {1:0.000}.", templates.GroupSplitMacroF1, macroF1));
                suggestions.Add(string.Format(f, "Collect differently worded examples: {0:P1} of test rows share a template with train, so the score measures template recall.", templates.SharedShare));
            }
        }

        var alarm = overlap.Share >= options.AlarmOverlap || (templates?.Drop ?? 0) >= options.AlarmDrop;
        return new LeakageAudit(reason, macroF1, alarm, findings, overlap, conflicts, shortcuts, templates, suggestions, paraphrases);
    }

    /// <summary>The audit's paraphrase figures (<see cref="ParaphraseOverlap.Find(IReadOnlyList{float[]}, IReadOnlyList{string}?, IReadOnlyList{float[]}, IReadOnlyList{string}?, double, CancellationToken)"/>, labelled): the matches between the splits, with up to <paramref name="examples"/> examples (texts redacted).</summary>
    public static ParaphraseFigures MeasureParaphrases(LabeledRows train, LabeledRows test, TextEmbedder embed, string encoder, double threshold = ParaphraseOverlap.DefaultThreshold, int examples = 5, CancellationToken cancellationToken = default)
    {
        var trainVectors = embed(train.Texts, cancellationToken);
        var testVectors = embed(test.Texts, cancellationToken);
        var matches = ParaphraseOverlap.Find(trainVectors, train.Labels, testVectors, test.Labels, threshold, cancellationToken);
        var shown = matches.Take(examples).Select(m => new TextExample(test.Texts[m.TestRow], test.Labels[m.TestRow], train.Texts[m.TrainRow], Math.Round(m.Cosine, 3))).ToArray();
        return new ParaphraseFigures(encoder, threshold, test.Count, matches.Count, test.Count == 0 ? 0 : (double)matches.Count / test.Count, shown);
    }

    public static OverlapFigures MeasureOverlap(LabeledRows train, LabeledRows test, AuditOptions options, CancellationToken cancellationToken = default)
    {
        var exact = new HashSet<string>(train.Texts, StringComparer.Ordinal);
        var normalized = new Dictionary<string, string>(StringComparer.Ordinal);
        var index = new MinHashIndex();
        var indexed = new List<int>();
        for (var i = 0; i < train.Count; i++)
        {
            var n = TextSignatures.Normalize(train.Texts[i]);
            if (normalized.TryAdd(n, train.Texts[i]))
            {
                index.Add(TextSignatures.Shingles(n));
                indexed.Add(i);
            }
        }

        int e = 0, nz = 0, near = 0;
        var examples = new List<TextExample>();
        for (var i = 0; i < test.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var text = test.Texts[i];
            if (exact.Contains(text))
            {
                e++;
                Example(new TextExample(text, test.Labels[i], text, 1));
                continue;
            }

            var n = TextSignatures.Normalize(text);
            if (normalized.TryGetValue(n, out var match))
            {
                nz++;
                Example(new TextExample(text, test.Labels[i], match, 1));
                continue;
            }

            var best = index.Similar(TextSignatures.Shingles(n), options.NearDuplicateJaccard).OrderByDescending(x => x.Similarity).FirstOrDefault();
            if (best.Similarity > 0)
            {
                near++;
                Example(new TextExample(text, test.Labels[i], train.Texts[indexed[best.Id]], Math.Round(best.Similarity, 3)));
            }
        }

        return new OverlapFigures(test.Count, e, nz, near, test.Count == 0 ? 0 : (double)(e + nz + near) / test.Count, examples);

        void Example(TextExample example)
        {
            if (examples.Count < 10)
            {
                examples.Add(example);
            }
        }
    }

    public static ConflictFigures FindConflicts(LabeledRows train, LabeledRows test)
    {
        var byText = new Dictionary<string, (SortedSet<string> Labels, int Rows, string First)>(StringComparer.Ordinal);
        foreach (var (text, label) in train.Texts.Zip(train.Labels).Concat(test.Texts.Zip(test.Labels)))
        {
            var key = TextSignatures.Normalize(text);
            if (!byText.TryGetValue(key, out var entry))
            {
                entry = (new SortedSet<string>(StringComparer.Ordinal), 0, text);
            }

            entry.Labels.Add(label);
            byText[key] = (entry.Labels, entry.Rows + 1, entry.First);
        }

        var conflicting = byText.Values.Where(v => v.Labels.Count > 1).OrderByDescending(v => v.Rows).ThenBy(v => v.First, StringComparer.Ordinal).ToArray();
        return new ConflictFigures(conflicting.Length, conflicting.Sum(v => v.Rows), [.. conflicting.Take(10).Select(v => new ConflictExample(v.First, [.. v.Labels]))]);
    }

    public static TokenShortcuts FindShortcuts(LabeledRows train, LabeledRows test, AuditOptions options)
    {
        var counts = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        var labelRows = train.Labels.GroupBy(l => l, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        for (var i = 0; i < train.Count; i++)
        {
            foreach (var token in Tokens(train.Texts[i]))
            {
                if (!counts.TryGetValue(token, out var byLabel))
                {
                    counts[token] = byLabel = new Dictionary<string, int>(StringComparer.Ordinal);
                }

                byLabel[train.Labels[i]] = byLabel.GetValueOrDefault(train.Labels[i]) + 1;
            }
        }

        var minRows = Math.Max(options.MinTokenRows, (int)Math.Ceiling(0.005 * train.Count));
        var tokens = new List<PredictiveToken>();
        foreach (var (token, byLabel) in counts)
        {
            var total = byLabel.Values.Sum();
            if (total < minRows)
            {
                continue;
            }

            var (label, count) = byLabel.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).First();
            var purity = (double)count / total;
            if (purity >= options.TokenPurity)
            {
                tokens.Add(new PredictiveToken(token, label, total, purity, (double)count / labelRows[label]));
            }
        }

        tokens.Sort((a, b) => b.LabelCoverage != a.LabelCoverage ? b.LabelCoverage.CompareTo(a.LabelCoverage) : string.CompareOrdinal(a.Token, b.Token));
        var rule = tokens.ToDictionary(t => t.Token, StringComparer.Ordinal);
        int covered = 0, right = 0;
        for (var i = 0; i < test.Count; i++)
        {
            var best = Tokens(test.Texts[i]).Select(t => rule.GetValueOrDefault(t)).OfType<PredictiveToken>().OrderByDescending(t => t.TrainRows).ThenBy(t => t.Token, StringComparer.Ordinal).FirstOrDefault();
            if (best is not null)
            {
                covered++;
                right += best.Label == test.Labels[i] ? 1 : 0;
            }
        }

        return new TokenShortcuts([.. tokens.Take(15)], tokens.Count, covered, test.Count == 0 ? 0 : (double)covered / test.Count, covered == 0 ? 0 : (double)right / covered);
    }

    private static IEnumerable<string> Tokens(string text) =>
        TextSignatures.Normalize(text).Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(t => t.Length >= 2 && !t.Any(char.IsDigit)).Distinct(StringComparer.Ordinal);

    public static TemplateFigures MeasureTemplates(LabeledRows train, LabeledRows test, AuditOptions options, Retrain retrain, CancellationToken cancellationToken = default)
    {
        var all = train.Concat(test);
        var n = all.Count;
        var family = TemplateFamilies(all, options.TemplateJaccard, cancellationToken);

        // Families on both sides of the original split.
        var inTrain = new HashSet<int>(Enumerable.Range(0, train.Count).Select(i => family[i]));
        var inTest = new HashSet<int>(Enumerable.Range(train.Count, test.Count).Select(i => family[i]));
        var shared = new HashSet<int>(inTrain.Where(inTest.Contains));
        var testInShared = Enumerable.Range(train.Count, test.Count).Count(i => shared.Contains(family[i]));

        // The group split: per label, whole families go to test (seeded order) until the test share is reached.
        var random = new Random(options.Seed);
        var testRows = new List<int>();
        var trainRows = new List<int>();
        var notHeldOut = new List<string>();
        foreach (var label in Enumerable.Range(0, n).GroupBy(i => all.Labels[i], StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var families = label.GroupBy(i => family[i]).Select(g => g.ToArray()).OrderBy(g => g[0]).ToArray();
            if (families.Length < 2)
            {
                notHeldOut.Add(label.Key);
                trainRows.AddRange(label);
                continue;
            }

            random.Shuffle(families);
            var target = Math.Max(1, (int)Math.Round(label.Count() * options.TestFraction));
            var taken = 0;
            for (var g = 0; g < families.Length; g++)
            {
                if (taken < target && g < families.Length - 1)
                {
                    testRows.AddRange(families[g]);
                    taken += families[g].Length;
                }
                else
                {
                    trainRows.AddRange(families[g]);
                }
            }
        }

        trainRows.Sort();
        testRows.Sort();
        var original = retrain(train, test, cancellationToken);
        var grouped = testRows.Count == 0 ? original : retrain(all.Take(trainRows), all.Take(testRows), cancellationToken);

        var examples = shared
            .Select(id => (id, rows: Enumerable.Range(0, n).Where(i => family[i] == id).ToArray()))
            .OrderByDescending(x => x.rows.Length)
            .ThenBy(x => x.rows[0])
            .Take(8)
            .Select(x => new TemplateExample(TextSignatures.Template(all.Texts[x.rows[0]]), all.Labels[x.rows[0]], x.rows.Count(i => i < train.Count), x.rows.Count(i => i >= train.Count), [.. x.rows.Take(3).Select(i => all.Texts[i])]))
            .ToArray();

        return new TemplateFigures(
            family.Distinct().Count(),
            shared.Count,
            testInShared,
            test.Count == 0 ? 0 : (double)testInShared / test.Count,
            original.Macro.F1,
            grouped.Macro.F1,
            grouped.Accuracy,
            original.Macro.F1 - grouped.Macro.F1,
            trainRows.Count,
            testRows.Count,
            options.Seed,
            notHeldOut,
            examples);
    }

    /// <summary>
    /// The template family of every row: rows of one label whose template signatures are equal or
    /// have a Jaccard similarity ≥ <paramref name="threshold"/> are joined (union–find), so a family
    /// is a connected group of look-alike texts. Families never cross labels.
    /// </summary>
    public static int[] TemplateFamilies(LabeledRows rows, double threshold, CancellationToken cancellationToken = default)
    {
        var parent = Enumerable.Range(0, rows.Count).ToArray();
        int Find(int x)
        {
            while (parent[x] != x)
            {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }

            return x;
        }

        void Union(int a, int b)
        {
            var (ra, rb) = (Find(a), Find(b));
            if (ra != rb)
            {
                parent[Math.Max(ra, rb)] = Math.Min(ra, rb);
            }
        }

        foreach (var label in Enumerable.Range(0, rows.Count).GroupBy(i => rows.Labels[i], StringComparer.Ordinal))
        {
            var bySignature = new Dictionary<string, int>(StringComparer.Ordinal);
            var index = new MinHashIndex();
            var rowOf = new List<int>();
            foreach (var i in label)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var signature = TextSignatures.Template(rows.Texts[i]);
                if (bySignature.TryGetValue(signature, out var first))
                {
                    Union(first, i);
                    continue;
                }

                bySignature[signature] = i;
                var shingles = TextSignatures.Shingles(signature);
                foreach (var (id, _) in index.Similar(shingles, threshold))
                {
                    Union(rowOf[id], i);
                }

                index.Add(shingles);
                rowOf.Add(i);
            }
        }

        return [.. Enumerable.Range(0, rows.Count).Select(Find)];
    }
}
