using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Tests;

/// <summary>
/// A minimal LSP client for tests: starts the real `mlintern serve` process and talks
/// Content-Length-framed JSON-RPC over its pipes. It writes its own frames (so tests can also
/// send broken ones) and fails if anything but a well-formed frame appears on stdout.
/// </summary>
public sealed class LspClient : IAsyncDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    private readonly Process _process;
    private readonly Stream _stdin;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JObject>> _pending = new();
    private readonly List<JObject> _notifications = [];
    private readonly Lock _gate = new();
    private readonly StringBuilder _stderr = new();
    private readonly Task _reader;
    private int _nextId;

    /// <summary>Answers the server's own requests (e.g. workspace/applyEdit); null means "reply with null".</summary>
    public Func<string, JToken?, JToken?>? ServerRequestHandler { get; set; }

    public string? StdoutError { get; private set; }

    /// <summary>True: the server's own requests are recorded but never answered (a client that hangs).</summary>
    public bool IgnoreServerRequests { get; set; }

    /// <summary>False: notifications and unmatched responses are counted, not kept (the fuzz test sends a great many).</summary>
    public bool KeepNotifications { get; set; } = true;

    /// <summary>Sees every message the server sends, on the reader's thread, before it is dispatched.</summary>
    public Action<JObject>? Observer { get; set; }

    /// <summary>Every request the server sent, with its id, in arrival order.</summary>
    public ConcurrentQueue<(string Method, JToken Id)> ServerRequests { get; } = new();

    /// <summary>How many frames the server wrote to stdout so far.</summary>
    public int FramesReceived => Volatile.Read(ref _framesReceived);

    private int _framesReceived;

    private LspClient(Process process)
    {
        _process = process;
        _stdin = process.StandardInput.BaseStream;
        _reader = Task.Run(ReadLoop);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderr)
                {
                    _stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public Process Process => _process;

    public static LspClient Start(IDictionary<string, string>? environment = null, string logLevel = "debug", string? workingDirectory = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "mlintern.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("serve");
        info.ArgumentList.Add("--log-level");
        info.ArgumentList.Add(logLevel);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return new LspClient(Process.Start(info)!);
    }

    public async Task<JObject> InitializeAsync(object? initializationOptions = null, bool workDoneProgress = false)
    {
        var result = await RequestAsync("initialize", new
        {
            processId = Environment.ProcessId,
            clientInfo = new { name = "mlintern-tests", version = "1" },
            rootUri = (string?)null,
            capabilities = new
            {
                workspace = new { workspaceEdit = new { documentChanges = true }, applyEdit = true },
                window = new { workDoneProgress },
                textDocument = new { codeAction = new { codeActionLiteralSupport = new { codeActionKind = new { valueSet = new[] { "quickfix", "source" } } } } },
            },
            initializationOptions,
        });
        await NotifyAsync("initialized", new { });
        return (JObject)result!;
    }

    /// <summary>initialize with exactly <paramref name="parameters"/> (as another editor's client sends it), then initialized.</summary>
    public async Task<JObject> InitializeAsAsync(JObject parameters)
    {
        var result = await RequestAsync("initialize", parameters);
        await NotifyAsync("initialized", new { });
        return (JObject)result!;
    }

    /// <summary>Sends a request and returns its result; a JSON-RPC error becomes <see cref="LspErrorException"/>.</summary>
    public async Task<JToken?> RequestAsync(string method, object? parameters, TimeSpan? timeout = null)
    {
        var (id, response) = Send(method, parameters);
        var message = await response.WaitAsync(timeout ?? DefaultTimeout).ConfigureAwait(false);
        _ = id;
        if (message["error"] is JObject error)
        {
            throw new LspErrorException((int)error["code"]!, (string?)error["message"] ?? "", error["data"]);
        }

        return message["result"];
    }

    public (int Id, Task<JObject> Response) Send(string method, object? parameters)
    {
        var id = Interlocked.Increment(ref _nextId);
        var tcs = new TaskCompletionSource<JObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = tcs;
        var message = new JObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method };
        if (parameters is not null)
        {
            message["params"] = JToken.FromObject(parameters);
        }

        WriteFrame(message.ToString(Formatting.None));
        return (id, tcs.Task);
    }

    public Task NotifyAsync(string method, object? parameters)
    {
        var message = new JObject { ["jsonrpc"] = "2.0", ["method"] = method };
        if (parameters is not null)
        {
            message["params"] = JToken.FromObject(parameters);
        }

        WriteFrame(message.ToString(Formatting.None));
        return Task.CompletedTask;
    }

    public void WriteFrame(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        WriteRaw(Encoding.ASCII.GetBytes($"Content-Length: {bytes.Length}\r\n\r\n").Concat(bytes).ToArray());
    }

    public void WriteRaw(byte[] bytes)
    {
        lock (_stdin)
        {
            _stdin.Write(bytes);
            _stdin.Flush();
        }
    }

    public void CloseInput() => _stdin.Close();

    /// <summary>Waits for a notification that satisfies <paramref name="match"/>, received at any time so far or later.</summary>
    public async Task<JObject> WaitForNotificationAsync(string method, Func<JObject, bool>? match = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (DateTime.UtcNow < deadline)
        {
            lock (_gate)
            {
                var found = _notifications.FirstOrDefault(n => (string?)n["method"] == method && (match?.Invoke((JObject)n["params"]!) ?? true));
                if (found is not null)
                {
                    _notifications.Remove(found);
                    return (JObject)found["params"]!;
                }
            }

            await Task.Delay(10).ConfigureAwait(false);
        }

        throw new TimeoutException($"no {method} notification matched within the timeout; stderr:\n{Stderr}");
    }

    public IReadOnlyList<JObject> Notifications(string method)
    {
        lock (_gate)
        {
            return [.. _notifications.Where(n => (string?)n["method"] == method).Select(n => (JObject)n["params"]!)];
        }
    }

    /// <summary>Waits for the diagnostics of a document at a version.</summary>
    public Task<JObject> WaitForDiagnosticsAsync(string uri, int version) =>
        WaitForNotificationAsync("textDocument/publishDiagnostics", p => (string?)p["uri"] == uri && (int?)p["version"] == version);

    private async Task ReadLoop()
    {
        var stdout = new BufferedStream(_process.StandardOutput.BaseStream, 1 << 16);
        var header = new List<byte>();
        var one = new byte[1];
        try
        {
            while (true)
            {
                header.Clear();
                while (!(header.Count >= 4 && header[^4] == '\r' && header[^3] == '\n' && header[^2] == '\r' && header[^1] == '\n'))
                {
                    if (await stdout.ReadAsync(one).ConfigureAwait(false) == 0)
                    {
                        return;
                    }

                    header.Add(one[0]);
                    if (header.Count > 1024)
                    {
                        throw new InvalidDataException("stdout carried something that is not an LSP header: " + Encoding.UTF8.GetString([.. header]));
                    }
                }

                var text = Encoding.ASCII.GetString([.. header]);
                var lengthLine = text.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                    ?? throw new InvalidDataException("a header without Content-Length: " + text);
                var length = int.Parse(lengthLine["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                var body = new byte[length];
                await stdout.ReadExactlyAsync(body).ConfigureAwait(false);
                var message = JObject.Parse(Encoding.UTF8.GetString(body));
                Interlocked.Increment(ref _framesReceived);
                Observer?.Invoke(message);
                Dispatch(message);
            }
        }
        catch (Exception e)
        {
            StdoutError = e.Message;
        }
    }

    private void Dispatch(JObject message)
    {
        if (message["method"] is not null && message["id"] is { } requestId)
        {
            // A request from the server: answer it (unless told to hang).
            ServerRequests.Enqueue(((string)message["method"]!, requestId.DeepClone()));
            lock (_gate)
            {
                _notifications.Add(new JObject { ["method"] = "client/received:" + (string)message["method"]!, ["params"] = message["params"]?.DeepClone() ?? new JObject() });
            }

            if (!IgnoreServerRequests)
            {
                var result = ServerRequestHandler?.Invoke((string)message["method"]!, message["params"]);
                var reply = new JObject { ["jsonrpc"] = "2.0", ["id"] = requestId.DeepClone(), ["result"] = result ?? JValue.CreateNull() };
                WriteFrame(reply.ToString(Formatting.None));
            }
        }
        else if (!KeepNotifications && !(message["id"] is { Type: JTokenType.Integer } pendingId && _pending.ContainsKey((int)pendingId)))
        {
            // Counted in FramesReceived only.
        }
        else if (message["method"] is not null)
        {
            lock (_gate)
            {
                _notifications.Add(message);
            }
        }
        else if (message["id"] is { Type: JTokenType.Integer } id && _pending.TryRemove((int)id, out var tcs))
        {
            tcs.TrySetResult(message);
        }
        else
        {
            lock (_gate)
            {
                _notifications.Add(new JObject { ["method"] = "client/unmatched", ["params"] = message });
            }
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        await _reader.ConfigureAwait(false);
        _process.Dispose();
    }
}

public sealed class LspErrorException(int code, string message, JToken? data = null) : Exception($"{code}: {message}")
{
    public int Code { get; } = code;

    /// <summary>The error's data member, if the server sent one.</summary>
    public JToken? ErrorData { get; } = data;
}
