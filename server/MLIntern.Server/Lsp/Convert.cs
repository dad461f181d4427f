using MLIntern.Analysis.Findings;
using MLIntern.Server.Engine;
using MLIntern.Server.Lsp.Protocol;
using LspRange = MLIntern.Server.Lsp.Protocol.Range;

namespace MLIntern.Server.Lsp;

/// <summary>From the engine's findings (1-based, UTF-16 columns) to LSP's types (0-based, the client's position encoding through <see cref="ClientPositions"/>).</summary>
internal static class Convert
{
    public const string Source = "mlintern";

    public static LspRange ToRange(SourceRange r, ClientPositions positions) => positions.Out(r);

    public static SourceRange FromRange(LspRange r, ClientPositions positions) => positions.In(r);

    public static Diagnostic ToDiagnostic(Finding finding, ClientPositions positions) => new()
    {
        Range = ToRange(finding.Range, positions),
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

    public static WorkspaceEdit ToWorkspaceEdit(Document document, IEnumerable<MLIntern.Findings.TextEdit> edits, bool versioned, PositionEncoding encoding)
    {
        var positions = document.Positions(encoding);
        var lspEdits = edits.Select(e => new Protocol.TextEdit { Range = ToRange(e.Range, positions), NewText = e.NewText }).ToList();
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
