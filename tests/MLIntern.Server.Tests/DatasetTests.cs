using MLIntern.Server.Cli;
using MLIntern.Server.Samples;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Tests;

/// <summary>The data set surface: `mlintern inspect`, data findings in `check`, and mlintern/profileDataset over the real server process.</summary>
public sealed class DatasetTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mlintern-data-" + Guid.NewGuid().ToString("N"));

    private readonly SupportTickets.Planted _planted;

    public DatasetTests()
    {
        var project = SupportTickets.Generate();
        _planted = project.Splits;
        foreach (var (relative, content) in project.Files)
        {
            var path = Path.Combine(_dir, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Tickets => Path.Combine(_dir, SupportTickets.DataPath);

    [Fact]
    public void Inspect_json_profiles_the_sample_and_finds_what_was_planted()
    {
        var output = new StringWriter();
        var code = InspectCommand.Run(Tickets, "json", null, null, null, output, new StringWriter());
        Assert.Equal(1, code);
        var json = JObject.Parse(output.ToString());
        Assert.Equal("instruction", (string?)json["text"]!["column"]);
        Assert.Equal("intent", (string?)json["label"]!["column"]);
        var checks = json["checks"]!.ToDictionary(c => (string)c["code"]!, c => (long)c["count"]!);
        // Planted by the generator: two tickets with personal data, one text under two intents, one ragged row.
        Assert.Equal(2, checks["MLD008"]);
        Assert.Equal(1, checks["MLD003"]);
        Assert.Equal(1, checks["MLD012"]);
        Assert.Equal(1, checks["MLD006"]);
        var csv = File.ReadAllLines(Tickets);
        Assert.Equal(csv.Skip(1).Count(l => l.Contains("{{", StringComparison.Ordinal) && !l.StartsWith("where is my refund, it has", StringComparison.Ordinal)), checks["MLD009"]);
        Assert.True(checks["MLD004"] > 0);
    }

    [Fact]
    public void Inspect_json_on_the_split_folder_reports_exactly_what_the_generator_planted()
    {
        var output = new StringWriter();
        var code = InspectCommand.Run(Path.Combine(_dir, "data"), "json", null, null, null, output, new StringWriter());
        Assert.Equal(1, code);
        var json = JObject.Parse(output.ToString());
        Assert.Equal(["train", "test"], json["splits"]!.Select(s => (string)s["name"]!));
        var checks = json["checks"]!.ToDictionary(c => (string)c["code"]!);
        long Count(string code) => (long)checks[code]["count"]!;

        // Exact kinds: every other text is unique, so the counts are exactly the planted ones.
        Assert.Equal(_planted.ExactDuplicates, Count("MLD002"));
        Assert.Equal(_planted.ConflictingLabels, Count("MLD003"));
        Assert.Equal(_planted.RareClasses, Count("MLD006"));
        Assert.Equal(_planted.PersonalDataRows, Count("MLD008"));
        Assert.Equal(_planted.PlaceholderRows, Count("MLD009"));
        Assert.Equal(_planted.TrainTestExact, (long)checks["MLD007"]["parts"]!["exact"]!);
        Assert.Equal(0, Count("MLD012"));

        // Near kinds: the templates make near-duplicates of their own; at least the planted ones are found.
        Assert.True(Count("MLD004") >= _planted.NearDuplicates, $"MLD004 {Count("MLD004")} < {_planted.NearDuplicates}");
        Assert.True((long)checks["MLD007"]["parts"]!["near"]! >= _planted.TrainTestNear, $"near overlap < {_planted.TrainTestNear}");
        Assert.Equal(Count("MLD007"), (long)checks["MLD007"]["parts"]!["exact"]! + (long)checks["MLD007"]["parts"]!["near"]!);
        Assert.True(_planted is { ExactDuplicates: > 0, ConflictingLabels: > 0, NearDuplicates: > 0, PersonalDataRows: > 0, PlaceholderRows: > 0, TrainTestExact: > 0, TrainTestNear: > 0, RareClasses: > 0 });
    }

    [Fact]
    public void Inspect_writes_a_self_contained_html_report()
    {
        var html = Path.Combine(_dir, "report.html");
        InspectCommand.Run(Tickets, "text", html, "category", null, new StringWriter(), new StringWriter());
        var page = File.ReadAllText(html);
        Assert.Contains("<svg", page, StringComparison.Ordinal);
        Assert.Contains("MLD008", page, StringComparison.Ordinal);
        Assert.DoesNotContain("jane.doe@example.com", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", page, StringComparison.Ordinal);

    }

    [Fact]
    public async Task ProfileDataset_returns_the_profile_and_bad_paths_are_errors()
    {
        await using var client = LspClient.Start();
        await client.InitializeAsync();
        var profile = (JObject)(await client.RequestAsync("mlintern/profileDataset", new { uri = new Uri(Tickets).AbsoluteUri }))!;
        Assert.Equal("intent", (string?)profile["label"]!["column"]);
        Assert.Equal(16, (int)profile["labels"]!["classes"]!);
        Assert.False(string.IsNullOrEmpty((string?)profile["version"]));
        ProtocolSamples.Write("profileDataset", profile);
        var error = await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync("mlintern/profileDataset", new { path = Path.Combine(_dir, "missing.csv") }));
        Assert.Equal(-32602, error.Code);
        Assert.Equal("notFound", (string?)error.ErrorData?["reason"]);
        var nothing = await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync("mlintern/profileDataset", new { }));
        Assert.Equal("invalidParams", (string?)nothing.ErrorData?["reason"]);
        var again = (JObject)(await client.RequestAsync("mlintern/profileDataset", new { path = Tickets }))!;
        Assert.Equal((string?)profile["version"], (string?)again["version"]);
    }

    /// <summary>A CSV past the progress threshold: 120,000 distinct tickets of about 100 bytes.</summary>
    private string BigCsv(string name)
    {
        var path = Path.Combine(_dir, name);
        using var writer = new StreamWriter(path);
        writer.Write("text,label\n");
        for (var i = 0; i < 120_000; i++)
        {
            writer.Write($"\"ticket {i}: my order {i * 7919 % 100_003} has not arrived, it was due on day {i % 28} of the month\",label_{i % 5}\n");
        }

        return path;
    }

    [Fact]
    public async Task ProfileDataset_reports_work_done_progress_on_a_token_the_server_creates()
    {
        var big = BigCsv("big.csv");
        await using var client = LspClient.Start();
        await client.InitializeAsync(workDoneProgress: true);
        var profile = (JObject)(await client.RequestAsync("mlintern/profileDataset", new { path = big }, TimeSpan.FromSeconds(60)))!;
        Assert.Equal(120_000, (long)profile["rows"]!);

        var created = Assert.Single(client.Notifications("client/received:window/workDoneProgress/create"));
        var token = (string?)created["token"];
        var progress = client.Notifications("$/progress").Where(p => (string?)p["token"] == token).Select(p => (JObject)p["value"]!).ToList();
        Assert.Equal("begin", (string?)progress[0]["kind"]);
        Assert.True((bool)progress[0]["cancellable"]!);
        await client.WaitForNotificationAsync("$/progress", p => (string?)p["token"] == token && (string?)p["value"]!["kind"] == "end");
        Assert.All(progress.Where(p => (string?)p["kind"] == "report"), p => Assert.InRange((int)p["percentage"]!, 0, 100));

        // Cached now: no second progress.
        await client.RequestAsync("mlintern/profileDataset", new { path = big });
        Assert.Single(client.Notifications("client/received:window/workDoneProgress/create"));

        // A small file gets no progress at all.
        await client.RequestAsync("mlintern/profileDataset", new { path = Tickets });
        Assert.Single(client.Notifications("client/received:window/workDoneProgress/create"));
    }

    [Fact]
    public async Task ProfileDataset_progress_on_the_clients_token_can_be_cancelled_and_the_server_lives()
    {
        var big = BigCsv("big.csv");
        // With the test hooks, the profile waits at its first progress report until cancelled:
        // however fast profiling gets, the cancel arrives while it runs.
        await using var client = LspClient.Start(new Dictionary<string, string> { ["MLINTERN_TEST_HOOKS"] = "1" });
        await client.InitializeAsync();
        var (_, response) = client.Send("mlintern/profileDataset", new { path = big, workDoneToken = "t-42" });
        await client.WaitForNotificationAsync("$/progress", p => (string?)p["token"] == "t-42" && (string?)p["value"]!["kind"] == "begin");
        await client.NotifyAsync("window/workDoneProgress/cancel", new { token = "t-42" });
        var message = await response.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(-32800, (int)message.SelectToken("error.code")!);
        await client.WaitForNotificationAsync("$/progress", p => (string?)p["token"] == "t-42" && (string?)p["value"]!["kind"] == "end");

        // Nothing half-done was cached: the next request profiles the whole file.
        var profile = (JObject)(await client.RequestAsync("mlintern/profileDataset", new { path = big }, TimeSpan.FromSeconds(60)))!;
        Assert.Equal(120_000, (long)profile["rows"]!);
    }

    [Fact]
    public async Task Data_settings_reach_the_diagnostics_of_an_open_data_file()
    {
        // Three classes, one with three rows: rare under the default minimum of 10, not under a minimum of 2.
        var rows = string.Concat(Enumerable.Range(0, 40).Select(i => $"\"the parcel number {i} came {(i % 2 == 0 ? "late" : "broken")} again\",{(i < 3 ? "rare" : i % 2 == 0 ? "late" : "broken")}\n"));
        var path = Path.Combine(_dir, "settings", "tickets.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "text,label\n" + rows);
        var uri = new Uri(path).AbsoluteUri;
        await using var client = LspClient.Start();
        await client.InitializeAsync();
        await client.NotifyAsync("textDocument/didOpen", new { textDocument = new { uri, languageId = "csv", version = 1, text = File.ReadAllText(path) } });
        var before = await client.WaitForDiagnosticsAsync(uri, 1);
        Assert.Contains((JArray)before["diagnostics"]!, d => (string?)d["code"] == "MLD006");

        await client.NotifyAsync("workspace/didChangeConfiguration", new { settings = new { mlintern = new { data = new { minClassExamples = 2 } } } });
        var after = await client.WaitForNotificationAsync("textDocument/publishDiagnostics", p => (string?)p["uri"] == uri && !((JArray)p["diagnostics"]!).Any(d => (string?)d["code"] == "MLD006"));
        Assert.Equal(1, (int)after["version"]!);

        // A new version is checked with the settings too.
        await client.NotifyAsync("textDocument/didChange", new { textDocument = new { uri, version = 2 }, contentChanges = new[] { new { text = File.ReadAllText(path) + "\"one more late parcel today\",late\n" } } });
        var changed = await client.WaitForDiagnosticsAsync(uri, 2);
        Assert.DoesNotContain((JArray)changed["diagnostics"]!, d => (string?)d["code"] == "MLD006");
    }
}
