using System.Diagnostics;
using System.Globalization;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

// Usage: LspBench SAMPLE_DIR NAME=COMMAND [NAME=COMMAND...]
// For each server: cold start (process start -> initialize result) over several runs, then in one
// session didOpen -> publishDiagnostics for the sample's train.py and data file, then didChange ->
// publishDiagnostics over many edits. Prints medians and p90s; asserts nothing.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: LspBench SAMPLE_DIR NAME=COMMAND [NAME=COMMAND...]");
    return 2;
}

var sample = Path.GetFullPath(args[0]);
var script = Path.Combine(sample, "train.py");
var data = Path.Combine(sample, "data", "tickets.csv");
Console.WriteLine($"sample: {sample} (train.py {new FileInfo(script).Length} B, tickets.csv {new FileInfo(data).Length} B); {Environment.ProcessorCount} cores");
Console.WriteLine();
Console.WriteLine($"{"server",-12} {"cold start→initialize",22} {"didOpen→diags train.py",24} {"didOpen→diags csv",20} {"didChange→diags",18}");

var long1000 = new List<(string Name, List<double> Times)>();
var notebook40 = new List<(string Name, List<double>? Times)>();
foreach (var spec in args.Skip(1))
{
    var name = spec[..spec.IndexOf('=', StringComparison.Ordinal)];
    var command = spec[(spec.IndexOf('=', StringComparison.Ordinal) + 1)..];
    var cold = new List<double>();
    for (var i = 0; i < 10; i++)
    {
        await using var s = Session.Start(command, sample);
        var t = Stopwatch.StartNew();
        await s.Initialize();
        cold.Add(t.Elapsed.TotalMilliseconds);
    }

    await using var session = Session.Start(command, sample);
    await session.Initialize();
    var openScript = await session.OpenAndWait(script, "python");
    var openData = File.Exists(data) && !name.Contains("pyright", StringComparison.Ordinal) ? await session.OpenAndWait(data, "csv") : double.NaN;
    var changes = new List<double>();
    var text = File.ReadAllText(script);
    for (var v = 2; v < 52; v++)
    {
        changes.Add(await session.ChangeAndWait(script, v, text + $"\n# edit {v}\n"));
    }

    Console.WriteLine($"{name,-12} {Stats(cold),22} {openScript,21:F1} ms {(double.IsNaN(openData) ? "n/a" : openData.ToString("F1", CultureInfo.InvariantCulture) + " ms"),20} {Stats(changes),18}");
    long1000.Add((name, await LongScript(session, sample)));
    notebook40.Add((name, session.SyncsNotebooks ? await LongNotebook(session, sample) : null));
}

Console.WriteLine();
Console.WriteLine("didChange → publishDiagnostics on a 1,000-line training script, 200 single-character edits:");
foreach (var (name, xs) in long1000)
{
    var sorted = xs.Order().ToList();
    Console.WriteLine($"{name,-12} p50 {sorted[sorted.Count / 2]:F1} ms   p95 {sorted[(int)(sorted.Count * 0.95)]:F1} ms   max {sorted[^1]:F1} ms");
}

Console.WriteLine();
Console.WriteLine("didChange of one cell → publishDiagnostics of that cell, a 40-cell notebook of the same 1,000 lines, 200 single-character edits in cell 20:");
foreach (var (name, xs) in notebook40)
{
    if (xs is null)
    {
        Console.WriteLine($"{name,-12} n/a (declares no notebookDocumentSync)");
        continue;
    }

    var sorted = xs.Order().ToList();
    Console.WriteLine($"{name,-12} p50 {sorted[sorted.Count / 2]:F1} ms   p95 {sorted[(int)(sorted.Count * 0.95)]:F1} ms   max {sorted[^1]:F1} ms");
}

return 0;

// The 1,000-line script as a notebook: cut into 40 code cells at top-level statements that follow
// a blank line, as a notebook of the same code would be; synced with LSP 3.17 notebook sync.
static async Task<List<double>> LongNotebook(Session session, string sample)
{
    var lines = File.ReadAllLines(Path.Combine(sample, "train_1000.py"));
    var starts = Enumerable.Range(1, lines.Length - 1).Where(i => lines[i].Length > 0 && !char.IsWhiteSpace(lines[i][0]) && lines[i - 1].Length == 0).ToList();
    var cuts = Enumerable.Range(1, 39).Select(k => starts[k * starts.Count / 40]).Distinct().Prepend(0).Append(lines.Length).ToList();
    var cells = Enumerable.Range(0, cuts.Count - 1).Select(k => string.Join('\n', lines[cuts[k]..cuts[k + 1]]).TrimEnd('\n')).ToList();
    var uri = new Uri(Path.Combine(sample, "notebook_40.ipynb")).AbsoluteUri;
    await session.OpenNotebookAndWait(uri, cells);
    var target = cells.Count / 2;
    var cellLines = cells[target].Split('\n');
    var line = Array.FindIndex(cellLines, l => l.Length > 0);
    var times = new List<double>();
    for (var v = 2; v < 202; v++)
    {
        times.Add(await session.CellInsertAndWait(uri, target, v, line, cellLines[line].Length + v - 2, "x"));
    }

    return times;
}

