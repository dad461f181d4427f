using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using Newtonsoft.Json.Serialization;
using Core = MLIntern.Training.Release;

// The enums below carry their wire form (camelCase strings) themselves, as ProtocolJson writes every
// enum, so they read the same through any serializer a host configures.

namespace MLIntern.Server.Protocol;

/// <summary>A run named by id (under the workspace's .mlintern/runs/) or by its folder (path or file URI).</summary>
internal class RunRefParams
{
    /// <summary>The workspace folder (path or file URI) holding .mlintern/; required with <see cref="RunId"/>.</summary>
    public string? WorkspaceFolder { get; set; }

    public string? RunId { get; set; }

    public string? Path { get; set; }
}

internal sealed class CreateCardParams : RunRefParams
{
    public string? License { get; set; }

    public List<string>? Languages { get; set; }

    public string? DatasetId { get; set; }

    public string? Author { get; set; }

    public string? ModelName { get; set; }
}

internal sealed class CreateDemoParams : RunRefParams
{
    public string? ModelId { get; set; }

    public string? License { get; set; }

    public string? SdkVersion { get; set; }
}

internal sealed class PublishParams : RunRefParams
{
    public string? RepoId { get; set; }

    /// <summary>"model" (default) or "space".</summary>
    public string? RepoType { get; set; }

    public bool Private { get; set; }

    public string? CommitMessage { get; set; }

    /// <summary>approvePublish: the fileListHash of the preflight the user saw.</summary>
    public string? FileListHash { get; set; }
}

internal sealed class StartPublishParams
{
    public string? ApprovalToken { get; set; }
}

internal sealed class PublishExitedParams : RunRefParams
{
    /// <summary>The id of the approval startPublish used (its answer's approval.id).</summary>
    public string? ApprovalId { get; set; }

    public int? ExitCode { get; set; }
}

internal sealed class CheckRepoIdParams
{
    public string? RepoId { get; set; }
}

/// <summary>mlintern/checkRepoId's answer: whether the id is one the sidecar publishes to, and if not why (a sentence for the input box).</summary>
internal sealed record RepoIdCheck(bool Valid, string? Problem)
{
    public static RepoIdCheck Of(string repoId) => Core.Preflight.RepoIdProblem(repoId) is { } problem ? new(false, problem) : new(true, null);
}

/// <summary>An error blocks publishing; a warning does not.</summary>
[JsonConverter(typeof(StringEnumConverter), typeof(CamelCaseNamingStrategy))]
internal enum CardSeverity
{
    Error,
    Warning,
}

/// <summary>A problem in a card's or Space README's metadata, by field; <see cref="Unfilled"/> when it only says the field is unfilled (the unfilled list names it too).</summary>
internal sealed record CardProblem(CardSeverity Severity, string Field, string Message, bool Unfilled)
{
    public static CardProblem From(Core.CardProblem c) => new(c.Severity == Core.CardProblem.Error ? CardSeverity.Error : CardSeverity.Warning, c.Field, c.Message, c.Unfilled);
}

/// <summary>
/// mlintern/createCard's answer: the README.md written, the fields left unfilled and the validator's
/// problems. <see cref="Valid"/>: no error; <see cref="Ready"/>: valid and nothing unfilled, so the preflight's card check passes.
/// </summary>
internal sealed record CardResult(string Path, string ModelFolder, IReadOnlyList<string> Unfilled, IReadOnlyList<CardProblem> Problems, bool Valid, bool Ready)
{
    public static CardResult From(Release.CardResult c)
    {
        var valid = c.Problems.All(p => p.Severity != Core.CardProblem.Error);
        return new(c.Path, c.ModelFolder, c.Unfilled, [.. c.Problems.Select(CardProblem.From)], valid, valid && c.Unfilled.Count == 0);
    }
}

/// <summary>The command that serves a built-in baseline's demo locally, and the local URL it serves on.</summary>
internal sealed record ServeCommand(string Command, IReadOnlyList<string> Args, string Url);

