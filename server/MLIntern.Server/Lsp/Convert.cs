using MLIntern.Analysis.Findings;
using MLIntern.Server.Engine;
using MLIntern.Server.Lsp.Protocol;
using LspRange = MLIntern.Server.Lsp.Protocol.Range;

namespace MLIntern.Server.Lsp;

/// <summary>From the engine's findings (1-based) to LSP's types (0-based, UTF-16 columns as the engine counts them).</summary>
internal static class Convert
{
    public const string Source = "mlintern";

    public static LspRange ToRange(SourceRange r) => new()
    {
        Start = new Position { Line = Math.Max(r.Line - 1, 0), Character = Math.Max(r.Column - 1, 0) },
        End = new Position { Line = Math.Max(r.EndLine - 1, 0), Character = Math.Max(r.EndColumn - 1, 0) },
    };

    public static SourceRange FromRange(LspRange r) =>
        new(r.Start.Line + 1, r.Start.Character + 1, r.End.Line + 1, r.End.Character + 1);

    public static Diagnostic ToDiagnostic(Finding finding) => new()
    {
        Range = ToRange(finding.Range),
        Severity = finding.Severity switch
        {
            Severity.Error => 1,
            Severity.Warning => 2,
            Severity.Information => 3,
            _ => 4,
        },
        Code = finding.Code,
        CodeDescription = RuleCatalog.Find(finding.Code) is { } rule ? new CodeDescription { Href = rule.HelpUri } : null,
        Source = Source,
        Message = finding.Message,
    };

    public static WorkspaceEdit ToWorkspaceEdit(Document document, IEnumerable<MLIntern.Findings.TextEdit> edits, bool versioned)
    {
        var lspEdits = edits.Select(e => new Protocol.TextEdit { Range = ToRange(e.Range), NewText = e.NewText }).ToList();
        return versioned
            ? new WorkspaceEdit
            {
                DocumentChanges =
                [
                    new TextDocumentEdit
                    {
                        TextDocument = new OptionalVersionedTextDocumentIdentifier { Uri = document.Uri, Version = document.Version },
                        Edits = lspEdits,
                    },
                ],
            }
            : new WorkspaceEdit { Changes = new() { [document.Uri] = lspEdits } };
    }
}
