using System.Text;
using MLIntern.Data.Profiling;
using MLIntern.Server.Cli;
using MLIntern.Server.Engine;
using MLIntern.Server.Evaluate;
using MLIntern.Server.Release;
using MLIntern.Server.Runs;
using Newtonsoft.Json;

namespace MLIntern.Server.Tests;

/// <summary>
/// Tokens of every kind the detector knows, planted in the rows of a data set (with no word boundary
/// before them: in URLs, URL-encoded, glued to text), never reach a file or an output: inspect in every
/// format, the baseline's run files, evaluate in every format, the model card and the Space.
/// </summary>
public sealed class SecretRedactionTests
{
    /// <summary>Made-up tokens in each issuer's published format, generated so that none sits in this file.</summary>
    internal static Dictionary<string, string> Tokens()
    {
        var random = new Random(17);
        const string Letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        const string Alnum = Letters + "0123456789";
        string Of(string alphabet, int n) => new([.. Enumerable.Range(0, n).Select(_ => alphabet[random.Next(alphabet.Length)])]);
        var access = "AKIA" + Of("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
        return new()
        {
            ["huggingface"] = "hf_" + Of(Letters, 34),
            ["huggingface-org"] = "api_org_" + Of(Letters, 34),
            ["openai-legacy"] = "sk-" + Of(Alnum, 20) + "T3BlbkFJ" + Of(Alnum, 20),
            ["openai-project"] = "sk-proj-" + Of(Alnum + "_-", 120) + "T3BlbkFJ" + Of(Alnum + "_-", 28),
            ["anthropic"] = "sk-ant-api03-" + Of(Alnum + "_-", 93) + "AA",
            ["github-classic"] = "ghp_" + Of(Alnum, 36),
            ["github-oauth"] = "gho_" + Of(Alnum, 36),
            ["github-server"] = "ghs_" + Of(Alnum, 36),
            ["github-fine-grained"] = "github_pat_" + Of(Alnum, 22) + "_" + Of(Alnum, 59),
            ["aws-access-key-id"] = access,
            ["aws-temporary-key-id"] = "ASIA" + Of("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16),
            ["aws-secret-key"] = Of(Alnum + "/+", 18) + "/" + Of(Alnum, 21),
            ["wandb"] = Of("0123456789abcdef", 40),
        };
    }

    /// <summary>Each token in the ways a row carries one: after `=` and `%3D`, inside a URL, quoted, glued to a word.</summary>
    internal static List<string> PlantedTexts(Dictionary<string, string> t) =>
    [
        $"cannot download the model, my link https://huggingface.co/api/models?token%3D{t["huggingface"]} fails",
        $"login failed with x={t["huggingface"]} please help with my account",
        $"org upload broke, used \"{t["huggingface-org"]}\" for my account",
        $"the invoice api returned 401 for key={t["openai-legacy"]} on my billing page",
        $"billing script uses Authorization: Bearer {t["openai-project"]} and charges twice",
        $"refund bot key{t["anthropic"]} stopped working on my invoice",
        $"shipping tracker clone https://{t["github-classic"]}@github.com/acme/track.git is slow",
        $"package shipping hook token:{t["github-oauth"]} delayed",
        $"delivery status app uses '{t["github-server"]}' and the parcel is late",
        $"courier sync GITHUB_TOKEN={t["github-fine-grained"]} my package is lost",
        $"account export aws_access_key_id={t["aws-access-key-id"]} aws_secret_access_key={t["aws-secret-key"]} locked",
        $"password reset on account, temp creds {t["aws-temporary-key-id"]}",
        $"my account dashboard shows WANDB_API_KEY={t["wandb"]} please reset password",
        $"wandb.login(key=\"{t["wandb"]}\") then my account got locked",
    ];

    private static string WriteDataSet(string workspace, List<string> planted)
    {
        var labels = new[] { "billing", "shipping", "account" };
        var words = new Dictionary<string, string[]>
        {
            ["billing"] = ["invoice", "refund", "charged", "payment", "billing"],
            ["shipping"] = ["package", "delivery", "courier", "parcel", "shipping"],
            ["account"] = ["password", "login", "account", "locked", "profile"],
        };
        var random = new Random(3);
        var csv = new StringBuilder("text,label\n");
        string Quote(string s) => "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        for (var i = 0; i < 240; i++)
        {
            var label = labels[i % 3];
            var w = words[label];
            csv.Append(Quote($"my {w[random.Next(5)]} {w[random.Next(5)]} question number {i} about {w[random.Next(5)]}")).Append(',').Append(label).Append('\n');
        }

        // Every planted row twice (an exact duplicate, and likely on both sides of the split), and once with the other label (a conflict).
        foreach (var text in planted)
        {
            var label = text.Contains("invoice", StringComparison.Ordinal) || text.Contains("billing", StringComparison.Ordinal) || text.Contains("refund", StringComparison.Ordinal) ? "billing"
                : text.Contains("shipping", StringComparison.Ordinal) || text.Contains("package", StringComparison.Ordinal) || text.Contains("parcel", StringComparison.Ordinal) ? "shipping" : "account";
            csv.Append(Quote(text)).Append(',').Append(label).Append('\n');
            csv.Append(Quote(text)).Append(',').Append(label).Append('\n');
            csv.Append(Quote(text)).Append(',').Append(label == "account" ? "billing" : "account").Append('\n');
        }

        var path = Path.Combine(workspace, "tickets.csv");
        File.WriteAllText(path, csv.ToString());
        return path;
    }

    [Fact]
    public void No_planted_token_reaches_any_file_or_output_of_inspect_train_evaluate_card_or_space()
    {
        var tokens = Tokens();
        var workspace = Directory.CreateTempSubdirectory("mlintern-secrets-").FullName;
        try
        {
            var data = WriteDataSet(workspace, PlantedTexts(tokens));
            var outputs = new List<string>();
            int Run(Func<TextWriter, TextWriter, int> action)
            {
                var output = new StringWriter();
                var errors = new StringWriter();
                var code = action(output, errors);
                outputs.Add(output.ToString());
                outputs.Add(errors.ToString());
                return code;
            }

            var reports = Path.Combine(workspace, "reports");
            Directory.CreateDirectory(reports);
            Run((o, e) => InspectCommand.Run(data, "text", Path.Combine(reports, "profile.html"), null, null, o, e));
            Run((o, e) => InspectCommand.Run(data, "json", null, null, null, o, e));
            Run((o, e) => CheckCommand.Run([data], "text", o, e));
            Run((o, e) => CheckCommand.Run([data], "sarif", o, e));

            var train = new StringWriter();
            var trainErrors = new StringWriter();
            var code = TrainCommand.Run(workspace, new PlanOptions { Data = data, TextColumn = "text", LabelColumn = "label" }, new TrainCommand.ApprovalChoice(true, false, false), null, train, trainErrors);
            Assert.True(code == 0, trainErrors.ToString());
            outputs.Add(train.ToString());
            outputs.Add(trainErrors.ToString());
            var runId = Path.GetFileName(train.ToString().TrimEnd().Split('\n')[^1]);

            Run((o, e) => EvaluateCommand.Run(runId, workspace, "text", Path.Combine(reports, "evaluation.html"), new EvaluateOptions(), o, e));
            Run((o, e) => EvaluateCommand.Run(runId, workspace, "json", null, new EvaluateOptions(), o, e));
            Run((o, e) => CardCommand.Run(runId, workspace, new CardOptions("mit", ["en"], "acme/tickets", "Jane"), o, e));
            Run((o, e) => DemoCommand.Write(runId, workspace, "acme/tickets-clf", "mit", null, o, e));

            // What the language server answers for profileDataset is the profile itself, serialised: it redacts what it captures.
            var splits = DataSets.Discover(data);
            var profile = new DatasetProfiler(splits, DataSets.Options(data, null, [], new DataCheckOptions())).Run();
            outputs.Add(JsonConvert.SerializeObject(profile));

            var predictions = Directory.GetFiles(workspace, "predictions.jsonl", SearchOption.AllDirectories);
            Assert.NotEmpty(predictions);
            Assert.NotEmpty(Directory.GetFiles(workspace, "README.md", SearchOption.AllDirectories));
            Assert.NotEmpty(Directory.GetFiles(workspace, "app.py", SearchOption.AllDirectories));

            var written = Directory.GetFiles(workspace, "*", SearchOption.AllDirectories).Where(f => f != data && !f.EndsWith(".bin", StringComparison.Ordinal)).ToList();
            var texts = written.Select(f => (Name: Path.GetRelativePath(workspace, f), Text: File.ReadAllText(f)))
                .Concat(outputs.Select((o, i) => (Name: $"output {i}", Text: o)))
                .ToList();
            var hits = (from t in texts from token in tokens where t.Text.Contains(token.Value, StringComparison.OrdinalIgnoreCase) select $"{t.Name}: {token.Key}").ToList();
            Console.WriteLine($"files written {written.Count}, outputs {outputs.Count}, hits {hits.Count}");
            Assert.True(hits.Count == 0, string.Join("\n", hits));

            // The rows were there to leak: the redacted forms stand where they were.
            Assert.Contains(texts, t => t.Text.Contains("[Hugging Face token: hf_****]", StringComparison.Ordinal));
            Assert.Contains("****]", File.ReadAllText(predictions[0]), StringComparison.Ordinal);
            Assert.True(written.Count >= 10, string.Join("\n", written));
        }
        finally
        {
            Directory.Delete(workspace, recursive: true);
        }
    }
}