// A realistic 1,000-line script: the sample's Trainer script followed by data helpers and a torch
// loop, repeated with fresh names until it is 1,000 lines long.
static async Task<List<double>> LongScript(Session session, string sample)
{
    var head = File.ReadAllText(Path.Combine(sample, "train.py"));
    var text = new StringBuilder(head);
    for (var block = 0; text.ToString().Split('\n').Length < 1000; block++)
    {
        text.Append(CultureInfo.InvariantCulture, $$"""

            def clean_{{block}}(frame, column="instruction"):
                # Normalise whitespace and case before tokenising.
                frame[column] = frame[column].str.strip().str.lower()
                frame = frame.drop_duplicates(subset=[column])
                return frame.reset_index(drop=True)


            def train_epoch_{{block}}(model, loader, optimizer, device="cpu"):
                model.train()
                total = 0.0
                for step, batch in enumerate(loader):
                    batch = {k: v.to(device) for k, v in batch.items()}
                    outputs = model(**batch)
                    loss = outputs.loss
                    loss.backward()
                    optimizer.step()
                    optimizer.zero_grad()
                    total += loss.item()
                    if step % 50 == 0:
                        print(f"step {step}: loss {loss.item():.4f}")
                return total / max(len(loader), 1)

            """);
    }

    var lines = text.ToString().Split('\n').Take(1000).ToList();
    var path = Path.Combine(sample, "train_1000.py");
    File.WriteAllText(path, string.Join('\n', lines) + "\n");
    await session.OpenAndWait(path, "python");
    var times = new List<double>();
    var commentLine = lines.FindIndex(l => l.TrimStart().StartsWith("# Normalise", StringComparison.Ordinal));
    for (var v = 2; v < 202; v++)
    {
        times.Add(await session.InsertAndWait(path, v, commentLine, lines[commentLine].Length + v - 2, "x"));
    }

    return times;
}

static string Stats(List<double> xs)
{
    var sorted = xs.Order().ToList();
    return $"{sorted[sorted.Count / 2]:F1} ms (p90 {sorted[(int)(sorted.Count * 0.9)]:F1})";
}

