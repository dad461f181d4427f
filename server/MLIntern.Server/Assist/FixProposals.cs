using MLIntern.Analysis.Findings;
using MLIntern.Server.Engine;

namespace MLIntern.Server.Assist;

/// <summary>What "Ask for a Fix" is asked: a document at a version, a range in it, and optionally a question in words.</summary>
/// <param name="Range">1-based, as findings count; an empty range is a cursor.</param>
internal sealed record FixRequest(string Uri, string? FilePath, int Version, string Text, SourceRange Range, string? Question, IReadOnlyList<Finding> Findings);

/// <summary>One proposed change: edits to the document the request named, with why and how safe.</summary>
internal sealed record FixProposal(
    string Provider,
    string Title,
    string? Code,
    Applicability Applicability,
    string Explanation,
    IReadOnlyList<MLIntern.Findings.TextEdit> Edits);

/// <summary>
/// A source of proposals. The rule engine is one (offline, always there); an LLM assistant plugs in
/// as another, answering free-form questions. Providers never edit anything: the user accepts a
/// proposal in the editor, which applies it to the version it was computed on.
/// </summary>
internal interface IFixProvider
{
    string Name { get; }

    Task<IReadOnlyList<FixProposal>> ProposeAsync(FixRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// The offline provider: the fixes of the findings under the cursor or selection — safe ones
/// first, unsafe ones saying why they are unsafe — and, for findings without a fix, the rule's
/// advice with no edit. With an empty range and nothing under it, the findings of the cursor's line.
/// </summary>
internal sealed class RuleFixProvider : IFixProvider
{
    public const string ProviderName = "rules";

    public string Name => ProviderName;

    public Task<IReadOnlyList<FixProposal>> ProposeAsync(FixRequest request, CancellationToken cancellationToken)
    {
        var hits = request.Findings.Where(f => f.Range.Intersects(request.Range)).ToList();
        if (hits.Count == 0 && request.Range.Line == request.Range.EndLine)
        {
            hits = [.. request.Findings.Where(f => f.Range.Line <= request.Range.Line && request.Range.Line <= f.Range.EndLine)];
        }

        var proposals = new List<FixProposal>();
        foreach (var finding in hits.OrderBy(f => f.Fix?.Applicability ?? Applicability.DisplayOnly))
        {
            var rule = RuleCatalog.Find(finding.Code);
            var why = rule is null ? finding.Message : $"{finding.Message}. {rule.Summary}.";
            if (finding.Fix is { Applicability: not Applicability.DisplayOnly } fix)
            {
                var caution = fix.Applicability == Applicability.Unsafe ? " This fix is unsafe: it may change what the program does beyond the bug; review the diff." : "";
                proposals.Add(new FixProposal(Name, fix.Title, finding.Code, fix.Applicability, why + caution, fix.Edits));
            }
            else
            {
                proposals.Add(new FixProposal(Name, $"{finding.Code}: no automatic fix", finding.Code, Applicability.DisplayOnly, why + $" See {rule?.HelpUri ?? finding.Code} for what to write instead.", []));
            }
        }

        return Task.FromResult<IReadOnlyList<FixProposal>>(proposals);
    }
}
