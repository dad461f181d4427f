using Microsoft.Extensions.Logging;
using MLIntern.Server.Engine;
using MLIntern.Server.Lsp.Protocol;
using StreamJsonRpc;
using Wire = MLIntern.Server.Protocol;

namespace MLIntern.Server.Lsp.Handlers;

/// <summary>
/// mlintern/profileDataset: the profile of the data set a file belongs to (what
/// `mlintern inspect` reports, as <see cref="Wire.DatasetProfile"/>) plus its path and version. Served from the facts cache, which
/// recomputes when any file of the data set changes on disk or the data settings change. Cancellable
/// with $/cancelRequest; a data set of <see cref="ProgressMinBytes"/> or more that is not cached
/// reports window/workDoneProgress (on the client's token, or one the server creates when the client
/// supports it), which the user can cancel too.
/// </summary>
internal sealed class ProfileDatasetHandler(ServerState state, DatasetFactsService facts, ILogger logger) : ReadHandler<Wire.ProfileDatasetParams, Wire.DatasetProfile>
{
    /// <summary>Smaller data sets profile in well under a second: a progress bar would only flicker.</summary>
    public const long ProgressMinBytes = 8L * 1024 * 1024;

    public override string Method => Methods.ProfileDataset;

    protected override async Task<Wire.DatasetProfile> HandleAsync(Wire.ProfileDatasetParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        var path = parameters.Path;
        if (path is null && parameters.Uri is { } uri && System.Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.IsFile)
        {
            path = parsed.LocalPath;
        }

        if (string.IsNullOrEmpty(path) || (!File.Exists(path) && !Directory.Exists(path)))
        {
            var reason = string.IsNullOrEmpty(path) ? Wire.ErrorReasons.InvalidParams : Wire.ErrorReasons.NotFound;
            throw Wire.ErrorReasons.Error(ErrorCodes.InvalidParams, reason, $"{Method} needs the uri or path of an existing data file or folder; got '{parameters.Uri ?? parameters.Path}'");
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
            throw Wire.ErrorReasons.Error(ErrorCodes.InvalidParams, Wire.ErrorReasons.InvalidParams, $"{path} is not a data set (a .csv, .tsv, .jsonl, .json or .parquet file, or a folder with train/test files)");
        }

        progress?.Finish($"{profile.Rows:N0} rows");
        var result = Wire.DatasetProfile.From(profile, System.IO.Path.GetFullPath(path), facts.GetFacts(path, settings, cancellationToken)?.Version);
        logger.LogInformation("profiled {Path}: {Rows} rows in {Ms:F0} ms", path, profile.Rows, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return result;
    }
}
