using MLIntern.Server.State;
using MLIntern.Training.Launch;
using MLIntern.Training.Plans;
using MLIntern.Training.Runs;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Runs;

/// <summary>
/// The host's side of runs on a scheduler: submitting an approved run (the executor calls this after
/// the gate, the signature and the nonce held), reading the job's state into run.json, cancelling,
/// and following a job to its end. Every change of run.json goes through <see cref="WorkspaceStore.UpdateRun(string, Func{RunRecord, RunRecord?})"/>.
/// A job that ended is never left "running": its state maps onto succeeded, failed with the reason, or
/// cancelled, and a job the scheduler no longer knows ends the run as failed.
/// </summary>
internal static class RemoteRuns
{
    public const string SbatchFile = "job.sbatch";

    /// <summary>Submits a run the executor has marked running; returns the recorded job, or throws with why it could not be submitted.</summary>
    public static RemoteJob Submit(WorkspaceStore store, RunRecord run, TrainingPlan plan)
    {
        var folder = store.RunFolder(run.Id);
        var remote = plan.Remote ?? throw new InvalidOperationException("the plan runs locally");
        RemoteJob job;
        switch (remote.Target.Kind)
        {
            case TargetKind.Slurm:
            {
                var script = SbatchScript.ForRun(remote.Submission, folder);
                store.WriteRunFile(run.Id, SbatchFile, script);
                var (jobId, cluster) = SlurmClient.Submit(Path.Combine(folder, SbatchFile), plan.Command.WorkingDirectory);
                job = new RemoteJob("slurm", jobId, cluster ?? remote.Target.Cluster, Path.Combine(folder, SbatchFile), "PENDING", null, DateTimeOffset.UtcNow);
                break;
            }

            case TargetKind.HfJobs:
            {
                var copy = Path.Combine(folder, HfJobs.SubmittedScript);
                store.WriteRunFile(run.Id, HfJobs.SubmittedScript, HfJobs.SubmittedCopy(File.ReadAllText(plan.Script!), remote.Header));
                // The approved text is the command with the token for the folder: composed again, it must be the same.
                var approved = HfJobs.Command(remote.Target, SbatchScript.RunFolderToken + "/" + HfJobs.SubmittedScript, plan.Command.WorkingDirectory).CommandLine;
                if (approved != remote.Submission)
                {
                    throw new InvalidOperationException($"the hf jobs command ({approved}) is not the approved one ({remote.Submission})");
                }

                var command = HfJobs.Command(remote.Target, copy, plan.Command.WorkingDirectory);
                var result = ToolProcess.Run(command.Executable, command.Arguments, command.WorkingDirectory, TimeSpan.FromMinutes(5));
                if (!result.Ok)
                {
                    throw new InvalidOperationException($"hf jobs refused the job: {result.Problem}");
                }

                var id = HfJobsStatus.ParseJobId(result.Output) ?? throw new InvalidOperationException($"hf jobs printed no job id: {result.Output.Trim()}");
                job = new RemoteJob("hf-jobs", id, null, copy, "SCHEDULING", null, DateTimeOffset.UtcNow);
                break;
            }

            default:
                throw new InvalidOperationException("the plan runs locally");
        }

        store.UpdateRun(run.Id, current => current with { Remote = job });
        return job;
    }

    /// <summary>Reads the scheduler's state of a running remote run into run.json; returns the run as it stands (null when there is none).</summary>
    public static RunRecord? Refresh(WorkspaceStore store, string runId)
    {
        var run = store.LoadRun(runId);
        if (run is not { Status: RunStatus.Running, Remote: { } job })
        {
            return run;
        }

        SlurmOutcome? outcome;
        string? state;
        string? reason;
        int? exit = null;
        if (job.Target == "slurm")
        {
            var query = SlurmClient.Query(job.JobId);
            if (query.Unknown)
            {
                return store.UpdateRun(runId, current => current.Status != RunStatus.Running ? null : current with
                {
                    Status = RunStatus.Failed,
                    EndedAt = DateTimeOffset.UtcNow,
                    Error = SlurmJobs.UnknownJobError(job.JobId, current.Remote?.State),
                    Remote = current.Remote! with { State = "UNKNOWN", CheckedAt = DateTimeOffset.UtcNow },
                });
            }

            if (query.State is not { } seen)
            {
                return run;
            }

            outcome = SlurmJobs.Outcome(seen, job.JobId);
            (state, reason, exit) = (seen.State, seen.Reason, seen.ExitCode);
        }
        else
        {
            var inspect = ToolProcess.Run("hf", ["jobs", "inspect", job.JobId]);
            if (!inspect.Ok || ReadStage(inspect.Output) is not { } stage)
            {
                return run;
            }

            outcome = HfJobsStatus.Outcome(stage.Stage, job.JobId, stage.Message);
            (state, reason) = (stage.Stage, stage.Message);
        }

        return store.UpdateRun(runId, current =>
        {
            if (current.Status != RunStatus.Running || current.Remote is null)
            {
                return null;
            }

            var updated = current with { Remote = current.Remote with { State = state, Reason = reason, CheckedAt = DateTimeOffset.UtcNow } };
            return outcome.Final
                ? updated with
                {
                    Status = outcome.Status,
                    EndedAt = DateTimeOffset.UtcNow,
                    ExitCode = exit ?? (outcome.Status == RunStatus.Succeeded ? 0 : outcome.Status == RunStatus.Cancelled ? 130 : 1),
                    Error = outcome.Error,
                }
                : updated;
        });
    }

