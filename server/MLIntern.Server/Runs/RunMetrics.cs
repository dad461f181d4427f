using System.Text;
using MLIntern.Training.Metrics;

namespace MLIntern.Server.Runs;

/// <summary>
/// The metrics of a run folder, from the best source it has: metrics.jsonl (written by ML Intern's
/// runs and generated scripts), else the Trainer's printed log dicts in stdout.log, else the newest
/// trainer_state.json under the folder (the Trainer's checkpoints). Points without a step are
/// numbered in order of arrival per split.
/// </summary>
internal sealed class RunMetricsTailer(string folder)
{
    private const int MaxLineBytes = 1 << 20;
    private long _jsonlOffset;
    private long _logOffset;
    private int _statePoints;
    private readonly Dictionary<string, long> _counters = new(StringComparer.Ordinal);

    public string Folder { get; } = folder;

    /// <summary>Points that arrived since the last call (all of them on the first).</summary>
    public IReadOnlyList<MetricPoint> Poll()
    {
        var points = new List<MetricPoint>();
        var jsonl = Path.Combine(Folder, "metrics.jsonl");
        if (File.Exists(jsonl))
        {
            foreach (var line in ReadNewLines(jsonl, ref _jsonlOffset))
            {
                if (MetricSources.ParseJsonLine(line) is { } point)
                {
                    points.Add(Number(point));
                }
            }

            return points;
        }

        var log = Path.Combine(Folder, "stdout.log");
        if (File.Exists(log))
        {
            foreach (var line in ReadNewLines(log, ref _logOffset))
            {
                if (MetricSources.ParseTrainerLogLine(line) is { } point)
                {
                    points.Add(Number(point));
                }
            }
        }

        if (_logOffset == 0 || points.Count == 0)
        {
            var state = NewestTrainerState();
            if (state is not null)
            {
                var all = MetricSources.ParseTrainerState(File.ReadAllText(state));
                points.AddRange(all.Skip(_statePoints).Select(Number));
                _statePoints = all.Count;
            }
        }

        return points;
    }

    private MetricPoint Number(MetricPoint point)
    {
        if (point.Step is not null)
        {
            return point;
        }

        _counters.TryGetValue(point.Split, out var n);
        _counters[point.Split] = n + 1;
        return point with { Step = n + 1 };
    }

    private string? NewestTrainerState()
    {
        try
        {
            return Directory.EnumerateFiles(Folder, "trainer_state.json", new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 4 })
                .Take(1000)
                .OrderByDescending(File.GetLastWriteTimeUtc)
                .FirstOrDefault();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Complete lines appended since <paramref name="offset"/>; a partial last line waits for the next poll.</summary>
    private static List<string> ReadNewLines(string path, ref long offset)
    {
        var lines = new List<string>();
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length < offset)
            {
                offset = 0;
            }

            stream.Position = offset;
            var buffer = new byte[Math.Min(stream.Length - offset, 64L << 20)];
            var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            var start = 0;
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] == '\n')
                {
                    if (i - start <= MaxLineBytes)
                    {
                        lines.Add(Encoding.UTF8.GetString(buffer, start, i - start).TrimEnd('\r'));
                    }

                    start = i + 1;
                }
            }

            offset += start;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return lines;
    }
}
