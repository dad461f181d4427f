using System.Net;
using System.Net.Http.Json;
using MLIntern.Server.Cli;
using MLIntern.Server.Evaluate;
using MLIntern.Server.Release;
using MLIntern.Server.Samples;
using MLIntern.Training.Baseline;
using MLIntern.Server.Runs;
using MLIntern.Training.Release;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Tests;

/// <summary>The sample project trained once with the built-in baseline; the release tests work on copies of its run.</summary>
public sealed class SampleRunFixture : IDisposable
{
    public SampleRunFixture()
    {
        Workspace = Directory.CreateTempSubdirectory("mlintern-release-").FullName;
        foreach (var (relative, content) in SupportTickets.Generate().Files)
        {
            var path = Path.Combine(Workspace, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }

        var output = new StringWriter();
        var errors = new StringWriter();
        var code = TrainCommand.Run(Workspace, new PlanOptions { Data = Path.Combine(Workspace, SupportTickets.DataPath) }, new TrainCommand.ApprovalChoice(true, false, false), null, output, errors);
        Assert.True(code == 0, errors.ToString());
        RunFolder = output.ToString().TrimEnd().Split('\n')[^1];
        RunId = Path.GetFileName(RunFolder);
    }

    public string Workspace { get; }

    public string RunFolder { get; }

    public string RunId { get; }

    public void Dispose() => Directory.Delete(Workspace, recursive: true);
}

/// <summary>
/// Evaluate, card, demo and publish through the CLI and the language server on the sample project:
/// the audit explains the near-perfect score with figures, the card validates, the local demo answers
/// over HTTP, and no path uploads without a recorded approval.
/// </summary>
public sealed class ReleaseTests(SampleRunFixture sample) : IClassFixture<SampleRunFixture>
{
    private static (int Code, string Out, string Err) Capture(Func<TextWriter, TextWriter, int> action)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var code = action(output, errors);
        return (code, output.ToString(), errors.ToString());
    }

    [Fact]
    public void Evaluate_audits_the_near_perfect_sample_score_with_figures()
    {
        var html = Path.Combine(sample.Workspace, "evaluation.html");
        var (code, json, errors) = Capture((o, e) => EvaluateCommand.Run(sample.RunId, sample.Workspace, "json", html, new EvaluateOptions(), o, e));
        Assert.True(code == 1, errors);
        var page = File.ReadAllText(html);
        Assert.Contains("leakage found", page, StringComparison.Ordinal);
        Assert.Contains("aria-label=\"confusion matrix\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", page, StringComparison.Ordinal);
        var report = JObject.Parse(json);
        Assert.True((double)report["metrics"]!["macro"]!["f1"]! >= 0.99);
        var audit = report["audit"]!;
        Assert.True((bool)audit["alarm"]!);
        Assert.True((int)audit["overlap"]!["exact"]! > 0);
        Assert.True((double)audit["templates"]!["drop"]! >= 0.2);
        Assert.Contains(audit["findings"]!, f => ((string)f!).Contains("when no template is shared between train and test", StringComparison.Ordinal));
        Assert.Equal("category", (string?)report["source"]!["categoryColumn"]);
        Assert.Contains(report["slices"]!, s => (string?)s["kind"] == "category" && (string?)s["name"] == "ORDER");
        Assert.Equal(15, (int)report["calibration"]!["bins"]!);
    }

    [Fact]
    public void Evaluate_of_a_missing_run_or_broken_predictions_is_a_clear_error()
    {
        var (code, _, errors) = Capture((o, e) => EvaluateCommand.Run("20990101-000000-dead", sample.Workspace, "text", null, new EvaluateOptions(), o, e));
        Assert.Equal(2, code);
        Assert.Contains("no run with that id", errors, StringComparison.Ordinal);

        var broken = Directory.CreateTempSubdirectory("mlintern-broken-").FullName;
        File.WriteAllText(Path.Combine(broken, "predictions.jsonl"), "{\"text\": \"a\"\nnot json\n");
        (code, _, errors) = Capture((o, e) => EvaluateCommand.Run(broken, null, "text", null, new EvaluateOptions(), o, e));
        Assert.Equal(2, code);
        Assert.Contains("predictions.jsonl:1: skipped", errors + string.Join("", RunEvaluatorNotes(broken)), StringComparison.Ordinal);
        Directory.Delete(broken, recursive: true);
    }

