using MLIntern.Training.Metrics;

namespace MLIntern.Training.Tests;

/// <summary>Each metrics source parsed from a real-shaped fixture.</summary>
public sealed class MetricSourceTests
{
    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    [Fact]
    public void Trainer_state_log_history_gives_train_eval_and_summary_points()
    {
        var points = MetricSources.ParseTrainerState(Fixture("trainer_state.json"));
        Assert.Equal(6, points.Count);
        var first = points[0];
        Assert.Equal(("train", 100L, 0.4), (first.Split, first.Step!.Value, first.Epoch!.Value));
        Assert.Equal(2.9714, first.Values["loss"]);
        Assert.Equal(4.0200000000000005e-05, first.Values["learning_rate"]);
        var eval = points[2];
        Assert.Equal("eval", eval.Split);
        Assert.Equal(0.8512, eval.Values["macro_f1"]);
        Assert.False(eval.Values.ContainsKey("eval_loss"));
        Assert.Equal("summary", points[5].Split);
        Assert.Empty(MetricSources.ParseTrainerState("{\"log_history\": 3}"));
        Assert.Empty(MetricSources.ParseTrainerState("not json"));
    }

    [Fact]
    public void Printed_trainer_logs_are_read_from_python_dict_reprs_even_after_a_progress_bar()
    {
        var points = Fixture("trainer_output.log").Split('\n').Select(MetricSources.ParseTrainerLogLine).OfType<MetricPoint>().ToList();
        Assert.Equal(5, points.Count);
        Assert.Equal(2.9714, points[0].Values["loss"]);
        Assert.Equal(0.4, points[0].Epoch);
        Assert.Null(points[0].Step);
        Assert.Equal("eval", points[2].Split);
        Assert.Equal(0.8644, points[2].Values["accuracy"]);
        Assert.True(double.IsNaN(points[3].Values["loss"]));
        Assert.True(double.IsPositiveInfinity(points[3].Values["grad_norm"]));
        Assert.Equal("summary", points[4].Split);
        Assert.Null(MetricSources.ParseTrainerLogLine("{'loss': 0.5, 'epoch'"));
    }

    [Fact]
    public void Metrics_jsonl_lines_keep_their_split_and_skip_garbage()
    {
        var points = Fixture("metrics.jsonl").Split('\n').Select(MetricSources.ParseJsonLine).OfType<MetricPoint>().ToList();
        Assert.Equal(3, points.Count);
        Assert.Equal(("train", 1L), (points[0].Split, points[0].Step!.Value));
        Assert.Equal(0.94, points[2].Values["macro_f1"]);
        Assert.Equal("test", points[2].Split);
    }
}
