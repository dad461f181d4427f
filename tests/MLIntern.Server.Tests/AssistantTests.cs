using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Tests;

/// <summary>
/// "Ask for a Fix" through the LLM assistant: the real sidecar over its pipes, talking to an
/// OpenAI-compatible endpoint on loopback (the one permitted stand-in, answering from what it is sent).
/// </summary>
public sealed partial class AssistantTests
{
    private const string Uri = "file:///nonexistent/assist/train.py";

    private const string Script = """
        import numpy as np
        from sklearn.metrics import f1_score

        HF_TOKEN = "hf_abcdefghijklmnopqrstuvwxyzABCDEFGH"


        def compute_metrics(eval_pred):
            logits, labels = eval_pred
            return {"f1": f1_score(labels, logits, average="macro")}

        """;

    private const string Key = "sk-test-0123456789abcdefghij";

    private static object Lines(int first, int last) => new { start = new { line = first - 1, character = 0 }, end = new { line = last, character = 0 } };

    private static object Cursor(int line) => new { start = new { line = line - 1, character = 4 }, end = new { line = line - 1, character = 4 } };

    private static object Settings(string endpoint, double timeoutSeconds = 30) =>
        new { settings = new { mlintern = new { assistant = new { endpoint, model = "tiny-coder", apiKeyVariable = "MLINTERN_TEST_KEY", timeoutSeconds } } } };

