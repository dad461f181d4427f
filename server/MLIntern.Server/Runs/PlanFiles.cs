using System.Security.Cryptography;
using MLIntern.Training.Plans;

namespace MLIntern.Server.Runs;

/// <summary>The content hashes of the files a plan runs: taken when planning, compared before running.</summary>
internal static class PlanFiles
{
    public static PlanFile Hash(string path) => new(path, Sha256(path));

    /// <summary>Why the files differ from the plan's hashes ("train.py changed after approval: approve again"), or null.</summary>
    public static string? Changed(TrainingPlan plan)
    {
        foreach (var file in plan.Files)
        {
            if (!File.Exists(file.Path))
            {
                return $"{Path.GetFileName(file.Path)} is missing ({file.Path}); plan and approve again";
            }

            if (Sha256(file.Path) != file.Sha256)
            {
                return $"{Path.GetFileName(file.Path)} changed after approval: approve again";
            }
        }

        return null;
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant();
    }
}
