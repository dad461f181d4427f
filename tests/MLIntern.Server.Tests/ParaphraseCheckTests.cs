using MLIntern.Findings;
using MLIntern.Server.Cli;
using MLIntern.Server.Encoder;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Tests;

[CollectionDefinition("paraphrase encoder", DisableParallelization = true)]
public sealed class ParaphraseEncoderCollection;

/// <summary>
/// MLD007's paraphrase part, opt-in, on tests/fixtures/paraphrases: 48 hand-written train rows, and a test split of 28
/// hand-written paraphrases of train rows (planted.txt: test line → train line) among 24 rows that restate none (other
/// requests of the same classes, and rows on a train row's subject that ask for something of another class).
/// </summary>
[Collection("paraphrase encoder")]
public sealed class ParaphraseCheckTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mlintern-paraphrase-" + Guid.NewGuid().ToString("N"));

    public ParaphraseCheckTests()
    {
        var fixture = Path.Combine(ProtocolSamples.RepoRoot(), "tests", "fixtures", "paraphrases");
        Directory.CreateDirectory(_dir);
        foreach (var file in Directory.GetFiles(fixture))
        {
            File.Copy(file, Path.Combine(_dir, Path.GetFileName(file)));
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Test => Path.Combine(_dir, "test.csv");

    /// <summary>The planted truth: test line → the train line it paraphrases.</summary>
    private Dictionary<int, int> Planted() =>
        File.ReadLines(Path.Combine(_dir, "planted.txt")).Where(l => !l.StartsWith('#') && l.Trim() != "")
            .Select(l => l.Split(' ')).ToDictionary(p => int.Parse(p[0]), p => int.Parse(p[1]));

    private static (int Code, JArray Findings) Check(string path, bool paraphrases)
    {
        var output = new StringWriter();
        var code = CheckCommand.Run([path], "json", CheckCommand.FixMode.None, Applicability.Safe, output, new StringWriter(), paraphrases);
        return (code, JArray.Parse(output.ToString()));
    }

    /// <summary>The paraphrase rows MLD007 reported: test line → the train line it names.</summary>
    private static Dictionary<int, int> Reported(JArray findings) =>
        findings.Where(f => (string?)f["code"] == "MLD007" && ((string?)f["message"])!.Contains("is a paraphrase of", StringComparison.Ordinal))
            .ToDictionary(f => (int)f["line"]!, f => int.Parse(System.Text.RegularExpressions.Regex.Match((string)f["message"]!, @"train\.csv line (\d+)").Groups[1].Value));

    [Fact]
    public void Check_with_paraphrases_reports_the_planted_ones_and_check_without_reports_none()
    {
        Directory.CreateDirectory(Path.Combine(_dir, ".mlintern"));
        var planted = Planted();
        Assert.Equal(28, planted.Count);

        var callsBefore = ParaphraseEmbedding.Calls;
        var (plainCode, plain) = Check(Test, paraphrases: false);
        Assert.Equal(Commands.Clean, plainCode);
        Assert.DoesNotContain(plain, f => (string?)f["code"] == "MLD007");
        Assert.Equal(callsBefore, ParaphraseEmbedding.Calls);

        var (code, findings) = Check(Test, paraphrases: true);
        Assert.Equal(Commands.Findings, code);
        var reported = Reported(findings);
        var right = reported.Count(r => planted.TryGetValue(r.Key, out var source) && source == r.Value);
        var recall = (double)right / planted.Count;
        var precision = (double)right / reported.Count;
        Assert.True(recall >= 0.9, $"recall {recall:0.00}: {right} of {planted.Count} planted paraphrases found with their source");
        Assert.True(precision >= 0.9, $"precision {precision:0.00}: {right} of {reported.Count} reports are planted pairs");
        var summary = (string)findings.First(f => (string?)f["code"] == "MLD007" && (int)f["line"]! == 1)["message"]!;
        Assert.Contains($"{reported.Count} paraphrase", summary, StringComparison.Ordinal);
        Assert.Contains("0 exact, 0 near-duplicate", summary, StringComparison.Ordinal);
        Assert.True(ParaphraseEmbedding.Calls > callsBefore);

        // The embeddings were cached in the workspace by content: a second check embeds nothing new and says the same.
        var cached = Directory.GetFiles(Path.Combine(_dir, ".mlintern", "cache", "embeddings"), "*.f32");
        Assert.Equal(2, cached.Length);
        var again = Reported(Check(Test, paraphrases: true).Findings);
        Assert.Equal(reported, again);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(_dir, ".mlintern", "cache", "embeddings"), "*.f32").Length);
    }

    [Fact]
    public void The_setting_in_pyproject_opts_in_and_other_profiles_never_embed()
    {
        // paraphrase-overlap = true opts `check` in; the facts service (script rules, the Dataset view) profiles without embedding.
        File.AppendAllText(Path.Combine(_dir, "pyproject.toml"), "paraphrase-overlap = true\n");
        var callsBefore = ParaphraseEmbedding.Calls;
        var facts = new Engine.DatasetFactsService().GetProfile(Test, null);
        Assert.NotNull(facts);
        Assert.DoesNotContain("paraphrase", facts!.Checks.First(c => c.Code == "MLD007").Message, StringComparison.Ordinal);
        Assert.Equal(callsBefore, ParaphraseEmbedding.Calls);

        Assert.NotEmpty(Reported(Check(Test, paraphrases: false).Findings));
    }

    [Fact]
    public async Task Turning_the_setting_on_in_the_editor_adds_the_paraphrases_to_the_open_test_file()
    {
        var uri = new Uri(Test).AbsoluteUri;
        await using var client = LspClient.Start();
        await client.InitializeAsync();
        await client.NotifyAsync("textDocument/didOpen", new { textDocument = new { uri, languageId = "csv", version = 1, text = File.ReadAllText(Test) } });
        var before = await client.WaitForDiagnosticsAsync(uri, 1);
        Assert.DoesNotContain((JArray)before["diagnostics"]!, d => (string?)d["code"] == "MLD007");

        await client.NotifyAsync("workspace/didChangeConfiguration", new { settings = new { mlintern = new { data = new { paraphraseOverlap = true } } } });
        var after = await client.WaitForNotificationAsync(
            "textDocument/publishDiagnostics",
            p => (string?)p["uri"] == uri && ((JArray)p["diagnostics"]!).Any(d => (string?)d["code"] == "MLD007"),
            TimeSpan.FromMinutes(3));
        var diagnostics = (JArray)after["diagnostics"]!;
        var rows = diagnostics.Where(d => (string?)d["code"] == "MLD007" && ((string?)d["message"])!.Contains("is a paraphrase of", StringComparison.Ordinal)).ToList();
        var planted = Planted();
        var right = rows.Count(d => planted.ContainsKey((int)d["range"]!["start"]!["line"]! + 1));
        Assert.True(right >= 0.9 * planted.Count, $"{right} of {planted.Count} planted paraphrases shown");

        // Off again: the paraphrase part goes.
        await client.NotifyAsync("workspace/didChangeConfiguration", new { settings = new { mlintern = new { data = new { paraphraseOverlap = false } } } });
        await client.WaitForNotificationAsync(
            "textDocument/publishDiagnostics",
            p => (string?)p["uri"] == uri && !((JArray)p["diagnostics"]!).Any(d => (string?)d["code"] == "MLD007"),
            TimeSpan.FromMinutes(1));
    }
}
