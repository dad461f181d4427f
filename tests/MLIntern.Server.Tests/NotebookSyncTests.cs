using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Tests;

/// <summary>LSP 3.17 notebook sync against the real `mlintern serve` process: diagnostics per cell, fixes per cell document and version.</summary>
public sealed class NotebookSyncTests
{
    private const string NotebookUri = "file:///nonexistent/project/finetune.ipynb";

    private static string Cell(int n) => $"vscode-notebook-cell:/nonexistent/project/finetune.ipynb#W{n}sZmlsZQ%3D%3D";

    // Cell 1 imports, cell 2 is markdown, cell 3 holds the renamed keyword, cell 4 a magic and the renamed keyword again.
    private static readonly string[] Sources =
    [
        "from transformers import TrainingArguments\n",
        "# Training\nWe fine-tune.",
        "args = TrainingArguments(\n    output_dir=\"out\",\n    evaluation_strategy=\"epoch\",\n)",
        "%pip install -q transformers\nother = TrainingArguments(output_dir=\"o2\", evaluation_strategy=\"steps\")",
    ];

    private static async Task<LspClient> OpenAsync()
    {
        var client = LspClient.Start();
        var init = await client.InitializeAsync();
        Assert.Equal("jupyter-notebook", (string?)init.SelectToken("capabilities.notebookDocumentSync.notebookSelector[0].notebook.notebookType"));
        Assert.Equal("python", (string?)init.SelectToken("capabilities.notebookDocumentSync.notebookSelector[0].cells[0].language"));
        await client.NotifyAsync("notebookDocument/didOpen", new
        {
            notebookDocument = new
            {
                uri = NotebookUri,
                notebookType = "jupyter-notebook",
                version = 1,
                cells = Sources.Select((_, i) => new { kind = i == 1 ? 1 : 2, document = Cell(i + 1) }).ToArray(),
            },
            cellTextDocuments = Sources.Select((text, i) => new { uri = Cell(i + 1), languageId = i == 1 ? "markdown" : "python", version = 1, text }).ToArray(),
        });
        return client;
    }

    [Fact]
    public async Task Each_cell_gets_its_own_diagnostics_in_cell_coordinates()
    {
        await using var client = await OpenAsync();
        var third = await client.WaitForDiagnosticsAsync(Cell(3), 1);
        var fourth = await client.WaitForDiagnosticsAsync(Cell(4), 1);
        var first = await client.WaitForDiagnosticsAsync(Cell(1), 1);

        var d3 = (JObject)Assert.Single((JArray)third["diagnostics"]!);
        Assert.Equal("MLI501", (string?)d3["code"]);
        Assert.Equal(2, (int)d3.SelectToken("range.start.line")!);
        Assert.Equal(4, (int)d3.SelectToken("range.start.character")!);

        // Behind the masked %pip line, on the cell's own line 1 (0-based).
        var d4 = (JObject)Assert.Single((JArray)fourth["diagnostics"]!);
        Assert.Equal("MLI501", (string?)d4["code"]);
        Assert.Equal(1, (int)d4.SelectToken("range.start.line")!);
        Assert.Empty((JArray)first["diagnostics"]!);
        Assert.DoesNotContain(client.Notifications("textDocument/publishDiagnostics"), p => (string?)p["uri"] == NotebookUri);
    }

    [Fact]
    public async Task A_quick_fix_edits_its_cell_at_that_cells_version_and_the_change_clears_it()
    {
        await using var client = await OpenAsync();
        var published = await client.WaitForDiagnosticsAsync(Cell(3), 1);
        var diagnostic = (JObject)((JArray)published["diagnostics"]!)[0];
        var actions = (JArray)(await client.RequestAsync("textDocument/codeAction", new
        {
            textDocument = new { uri = Cell(3) },
            range = diagnostic["range"],
            context = new { diagnostics = new[] { diagnostic } },
        }))!;
        var quickFix = actions.Single(a => (string?)a["kind"] == "quickfix");
        var change = (JObject)Assert.Single((JArray)quickFix.SelectToken("edit.documentChanges")!);
        Assert.Equal(Cell(3), (string?)change.SelectToken("textDocument.uri"));
        Assert.Equal(1, (int)change.SelectToken("textDocument.version")!);
        var edit = (JObject)Assert.Single((JArray)change["edits"]!);
        Assert.Equal(2, (int)edit.SelectToken("range.start.line")!);
        Assert.Contains("eval_strategy", (string?)edit["newText"]);

        // The editor applies it to the cell: a text change of that cell inside notebookDocument/didChange.
        await client.NotifyAsync("notebookDocument/didChange", new
        {
            notebookDocument = new { uri = NotebookUri, version = 2 },
            change = new
            {
                cells = new
                {
                    textContent = new[]
                    {
                        new { document = new { uri = Cell(3), version = 2 }, changes = new[] { new { range = edit["range"], text = (string)edit["newText"]! } } },
                    },
                },
            },
        });
        var after = await client.WaitForDiagnosticsAsync(Cell(3), 2);
        Assert.Empty((JArray)after["diagnostics"]!);

        // Cell 4 keeps its finding: its version and diagnostics did not change, so it is not sent again.
        var fourth = client.Notifications("textDocument/publishDiagnostics").Where(p => (string?)p["uri"] == Cell(4)).ToList();
        Assert.Single(fourth);
        Assert.Single((JArray)fourth[^1]["diagnostics"]!);
    }

