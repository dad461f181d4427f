using System.Text;
using MLIntern.Training.Release;

namespace MLIntern.Training.Tests;

/// <summary>The Gradio Space compiles and its README is valid; the preflight blocks planted secrets and personal data.</summary>
public sealed class ReleaseTests
{
    [Fact]
    public void The_generated_app_compiles_and_its_readme_has_valid_spaces_front_matter()
    {
        var space = GradioSpace.Generate(new SpaceInputs
        {
            Title = "Tickets \"classifier\"",
            ModelId = "acme/tickets-clf",
            License = "apache-2.0",
            Labels = ["a", "b"],
            Examples = ["where is my order?", "it's \\ \"quoted\"\nnew line", "ünïcode ✓"],
        });
        Assert.Empty(space.Unfilled);
        var app = space.Files["app.py"];
        Assert.Contains("gr.Interface(", app, StringComparison.Ordinal);
        Assert.Contains("gr.Label(", app, StringComparison.Ordinal);
        Assert.Contains("api_name=\"predict\"", app, StringComparison.Ordinal);
        Assert.Contains("pipeline(\"text-classification\", model=MODEL_ID, top_k=None)", app, StringComparison.Ordinal);
        Assert.DoesNotContain("gradio", space.Files["requirements.txt"], StringComparison.OrdinalIgnoreCase);
        Assert.Empty(GradioSpace.ValidateReadme(space.Files["README.md"]));

        var folder = Directory.CreateTempSubdirectory("mlintern-space-").FullName;
        try
        {
            var path = Path.Combine(folder, "app.py");
            System.IO.File.WriteAllText(path, app);
            EvaluationTests.RunPython($"import py_compile; py_compile.compile({GradioSpace.PythonString(path)}, cfile={GradioSpace.PythonString(Path.Combine(folder, "app.pyc"))}, doraise=True)", "");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        // An encoder run: sentence-transformers + head.json instead of a pipeline; the app compiles and head.json is JSON Python reads.
        var encoder = GradioSpace.Generate(new SpaceInputs
        {
            Title = "Tickets",
            License = "apache-2.0",
            Labels = ["a", "b"],
            Examples = ["where is my order?"],
            Encoder = new EncoderSpaceHead("sentence-transformers/all-MiniLM-L6-v2", "apache-2.0", ["a", "\"b\""], [[0.5f, -1e-7f, 3f], [1f, 2f, float.Epsilon]], [0.25f, -0.25f], true),
        });
        Assert.Empty(encoder.Unfilled);
        Assert.Equal(["README.md", "app.py", "head.json", "requirements.txt"], encoder.Files.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("SentenceTransformer(HEAD[\"encoder\"])", encoder.Files["app.py"], StringComparison.Ordinal);
        Assert.Contains("scores can differ from the run's evaluation", encoder.Files["README.md"], StringComparison.Ordinal);
        Assert.Empty(GradioSpace.ValidateReadme(encoder.Files["README.md"]));
        folder = Directory.CreateTempSubdirectory("mlintern-space-").FullName;
        try
        {
            var path = Path.Combine(folder, "app.py");
            var head = Path.Combine(folder, "head.json");
            System.IO.File.WriteAllText(path, encoder.Files["app.py"]);
            System.IO.File.WriteAllText(head, encoder.Files["head.json"]);
            EvaluationTests.RunPython($"import py_compile; py_compile.compile({GradioSpace.PythonString(path)}, cfile={GradioSpace.PythonString(Path.Combine(folder, "app.pyc"))}, doraise=True)", "");
            var read = EvaluationTests.RunPython($"import json; h = json.load(open({GradioSpace.PythonString(head)})); print(h['labels'][1], h['weights'][0][1], h['biases'][1], len(h['weights'][1]))", "");
            Assert.Equal("\"b\" -1E-07 -0.25 3", read.Trim().Replace("e-07", "E-07", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        var bare = GradioSpace.Generate(new SpaceInputs { Title = "t" });
        Assert.Equal(["models", "license"], bare.Unfilled);
        Assert.Contains(GradioSpace.ValidateReadme(bare.Files["README.md"]), p => p.Field == "models");
    }

    private static UploadFile File(string path, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return new UploadFile(path, bytes.Length, bytes, Preflight.Sha256(bytes));
    }

    private static readonly string ValidCard = ModelCard.Generate(new CardInputs
    {
        ModelName = "m",
        RunId = "20260101-120000-ab12",
        Kind = "script",
        BaseModel = "distilbert-base-uncased",
        License = "mit",
        Languages = ["en"],
        DatasetId = "acme/tickets",
        DatasetName = "tickets",
        Author = "Jane",
        Accuracy = 0.9,
        MacroF1 = 0.8,
        Hours = 0.01,
        HardwareName = "cpu",
    }).Readme;

    [Fact]
    public void Redacting_secrets_keeps_the_code_around_them()
    {
        var text = "HF = \"hf_abcdefghijklmnopqrstuvwxyzABCDEFGH\"\nclient = OpenAI(api_key=\"sk-proj-0123456789abcdefghijklmn\")\npassword = 'correct-horse-battery'\nlr = 5e-5  # not a secret\n";
        var redacted = Preflight.RedactSecrets(text);
        Assert.Equal("HF = \"[Hugging Face token: hf_****]\"\nclient = OpenAI(api_key=\"[OpenAI API key: sk-****]\")\npassword = '[hard-coded key, token or password: ****]'\nlr = 5e-5  # not a secret\n", redacted);
        Assert.Equal("x = 1\n", Preflight.RedactSecrets("x = 1\n"));
    }

    [Fact]
    public void A_clean_folder_passes_and_the_hash_covers_every_byte()
    {
        UploadFile[] files = [File("README.md", ValidCard), File("config.json", "{\"id2label\": {\"0\": \"a\"}}"), new UploadFile("model.safetensors", 3, [0, 1, 0], Preflight.Sha256([0, 1, 0]))];
        var report = Preflight.Check("acme/tickets-clf", Preflight.ModelType, false, "/m", files, ["20260101-120000-ab12"]);
        Assert.True(report.Passed, string.Join("\n", report.Problems));
        Assert.Equal(3, report.Files.Count);
        var changed = Preflight.Check("acme/tickets-clf", Preflight.ModelType, false, "/m", [files[0], File("config.json", "{\"id2label\": {\"0\": \"b\"}}"), files[2]], ["20260101-120000-ab12"]);
        Assert.NotEqual(report.FileListHash, changed.FileListHash);
    }

    [Theory]
    [InlineData("config.json", "{\"token\": \"hf_abcdefghijklmnopqrstuvwxyzABCDEFGH\"}", "secret")]
    [InlineData("app.py", "client = OpenAI(api_key=\"sk-proj-abcdefghijklmnopqrstuvwx\")", "secret")]
    [InlineData("notes.txt", "-----BEGIN OPENSSH PRIVATE KEY-----", "secret")]
    [InlineData("settings.py", "PASSWORD = 'correct-horse-battery'", "secret")]
    [InlineData("samples.jsonl", "{\"text\": \"mail me at jane.doe@example.com\"}", "personal-data")]
    [InlineData("samples.jsonl", "{\"text\": \"call +1 415 555 0134 now\"}", "personal-data")]
    public void Planted_secrets_and_personal_data_block_the_preflight(string path, string content, string kind)
    {
        var report = Preflight.Check("acme/tickets-clf", Preflight.ModelType, true, "/m", [File("README.md", ValidCard), File(path, content)], ["20260101-120000-ab12"]);
        Assert.False(report.Passed);
        var problem = Assert.Single(report.Problems);
        Assert.Equal((kind, path, 1), (problem.Kind, problem.File, problem.Line));
        Assert.DoesNotContain("abcdefghijklmnopqrstuvwx", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("jane.doe", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("acme/tickets-clf", true)]
    [InlineData("tickets-clf", false)]
    [InlineData("acme/../etc", false)]
    [InlineData("acme/tick ets", false)]
    [InlineData("acme/a--b", false)]
    [InlineData("-acme/x", false)]
    [InlineData("Acme_AI/bert-base.v2", true)]
    [InlineData("_acme/x_", true)]
    [InlineData("acme/x.", false)]
    [InlineData("acme/x-", false)]
    [InlineData("acme/.x", false)]
    [InlineData("acme/model.git", false)]
    [InlineData("acme/model.GIT", false)]
    [InlineData("acme/a..b", false)]
    [InlineData("acme/x/y", false)]
    [InlineData("acme/", false)]
    [InlineData("/x", false)]
    [InlineData("", false)]
    [InlineData("acme/modèle", false)]
    [InlineData("acme/x\0", false)]
    [InlineData("acme/x\n", false)]
    public void Repo_ids_are_checked(string repoId, bool valid) => Assert.Equal(valid, Preflight.IsRepoId(repoId));

    [Fact]
    public void Repo_id_sides_take_at_most_96_characters()
    {
        Assert.True(Preflight.IsRepoId(new string('a', 96) + "/" + new string('b', 96)));
        Assert.Contains("97 characters", Preflight.RepoIdProblem("acme/" + new string('b', 97)), StringComparison.Ordinal);
        Assert.Contains("owner", Preflight.RepoIdProblem(new string('a', 97) + "/x"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_card_with_unfilled_fields_or_no_card_blocks_the_preflight()
    {
        var unfilled = ModelCard.Generate(new CardInputs { ModelName = "m", RunId = "r", Kind = "baseline", DatasetName = "d", Accuracy = 1, MacroF1 = 1 }).Readme;
        Assert.Contains(Preflight.Check("acme/x", Preflight.ModelType, false, "/m", [File("README.md", unfilled)]).Problems, p => p.Kind == "card" && p.Message.Contains("unfilled: license", StringComparison.Ordinal));

        // The validator marks the problems that only say a field is unfilled, and no other.
        var problems = CardValidator.ValidateReadme(unfilled);
        var license = Assert.Single(problems, p => p.Unfilled && p.Field == "license");
        Assert.Equal(CardProblem.Error, license.Severity);
        Assert.All(problems.Where(p => !p.Message.StartsWith("unfilled:", StringComparison.Ordinal)), p => Assert.False(p.Unfilled, p.Message));
        Assert.Contains(Preflight.Check("acme/x", Preflight.ModelType, false, "/m", [File("model.bin", "x")]).Problems, p => p.Kind == "card");
        Assert.Contains(Preflight.Check("acme/x", "dataset", false, "/m", [File("README.md", ValidCard)]).Problems, p => p.Kind == "repo-type");
    }

    [Fact]
    public void The_upload_command_is_hf_upload_with_quoted_arguments()
    {
        var approval = new PublishApproval("id", "jane", "editor dialog", DateTimeOffset.UnixEpoch, "acme/x", "space", true, "/runs/r 1/space", "h", 3, 10, "Upload Space from ML Intern run r");
        Assert.Equal("hf upload acme/x '/runs/r 1/space' --repo-type space --commit-message 'Upload Space from ML Intern run r' --private", UploadCommand.Line(approval));
    }
}
