using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using MLIntern.Server.Lsp.Protocol;

namespace MLIntern.Server.Lsp.Handlers;

// LSP 3.17 notebook synchronization: the client sends a notebook's cells as notebookDocument/*
// (not as text documents). Each cell's text is a Document in the store, so a quick fix names the
// cell document and its version; the notebook is checked as one program after every change.

internal sealed class DidOpenNotebookHandler(DiagnosticsPublisher diagnostics, ILogger logger) : ChangeHandler<DidOpenNotebookDocumentParams, object?>
{
    public override string Method => Methods.DidOpenNotebook;

    protected override Task<object?> HandleAsync(DidOpenNotebookDocumentParams parameters, DocumentStore documents, CancellationToken cancellationToken)
    {
        var notebook = parameters.NotebookDocument;
        var texts = parameters.CellTextDocuments.GroupBy(t => t.Uri).ToDictionary(g => g.Key, g => g.Last());
        var cells = notebook.Cells.Select(c => Cell(c, texts.GetValueOrDefault(c.Document))).ToImmutableArray();
        var open = new OpenNotebook(notebook.Uri, notebook.NotebookType, notebook.Version, cells);
        documents.SetNotebook(open);
        logger.LogDebug("opened notebook {Uri} v{Version} ({Cells} cells)", notebook.Uri, notebook.Version, cells.Length);
        diagnostics.Schedule(open);
        return Task.FromResult<object?>(null);
    }

    /// <summary>A cell whose text the client did not send is an empty Python cell until it does.</summary>
    internal static OpenCell Cell(NotebookCell cell, TextDocumentItem? text) =>
        new(cell.Kind, new Document(cell.Document, text?.LanguageId ?? (cell.Kind == NotebookCellKind.Code ? "python" : "markdown"), text?.Version ?? 0, text?.Text ?? ""));
}

internal sealed class DidChangeNotebookHandler(DiagnosticsPublisher diagnostics, ILogger logger) : ChangeHandler<DidChangeNotebookDocumentParams, object?>
{
    public override string Method => Methods.DidChangeNotebook;

    protected override Task<object?> HandleAsync(DidChangeNotebookDocumentParams parameters, DocumentStore documents, CancellationToken cancellationToken)
    {
        var uri = parameters.NotebookDocument.Uri;
        if (documents.Notebooks.GetValueOrDefault(uri) is not { } notebook)
        {
            logger.LogWarning("notebookDocument/didChange for {Uri}, which is not open; ignored", uri);
            return Task.FromResult<object?>(null);
        }

        var cells = notebook.Cells.ToList();
        var closed = new List<string>();
        if (parameters.Change.Cells is { } change)
        {
            if (change.Structure is { } structure)
            {
                var opened = (structure.DidOpen ?? []).GroupBy(t => t.Uri).ToDictionary(g => g.Key, g => g.Last());
                var start = Math.Clamp(structure.Array.Start, 0, cells.Count);
                var count = Math.Clamp(structure.Array.DeleteCount, 0, cells.Count - start);
                var removed = cells.GetRange(start, count);
                cells.RemoveRange(start, count);

                // A cell moved within the notebook is deleted and inserted again with the same document.
                var kept = removed.ToDictionary(c => c.Document.Uri);
                var inserted = (structure.Array.Cells ?? []).Select(c =>
                    opened.TryGetValue(c.Document, out var text) ? DidOpenNotebookHandler.Cell(c, text)
                    : kept.TryGetValue(c.Document, out var moved) ? moved with { Kind = c.Kind }
                    : cells.FirstOrDefault(x => x.Document.Uri == c.Document) ?? DidOpenNotebookHandler.Cell(c, null)).ToList();
                cells.InsertRange(start, inserted);

                foreach (var gone in structure.DidClose ?? [])
                {
                    if (cells.All(c => c.Document.Uri != gone.Uri))
                    {
                        documents.Remove(gone.Uri);
                        closed.Add(gone.Uri);
                    }
                }
            }

            foreach (var data in change.Data ?? [])
            {
                var i = cells.FindIndex(c => c.Document.Uri == data.Document);
                if (i >= 0)
                {
                    cells[i] = cells[i] with { Kind = data.Kind };
                }
            }

            foreach (var content in change.TextContent ?? [])
            {
                var i = cells.FindIndex(c => c.Document.Uri == content.Document.Uri);
                if (i < 0)
                {
                    logger.LogWarning("notebook {Uri}: text change for {Cell}, which is not one of its cells; ignored", uri, content.Document.Uri);
                    continue;
                }

                cells[i] = cells[i] with { Document = cells[i].Document.Apply(content.Document.Version, content.Changes) };
            }
        }

        var changed = notebook with { Version = parameters.NotebookDocument.Version, Cells = [.. cells] };
        documents.SetNotebook(changed);
        diagnostics.ClearNotebookCells(closed);
        diagnostics.Schedule(changed);
        return Task.FromResult<object?>(null);
    }
}

/// <summary>On save the notebook's data sets may have changed on disk: check again.</summary>
internal sealed class DidSaveNotebookHandler(DiagnosticsPublisher diagnostics) : ChangeHandler<DidSaveNotebookDocumentParams, object?>
{
    public override string Method => Methods.DidSaveNotebook;

    protected override Task<object?> HandleAsync(DidSaveNotebookDocumentParams parameters, DocumentStore documents, CancellationToken cancellationToken)
    {
        if (documents.Notebooks.GetValueOrDefault(parameters.NotebookDocument.Uri) is { } notebook)
        {
            var reread = notebook with { };
            documents.SetNotebook(reread);
            diagnostics.Schedule(reread);
        }

        return Task.FromResult<object?>(null);
    }
}

internal sealed class DidCloseNotebookHandler(DiagnosticsPublisher diagnostics) : ChangeHandler<DidCloseNotebookDocumentParams, object?>
{
    public override string Method => Methods.DidCloseNotebook;

    protected override Task<object?> HandleAsync(DidCloseNotebookDocumentParams parameters, DocumentStore documents, CancellationToken cancellationToken)
    {
        var uri = parameters.NotebookDocument.Uri;
        var cells = documents.Notebooks.GetValueOrDefault(uri)?.Cells.Select(c => c.Document.Uri).ToList() ?? [];
        cells.AddRange(parameters.CellTextDocuments.Select(c => c.Uri));
        documents.RemoveNotebook(uri);
        foreach (var cell in cells.Distinct())
        {
            documents.Remove(cell);
        }

        diagnostics.ClearNotebook(uri, cells.Distinct());
        return Task.FromResult<object?>(null);
    }
}
