using System.Collections.Concurrent;
using MLIntern.Training.Runs;

namespace MLIntern.Server.Lsp.Handlers;

/// <summary>
/// Approvals given in the editor, by token, until a run uses them: single use, and only for the
/// plan they were given for. In memory: a restarted sidecar forgets them, so the user approves again.
/// </summary>
internal sealed class ApprovalBook
{
    private readonly ConcurrentDictionary<string, (Approval Approval, string Workspace)> _tokens = new(StringComparer.Ordinal);

    public string Add(Approval approval, string workspace)
    {
        var token = System.Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        _tokens[token] = (approval, workspace);
        return token;
    }

    public (Approval Approval, string Workspace)? Take(string token) => _tokens.TryRemove(token, out var entry) ? entry : null;
}
