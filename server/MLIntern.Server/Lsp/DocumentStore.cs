using System.Collections.Immutable;
using MLIntern.Analysis.Text;
using MLIntern.Server.Lsp.Protocol;

namespace MLIntern.Server.Lsp;

/// <summary>An open document at one version. Immutable: a change makes a new one.</summary>
internal sealed record Document(string Uri, string LanguageId, int Version, string Text)
{
    private LineMap? _lines;

    public LineMap Lines => _lines ??= new LineMap(Text);

    /// <summary>This text's positions as a client with <paramref name="encoding"/> counts them.</summary>
    public ClientPositions Positions(PositionEncoding encoding) => new(encoding, Text, Lines);

    /// <summary>The file system path of a file: URI, or null for other schemes and for a path of another OS.</summary>
    public string? FilePath => DocumentUris.LocalPath(Uri);

    /// <summary>A name to pick checks by: the path, or the URI for unsaved documents.</summary>
    public string FileName => FilePath ?? Uri;

    /// <summary>
    /// Which checks the document gets: by its name, or by its language when the name says nothing
    /// (an untitled: Python buffer is a script, checked from its text with no data set discovery).
    /// </summary>
    public MLIntern.Server.Engine.FileKind Kind =>
        MLIntern.Server.Engine.FileChecks.KindOf(FileName) is var kind && kind == MLIntern.Server.Engine.FileKind.None && LanguageId == "python"
            ? MLIntern.Server.Engine.FileKind.Script
            : kind;

    public Document Apply(int version, IEnumerable<TextDocumentContentChangeEvent> changes, PositionEncoding encoding = PositionEncoding.Utf16)
    {
        var text = Text;
        foreach (var change in changes)
        {
            if (change.Range is null)
            {
                text = change.Text;
                continue;
            }

            // Each change is relative to the text after the previous one, as LSP specifies.
            var positions = new ClientPositions(encoding, text);
            var start = positions.Offset(change.Range.Start);
            var end = positions.Offset(change.Range.End);
            if (end < start)
            {
                (start, end) = (end, start);
            }

            text = string.Concat(text.AsSpan(0, start), change.Text, text.AsSpan(end));
        }

        return this with { Version = version, Text = text, _lines = null };
    }
}

/// <summary>
/// An open notebook at one version: its cells in order, each with its text document as it stands.
/// Immutable: a change to the notebook or to any of its cells makes a new one, so findings cached
/// for one instance are the findings of exactly those cell texts.
/// </summary>
internal sealed record OpenNotebook(string Uri, string NotebookType, int Version, ImmutableArray<OpenCell> Cells)
{
    public string? FilePath => DocumentUris.LocalPath(Uri);

    /// <summary>The code cells as the engine reads them; a cell's index is its 1-based position among the notebook's synced cells.</summary>
    public IEnumerable<MLIntern.Analysis.Notebooks.CodeCell> CodeCells =>
        Cells.Select((c, i) => (c, i)).Where(x => x.c.IsCode).Select(x => new MLIntern.Analysis.Notebooks.CodeCell(x.i + 1, x.c.Document.Text));

    /// <summary>The 1-based index of a cell document, or 0.</summary>
    public int IndexOf(string cellUri)
    {
        for (var i = 0; i < Cells.Length; i++)
        {
            if (Cells[i].Document.Uri == cellUri)
            {
                return i + 1;
            }
        }

        return 0;
    }
}

/// <summary>A cell of an open notebook: its kind (LSP's NotebookCellKind) and its text document.</summary>
internal sealed record OpenCell(int Kind, Document Document)
{
    public bool IsCode => Kind == NotebookCellKind.Code && Document.LanguageId == "python";
}

/// <summary>Document URIs as file system paths.</summary>
internal static class DocumentUris
{
    /// <summary>
    /// The local path a file: URI names (percent-escapes decoded: spaces, non-ASCII, an escaped
    /// drive colon), or null: another scheme (untitled:, vscode-notebook-cell:), a URI that does not
    /// parse, or a path this OS cannot have — a drive letter or UNC share off Windows.
    /// </summary>
    public static string? LocalPath(string uri) => LocalPath(uri, out _);

    /// <summary>As <see cref="LocalPath(string)"/>, with why a file: URI names no local path (null when it does, or is no file: URI).</summary>
    public static string? LocalPath(string uri, out string? whyNot)
    {
        whyNot = null;
        if (!System.Uri.TryCreate(uri, UriKind.Absolute, out var u))
        {
            return null;
        }

        if (!u.IsFile)
        {
            return null;
        }

        string path;
        try
        {
            path = u.LocalPath;
        }
        catch (InvalidOperationException)
        {
            whyNot = "it has no local path";
            return null;
        }

        if (!OperatingSystem.IsWindows())
        {
            // file:///C:/x and file:///C%3A/x arrive as "C:/x" or "/C:/x"; file://host/share as a UNC path.
            var trimmed = path.StartsWith('/') ? path[1..] : path;
            if (u.IsUnc || (trimmed.Length >= 2 && char.IsAsciiLetter(trimmed[0]) && trimmed[1] == ':'))
            {
                whyNot = $"'{path}' is a Windows path";
                return null;
            }
        }

        if (!Path.IsPathFullyQualified(path))
        {
            whyNot = $"'{path}' is not an absolute path";
            return null;
        }

        return path;
    }
}

/// <summary>
/// The open documents keyed by URI. Writers (the ordered mutation handlers) swap in a new immutable
/// map; readers take <see cref="Current"/> once and work on that snapshot.
/// </summary>
internal sealed class DocumentStore
{
    private ImmutableDictionary<string, Document> _documents = ImmutableDictionary<string, Document>.Empty;
    private ImmutableDictionary<string, OpenNotebook> _notebooks = ImmutableDictionary<string, OpenNotebook>.Empty;

    public ImmutableDictionary<string, Document> Current => Volatile.Read(ref _documents);

    /// <summary>The open notebooks keyed by notebook URI; their cells' documents are in <see cref="Current"/> too.</summary>
    public ImmutableDictionary<string, OpenNotebook> Notebooks => Volatile.Read(ref _notebooks);

    public void SetNotebook(OpenNotebook notebook)
    {
        _notebooks = _notebooks.SetItem(notebook.Uri, notebook);
        foreach (var cell in notebook.Cells)
        {
            Set(cell.Document);
        }
    }

    public void RemoveNotebook(string uri) => _notebooks = _notebooks.Remove(uri);

    public void Set(Document document) => _documents = _documents.SetItem(document.Uri, document);

    public bool Remove(string uri)
    {
        var had = _documents.ContainsKey(uri);
        _documents = _documents.Remove(uri);
        return had;
    }
}
