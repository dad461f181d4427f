using System.Text;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Tests;

/// <summary>
/// "A sidecar no message can kill": each attack goes to the real `mlintern serve` process over its
/// real pipes after initialize, and afterwards the same process must still open a document,
/// publish its diagnostics and answer a request.
/// </summary>
public sealed class RobustnessTests
{
    private const string Script = """
        from transformers import TrainingArguments

        args = TrainingArguments(
            output_dir="out",
            evaluation_strategy="epoch",
        )
        """;

    private static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    private static byte[] Frame(string body, string? extraHeaders = null) =>
        [.. Ascii($"{extraHeaders}Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n"), .. Utf8(body)];

    private static string CodeActionRequest(string id) =>
        """{"jsonrpc":"2.0","id":""" + "\"" + id + "\"" + ""","method":"textDocument/codeAction","params":{"textDocument":{"uri":"file:///not/open.py"},"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":0}},"context":{"diagnostics":[]}}}""";

    /// <summary>The server still opens a document, publishes its diagnostics, answers a request, and has not exited.</summary>
    private static async Task AssertServingAsync(LspClient client)
    {
        var uri = $"file:///nonexistent/robust/{Guid.NewGuid():N}.py";
        await client.NotifyAsync("textDocument/didOpen", new { textDocument = new { uri, languageId = "python", version = 1, text = Script } });
        var published = await client.WaitForDiagnosticsAsync(uri, 1);
        Assert.Contains((JArray)published["diagnostics"]!, d => (string?)d["code"] == "MLI501");
        var actions = await client.RequestAsync("textDocument/codeAction", new
        {
            textDocument = new { uri },
            range = new { start = new { line = 4, character = 4 }, end = new { line = 4, character = 4 } },
            context = new { diagnostics = Array.Empty<object>(), only = new[] { "quickfix" } },
        });
        Assert.Single((JArray)actions!);
        Assert.False(client.Process.HasExited, "the server exited; stderr:\n" + client.Stderr);
        Assert.Null(client.StdoutError);
    }

    /// <summary>A response the server sent that matches no request of the client's (id null or a string id the test wrote itself).</summary>
    private static Task<JObject> WaitForResponseAsync(LspClient client, Func<JObject, bool> match, TimeSpan? timeout = null) =>
        client.WaitForNotificationAsync("client/unmatched", match, timeout);

    private static bool HasId(JObject message, string? id) =>
        id is null ? message["id"] is { Type: JTokenType.Null } : (string?)message["id"] == id;

    private static void AssertNoInternals(JObject response) => AssertErrorHasNoInternals((JObject)response["error"]!);

    /// <summary>error.data is absent or the contract's <c>{ reason }</c>; the message names no .NET type, stack frame or source path.</summary>
    private static void AssertErrorHasNoInternals(JObject error)
    {
        Assert.True(error["data"] is null or { Type: JTokenType.Null } || IsReason(error["data"]!), "error.data must not carry internals: " + error);
        var message = (string?)error["message"] ?? "";
        Assert.DoesNotMatch(@"\bat [\w.`]+\.\w+\(|\.cs:line|MLIntern\.|System\.|Newtonsoft|/work/", message);
    }

    private static bool IsReason(JToken data) =>
        data is JObject o && o.Count == 1 && o["reason"] is JValue { Type: JTokenType.String } reason && MLIntern.Server.Protocol.ErrorReasons.All.Contains((string)reason!);

    public static TheoryData<string> BadHeaders => new()
    {
        "length-abc", "length-missing", "length-float", "length-2^31", "length-2^64", "length-negative", "length-empty",
        "no-colon", "no-colon-after-length", "two-lengths", "short-body", "huge-length", "unterminated-header", "empty-header",
    };