    [Fact]
    public async Task Fix_all_on_a_cell_fixes_that_cell_and_the_command_on_the_notebook_fixes_every_cell()
    {
        await using var client = await OpenAsync();
        JToken? applied = null;
        client.ServerRequestHandler = (method, parameters) =>
        {
            applied = parameters;
            return method == "workspace/applyEdit" ? new JObject { ["applied"] = true } : null;
        };
        await client.WaitForDiagnosticsAsync(Cell(4), 1);

        var actions = (JArray)(await client.RequestAsync("textDocument/codeAction", new
        {
            textDocument = new { uri = Cell(4) },
            range = new { start = new { line = 0, character = 0 }, end = new { line = 0, character = 0 } },
            context = new { diagnostics = Array.Empty<object>(), only = new[] { "source.fixAll" } },
        }))!;
        var fixAll = Assert.Single(actions);
        var changes = (JArray)fixAll.SelectToken("edit.documentChanges")!;
        Assert.Equal([Cell(4)], changes.Select(c => (string?)c.SelectToken("textDocument.uri")));
        Assert.DoesNotContain("%pip", changes.ToString(), StringComparison.Ordinal);

        var result = await client.RequestAsync("workspace/executeCommand", new { command = "mlintern.server.fixAll", arguments = new[] { NotebookUri } });
        Assert.True((bool)result!["applied"]!);
        var edited = ((JArray)applied!.SelectToken("edit.documentChanges")!).Select(c => (string?)c.SelectToken("textDocument.uri")).ToList();
        Assert.Equal([Cell(3), Cell(4)], edited);
    }

    [Fact]
    public async Task Cells_added_removed_and_closed_keep_diagnostics_true()
    {
        await using var client = await OpenAsync();
        await client.WaitForDiagnosticsAsync(Cell(3), 1);

        // Delete cell 3 (index 2) and insert a new cell 5 at the end that rebinds nothing.
        await client.NotifyAsync("notebookDocument/didChange", new
        {
            notebookDocument = new { uri = NotebookUri, version = 2 },
            change = new
            {
                cells = new
                {
                    structure = new
                    {
                        array = new { start = 2, deleteCount = 1, cells = Array.Empty<object>() },
                        didClose = new[] { new { uri = Cell(3) } },
                    },
                },
            },
        });
        await client.WaitForNotificationAsync("textDocument/publishDiagnostics", p => (string?)p["uri"] == Cell(3) && ((JArray)p["diagnostics"]!).Count == 0);

        await client.NotifyAsync("notebookDocument/didChange", new
        {
            notebookDocument = new { uri = NotebookUri, version = 3 },
            change = new
            {
                cells = new
                {
                    structure = new
                    {
                        array = new { start = 3, deleteCount = 0, cells = new[] { new { kind = 2, document = Cell(5) } } },
                        didOpen = new[] { new { uri = Cell(5), languageId = "python", version = 1, text = "args = TrainingArguments(output_dir='x', evaluation_strategy='no')\n" } },
                    },
                },
            },
        });
        var fifth = await client.WaitForDiagnosticsAsync(Cell(5), 1);
        Assert.Equal("MLI501", (string?)((JArray)fifth["diagnostics"]!)[0]["code"]);

        await client.NotifyAsync("notebookDocument/didClose", new { notebookDocument = new { uri = NotebookUri }, cellTextDocuments = new[] { new { uri = Cell(1) }, new { uri = Cell(4) }, new { uri = Cell(5) } } });
        await client.WaitForNotificationAsync("textDocument/publishDiagnostics", p => (string?)p["uri"] == Cell(5) && ((JArray)p["diagnostics"]!).Count == 0);
        var error = await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync("workspace/executeCommand", new { command = "mlintern.server.fixAll", arguments = new[] { NotebookUri } }));
        Assert.Equal(-32602, error.Code);
    }

    [Fact]
    public async Task Malformed_notebook_messages_get_errors_or_are_ignored_and_the_server_lives()
    {
        await using var client = LspClient.Start();
        await client.InitializeAsync();
        await client.NotifyAsync("notebookDocument/didChange", new { notebookDocument = new { uri = "file:///never/opened.ipynb", version = 1 }, change = new { } });
        await client.NotifyAsync("notebookDocument/didOpen", new { notebookDocument = new { uri = NotebookUri, notebookType = "jupyter-notebook", version = 1, cells = new[] { new { kind = 2, document = Cell(1) } } }, cellTextDocuments = Array.Empty<object>() });
        await client.NotifyAsync("notebookDocument/didChange", new
        {
            notebookDocument = new { uri = NotebookUri, version = 2 },
            change = new { cells = new { structure = new { array = new { start = 99, deleteCount = 99 } }, textContent = new[] { new { document = new { uri = "vscode-notebook-cell:/elsewhere#x", version = 2 }, changes = new[] { new { text = "x" } } } } } },
        });
        var cleared = await client.WaitForDiagnosticsAsync(Cell(1), 0);
        Assert.Empty((JArray)cleared["diagnostics"]!);
        var result = await client.RequestAsync("textDocument/codeAction", new
        {
            textDocument = new { uri = Cell(1) },
            range = new { start = new { line = 0, character = 0 }, end = new { line = 0, character = 0 } },
            context = new { diagnostics = Array.Empty<object>() },
        });
        Assert.Empty((JArray)result!);
    }
}
