using System.Collections.Immutable;
using MLIntern.Analysis.Text;
using MLIntern.Server.Lsp.Protocol;

namespace MLIntern.Server.Lsp;

/// <summary>An open document at one version. Immutable: a change makes a new one.</summary>
internal sealed record Document(string Uri, string LanguageId, int Version, string Text)
{
    private LineMap? _lines;

    public LineMap Lines => _lines ??= new LineMap(Text);

    /// <summary>The file system path of a file: URI, or null for other schemes.</summary>
    public string? FilePath => System.Uri.TryCreate(Uri, UriKind.Absolute, out var u) && u.IsFile ? u.LocalPath : null;

    /// <summary>A name to pick checks by: the path, or the URI's last segment for unsaved documents.</summary>
    public string FileName => FilePath ?? Uri;

    public Document Apply(int version, IEnumerable<TextDocumentContentChangeEvent> changes)
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
            var lines = new LineMap(text);
            var start = lines.Offset(change.Range.Start.Line, change.Range.Start.Character);
            var end = lines.Offset(change.Range.End.Line, change.Range.End.Character);
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
/// The open documents keyed by URI. Writers (the ordered mutation handlers) swap in a new immutable
/// map; readers take <see cref="Current"/> once and work on that snapshot.
/// </summary>
internal sealed class DocumentStore
{
    private ImmutableDictionary<string, Document> _documents = ImmutableDictionary<string, Document>.Empty;

    public ImmutableDictionary<string, Document> Current => Volatile.Read(ref _documents);

    public void Set(Document document) => _documents = _documents.SetItem(document.Uri, document);

    public bool Remove(string uri)
    {
        var had = _documents.ContainsKey(uri);
        _documents = _documents.Remove(uri);
        return had;
    }
}
