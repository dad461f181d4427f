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

    public IReadOnlyList<Finding> Get(Document document) =>
        _cache.GetValue(document, d => new Lazy<IReadOnlyList<Finding>>(() => Compute(d))).Value;

    private IReadOnlyList<Finding> Compute(Document document)
    {
        try
        {
            var problems = new List<string>();
            var selection = RuleSettings.For(document.FilePath, state.Settings, problems);
            foreach (var problem in problems)
            {
                logger.LogWarning("{Uri}: settings: {Problem}", document.Uri, problem);
            }

            var findings = FileChecks.KindOf(document.FileName) switch
            {
                FileKind.Script => FileChecks.CheckScript(document.Text, document.FilePath, selection, (code, e) =>
                    logger.LogError(e, "{Uri} v{Version}: rule {Code} failed; its findings were skipped", document.Uri, document.Version, code)),
                FileKind.Data => FileChecks.CheckData(document.FileName, DataBytes(document), state.DataSettings),
                _ => [],
            };
            return selection.Apply(findings);
        }
        catch (Exception e)
        {
            // A rule that throws must not take the document's other findings or the server with it.
            logger.LogError(e, "checking {Uri} v{Version} failed", document.Uri, document.Version);
            return [];
        }
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
            if (path is not null && File.Exists(path) && new FileInfo(path).Length <= MaxDiskCompareBytes)
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
    private readonly Lock _gate = new();

    public void Schedule(Document document)
    {
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

    public void Clear(string uri)
    {
        lock (_gate)
        {
            if (_documents.Remove(uri, out var previous))
            {
                previous.Cancel.Cancel();
            }
        }

        _ = Send(new PublishDiagnosticsParams { Uri = uri, Diagnostics = [] });
    }

    private async Task PublishAsync(Document document, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var list = findings.Get(document);
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
            Diagnostics = [.. list.Select(Convert.ToDiagnostic)],
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
