namespace MLIntern.Server.Lsp.Handlers;

/// <summary>
/// One LSP method. A handler declares whether it changes the server's state; the
/// <see cref="RequestQueue"/> runs changes alone and in order, reads concurrently on a snapshot.
/// State is gathered for the handler before it runs, never inside it.
/// </summary>
internal abstract class MethodHandler
{
    public abstract string Method { get; }

    public abstract Type ParamsType { get; }

    /// <summary>The type the handler answers with (what the contract in Protocol/Contract.cs must say).</summary>
    public abstract Type ResultType { get; }

    /// <summary>Lifecycle methods the server must answer before initialize and after shutdown.</summary>
    public virtual bool IsLifecycle => false;

    internal abstract Task<object?> EnqueueAsync(RequestQueue queue, object? parameters, CancellationToken cancellationToken);

    /// <summary>
    /// Runs the handler outside the queue on no open documents: how the intern's tools do exactly what a
    /// request does (the store's files are atomic and locked, so this needs no ordering of its own).
    /// </summary>
    internal virtual Task<object?> InvokeAsync(object parameters, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{Method} is not a file method");

    protected static Snapshot NoDocuments { get; } = new(System.Collections.Immutable.ImmutableDictionary<string, Document>.Empty);
}

/// <summary>A method that changes state (documents, settings, lifecycle).</summary>
internal abstract class ChangeHandler<TParams, TResult> : MethodHandler
{
    public override Type ParamsType => typeof(TParams);

    public override Type ResultType => typeof(TResult);

    protected abstract Task<TResult> HandleAsync(TParams parameters, DocumentStore documents, CancellationToken cancellationToken);

    internal override async Task<object?> EnqueueAsync(RequestQueue queue, object? parameters, CancellationToken cancellationToken) =>
        await queue.EnqueueChange((store, ct) => HandleAsync((TParams)parameters!, store, ct), cancellationToken).ConfigureAwait(false);
}

/// <summary>
/// A method that writes files (plans, run.json, a run's card or Space) but not the server's documents:
/// it runs alone and in order like a change, on the snapshot its turn in the queue gives it.
/// </summary>
internal abstract class WriteHandler<TParams, TResult> : MethodHandler
{
    public override Type ParamsType => typeof(TParams);

    public override Type ResultType => typeof(TResult);

    protected abstract Task<TResult> HandleAsync(TParams parameters, Snapshot snapshot, CancellationToken cancellationToken);

    internal override async Task<object?> EnqueueAsync(RequestQueue queue, object? parameters, CancellationToken cancellationToken) =>
        await queue.EnqueueWrite((snapshot, ct) => HandleAsync((TParams)parameters!, snapshot, ct), cancellationToken).ConfigureAwait(false);

    internal override async Task<object?> InvokeAsync(object parameters, CancellationToken cancellationToken) =>
        await HandleAsync((TParams)parameters, NoDocuments, cancellationToken).ConfigureAwait(false);
}

/// <summary>A method that only reads: it runs on the snapshot its turn in the queue gives it.</summary>
internal abstract class ReadHandler<TParams, TResult> : MethodHandler
{
    public override Type ParamsType => typeof(TParams);

    public override Type ResultType => typeof(TResult);

    protected abstract Task<TResult> HandleAsync(TParams parameters, Snapshot snapshot, CancellationToken cancellationToken);

    internal override async Task<object?> EnqueueAsync(RequestQueue queue, object? parameters, CancellationToken cancellationToken) =>
        await queue.EnqueueRead((snapshot, ct) => HandleAsync((TParams)parameters!, snapshot, ct), cancellationToken).ConfigureAwait(false);

    internal override async Task<object?> InvokeAsync(object parameters, CancellationToken cancellationToken) =>
        await HandleAsync((TParams)parameters, NoDocuments, cancellationToken).ConfigureAwait(false);
}

/// <summary>
/// A method that only signals work in progress to stop (sets a cancellation): it touches no document and writes
/// no file, so it runs at once, outside the queue — it must not wait behind the writes it is meant to stop.
/// </summary>
internal abstract class SignalHandler<TParams, TResult> : MethodHandler
{
    public override Type ParamsType => typeof(TParams);

    public override Type ResultType => typeof(TResult);

    protected abstract Task<TResult> HandleAsync(TParams parameters, CancellationToken cancellationToken);

    internal override async Task<object?> EnqueueAsync(RequestQueue queue, object? parameters, CancellationToken cancellationToken) =>
        await HandleAsync((TParams)parameters!, cancellationToken).ConfigureAwait(false);

    internal override async Task<object?> InvokeAsync(object parameters, CancellationToken cancellationToken) =>
        await HandleAsync((TParams)parameters, cancellationToken).ConfigureAwait(false);
}

/// <summary>Parameters of methods that take none.</summary>
internal sealed class NoParams
{
}
