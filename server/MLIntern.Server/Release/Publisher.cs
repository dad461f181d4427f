using System.Security.Cryptography;
using MLIntern.Server.Engine;
using MLIntern.Server.Evaluate;
using MLIntern.Server.State;
using MLIntern.Training.Runs;
using MLIntern.Training.Release;

namespace MLIntern.Server.Release;

/// <summary>What to publish: the run, the repo and its visibility.</summary>
internal sealed record PublishTarget(RunContext Run, string RepoId, string RepoType, bool Private, string? CommitMessage = null)
{
    /// <summary>A model publishes the run's model/ folder (card + model), a Space its space/ folder.</summary>
    public string Folder => RepoType == Preflight.SpaceType ? SpaceWriter.SpaceFolder(Run) : CardWriter.ModelFolder(Run);
}

/// <summary>Publishing was refused; the message says why. Nothing was uploaded.</summary>
internal sealed class PublishRefusedException(string reason) : Exception("publish refused: " + reason);

/// <summary>
/// Preflight, approval and the upload command. Approvals live in the run's run.json
/// ("publications"); an approval is for one repo, type, visibility and exact file list (its hash),
/// and is used once. Every step re-runs the preflight, so files changed after approval are refused.
/// </summary>
internal static class Publisher
{
    public const int MaxFiles = 10_000;

    public static PreflightReport Check(PublishTarget target)
    {
        var folder = target.Folder;
        var files = new List<UploadFile>();
        if (Directory.Exists(folder))
        {
            foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Take(MaxFiles))
            {
                var relative = Path.GetRelativePath(folder, path).Replace('\\', '/');
                if (RegularFiles.WhyNot(path) is not null)
                {
                    // A FIFO would block the read (and the upload); a device never ends. Listed, never opened: the preflight refuses it.
                    files.Add(new UploadFile(relative, UploadFile.NotRegular, null, ""));
                    continue;
                }

                var size = new FileInfo(path).Length;
                var content = File.ReadAllBytes(path);
                var scanned = size <= Preflight.MaxScanBytes || Preflight.IsBinary(content) ? content : null;
                files.Add(new UploadFile(relative, size, scanned, Preflight.Sha256(content)));
            }
        }

