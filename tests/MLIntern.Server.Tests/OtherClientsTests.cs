using System.Text;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Tests;

/// <summary>
/// The real `mlintern serve` process as other editors' LSP clients drive it (neovim, Helix, Emacs
/// eglot, Sublime LSP, Zed, Kate): minimal capabilities, no workspace root, other position
/// encodings, pulled settings, plain `changes` edits and Commands for code actions.
/// </summary>
public sealed class OtherClientsTests : IDisposable
{
    /// <summary>A script whose data findings (MLI101, MLI105, MLI106) need tickets.csv next to it, with MLI501's safe fix and MLI505 (ignored by pyproject.toml).</summary>
    private const string Script = """
        import pandas as pd
        from datasets import Dataset
        from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments

        tokenizer = AutoTokenizer.from_pretrained("distilbert-base-uncased")
        model = AutoModelForSequenceClassification.from_pretrained("distilbert-base-uncased", num_labels=16)
        df = pd.read_csv("tickets.csv")
        train_ds = Dataset.from_pandas(df)
        args = TrainingArguments(output_dir="out", evaluation_strategy="epoch")
        trainer = Trainer(model=model, args=args, train_dataset=train_ds)
        trainer.train()
        """;

    private static readonly string[] ExpectedCodes = ["MLI101", "MLI105", "MLI106", "MLI501"];

    private readonly string _dir;