    private static byte[] BadHeader(string name)
    {
        const string body = """{"jsonrpc":"2.0","method":"textDocument/didClose","params":{"textDocument":{"uri":"file:///x.py"}}}""";
        return name switch
        {
            "length-abc" => Ascii("Content-Length: abc\r\n\r\n" + body),
            "length-missing" => Ascii("Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n" + body),
            "length-float" => Ascii($"Content-Length: {body.Length}.0\r\n\r\n" + body),
            "length-2^31" => Ascii("Content-Length: 2147483648\r\n\r\n" + body),
            "length-2^64" => Ascii("Content-Length: 18446744073709551616\r\n\r\n" + body),
            "length-negative" => Ascii("Content-Length: -5\r\n\r\n" + body),
            "length-empty" => Ascii("Content-Length: \r\n\r\n" + body),
            "no-colon" => Ascii($"Content-Length {body.Length}\r\n\r\n" + body),
            "no-colon-after-length" => Ascii($"Content-Length: {body.Length}\r\nbogus\r\n\r\n" + body),
            "two-lengths" => Ascii($"Content-Length: {body.Length}\r\nContent-Length: 3\r\n\r\n" + body),
            // Declares more than it sends: the next frames' bytes are read as its body.
            "short-body" => Ascii("Content-Length: 60\r\n\r\n{}"),
            // Would swallow every later message if the server waited for 100 MB.
            "huge-length" => Ascii("Content-Length: 100000000\r\n\r\n" + body),
            "unterminated-header" => Ascii("Content-Length: 5\r\n" + new string('x', 20000) + "\r\n"),
            "empty-header" => Ascii("\r\n\r\n"),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
    }

    [Theory]
    [MemberData(nameof(BadHeaders))]
    public async Task A_bad_header_is_logged_and_skipped(string attack)
    {
        await using var client = LspClient.Start();
        await client.InitializeAsync();
        client.WriteRaw(BadHeader(attack));
        await AssertServingAsync(client);
        Assert.Contains("ignored a malformed message", client.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_huge_declared_length_is_refused_with_one_clear_error()
    {
        await using var client = LspClient.Start();
        await client.InitializeAsync();
        client.WriteRaw(BadHeader("huge-length"));
        await AssertServingAsync(client);
        var stderr = client.Stderr;
        var first = stderr.IndexOf("64 MiB", StringComparison.Ordinal);
        Assert.True(first >= 0, stderr);
        Assert.Equal(-1, stderr.IndexOf("64 MiB", first + 1, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(100_000)]
    [InlineData(50_000_000)]
    public async Task A_length_that_lies_past_a_whole_message_does_not_swallow_the_messages_after_it(int declared)
    {
        await using var client = LspClient.Start();
        await client.InitializeAsync();
        client.WriteRaw(Ascii($"Content-Length: {declared}\r\n\r\n" + CodeActionRequest("liar")));
        await AssertServingAsync(client);
        Assert.Contains("more than the message it frames", client.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_frame_over_the_cap_is_answered_with_one_error_logged_once_and_consumed_whole()
    {
        // An honest body over the cap whose string holds what looks like frames: read as frames, they
        // would be answered and logged one by one.
        var body = new MemoryStream();
        body.Write(Utf8("""{"jsonrpc":"2.0","id":"huge","method":"textDocument/codeAction","params":{"text":" """));
        for (var i = 0; i < 50; i++)
        {
            body.Write(Ascii("Content-Length: 2\r\n\r\n{}Content-Length: abc\r\n\r\n"));
        }

        body.Write(Enumerable.Repeat((byte)'a', 64 * 1024 * 1024).ToArray());
        body.Write(Ascii("\"}}"));
        await using var client = LspClient.Start();
        await client.InitializeAsync();
        client.WriteRaw([.. Ascii($"Content-Length: {body.Length}\r\n\r\n"), .. body.ToArray()]);
        await AssertServingAsync(client);

        var errors = client.Notifications("client/unmatched").Where(m => m["error"] is not null).ToList();
        var error = Assert.Single(errors);
        Assert.Equal(-32600, (int)error.SelectToken("error.code")!);
        Assert.Contains("64 MiB", (string?)error.SelectToken("error.message"), StringComparison.Ordinal);
        AssertNoInternals(error);
        Assert.Equal(1, Occurrences(client.Stderr, "ignored a malformed message"));
    }

    [Fact]
    public async Task A_flood_of_charsets_it_cannot_decode_is_answered_per_frame_but_logged_a_few_times()
    {
        const int Frames = 2_000;
        await using var client = LspClient.Start();
        await client.InitializeAsync();
        client.WriteRaw([.. Enumerable.Range(0, Frames).SelectMany(i => Frame(CodeActionRequest("cp" + i), "Content-Type: application/vscode-jsonrpc; charset=windows-1252\r\n"))]);
        await WaitForResponseAsync(client, m => HasId(m, "cp" + (Frames - 1)));
        await AssertServingAsync(client);
        Assert.InRange(Occurrences(client.Stderr, "ignored a malformed message"), 1, 11);
        Assert.InRange(client.Notifications("window/logMessage").Count(m => ((string?)m["message"])!.Contains("malformed", StringComparison.Ordinal)), 1, 12);
    }

    [Fact]
    public async Task Params_that_do_not_bind_are_invalid_params_named_by_their_path_not_by_a_dotnet_type()
    {
        await using var client = LspClient.Start();
        await client.InitializeAsync();
        var cases = new (string Method, object Params, string Path)[]
        {
            ("textDocument/codeAction", new { textDocument = 42, range = "nope" }, "textDocument"),
            ("textDocument/codeAction", new { textDocument = new { uri = "file:///x.py" }, range = new { start = new { line = "one", character = 0 }, end = new { line = 0, character = 0 } } }, "range.start.line"),
            ("workspace/executeCommand", new { command = new[] { 1 } }, "command"),
            ("initialize", new { processId = "not a number" }, "processId"),
        };
        foreach (var (method, parameters, path) in cases)
        {
            var error = await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync(method, parameters));
            Assert.Equal(-32602, error.Code);
            Assert.Contains($"'{path}'", error.Message, StringComparison.Ordinal);
            Assert.Equal("invalidParams", (string?)error.ErrorData?["reason"]);
            AssertErrorHasNoInternals(new JObject { ["code"] = error.Code, ["message"] = error.Message, ["data"] = error.ErrorData });
        }

        await AssertServingAsync(client);
    }

    [Fact]
    public async Task Params_nested_to_the_cap_are_read_and_one_level_more_is_an_invalid_request()
    {
        // The message is depth 1, params 2, "extra" (a member codeAction does not have) 3 and up.
        static string Nested(string id, int depth) =>
            $$$"""{"jsonrpc":"2.0","id":"{{{id}}}","method":"textDocument/codeAction","params":{"textDocument":{"uri":"file:///not/open.py"},"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":0}},"context":{"diagnostics":[]},"extra":{{{new string('[', depth - 2)}}}{{{new string(']', depth - 2)}}}}}""";

        await using var client = LspClient.Start();
        await client.InitializeAsync();
        client.WriteFrame(Nested("at", MLIntern.Server.Lsp.TolerantMessageHandler.MaxDepth));
        var read = await WaitForResponseAsync(client, m => HasId(m, "at"));
        Assert.True(read["result"] is JArray { Count: 0 }, read.ToString());

        client.WriteFrame(Nested("over", MLIntern.Server.Lsp.TolerantMessageHandler.MaxDepth + 1));
        var refused = await WaitForResponseAsync(client, m => m["error"] is not null);
        Assert.Equal(-32600, (int)refused.SelectToken("error.code")!);
        Assert.Contains($"deeper than {MLIntern.Server.Lsp.TolerantMessageHandler.MaxDepth}", (string?)refused.SelectToken("error.message"), StringComparison.Ordinal);
        AssertNoInternals(refused);
        await AssertServingAsync(client);
    }

    [Fact]
    public async Task An_unknown_method_is_named_in_its_error_without_StreamJsonRpc_internals()
    {
        await using var client = LspClient.Start();
        await client.InitializeAsync();
        var error = await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync("mlintern/noSuchMethod", new { a = 1 }));
        Assert.Equal(-32601, error.Code);
        Assert.Equal("-32601: unknown method 'mlintern/noSuchMethod'", error.Message);
        await AssertServingAsync(client);
    }

    [Fact]
    public async Task Requests_with_id_null_are_invalid_requests_however_many_are_in_flight()
    {
        await using var client = LspClient.Start(new Dictionary<string, string> { ["MLINTERN_TEST_HOOKS"] = "1" });
        await client.InitializeAsync();
        client.WriteFrame("""{"jsonrpc":"2.0","id":null,"method":"mlintern/_test/block","params":{}}""");
        client.WriteFrame("""{"jsonrpc":"2.0","id":null,"method":"mlintern/_test/block","params":{}}""");
        for (var i = 0; i < 2; i++)
        {
            var refused = await WaitForResponseAsync(client, m => HasId(m, null) && m["error"] is not null);
            Assert.Equal(-32600, (int)refused.SelectToken("error.code")!);
            Assert.Contains("id is null", (string?)refused.SelectToken("error.message"), StringComparison.Ordinal);
        }

        await AssertServingAsync(client);
    }

    [Theory]
    [InlineData("[1, 2]")]
    [InlineData("\"mlintern\"")]
    [InlineData("{\"mlintern\": [true]}")]
    public async Task Settings_of_a_shape_it_does_not_know_change_nothing_and_fail_nothing(string settings)
    {
        await using var client = LspClient.Start();
        await client.InitializeAsync();
        client.WriteFrame($$$"""{"jsonrpc":"2.0","id":"cfg","method":"workspace/didChangeConfiguration","params":{"settings":{{{settings}}}}}""");
        var answer = await WaitForResponseAsync(client, m => HasId(m, "cfg"));
        Assert.True(answer["error"] is null, answer.ToString());
        await AssertServingAsync(client);
    }

    private static int Occurrences(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    public static TheoryData<string> FramesThatStillArrive => new() { "lf-only", "bytes-before-header", "line-before-header", "lowercase-name", "extra-header" };

    [Theory]
    [MemberData(nameof(FramesThatStillArrive))]
    public async Task An_odd_but_readable_frame_is_answered(string variant)
    {
        await using var client = LspClient.Start();
        await client.InitializeAsync();
        var body = CodeActionRequest(variant);
        var length = Encoding.UTF8.GetByteCount(body);
        client.WriteRaw(variant switch
        {
            "lf-only" => Ascii($"Content-Length: {length}\n\n" + body),
            "bytes-before-header" => [.. Ascii("\u0001garbage!"), .. Frame(body)],
            "line-before-header" => [.. Ascii("garbage line\r\n"), .. Frame(body)],
            "lowercase-name" => Ascii($"content-length: {length}\r\n\r\n" + body),
            "extra-header" => Frame(body, "X-Whatever: 1\r\n"),
            _ => throw new ArgumentOutOfRangeException(nameof(variant)),
        });
        var response = await WaitForResponseAsync(client, m => HasId(m, variant));
        Assert.Empty((JArray)response["result"]!);
        await AssertServingAsync(client);
    }

    [Theory]
    [InlineData("utf-8")]
    [InlineData("\"utf-8\"")]
    [InlineData("utf8")]
    [InlineData("UTF-8")]
    public async Task A_utf8_charset_is_accepted_however_it_is_spelled(string charset)
    {
        await using var client = LspClient.Start();
        await client.InitializeAsync();
        client.WriteRaw(Frame(CodeActionRequest("cs"), $"Content-Type: application/vscode-jsonrpc; charset={charset}\r\n"));
        var response = await WaitForResponseAsync(client, m => HasId(m, "cs"));
        Assert.Empty((JArray)response["result"]!);
        await AssertServingAsync(client);
    }

    [Fact]
    public async Task A_charset_it_cannot_decode_is_refused_once_with_an_error()
    {
        await using var client = LspClient.Start();
        await client.InitializeAsync();
        client.WriteRaw(Frame(CodeActionRequest("cp"), "Content-Type: application/vscode-jsonrpc; charset=windows-1252\r\n"));
        var response = await WaitForResponseAsync(client, m => m["error"] is not null && (HasId(m, "cp") || HasId(m, null)));
        Assert.Equal(-32600, (int)response.SelectToken("error.code")!);
        Assert.Contains("windows-1252", (string?)response.SelectToken("error.message"), StringComparison.Ordinal);
        AssertNoInternals(response);
        await AssertServingAsync(client);
        await Task.Delay(500);
        Assert.InRange(client.Notifications("window/logMessage").Count(m => ((string?)m["message"])!.Contains("windows-1252", StringComparison.Ordinal)), 0, 1);
    }

    [Theory]
    [InlineData("42", -32600)]
    [InlineData("\"s\"", -32600)]
    [InlineData("null", -32600)]
    [InlineData("true", -32600)]
    [InlineData("[]", -32600)]
    [InlineData("[1, 2, 3]", -32600)]
    [InlineData("{}", -32600)]
    [InlineData("{ this is not json", -32700)]
    [InlineData("", -32700)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"x\"} trailing", -32700)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":5}", -32600)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"initialize\"}", -32600)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"initialize\"}", -32600)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":18446744073709551616,\"method\":\"initialize\"}", -32600)]
    [InlineData("{\"jsonrpc\":\"1.0\",\"method\":\"initialize\"}", -32600)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didClose\",\"params\":5}", -32600)]
    public async Task A_body_that_is_not_a_request_gets_the_JSON_RPC_error_with_id_null(string body, int code)
    {
        await using var client = LspClient.Start();
        await client.InitializeAsync();
        client.WriteRaw(Frame(body));
        var response = await WaitForResponseAsync(client, m => HasId(m, null) && m["error"] is not null);
        Assert.Equal(code, (int)response.SelectToken("error.code")!);
        Assert.Equal("2.0", (string?)response["jsonrpc"]);
        AssertNoInternals(response);
        await AssertServingAsync(client);
    }

