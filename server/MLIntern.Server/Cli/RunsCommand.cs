using System.CommandLine;
using MLIntern.Server.Runs;
using MLIntern.Server.State;
using MLIntern.Training.Runs;
using Newtonsoft.Json;

namespace MLIntern.Server.Cli;

/// <summary>
/// `mlintern runs`: the workspace's runs, newest first, with the state of Slurm and HF Jobs runs read
/// from their scheduler first; `--cancel ID` cancels a remote run's job (scancel).
/// </summary>
internal static class RunsCommand
{
    public static Command Create()
    {
        var workspace = new Option<string?>("--workspace") { Description = "The workspace folder holding .mlintern/ (default: the current folder)" };
        var cancel = new Option<string?>("--cancel") { Description = "Cancel a running Slurm or HF Jobs run (scancel / hf jobs cancel)" };
        var format = new Option<string>("--format") { Description = "Output: text or json", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var command = new Command("runs", "List the runs (remote jobs' state refreshed from their scheduler), or cancel one.") { workspace, cancel, format };
        command.SetAction(parse => Run(parse.GetValue(workspace) ?? Directory.GetCurrentDirectory(), parse.GetValue(cancel), parse.GetValue(format) ?? "text", Console.Out, Console.Error));
        return command;
    }

    public static int Run(string workspace, string? cancel, string format, TextWriter output, TextWriter errors)
    {
        var store = new WorkspaceStore(workspace);
        if (cancel is not null)
        {
            if (!RunIds.IsValid(cancel) || store.LoadRun(cancel) is not { } run)
            {
                errors.WriteLine($"error: no run '{cancel}'");
                return Commands.Failure;
            }

            try
            {
                var after = RemoteRuns.Cancel(store, cancel);
                if (after is null)
                {
                    errors.WriteLine($"error: run {cancel} is {run.Status}{(run.Remote is null ? ", not a remote job" : "")}; only a running Slurm or HF Jobs run is cancelled here");
                    return Commands.Failure;
                }

                output.WriteLine($"run {cancel}: {after.Status}{(after.Error is { } e ? " — " + e : "")}");
                return Commands.Clean;
            }
            catch (InvalidOperationException e)
            {
                errors.WriteLine($"error: {e.Message}");
                return Commands.Failure;
            }
        }

        RemoteRuns.RefreshAll(store);
        var runs = store.ListRuns();
        if (format == "json")
        {
            output.WriteLine(JsonConvert.SerializeObject(runs, WorkspaceStore.Json));
            return Commands.Clean;
        }

        foreach (var run in runs)
        {
            var remote = run.Remote is { } job ? $" [{job.Target} job {job.JobId}: {job.State ?? "?"}]" : "";
            output.WriteLine($"{run.Id}  {run.Status,-9}{remote}  {run.Title}{(run.Error is { } error ? " — " + error : "")}");
        }

        if (runs.Count == 0)
        {
            output.WriteLine($"no runs in {store.RunsFolder}");
        }

        return Commands.Clean;
    }
}
