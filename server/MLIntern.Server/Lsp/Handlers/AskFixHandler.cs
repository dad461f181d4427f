using Microsoft.Extensions.Logging;
using MLIntern.Server.Assist;
using MLIntern.Server.Lsp.Protocol;
using Wire = MLIntern.Server.Protocol;

namespace MLIntern.Server.Lsp.Handlers;

/// <summary>
/// mlintern/askFix: proposals for a cursor or selection from every provider, each with a versioned
/// edit the editor shows as a diff before anything is applied. Providers run in order; one that
/// fails is logged and skipped, so the offline provider's answer always arrives. The answer lists
/// safe proposals first, then unsafe ones, then explanations.
/// </summary>
internal sealed class AskFixHandler(ServerState state, FindingsCache findings, IReadOnlyList<IFixProvider> providers) : ReadHandler<Wire.AskFixParams, Wire.AskFixResult>
{
    public override string Method => Methods.AskFix;

    protected override async Task<Wire.AskFixResult> HandleAsync(Wire.AskFixParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        if (snapshot.Get(parameters.TextDocument.Uri) is not { } document)
        {
            throw Wire.ErrorReasons.Error(ErrorCodes.InvalidParams, Wire.ErrorReasons.NotFound, $"{Method}: '{parameters.TextDocument.Uri}' is not open");
        }

        // In a notebook cell the findings are the cell's (cell coordinates; fixes that stay in the cell).
        var notebook = snapshot.NotebookOf(document.Uri);
        var request = new FixRequest(document.Uri, notebook?.FilePath ?? document.FilePath, document.Version, document.Text, Convert.FromRange(parameters.Range, document.Positions(state.PositionEncoding)), parameters.Question, findings.Get(document, notebook));
        var proposals = new List<Wire.FixProposal>();
        foreach (var provider in providers)
        {
            cancellationToken.ThrowIfCancellationRequested();
            IReadOnlyList<FixProposal> proposed;
            try
            {
                proposed = await provider.ProposeAsync(request, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                state.Loggers.CreateLogger<AskFixHandler>().LogWarning("fix provider {Provider} failed: {Message}", provider.Name, e.Message);
                continue;
            }

            proposals.AddRange(proposed.Select(p => Wire.FixProposal.From(p, p.Edits.Count == 0 ? null : Convert.ToWorkspaceEdit(document, p.Edits, versioned: true, state.PositionEncoding))));
        }

        return new Wire.AskFixResult(document.Uri, document.Version, Wire.FixProposal.Ordered(proposals));
    }
}