    private static List<string> RunEvaluatorNotes(string folder)
    {
        var notes = new List<string>();
        try
        {
            RunEvaluator.ReadPredictions(Path.Combine(folder, "predictions.jsonl"), notes);
        }
        catch (PredictionsException)
        {
        }

        return notes;
    }

    [Fact]
    public void Card_lists_unfilled_fields_then_validates_when_they_are_given()
    {
        var (code, output, errors) = Capture((o, e) => CardCommand.Run(sample.RunId, sample.Workspace, new CardOptions(Author: "Jane"), o, e));
        Assert.Equal(1, code);
        Assert.Contains("unfilled: license, language, datasets", errors, StringComparison.Ordinal);
        var path = output.TrimEnd();
        Assert.Equal(Path.Combine(sample.RunFolder, "model", "README.md"), path);

        (code, _, errors) = Capture((o, e) => CardCommand.Run(sample.RunId, sample.Workspace, new CardOptions("apache-2.0", ["en"], "acme/support-tickets", "Jane"), o, e));
        Assert.True(code == 0, errors);
        var readme = File.ReadAllText(path);
        Assert.DoesNotContain(CardValidator.ValidateReadme(readme), p => p.Severity == CardProblem.Error);
        Assert.Contains("when no template is shared between train and test", readme, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(sample.RunFolder, "model", "model.bin")));
    }

    [Fact]
    public async Task The_local_demo_serves_a_page_and_scores_over_http()
    {
        BaselineModel model;
        await using (var stream = File.OpenRead(Path.Combine(sample.RunFolder, "model.bin")))
        {
            model = BaselineModel.Load(stream);
        }

        await using var server = await DemoServer.StartAsync(model, "Sample", 0);
        Assert.Equal("127.0.0.1", server.Address.Host);
        using var http = new HttpClient { BaseAddress = server.Address };
        var page = await http.GetStringAsync("/");
        Assert.Contains("<textarea id=\"text\"", page, StringComparison.Ordinal);
        Assert.Contains("/api/predict", page, StringComparison.Ordinal);

        var response = await http.PostAsJsonAsync("/api/predict", new { text = "where is my refund" });
        response.EnsureSuccessStatusCode();
        var body = JObject.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("track_refund", (string?)body["label"]);
        var scores = (JArray)body["scores"]!;
        Assert.Equal(16, scores.Count);
        Assert.Equal(1.0, scores.Sum(s => (double)s["score"]!), 6);

        var empty = await http.PostAsJsonAsync("/api/predict", new { text = "" });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        var tooLong = await http.PostAsJsonAsync("/api/predict", new { text = new string('a', DemoServer.MaxTextChars + 1) });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
    }

    private void WriteCompleteCard() =>
        Assert.Equal(0, Capture((o, e) => CardCommand.Run(sample.RunId, sample.Workspace, new CardOptions("apache-2.0", ["en"], "acme/support-tickets", "Jane"), o, e)).Code);

    private (int Code, string Out, string Err) Publish(PublishCommand.Options options, Func<string, string?>? prompt, List<PublishApproval> uploads) =>
        Capture((o, e) => PublishCommand.Run(sample.RunId, sample.Workspace, options, prompt, (approval, _) =>
        {
            uploads.Add(approval);
            return 0;
        }, o, e));

    [Fact]
    public void Cli_publish_never_uploads_without_a_recorded_approval()
    {
        WriteCompleteCard();
        var uploads = new List<PublishApproval>();
        var options = new PublishCommand.Options("acme/tickets-clf", "model", false, false, null, null, false);

        // No approval, --yes without a terminal, a wrong answer at the prompt: refused, nothing uploaded.
        Assert.Equal(2, Publish(options, null, uploads).Code);
        Assert.Equal(2, Publish(options with { Yes = true }, null, uploads).Code);
        Assert.Equal(2, Publish(options with { Yes = true }, _ => "y", uploads).Code);
        Assert.Empty(uploads);

        // A forged approval file (not in run.json) is refused.
        var forged = Path.Combine(sample.Workspace, "forged.json");
        File.WriteAllText(forged, Protocol.ProtocolJson.Write(Protocol.PublishApproval.From(new PublishApproval("feedbeef", "mallory", "forged", DateTimeOffset.UtcNow, "acme/tickets-clf", "model", false, Path.Combine(sample.RunFolder, "model"), "0", 2, 1, "x"))));
        var (code, _, errors) = Publish(options with { ApproveFile = forged }, null, uploads);
        Assert.Equal(2, code);
        Assert.Contains("not recorded", errors, StringComparison.Ordinal);
        Assert.Empty(uploads);

        // Typing the repo id approves; the approval is recorded in run.json and used once.
        (code, var output, errors) = Publish(options with { Yes = true }, _ => "acme/tickets-clf", uploads);
        Assert.True(code == 0, errors);
        var upload = Assert.Single(uploads);
        Assert.Contains("hf upload acme/tickets-clf", output, StringComparison.Ordinal);
        var recorded = Publisher.Recorded(RunContext.Resolve(sample.RunId, sample.Workspace)).Single(a => a.Id == upload.Id);
        Assert.Equal((Environment.UserName, "acme/tickets-clf", false), (recorded.ApprovedBy, recorded.RepoId, recorded.Private));
        Assert.NotNull(recorded.UsedAt);
        Assert.Equal(0, recorded.ExitCode);
        Assert.Equal("succeeded", (string?)JObject.Parse(File.ReadAllText(Path.Combine(sample.RunFolder, "run.json")))["status"]);

        // Reusing that approval is refused.
        var reuse = Path.Combine(sample.Workspace, "reuse.json");
        File.WriteAllText(reuse, Protocol.ProtocolJson.Write(Protocol.PublishApproval.From(recorded)));
        Assert.Equal(2, Publish(options with { ApproveFile = reuse }, null, uploads).Code);
        Assert.Single(uploads);
    }

    [Fact]
    public async Task A_fifo_in_the_folder_to_publish_is_refused_without_being_opened()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        WriteCompleteCard();
        var uploads = new List<PublishApproval>();
        var options = new PublishCommand.Options("acme/tickets-clf", "model", true, true, null, null, false);
        var fifo = Path.Combine(sample.RunFolder, "model", "stream.txt");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync();
        }

        try
        {
            var run = Task.Run(() => Publish(options, _ => "acme/tickets-clf", uploads));
            Assert.True(await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(60))) == run, "the preflight opened the FIFO and waited for a writer");
            var (code, _, errors) = await run;
            Assert.Equal(1, code);
            Assert.Contains("stream.txt: file: not a regular file", errors, StringComparison.Ordinal);
            Assert.Empty(uploads);
        }
        finally
        {
            File.Delete(fifo);
        }
    }

    [Fact]
    public void A_planted_token_or_email_blocks_publishing_even_when_approved()
    {
        WriteCompleteCard();
        var uploads = new List<PublishApproval>();
        var options = new PublishCommand.Options("acme/tickets-clf", "model", true, true, null, null, false);
        var planted = Path.Combine(sample.RunFolder, "model", "notes.txt");
        try
        {
            File.WriteAllText(planted, "HF_TOKEN=hf_abcdefghijklmnopqrstuvwxyzABCDEFGH\n");
            var (code, _, errors) = Publish(options, _ => "acme/tickets-clf", uploads);
            Assert.Equal(1, code);
            Assert.Contains("notes.txt:1: secret: Hugging Face token: hf_…EFGH", errors, StringComparison.Ordinal);
            Assert.DoesNotContain("hf_abcdefghijklmnop", errors, StringComparison.Ordinal);

            File.WriteAllText(planted, "sample: please mail jane.doe@example.com\n");
            (code, _, errors) = Publish(options, _ => "acme/tickets-clf", uploads);
            Assert.Equal(1, code);
            Assert.Contains("notes.txt:1: personal-data", errors, StringComparison.Ordinal);
            Assert.Empty(uploads);
        }
        finally
        {
            File.Delete(planted);
        }
    }

    [Fact]
    public async Task Lsp_evaluate_card_demo_and_publish_with_approval_only()
    {
        await using var client = LspClient.Start();
        await client.InitializeAsync();
        var workspace = new Uri(sample.Workspace).AbsoluteUri;
        var runId = sample.RunId;

        var report = (JObject)(await client.RequestAsync("mlintern/evaluateRun", new { workspaceFolder = workspace, runId }))!;
        ProtocolSamples.Write("evaluateRun", report);
        Assert.True((bool)report["audit"]!["alarm"]!);
        Assert.All(report["slices"]!, s => Assert.Equal((int)s["count"]! >= 5 && (double)s["accuracyGap"]! <= -0.05, (bool)s["weak"]!));
        var missing = await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync("mlintern/evaluateRun", new { workspaceFolder = workspace, runId = "20990101-000000-dead" }));
        Assert.Equal((-32602, "notFound"), (missing.Code, (string?)missing.ErrorData?["reason"]));
        var noRun = await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync("mlintern/evaluateRun", new { workspaceFolder = workspace }));
        Assert.Equal((-32602, "invalidParams"), (noRun.Code, (string?)noRun.ErrorData?["reason"]));

        var validId = (JObject)(await client.RequestAsync("mlintern/checkRepoId", new { repoId = "acme/tickets-clf" }))!;
        ProtocolSamples.Write("checkRepoId", validId);
        Assert.Equal("{\"valid\":true}", validId.ToString(Newtonsoft.Json.Formatting.None));
        var invalidId = (JObject)(await client.RequestAsync("mlintern/checkRepoId", new { repoId = "acme/tickets--clf" }))!;
        ProtocolSamples.Write("checkRepoId-invalid", invalidId);
        Assert.False((bool)invalidId["valid"]!);
        Assert.Contains("--", (string?)invalidId["problem"], StringComparison.Ordinal);
        Assert.False((bool)(await client.RequestAsync("mlintern/checkRepoId", new { repoId = new string('a', 5000) }))!["valid"]!);
        Assert.Equal(-32602, (await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync("mlintern/checkRepoId", new { }))).Code);

        var card = (JObject)(await client.RequestAsync("mlintern/createCard", new { workspaceFolder = workspace, runId, license = "apache-2.0", languages = new[] { "en" }, datasetId = "acme/support-tickets", author = "Jane" }))!;
        ProtocolSamples.Write("createCard", card);
        Assert.True((bool)card["valid"]!, card.ToString());
        Assert.True((bool)card["ready"]!, card.ToString());
        Assert.Empty((JArray)card["unfilled"]!);

        var demo = (JObject)(await client.RequestAsync("mlintern/createDemo", new { workspaceFolder = workspace, runId, modelId = "acme/tickets-clf", license = "apache-2.0" }))!;
        ProtocolSamples.Write("createDemo", demo);
        Assert.Contains(demo["files"]!, f => ((string)f!).EndsWith("app.py", StringComparison.Ordinal));
        Assert.Equal("--serve", (string?)demo["serve"]!["args"]![2]);

        var target = new { workspaceFolder = workspace, runId, repoId = "acme/tickets-space", repoType = "space", @private = true };
        var preflight = (JObject)(await client.RequestAsync("mlintern/preflightPublish", target))!;
        ProtocolSamples.Write("preflightPublish", preflight);
        Assert.True((bool)preflight["passed"]!, preflight.ToString());
        Assert.True((bool)preflight["repoIdValid"]!);
        var blocked = (JObject)(await client.RequestAsync("mlintern/preflightPublish", target with { repoId = "acme/tickets-space.git" }))!;
        ProtocolSamples.Write("preflightPublish-blocked", blocked);
        Assert.Equal((false, false), ((bool)blocked["passed"]!, (bool)blocked["repoIdValid"]!));
        Assert.Contains(blocked["problems"]!, p => (string?)p["kind"] == "repo-id");
        Assert.Equal(["README.md", "app.py", "requirements.txt"], preflight["files"]!.Select(f => (string)f["path"]!));
        var hash = (string)preflight["fileListHash"]!;

        // No token, a made-up token, a stale file list: refused with -32010.
        Assert.Equal(-32010, (await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync("mlintern/startPublish", new { }))).Code);
        Assert.Equal(-32010, (await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync("mlintern/startPublish", new { approvalToken = "0123" }))).Code);
        Assert.Equal(-32010, (await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync("mlintern/approvePublish", new { target.workspaceFolder, target.runId, target.repoId, target.repoType, target.@private, fileListHash = "stale" }))).Code);

        var approved = (JObject)(await client.RequestAsync("mlintern/approvePublish", new { target.workspaceFolder, target.runId, target.repoId, target.repoType, target.@private, fileListHash = hash }))!;
        var token = (string)approved["approvalToken"]!;
        ProtocolSamples.Write("approvePublish", approved);
        Assert.Equal("editor dialog", (string?)approved["approval"]!["via"]);
        Assert.Equal("approved", (string?)approved["approval"]!["status"]);
        var stale = await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync("mlintern/approvePublish", new { target.workspaceFolder, target.runId, target.repoId, target.repoType, target.@private, fileListHash = "stale" }));
        Assert.Equal("refused", (string?)stale.ErrorData?["reason"]);

        // Files changed after approval: the start is refused and the token is spent.
        var extra = Path.Combine(sample.RunFolder, "space", "extra.txt");
        File.WriteAllText(extra, "x");
        Assert.Equal(-32010, (await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync("mlintern/startPublish", new { approvalToken = token }))).Code);
        File.Delete(extra);

        approved = (JObject)(await client.RequestAsync("mlintern/approvePublish", new { target.workspaceFolder, target.runId, target.repoId, target.repoType, target.@private, fileListHash = hash }))!;
        token = (string)approved["approvalToken"]!;
        var started = (JObject)(await client.RequestAsync("mlintern/startPublish", new { approvalToken = token }))!;
        ProtocolSamples.Write("startPublish", started);
        Assert.Equal("hf", (string?)started["command"]);
        Assert.Equal("uploading", (string?)started["approval"]!["status"]);
        Assert.Equal(["upload", "acme/tickets-space", Path.Combine(sample.RunFolder, "space"), "--repo-type", "space", "--commit-message", $"Upload Space from ML Intern run {runId}", "--private"], started["args"]!.Select(a => (string)a!));
        Assert.Equal(-32010, (await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync("mlintern/startPublish", new { approvalToken = token }))).Code);
        var publications = (JArray)JObject.Parse(File.ReadAllText(Path.Combine(sample.RunFolder, "run.json")))["publications"]!;
        Assert.Contains(publications, p => (string?)p["repoId"] == "acme/tickets-space" && p["usedAt"] is not null);

        // The upload task's end is recorded on the approval it used, once; an unknown or unused approval is refused.
        var approvalId = (string)started["approval"]!["id"]!;
        Assert.Equal(-32602, (await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync("mlintern/publishExited", new { workspaceFolder = workspace, runId, approvalId = "nope", exitCode = 0 }))).Code);
        Assert.Equal(-32602, (await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync("mlintern/publishExited", new { workspaceFolder = workspace, runId, approvalId }))).Code);
        var exited = (JObject)(await client.RequestAsync("mlintern/publishExited", new { workspaceFolder = workspace, runId, approvalId, exitCode = 3 }))!;
        ProtocolSamples.Write("publishExited", exited);
        Assert.Equal((true, "failed", 3), ((bool)exited["recorded"]!, (string?)exited["approval"]!["status"], (int?)exited["approval"]!["exitCode"]));
        publications = (JArray)JObject.Parse(File.ReadAllText(Path.Combine(sample.RunFolder, "run.json")))["publications"]!;
        Assert.Equal(3, (int?)publications.Single(p => (string?)p["id"] == approvalId)["exitCode"]);
        Assert.Equal(-32602, (await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync("mlintern/publishExited", new { workspaceFolder = workspace, runId, approvalId, exitCode = 0 }))).Code);
    }
}
