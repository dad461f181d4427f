using System.Globalization;

namespace MLIntern.Training.Launch;

/// <summary>A Slurm job's state as the scheduler reports it: the state word, its reason and the exit code.</summary>
public sealed record SlurmJobState(string State, string? Reason, int? ExitCode, int? Signal, string? TimeLimit, string? NodeList);

/// <summary>What a Slurm state means for a run: still going, or ended as succeeded, failed (with why) or cancelled.</summary>
public sealed record SlurmOutcome(bool Final, string Status, string? Error);

/// <summary>
/// Reading what `sbatch --parsable`, `squeue`, `scontrol show job` and `sacct` print, and mapping a
/// job state onto a run's status. Pure: the host runs the commands and hands the text in. An ended
/// job is never "running": COMPLETED succeeded; CANCELLED cancelled; FAILED, TIMEOUT, NODE_FAIL,
/// OUT_OF_MEMORY, PREEMPTED, BOOT_FAIL and DEADLINE failed with a reason; a state this table does
/// not know failed too, naming it.
/// </summary>
public static class SlurmJobs
{
    private static readonly HashSet<string> Going = new(StringComparer.Ordinal)
    {
        "PENDING", "CONFIGURING", "RUNNING", "COMPLETING", "SUSPENDED", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED",
        "RESIZING", "STAGE_OUT", "SIGNALING", "STOPPED", "RESV_DEL_HOLD", "SPECIAL_EXIT",
    };

    /// <summary>The job id of `sbatch --parsable` ("123" or "123;cluster"), or null.</summary>
    public static (string JobId, string? Cluster)? ParseSubmission(string output)
    {
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        if (line is null)
        {
            return null;
        }

        var parts = line.Split(';', 2);
        return parts[0].Length > 0 && parts[0].All(char.IsAsciiDigit) ? (parts[0], parts.Length > 1 && parts[1].Length > 0 ? parts[1] : null) : null;
    }

    /// <summary>The first word of a state as squeue/sacct print it ("CANCELLED by 0" → CANCELLED, "RUNNING+" → RUNNING).</summary>
    public static string NormalizeState(string state)
    {
        var word = state.Trim().Split(' ', 2)[0].TrimEnd('+', '*');
        return word.ToUpperInvariant();
    }

    /// <summary>`scontrol show job ID` (key=value pairs over several lines) → the state, or null when it names no job.</summary>
    public static SlurmJobState? ParseScontrol(string output)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var token in output.Split([' ', '\n', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = token.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                fields.TryAdd(token[..equals], token[(equals + 1)..]);
            }
        }

        if (!fields.TryGetValue("JobState", out var state) || state.Length == 0)
        {
            return null;
        }

        var (exit, signal) = ParseExitCode(fields.GetValueOrDefault("ExitCode"));
        var reason = fields.GetValueOrDefault("Reason");
        return new SlurmJobState(NormalizeState(state), reason is null or "None" or "(null)" ? null : reason, exit, signal, fields.GetValueOrDefault("TimeLimit"), fields.GetValueOrDefault("NodeList"));
    }

    /// <summary>`squeue -h -j ID -o "%T|%r"` → the state, or null when the queue no longer has the job.</summary>
    public static SlurmJobState? ParseSqueue(string output)
    {
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (line is null)
        {
            return null;
        }

        var parts = line.Split('|');
        var reason = parts.Length > 1 ? parts[1].Trim() : null;
        return parts[0].Length == 0 ? null : new SlurmJobState(NormalizeState(parts[0]), reason is null or "" or "None" ? null : reason, null, null, null, null);
    }

    /// <summary>`sacct -n -X -P -j ID -o State,ExitCode,Reason` → the state, or null (no line, or accounting disabled).</summary>
    public static SlurmJobState? ParseSacct(string output)
    {
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault(l => l.Contains('|', StringComparison.Ordinal));
        if (line is null)
        {
            return null;
        }

        var parts = line.Split('|');
        var (exit, signal) = ParseExitCode(parts.Length > 1 ? parts[1] : null);
        var reason = parts.Length > 2 ? parts[2].Trim() : null;
        return parts[0].Length == 0 ? null : new SlurmJobState(NormalizeState(parts[0]), reason is null or "" or "None" ? null : reason, exit, signal, null, null);
    }

    /// <summary>Slurm's "EXIT:SIGNAL" exit code.</summary>
    public static (int? Exit, int? Signal) ParseExitCode(string? text)
    {
        if (text is null)
        {
            return (null, null);
        }

        var parts = text.Split(':');
        int? Number(int i) => i < parts.Length && int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
        return (Number(0), Number(1));
    }

    /// <summary>What a job state means for its run. <paramref name="jobId"/> only names the job in the reason.</summary>
    public static SlurmOutcome Outcome(SlurmJobState job, string jobId)
    {
        var why = job.Reason is { } r ? $" ({r})" : "";
        return job.State switch
        {
            _ when Going.Contains(job.State) => new SlurmOutcome(false, Runs.RunStatus.Running, null),
            "COMPLETED" => new SlurmOutcome(true, Runs.RunStatus.Succeeded, null),
            "CANCELLED" => new SlurmOutcome(true, Runs.RunStatus.Cancelled, $"Slurm job {jobId} was cancelled{why}"),
            "FAILED" => new SlurmOutcome(true, Runs.RunStatus.Failed, $"Slurm job {jobId} failed{(job.ExitCode is { } e ? $" with exit code {e}" : "")}{(job.Signal is { } s and not 0 ? $", signal {s}" : "")}{why}"),
            "TIMEOUT" => new SlurmOutcome(true, Runs.RunStatus.Failed, $"Slurm job {jobId} reached its time limit{(job.TimeLimit is { } t ? $" ({t})" : "")} and was killed (TIMEOUT)"),
            "NODE_FAIL" => new SlurmOutcome(true, Runs.RunStatus.Failed, $"Slurm job {jobId} ended because its node failed (NODE_FAIL){why}"),
            "OUT_OF_MEMORY" => new SlurmOutcome(true, Runs.RunStatus.Failed, $"Slurm job {jobId} ran out of memory (OUT_OF_MEMORY)"),
            "PREEMPTED" => new SlurmOutcome(true, Runs.RunStatus.Failed, $"Slurm job {jobId} was preempted (PREEMPTED){why}"),
            "BOOT_FAIL" => new SlurmOutcome(true, Runs.RunStatus.Failed, $"Slurm job {jobId} could not start: its node failed to boot (BOOT_FAIL){why}"),
            "DEADLINE" => new SlurmOutcome(true, Runs.RunStatus.Failed, $"Slurm job {jobId} missed its deadline (DEADLINE)"),
            _ => new SlurmOutcome(true, Runs.RunStatus.Failed, $"Slurm job {jobId} ended in state {job.State}{why}"),
        };
    }

    /// <summary>The reason of a job that Slurm no longer knows after it was seen (purged, or the controller lost its state).</summary>
    public static string UnknownJobError(string jobId, string? lastState) =>
        $"Slurm job {jobId} is no longer known to Slurm (last seen {lastState ?? "after submission"}); its outcome cannot be read";
}
