using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Logging;
using MLIntern.Analysis.Findings;
using MLIntern.Server.Engine;
using MLIntern.Server.Lsp.Protocol;

namespace MLIntern.Server.Lsp;

/// <summary>
/// The findings of one document version, computed once and shared by diagnostics and code actions,
/// so a quick fix is always computed from the same version it will be applied to.
/// </summary>
internal sealed class FindingsCache(ServerState state, ILogger logger)
{
    /// <summary>Data files bigger than this are checked from the editor's text instead of the disk.</summary>
    private const long MaxDiskCompareBytes = 64L * 1024 * 1024;

    private readonly ConditionalWeakTable<Document, Lazy<IReadOnlyList<Finding>>> _cache = [];
    private readonly ConditionalWeakTable<OpenNotebook, Lazy<NotebookFindings>> _notebooks = [];

    /// <summary>A document's findings, computed once per instance; <paramref name="cancellationToken"/> (the first asker's) stops a long data check (MLD007's embedding).</summary>
    public IReadOnlyList<Finding> Get(Document document, CancellationToken cancellationToken = default) =>
        _cache.GetValue(document, d => new Lazy<IReadOnlyList<Finding>>(() => Compute(d, cancellationToken))).Value;

    /// <summary>A notebook's findings, computed once per notebook version (any cell's change makes a new one).</summary>
    public NotebookFindings Get(OpenNotebook notebook) =>
        _notebooks.GetValue(notebook, n => new Lazy<NotebookFindings>(() => Compute(n))).Value;

    /// <summary>
    /// The findings of a document as a cell of <paramref name="notebook"/> shows them (cell
    /// coordinates), or as a file when it is not one of its cells.
    /// </summary>
    public IReadOnlyList<Finding> Get(Document document, OpenNotebook? notebook) =>
        notebook?.IndexOf(document.Uri) is > 0 and var index ? [.. Get(notebook).InCell(index).Select(f => f.InCell)] : Get(document);

    private NotebookFindings Compute(OpenNotebook notebook)
    {
        try
        {
            var problems = new List<string>();
            var selection = RuleSettings.For(notebook.FilePath, state.Settings, problems);
            foreach (var problem in problems)
            {
                logger.LogWarning("{Uri}: settings: {Problem}", notebook.Uri, problem);
            }

            var (program, found) = Notebooks.NotebookChecks.Check(notebook.CodeCells, notebook.FilePath, selection, (code, e) =>
                logger.LogError(e, "{Uri} v{Version}: rule {Code} failed; its findings were skipped", notebook.Uri, notebook.Version, code));
            return new NotebookFindings(notebook, program, found);
        }
        catch (Exception e)
        {
            logger.LogError(e, "checking notebook {Uri} v{Version} failed", notebook.Uri, notebook.Version);
            return new NotebookFindings(notebook, MLIntern.Analysis.Notebooks.CellProgram.Build([]), []);
        }
    }

    private IReadOnlyList<Finding> Compute(Document document, CancellationToken cancellationToken)
    {
        try
        {
            var problems = new List<string>();
            var selection = RuleSettings.For(document.FilePath, state.Settings, problems);
            foreach (var problem in problems)
            {
                logger.LogWarning("{Uri}: settings: {Problem}", document.Uri, problem);
            }

            var findings = document.Kind switch
            {
                FileKind.Script => FileChecks.CheckScript(document.Text, document.FilePath, selection, (code, e) =>
                    logger.LogError(e, "{Uri} v{Version}: rule {Code} failed; its findings were skipped", document.Uri, document.Version, code)),
                FileKind.Data => FileChecks.CheckData(document.FileName, DataBytes(document), state.DataSettings, cancellationToken),
                FileKind.Notebook => NotebookAsText(document, selection),
                _ => [],
            };
            return selection.Apply(findings);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // A newer version (or new settings) replaced this one while it was checked: nothing to publish.
            return [];
        }
        catch (Exception e)
        {
            // A rule that throws must not take the document's other findings or the server with it.
            logger.LogError(e, "checking {Uri} v{Version} failed", document.Uri, document.Version);
            return [];
        }
    }