    [Fact]
    public async Task A_request_with_an_id_but_bad_params_shape_is_answered_with_its_id()
    {
        await using var client = LspClient.Start();
        await client.InitializeAsync();
        client.WriteFrame("""{"jsonrpc":"2.0","id":"p","method":"textDocument/codeAction","params":"text"}""");
        var response = await WaitForResponseAsync(client, m => HasId(m, "p"));
        Assert.Equal(-32600, (int)response.SelectToken("error.code")!);
        await AssertServingAsync(client);
    }

    [Fact]
    public async Task Params_null_is_no_params_so_shutdown_and_exit_still_end_with_code_0()
    {
        await using var client = LspClient.Start();
        await client.InitializeAsync();
        client.WriteRaw(BadHeader("length-abc"));
        client.WriteFrame("""{"jsonrpc":"2.0","id":"sd","method":"shutdown","params":null}""");
        var response = await WaitForResponseAsync(client, m => HasId(m, "sd"));
        Assert.Equal(JTokenType.Null, response["result"]!.Type);
        client.WriteFrame("""{"jsonrpc":"2.0","method":"exit","params":null}""");
        Assert.Equal(0, await client.WaitForExitAsync());
    }

    [Fact]
    public async Task Two_requests_in_flight_with_the_same_id_do_not_end_the_connection()
    {
        await using var client = LspClient.Start(new Dictionary<string, string> { ["MLINTERN_TEST_HOOKS"] = "1" });
        await client.InitializeAsync();
        client.WriteFrame("""{"jsonrpc":"2.0","id":"dup","method":"mlintern/_test/block","params":{}}""");
        client.WriteFrame("""{"jsonrpc":"2.0","id":"dup","method":"mlintern/_test/block","params":{}}""");
        await AssertServingAsync(client);
        client.WriteFrame("""{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":"dup"}}""");
        var answer = await WaitForResponseAsync(client, m => HasId(m, "dup"));
        Assert.Equal(-32800, (int)answer.SelectToken("error.code")!);
        await AssertServingAsync(client);

        // One request, one answer: the second with the same id got none (any would pass for the first one's).
        Assert.DoesNotContain(client.Notifications("client/unmatched"), m => HasId(m, "dup"));
    }

