using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Tests;

public sealed class AskFixTests
{
    private const string Uri = "file:///nonexistent/ask/train.py";

    private const string Script = """
        from transformers import TrainingArguments

        args = TrainingArguments(
            output_dir="out",
            evaluation_strategy="epoch",
        )
        """;

    private static object Cursor(int line, int character) =>
        new { start = new { line, character }, end = new { line, character } };

    [Fact]
    public async Task Proposals_for_the_cursor_carry_a_versioned_edit_and_why()
    {
        await using var client = LspClient.Start();
        await client.InitializeAsync();
        await client.NotifyAsync("textDocument/didOpen", new { textDocument = new { uri = Uri, languageId = "python", version = 4, text = Script } });
        await client.WaitForDiagnosticsAsync(Uri, 4);

        var result = (JObject)(await client.RequestAsync("mlintern/askFix", new { textDocument = new { uri = Uri }, range = Cursor(4, 10), question = "please fix" }))!;
        ProtocolSamples.Write("askFix", result);
        Assert.Equal(4, (int)result["version"]!);
        var proposal = (JObject)Assert.Single((JArray)result["proposals"]!);
        Assert.Equal("rules", (string?)proposal["provider"]);
        Assert.Equal("MLI501", (string?)proposal["code"]);
        Assert.Equal("safe", (string?)proposal["applicability"]);
        Assert.Contains("renamed", (string?)proposal["explanation"], StringComparison.Ordinal);
        Assert.Equal(4, (int)proposal.SelectToken("edit.documentChanges[0].textDocument.version")!);
        Assert.Equal("eval_strategy", (string?)proposal.SelectToken("edit.documentChanges[0].edits[0].newText"));

        // The cursor at the start of the line (not inside the finding) still finds the line's finding.
        var sameLine = (JObject)(await client.RequestAsync("mlintern/askFix", new { textDocument = new { uri = Uri }, range = Cursor(4, 0) }))!;
        Assert.Single((JArray)sameLine["proposals"]!);

        var elsewhere = (JObject)(await client.RequestAsync("mlintern/askFix", new { textDocument = new { uri = Uri }, range = Cursor(0, 0) }))!;
        Assert.Empty((JArray)elsewhere["proposals"]!);
    }

    [Fact]
    public async Task A_document_that_is_not_open_is_an_invalid_params_error()
    {
        await using var client = LspClient.Start();
        await client.InitializeAsync();
        var error = await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync("mlintern/askFix", new { textDocument = new { uri = "file:///not/open.py" }, range = Cursor(0, 0) }));
        Assert.Equal(-32602, error.Code);
        Assert.Equal("notFound", (string?)error.ErrorData?["reason"]);
    }
}
