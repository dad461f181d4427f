using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using MLIntern.Server.Lsp.Protocol;
using MLIntern.Server.Runs;
using MLIntern.Training.Metrics;
using Wire = MLIntern.Server.Protocol;

namespace MLIntern.Server.Lsp.Handlers;

/// <summary>
/// Follows the folders of live runs and sends `mlintern/metrics` {runId, points} with each batch of
/// new points (every half second while something is watched). A run stops being watched after
/// mlintern/runExited, once its last points are sent.
/// </summary>
internal sealed class MetricsWatcher : IDisposable
{
    private readonly ConcurrentDictionary<string, Watched> _runs = new(StringComparer.Ordinal);
    private readonly Func<IClient> _client;
    private readonly ILogger _logger;
    private readonly Timer _timer;
    private int _polling;

    private sealed class Watched(RunMetricsTailer tailer, int skip)
    {
        public RunMetricsTailer Tailer { get; } = tailer;

        public int Skip { get; set; } = skip;

        public volatile bool Finished;
    }

    public MetricsWatcher(Func<IClient> client, ILogger logger, TimeSpan? interval = null)
    {
        _client = client;
        _logger = logger;
        var period = interval ?? TimeSpan.FromMilliseconds(500);
        _timer = new Timer(_ => Poll(), null, period, period);
    }

    /// <summary>Starts following a run folder; the first <paramref name="skip"/> points (already sent in a getRun result) are not repeated.</summary>
    public void Watch(string runId, string folder, int skip = 0) => _runs.TryAdd(runId, new Watched(new RunMetricsTailer(folder), skip));

    public void Finish(string runId)
    {
        if (_runs.TryGetValue(runId, out var watched))
        {
            watched.Finished = true;
        }
    }

    private void Poll()
    {
        if (Interlocked.Exchange(ref _polling, 1) == 1)
        {
            return;
        }

        try
        {
            foreach (var (runId, watched) in _runs)
            {
                var finished = watched.Finished;
                IReadOnlyList<MetricPoint> points = watched.Tailer.Poll();
                if (watched.Skip > 0)
                {
                    var skipped = Math.Min(watched.Skip, points.Count);
                    watched.Skip -= skipped;
                    points = [.. points.Skip(skipped)];
                }

                if (points.Count > 0)
                {
                    _ = _client().NotifyAsync(Methods.Metrics, new Wire.MetricsNotification(runId, Wire.MetricPoint.From(points)))
                        .ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
                }

                if (finished)
                {
                    _runs.TryRemove(runId, out _);
                }
            }
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "metrics poll failed");
        }
        finally
        {
            Volatile.Write(ref _polling, 0);
        }
    }

    public void Dispose() => _timer.Dispose();
}
