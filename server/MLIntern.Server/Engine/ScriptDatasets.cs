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
        if (Resolve(scriptPath, written) is not { } path)
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
            return new DatasetInfo(path, columns, facts.TextColumn, facts.LabelColumn, facts.ClassCount, facts.LabelsAreStrings, [.. facts.Splits.Select(s => s.Name)]);
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
            if (Resolve(scriptPath, written) is { } path)
            {
                paths.Add(Path.GetFullPath(path));
            }

            return null;
        });
        return paths;
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