    [Fact]
    public async Task Responses_to_requests_never_sent_are_ignored()
    {
        await using var client = LspClient.Start();
        await client.InitializeAsync();
        client.WriteFrame("""{"jsonrpc":"2.0","id":424242,"result":{"applied":true}}""");
        client.WriteFrame("""{"jsonrpc":"2.0","id":"nope","error":{"code":-32000,"message":"x"}}""");
        client.WriteFrame("""{"jsonrpc":"2.0","id":7,"error":"not an object"}""");
        client.WriteFrame("""{"jsonrpc":"2.0","id":8,"result":1,"error":{"code":1,"message":"both"}}""");
        client.WriteFrame("""{"jsonrpc":"2.0","id":null,"result":null}""");
        await AssertServingAsync(client);
    }

    [Fact]
    public async Task A_second_answer_to_applyEdit_is_ignored()
    {
        const string uri = "file:///nonexistent/robust/fixall.py";
        await using var client = LspClient.Start();
        await client.InitializeAsync();
        client.ServerRequestHandler = (method, _) => method == "workspace/applyEdit" ? new JObject { ["applied"] = true } : null;
        await client.NotifyAsync("textDocument/didOpen", new { textDocument = new { uri, languageId = "python", version = 1, text = Script } });
        await client.WaitForDiagnosticsAsync(uri, 1);
        var result = await client.RequestAsync("workspace/executeCommand", new { command = "mlintern.server.fixAll", arguments = new[] { uri } });
        Assert.True((bool)result!["applied"]!);

        var (_, id) = client.ServerRequests.Single(r => r.Method == "workspace/applyEdit");
        var idJson = id.ToString(Newtonsoft.Json.Formatting.None);
        client.WriteFrame($$$"""{"jsonrpc":"2.0","id":{{{idJson}}},"result":{"applied":false}}""");
        client.WriteFrame($$$"""{"jsonrpc":"2.0","id":{{{idJson}}},"error":{"code":-32603,"message":"late"}}""");
        await AssertServingAsync(client);
    }

