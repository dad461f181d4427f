using MLIntern.Training.Baseline;
using MLIntern.Training.Evaluation;

namespace MLIntern.Training.Tests;

/// <summary>The leakage audit on a data set with planted template leakage (the drop is found) and on a clean one (no alarm).</summary>
public sealed class LeakageAuditTests
{
    private static readonly string[] Names = ["Anna", "Berlin", "Paris", "Tom", "Lisbon", "Maria"];

    /// <summary>
    /// Four labels, six templates each, drawn from one shared vocabulary: a template says nothing
    /// about its label except by being memorised. Each template is filled 25 times (numbers, names,
    /// placeholders, an opener), so a random split puts every template on both sides.
    /// </summary>
    private static LabeledRows Templated(int seed = 5)
    {
        var random = new Random(seed);
        var vocabulary = Enumerable.Range(0, 40).Select(i => "w" + (char)('a' + (i % 26)) + (char)('a' + (i / 26))).ToArray();
        string[] openers = ["", "hi ", "hello, ", "please "];
        var texts = new List<string>();
        var labels = new List<string>();
        foreach (var label in new[] { "alpha", "beta", "gamma", "delta" })
        {
            for (var t = 0; t < 6; t++)
            {
                var template = string.Join(' ', Enumerable.Range(0, 6).Select(_ => vocabulary[random.Next(vocabulary.Length)])) + " {slot} to {name}";
                for (var i = 0; i < 25; i++)
                {
                    var slot = random.Next(3) switch { 0 => "{{Order Number}}", 1 => "#" + random.Next(10000, 99999), _ => random.Next(1, 500).ToString(System.Globalization.CultureInfo.InvariantCulture) };
                    texts.Add(openers[random.Next(openers.Length)] + template.Replace("{slot}", slot, StringComparison.Ordinal).Replace("{name}", Names[random.Next(Names.Length)], StringComparison.Ordinal));
                    labels.Add(label);
                }
            }
        }

        return new LabeledRows(texts, labels, 0);
    }

    /// <summary>Four labels with their own words plus shared words, every text a fresh random draw: no templates, no duplicates.</summary>
    private static LabeledRows Clean(int seed = 9)
    {
        var random = new Random(seed);
        var shared = Enumerable.Range(0, 60).Select(i => "s" + i).ToArray();
        var texts = new List<string>();
        var labels = new List<string>();
        foreach (var (label, c) in new[] { "alpha", "beta", "gamma", "delta" }.Select((l, c) => (l, c)))
        {
            var own = Enumerable.Range(0, 40).Select(i => $"k{c}x{i}").ToArray();
            for (var i = 0; i < 150; i++)
            {
                var words = Enumerable.Range(0, 4).Select(_ => own[random.Next(own.Length)]).Concat(Enumerable.Range(0, 5).Select(_ => shared[random.Next(shared.Length)])).ToArray();
                random.Shuffle(words);
                texts.Add(string.Join(' ', words));
                labels.Add(label);
            }
        }

        return new LabeledRows(texts, labels, 0);
    }

    private static (LabeledRows Train, LabeledRows Test, double MacroF1) TrainBaseline(LabeledRows rows)
    {
        var (trainIndices, testIndices) = StratifiedSplit.Split(rows.Labels, 0.2, 42);
        var (train, test) = (rows.Take(trainIndices), rows.Take(testIndices));
        return (train, test, LeakageAudit.RetrainBaseline(train, test, 42, default).Macro.F1);
    }

    [Fact]
    public void Planted_template_leakage_is_found_with_the_drop()
    {
        var (train, test, macroF1) = TrainBaseline(Templated());
        Assert.True(LeakageAudit.ShouldRun(macroF1, new AuditOptions()), $"the templated set should score ≥ 0.99 on a random split, got {macroF1}");
        var audit = LeakageAudit.Run(train, test, macroF1, "test", new AuditOptions());
        Assert.True(audit.Alarm);
        var templates = audit.Templates!;
        Assert.Equal(24, templates.Families);
        Assert.Equal(24, templates.SharedFamilies);
        Assert.Equal(test.Count, templates.TestRowsInSharedFamilies);
        Assert.True(templates.Drop >= 0.3, $"drop {templates.Drop}: {templates.BaselineMacroF1} → {templates.GroupSplitMacroF1}");
        Assert.Empty(templates.ClassesNotHeldOut);
        Assert.Contains(audit.Findings, f => f.Contains("when no template is shared between train and test", StringComparison.Ordinal));
        Assert.Contains(audit.Suggestions, s => s.Contains(templates.GroupSplitMacroF1.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
    }

    [Fact]
    public void A_clean_data_set_raises_no_alarm()
    {
        var (train, test, macroF1) = TrainBaseline(Clean());
        var audit = LeakageAudit.Run(train, test, macroF1, "test", new AuditOptions());
        Assert.False(audit.Alarm, string.Join("\n", audit.Findings));
        Assert.Equal(0, audit.Overlap.Exact + audit.Overlap.Normalized + audit.Overlap.NearDuplicate);
        Assert.Equal(0, audit.Conflicts.Texts);
        Assert.True(Math.Abs(audit.Templates!.Drop) < 0.05, $"drop {audit.Templates.Drop}");
        Assert.DoesNotContain(audit.Suggestions, s => s.Contains("group split", StringComparison.Ordinal));
    }

    [Fact]
    public void Overlap_and_conflicts_are_counted_by_kind()
    {
        var train = new LabeledRows(["where is my order 123 today please", "Cancel my order!", "reset my password now please"], ["track", "cancel", "password"], 0);
        var test = new LabeledRows(["where is my order 123 today please", "cancel my order", "reset my password now please thanks", "something else entirely here"], ["track", "refund", "password", "other"], 0);
        var overlap = LeakageAudit.MeasureOverlap(train, test, new AuditOptions());
        Assert.Equal((1, 1, 1), (overlap.Exact, overlap.Normalized, overlap.NearDuplicate));
        var conflicts = LeakageAudit.FindConflicts(train, test);
        Assert.Equal(1, conflicts.Texts);
        Assert.Equal(["cancel", "refund"], conflicts.Examples[0].Labels);
    }

    [Theory]
    [InlineData("Hi, where is order #12345 to Berlin?", "hi where is order num to ent")]
    [InlineData("where is order {{Order Number}} to Paris", "where is order slot to ent")]
    [InlineData("mail jane.doe@example.com about 3 items", "mail email about num items")]
    public void Template_signatures_canonicalise_what_templates_fill_in(string text, string signature) =>
        Assert.Equal(signature, TextSignatures.Template(text));
}
