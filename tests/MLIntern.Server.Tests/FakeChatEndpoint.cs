using System.Net;
using System.Text;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Tests;

/// <summary>
/// The one permitted stand-in: an OpenAI-compatible chat endpoint on loopback (POST
/// /v1/chat/completions). It records every request (headers and body) and answers with what the
/// test's function makes of the request's messages, so a test can check what the sidecar sent.
/// </summary>
internal sealed class FakeChatEndpoint : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Func<JArray, string> _answer;
    private readonly Task _loop;
    private readonly TimeSpan _delay;

    public FakeChatEndpoint(Func<JArray, string> answer, TimeSpan? delay = null)
    {
        _answer = answer;
        _delay = delay ?? TimeSpan.Zero;
        (_listener, Port) = LoopbackHttp.Start();
        _loop = Task.Run(Serve);
    }

    public int Port { get; }

    /// <summary>The endpoint as a user configures it (the client appends /chat/completions).</summary>
    public string BaseUrl => $"http://127.0.0.1:{Port}/v1";

    public List<(string Path, string? Authorization, JObject Body)> Requests { get; } = [];

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
                var body = JObject.Parse(await reader.ReadToEndAsync());
                lock (Requests)
                {
                    Requests.Add((context.Request.Url!.AbsolutePath, context.Request.Headers["Authorization"], body));
                }

                if (_delay > TimeSpan.Zero)
                {
                    await Task.Delay(_delay);
                }

                var content = _answer((JArray)body["messages"]!);
                var answer = new JObject
                {
                    ["id"] = "chatcmpl-test",
                    ["object"] = "chat.completion",
                    ["created"] = 1_790_000_000,
                    ["model"] = (string?)body["model"],
                    ["choices"] = new JArray(new JObject
                    {
                        ["index"] = 0,
                        ["message"] = new JObject { ["role"] = "assistant", ["content"] = content },
                        ["finish_reason"] = "stop",
                    }),
                    ["usage"] = new JObject { ["prompt_tokens"] = 10, ["completion_tokens"] = 10, ["total_tokens"] = 20 },
                };
                var bytes = Encoding.UTF8.GetBytes(answer.ToString());
                context.Response.ContentType = "application/json";
                context.Response.ContentLength64 = bytes.Length;
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
                // The client gave up (a timeout test): nothing to answer.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