    /// <summary>
    /// A notebook opened as JSON text: its findings at the JSON lines where their cell lines are
    /// written (no fixes: the text is JSON, not the cell). The notebook editor gets them per cell.
    /// </summary>
    private List<Finding> NotebookAsText(Document document, MLIntern.Analysis.Findings.RuleSelection selection)
    {
        var check = Notebooks.NotebookChecks.Check(Encoding.UTF8.GetBytes(document.Text), document.FilePath, selection, (code, e) =>
            logger.LogError(e, "{Uri} v{Version}: rule {Code} failed; its findings were skipped", document.Uri, document.Version, code));
        var shown = new List<Finding>();
        foreach (var finding in check.Findings)
        {
            if (check.File is { } file && check.ToCell(finding) is { } cell)
            {
                var (line, column) = file.PositionOf(cell.Cell, cell.Finding.Range.Line, cell.Finding.Range.Column);
                var width = cell.Finding.Range.EndLine == cell.Finding.Range.Line ? Math.Max(1, cell.Finding.Range.EndColumn - cell.Finding.Range.Column) : 1;
                shown.Add(finding with { Message = $"cell {cell.Cell}, line {cell.Finding.Range.Line}: {finding.Message}", Range = new SourceRange(line, column, line, column + width), Fix = null });
            }
            else
            {
                shown.Add(finding with { Fix = null });
            }
        }

        return shown;
    }

    /// <summary>
    /// The bytes to check a data document by. The editor hands over decoded text, in which invalid
    /// UTF-8 is already gone; when that text is what the file on disk holds, the disk's bytes are read
    /// instead so MLD012 can name the bad byte.
    /// </summary>
    private Stream DataBytes(Document document)
    {
        var path = document.FilePath;
        try
        {
            if (path is not null && File.Exists(path) && RegularFiles.WhyNot(path) is null && new FileInfo(path).Length <= MaxDiskCompareBytes)
            {
                var bytes = File.ReadAllBytes(path);
                var body = bytes.AsSpan();
                if (body.StartsWith("\uFEFF"u8))
                {
                    body = body[3..];
                }

                if (Encoding.UTF8.GetString(body) == document.Text)
                {
                    return new MemoryStream(bytes, writable: false);
                }
            }
        }
        catch (IOException e)
        {
            logger.LogDebug("reading {Path} for {Uri}: {Message}; checking the editor's text", path, document.Uri, e.Message);
        }

        return new MemoryStream(Encoding.UTF8.GetBytes(document.Text), writable: false);
    }
}

/// <summary>
/// Publishes diagnostics after a document changes. Each document's latest version wins: an older
/// computation still running is cancelled, and one that finishes late is never published over a newer one.
/// </summary>
internal sealed class DiagnosticsPublisher(ServerState state, DocumentStore store, FindingsCache findings, ILogger logger)
{
    private readonly Dictionary<string, (CancellationTokenSource Cancel, int Published)> _documents = [];

    /// <summary>What each notebook cell was last sent (its version and diagnostics), so a change to one cell republishes only the cells whose diagnostics moved.</summary>
    private readonly Dictionary<string, (int Version, string Diagnostics)> _cells = [];
    private readonly Lock _gate = new();

    /// <summary>1 while a workspace/diagnostic/refresh is waiting to be sent.</summary>
    private int _refreshPending;

    /// <summary>
    /// A pulling client: nothing is published; what changed is told by workspace/diagnostic/refresh
    /// (when the client takes it), since a change to one document (a data file saved, a notebook
    /// cell, the settings) can change the findings of others. Several changes in a row send one.
    /// </summary>
    private bool Pulled()
    {
        if (!state.ClientPullsDiagnostics)
        {
            return false;
        }

        if (state.ClientSupportsDiagnosticRefresh && Interlocked.Exchange(ref _refreshPending, 1) == 0)
        {
            _ = Task.Run(async () =>
            {
                await Task.Delay(50);
                Volatile.Write(ref _refreshPending, 0);
                try
                {
                    await state.Client.RequestAsync<Newtonsoft.Json.Linq.JToken?>(Methods.DiagnosticRefresh, null!, CancellationToken.None);
                }
                catch (Exception e)
                {
                    logger.LogDebug("workspace/diagnostic/refresh: {Message}", e.Message);
                }
            });
        }

        return true;
    }

    public void Schedule(Document document)
    {
        if (Pulled())
        {
            return;
        }

        CancellationTokenSource cancel;
        lock (_gate)
        {
            if (_documents.TryGetValue(document.Uri, out var previous))
            {
                previous.Cancel.Cancel();
            }

            cancel = new CancellationTokenSource();
            _documents[document.Uri] = (cancel, previous.Published);
        }

        _ = Task.Run(() => PublishAsync(document, cancel.Token), CancellationToken.None);
    }

    /// <summary>
    /// Publishes a notebook's diagnostics on each of its code cells (an empty list clears a cell).
    /// The notebook's latest version wins, as for a document.
    /// </summary>
    public void Schedule(OpenNotebook notebook)
    {
        if (Pulled())
        {
            return;
        }

        var key = NotebookKey(notebook.Uri);
        CancellationTokenSource cancel;
        lock (_gate)
        {
            if (_documents.TryGetValue(key, out var previous))
            {
                previous.Cancel.Cancel();
            }

            cancel = new CancellationTokenSource();
            _documents[key] = (cancel, previous.Published);
        }

        _ = Task.Run(() => PublishAsync(notebook, cancel.Token), CancellationToken.None);
    }

