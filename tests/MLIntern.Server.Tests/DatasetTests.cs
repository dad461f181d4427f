using MLIntern.Server.Cli;
using MLIntern.Server.Samples;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Tests;

/// <summary>The data set surface: `mlintern inspect`, data findings in `check`, and mlintern/profileDataset over the real server process.</summary>
public sealed class DatasetTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mlintern-data-" + Guid.NewGuid().ToString("N"));

    public DatasetTests()
    {
        var project = SupportTickets.Generate();
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
        var error = await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync("mlintern/profileDataset", new { path = Path.Combine(_dir, "missing.csv") }));
        Assert.Equal(-32602, error.Code);
        var again = (JObject)(await client.RequestAsync("mlintern/profileDataset", new { path = Tickets }))!;
        Assert.Equal((string?)profile["version"], (string?)again["version"]);
    }
}
