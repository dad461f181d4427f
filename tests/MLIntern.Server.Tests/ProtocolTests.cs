using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Tests;

/// <summary>The real `mlintern serve` process, over its real pipes.</summary>
public sealed class ProtocolTests
{
    private const string TrainUri = "file:///nonexistent/project/train.py";

    private const string Script = """
        from transformers import TrainingArguments

        args = TrainingArguments(
            output_dir="out",
            evaluation_strategy="epoch",
        )
        """;

    [Fact]
    public async Task Initialize_declares_what_the_server_does()
    {
        await using var client = LspClient.Start();
        var result = await client.InitializeAsync();

        var caps = (JObject)result["capabilities"]!;
        Assert.Equal(2, (int)caps.SelectToken("textDocumentSync.change")!);
        Assert.True((bool)caps.SelectToken("textDocumentSync.openClose")!);
        Assert.Equal(["quickfix", "source.fixAll.mlintern"], caps.SelectToken("codeActionProvider.codeActionKinds")!.Values<string>());
        Assert.Contains("mlintern.server.fixAll", caps.SelectToken("executeCommandProvider.commands")!.Values<string>());
        Assert.Equal("mlintern", (string?)result.SelectToken("serverInfo.name"));
        Assert.Null(client.StdoutError);
    }

    [Fact]
    public async Task Requests_before_initialize_are_refused_and_the_server_lives()
    {
        await using var client = LspClient.Start();
        var error = await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync("textDocument/codeAction", new { }));
        Assert.Equal(-32002, error.Code);
        await client.InitializeAsync();
    }

    [Fact]
    public async Task Diagnostic_then_quick_fix_then_diagnostics_cleared()
    {
        await using var client = LspClient.Start();
        await client.InitializeAsync();
        await client.NotifyAsync("textDocument/didOpen", new { textDocument = new { uri = TrainUri, languageId = "python", version = 1, text = Script } });

        var published = await client.WaitForDiagnosticsAsync(TrainUri, 1);
        var diagnostic = (JObject)Assert.Single((JArray)published["diagnostics"]!);
        Assert.Equal("MLI501", (string?)diagnostic["code"]);
        Assert.Equal("mlintern", (string?)diagnostic["source"]);
        Assert.EndsWith("docs/rules/MLI501.md", (string?)diagnostic.SelectToken("codeDescription.href"));
        Assert.Equal(4, (int)diagnostic.SelectToken("range.start.line")!);
        Assert.Equal(4, (int)diagnostic.SelectToken("range.start.character")!);
        Assert.Equal(23, (int)diagnostic.SelectToken("range.end.character")!);

        var actions = (JArray)(await client.RequestAsync("textDocument/codeAction", new
        {
            textDocument = new { uri = TrainUri },
            range = diagnostic["range"],
            context = new { diagnostics = new[] { diagnostic } },
        }))!;
        var quickFix = actions.Single(a => (string?)a["kind"] == "quickfix");
        Assert.StartsWith("Rename 'evaluation_strategy' to 'eval_strategy'", (string?)quickFix["title"]);
        Assert.True((bool?)quickFix["isPreferred"]);
        var documentEdit = (JObject)quickFix.SelectToken("edit.documentChanges[0]")!;
        Assert.Equal(1, (int)documentEdit.SelectToken("textDocument.version")!);
        var edit = (JObject)documentEdit["edits"]![0]!;
        Assert.Equal("eval_strategy", (string?)edit["newText"]);

        // Apply the edit the way an editor does: an incremental change with the edit's range.
        await client.NotifyAsync("textDocument/didChange", new
        {
            textDocument = new { uri = TrainUri, version = 2 },
            contentChanges = new[] { new { range = edit["range"], text = (string)edit["newText"]! } },
        });
        var cleared = await client.WaitForDiagnosticsAsync(TrainUri, 2);
        Assert.Empty((JArray)cleared["diagnostics"]!);

        // And the server's copy of the text is what the editor has: a fresh code action request finds nothing.
        var after = (JArray)(await client.RequestAsync("textDocument/codeAction", new
        {
            textDocument = new { uri = TrainUri },
            range = new { start = new { line = 0, character = 0 }, end = new { line = 9, character = 0 } },
            context = new { diagnostics = Array.Empty<object>() },
        }))!;
        Assert.Empty(after);
    }

    [Fact]
    public async Task Fix_all_is_a_source_action_and_an_executable_command()
    {
        await using var client = LspClient.Start();
        await client.InitializeAsync();
        JToken? applied = null;
        client.ServerRequestHandler = (method, parameters) =>
        {
            applied = parameters;
            return method == "workspace/applyEdit" ? new JObject { ["applied"] = true } : null;
        };
        await client.NotifyAsync("textDocument/didOpen", new { textDocument = new { uri = TrainUri, languageId = "python", version = 7, text = Script } });
        await client.WaitForDiagnosticsAsync(TrainUri, 7);

        var actions = (JArray)(await client.RequestAsync("textDocument/codeAction", new
        {
            textDocument = new { uri = TrainUri },
            range = new { start = new { line = 0, character = 0 }, end = new { line = 0, character = 0 } },
            context = new { diagnostics = Array.Empty<object>(), only = new[] { "source.fixAll" } },
        }))!;
        var fixAll = Assert.Single(actions);
        Assert.Equal("source.fixAll.mlintern", (string?)fixAll["kind"]);
        Assert.Equal(7, (int)fixAll.SelectToken("edit.documentChanges[0].textDocument.version")!);

        var result = await client.RequestAsync("workspace/executeCommand", new { command = "mlintern.server.fixAll", arguments = new[] { TrainUri } });
        Assert.True((bool)result!["applied"]!);
        Assert.Equal("eval_strategy", (string?)applied!.SelectToken("edit.documentChanges[0].edits[0].newText"));

        var unknown = await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync("workspace/executeCommand", new { command = "no.such.command" }));
        Assert.Equal(-32602, unknown.Code);
    }

    [Fact]
    public async Task A_read_after_a_change_sees_the_change()
    {
        await using var client = LspClient.Start();
        await client.InitializeAsync();
        await client.NotifyAsync("textDocument/didOpen", new { textDocument = new { uri = TrainUri, languageId = "python", version = 1, text = "x = 1\n" } });
        // No waiting in between: the queue must order the change before the read.
        await client.NotifyAsync("textDocument/didChange", new { textDocument = new { uri = TrainUri, version = 2 }, contentChanges = new[] { new { text = Script } } });
        var actions = (JArray)(await client.RequestAsync("textDocument/codeAction", new
        {
            textDocument = new { uri = TrainUri },
            range = new { start = new { line = 4, character = 4 }, end = new { line = 4, character = 4 } },
            context = new { diagnostics = Array.Empty<object>(), only = new[] { "quickfix" } },
        }))!;
        var action = Assert.Single(actions);
        Assert.Equal(2, (int)action.SelectToken("edit.documentChanges[0].textDocument.version")!);
    }

    [Fact]
    public async Task A_syntax_error_is_a_diagnostic_that_a_noqa_does_not_silence_and_a_fix_clears()
    {
        await using var client = LspClient.Start();
        await client.InitializeAsync();
        const string uri = "file:///nonexistent/project/broken.py";
        await client.NotifyAsync("textDocument/didOpen", new
        {
            textDocument = new { uri, languageId = "python", version = 1, text = "import torch\nif torch.cuda.is_available()  # noqa\n    print('gpu')\n" },
        });
        var published = await client.WaitForDiagnosticsAsync(uri, 1);
        var diagnostic = (JObject)Assert.Single((JArray)published["diagnostics"]!);
        Assert.Equal("MLI000", (string?)diagnostic["code"]);
        Assert.Equal("SyntaxError: expected ':'", (string?)diagnostic["message"]);
        Assert.Equal(1, (int)diagnostic["severity"]!);
        Assert.EndsWith("docs/rules/MLI000.md", (string?)diagnostic.SelectToken("codeDescription.href"));
        Assert.Equal((1, 28), ((int)diagnostic.SelectToken("range.start.line")!, (int)diagnostic.SelectToken("range.start.character")!));

        await client.NotifyAsync("textDocument/didChange", new
        {
            textDocument = new { uri, version = 2 },
            contentChanges = new[] { new { range = new { start = new { line = 1, character = 28 }, end = new { line = 1, character = 28 } }, text = ":" } },
        });
        Assert.Empty((JArray)(await client.WaitForDiagnosticsAsync(uri, 2))["diagnostics"]!);
    }

    [Fact]
    public async Task Data_file_reports_MLD012_on_the_ragged_line()
    {
        await using var client = LspClient.Start();
        await client.InitializeAsync();
        const string uri = "file:///nonexistent/project/data/tickets.csv";
        await client.NotifyAsync("textDocument/didOpen", new
        {
            textDocument = new { uri, languageId = "csv", version = 3, text = "text,label\n\"a, quoted\",x\nb,y\nc,d,e\n" },
        });
        var published = await client.WaitForDiagnosticsAsync(uri, 3);
        // Two rows of two classes also give data-set findings (MLD006); the ragged row is the one MLD012.
        var diagnostic = (JObject)Assert.Single((JArray)published["diagnostics"]!, d => (string?)d["code"] == "MLD012");
        Assert.Equal(3, (int)diagnostic.SelectToken("range.start.line")!);
    }

    [Fact]
    public async Task Malformed_messages_and_bad_params_get_errors_and_the_server_lives()
    {
        await using var client = LspClient.Start();
        await client.InitializeAsync();

        client.WriteFrame("{ this is not json");
        client.WriteFrame("[1, 2, 3]");
        client.WriteFrame("""{"jsonrpc":"2.0","id":"x1","method":"textDocument/codeAction","params":{"textDocument":42,"range":"nope"}}""");

        var invalid = await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync("textDocument/codeAction", new { textDocument = 42, range = "nope" }));
        Assert.Equal(-32602, invalid.Code);
        var missing = await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync("mlintern/noSuchMethod", new { }));
        Assert.Equal(-32601, missing.Code);

        // Still serving, still speaking only LSP on stdout.
        var actions = await client.RequestAsync("textDocument/codeAction", new
        {
            textDocument = new { uri = "file:///not/open.py" },
            range = new { start = new { line = 0, character = 0 }, end = new { line = 0, character = 0 } },
            context = new { diagnostics = Array.Empty<object>() },
        });
        Assert.Empty((JArray)actions!);
        Assert.False(client.Process.HasExited);
        Assert.Null(client.StdoutError);
        Assert.Contains("ignored a malformed message", client.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_request_ends_a_running_request_with_RequestCancelled()
    {
        await using var client = LspClient.Start(new Dictionary<string, string> { ["MLINTERN_TEST_HOOKS"] = "1" });
        await client.InitializeAsync();
        var (id, response) = client.Send("mlintern/_test/block", new { });
        await client.NotifyAsync("$/cancelRequest", new { id });
        var message = await response.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(-32800, (int)message.SelectToken("error.code")!);

        // The hook is off by default.
        await using var plain = LspClient.Start();
        await plain.InitializeAsync();
        var error = await Assert.ThrowsAsync<LspErrorException>(() => plain.RequestAsync("mlintern/_test/block", new { }));
        Assert.Equal(-32601, error.Code);
    }

    [Fact]
    public async Task Shutdown_then_exit_ends_with_code_0()
    {
        await using var client = LspClient.Start();
        await client.InitializeAsync();
        Assert.Equal(JTokenType.Null, (await client.RequestAsync("shutdown", null))!.Type);
        var refused = await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync("textDocument/codeAction", new { }));
        Assert.Equal(-32600, refused.Code);
        await client.NotifyAsync("exit", null);
        Assert.Equal(0, await client.WaitForExitAsync());
    }

    [Fact]
    public async Task Exit_without_shutdown_ends_with_code_1()
    {
        await using var client = LspClient.Start();
        await client.InitializeAsync();
        await client.NotifyAsync("exit", null);
        Assert.Equal(1, await client.WaitForExitAsync());
    }

    [Fact]
    public async Task Closed_input_without_shutdown_ends_the_process_with_code_1()
    {
        await using var client = LspClient.Start();
        await client.InitializeAsync();
        client.CloseInput();
        Assert.Equal(1, await client.WaitForExitAsync());
    }

    [Fact]
    public async Task Log_level_follows_the_settings_and_logs_reach_the_client()
    {
        await using var client = LspClient.Start(logLevel: "info");
        await client.InitializeAsync(new { logLevel = "warn" });
        await client.NotifyAsync("textDocument/didOpen", new { textDocument = new { uri = TrainUri, languageId = "python", version = 1, text = "x = 1\n" } });
        await client.WaitForDiagnosticsAsync(TrainUri, 1);
        Assert.DoesNotContain(client.Notifications("window/logMessage"), m => ((string?)m["message"])!.Contains("opened", StringComparison.Ordinal));

        await client.NotifyAsync("workspace/didChangeConfiguration", new { settings = new { mlintern = new { logLevel = "debug" } } });
        await client.NotifyAsync("textDocument/didOpen", new { textDocument = new { uri = TrainUri + "2", languageId = "python", version = 1, text = "x = 1\n" } });
        var log = await client.WaitForNotificationAsync("window/logMessage", m => ((string?)m["message"])!.Contains("opened " + TrainUri + "2", StringComparison.Ordinal));
        Assert.Equal(4, (int)log["type"]!);
        Assert.Contains("opened " + TrainUri + "2", client.Stderr, StringComparison.Ordinal);
    }
}
