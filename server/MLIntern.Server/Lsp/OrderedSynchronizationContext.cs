using System.Threading.Channels;

namespace MLIntern.Server.Lsp;

/// <summary>
/// Runs posted callbacks one at a time in the order they were posted. StreamJsonRpc invokes
/// handlers through it, so the handlers' synchronous prologue — which puts the request in the
/// <see cref="RequestQueue"/> — happens in the order the messages arrived on the pipe.
/// </summary>
internal sealed class OrderedSynchronizationContext : SynchronizationContext
{
    private readonly Channel<(SendOrPostCallback Callback, object? State)> _work =
        Channel.CreateUnbounded<(SendOrPostCallback, object?)>(new UnboundedChannelOptions { SingleReader = true });

    public OrderedSynchronizationContext() => _ = Task.Run(RunAsync);

    public override void Post(SendOrPostCallback d, object? state) => _work.Writer.TryWrite((d, state));

    public override void Send(SendOrPostCallback d, object? state)
    {
        using var done = new ManualResetEventSlim();
        Post(s => { try { d(s); } finally { done.Set(); } }, state);
        done.Wait();
    }

    public override SynchronizationContext CreateCopy() => this;

    private async Task RunAsync()
    {
        await foreach (var (callback, state) in _work.Reader.ReadAllAsync())
        {
            var previous = Current;
            SetSynchronizationContext(this);
            try
            {
                callback(state);
            }
            catch
            {
                // A callback that throws must not stop the ones queued after it; StreamJsonRpc
                // reports handler failures itself.
            }
            finally
            {
                SetSynchronizationContext(previous);
            }
        }
    }
}
