using MLIntern.Data.Checks;
using MLIntern.Data.Profiling;
using static MLIntern.Data.Tests.Profiles;

namespace MLIntern.Data.Tests;

/// <summary>
/// MLD007's paraphrase part with an embedding function written here: texts that "mean" the same (a table of the
/// test's) get one unit vector, every other text a direction of its own, so what is reported follows from the table.
/// The real encoder's recall and precision are measured in MLIntern.Server.Tests (ParaphraseCheckTests).
/// </summary>
public sealed class ParaphraseCheckTests
{
    private static readonly List<(string Text, string Label)> Train = Clean(1);

    private sealed class Embedder(Dictionary<string, int> meanings)
    {
        public readonly List<string> Seen = [];
        private readonly Dictionary<string, int> _own = [];

        public float[][] Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken)
        {
            Seen.AddRange(texts);
            return [.. texts.Select(t =>
            {
                var vector = new float[4096];
                if (!meanings.TryGetValue(t, out var m) && !_own.TryGetValue(t, out m))
                {
                    m = _own[t] = 100 + _own.Count;
                }

                vector[m] = 1;
                return vector;
            })];
        }
    }

    private static DatasetProfile Profile(List<(string Text, string Label)> test, DataCheckOptions options, CancellationToken cancellationToken = default) =>
        DatasetProfiler.Profile([new DataSplit("train", [File("train.csv", Csv(Train))]), new DataSplit("test", [File("test.csv", Csv(test))])], options, cancellationToken);

    /// <summary>Test rows: 0 and 1 restate train rows 3 and 5 (same label), 2 restates train row 6 under another label, 3 is train row 7 verbatim.</summary>
    private static (List<(string Text, string Label)> Test, Embedder Embedder) Planted()
    {
        var test = Sentences(12, 99).Select((s, i) => (s, $"class_{i % 4}")).ToList();
        test[0] = ("restated three", Train[3].Label);
        test[1] = ("restated five", Train[5].Label);
        test[2] = ("restated six, other label", Train[6].Label == "class_0" ? "class_1" : "class_0");
        test[3] = Train[7];
        var meanings = new Dictionary<string, int>
        {
            [Train[3].Text] = 3, ["restated three"] = 3,
            [Train[5].Text] = 5, ["restated five"] = 5,
            [Train[6].Text] = 6, ["restated six, other label"] = 6,
        };
        return (test, new Embedder(meanings));
    }

    [Fact]
    public void Off_by_default_the_embedder_is_never_called()
    {
        var (test, embedder) = Planted();
        var check = Profile(test, new DataCheckOptions { Embed = embedder.Embed }).Check("MLD007");
        Assert.Empty(embedder.Seen);
        Assert.Equal(1, check.Count);
        Assert.False(check.Parts!.ContainsKey("paraphrase"));
        Assert.DoesNotContain("paraphrase", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Opted_in_it_reports_same_label_paraphrases_as_their_own_part()
    {
        var (test, embedder) = Planted();
        var profile = Profile(test, new DataCheckOptions { ParaphraseOverlap = true, Embed = embedder.Embed });
        var check = profile.Check("MLD007");
        Assert.Equal(3, check.Count);
        Assert.Equal(1, check.Parts!["exact"]);
        Assert.Equal(2, check.Parts["paraphrase"]);
        Assert.Contains($"2 paraphrase (nearest train row by sentence embedding has the same label and a cosine ≥ {ParaphraseOverlap.DefaultThreshold:0.00})", check.Message, StringComparison.Ordinal);

        var paraphrases = check.Examples.Where(e => e.Detail.Contains("is a paraphrase of", StringComparison.Ordinal)).ToList();
        Assert.Equal([2, 3], paraphrases.Select(e => e.Line).Order());
        Assert.Equal([5, 7], paraphrases.Select(e => e.OtherLine!.Value).Order());
        Assert.All(paraphrases, e => Assert.Contains("cosine 1.00, same label", e.Detail, StringComparison.Ordinal));
        Assert.Contains(paraphrases, e => e.Text == "restated three" && e.Detail.Contains(Train[3].Text, StringComparison.Ordinal));
        Assert.Contains(profile.FindingsFor("test.csv"), f => f.Code == "MLD007" && f.Range.Line == 2);

        // The verbatim repeat is the exact part, not embedded; train is embedded once per distinct text.
        Assert.DoesNotContain(embedder.Seen.Skip(Train.Count), t => t == Train[7].Text);
        Assert.Equal(Train.Count + test.Count - 1, embedder.Seen.Count);
    }

    [Fact]
    public void Without_a_label_column_the_cosine_alone_decides()
    {
        var (test, embedder) = Planted();
        var train = DatasetProfiler.Profile(
            [new DataSplit("train", [File("train.csv", "text\n" + string.Concat(Train.Select(r => r.Text + "\n")))]), new DataSplit("test", [File("test.csv", "text\n" + string.Concat(test.Select(r => r.Text.Replace(",", "", StringComparison.Ordinal) + "\n")))])],
            new DataCheckOptions { ParaphraseOverlap = true, Embed = (texts, ct) => embedder.Embed([.. texts.Select(t => t == "restated six other label" ? "restated six, other label" : t)], ct) });
        Assert.Equal(3, profile(train).Parts!["paraphrase"]);
        Assert.DoesNotContain("same label", string.Concat(profile(train).Examples.Select(e => e.Detail)), StringComparison.Ordinal);

        static CheckResult profile(DatasetProfile p) => p.Check("MLD007");
    }

    [Fact]
    public void Cancelling_while_embedding_stops_the_profile()
    {
        var (test, _) = Planted();
        using var cancel = new CancellationTokenSource();
        var options = new DataCheckOptions
        {
            ParaphraseOverlap = true,
            Embed = (texts, ct) =>
            {
                cancel.Cancel();
                ct.ThrowIfCancellationRequested();
                return [];
            },
        };
        Assert.ThrowsAny<OperationCanceledException>(() => Profile(test, options, cancel.Token));
    }

    [Fact]
    public void An_encoder_that_fails_leaves_the_rest_of_the_finding()
    {
        var (test, _) = Planted();
        var check = Profile(test, new DataCheckOptions { ParaphraseOverlap = true, Embed = (_, _) => throw new InvalidOperationException("no model") }).Check("MLD007");
        Assert.Equal(1, check.Count);
        Assert.Contains("paraphrase overlap not measured: InvalidOperationException: no model", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_setting_takes_true_or_false()
    {
        var problems = new List<string>();
        Assert.True(DataSettingKeys.Apply(new DataCheckOptions(), [new("paraphrase-overlap", "true")], problems).ParaphraseOverlap);
        Assert.False(DataSettingKeys.Apply(new DataCheckOptions { ParaphraseOverlap = true }, [new("paraphraseOverlap", "False")], problems).ParaphraseOverlap);
        Assert.Empty(problems);
        Assert.False(DataSettingKeys.Apply(new DataCheckOptions(), [new("paraphraseOverlap", "yes")], problems).ParaphraseOverlap);
        Assert.Single(problems);
    }
}
