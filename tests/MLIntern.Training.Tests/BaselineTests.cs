using MLIntern.Data.Profiling;
using MLIntern.Data.Reading;
using MLIntern.Training.Baseline;
using MLIntern.Training.Evaluation;

namespace MLIntern.Training.Tests;

/// <summary>The built-in baseline: learns, is deterministic for a seed, and scores like scikit-learn.</summary>
public sealed class BaselineTests
{
    /// <summary>A small seeded intent data set: templated requests per intent, with shared filler words.</summary>
    internal static LabeledRows Intents(int perClass = 60, int seed = 3)
    {
        string[][] phrases =
        [
            ["cancel my order", "I want to cancel the order", "please cancel purchase", "stop my order now"],
            ["where is my refund", "refund status please", "has my refund been processed", "track the refund"],
            ["reset my password", "I forgot my password", "cannot log in, password help", "change the password"],
            ["talk to a human", "connect me to an agent", "I need a real person", "speak with support staff"],
        ];
        string[] labels = ["cancel_order", "track_refund", "recover_password", "contact_human_agent"];
        string[] filler = ["", "hi ", "hello, ", "hey ", "good morning "];
        var random = new Random(seed);
        var texts = new List<string>();
        var classes = new List<string>();
        for (var i = 0; i < perClass; i++)
        {
            for (var c = 0; c < labels.Length; c++)
            {
                texts.Add(filler[random.Next(filler.Length)] + phrases[c][random.Next(phrases[c].Length)] + (random.Next(3) == 0 ? " thanks" : ""));
                classes.Add(labels[c]);
            }
        }

        return new LabeledRows(texts, classes, 0);
    }

    [Fact]
    public void Learns_well_above_chance_and_reports_every_class()
    {
        var result = BaselineTrainer.Run(Intents(), null, new BaselineOptions(Seed: 7));
        Assert.True(result.Eval.Accuracy > 0.9, $"accuracy {result.Eval.Accuracy}");
        Assert.Equal(4, result.Eval.PerClass.Count);
        Assert.Equal(48, result.TestRows);
        Assert.Equal(result.TestRows, result.Predictions.Count);
        Assert.All(result.Eval.PerClass.Values, s => Assert.Equal(12, s.Support));
        Assert.NotEmpty(result.Epochs);
        Assert.Equal(["cancel_order", "contact_human_agent", "recover_password", "track_refund"], result.Eval.Labels);
    }

    [Fact]
    public void Same_seed_same_model_whatever_the_thread_count()
    {
        var one = BaselineTrainer.Run(Intents(), null, new BaselineOptions(Seed: 11, MaxThreads: 1));
        var many = BaselineTrainer.Run(Intents(), null, new BaselineOptions(Seed: 11, MaxThreads: 4));
        Assert.Equal(one.Model.Weights, many.Model.Weights);
        Assert.Equal(one.Predictions.Select(p => (p.Text, p.Predicted)), many.Predictions.Select(p => (p.Text, p.Predicted)));
        var other = BaselineTrainer.Run(Intents(), null, new BaselineOptions(Seed: 12));
        Assert.NotEqual(one.Predictions.Select(p => p.Text), other.Predictions.Select(p => p.Text));
    }

    [Fact]
    public void A_saved_model_scores_like_the_trained_one()
    {
        var result = BaselineTrainer.Run(Intents(), null, new BaselineOptions());
        using var stream = new MemoryStream();
        result.Model.Save(stream);
        stream.Position = 0;
        var loaded = BaselineModel.Load(stream);
        var texts = result.Predictions.Select(p => p.Text).ToList();
        Assert.Equal(result.Model.Score(texts), loaded.Score(texts));
        Assert.Throws<InvalidDataException>(() => BaselineModel.Load(new MemoryStream("nope"u8.ToArray())));
    }

    [Fact]
    public void The_test_split_is_used_when_given_and_the_smoke_subset_is_small()
    {
        var all = Intents();
        var (train, test) = StratifiedSplit.Split(all.Labels, 0.25, 5);
        var result = BaselineTrainer.Run(all.Take(train), all.Take(test), new BaselineOptions(MaxTrainRows: 16, MaxEpochs: 2));
        Assert.Equal("test split", result.SplitSource);
        Assert.Equal(test.Length, result.TestRows);
        Assert.InRange(result.TrainRows, 4, 20);
        Assert.True(result.Epochs.Count <= 2);
    }

    [Fact]
    public void Stratified_split_keeps_class_proportions_and_is_seeded()
    {
        string[] labels = [.. Enumerable.Repeat("a", 50), .. Enumerable.Repeat("b", 10), "c"];
        var (train, test) = StratifiedSplit.Split(labels, 0.2, 42);
        Assert.Equal(10, test.Count(i => labels[i] == "a"));
        Assert.Equal(2, test.Count(i => labels[i] == "b"));
        Assert.Equal(0, test.Count(i => labels[i] == "c"));
        Assert.Equal(labels.Length, train.Length + test.Length);
        Assert.Equal(test, StratifiedSplit.Split(labels, 0.2, 42).Test);
        Assert.NotEqual(test, StratifiedSplit.Split(labels, 0.2, 43).Test);
    }

    [Fact]
    public void Eval_report_matches_a_hand_computed_confusion_matrix()
    {
        // truth:     a a a b b c ; predicted: a a b b c c
        // a: P 2/2, R 2/3, F1 0.8; b: P 1/2, R 1/2, F1 0.5; c: P 1/2, R 1/1, F1 2/3. Macro = (0.8 + 0.5 + 0.6667) / 3.
        var report = EvalReport.Compute(["a", "b", "c"], [0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2]);
        Assert.Equal(4.0 / 6, report.Accuracy, 10);
        Assert.Equal((0.8 + 0.5 + (2.0 / 3)) / 3, report.MacroF1, 10);
        Assert.Equal([2, 1, 0], report.ConfusionMatrix[0]);
        Assert.Equal(0.5, report.PerClass["b"].Precision, 10);
        Assert.Equal(3, report.PerClass["a"].Support);
    }

    [Fact]
    public void Reads_rows_through_the_data_readers_skipping_missing_labels()
    {
        var csv = "text,label\nhello there,greet\n,greet\nbye now,\n\"quoted, text\",farewell\n"u8.ToArray();
        var rows = LabeledRows.Read(new DataSplit("all", [new DataFile("mem.csv", DataFormat.Csv, () => new MemoryStream(csv))]), "text", "label");
        Assert.Equal(["hello there", "quoted, text"], rows.Texts);
        Assert.Equal(["greet", "farewell"], rows.Labels);
        Assert.Equal(2, rows.Skipped);
    }
}
