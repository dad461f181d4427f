using MLIntern.Server.Cli;
using MLIntern.Server.Engine;
using Wire = MLIntern.Server.Protocol;

namespace MLIntern.Server.Mcp;

// What the MCP tools answer that the mlintern/* protocol has no record for. Written through ProtocolJson like the
// protocol's records (camelCase, nulls left out); the data set profile, the plan and the evaluation are the protocol's own.

/// <summary>check_script's answer: the files checked, their findings (at most <see cref="McpTools.MaxFindings"/>), what could not be read.</summary>
internal sealed record ScriptCheck(
    IReadOnlyList<string> Files,
    int Total,
    bool Truncated,
    IReadOnlyList<CheckedFinding> Findings,
    IReadOnlyList<string> Errors,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string>? SkippedOutsideWorkspace);

/// <summary>A finding as `mlintern check --format json` reports it: 1-based positions, in the cell's coordinates in a notebook.</summary>
internal sealed record CheckedFinding(
    string Path,
    int? Cell,
    int Line,
    int Column,
    int EndLine,
    int EndColumn,
    string Code,
    Wire.Severity Severity,
    string Message,
    string? Url,
    CheckedFix? Fix)
{
    public static CheckedFinding From(FileFinding f)
    {
        var finding = f.Finding;
        var fix = finding.Fix is { } x
            ? new CheckedFix(x.Title, Applicability(x.Applicability), [.. x.Edits.Select((e, i) => new CheckedEdit(
                f.EditCells is { } cells && i < cells.Count ? cells[i] : null,
                e.Range.Line,
                e.Range.Column,
                e.Range.EndLine,
                e.Range.EndColumn,
                e.NewText))])
            : null;
        var r = finding.Range;
        return new CheckedFinding(f.Path, f.Cell, r.Line, r.Column, r.EndLine, r.EndColumn, finding.Code, Wire.CheckResult.ToWire(finding.Severity), finding.Message, RuleCatalog.Find(finding.Code)?.HelpUri, fix);
    }

    private static Wire.FixApplicability Applicability(MLIntern.Findings.Applicability a) => a switch
    {
        MLIntern.Findings.Applicability.Safe => Wire.FixApplicability.Safe,
        MLIntern.Findings.Applicability.Unsafe => Wire.FixApplicability.Unsafe,
        _ => Wire.FixApplicability.DisplayOnly,
    };
}

/// <summary>A proposed fix; nothing applies it (the MCP server writes no file): a client shows it or applies it itself.</summary>
internal sealed record CheckedFix(string Title, Wire.FixApplicability Applicability, IReadOnlyList<CheckedEdit> Edits);

internal sealed record CheckedEdit(int? Cell, int Line, int Column, int EndLine, int EndColumn, string Content);

/// <summary>explain_rule's answer: the rule and its page, the same Markdown as docs/rules/&lt;CODE&gt;.md.</summary>
internal sealed record RuleExplanation(string Code, string Name, Wire.Severity DefaultSeverity, string Summary, string Url, string Page)
{
    public static RuleExplanation From(RuleInfo rule) =>
        new(rule.Code, rule.Name, Wire.CheckResult.ToWire(rule.DefaultSeverity), rule.Summary, rule.HelpUri, RulePages.Render(rule));
}
