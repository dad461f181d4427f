using System.Runtime.Serialization;
using MLIntern.Server.Lsp.Protocol;

namespace MLIntern.Server.Protocol;

// mlintern/askFix: "Ask for a Fix" on a cursor or selection, answered with proposals the editor previews as diffs.

internal sealed class AskFixParams
{
    public TextDocumentIdentifier TextDocument { get; set; } = new();

    public MLIntern.Server.Lsp.Protocol.Range Range { get; set; } = new();

    /// <summary>A free-form request ("use macro F1"); providers that cannot read words ignore it.</summary>
    public string? Question { get; set; }
}

/// <summary>
/// mlintern/askFix's answer: the document and the version every proposal's edit applies to, and the
/// proposals in the order the editor lists them (safe, then unsafe, then explanations; providers' order within each).
/// </summary>
internal sealed record AskFixResult(string Uri, int Version, IReadOnlyList<FixProposal> Proposals);

/// <summary>How safe applying a proposal is. A proposal without an edit is always <see cref="DisplayOnly"/>: it can only be read.</summary>
internal enum FixApplicability
{
    Safe,
    Unsafe,

    [EnumMember(Value = "display-only")]
    DisplayOnly,
}

/// <summary>One proposed change: a versioned LSP WorkspaceEdit (absent for an explanation), why, and how safe.</summary>
internal sealed record FixProposal(string Provider, string Title, string? Code, FixApplicability Applicability, string Explanation, WorkspaceEdit? Edit)
{
    public static FixProposal From(Assist.FixProposal p, WorkspaceEdit? edit) => new(
        p.Provider,
        p.Title,
        string.IsNullOrEmpty(p.Code) ? null : p.Code,
        edit is null ? FixApplicability.DisplayOnly : p.Applicability switch
        {
            MLIntern.Findings.Applicability.Safe => FixApplicability.Safe,
            MLIntern.Findings.Applicability.Unsafe => FixApplicability.Unsafe,
            _ => FixApplicability.DisplayOnly,
        },
        p.Explanation,
        p.Applicability == MLIntern.Findings.Applicability.DisplayOnly ? null : edit);

    /// <summary>The proposals as the editor lists them: by applicability, keeping the providers' order within each.</summary>
    public static IReadOnlyList<FixProposal> Ordered(IEnumerable<FixProposal> proposals) => [.. proposals.OrderBy(p => p.Applicability)];
}
