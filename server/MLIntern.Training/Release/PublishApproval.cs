using System.Globalization;
using MLIntern.Training.Runs;

namespace MLIntern.Training.Release;

/// <summary>
/// A recorded decision to publish, kept in the run's run.json ("publications"): who approved, how,
/// when, what (repo id, type, visibility, folder, the file list's hash and count). An upload runs
/// only for an approval whose hash still matches the files, and only once (<see cref="UsedAt"/>, and
/// its one-time <see cref="Nonce"/> recorded outside the workspace when used). <see cref="Signature"/>
/// is the HMAC-SHA256 of <see cref="SignedText"/> with the user's key: an entry written by hand has none.
/// </summary>
public sealed record PublishApproval(
    string Id,
    string ApprovedBy,
    string Via,
    DateTimeOffset ApprovedAt,
    string RepoId,
    string RepoType,
    bool Private,
    string Folder,
    string FileListHash,
    int Files,
    long TotalBytes,
    string CommitMessage,
    DateTimeOffset? UsedAt = null,
    int? ExitCode = null,
    string? Nonce = null,
    string? Signature = null)
{
    /// <summary>What the signature covers: what is uploaded, where, by whom, and the nonce — not when it was used or how it ended.</summary>
    public string SignedText() => Signing.Text(
        "mlintern-publish-approval-v1",
        Id,
        ApprovedBy,
        Via,
        ApprovedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        RepoId,
        RepoType,
        Private ? "private" : "public",
        Folder,
        FileListHash,
        Files.ToString(CultureInfo.InvariantCulture),
        TotalBytes.ToString(CultureInfo.InvariantCulture),
        CommitMessage,
        Nonce ?? "");

    /// <summary>
    /// Where the publication stands, from the facts recorded: an exit code ends it (0 published, any
    /// other failed), a use without one is an upload under way, else it is only approved. A method, not
    /// a property, so run.json keeps the facts and never a status that could disagree with them.
    /// </summary>
    public PublicationStatus Status() => ExitCode switch
    {
        0 => PublicationStatus.Published,
        not null => PublicationStatus.Failed,
        null when UsedAt is not null => PublicationStatus.Uploading,
        _ => PublicationStatus.Approved,
    };
}

/// <summary>See <see cref="PublishApproval.Status"/>.</summary>
public enum PublicationStatus
{
    Approved,
    Uploading,
    Published,
    Failed,
}

/// <summary>The upload command: `hf upload REPO_ID FOLDER --repo-type TYPE --commit-message MSG [--private]` (never huggingface-cli).</summary>
public static class UploadCommand
{
    public const string Executable = "hf";

    public static IReadOnlyList<string> Arguments(PublishApproval approval)
    {
        var args = new List<string> { "upload", approval.RepoId, approval.Folder, "--repo-type", approval.RepoType, "--commit-message", approval.CommitMessage };
        if (approval.Private)
        {
            args.Add("--private");
        }

        return args;
    }

    /// <summary>The command as one shell line (POSIX quoting), for display and for a terminal.</summary>
    public static string Line(PublishApproval approval) =>
        Executable + " " + string.Join(' ', Arguments(approval).Select(Quote));

    public static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:@".Contains(c, StringComparison.Ordinal))
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