    /// <summary>Refreshes every running remote run of the workspace (listRuns, `mlintern runs`, a restarted sidecar).</summary>
    public static void RefreshAll(WorkspaceStore store)
    {
        foreach (var run in store.ListRuns())
        {
            if (run is { Status: RunStatus.Running, Remote: not null })
            {
                try
                {
                    Refresh(store, run.Id);
                }
                catch (RunFileException)
                {
                    // Held or unreadable now: the next look reads it.
                }
            }
        }
    }

    /// <summary>Cancels a running remote run's job (scancel / hf jobs cancel) and reads its state; null when the run is not a running remote run.</summary>
    public static RunRecord? Cancel(WorkspaceStore store, string runId)
    {
        var run = store.LoadRun(runId);
        if (run is not { Status: RunStatus.Running, Remote: { } job })
        {
            return null;
        }

        if (job.Target == "slurm")
        {
            SlurmClient.Cancel(job.JobId);
        }
        else
        {
            var result = ToolProcess.Run("hf", ["jobs", "cancel", job.JobId]);
            if (!result.Ok)
            {
                throw new InvalidOperationException($"hf jobs cancel {job.JobId} failed: {result.Problem}");
            }
        }

        // The scheduler records the cancellation within a moment; read it, and record it ourselves if it has not.
        for (var i = 0; i < 20; i++)
        {
            var now = Refresh(store, runId);
            if (now is null || RunStatus.IsFinal(now.Status))
            {
                return now;
            }

            Thread.Sleep(250);
        }

        return store.UpdateRun(runId, current => current.Status != RunStatus.Running ? null : current with
        {
            Status = RunStatus.Cancelled,
            EndedAt = DateTimeOffset.UtcNow,
            ExitCode = 130,
            Error = $"cancelled by the user (job {job.JobId})",
        });
    }

    /// <summary>
    /// Follows a remote run to its end: prints each state change and the job's output as it grows,
    /// returns the outcome as an exit code (0 succeeded; failed: the job's exit code, else 1; 130 cancelled). Cancelling the
    /// token (Ctrl+C, the editor's task stopped) cancels the job.
    /// </summary>
    public static int Wait(WorkspaceStore store, string runId, TextWriter output, CancellationToken cancellationToken, TimeSpan? poll = null)
    {
        var interval = poll ?? TimeSpan.FromSeconds(2);
        var log = Path.Combine(store.RunFolder(runId), SbatchScript.OutputFile);
        long offset = 0;
        string? lastState = null;
        RunRecord? run;
        while (true)
        {
            try
            {
                run = Refresh(store, runId);
            }
            catch (RunFileException)
            {
                // run.json held by another writer right now: look again next time.
                run = store.LoadRun(runId);
            }

            offset = Tail(log, offset, output);
            if (run is null)
            {
                return Cli.Commands.Failure;
            }

            var state = run.Remote?.State ?? run.Status;
            if (state != lastState)
            {
                output.WriteLine($"[{run.Remote?.Target ?? "run"} job {run.Remote?.JobId}] {state}{(run.Remote?.Reason is { } reason ? $" ({reason})" : "")}");
                lastState = state;
            }

            if (RunStatus.IsFinal(run.Status))
            {
                break;
            }

            if (cancellationToken.WaitHandle.WaitOne(interval))
            {
                output.WriteLine($"cancelling job {run.Remote?.JobId}");
                run = Cancel(store, runId) ?? store.LoadRun(runId);
                Tail(log, offset, output);
                break;
            }
        }

        output.WriteLine($"run {runId}: {run?.Status}{(run?.Error is { } error ? " — " + error : "")}");
        return run?.Status switch
        {
            RunStatus.Succeeded => 0,
            RunStatus.Cancelled => 130,
            RunStatus.Failed => run.ExitCode is { } code and > 0 and < 256 ? code : 1,
            _ => Cli.Commands.Failure,
        };
    }

    /// <summary>Writes what the log gained since <paramref name="offset"/>; returns the new offset.</summary>
    private static long Tail(string path, long offset, TextWriter output)
    {
        if (!File.Exists(path))
        {
            return offset;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length <= offset)
        {
            return stream.Length < offset ? 0 : offset;
        }

        stream.Seek(offset, SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        output.Write(MLIntern.Findings.Secrets.Redact(text));
        return offset + System.Text.Encoding.UTF8.GetByteCount(text);
    }

    private static (string Stage, string? Message)? ReadStage(string json)
    {
        try
        {
            var token = JToken.Parse(json);
            var job = token is JArray array ? array.FirstOrDefault() : token;
            return job?["status"]?["stage"]?.Value<string>() is { Length: > 0 } stage ? (stage, job["status"]?["message"]?.Value<string>()) : null;
        }
        catch (Newtonsoft.Json.JsonException)
        {
            return null;
        }
    }
}
