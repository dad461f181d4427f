using System.Net;
using System.Text;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Tests;

/// <summary>
/// The one permitted LLM stand-in, streaming: an OpenAI-compatible chat endpoint on loopback that
/// answers each POST /v1/chat/completions as server-sent events (`data: {chunk}` lines, then
/// `data: [DONE]`), the chunks being what the test's script returns for that turn — text deltas and
/// tool calls whose arguments may be split over several chunks, several calls in one turn. Every
/// request body is recorded, so a test can check what the sidecar sent (tools, tool results, redaction).
/// </summary>
internal sealed class StreamingChatStandIn : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Func<int, JObject, IReadOnlyList<JObject>> _turn;
    private readonly Task _loop;

    /// <param name="turn">For the n-th request (from 0) and its body, the deltas to stream (see <see cref="Text"/>, <see cref="Call"/>).</param>
    public StreamingChatStandIn(Func<int, JObject, IReadOnlyList<JObject>> turn)
    {
        _turn = turn;
        (_listener, Port) = LoopbackHttp.Start();
        _loop = Task.Run(Serve);
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}/v1";

    public List<JObject> Requests { get; } = [];

    /// <summary>The raw text of every request body (what went over the wire).</summary>
    public List<string> Bodies { get; } = [];

    /// <summary>What went wrong inside the stand-in (a test can show it when a conversation stalls).</summary>
    public System.Collections.Concurrent.ConcurrentBag<string> Errors { get; } = [];

    public static JObject Text(string text) => new() { ["content"] = text };

    /// <summary>A tool-call delta: the first of a call carries id and name; later ones only an argument fragment.</summary>
    public static JObject Call(int index, string? id, string? name, string arguments)
    {
        var function = new JObject { ["arguments"] = arguments };
        var call = new JObject { ["index"] = index, ["function"] = function };
        if (id is not null)
        {
            call["id"] = id;
            call["type"] = "function";
            function["name"] = name;
        }

        return new JObject { ["tool_calls"] = new JArray(call) };
    }

    /// <summary>The contents of the tool messages of a request (what the sidecar answered the model's calls with).</summary>
    public static IReadOnlyList<(string CallId, string Content)> ToolResults(JObject body) =>
        [.. body["messages"]!.Where(m => (string?)m["role"] == "tool").Select(m => ((string)m["tool_call_id"]!, (string)m["content"]!))];

    private async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            try
            {
                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                var text = await reader.ReadToEndAsync();
                var body = JObject.Parse(text);
                int n;
                lock (Requests)
                {
                    n = Requests.Count;
                    Requests.Add(body);
                    Bodies.Add(text);
                }

                var deltas = _turn(n, body);
                context.Response.ContentType = "text/event-stream";
                context.Response.SendChunked = true;
                var output = context.Response.OutputStream;
                var hasCalls = deltas.Any(d => d["tool_calls"] is not null);
                for (var i = 0; i < deltas.Count; i++)
                {
                    var delta = (JObject)deltas[i].DeepClone();
                    if (i == 0)
                    {
                        delta["role"] = "assistant";
                    }

                    await Write(output, Chunk(body, delta, null));
                }

                await Write(output, Chunk(body, [], hasCalls ? "tool_calls" : "stop"));
                await output.WriteAsync(Encoding.UTF8.GetBytes("data: [DONE]\n\n"));
                context.Response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
                // The client gave up (a cancellation test): nothing to answer.
            }
            catch (Exception e)
            {
                // A script or a body the stand-in did not expect: answer 500 and keep serving, so a test fails on
                // what the sidecar did with the error, never by waiting for a stand-in that stopped listening.
                Errors.Add(e.ToString());
                try
                {
                    context.Response.StatusCode = 500;
                    context.Response.Close();
                }
                catch (Exception closing) when (closing is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
                {
                }
            }
        }
    }

    private static JObject Chunk(JObject body, JObject delta, string? finish) => new()
    {
        ["id"] = "chatcmpl-standin",
        ["object"] = "chat.completion.chunk",
        ["created"] = 1_790_000_000,
        ["model"] = (string?)body["model"],
        ["choices"] = new JArray(new JObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finish }),
    };

    private static async Task Write(Stream output, JObject chunk)
    {
        await output.WriteAsync(Encoding.UTF8.GetBytes("data: " + chunk.ToString(Newtonsoft.Json.Formatting.None) + "\n\n"));
        await output.FlushAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
