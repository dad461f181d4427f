using MLIntern.Analysis.Facts;
using MLIntern.Analysis.Knowledge;

namespace MLIntern.Server.Engine;

/// <summary>
/// Answers the script rules' question "what is in the data set this path names?" for one script.
/// A relative path is tried against the script's folder and then its ancestors (scripts are run
/// from the project root or from beside their data), at most a few levels up.
/// </summary>
internal static class ScriptDatasets
{
    private const int MaxLevelsUp = 4;

    /// <param name="dataSettings">The editor's "mlintern.data" settings to profile with; null for pyproject.toml's alone (the CLI, and the script rules in the editor, so both find the same).</param>
    public static DatasetLookup For(string? scriptPath, DatasetFactsService service, Newtonsoft.Json.Linq.JObject? dataSettings = null) => written =>
    {
        if (Locate(scriptPath, written) is not ({ } path, var display))
        {
            return null;
        }

        try
        {
            var profile = service.GetProfile(path, dataSettings);
            var facts = service.GetFacts(path, dataSettings);
            if (profile is null || facts is null)
            {
                return null;
            }

            var columns = profile.Splits.Count > 0 ? profile.Splits[0].Columns.Select(c => c.Name).ToList() : [];
            return new DatasetInfo(path, columns, facts.TextColumn, facts.LabelColumn, facts.ClassCount, facts.LabelsAreStrings, [.. facts.Splits.Select(s => s.Name)], display);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    };

    /// <summary>
    /// The files and folders on disk (full paths) that the script's data set loads name, whether
    /// or not they are readable data sets: which `.json` files a folder check reads.
    /// </summary>
    public static IReadOnlyList<string> LoadedPaths(string scriptPath, MLIntern.Python.Text.SourceText source)
    {
        var paths = new List<string>();
        if (!DatasetLoads.MayLoad(source.Text))
        {
            return paths;
        }

        MLIntern.Analysis.Rules.ScriptChecker.LoadedDatasets(MLIntern.Python.Parsing.Parser.Parse(source), written =>
        {
            if (Locate(scriptPath, written) is ({ } path, _))
            {
                paths.Add(Path.GetFullPath(path));
            }

            return null;
        });
        return paths;
    }

    /// <summary>
    /// The file or folder a load names, and how messages should name it when not as written. A local
    /// path wins; a Hub id (`org/name`, or `hf://datasets/org/name[@rev]/path` for a load with
    /// `data_files=`, a config, `data_dir=` or `revision=`) is then looked up in the local Hub cache
    /// (<see cref="Hub.HubCache"/>), never on the network.
    /// </summary>
    private static (string Path, string? Display)? Locate(string? scriptPath, string written)
    {
        if (Hub.HubCache.ParseHubPath(written) is { } hub)
        {
            var local = hub.Inner is null ? hub.Id : hub.Id + "/" + hub.Inner;
            if (hub.Revision is null && Resolve(scriptPath, local) is { } folder)
            {
                return (folder, local);
            }

            if (Hub.HubCache.Find(Hub.HubCache.Folder(), hub.Id, hub.Revision, hub.Inner) is { } cached)
            {
                return (cached.Path, cached.Display);
            }

            // Before Hub loads were told apart, `data_files` were looked up beside the script; keep that answer.
            return hub.Inner is not null && Resolve(scriptPath, hub.Inner) is { } beside ? (beside, hub.Inner) : null;
        }

        if (Resolve(scriptPath, written) is { } path)
        {
            return (path, null);
        }

        return Hub.HubDatasets.IsDatasetId(written) && Hub.HubCache.Find(Hub.HubCache.Folder(), written, null, null) is { } entry
            ? (entry.Path, entry.Display)
            : null;
    }

    private static string? Resolve(string? scriptPath, string written)
    {
        if (string.IsNullOrWhiteSpace(written) || written.Contains("://", StringComparison.Ordinal))
        {
            return null;
        }

        if (Path.IsPathRooted(written))
        {
            return File.Exists(written) || Directory.Exists(written) ? written : null;
        }

        var folder = scriptPath is null ? Environment.CurrentDirectory : Path.GetDirectoryName(Path.GetFullPath(scriptPath));
        for (var level = 0; folder is not null && level <= MaxLevelsUp; level++, folder = Path.GetDirectoryName(folder))
        {
            var candidate = Path.Combine(folder, written);
            if (File.Exists(candidate) || Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