        return Preflight.Check(target.RepoId, target.RepoType, target.Private, folder, files, target.Run.Id is { } id ? [id] : null, Hub.HubProvenance.IdForPlan(target.Run.Plan, target.Run.Workspace));
    }

    /// <summary>
    /// Records an approval in run.json after a passing preflight whose file list hash is the one the
    /// approver saw (<paramref name="seenHash"/>; null only on the CLI, where the list was just printed).
    /// </summary>
    public static PublishApproval Approve(PublishTarget target, string approvedBy, string via, string? seenHash)
    {
        var report = Check(target);
        if (!report.Passed)
        {
            throw new PublishRefusedException($"the preflight failed ({report.Problems.Count} problems)");
        }

        if (seenHash is not null && seenHash != report.FileListHash)
        {
            throw new PublishRefusedException("the files changed since the preflight the approver saw; run the preflight again");
        }

        if (!File.Exists(target.Run.RunJsonPath))
        {
            throw new PublishRefusedException($"{target.Run.RunJsonPath} is missing: an approval must be recorded in the run's run.json");
        }

        var approval = new PublishApproval(
            Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant(),
            approvedBy,
            via,
            DateTimeOffset.UtcNow,
            target.RepoId,
            target.RepoType,
            target.Private,
            report.Folder,
            report.FileListHash,
            report.Files.Count,
            report.TotalBytes,
            target.CommitMessage ?? $"Upload {(target.RepoType == Preflight.SpaceType ? "Space" : "model")} from ML Intern run {target.Run.Id ?? "(local)"}");
        approval = ApprovalSeal.Sign(approval);
        Record(target.Run, approval);
        return approval;
    }

    /// <summary>
    /// Checks an approval before its upload: recorded in run.json, unused, for this target, and the
    /// files still hash the same. Marks it used. Returns the recorded approval.
    /// </summary>
    public static PublishApproval Use(PublishTarget target, PublishApproval claimed)
    {
        var recorded = Recorded(target.Run).FirstOrDefault(a => a.Id == claimed.Id)
            ?? throw new PublishRefusedException($"approval {claimed.Id} is not recorded in {target.Run.RunJsonPath}");
        if (recorded.UsedAt is not null)
        {
            throw new PublishRefusedException($"approval {recorded.Id} was already used at {recorded.UsedAt:u}; approve again");
        }

        // A hand-written entry has no valid signature; a used one whose usedAt was deleted has a used nonce.
        if (ApprovalSeal.Refusal(recorded) is { } unsigned)
        {
            throw new PublishRefusedException(unsigned);
        }

        if (ApprovalSeal.IsUsed(recorded.Nonce!))
        {
            throw new PublishRefusedException($"approval {recorded.Id} was already used for an upload; approve again");
        }

        if (recorded.RepoId != target.RepoId || recorded.RepoType != target.RepoType || recorded.Private != target.Private || recorded.FileListHash != claimed.FileListHash || recorded.Folder != target.Folder)
        {
            throw new PublishRefusedException($"approval {recorded.Id} is for {recorded.RepoType} {recorded.RepoId} ({(recorded.Private ? "private" : "public")}), not for this upload");
        }

        var report = Check(target);
        if (!report.Passed)
        {
            throw new PublishRefusedException($"the preflight now fails ({report.Problems.Count} problems)");
        }

        if (report.FileListHash != recorded.FileListHash)
        {
            throw new PublishRefusedException("the files changed after the approval; approve again");
        }

        // Checked again under the lock: two uploads racing for one approval get one use. The nonce is
        // recorded as used last, when nothing else refuses, and outside the workspace.
        var used = recorded with { UsedAt = DateTimeOffset.UtcNow };
        Record(target.Run, used, now =>
            now is null ? $"approval {recorded.Id} is not recorded in {target.Run.RunJsonPath}"
            : now.UsedAt is { } at ? $"approval {recorded.Id} was already used at {at:u}; approve again"
            : now != recorded ? $"approval {recorded.Id} changed while it was checked; approve again"
            : !ApprovalSeal.TryUse(recorded.Nonce!, $"upload of {recorded.RepoType} {recorded.RepoId} from {target.Run.Folder}") ? $"approval {recorded.Id} was already used for an upload; approve again"
            : null);
        return used;
    }

    /// <summary>Records an upload's exit code on the approval it used; once, and only on a used approval.</summary>
    public static void RecordExit(RunContext run, PublishApproval approval, int exitCode) => Record(run, approval with { ExitCode = exitCode }, now =>
        now?.UsedAt is null ? $"run {run.Id ?? run.Folder} has no started upload with approval {approval.Id}"
        : now.ExitCode is { } code ? $"the upload of approval {approval.Id} already ended (exit code {code})"
        : null);

    /// <summary>The approvals recorded in the run's run.json, as it is on disk now.</summary>
    public static IReadOnlyList<PublishApproval> Recorded(RunContext run) => WorkspaceStore.ReadRun(run.Folder)?.Publications ?? [];

    /// <summary>
    /// Adds or replaces (by id) an approval in run.json's publications, as an update of the record the
    /// store holds, so other writers' changes survive. <paramref name="refuse"/> sees the entry as it is
    /// under the lock and may refuse the change with a reason.
    /// </summary>
    private static void Record(RunContext run, PublishApproval approval, Func<PublishApproval?, string?>? refuse = null)
    {
        RunRecord? recorded;
        try
        {
            recorded = WorkspaceStore.UpdateRun(run.Folder, record =>
            {
                var list = record.Publications ?? [];
                if (refuse?.Invoke(list.FirstOrDefault(a => a.Id == approval.Id)) is { } reason)
                {
                    throw new PublishRefusedException(reason);
                }

                return record with
                {
                    Publications = list.Any(a => a.Id == approval.Id) ? [.. list.Select(a => a.Id == approval.Id ? approval : a)] : [.. list, approval],
                };
            });
        }
        catch (RunFileException e)
        {
            throw new PublishRefusedException($"{e.Message}; the approval cannot be recorded");
        }

        if (recorded is null)
        {
            throw new PublishRefusedException($"{run.RunJsonPath} is missing: an approval must be recorded in the run's run.json");
        }
    }
}
