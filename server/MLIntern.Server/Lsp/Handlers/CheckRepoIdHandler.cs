using MLIntern.Server.Lsp.Protocol;
using Wire = MLIntern.Server.Protocol;

namespace MLIntern.Server.Lsp.Handlers;

/// <summary>
/// mlintern/checkRepoId: whether a repo id is one the sidecar publishes to, by the one rule the
/// preflight applies (Preflight.RepoIdProblem); the editor's input box asks it as the user types.
/// </summary>
internal sealed class CheckRepoIdHandler : ReadHandler<Wire.CheckRepoIdParams, Wire.RepoIdCheck>
{
    /// <summary>Longer input is answered without being checked character by character (a user's read has a size limit).</summary>
    public const int MaxInput = 1024;

    public override string Method => Methods.CheckRepoId;

    protected override Task<Wire.RepoIdCheck> HandleAsync(Wire.CheckRepoIdParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        var repoId = parameters.RepoId ?? throw RunRequests.Invalid("repoId is required");
        return Task.FromResult(repoId.Length > MaxInput
            ? new Wire.RepoIdCheck(false, $"{repoId.Length} characters is far longer than a repo id (owner/name, at most {Training.Release.Preflight.MaxRepoNameLength} characters each)")
            : Wire.RepoIdCheck.Of(repoId));
    }
}
