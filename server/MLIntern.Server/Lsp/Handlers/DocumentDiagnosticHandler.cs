using System.Text;
using MLIntern.Server.Lsp.Protocol;

namespace MLIntern.Server.Lsp.Handlers;

/// <summary>
/// textDocument/diagnostic (pull diagnostics, declared only to a client with textDocument.diagnostic):
/// the document's findings as a full report whose resultId names its content, or "unchanged" when the
/// client's previousResultId is that id. A notebook cell's are the cell's share of its notebook's.
/// </summary>
internal sealed class DocumentDiagnosticHandler(ServerState state, FindingsCache findings, Newtonsoft.Json.JsonSerializer serializer) : ReadHandler<DocumentDiagnosticParams, DocumentDiagnosticReport>
{
    public override string Method => Methods.DocumentDiagnostic;

    protected override Task<DocumentDiagnosticReport> HandleAsync(DocumentDiagnosticParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        List<Diagnostic> items = [];
        if (snapshot.Get(parameters.TextDocument.Uri) is { } document)
        {
            var positions = document.Positions(state.PositionEncoding);
            items = [.. findings.Get(document, snapshot.NotebookOf(document.Uri)).Select(f => Convert.ToDiagnostic(f, positions))];
        }

        cancellationToken.ThrowIfCancellationRequested();
        var text = Newtonsoft.Json.Linq.JToken.FromObject(items, serializer).ToString(Newtonsoft.Json.Formatting.None);
        var resultId = System.Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
        return Task.FromResult(parameters.PreviousResultId == resultId
            ? new DocumentDiagnosticReport { Kind = "unchanged", ResultId = resultId }
            : new DocumentDiagnosticReport { Kind = "full", ResultId = resultId, Items = items });
    }
}
