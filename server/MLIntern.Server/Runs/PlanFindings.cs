using MLIntern.Analysis.Findings;
using MLIntern.Training.Plans;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Runs;

/// <summary>
/// MLI602 on a script: when the newest plan saved for this script (in the nearest
/// `.mlintern/plans/` above it) is over budget, the finding sits at the script's `.train()` call.
/// Cheap: a few directory probes per check, and the script is parsed again only when such a plan
/// exists. The plan is not recomputed here (that needs the data set and the hardware); a script
/// changed since it was planned keeps the finding until it is planned again.
/// </summary>
internal static class PlanFindings
{
    private const int MaxPlans = 200;

    public static IReadOnlyList<Finding> ForScript(string? path, string text, RuleSelection? selection)
    {
        if (path is null || (selection is not null && !selection.IsEnabled(RunOverBudget.Rule.Code)))
        {
            return [];
        }

        try
        {
            var script = Path.GetFullPath(path);
            if (PlansFolder(script) is not { } folder)
            {
                return [];
            }

            foreach (var file in new DirectoryInfo(folder).EnumerateFiles("plan-*.json").OrderByDescending(f => f.LastWriteTimeUtc).Take(MaxPlans))
            {
                var plan = JObject.Parse(File.ReadAllText(file.FullName));
                if ((string?)plan["script"] != script)
                {
                    continue;
                }

                if (plan["overBudgetReasons"] is not JArray { Count: > 0 } reasons)
                {
                    return [];
                }

                var (line, column) = ScriptScan.Scan(text).TrainCall ?? (1, 1);
                var message = $"the planned run is over budget: {string.Join("; ", reasons.Select(r => (string?)r))} ({Path.GetFileNameWithoutExtension(file.Name)}, {file.LastWriteTimeUtc:yyyy-MM-dd HH:mm} UTC)";
                return [new Finding(RunOverBudget.Rule.Code, RunOverBudget.Rule.DefaultSeverity, message, new SourceRange(line, column, line, column + 1))];
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Newtonsoft.Json.JsonException)
        {
        }

        return [];
    }

    private static string? PlansFolder(string script)
    {
        var directory = Path.GetDirectoryName(script);
        for (var depth = 0; depth < 32 && directory is not null; depth++)
        {
            var candidate = Path.Combine(directory, ".mlintern", "plans");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }

            directory = Path.GetDirectoryName(directory);
        }

        return null;
    }
}
