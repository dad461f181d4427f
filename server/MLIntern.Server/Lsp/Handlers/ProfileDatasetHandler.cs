using Microsoft.Extensions.Logging;
using MLIntern.Server.Cli;
using MLIntern.Server.Engine;
using MLIntern.Server.Lsp.Protocol;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using StreamJsonRpc;

namespace MLIntern.Server.Lsp.Handlers;

/// <summary>Parameters of mlintern/profileDataset: a document URI or a file-system path (file or folder), and optionally the client's progress token.</summary>
internal sealed class ProfileDatasetParams
{
    public string? Uri { get; set; }

    public string? Path { get; set; }

    /// <summary>A token the client made for this request's progress (LSP's WorkDoneProgressParams).</summary>
    public JToken? WorkDoneToken { get; set; }
}

/// <summary>
/// mlintern/profileDataset: the profile of the data set a file belongs to (the same JSON as
/// `mlintern inspect --format json`) plus its path and version. Served from the facts cache, which
/// recomputes when any file of the data set changes on disk or the data settings change. Cancellable
/// with $/cancelRequest; a data set of <see cref="ProgressMinBytes"/> or more that is not cached
/// reports window/workDoneProgress (on the client's token, or one the server creates when the client
/// supports it), which the user can cancel too.
/// </summary>
internal sealed class ProfileDatasetHandler(ServerState state, DatasetFactsService facts, ILogger logger) : ReadHandler<ProfileDatasetParams, JObject>
{
    /// <summary>Smaller data sets profile in well under a second: a progress bar would only flicker.</summary>
    public const long ProgressMinBytes = 8L * 1024 * 1024;

    public override string Method => Methods.ProfileDataset;

    protected override async Task<JObject> HandleAsync(ProfileDatasetParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        var path = parameters.Path;
        if (path is null && parameters.Uri is { } uri && System.Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.IsFile)
        {
            path = parsed.LocalPath;
        }

        if (string.IsNullOrEmpty(path) || (!File.Exists(path) && !Directory.Exists(path)))
        {
            throw new LocalRpcException($"{Method} needs the uri or path of an existing data file or folder; got '{parameters.Uri ?? parameters.Path}'") { ErrorCode = ErrorCodes.InvalidParams };
        }

        var settings = state.DataSettings;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var work = facts.PendingBytes(path, settings);
        await using var progress = work >= ProgressMinBytes ? await WorkDoneProgress.StartAsync(state, parameters.WorkDoneToken, $"Profiling {System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(path))}", logger, cancellationToken) : null;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, progress?.Cancelled ?? CancellationToken.None);
        MLIntern.Data.Profiling.DatasetProfile? profile;
        try
        {
            profile = facts.GetProfile(path, settings, cancel.Token, progress is null ? null : progress.Report);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LocalRpcException($"profiling {path} was cancelled") { ErrorCode = ErrorCodes.RequestCancelled };
        }

        if (profile is null)
        {
            throw new LocalRpcException($"{path} is not a data set (a .csv, .tsv, .jsonl, .json or .parquet file, or a folder with train/test files)") { ErrorCode = ErrorCodes.InvalidParams };
        }

        progress?.Finish($"{profile.Rows:N0} rows");
        var result = JObject.FromObject(profile, JsonSerializer.Create(InspectCommand.JsonSettings));
        result["path"] = System.IO.Path.GetFullPath(path);
        result["version"] = facts.GetFacts(path, settings, cancellationToken)?.Version;
        logger.LogInformation("profiled {Path}: {Rows} rows in {Ms:F0} ms", path, profile.Rows, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return result;
    }
}

/// <summary>Parameters of window/workDoneProgress/cancel.</summary>
internal sealed class WorkDoneProgressCancelParams
{
    public JToken? Token { get; set; }
}

/// <summary>window/workDoneProgress/cancel: the user pressed Cancel on a progress notification. A read, so it runs beside the work it cancels.</summary>
internal sealed class WorkDoneProgressCancelHandler(ServerState state, ILogger logger) : ReadHandler<WorkDoneProgressCancelParams, object?>
{
    public override string Method => Methods.WorkDoneProgressCancel;

    protected override Task<object?> HandleAsync(WorkDoneProgressCancelParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        var token = parameters.Token?.ToString(Formatting.None) ?? "";
        if (state.CancellableProgress.TryGetValue(token, out var cancel))
        {
            logger.LogInformation("progress {Token} cancelled by the client", token);
            cancel.Cancel();
        }

        return Task.FromResult<object?>(null);
    }
}

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
    public static async Task<WorkDoneProgress?> StartAsync(ServerState state, JToken? clientToken, string title, ILogger logger, CancellationToken cancellationToken)
    {
        var token = clientToken is { Type: JTokenType.String or JTokenType.Integer } ? clientToken : null;
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