    /// <summary>The endpoint's side: the lines it was asked to change, read from the user message.</summary>
    private static (int First, int Last) Asked(JArray messages)
    {
        var match = LinesToChange().Match((string)messages.Last!["content"]!);
        return (int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    private static async Task<LspClient> Open(int version = 3)
    {
        var client = LspClient.Start(new Dictionary<string, string> { ["MLINTERN_TEST_KEY"] = Key });
        await client.InitializeAsync();
        await client.NotifyAsync("textDocument/didOpen", new { textDocument = new { uri = Uri, languageId = "python", version, text = Script } });
        await client.WaitForDiagnosticsAsync(Uri, version);
        return client;
    }

    private static JObject[] From(JObject result, string provider) =>
        [.. ((JArray)result["proposals"]!).Cast<JObject>().Where(p => (string?)p["provider"] == provider)];

    [Fact]
    public async Task A_question_on_a_selection_comes_back_as_an_unsafe_versioned_edit_and_nothing_secret_leaves()
    {
        await using var endpoint = new FakeChatEndpoint(messages =>
        {
            var (first, last) = Asked(messages);
            return first == 9 && last == 9
                ? "Score the predicted classes: take the argmax of the logits first.\n\n```python\n    return {\"f1\": f1_score(labels, np.argmax(logits, axis=-1), average=\"macro\")}\n```\n"
                : $"```python\n# unexpected lines {first}-{last}\n```";
        });
        await using var client = await Open();
        await client.NotifyAsync("workspace/didChangeConfiguration", Settings(endpoint.BaseUrl));

        var result = (JObject)(await client.RequestAsync("mlintern/askFix", new { textDocument = new { uri = Uri }, range = Lines(9, 9), question = "score the predicted classes, not the logits" }, TimeSpan.FromSeconds(60)))!;
        var proposal = Assert.Single(From(result, "assistant"));
        Assert.Equal("unsafe", (string?)proposal["applicability"]);
        Assert.StartsWith("Assistant: Score the predicted classes", (string?)proposal["title"], StringComparison.Ordinal);
        Assert.Contains("review the diff", (string?)proposal["explanation"], StringComparison.Ordinal);
        Assert.Equal(3, (int)proposal.SelectToken("edit.documentChanges[0].textDocument.version")!);
        var edit = (JObject)proposal.SelectToken("edit.documentChanges[0].edits[0]")!;
        Assert.Equal((8, 0, 9, 0), ((int)edit["range"]!["start"]!["line"]!, (int)edit["range"]!["start"]!["character"]!, (int)edit["range"]!["end"]!["line"]!, (int)edit["range"]!["end"]!["character"]!));
        Assert.Equal("    return {\"f1\": f1_score(labels, np.argmax(logits, axis=-1), average=\"macro\")}\n", (string?)edit["newText"]);

        // What left the machine: the model, the key as a bearer token, the marked lines with their
        // numbers, the checker's findings, the question — and the token in the file redacted.
        var (path, authorization, body) = Assert.Single(endpoint.Requests);
        Assert.Equal("/v1/chat/completions", path);
        Assert.Equal("Bearer " + Key, authorization);
        Assert.Equal("tiny-coder", (string?)body["model"]);
        var user = (string)body["messages"]!.Last!["content"]!;
        Assert.Contains("Lines to change: 9-9", user, StringComparison.Ordinal);
        Assert.Contains(">    9 |     return {\"f1\": f1_score(labels, logits, average=\"macro\")}", user, StringComparison.Ordinal);
        Assert.Contains("Request: score the predicted classes, not the logits", user, StringComparison.Ordinal);
        Assert.Matches(@"- line \d+: MLI\d{3} ", user);
        Assert.Contains("[Hugging Face token: hf_****]", user, StringComparison.Ordinal);
        Assert.DoesNotContain("hf_abcdefghij", body.ToString(), StringComparison.Ordinal);

        // The sidecar's log names the model and the lines, never the key or the code.
        var log = client.Stderr;
        Assert.Contains("assistant: asking tiny-coder at 127.0.0.1 about lines 9-9", log, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, log, StringComparison.Ordinal);
        Assert.DoesNotContain("f1_score(labels", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reply_that_would_not_parse_or_holds_no_code_is_shown_never_offered_as_an_edit()
    {
        var replies = new Queue<string>(
        [
            "Fixed.\n```python\n    return {\"f1\": f1_score(labels, (logits, average=\"macro\")}\n```",
            "You should take the argmax of the logits before calling f1_score.",
            "```python\n    return {\"f1\": f1_score(labels, logits, average=\"macro\")}\n```\nLooks fine to me.",
        ]);
        await using var endpoint = new FakeChatEndpoint(_ => replies.Dequeue());
        await using var client = await Open();
        await client.NotifyAsync("workspace/didChangeConfiguration", Settings(endpoint.BaseUrl));

        foreach (var expected in new[] { "The assistant's change does not parse", "The assistant answered without a change", "The assistant proposes no change" })
        {
            var result = (JObject)(await client.RequestAsync("mlintern/askFix", new { textDocument = new { uri = Uri }, range = Lines(9, 9), question = "fix the metric" }, TimeSpan.FromSeconds(60)))!;
            var proposal = Assert.Single(From(result, "assistant"));
            Assert.Equal(expected, (string?)proposal["title"]);
            Assert.Equal("display-only", (string?)proposal["applicability"]);
            Assert.Null(proposal["edit"]);
        }

        Assert.Equal(3, endpoint.Requests.Count);
    }

    [Fact]
    public async Task Unconfigured_a_bare_cursor_asks_nothing_and_a_dead_or_slow_endpoint_is_a_note_beside_the_rules_answer()
    {
        await using var endpoint = new FakeChatEndpoint(_ => "```python\npass\n```", delay: TimeSpan.FromSeconds(4));
        await using var client = await Open();

        // Not configured: only the rules answer; nothing is sent anywhere.
        var result = (JObject)(await client.RequestAsync("mlintern/askFix", new { textDocument = new { uri = Uri }, range = Lines(9, 9), question = "fix it" }))!;
        Assert.Empty(From(result, "assistant"));

        // Configured, but a cursor without a question is the offline provider's alone.
        await client.NotifyAsync("workspace/didChangeConfiguration", Settings(endpoint.BaseUrl, timeoutSeconds: 1));
        result = (JObject)(await client.RequestAsync("mlintern/askFix", new { textDocument = new { uri = Uri }, range = Cursor(9) }))!;
        Assert.Empty(From(result, "assistant"));
        Assert.Empty(endpoint.Requests);

        // Too slow for the timeout: a note saying so.
        result = (JObject)(await client.RequestAsync("mlintern/askFix", new { textDocument = new { uri = Uri }, range = Lines(9, 9), question = "fix it" }, TimeSpan.FromSeconds(60)))!;
        var note = Assert.Single(From(result, "assistant"));
        Assert.Equal("The assistant at 127.0.0.1 did not answer", (string?)note["title"]);
        Assert.Contains("no answer within 1 s", (string?)note["explanation"], StringComparison.Ordinal);

        // Nothing listening: a note, and the server goes on answering.
        var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        await client.NotifyAsync("workspace/didChangeConfiguration", Settings($"http://127.0.0.1:{port}/v1"));
        result = (JObject)(await client.RequestAsync("mlintern/askFix", new { textDocument = new { uri = Uri }, range = Lines(9, 9), question = "fix it" }, TimeSpan.FromSeconds(60)))!;
        Assert.Equal("The assistant at 127.0.0.1 did not answer", (string?)Assert.Single(From(result, "assistant"))["title"]);

        // A malformed endpoint is refused with a note, never fetched.
        await client.NotifyAsync("workspace/didChangeConfiguration", Settings("file:///etc/passwd"));
        result = (JObject)(await client.RequestAsync("mlintern/askFix", new { textDocument = new { uri = Uri }, range = Lines(9, 9), question = "fix it" }))!;
        var refused = Assert.Single(From(result, "assistant"));
        Assert.Equal("The assistant is not configured correctly", (string?)refused["title"]);
        Assert.Contains("not an http(s) URL", (string?)refused["explanation"], StringComparison.Ordinal);
    }

    [GeneratedRegex(@"Lines to change: (\d+)-(\d+)")]
    private static partial Regex LinesToChange();
}