    [Fact]
    public async Task An_invalid_frame_over_64_KiB_is_a_parse_error()
    {
        await using var client = LspClient.Start();
        await client.InitializeAsync();
        client.WriteFrame("""{"jsonrpc":"2.0","id":"big","method":"textDocument/codeAction","params":{"x":" """ + new string('a', 70_000));
        var response = await WaitForResponseAsync(client, m => HasId(m, null) && m["error"] is not null);
        Assert.Equal(-32700, (int)response.SelectToken("error.code")!);
        AssertNoInternals(response);
        await AssertServingAsync(client);
    }

    [Fact]
    public async Task Params_nested_30000_deep_are_refused_without_a_stack_overflow()
    {
        await using var client = LspClient.Start();
        await client.InitializeAsync();
        var deep = new string('[', 30_000) + new string(']', 30_000);
        client.WriteFrame($$$"""{"jsonrpc":"2.0","id":"deep","method":"textDocument/codeAction","params":{"textDocument":{{{deep}}}}}""");
        var response = await WaitForResponseAsync(client, m => (HasId(m, "deep") || HasId(m, null)) && m["error"] is not null);
        Assert.Contains((int)response.SelectToken("error.code")!, new[] { -32600, -32602 });
        AssertNoInternals(response);

        var objects = string.Concat(Enumerable.Repeat("{\"a\":", 30_000)) + "1" + new string('}', 30_000);
        client.WriteFrame($$"""{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{{objects}}}""");
        await AssertServingAsync(client);
    }

