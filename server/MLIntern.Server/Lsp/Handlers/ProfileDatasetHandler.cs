using Microsoft.Extensions.Logging;
using MLIntern.Server.Cli;
using MLIntern.Server.Engine;
using MLIntern.Server.Lsp.Protocol;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using StreamJsonRpc;

namespace MLIntern.Server.Lsp.Handlers;

/// <summary>Parameters of mlintern/profileDataset: a document URI or a file-system path (file or folder).</summary>
internal sealed class ProfileDatasetParams
{
    public string? Uri { get; set; }

    public string? Path { get; set; }
}

/// <summary>
/// mlintern/profileDataset: the profile of the data set a file belongs to (the same JSON as
/// `mlintern inspect --format json`) plus its path and version. Served from the facts cache, which
/// recomputes when any file of the data set changes on disk. Cancellable.
/// </summary>
internal sealed class ProfileDatasetHandler(ServerState state, DatasetFactsService facts, ILogger logger) : ReadHandler<ProfileDatasetParams, JObject>
{
    public override string Method => Methods.ProfileDataset;

    protected override Task<JObject> HandleAsync(ProfileDatasetParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
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

        facts.EditorSettings = state.DataSettings;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var profile = facts.GetProfile(path, cancellationToken)
            ?? throw new LocalRpcException($"{path} is not a data set (a .csv, .tsv, .jsonl, .json or .parquet file, or a folder with train/test files)") { ErrorCode = ErrorCodes.InvalidParams };
        var result = JObject.FromObject(profile, JsonSerializer.Create(InspectCommand.JsonSettings));
        result["path"] = System.IO.Path.GetFullPath(path);
        result["version"] = facts.GetFacts(path, cancellationToken)?.Version;
        logger.LogInformation("profiled {Path}: {Rows} rows in {Ms:F0} ms", path, profile.Rows, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return Task.FromResult(result);
    }
}
