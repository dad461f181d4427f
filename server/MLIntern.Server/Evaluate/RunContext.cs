using MLIntern.Server.State;
using MLIntern.Training.Plans;
using MLIntern.Training.Runs;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Evaluate;

/// <summary>
/// A run folder and what is known about it: run.json, the plan it ran under, eval.json. A run is
/// named by its folder or by its id, looked up in .mlintern/runs/ of the workspace (the current
/// folder and its parents when no workspace is given).
/// </summary>
internal sealed record RunContext(string Folder, string? Id, string? Workspace, RunRecord? Record, TrainingPlan? Plan, JObject? Eval)
{
    public const string PredictionsFile = "predictions.jsonl";
    public const string EvalFile = WorkspaceStore.EvalFile;
    public const string RunFile = WorkspaceStore.RunFile;

    public string PredictionsPath => Path.Combine(Folder, PredictionsFile);

    public string RunJsonPath => Path.Combine(Folder, RunFile);

    /// <summary>The run folder, or an error message naming what was looked for.</summary>
    public static RunContext Resolve(string run, string? workspace = null)
    {
        string? folder = null;
        if (Directory.Exists(run))
        {
            folder = Path.GetFullPath(run);
        }
        else if (RunIds.IsValid(run))
        {
            for (var dir = new DirectoryInfo(Path.GetFullPath(workspace ?? Directory.GetCurrentDirectory())); dir is not null; dir = workspace is null ? dir.Parent : null)
            {
                var candidate = Path.Combine(dir.FullName, ".mlintern", "runs", run);
                if (Directory.Exists(candidate))
                {
                    folder = candidate;
                    break;
                }
            }
        }

        if (folder is null)
        {
            throw new RunNotFoundException($"{run}: no such run folder, and no run with that id in .mlintern/runs/ of {workspace ?? "the current folder or its parents"}");
        }

        // .mlintern/runs/<id> → the workspace is two folders above .mlintern.
        var runs = Path.GetDirectoryName(folder);
        var dotFolder = runs is null ? null : Path.GetDirectoryName(runs);
        var root = dotFolder is not null && Path.GetFileName(dotFolder) == ".mlintern" && Path.GetFileName(runs) == "runs" ? Path.GetDirectoryName(dotFolder) : null;
        var id = Path.GetFileName(folder);
        RunRecord? record = null;
        TrainingPlan? plan = null;
        if (root is not null && RunIds.IsValid(id))
        {
            var store = new WorkspaceStore(root);
            record = store.LoadRun(id);
            plan = record is null ? null : store.LoadPlan(record.Plan.Id);
        }
        else
        {
            record = WorkspaceStore.ReadRun(folder);
        }

        return new RunContext(folder, RunIds.IsValid(id) ? id : null, root, record, plan, WorkspaceStore.ReadEval(folder));
    }
}

/// <summary>The run named on the command line or in a request does not exist.</summary>
internal sealed class RunNotFoundException(string message) : Exception(message);