    [Fact]
    public async Task Two_to_the_64_in_an_integer_param_is_invalid_params_without_internals()
    {
        await using var client = LspClient.Start();
        await client.InitializeAsync();
        client.WriteFrame("""{"jsonrpc":"2.0","id":"big","method":"textDocument/codeAction","params":{"textDocument":{"uri":"file:///x.py"},"range":{"start":{"line":18446744073709551616,"character":0},"end":{"line":0,"character":0}},"context":{"diagnostics":[]}}}""");
        var response = await WaitForResponseAsync(client, m => HasId(m, "big"));
        Assert.Equal(-32602, (int)response.SelectToken("error.code")!);
        AssertNoInternals(response);

        client.WriteFrame("""{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///x.py","languageId":"python","version":18446744073709551616,"text":"x = 1\n"}}}""");
        await AssertServingAsync(client);
    }

    [Fact]
    public async Task No_error_carries_internals_in_its_data()
    {
        await using var client = LspClient.Start();
        await client.InitializeAsync();
        var errors = new List<LspErrorException>
        {
            await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync("textDocument/codeAction", new { textDocument = 42, range = "nope" })),
            await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync("mlintern/noSuchMethod", new { })),
            await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync("workspace/executeCommand", new { command = "mlintern.server.fixAll", arguments = new[] { "file:///not/open.py" } })),
            await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync("initialize", new { processId = "not a number" })),
        };
        Assert.All(errors, e => Assert.True(e.ErrorData is null or { Type: JTokenType.Null } || IsReason(e.ErrorData), e.Message + " data: " + e.ErrorData));

        // An mlintern/* error's data is its reason code and nothing else.
        var reasoned = await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync("mlintern/getRun", new { workspaceFolder = "/no/such/folder", runId = "x" }));
        Assert.Equal("""{"reason":"invalidParams"}""", reasoned.ErrorData?.ToString(Newtonsoft.Json.Formatting.None));
    }

    [Fact]
    public async Task An_applyEdit_the_client_never_answers_times_out()
    {
        const string uri = "file:///nonexistent/robust/hang.py";
        await using var client = LspClient.Start(new Dictionary<string, string> { ["MLINTERN_TEST_HOOKS"] = "1", ["MLINTERN_TEST_CLIENT_TIMEOUT_MS"] = "1500" });
        await client.InitializeAsync();
        client.IgnoreServerRequests = true;
        await client.NotifyAsync("textDocument/didOpen", new { textDocument = new { uri, languageId = "python", version = 1, text = Script } });
        await client.WaitForDiagnosticsAsync(uri, 1);

        var started = DateTime.UtcNow;
        var error = await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync("workspace/executeCommand", new { command = "mlintern.server.fixAll", arguments = new[] { uri } }, TimeSpan.FromSeconds(15)));
        Assert.Equal(-32803, error.Code);
        Assert.Contains("workspace/applyEdit", error.Message, StringComparison.Ordinal);
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromSeconds(1), "timed out too early");
        AnswerLate(client);
        client.IgnoreServerRequests = false;
        await AssertServingAsync(client);
    }

    [Fact]
    public async Task Cancelling_executeCommand_ends_its_unanswered_applyEdit()
    {
        const string uri = "file:///nonexistent/robust/cancel.py";
        await using var client = LspClient.Start();
        await client.InitializeAsync();
        client.IgnoreServerRequests = true;
        await client.NotifyAsync("textDocument/didOpen", new { textDocument = new { uri, languageId = "python", version = 1, text = Script } });
        await client.WaitForDiagnosticsAsync(uri, 1);

        var (id, response) = client.Send("workspace/executeCommand", new { command = "mlintern.server.fixAll", arguments = new[] { uri } });
        await client.WaitForNotificationAsync("client/received:workspace/applyEdit");
        await client.NotifyAsync("$/cancelRequest", new { id });
        var message = await response.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(-32800, (int)message.SelectToken("error.code")!);
        AnswerLate(client);
        client.IgnoreServerRequests = false;
        await AssertServingAsync(client);
    }

    /// <summary>The answer to the server's applyEdit, after the server stopped waiting for it.</summary>
    private static void AnswerLate(LspClient client)
    {
        var (_, id) = client.ServerRequests.Single(r => r.Method == "workspace/applyEdit");
        client.WriteFrame($$$"""{"jsonrpc":"2.0","id":{{{id.ToString(Newtonsoft.Json.Formatting.None)}}},"result":{"applied":true}}""");
    }
}