    /// <summary>A notebook closed, or cells removed from it: their diagnostics go.</summary>
    public void ClearNotebook(string notebookUri, IEnumerable<string> cellUris)
    {
        lock (_gate)
        {
            if (_documents.Remove(NotebookKey(notebookUri), out var previous))
            {
                previous.Cancel.Cancel();
            }
        }

        ClearNotebookCells(cellUris);
    }

    /// <summary>Cells removed from a notebook that stays open: their diagnostics go.</summary>
    public void ClearNotebookCells(IEnumerable<string> cellUris)
    {
        if (Pulled())
        {
            return;
        }

        foreach (var uri in cellUris)
        {
            lock (_gate)
            {
                _cells.Remove(uri);
            }

            _ = Send(new PublishDiagnosticsParams { Uri = uri, Diagnostics = [] });
        }
    }

    private static string NotebookKey(string uri) => "notebook " + uri;

    private async Task PublishAsync(OpenNotebook notebook, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var result = findings.Get(notebook);
        if (cancellationToken.IsCancellationRequested)
        {
            return;
        }

        var key = NotebookKey(notebook.Uri);
        lock (_gate)
        {
            // Only the notebook as the store holds it now: a newer change has its own publish coming.
            if (!ReferenceEquals(store.Notebooks.GetValueOrDefault(notebook.Uri), notebook) || !_documents.TryGetValue(key, out var entry) || entry.Published > notebook.Version)
            {
                return;
            }

            _documents[key] = (entry.Cancel, notebook.Version);
        }

        var total = 0;
        var sent = 0;
        for (var i = 0; i < notebook.Cells.Length; i++)
        {
            var cell = notebook.Cells[i];
            var found = cell.IsCode ? result.InCell(i + 1).Select(f => f.InCell).ToList() : [];
            total += found.Count;

            // A cell at the version it was last published with and the same findings: the editor shows them already.
            var shown = string.Join('\n', found.Select(f => $"{f.Code} {f.Severity} {f.Range} {f.Message}"));
            lock (_gate)
            {
                if (_cells.TryGetValue(cell.Document.Uri, out var last) && last == (cell.Document.Version, shown))
                {
                    continue;
                }

                _cells[cell.Document.Uri] = (cell.Document.Version, shown);
            }

            sent++;
            await Send(new PublishDiagnosticsParams { Uri = cell.Document.Uri, Version = cell.Document.Version, Diagnostics = [.. found.Select(f => Convert.ToDiagnostic(f, cell.Document.Positions(state.PositionEncoding)))] });
        }

        logger.LogDebug(
            "{Uri} v{Version}: {Count} diagnostic(s) over {Cells} cell(s), {Sent} cell(s) republished, in {Ms:F1} ms",
            notebook.Uri,
            notebook.Version,
            total,
            notebook.Cells.Length,
            sent,
            System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    public void Clear(string uri)
    {
        lock (_gate)
        {
            if (_documents.Remove(uri, out var previous))
            {
                previous.Cancel.Cancel();
            }
        }

        if (Pulled())
        {
            return;
        }

        _ = Send(new PublishDiagnosticsParams { Uri = uri, Diagnostics = [] });
    }

    private async Task PublishAsync(Document document, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var list = findings.Get(document, cancellationToken);
        if (cancellationToken.IsCancellationRequested)
        {
            return;
        }

        lock (_gate)
        {
            // Publish only the newest version the store holds, and never go back in versions.
            if (store.Current.GetValueOrDefault(document.Uri)?.Version != document.Version ||
                !_documents.TryGetValue(document.Uri, out var entry) || entry.Published > document.Version)
            {
                return;
            }

            _documents[document.Uri] = (entry.Cancel, document.Version);
        }

        await Send(new PublishDiagnosticsParams
        {
            Uri = document.Uri,
            Version = document.Version,
            Diagnostics = [.. list.Select(f => Convert.ToDiagnostic(f, document.Positions(state.PositionEncoding)))],
        });
        logger.LogDebug(
            "{Uri} v{Version}: {Count} diagnostic(s) in {Ms:F1} ms",
            document.Uri,
            document.Version,
            list.Count,
            System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private async Task Send(PublishDiagnosticsParams parameters)
    {
        try
        {
            await state.Client.NotifyAsync(Methods.PublishDiagnostics, parameters);
        }
        catch (Exception e)
        {
            logger.LogWarning("publishing diagnostics for {Uri} failed: {Message}", parameters.Uri, e.Message);
        }
    }
}