internal sealed class Session : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Stream _in;
    private readonly Stream _out;
    private readonly string _root;
    private int _id;

    private Session(Process process, string root)
    {
        _process = process;
        _in = process.StandardInput.BaseStream;
        _out = process.StandardOutput.BaseStream;
        _root = root;
    }

    public static Session Start(string command, string root)
    {
        var info = new ProcessStartInfo("/bin/sh") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("exec " + command);
        var process = Process.Start(info)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return new Session(process, root);
    }

    /// <summary>Whether the server's initialize result declares LSP 3.17 notebook sync.</summary>
    public bool SyncsNotebooks { get; private set; }

    public static string CellUri(string notebookUri, int index) => $"vscode-notebook-cell:{new Uri(notebookUri).AbsolutePath}#cell{index}";

    public async Task OpenNotebookAndWait(string notebookUri, List<string> cells)
    {
        Notify("notebookDocument/didOpen", new JObject
        {
            ["notebookDocument"] = new JObject
            {
                ["uri"] = notebookUri,
                ["notebookType"] = "jupyter-notebook",
                ["version"] = 1,
                ["cells"] = new JArray(cells.Select((_, i) => new JObject { ["kind"] = 2, ["document"] = CellUri(notebookUri, i) })),
            },
            ["cellTextDocuments"] = new JArray(cells.Select((text, i) => new JObject { ["uri"] = CellUri(notebookUri, i), ["languageId"] = "python", ["version"] = 1, ["text"] = text })),
        });
        await WaitFor(m => IsDiagnostics(m, CellUri(notebookUri, cells.Count - 1), 1));
    }

    public async Task<double> CellInsertAndWait(string notebookUri, int cell, int version, int line, int character, string text)
    {
        var cellUri = CellUri(notebookUri, cell);
        var position = new JObject { ["line"] = line, ["character"] = character };
        var t = Stopwatch.StartNew();
        Notify("notebookDocument/didChange", new JObject
        {
            ["notebookDocument"] = new JObject { ["uri"] = notebookUri, ["version"] = version },
            ["change"] = new JObject
            {
                ["cells"] = new JObject
                {
                    ["textContent"] = new JArray(new JObject
                    {
                        ["document"] = new JObject { ["uri"] = cellUri, ["version"] = version },
                        ["changes"] = new JArray(new JObject { ["range"] = new JObject { ["start"] = position, ["end"] = position.DeepClone() }, ["text"] = text }),
                    }),
                },
            },
        });
        await WaitFor(m => IsDiagnostics(m, cellUri, version));
        return t.Elapsed.TotalMilliseconds;
    }

    public async Task Initialize()
    {
        var id = Send("initialize", new JObject
        {
            ["processId"] = Environment.ProcessId,
            ["rootUri"] = new Uri(_root).AbsoluteUri,
            ["workspaceFolders"] = new JArray(new JObject { ["uri"] = new Uri(_root).AbsoluteUri, ["name"] = "sample" }),
            ["capabilities"] = new JObject { ["textDocument"] = new JObject { ["publishDiagnostics"] = new JObject { ["versionSupport"] = true } } },
        });
        var result = await WaitFor(m => (int?)m["id"] == id);
        SyncsNotebooks = result.SelectToken("result.capabilities.notebookDocumentSync") is JObject;
        Notify("initialized", new JObject());
    }

    public async Task<double> OpenAndWait(string path, string language)
    {
        var uri = new Uri(path).AbsoluteUri;
        var t = Stopwatch.StartNew();
        Notify("textDocument/didOpen", new JObject { ["textDocument"] = new JObject { ["uri"] = uri, ["languageId"] = language, ["version"] = 1, ["text"] = File.ReadAllText(path) } });
        await WaitFor(m => IsDiagnostics(m, uri, 1));
        return t.Elapsed.TotalMilliseconds;
    }

    public async Task<double> ChangeAndWait(string path, int version, string text)
    {
        var uri = new Uri(path).AbsoluteUri;
        var t = Stopwatch.StartNew();
        Notify("textDocument/didChange", new JObject
        {
            ["textDocument"] = new JObject { ["uri"] = uri, ["version"] = version },
            ["contentChanges"] = new JArray(new JObject { ["text"] = text }),
        });
        await WaitFor(m => IsDiagnostics(m, uri, version));
        return t.Elapsed.TotalMilliseconds;
    }

    public async Task<double> InsertAndWait(string path, int version, int line, int character, string text)
    {
        var uri = new Uri(path).AbsoluteUri;
        var position = new JObject { ["line"] = line, ["character"] = character };
        var t = Stopwatch.StartNew();
        Notify("textDocument/didChange", new JObject
        {
            ["textDocument"] = new JObject { ["uri"] = uri, ["version"] = version },
            ["contentChanges"] = new JArray(new JObject { ["range"] = new JObject { ["start"] = position, ["end"] = position.DeepClone() }, ["text"] = text }),
        });
        await WaitFor(m => IsDiagnostics(m, uri, version));
        return t.Elapsed.TotalMilliseconds;
    }

    private static bool IsDiagnostics(JObject m, string uri, int version) =>
        (string?)m["method"] == "textDocument/publishDiagnostics" &&
        (string?)m.SelectToken("params.uri") == uri &&
        ((int?)m.SelectToken("params.version") ?? version) == version;

    private int Send(string method, JObject parameters)
    {
        var id = ++_id;
        Write(new JObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters });
        return id;
    }

    private void Notify(string method, JObject parameters) =>
        Write(new JObject { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = parameters });

    private void Write(JObject message)
    {
        var body = Encoding.UTF8.GetBytes(message.ToString(Formatting.None));
        _in.Write(Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"));
        _in.Write(body);
        _in.Flush();
    }

    private async Task<JObject> WaitFor(Func<JObject, bool> match)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var message = await Read(timeout.Token);
            if (message["id"] is not null && message["method"] is not null)
            {
                // A request from the server (configuration, registration): answer null so it proceeds.
                Write(new JObject { ["jsonrpc"] = "2.0", ["id"] = message["id"]!.DeepClone(), ["result"] = (string)message["method"]! == "workspace/configuration" ? new JArray(Enumerable.Repeat(new JObject(), ((JArray?)message.SelectToken("params.items"))?.Count ?? 1)) : JValue.CreateNull() });
                continue;
            }

            if (match(message))
            {
                return message;
            }
        }
    }

    private async Task<JObject> Read(CancellationToken cancellationToken)
    {
        var header = new StringBuilder();
        var one = new byte[1];
        while (!header.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await _out.ReadAsync(one, cancellationToken) == 0)
            {
                throw new EndOfStreamException("server closed stdout");
            }

            header.Append((char)one[0]);
        }

        var length = int.Parse(header.ToString().Split("\r\n").First(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))[15..].Trim(), CultureInfo.InvariantCulture);
        var body = new byte[length];
        await _out.ReadExactlyAsync(body, cancellationToken);
        return JObject.Parse(Encoding.UTF8.GetString(body));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            Send("shutdown", new JObject());
            Notify("exit", new JObject());
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
