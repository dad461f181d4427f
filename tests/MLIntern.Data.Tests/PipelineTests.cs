using System.Text;
using System.Text.Json;
using MLIntern.Data.Profiling;

namespace MLIntern.Data.Tests;

/// <summary>The two-thread pass gives exactly the single-thread pass's profile, whatever the batches.</summary>
public sealed class PipelineTests
{
    private static DatasetProfile SerialProfile(IReadOnlyList<DataSplit> splits) =>
        new DatasetProfiler(splits, new DataCheckOptions()) { ParallelMinBytes = long.MaxValue }.Run();

    private static string Serial(IReadOnlyList<DataSplit> splits) => Json(SerialProfile(splits));

    private static string Parallel(IReadOnlyList<DataSplit> splits) =>
        Json(new DatasetProfiler(splits, new DataCheckOptions()) { ParallelMinBytes = 0 }.Run());

    private static string Json(DatasetProfile profile) => JsonSerializer.Serialize(profile with { Seconds = 0 });

    /// <summary>Thousands of rows with every kind of finding, in two splits, so batches fill and wrap many times.</summary>
    private static (string Train, string Test) Tickets()
    {
        var random = new Random(5);
        string[] templates = ["cancel order {{{{Order Number}}}} now", "where is my parcel number {0} please", "my email is user{0}@example.com help me", "call me on +1 415 555 {0:0000} about the refund", "I want a refund for the {0} things I bought", "reset the password of account {0} today please"];
        string Row(int i) => string.Format(System.Globalization.CultureInfo.InvariantCulture, templates[i % templates.Length], random.Next(0, 5000));
        var train = new StringBuilder("text,label,note\n");
        var test = new StringBuilder("text,label,note\n");
        for (var i = 0; i < 6000; i++)
        {
            var text = Row(i);
            train.Append('"').Append(text).Append("\",").Append(i % 97 == 0 ? "" : random.Next(3) == 0 ? "b" : "a").Append(',').Append(i % 7 == 0 ? "" : "note " + i).Append('\n');
            if (i % 3 == 0)
            {
                test.Append('"').Append(i % 6 == 0 ? text : Row(i)).Append("\",a,\n");
            }
        }

        return (train.ToString(), test.ToString());
    }

    [Fact]
    public void Two_threads_give_the_single_thread_profile_for_csv_splits()
    {
        var (train, test) = Tickets();
        IReadOnlyList<DataSplit> splits = [new("train", [Profiles.File("train.csv", train)]), new("test", [Profiles.File("test.csv", test)])];
        var profile = SerialProfile(splits);
        Assert.Equal(Json(profile), Parallel(splits));
        foreach (var code in new[] { "MLD001", "MLD002", "MLD003", "MLD004", "MLD007", "MLD008", "MLD009" })
        {
            Assert.True(profile.Check(code).Count > 0, code);
        }
    }

    [Fact]
    public void Two_threads_follow_json_lines_columns_that_appear_midway()
    {
        var jsonl = new StringBuilder();
        for (var i = 0; i < 3000; i++)
        {
            jsonl.Append(i < 1500
                ? $$$"""{"text": "order {{{i % 50}}} is late, where is it {{Order Number}}", "label": "late"}"""
                : $$"""{"text": "order {{i % 50}} is late, where is it", "label": "late", "extra": "mail me at a{{i}}@example.org please"}""").Append('\n');
        }

        IReadOnlyList<DataSplit> splits = [new("all", [Profiles.File("tickets.jsonl", jsonl.ToString())])];
        var serial = Serial(splits);
        Assert.Equal(serial, Parallel(splits));
        Assert.Contains("\"extra\"", serial, StringComparison.Ordinal);
    }

    [Fact]
    public void Cancellation_stops_the_two_thread_pass()
    {
        var (train, _) = Tickets();
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var profiler = new DatasetProfiler([new("train", [Profiles.File("train.csv", train)])], new DataCheckOptions()) { ParallelMinBytes = 0 };
        Assert.ThrowsAny<OperationCanceledException>(() => profiler.Run(cancel.Token));
    }
}
