using System.Collections.Concurrent;
using System.Security.Cryptography;
using MLIntern.Server.Release;
using MLIntern.Training.Release;
using Wire = MLIntern.Server.Protocol;

namespace MLIntern.Server.Lsp.Handlers;

/// <summary>Publish approvals given in the editor, by token, single use; in memory, so a restarted sidecar asks again.</summary>
internal sealed class PublishApprovalBook
{
    private readonly ConcurrentDictionary<string, (PublishTarget Target, PublishApproval Approval)> _tokens = new(StringComparer.Ordinal);

    public string Add(PublishTarget target, PublishApproval approval)
    {
        var token = System.Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        _tokens[token] = (target, approval);
        return token;
    }

    public (PublishTarget Target, PublishApproval Approval)? Take(string token) => _tokens.TryRemove(token, out var entry) ? entry : null;
}

/// <summary>Shared by the publish handlers: the target a request names, checked before any file is read.</summary>
internal static class PublishRequests
{
    public static PublishTarget Target(Wire.PublishParams parameters)
    {
        var run = RunRequests.Resolve(parameters);
        var type = parameters.RepoType ?? Preflight.ModelType;
        if (parameters.RepoId is null)
        {
            throw RunRequests.Invalid("repoId is required");
        }

        if (type is not (Preflight.ModelType or Preflight.SpaceType))
        {
            throw RunRequests.Invalid($"repoType must be model or space, not '{type}'");
        }

        return new PublishTarget(run, parameters.RepoId, type, parameters.Private, parameters.CommitMessage);
    }
}
