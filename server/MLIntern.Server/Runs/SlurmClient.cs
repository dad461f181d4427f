using MLIntern.Training.Launch;

namespace MLIntern.Server.Runs;

/// <summary>What the scheduler said about a job: its state, that it does not know it, or nothing readable this time (the controller did not answer).</summary>
internal sealed record JobQuery(SlurmJobState? State, bool Unknown, string? Problem);

/// <summary>
/// The Slurm commands: `sbatch --parsable`, `scontrol show job` (the whole record, kept MinJobAge
/// seconds after the job ends), then `sacct` (when accounting storage is on) and `squeue`; `scancel`.
/// Only an answer that the job id is invalid counts as "unknown": a controller that does not answer
/// leaves the run as it is until the next look.
/// </summary>
internal static class SlurmClient
{
    public static (string JobId, string? Cluster) Submit(string scriptPath, string workingDirectory)
    {
        var result = ToolProcess.Run("sbatch", ["--parsable", scriptPath], workingDirectory, TimeSpan.FromSeconds(60));
        if (!result.Ok)
        {
            throw new InvalidOperationException($"sbatch refused the job: {result.Problem}");
        }

        return SlurmJobs.ParseSubmission(result.Output) ?? throw new InvalidOperationException($"sbatch printed no job id: {result.Output.Trim()}");
    }

    public static JobQuery Query(string jobId)
    {
        var scontrol = ToolProcess.Run("scontrol", ["show", "job", jobId]);
        if (scontrol.Ok && SlurmJobs.ParseScontrol(scontrol.Output) is { } shown)
        {
            return new JobQuery(shown, false, null);
        }

        var invalid = scontrol.Started && (scontrol.Errors + scontrol.Output).Contains("Invalid job id", StringComparison.OrdinalIgnoreCase);
        var sacct = ToolProcess.Run("sacct", ["-n", "-X", "-P", "-j", jobId, "-o", "State,ExitCode,Reason"]);
        if (sacct.Ok && SlurmJobs.ParseSacct(sacct.Output) is { } accounted)
        {
            return new JobQuery(accounted, false, null);
        }

        var squeue = ToolProcess.Run("squeue", ["-h", "-t", "all", "-j", jobId, "-o", "%T|%r"]);
        if (squeue.Ok && SlurmJobs.ParseSqueue(squeue.Output) is { } queued)
        {
            return new JobQuery(queued, false, null);
        }

        invalid |= squeue.Started && (squeue.Errors + squeue.Output).Contains("Invalid job id", StringComparison.OrdinalIgnoreCase);
        return invalid ? new JobQuery(null, true, null) : new JobQuery(null, false, scontrol.Problem);
    }

    public static void Cancel(string jobId)
    {
        var result = ToolProcess.Run("scancel", [jobId]);
        if (!result.Ok)
        {
            throw new InvalidOperationException($"scancel {jobId} failed: {result.Problem}");
        }
    }
}
