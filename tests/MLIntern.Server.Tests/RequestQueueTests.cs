using MLIntern.Server.Engine;
using MLIntern.Server.Lsp;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Tests;

/// <summary>The queue's three kinds of request, and state passed to each ask rather than set on a shared service.</summary>
public sealed class RequestQueueTests : IDisposable
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    private readonly string _dir = Directory.CreateTempSubdirectory("mlintern-queue-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_write_runs_alone_sees_the_changes_before_it_and_finishes_before_a_later_read_starts()
    {
        var queue = new RequestQueue(new DocumentStore());
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var order = new System.Collections.Concurrent.ConcurrentQueue<string>();
        _ = queue.EnqueueChange((store, _) =>
        {
            store.Set(new Document("file:///a.py", "python", 1, "x = 1\n"));
            return Task.FromResult(0);
        }, CancellationToken.None);
        var write = queue.EnqueueWrite(async (snapshot, _) =>
        {
            order.Enqueue("write started");
            await release.Task;
            order.Enqueue("write ended");
            return snapshot.Get("file:///a.py")?.Version;
        }, CancellationToken.None);
        var read = queue.EnqueueRead((_, _) =>
        {
            order.Enqueue("read");
            return Task.FromResult(0);
        }, CancellationToken.None);

        await Task.Delay(300);
        Assert.Equal(["write started"], order);
        Assert.False(read.IsCompleted);
        release.SetResult();
        Assert.Equal(1, await write.WaitAsync(Long));
        await read.WaitAsync(Long);
        Assert.Equal(["write started", "write ended", "read"], order);
        queue.Complete();
    }

    [Fact]
    public async Task A_stop_is_answered_at_once_while_a_write_holds_the_queue()
    {
        var queue = new RequestQueue(new DocumentStore());
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var write = queue.EnqueueWrite(async (_, _) =>
        {
            await release.Task;
            return 0;
        }, CancellationToken.None);
        var read = queue.EnqueueRead((_, _) => Task.FromResult(0), CancellationToken.None);

        // The real agentCancel handler, on a hub with no session: it answers "nothing to cancel" — now, not after the write.
        var settings = new JObject();
        var services = new Agent.AgentServices(() => settings, new Lsp.Handlers.ApprovalBook(), new Lsp.Handlers.PublishApprovalBook(), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var hub = new Agent.AgentHub(services, () => settings, _ => { }, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, _ => null);
        var cancel = new Lsp.Handlers.AgentCancelHandler(hub).EnqueueAsync(queue, new Protocol.AgentSessionParams { WorkspaceFolder = _dir, SessionId = "s-0123456789ab" }, CancellationToken.None);

        var answer = Assert.IsType<Protocol.AgentCancelResult>(await cancel.WaitAsync(Long));
        Assert.False(answer.Cancelled);
        Assert.False(write.IsCompleted);
        Assert.False(read.IsCompleted);
        release.SetResult();
        await write.WaitAsync(Long);
        await read.WaitAsync(Long);
        queue.Complete();
    }

    [Fact]
    public async Task Asks_under_different_data_settings_at_once_each_get_their_own_answer()
    {
        var csv = Path.Combine(_dir, "posts.csv");
        File.WriteAllLines(csv, ["title,body,label", .. Enumerable.Range(0, 200).Select(i => $"short title {i % 7},a much longer body of text number {i} with words,{(i % 2 == 0 ? "spam" : "ham")}")]);
        var service = new DatasetFactsService();
        var title = new JObject { ["textColumn"] = "title" };
        var body = new JObject { ["textColumn"] = "body" };
        var answers = new System.Collections.Concurrent.ConcurrentBag<(string Asked, string? Got)>();
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() =>
        {
            var (name, settings) = i % 2 == 0 ? ("title", title) : ("body", body);
            answers.Add((name, service.GetFacts(csv, settings)?.TextColumn));
        })));

        Assert.Equal(40, answers.Count);
        Assert.All(answers, a => Assert.Equal(a.Asked, a.Got));
    }
}