/// <summary>mlintern/createDemo's answer: the Space folder, its files, unfilled fields, and how to serve it when the run is a built-in baseline.</summary>
internal sealed record DemoResult(string Folder, IReadOnlyList<string> Files, IReadOnlyList<string> Unfilled, ServeCommand? Serve)
{
    public static DemoResult From(Release.SpaceResult c, ServeCommand? serve) => new(c.Folder, c.Files, c.Unfilled, serve);
}

/// <summary>A file the upload would send, and its size in bytes.</summary>
internal sealed record UploadFileInfo(string Path, long Size)
{
    public static UploadFileInfo From(Core.UploadFileInfo c) => new(c.Path, c.Size);
}

/// <summary>One preflight problem; every one blocks the upload. Secrets are shown masked, personal data by kind only.</summary>
internal sealed record PreflightProblem(string Kind, string Message, string? File, int? Line)
{
    public static PreflightProblem From(Core.PreflightProblem c) => new(c.Kind, c.Message, c.File, c.Line);
}

/// <summary>
/// mlintern/preflightPublish's answer: what would be uploaded where, what blocks it, and the
/// fileListHash an approval must repeat. <see cref="Passed"/> is the decision (no problem at all);
/// <see cref="RepoIdValid"/> says whether the repo id itself is one (mlintern/checkRepoId's rule).
/// </summary>
internal sealed record PreflightReport(
    string RepoId,
    string RepoType,
    bool Private,
    string Folder,
    IReadOnlyList<UploadFileInfo> Files,
    long TotalBytes,
    IReadOnlyList<PreflightProblem> Problems,
    IReadOnlyList<CardProblem> CardWarnings,
    string FileListHash,
    bool Passed,
    bool RepoIdValid)
{
    public static PreflightReport From(Core.PreflightReport c) => new(
        c.RepoId,
        c.RepoType,
        c.Private,
        c.Folder,
        [.. c.Files.Select(UploadFileInfo.From)],
        c.TotalBytes,
        [.. c.Problems.Select(PreflightProblem.From)],
        [.. c.CardWarnings.Select(CardProblem.From)],
        c.FileListHash,
        c.Passed,
        Core.Preflight.IsRepoId(c.RepoId));
}

/// <summary>Where a publication stands: approved, its upload started, ended well (exit code 0) or not.</summary>
[JsonConverter(typeof(StringEnumConverter), typeof(CamelCaseNamingStrategy))]
internal enum PublishStatus
{
    Approved,
    Uploading,
    Published,
    Failed,
}

/// <summary>
/// A recorded decision to publish (run.json's "publications"): who approved, how, when, what; when its
/// upload started (<see cref="UsedAt"/>), how it ended (<see cref="ExitCode"/>), and so its <see cref="Status"/>.
/// </summary>
internal sealed record PublishApproval(
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
    DateTimeOffset? UsedAt,
    int? ExitCode,
    PublishStatus Status)
{
    public static PublishApproval From(Core.PublishApproval c) => new(
        c.Id,
        c.ApprovedBy,
        c.Via,
        c.ApprovedAt,
        c.RepoId,
        c.RepoType,
        c.Private,
        c.Folder,
        c.FileListHash,
        c.Files,
        c.TotalBytes,
        c.CommitMessage,
        c.UsedAt,
        c.ExitCode,
        c.Status() switch
        {
            Core.PublicationStatus.Approved => PublishStatus.Approved,
            Core.PublicationStatus.Uploading => PublishStatus.Uploading,
            Core.PublicationStatus.Published => PublishStatus.Published,
            _ => PublishStatus.Failed,
        });
}

/// <summary>mlintern/approvePublish's answer: the single-use token startPublish takes, and the approval recorded in run.json.</summary>
internal sealed record PublishApproved(string ApprovalToken, PublishApproval Approval);

/// <summary>mlintern/startPublish's answer: the upload command the extension runs as a task ({command, args, cwd}), as one shell line, and the approval it used.</summary>
internal sealed record PublishStarted(string Command, IReadOnlyList<string> Args, string Cwd, string CommandLine, PublishApproval Approval);

/// <summary>mlintern/publishExited's answer: the exit code was recorded, and the approval as it now stands.</summary>
internal sealed record PublishExitRecorded(bool Recorded, PublishApproval Approval);
