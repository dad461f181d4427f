using Microsoft.Extensions.Logging;
using MLIntern.Server.Lsp.Protocol;

namespace MLIntern.Server.Lsp.Handlers;

internal sealed class DidOpenHandler(DiagnosticsPublisher diagnostics, ILogger logger) : ChangeHandler<DidOpenTextDocumentParams, object?>
{
    public override string Method => Methods.DidOpen;

    protected override Task<object?> HandleAsync(DidOpenTextDocumentParams parameters, DocumentStore documents, CancellationToken cancellationToken)
    {
        var item = parameters.TextDocument;
        var document = new Document(item.Uri, item.LanguageId, item.Version, item.Text ?? "");
        documents.Set(document);
        logger.LogDebug("opened {Uri} v{Version} ({Length} chars)", item.Uri, item.Version, document.Text.Length);
        if (DocumentUris.LocalPath(item.Uri, out var whyNot) is null && whyNot is not null)
        {
            logger.LogWarning("{Uri} names no file on this machine ({Why}): checked from its text, with no settings files and no data sets", item.Uri, whyNot);
        }

        diagnostics.Schedule(document);
        return Task.FromResult<object?>(null);
    }
}

internal sealed class DidChangeHandler(ServerState state, DiagnosticsPublisher diagnostics, ILogger logger) : ChangeHandler<DidChangeTextDocumentParams, object?>
{
    public override string Method => Methods.DidChange;

    protected override Task<object?> HandleAsync(DidChangeTextDocumentParams parameters, DocumentStore documents, CancellationToken cancellationToken)
    {
        var uri = parameters.TextDocument.Uri;
        if (documents.Current.GetValueOrDefault(uri) is not { } document)
        {
            logger.LogWarning("didChange for {Uri}, which is not open; ignored", uri);
            return Task.FromResult<object?>(null);
        }

        if (parameters.TextDocument.Version <= document.Version)
        {
            logger.LogWarning("didChange for {Uri} goes from v{Old} to v{New}; applied anyway", uri, document.Version, parameters.TextDocument.Version);
        }

        var changed = document.Apply(parameters.TextDocument.Version, parameters.ContentChanges, state.PositionEncoding);
        documents.Set(changed);
        diagnostics.Schedule(changed);
        return Task.FromResult<object?>(null);
    }
}

/// <summary>On save the file on disk changed: data checks read it, so check again.</summary>
internal sealed class DidSaveHandler(DiagnosticsPublisher diagnostics) : ChangeHandler<DidSaveTextDocumentParams, object?>
{
    public override string Method => Methods.DidSave;

    protected override Task<object?> HandleAsync(DidSaveTextDocumentParams parameters, DocumentStore documents, CancellationToken cancellationToken)
    {
        if (documents.Current.GetValueOrDefault(parameters.TextDocument.Uri) is { } document)
        {
            // A new Document instance: the findings cache is keyed by instance, and the disk may differ now.
            var reread = document with { };
            documents.Set(reread);
            diagnostics.Schedule(reread);
        }

        return Task.FromResult<object?>(null);
    }
}

internal sealed class DidCloseHandler(DiagnosticsPublisher diagnostics) : ChangeHandler<DidCloseTextDocumentParams, object?>
{
    public override string Method => Methods.DidClose;

    protected override Task<object?> HandleAsync(DidCloseTextDocumentParams parameters, DocumentStore documents, CancellationToken cancellationToken)
    {
        documents.Remove(parameters.TextDocument.Uri);
        diagnostics.Clear(parameters.TextDocument.Uri);
        return Task.FromResult<object?>(null);
    }
}
