using System.Globalization;

namespace MLIntern.Training.Runs;

/// <summary>Where a run is: approved (folder created), running, then succeeded, failed or cancelled.</summary>
public static class RunStatus
{
    public const string Approved = "approved";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    /// <summary>The error of a run whose process went away while it was running.</summary>
    public const string ProcessGoneError = "the process exited without recording an outcome";

    public static bool IsFinal(string status) => status is Succeeded or Failed or Cancelled;
}

/// <summary>run.json: what ran, under which plan and approval, and how it ended.</summary>
public sealed record RunRecord(
    string Id,
    string Kind,
    string Title,
    Launch.LaunchCommand Command,
    string CommandLine,
    PlanReference Plan,
    Approval Approval,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt = null,
    DateTimeOffset? EndedAt = null,
    int? ExitCode = null,
    bool Smoke = false,
    string? Error = null,
    IReadOnlyList<Release.PublishApproval>? Publications = null,
    RunProcess? Process = null,
    RemoteJob? Remote = null);

/// <summary>
/// A run submitted to a scheduler (Slurm, HF Jobs): the target's kind ("slurm", "hf-jobs"), the job id
/// and cluster, the submitted file, the state the scheduler last reported, its reason, and when it was
/// last read. The run's own <see cref="RunRecord.Status"/> follows from the state; a job unknown to the
/// scheduler after it was seen ends the run as failed.
/// </summary>
public sealed record RemoteJob(string Target, string JobId, string? Cluster, string? Submitted, string? State = null, string? Reason = null, DateTimeOffset? CheckedAt = null);

/// <summary>
/// The process executing a run, recorded when it starts: its id, its start time as the OS gives it
/// (on Linux the start tick from /proc) and the machine. A run still "running" whose process is gone,
/// or whose pid now names a process started at another time, ended without recording an outcome.
/// </summary>
public sealed record RunProcess(int Pid, string StartTime, string Host);

/// <summary>The plan a run carries in run.json: its id, hash, file and the approved figures.</summary>
public sealed record PlanReference(string Id, string Hash, string Path, double? Flops, double? Hours, double? CostUsd, bool OverBudget, bool EstimateKnown);

/// <summary>Run folder ids: sortable by time, unique by a random suffix.</summary>
public static class RunIds
{
    public static string New(DateTimeOffset now, Random? random = null) =>
        now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + (random ?? Random.Shared).Next(0x10000).ToString("x4", CultureInfo.InvariantCulture);

    /// <summary>Whether text is a run id (and so safe as a folder name).</summary>
    public static bool IsValid(string id) =>
        id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
