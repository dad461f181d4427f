using Microsoft.Extensions.Logging;
using MLIntern.Server.Lsp.Protocol;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Lsp;

/// <summary>
/// One server-side progress: $/progress begin, throttled reports (each whole percent), end. Cancellable
/// through window/workDoneProgress/cancel while it runs. Notifications are fire-and-forget: a client
/// that does not answer must not hold up the work.
/// </summary>
internal sealed class WorkDoneProgress : IAsyncDisposable
{
    private readonly ServerState _state;
    private readonly JToken _token;
    private readonly string _key;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _cancel = new();
    private int _percent = -1;
    private string? _endMessage;

    private WorkDoneProgress(ServerState state, JToken token, ILogger logger)
    {
        _state = state;
        _token = token;
        _key = token.ToString(Formatting.None);
        _logger = logger;
    }

    public CancellationToken Cancelled => _cancel.Token;

    /// <summary>Begins progress on the client's token, or on a new one when the client supports server-initiated progress; null when neither.</summary>
    public static async Task<WorkDoneProgress?> StartAsync(ServerState state, object? clientToken, string title, ILogger logger, CancellationToken cancellationToken)
    {
        // LSP's ProgressToken is an integer or a string; anything else is no token.
        JToken? token = clientToken switch { string s => new JValue(s), long n => new JValue(n), int n => new JValue(n), JValue { Type: JTokenType.String or JTokenType.Integer } v => v, _ => null };
        if (token is null)
        {
            if (!state.ClientSupportsWorkDoneProgress)
            {
                return null;
            }

            token = new JValue("mlintern-" + Guid.NewGuid().ToString("N"));
            try
            {
                await state.Client.RequestAsync<JToken?>(Methods.WorkDoneProgressCreate, new JObject { ["token"] = token }, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogDebug("the client refused progress: {Message}", e.Message);
                return null;
            }
        }

        var progress = new WorkDoneProgress(state, token, logger);
        state.CancellableProgress[progress._key] = progress._cancel;
        progress.Send(new JObject { ["kind"] = "begin", ["title"] = title, ["cancellable"] = true, ["percentage"] = 0 });
        return progress;
    }

    /// <summary>
    /// Called from the profiling thread with bytes read so far and in all; sends a report when the whole
    /// percent changes. With the test hooks on (MLINTERN_TEST_HOOKS=1), the server's first report waits
    /// until the user cancels (at most a minute), so a test can cancel work that is surely running.
    /// </summary>
    public void Report(long done, long total)
    {
        if (_state.TestHooks && Interlocked.Exchange(ref _state.ProgressHeld, 1) == 0)
        {
            _cancel.Token.WaitHandle.WaitOne(TimeSpan.FromMinutes(1));
        }

        var percent = total <= 0 ? 0 : (int)Math.Clamp(done * 100 / total, 0, 100);
        if (Interlocked.Exchange(ref _percent, percent) != percent)
        {
            Send(new JObject { ["kind"] = "report", ["percentage"] = percent, ["message"] = $"{done / (1024 * 1024):N0} of {total / (1024 * 1024):N0} MB" });
        }
    }

    public void Finish(string message) => _endMessage = message;

    private void Send(JObject value) =>
        _ = _state.Client.NotifyAsync(Methods.Progress, new JObject { ["token"] = _token.DeepClone(), ["value"] = value })
            .ContinueWith(t => _logger.LogDebug("progress notification failed: {Message}", t.Exception?.GetBaseException().Message), TaskContinuationOptions.OnlyOnFaulted);

    public ValueTask DisposeAsync()
    {
        _state.CancellableProgress.TryRemove(_key, out _);
        Send(new JObject { ["kind"] = "end", ["message"] = _endMessage ?? (_cancel.IsCancellationRequested ? "cancelled" : "stopped") });
        // The source is not disposed: a cancel handler that found it a moment ago may still call Cancel.
        return ValueTask.CompletedTask;
    }
}
