using System.Threading.Channels;

namespace MLIntern.Server.Lsp;

/// <summary>
/// The order in which requests see the server's state. Items run in arrival order through one
/// pump: a state change runs alone and finishes before anything after it starts; a read captures
/// the documents as they stand at its turn and then runs concurrently with later reads. So a read
/// sees every change sent before it and none sent after, however long it takes. A write (a request
/// that writes files: plans, run.json, a card) runs alone like a change, on the documents as they
/// stand at its turn, so two writes never interleave and a later request sees what it wrote.
/// </summary>
internal sealed class RequestQueue
{
    private readonly Channel<Func<Task>> _items = Channel.CreateUnbounded<Func<Task>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly DocumentStore _store;
    private readonly Task _pump;

    public RequestQueue(DocumentStore store)
    {
        _store = store;
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>Runs <paramref name="change"/> alone, after everything queued before it.</summary>
    public Task<T> EnqueueChange<T>(Func<DocumentStore, CancellationToken, Task<T>> change, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Write(async () =>
        {
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                done.TrySetResult(await change(_store, cancellationToken));
            }
            catch (OperationCanceledException e)
            {
                done.TrySetCanceled(e.CancellationToken);
            }
            catch (Exception e)
            {
                done.TrySetException(e);
            }
        });
        return done.Task;
    }

    /// <summary>Runs <paramref name="write"/> alone, after everything queued before it, on the documents as they are then.</summary>
    public Task<T> EnqueueWrite<T>(Func<Snapshot, CancellationToken, Task<T>> write, CancellationToken cancellationToken) =>
        EnqueueChange((store, ct) => write(new Snapshot(store.Current, store.Notebooks), ct), cancellationToken);

    /// <summary>Runs <paramref name="read"/> on the documents as they are after everything queued before it.</summary>
    public Task<T> EnqueueRead<T>(Func<Snapshot, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Write(() =>
        {
            var snapshot = new Snapshot(_store.Current, _store.Notebooks);
            _ = Task.Run(async () =>
            {
                try
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    done.TrySetResult(await read(snapshot, cancellationToken));
                }
                catch (OperationCanceledException e)
                {
                    done.TrySetCanceled(e.CancellationToken);
                }
                catch (Exception e)
                {
                    done.TrySetException(e);
                }
            }, CancellationToken.None);
            return Task.CompletedTask;
        });
        return done.Task;
    }

    public void Complete() => _items.Writer.TryComplete();

    public Task Completion => _pump;

    private void Write(Func<Task> item)
    {
        if (!_items.Writer.TryWrite(item))
        {
            throw new InvalidOperationException("the server is shutting down");
        }
    }

    private async Task PumpAsync()
    {
        await foreach (var item in _items.Reader.ReadAllAsync())
        {
            // Items catch their own exceptions; the pump never stops for one.
            await item();
        }
    }
}

/// <summary>The open documents and notebooks as one read request sees them.</summary>
internal sealed record Snapshot(
    System.Collections.Immutable.ImmutableDictionary<string, Document> Documents,
    System.Collections.Immutable.ImmutableDictionary<string, OpenNotebook>? Notebooks = null)
{
    public Document? Get(string uri) => Documents.GetValueOrDefault(uri);

    /// <summary>The open notebook a URI names: the notebook itself, or the notebook one of whose cells it is.</summary>
    public OpenNotebook? NotebookOf(string uri) =>
        Notebooks is null ? null : Notebooks.GetValueOrDefault(uri) ?? Notebooks.Values.FirstOrDefault(n => n.IndexOf(uri) > 0);
}
