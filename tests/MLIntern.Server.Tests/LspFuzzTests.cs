using System.Diagnostics;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Xunit.Abstractions;

namespace MLIntern.Server.Tests;

/// <summary>
/// Fuzzing the framing and message layers of the real `mlintern serve` process over its real pipes:
/// mutated LSP messages (header corruption, lengths off by a few bytes or by megabytes, frames over the
/// cap, byte flips, truncation, duplication, charsets, deep nesting, wrong param types, random bodies,
/// unknown methods, every real method with random params built from the server's own param property
/// names, ids added, removed or malformed, responses nobody asked for) in batches to one process, which
/// after each batch must open a document, publish its diagnostics and answer a request. Every error it
/// sends on the way is checked for internals. The RNG is seeded: a failure names its seed and batch, and
/// MLINTERN_LSP_FUZZ_SEED=that seed sends the same bytes again.
/// </summary>
public sealed class LspFuzzTests(ITestOutputHelper output)
{
    /// <summary>The CI seed; MLINTERN_LSP_FUZZ_SEED explores others.</summary>
    private static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("MLINTERN_LSP_FUZZ_SEED"), out var seed) ? seed : 20_240_611;
    private const int Batches = 50;
    private const int FramesPerBatch = 2_000;
    private const int Kinds = 14;

    private static readonly string[] KindNames =
    [
        "valid", "nested", "wrong types", "unknown method", "id toggled", "bad id", "random body", "byte flips",
        "truncated", "length off by a few", "corrupt header", "duplicated", "real method, random params", "length off by megabytes",
    ];

    private static readonly string[] Uris = [.. Enumerable.Range(0, 6).Select(i => $"file:///nonexistent/fuzz/f{i}.py")];

    /// <summary>Every method name the server knows, but the two that end it by design.</summary>
    private static readonly string[] RealMethods = [.. typeof(MLIntern.Server.Lsp.Protocol.Methods)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .Where(m => m is not ("shutdown" or "exit"))
        .Order(StringComparer.Ordinal)];

    /// <summary>The property names of every params type the server binds, as they appear on the wire.</summary>
    private static readonly string[] ParamNames = [.. typeof(MLIntern.Server.Lsp.Protocol.Methods).Assembly.GetTypes()
        .Where(t => t.Namespace?.StartsWith("MLIntern.Server.Lsp", StringComparison.Ordinal) == true && t.Name.EndsWith("Params", StringComparison.Ordinal))
        .SelectMany(t => t.GetProperties())
        .Select(p => char.ToLowerInvariant(p.Name[0]) + p.Name[1..])
        .Distinct()
        .Order(StringComparer.Ordinal)];

    private const string ProbeScript = """
        from transformers import TrainingArguments

        args = TrainingArguments(output_dir="out", evaluation_strategy="epoch")
        """;

    [Fact]
    public async Task Mutated_frames_never_kill_the_server_and_it_answers_after_every_batch()
    {
        Assert.Contains("mlintern/planTraining", RealMethods);
        Assert.Contains("workspaceFolder", ParamNames);
        var rng = new Random(Seed);
        var workspace = Directory.CreateTempSubdirectory("mlintern-fuzz-");
        try
        {
            await FuzzAsync(rng, workspace.FullName);
        }
        finally
        {
            workspace.Delete(recursive: true);
        }
    }

    private async Task FuzzAsync(Random rng, string workspace)
    {
        // Training methods with random params write only into this folder: it is the cwd and the one workspace the fuzz names.
        await using var client = LspClient.Start(logLevel: "warn", workingDirectory: workspace);
        await client.InitializeAsync(new { logLevel = "warn" });
        client.KeepNotifications = false;
        var diagnostics = new System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource>();
        string? leak = null;
        var codes = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        var samples = new System.Collections.Concurrent.ConcurrentDictionary<int, string>();
        client.Observer = message =>
        {
            if (message.SelectToken("error.code") is JValue { Type: JTokenType.Integer } code)
            {
                codes.AddOrUpdate((int)code, 1, (_, n) => n + 1);
                samples.TryAdd((int)code, message.ToString(Formatting.None));
            }

            if ((string?)message["method"] == "textDocument/publishDiagnostics" && message.SelectToken("params.uri") is JValue { Value: string uri } && diagnostics.TryGetValue(uri, out var published))
            {
                published.TrySetResult();
            }

            if (message["error"] is JObject error && leak is null && Leaks(error))
            {
                leak = error.ToString(Formatting.None);
            }
        };

        var clock = Stopwatch.StartNew();
        var tally = new long[Kinds];
        long frames = 0, bytes = 0;
        for (var batch = 0; batch < Batches; batch++)
        {
            using var buffer = new MemoryStream();
            for (var i = 0; i < FramesPerBatch; i++)
            {
                var (kind, count) = WriteMutated(rng, buffer, workspace);
                tally[kind] += count;
                frames += count;
            }

            // A frame may have declared up to a few hundred bytes more than it sent; a stream cannot tell
            // where such a frame ends, so the batch ends in padding it can swallow before the real request.
            buffer.Write(Encoding.ASCII.GetBytes(new string(' ', 1024)));
            bytes += buffer.Length;
            var where = $"batch {batch} (seed {Seed}, MLINTERN_LSP_FUZZ_SEED={Seed} replays it)";
            try
            {
                client.WriteRaw(buffer.ToArray());
            }
            catch (IOException e)
            {
                Assert.Fail($"{where}: the server stopped reading ({e.Message}); exited: {client.Process.HasExited}; stderr:\n{client.Stderr}");
            }

            await ProbeAsync(client, diagnostics, batch, where);
            Assert.False(client.Process.HasExited, $"{where}: the server exited; stderr:\n{client.Stderr}");
            Assert.Null(client.StdoutError);
            Assert.True(leak is null, $"{where}: an error carried internals: {leak}");
        }

        var seconds = clock.Elapsed.TotalSeconds;
        output.WriteLine($"LSP fuzz: {frames:N0} frames ({bytes / (1024.0 * 1024):0.0} MiB) in {Batches} batches of {FramesPerBatch:N0}, seed {Seed}, {seconds:0.0} s; " +
            $"after every batch the server opened a document, published its diagnostics and answered codeAction; alive at the end: {!client.Process.HasExited}; {client.FramesReceived:N0} frames back, no error with internals");
        output.WriteLine("by kind: " + string.Join(", ", tally.Select((n, k) => $"{KindNames[k]} {n:N0}")));
        output.WriteLine("errors answered, by code: " + string.Join(", ", codes.OrderBy(c => c.Key).Select(c => $"{c.Key} × {c.Value:N0}")));
        output.WriteLine("one error of each code:\n  " + string.Join("\n  ", samples.OrderBy(c => c.Key).Select(c => c.Value)));
        // -32603: a handler threw on some input; -32000: StreamJsonRpc itself did (e.g. over two requests in flight with one id).
        Assert.False(codes.ContainsKey(-32603) || codes.ContainsKey(-32000), "a handler or StreamJsonRpc failed on some input; stderr:\n" + client.Stderr[^Math.Min(client.Stderr.Length, 4000)..]);
        Assert.True(frames >= 100_000);
        Assert.All(tally, n => Assert.True(n > 1_000, "every kind of mutation is sent: " + string.Join(", ", tally)));
    }

    /// <summary>The server opens a new document, publishes its diagnostics, and answers a code action request.</summary>
    private static async Task ProbeAsync(LspClient client, System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource> diagnostics, int batch, string where)
    {
        var uri = $"file:///nonexistent/fuzz/probe{batch}.py";
        var published = diagnostics[uri] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await client.NotifyAsync("textDocument/didOpen", new { textDocument = new { uri, languageId = "python", version = 1, text = ProbeScript } });
        try
        {
            await published.Task.WaitAsync(TimeSpan.FromSeconds(30));
            var actions = await client.RequestAsync("textDocument/codeAction", new
            {
                textDocument = new { uri },
                range = new { start = new { line = 2, character = 0 }, end = new { line = 2, character = 0 } },
                context = new { diagnostics = Array.Empty<object>() },
            }, TimeSpan.FromSeconds(30)).WaitAsync(TimeSpan.FromSeconds(31));
            Assert.True(actions is JArray, $"{where}: the probe got {actions}");
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{where}: the server did not answer the probe within 30 s; exited: {client.Process.HasExited}; stderr:\n{client.Stderr}");
        }
    }

    /// <summary>An error whose data is more than the contract's { reason }, or whose message names a .NET type, a stack frame or a source path.</summary>
    private static bool Leaks(JObject error) =>
        error["data"] is { Type: not JTokenType.Null } data && !(data is JObject { Count: 1 } o && o["reason"] is JValue { Type: JTokenType.String })
        || System.Text.RegularExpressions.Regex.IsMatch((string?)error["message"] ?? "", @"\bat [\w.`]+\.\w+\(|\.cs:line|MLIntern\.|System\.|Newtonsoft|/work/");

    /// <summary>Writes one or two mutated frames; returns the kind of mutation and how many frames.</summary>
    private static (int Kind, int Count) WriteMutated(Random rng, Stream to, string workspace)
    {
        var kind = rng.Next(Kinds);
        var message = kind == 12 ? RealMethodWithRandomParams(rng, workspace) : ValidMessage(rng);
        switch (kind)
        {
            case 0:
                break;
            case 1:
                Nest(rng, message);
                break;
            case 2:
                WrongTypes(rng, message);
                break;
            case 3:
                message["method"] = rng.Next(3) switch
                {
                    0 => "mlintern/fuzz" + rng.Next(1000),
                    1 => RandomText(rng, rng.Next(0, 20)),
                    _ => "$/fuzz",
                };
                break;
            case 4:
                if (message.ContainsKey("id"))
                {
                    message.Remove("id");
                }
                else
                {
                    message["id"] = RandomId(rng);
                }

                break;
            case 5:
                message["id"] = RandomId(rng);
                break;
        }

        var body = Encoding.UTF8.GetBytes(message.ToString(Formatting.None));
        if (kind == 6)
        {
            body = rng.Next(4) switch
            {
                0 => Encoding.UTF8.GetBytes(Scalar(rng).ToString(Formatting.None)),
                1 => [.. Enumerable.Range(0, rng.Next(1, 64)).Select(_ => (byte)rng.Next(256))],
                2 => Encoding.UTF8.GetBytes(new JArray(message, Scalar(rng)).ToString(Formatting.None)),
                _ => [],
            };
        }

        var length = body.Length;
        var header = $"Content-Length: {length}\r\n\r\n";
        switch (kind)
        {
            case 7:
                for (var flips = rng.Next(1, 5); flips > 0 && body.Length > 0; flips--)
                {
                    var at = rng.Next(body.Length);
                    body[at] = rng.Next(2) == 0 ? (byte)(body[at] ^ (1 << rng.Next(8))) : (byte)rng.Next(256);
                }

                break;
            case 8:
                var cut = rng.Next(body.Length + 1);
                body = body[..cut];
                header = rng.Next(2) == 0 ? $"Content-Length: {cut}\r\n\r\n" : header;
                break;
            case 9:
                var offBy = rng.Next(1, 17) * (rng.Next(2) == 0 ? -1 : 1);
                header = $"Content-Length: {length + offBy}\r\n\r\n";
                break;
            case 10:
                header = CorruptHeader(rng, length);
                break;
            case 13:
                // A whole message under a length that claims megabytes more, under or over the frame cap.
                header = $"Content-Length: {length + (rng.Next(2) == 0 ? rng.Next(1_000, 60_000_000) : rng.Next(70_000_000, int.MaxValue - length))}\r\n\r\n";
                break;
            case 11:
                if (rng.Next(2) == 0)
                {
                    var twice = Encoding.ASCII.GetBytes(header).Concat(body).ToArray();
                    to.Write(twice);
                    to.Write(twice);
                    return (kind, 2);
                }

                body = [.. body, .. body[..rng.Next(body.Length + 1)]];
                header = rng.Next(2) == 0 ? $"Content-Length: {body.Length}\r\n\r\n" : header;
                break;
        }

        to.Write(Encoding.ASCII.GetBytes(header));
        to.Write(body);
        return (kind, 1);
    }

    /// <summary>One of the server's real methods, as a request or a notification, with params of random shape made of its real property names.</summary>
    private static JObject RealMethodWithRandomParams(Random rng, string workspace)
    {
        var message = new JObject { ["jsonrpc"] = "2.0", ["method"] = RealMethods[rng.Next(RealMethods.Length)] };
        if (rng.Next(3) != 0)
        {
            message["id"] = rng.Next(2) == 0 ? $"fr{rng.Next(100_000)}" : 2_000_000 + rng.Next(1_000_000);
        }

        if (rng.Next(8) != 0)
        {
            message["params"] = RandomObject(rng, workspace, rng.Next(4));
        }

        return message;
    }

    private static JObject RandomObject(Random rng, string workspace, int depth)
    {
        var o = new JObject();
        for (var keys = rng.Next(6); keys > 0; keys--)
        {
            o[ParamNames[rng.Next(ParamNames.Length)]] = RandomValue(rng, workspace, depth);
        }

        return o;
    }

    /// <summary>A value that could be right for some property; strings name only the fuzz workspace or files that do not exist.</summary>
    private static JToken RandomValue(Random rng, string workspace, int depth) => rng.Next(depth > 0 ? 10 : 8) switch
    {
        0 => new JValue(Uris[rng.Next(Uris.Length)]),
        1 => new JValue(workspace),
        2 => new JValue(SafeText(rng, rng.Next(12))),
        3 => new JValue(rng.Next(-2, 200)),
        4 => rng.Next(2) == 0 ? JToken.Parse("18446744073709551616") : new JValue(rng.NextDouble() * 1e6),
        5 => new JValue(rng.Next(2) == 0),
        6 => JValue.CreateNull(),
        7 => new JValue(rng.Next(2) == 0 ? MLIntern.Server.Lsp.Protocol.ServerCommands.FixAll : "file:///nonexistent/fuzz/data.csv"),
        8 => new JArray(Enumerable.Range(0, rng.Next(4)).Select(_ => RandomValue(rng, workspace, depth - 1))),
        _ => RandomObject(rng, workspace, depth - 1),
    };

    /// <summary>Printable text without the characters that make a path ('/', '\\', '.', '~', ':').</summary>
    private static string SafeText(Random rng, int length) =>
        new([.. Enumerable.Range(0, length).Select(_ => (char)rng.Next(32, 127)).Select(c => c is '/' or '\\' or '.' or '~' or ':' ? '_' : c)]);

    private static string CorruptHeader(Random rng, int length) => rng.Next(14) switch
    {
        0 => "Content-Length: abc\r\n\r\n",
        1 => $"Content-Length: {length}.0\r\n\r\n",
        2 => "Content-Length: 2147483648\r\n\r\n",
        3 => "Content-Length: -1\r\n\r\n",
        4 => "Content-Length: 99999999999999999999\r\n\r\n",
        5 => $"Content-Length {length}\r\n\r\n",
        6 => $"Content-Length: {length}\n\n",
        7 => $"content-length: {length}\r\n\r\n",
        8 => "Content-Type: application/vscode-jsonrpc\r\n\r\n",
        9 => $"Content-Type: application/vscode-jsonrpc; charset={(rng.Next(3) switch { 0 => "utf-8", 1 => "\"utf8\"", _ => "windows-1252" })}\r\nContent-Length: {length}\r\n\r\n",
        10 => RandomText(rng, rng.Next(1, 12)) + $"Content-Length: {length}\r\n\r\n",
        11 => $"Content-Length: {length}\r\nX-{RandomText(rng, 5)}\r\n\r\n",
        12 => $"Content-Length: {length}\r\nContent-Length: {length}\r\n\r\n",
        _ => $"Content-Length: {rng.Next(67_108_865, int.MaxValue)}\r\n\r\n",
    };

    private static JObject ValidMessage(Random rng)
    {
        var uri = Uris[rng.Next(Uris.Length)];
        var position = new JObject { ["line"] = rng.Next(5), ["character"] = rng.Next(10) };
        var range = new JObject { ["start"] = position, ["end"] = position.DeepClone() };
        var (method, parameters, isRequest) = rng.Next(13) switch
        {
            0 => ("textDocument/didOpen", new JObject { ["textDocument"] = new JObject { ["uri"] = uri, ["languageId"] = "python", ["version"] = rng.Next(100), ["text"] = "x = 1\n" } }, false),
            1 => ("textDocument/didChange", new JObject
            {
                ["textDocument"] = new JObject { ["uri"] = uri, ["version"] = rng.Next(100) },
                ["contentChanges"] = new JArray(rng.Next(2) == 0 ? new JObject { ["text"] = "y = 2\n" } : new JObject { ["range"] = range, ["text"] = "z" }),
            }, false),
            2 => ("textDocument/didClose", new JObject { ["textDocument"] = new JObject { ["uri"] = uri } }, false),
            3 => ("textDocument/didSave", new JObject { ["textDocument"] = new JObject { ["uri"] = uri } }, false),
            4 => ("textDocument/codeAction", new JObject { ["textDocument"] = new JObject { ["uri"] = uri }, ["range"] = range, ["context"] = new JObject { ["diagnostics"] = new JArray() } }, true),
            5 => ("workspace/executeCommand", new JObject { ["command"] = "mlintern.server.fixAll", ["arguments"] = new JArray(uri) }, true),
            6 => ("workspace/executeCommand", new JObject { ["command"] = "no.such.command" }, true),
            7 => ("$/cancelRequest", new JObject { ["id"] = rng.Next(1000) }, false),
            8 => ("$/setTrace", new JObject { ["value"] = "off" }, false),
            9 => ("initialize", new JObject { ["processId"] = null, ["capabilities"] = new JObject() }, true),
            10 => ("window/workDoneProgress/cancel", new JObject { ["token"] = "fuzz" }, false),
            11 => ("mlintern/fuzzUnknown", new JObject(), rng.Next(2) == 0),
            _ => (null, null, true),
        };

        var message = new JObject { ["jsonrpc"] = "2.0" };
        if (isRequest)
        {
            // Ids the client never uses for its own requests (those count up from 1), strings or far above.
            message["id"] = rng.Next(2) == 0 ? $"fz{rng.Next(100_000)}" : 1_000_000 + rng.Next(1_000_000);
        }

        if (method is null)
        {
            // A response to a request the server never sent. Its id stays clear of the client's own
            // request ids (1, 2, … — the probes), as a mutation may turn it into a request the server answers.
            message["id"] = rng.Next(10_000, 11_000);
            if (rng.Next(2) == 0)
            {
                message["result"] = new JObject { ["applied"] = true };
            }
            else
            {
                message["error"] = new JObject { ["code"] = -32603, ["message"] = "fuzz" };
            }

            return message;
        }

        message["method"] = method;
        message["params"] = parameters;
        return message;
    }

    private static void Nest(Random rng, JObject message)
    {
        JToken inner = message["params"] ?? new JObject();
        for (var depth = rng.Next(1, 300); depth > 0; depth--)
        {
            inner = rng.Next(2) == 0 ? new JArray(inner) : new JObject { ["a"] = inner };
        }

        message["params"] = rng.Next(2) == 0 ? inner : new JObject { ["textDocument"] = inner };
    }

    private static void WrongTypes(Random rng, JObject message)
    {
        if (message["params"] is not JObject parameters || rng.Next(4) == 0)
        {
            message["params"] = Scalar(rng);
            return;
        }

        var leaves = parameters.Descendants().OfType<JProperty>().ToList();
        if (leaves.Count > 0)
        {
            leaves[rng.Next(leaves.Count)].Value = Scalar(rng);
        }
    }

    private static JToken Scalar(Random rng) => rng.Next(10) switch
    {
        0 => new JValue(rng.Next()),
        1 => JToken.Parse("18446744073709551616"),
        2 => new JValue(-rng.NextDouble() * 1e300),
        3 => new JValue(RandomText(rng, rng.Next(20))),
        4 => new JValue(rng.Next(2) == 0),
        5 => JValue.CreateNull(),
        6 => new JArray(rng.Next(), "x", JValue.CreateNull()),
        7 => new JObject { ["uri"] = rng.Next() },
        8 => new JValue(long.MinValue),
        _ => new JObject(),
    };

    private static JToken RandomId(Random rng) => rng.Next(6) switch
    {
        0 => new JValue(1.5),
        1 => new JObject { ["n"] = 1 },
        2 => JToken.Parse("18446744073709551616"),
        3 => JValue.CreateNull(),
        4 => new JValue(true),
        _ => new JValue("fz" + rng.Next(1000)),
    };

    private static string RandomText(Random rng, int length) =>
        new([.. Enumerable.Range(0, length).Select(_ => (char)rng.Next(32, 127))]);
}
