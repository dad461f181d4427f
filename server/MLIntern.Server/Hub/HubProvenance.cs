using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Hub;

/// <summary>
/// Reads the `hub-provenance.json` a download wrote beside its files, so what is made from the data
/// later (the model card's `datasets:` metadata) names the Hub data set it came from without asking.
/// </summary>
internal static class HubProvenance
{
    /// <summary>A provenance file is a few kilobytes; a bigger one is not ours and is not read.</summary>
    private const long MaxBytes = 1 << 20;

    /// <summary>The Hub data set a plan's data came from (its path resolved against the workspace), or null.</summary>
    public static string? IdForPlan(MLIntern.Training.Plans.TrainingPlan? plan, string? workspace) =>
        string.IsNullOrEmpty(plan?.DataPath) ? null : IdNear(Path.IsPathRooted(plan.DataPath) || workspace is null ? plan.DataPath : Path.Combine(workspace, plan.DataPath));

    /// <summary>The Hub id recorded beside a data file or in a data folder, or null when there is no readable provenance.</summary>
    public static string? IdNear(string dataPath)
    {
        try
        {
            var folder = Directory.Exists(dataPath) ? dataPath : Path.GetDirectoryName(Path.GetFullPath(dataPath));
            var file = folder is null ? null : new FileInfo(Path.Combine(folder, HubDatasets.ProvenanceFileName));
            if (file is not { Exists: true } || file.Length > MaxBytes)
            {
                return null;
            }

            return JObject.Parse(File.ReadAllText(file.FullName))["id"] is JValue { Type: JTokenType.String } id && HubDatasets.IsDatasetId((string)id!) ? (string)id! : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Newtonsoft.Json.JsonException or ArgumentException)
        {
            return null;
        }
    }
}