    public OtherClientsTests()
    {
        // A space and non-ASCII in the folder: the URI carries them percent-encoded.
        _dir = Path.Combine(Path.GetTempPath(), "mlintern other clients é " + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_dir);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "tickets.csv"), Path.Combine(_dir, "tickets.csv"));
        File.WriteAllText(Path.Combine(_dir, "pyproject.toml"), "[tool.mlintern]\nignore = [\"MLI505\"]\n");
        File.WriteAllText(Path.Combine(_dir, "train.py"), Script);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string TrainUri => FileUri(Path.Combine(_dir, "train.py"));

    /// <summary>A file: URI with every segment percent-encoded, as editors write them.</summary>
    private static string FileUri(string path) =>
        "file://" + string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    private static JObject Params(string json)
    {
        var parameters = JObject.Parse(json);
        parameters["processId"] = Environment.ProcessId;
        return parameters;
    }

    public static TheoryData<string> Initializations => new()
    {
        // Capabilities {} and nothing else: single-file mode.
        """{"capabilities": {}}""",
        """{"capabilities": {}, "rootUri": null, "workspaceFolders": null}""",
        // Only rootUri (neovim 0.7, Helix); only the deprecated rootPath (some older clients); a root elsewhere.
        """{"capabilities": {}, "rootUri": "ROOT_URI"}""",
        """{"capabilities": {}, "rootPath": "ROOT_PATH"}""",
        """{"capabilities": {}, "rootUri": "file:///nonexistent/elsewhere", "workspaceFolders": [{"uri": "file:///nonexistent/elsewhere", "name": "elsewhere"}]}""",
    };

    [Theory]
    [MemberData(nameof(Initializations))]
    public async Task A_minimal_client_gets_the_findings_with_settings_and_data_found_next_to_the_file(string initialize)
    {
        await using var client = LspClient.Start();
        var result = await client.InitializeAsAsync(Params(initialize.Replace("ROOT_URI", FileUri(_dir)).Replace("ROOT_PATH", _dir.Replace("\\", "\\\\"))));
        Assert.Equal("utf-16", (string?)result.SelectToken("capabilities.positionEncoding"));

        // A client without textDocument.diagnostic is pushed its diagnostics, as ever.
        Assert.Null(result.SelectToken("capabilities.diagnosticProvider"));

        await client.NotifyAsync("textDocument/didOpen", new { textDocument = new { uri = TrainUri, languageId = "python", version = 1, text = Script } });
        var published = await client.WaitForDiagnosticsAsync(TrainUri, 1);

        // The data findings come from tickets.csv next to the file; MLI505 is ignored by the pyproject.toml next to it.
        Assert.Equal(ExpectedCodes, ((JArray)published["diagnostics"]!).Select(d => (string)d["code"]!).Order());
    }

    [Fact]
    public async Task An_untitled_python_buffer_is_checked_from_its_text_without_data_sets()
    {
        await using var client = LspClient.Start();
        await client.InitializeAsAsync(Params("""{"capabilities": {}}"""));
        const string uri = "untitled:Untitled-1";
        await client.NotifyAsync("textDocument/didOpen", new { textDocument = new { uri, languageId = "python", version = 1, text = Script } });

        var published = await client.WaitForDiagnosticsAsync(uri, 1);
        var codes = ((JArray)published["diagnostics"]!).Select(d => (string)d["code"]!).ToList();
        Assert.Contains("MLI501", codes);
        Assert.DoesNotContain("MLI101", codes);
    }

    [Theory]
    [InlineData("file:///C%3A/Users/ada/project/train.py")]
    [InlineData("file:///C:/Users/ada/project/train.py")]
    [InlineData("file://fileserver/share/project/train.py")]
    public async Task A_path_of_another_OS_is_said_so_and_checked_from_its_text(string uri)
    {
        await using var client = LspClient.Start();
        await client.InitializeAsAsync(Params("""{"capabilities": {}}"""));
        await client.NotifyAsync("textDocument/didOpen", new { textDocument = new { uri, languageId = "python", version = 1, text = Script } });

        var published = await client.WaitForDiagnosticsAsync(uri, 1);
        var codes = ((JArray)published["diagnostics"]!).Select(d => (string)d["code"]!).ToList();
        Assert.Contains("MLI501", codes);
        Assert.DoesNotContain("MLI101", codes);
        await WaitForStderr(client, "names no file on this machine");

        // The server lives on.
        Assert.NotNull(await client.RequestAsync("textDocument/codeAction", new { textDocument = new { uri }, range = published["diagnostics"]![0]!["range"], context = new { diagnostics = Array.Empty<object>() } }));
    }

    /// <summary>The line the position tests put MLI501 on: é (2 UTF-8 bytes), an emoji outside the BMP (2 UTF-16 units, 4 bytes, 1 code point) and CJK (3 bytes) before it.</summary>
    private const string WideLine = "args = TrainingArguments(output_dir=\"é😀中\", evaluation_strategy=\"epoch\")  # 😀 终";

    private static readonly string WideScript = Script.Replace("args = TrainingArguments(output_dir=\"out\", evaluation_strategy=\"epoch\")", WideLine, StringComparison.Ordinal);

    /// <summary>A column of <paramref name="line"/> in an encoding's units.</summary>
    private static int Units(string encoding, string line, int utf16) => encoding switch
    {
        "utf-8" => Encoding.UTF8.GetByteCount(line.AsSpan(0, utf16)),
        "utf-32" => line[..utf16].EnumerateRunes().Count(),
        _ => utf16,
    };

    /// <summary>Applies an edit given in <paramref name="encoding"/>'s units to one line, the way a client that counts in them does.</summary>
    private static string ApplyOnLine(string encoding, string line, int start, int end, string newText)
    {
        if (encoding == "utf-8")
        {
            var bytes = Encoding.UTF8.GetBytes(line);
            return Encoding.UTF8.GetString(bytes[..start]) + newText + Encoding.UTF8.GetString(bytes[end..]);
        }

        if (encoding == "utf-32")
        {
            var runes = line.EnumerateRunes().Select(r => r.ToString()).ToList();
            return string.Concat(runes.Take(start)) + newText + string.Concat(runes.Skip(end));
        }

        return line[..start] + newText + line[end..];
    }

    [Theory]
    [InlineData("""["utf-8"]""", "utf-8")]
    [InlineData("""["utf-32"]""", "utf-32")]
    [InlineData("""["utf-8", "utf-32"]""", "utf-8")]
    [InlineData("""["utf-32", "utf-16", "utf-8"]""", "utf-16")]
    [InlineData("""["latin-1"]""", "utf-16")]
    public async Task Positions_are_counted_in_the_negotiated_encoding_both_ways(string offered, string expected)
    {
        await using var client = LspClient.Start();
        var result = await client.InitializeAsAsync(Params("""{"capabilities": {"general": {"positionEncodings": OFFERED}, "textDocument": {"codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix"]}}}}}}""".Replace("OFFERED", offered, StringComparison.Ordinal)));
        Assert.Equal(expected, (string?)result.SelectToken("capabilities.positionEncoding"));

        var uri = FileUri(Path.Combine(_dir, "wide.py"));
        await client.NotifyAsync("textDocument/didOpen", new { textDocument = new { uri, languageId = "python", version = 1, text = WideScript } });
        var published = await client.WaitForDiagnosticsAsync(uri, 1);
        var diagnostic = (JObject)((JArray)published["diagnostics"]!).Single(d => (string?)d["code"] == "MLI501");
        var keyword = WideLine.IndexOf("evaluation_strategy", StringComparison.Ordinal);
        Assert.Equal(8, (int)diagnostic.SelectToken("range.start.line")!);
        Assert.Equal(Units(expected, WideLine, keyword), (int)diagnostic.SelectToken("range.start.character")!);
        Assert.Equal(Units(expected, WideLine, keyword + "evaluation_strategy".Length), (int)diagnostic.SelectToken("range.end.character")!);

        // The client asks with its own units; the edit comes back in them.
        var actions = (JArray)(await client.RequestAsync("textDocument/codeAction", new { textDocument = new { uri }, range = diagnostic["range"], context = new { diagnostics = new[] { diagnostic } } }))!;
        var edit = (JObject)actions.Single(a => (string?)a["kind"] == "quickfix").SelectToken("edit.changes")!.First!.First![0]!;
        Assert.Equal(diagnostic["range"]!.ToString(), edit["range"]!.ToString());
        var fixedLine = ApplyOnLine(expected, WideLine, (int)edit.SelectToken("range.start.character")!, (int)edit.SelectToken("range.end.character")!, (string)edit["newText"]!);
        Assert.Equal(WideLine.Replace("evaluation_strategy", "eval_strategy", StringComparison.Ordinal), fixedLine);

        // An incremental change in the client's units: the rename, then a character typed after the CJK in the comment.
        await client.NotifyAsync("textDocument/didChange", new
        {
            textDocument = new { uri, version = 2 },
            contentChanges = new object[]
            {
                new { range = edit["range"], text = (string)edit["newText"]! },
                new { range = new { start = new { line = 8, character = Units(expected, fixedLine, fixedLine.Length) }, end = new { line = 8, character = Units(expected, fixedLine, fixedLine.Length) } }, text = "!" },
                new { range = new { start = new { line = 8, character = Units(expected, fixedLine, fixedLine.IndexOf("😀", StringComparison.Ordinal)) }, end = new { line = 8, character = Units(expected, fixedLine, fixedLine.IndexOf("😀", StringComparison.Ordinal) + 2) } }, text = "x" },
            },
        });
        var after = await client.WaitForDiagnosticsAsync(uri, 2);
        Assert.DoesNotContain((JArray)after["diagnostics"]!, d => (string?)d["code"] == "MLI501");

        // The server's text is what the client holds: MLI501 at the new text's place proves it, after putting the old name back.
        var emoji = fixedLine.IndexOf("😀", StringComparison.Ordinal);
        var expectedLine = fixedLine[..emoji] + "x" + fixedLine[(emoji + 2)..] + "!";
        var back = expectedLine.IndexOf("eval_strategy", StringComparison.Ordinal);
        await client.NotifyAsync("textDocument/didChange", new
        {
            textDocument = new { uri, version = 3 },
            contentChanges = new[] { new { range = new { start = new { line = 8, character = Units(expected, expectedLine, back) }, end = new { line = 8, character = Units(expected, expectedLine, back + "eval_strategy".Length) } }, text = "evaluation_strategy" } },
        });
        var again = await client.WaitForDiagnosticsAsync(uri, 3);
        var restored = expectedLine[..back] + "evaluation_strategy" + expectedLine[(back + "eval_strategy".Length)..];
        var moved = (JObject)((JArray)again["diagnostics"]!).Single(d => (string?)d["code"] == "MLI501");
        Assert.Equal(Units(expected, restored, back), (int)moved.SelectToken("range.start.character")!);
    }

    [Fact]
    public async Task Settings_pushed_in_the_VS_Code_shape_apply()
    {
        await using var client = LspClient.Start();
        await client.InitializeAsAsync(Params("""{"capabilities": {}}"""));
        await client.NotifyAsync("textDocument/didOpen", new { textDocument = new { uri = TrainUri, languageId = "python", version = 1, text = Script } });
        await client.WaitForDiagnosticsAsync(TrainUri, 1);

        await client.NotifyAsync("workspace/didChangeConfiguration", new { settings = new { mlintern = new { ignore = new[] { "MLI501" } } } });
        var again = await client.WaitForNotificationAsync("textDocument/publishDiagnostics", p => (string?)p["uri"] == TrainUri && !((JArray)p["diagnostics"]!).Any(d => (string?)d["code"] == "MLI501"));
        Assert.Contains((JArray)again["diagnostics"]!, d => (string?)d["code"] == "MLI101");
    }

    [Fact]
    public async Task Settings_are_pulled_through_workspace_configuration_when_the_client_answers_it()
    {
        await using var client = LspClient.Start();
        var ignore = "MLI105";
        var asked = new List<JToken?>();
        client.ServerRequestHandler = (method, parameters) =>
        {
            if (method != "workspace/configuration")
            {
                return null;
            }

            lock (asked)
            {
                asked.Add(parameters);
            }

            return new JArray(new JObject { ["ignore"] = new JArray(ignore) });
        };
        await client.InitializeAsAsync(Params("""{"capabilities": {"workspace": {"configuration": true, "didChangeConfiguration": {"dynamicRegistration": false}}}}"""));

        // Pulled at initialized (no initializationOptions): MLI105 is ignored from the first diagnostics on.
        await client.NotifyAsync("textDocument/didOpen", new { textDocument = new { uri = TrainUri, languageId = "python", version = 1, text = Script } });
        var first = await client.WaitForDiagnosticsAsync(TrainUri, 1);
        Assert.Equal(["MLI101", "MLI106", "MLI501"], ((JArray)first["diagnostics"]!).Select(d => (string)d["code"]!).Order());
        lock (asked)
        {
            Assert.Equal("mlintern", (string?)Assert.Single(asked)!.SelectToken("items[0].section"));
        }

        // settings: null (eglot, neovim, Helix send it so): pulled again.
        ignore = "MLI501";
        await client.NotifyAsync("workspace/didChangeConfiguration", new { settings = (object?)null });
        var second = await client.WaitForNotificationAsync("textDocument/publishDiagnostics", p => (string?)p["uri"] == TrainUri && !((JArray)p["diagnostics"]!).Any(d => (string?)d["code"] == "MLI501"));
        Assert.Equal(["MLI101", "MLI105", "MLI106"], ((JArray)second["diagnostics"]!).Select(d => (string)d["code"]!).Order());
        lock (asked)
        {
            Assert.Equal(2, asked.Count);
        }
    }

    [Fact]
    public async Task A_client_that_never_answers_workspace_configuration_blocks_nothing_and_is_logged_once()
    {
        await using var client = LspClient.Start(new Dictionary<string, string> { ["MLINTERN_TEST_HOOKS"] = "1", ["MLINTERN_TEST_CLIENT_TIMEOUT_MS"] = "1500" });
        client.IgnoreServerRequests = true;
        await client.InitializeAsAsync(Params("""{"capabilities": {"workspace": {"configuration": true}}}"""));
        await client.NotifyAsync("textDocument/didOpen", new { textDocument = new { uri = TrainUri, languageId = "python", version = 1, text = Script } });
        var first = await client.WaitForDiagnosticsAsync(TrainUri, 1);
        Assert.Equal(ExpectedCodes, ((JArray)first["diagnostics"]!).Select(d => (string)d["code"]!).Order());

        // After the one timeout the server stops asking: a null-settings change is answered at once, and logged no more.
        await client.NotifyAsync("workspace/didChangeConfiguration", new { settings = (object?)null });
        await client.NotifyAsync("workspace/didChangeConfiguration", new { settings = new { mlintern = new { ignore = new[] { "MLI501" } } } });
        await client.WaitForNotificationAsync("textDocument/publishDiagnostics", p => (string?)p["uri"] == TrainUri && !((JArray)p["diagnostics"]!).Any(d => (string?)d["code"] == "MLI501"), TimeSpan.FromSeconds(10));
        Assert.Single(client.ServerRequests, r => r.Method == "workspace/configuration");
        var warned = client.Stderr.Split('\n').Where(l => l.Contains("did not answer workspace/configuration", StringComparison.Ordinal)).ToArray();
        Assert.True(warned.Length == 1, $"expected one warning, got:\n{string.Join('\n', warned)}");
    }

    [Fact]
    public async Task Without_code_action_literals_quick_fixes_are_commands_that_apply_plain_changes()
    {
        await using var client = LspClient.Start();
        var applied = new List<JToken?>();
        client.ServerRequestHandler = (method, parameters) =>
        {
            if (method == "workspace/applyEdit")
            {
                lock (applied)
                {
                    applied.Add(parameters);
                }

                return new JObject { ["applied"] = true };
            }

            return null;
        };
        await client.InitializeAsAsync(Params("""{"capabilities": {"workspace": {"applyEdit": true}}}"""));
        await client.NotifyAsync("textDocument/didOpen", new { textDocument = new { uri = TrainUri, languageId = "python", version = 1, text = Script } });
        var published = await client.WaitForDiagnosticsAsync(TrainUri, 1);
        var diagnostic = (JObject)((JArray)published["diagnostics"]!).Single(d => (string?)d["code"] == "MLI501");

        var actions = (JArray)(await client.RequestAsync("textDocument/codeAction", new { textDocument = new { uri = TrainUri }, range = diagnostic["range"], context = new { diagnostics = new[] { diagnostic } } }))!;
        Assert.All(actions, a => Assert.Null(a["kind"]));
        Assert.All(actions, a => Assert.IsType<JValue>(a["command"]));
        var quickFix = actions.Single(a => (string?)a["command"] == "mlintern.server.applyFix");
        Assert.StartsWith("Rename 'evaluation_strategy' to 'eval_strategy'", (string?)quickFix["title"]);
        var fixAll = actions.Single(a => (string?)a["command"] == "mlintern.server.fixAll");
        Assert.Equal(TrainUri, (string?)fixAll["arguments"]![0]);

        var result = await client.RequestAsync("workspace/executeCommand", new { command = (string)quickFix["command"]!, arguments = quickFix["arguments"] });
        Assert.True((bool)result!["applied"]!);
        var edit = (JObject)Assert.Single(applied)!["edit"]!;
        Assert.Null(edit["documentChanges"]);
        Assert.Equal("eval_strategy", (string?)edit.SelectToken("changes")!.First!.First![0]!["newText"]);
        Assert.Equal(TrainUri, ((JProperty)edit["changes"]!.First!).Name);
    }

    [Fact]
    public async Task A_client_with_pull_diagnostics_pulls_them_and_is_pushed_none()
    {
        await using var client = LspClient.Start();
        var result = await client.InitializeAsAsync(Params("""{"capabilities": {"textDocument": {"diagnostic": {"dynamicRegistration": false}}, "workspace": {"diagnostics": {"refreshSupport": true}}}}"""));
        var provider = (JObject)result.SelectToken("capabilities.diagnosticProvider")!;
        Assert.Equal("mlintern", (string?)provider["identifier"]);
        Assert.True((bool)provider["interFileDependencies"]!);
        Assert.False((bool)provider["workspaceDiagnostics"]!);

        await client.NotifyAsync("textDocument/didOpen", new { textDocument = new { uri = TrainUri, languageId = "python", version = 1, text = Script } });
        var full = (JObject)(await client.RequestAsync("textDocument/diagnostic", new { textDocument = new { uri = TrainUri } }))!;
        Assert.Equal("full", (string?)full["kind"]);
        Assert.Equal(ExpectedCodes, ((JArray)full["items"]!).Select(d => (string)d["code"]!).Order());
        var resultId = (string?)full["resultId"];
        Assert.False(string.IsNullOrEmpty(resultId));

        // Asked again with that id: unchanged, no items.
        var same = (JObject)(await client.RequestAsync("textDocument/diagnostic", new { textDocument = new { uri = TrainUri }, previousResultId = resultId }))!;
        Assert.Equal("unchanged", (string?)same["kind"]);
        Assert.Equal(resultId, (string?)same["resultId"]);
        Assert.Null(same["items"]);

        // After the fix: a full report with a new id, and a refresh asked of the client.
        var mli501 = ((JArray)full["items"]!).Single(d => (string?)d["code"] == "MLI501");
        await client.NotifyAsync("textDocument/didChange", new { textDocument = new { uri = TrainUri, version = 2 }, contentChanges = new[] { new { range = mli501["range"], text = "eval_strategy" } } });
        var after = (JObject)(await client.RequestAsync("textDocument/diagnostic", new { textDocument = new { uri = TrainUri }, previousResultId = resultId }))!;
        Assert.Equal("full", (string?)after["kind"]);
        Assert.NotEqual(resultId, (string?)after["resultId"]);
        Assert.Equal(["MLI101", "MLI105", "MLI106"], ((JArray)after["items"]!).Select(d => (string)d["code"]!).Order());
        await client.WaitForNotificationAsync("client/received:workspace/diagnostic/refresh");

        // A document that is not open: an empty full report. And nothing was ever pushed.
        var closed = (JObject)(await client.RequestAsync("textDocument/diagnostic", new { textDocument = new { uri = "file:///nonexistent/other.py" } }))!;
        Assert.Empty((JArray)closed["items"]!);
        await client.NotifyAsync("textDocument/didClose", new { textDocument = new { uri = TrainUri } });
        await client.RequestAsync("textDocument/diagnostic", new { textDocument = new { uri = TrainUri } });
        Assert.Empty(client.Notifications("textDocument/publishDiagnostics"));
    }

    private static async Task WaitForStderr(LspClient client, string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!client.Stderr.Contains(text, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"stderr never said '{text}':\n{client.Stderr}");
            await Task.Delay(20);
        }
    }
}
