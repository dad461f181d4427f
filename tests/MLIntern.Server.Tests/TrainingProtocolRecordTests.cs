using MLIntern.Server.Assist;
using MLIntern.Server.Cli;
using MLIntern.Server.Runs;
using MLIntern.Server.Samples;
using MLIntern.Server.State;
using MLIntern.Training.Launch;
using MLIntern.Training.Metrics;
using MLIntern.Training.Plans;
using MLIntern.Training.Release;
using MLIntern.Training.Runs;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Wire = MLIntern.Server.Protocol;

namespace MLIntern.Server.Tests;

/// <summary>
/// The training family's protocol records against the JSON the handlers built before them
/// (JObject.FromObject of the core records, JObject literals): the same names and values, so the
/// extension reads what it always read; only the fields the records add differ. And the decisions
/// the answers now carry: the step count, the approval dialog, whether a run is final.
/// </summary>
public sealed class TrainingProtocolRecordTests
{
    private static readonly JsonSerializer DiskSerializer = JsonSerializer.Create(WorkspaceStore.Json);

    private static readonly DateTimeOffset At = new(2026, 12, 4, 21, 0, 0, TimeSpan.Zero);

    private static TrainingPlan Plan(bool smoke = false, ComputeEstimate? estimate = null, IReadOnlyList<string>? overBudget = null, Dictionary<string, string>? hyperparameters = null) => new TrainingPlan(
        PlanKind.Script,
        "Fine-tune distilbert-base-uncased on tickets.csv",
        "/w/train.py",
        "/w/data/tickets.csv",
        "text",
        "intent",
        16,
        "distilbert-base-uncased",
        66_955_010,
        "table",
        hyperparameters ?? new Dictionary<string, string> { ["per_device_train_batch_size"] = "16", ["num_train_epochs"] = "3" },
        new TokenEstimate(1000, 200, 42.5, 128, 3, 127_500, 8_500, "profile"),
        estimate ?? new ComputeEstimate(true, null, 5.12e15, "6 × N × tokens", "cpu", "CPU (8 cores)", 1e11, 0.014, 0.5, 0.007),
        new Budget(4, 10),
        overBudget ?? [],
        new MLIntern.Training.Launch.LaunchCommand("python3", ["train.py", "--output_dir", "out dir"], "/w", new SortedDictionary<string, string>(StringComparer.Ordinal) { ["HF_HOME"] = "/cache" }),
        smoke).Sealed();

    private static RunRecord Run(string status) => new(
        "20261204-210000-abcd",
        "script",
        "Fine-tune distilbert-base-uncased on tickets.csv",
        Plan().Command,
        Plan().Command.CommandLine,
        new PlanReference(Plan().Id, Plan().Hash, "/w/.mlintern/plans/x.json", 5.12e15, 0.014, null, false, true),
        new Approval("alice", Plan().Id, Plan().Hash, 0.014, null, At, "editor dialog", AcceptedUnknownEstimate: true),
        status,
        At,
        StartedAt: At.AddSeconds(2),
        EndedAt: status == RunStatus.Running ? null : At.AddMinutes(3),
        ExitCode: status == RunStatus.Running ? null : 2,
        Smoke: true,
        Error: status == RunStatus.Failed ? "exit code 2" : null,
        Publications: [new PublishApproval("pub-1", "alice", "editor dialog", At, "alice/tickets", "model", true, "/w/out", "abc123", 4, 1234, "Upload tickets model", UsedAt: At.AddHours(1))]);

    /// <summary>The JSON as a client received it: null members are absent (the old JObject literals sent some as null; the extension treats both alike).</summary>
    private static JToken Received(JToken token)
    {
        var copy = token.DeepClone();
        foreach (var empty in copy.SelectTokens("$..*").Where(t => t.Type == JTokenType.Null).ToList())
        {
            if (empty.Parent is JProperty property)
            {
                property.Remove();
            }
        }

        return copy;
    }

    private static JObject New(object record, params string[] added)
    {
        var json = JObject.Parse(Wire.ProtocolJson.Write(record));
        foreach (var path in added)
        {
            Assert.NotNull(json.SelectToken(path));
            json.SelectToken(path)!.Parent!.Remove();
        }

        return json;
    }

    private static void SameJson(JToken old, JToken @new) =>
        Assert.True(JToken.DeepEquals(Received(old), @new), $"old:\n{Received(old)}\nnew:\n{@new}");

    /// <summary>How `mlintern inspect --format json` wrote a profile before it wrote the protocol record.</summary>
    private static readonly Newtonsoft.Json.JsonSerializerSettings OldInspectSettings = new()
    {
        ContractResolver = new Newtonsoft.Json.Serialization.DefaultContractResolver { NamingStrategy = new Newtonsoft.Json.Serialization.CamelCaseNamingStrategy() },
        Converters = { new Newtonsoft.Json.Converters.StringEnumConverter(new Newtonsoft.Json.Serialization.CamelCaseNamingStrategy()) },
    };

    [Fact]
    public void A_plan_serializes_as_plan_json_did()
    {
        var plan = Plan();
        SameJson(JObject.FromObject(plan, DiskSerializer), New(Wire.TrainingPlan.From(plan)));
        Assert.Equal("script", (string?)New(Wire.TrainingPlan.From(plan))["kind"]);
    }

    [Fact]
    public void An_approval_a_run_and_metric_points_serialize_as_before_plus_final()
    {
        var run = Run(RunStatus.Failed);
        SameJson(JObject.FromObject(run.Approval, DiskSerializer), New(Wire.Approval.From(run.Approval)));
        SameJson(JObject.FromObject(run, DiskSerializer), New(Wire.RunRecord.From(run), "final"));

        var points = new List<MetricPoint> { new(10, 0.5, "train", new Dictionary<string, double> { ["loss"] = 1.25, ["learning_rate"] = 5e-5 }), new(null, null, "test", new Dictionary<string, double> { ["macro_f1"] = 0.8912 }) };
        SameJson(JArray.FromObject(points, DiskSerializer), JArray.Parse(Wire.ProtocolJson.Write(Wire.MetricPoint.From(points))));
    }

    [Fact]
    public void A_run_summary_has_the_old_literals_names_plus_final()
    {
        var run = Run(RunStatus.Running);
        var old = new JObject
        {
            ["id"] = run.Id,
            ["title"] = run.Title,
            ["kind"] = run.Kind,
            ["status"] = run.Status,
            ["smoke"] = run.Smoke,
            ["createdAt"] = run.CreatedAt,
            ["startedAt"] = run.StartedAt,
            ["endedAt"] = run.EndedAt,
            ["exitCode"] = run.ExitCode,
            ["planId"] = run.Plan.Id,
            ["runDir"] = "/w/.mlintern/runs/" + run.Id,
        };
        SameJson(JObject.Parse(old.ToString(Formatting.None)), New(Wire.RunSummary.From(run, "/w/.mlintern/runs/" + run.Id), "final"));
    }

    [Theory]
    [InlineData(RunStatus.Approved, false)]
    [InlineData(RunStatus.Running, false)]
    [InlineData(RunStatus.Succeeded, true)]
    [InlineData(RunStatus.Failed, true)]
    [InlineData(RunStatus.Cancelled, true)]
    public void A_run_says_whether_its_status_is_final(string status, bool final)
    {
        Assert.Equal(final, Wire.RunRecord.From(Run(status)).Final);
        Assert.Equal(final, Wire.RunSummary.From(Run(status), "/w").Final);
    }

    [Fact]
    public void A_profile_serializes_as_inspect_json_did()
    {
        var dir = Directory.CreateTempSubdirectory("mlintern-wire-").FullName;
        try
        {
            foreach (var (relative, content) in SupportTickets.Generate().Files)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(dir, relative))!);
                File.WriteAllText(Path.Combine(dir, relative), content);
            }

            var path = Path.Combine(dir, SupportTickets.DataPath);
            var profile = Engine.FileChecks.Datasets.GetProfile(path, null)!;
            var old = JObject.FromObject(profile, JsonSerializer.Create(OldInspectSettings));
            old["path"] = path;
            old["version"] = "v1";
            Assert.Contains(profile.Checks, c => c.Count > 0 && c.Examples.Count > 0);
            var wire = Wire.DatasetProfile.From(profile, path, "v1");

            // The readers' findings (MLD012) were C# tuples on the wire ({item1, item2}); no client read
            // them. They are now flat: the file, the code, the severity, the message and the line.
            var malformed = Assert.Single(profile.Checks, c => c.FileFindings.Count > 0).FileFindings[0];
            var flat = wire.Checks.Single(c => c.FileFindings.Count > 0).FileFindings[0];
            Assert.Equal(new Wire.FileFinding(path, "MLD012", Wire.Severity.Error, malformed.Finding.Message, malformed.Finding.Range.Line), flat);
            foreach (var check in old["checks"]!)
            {
                check["fileFindings"]!.Parent!.Remove();
            }

            SameJson(old, New(wire, [.. wire.Checks.Select((_, i) => $"checks[{i}].fileFindings")]));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_proposal_without_an_edit_is_display_only_as_the_old_answer_said()
    {
        var proposal = new FixProposal("rules", "MLI501: no automatic fix", "MLI501", Applicability.DisplayOnly, "why", []);
        var old = JObject.FromObject(new { provider = "rules", title = proposal.Title, code = "MLI501", applicability = "display-only", explanation = "why" });
        SameJson(old, New(Wire.FixProposal.From(proposal, null)));

        // A proposal that claims to be safe but carries no edit can only be read.
        Assert.Equal(Wire.FixApplicability.DisplayOnly, Wire.FixProposal.From(proposal with { Applicability = Applicability.Safe }, null).Applicability);
    }

    [Fact]
    public void Proposals_are_listed_safe_then_unsafe_then_explanations_in_provider_order()
    {
        var edit = new MLIntern.Server.Lsp.Protocol.WorkspaceEdit();
        Wire.FixProposal P(string title, Applicability a) => Wire.FixProposal.From(new FixProposal("p", title, null, a, "", []), a == Applicability.DisplayOnly ? null : edit);
        var ordered = Wire.FixProposal.Ordered([P("read", Applicability.DisplayOnly), P("unsafe", Applicability.Unsafe), P("safe 1", Applicability.Safe), P("safe 2", Applicability.Safe)]);
        Assert.Equal(["safe 1", "safe 2", "unsafe", "read"], ordered.Select(p => p.Title));
    }

    [Fact]
    public void Steps_are_counted_from_max_steps_or_rows_batch_and_epochs()
    {
        Assert.Equal(new StepEstimate(189, "189 (1,000 rows / batch 16 × 3 epochs)"), ApprovalPrompts.Steps(Plan()));
        Assert.Equal(new StepEstimate(1500, "1,500 (max_steps)"), ApprovalPrompts.Steps(Plan(hyperparameters: new() { ["max_steps"] = "1500", ["per_device_train_batch_size"] = "16" })));
        Assert.Equal(new StepEstimate(null, "at most 20 epochs over the data"), ApprovalPrompts.Steps(Plan(hyperparameters: new() { ["epochs (at most)"] = "20" })));
        Assert.Equal(new StepEstimate(null, "3 epochs over 1,000 rows (batch size unknown)"), ApprovalPrompts.Steps(Plan(hyperparameters: [])));
    }

    [Fact]
    public void A_plan_within_budget_asks_a_plain_question_with_its_figures()
    {
        var plan = Plan();
        var prompt = ApprovalPrompts.For(plan);
        Assert.False(prompt.Warning);
        Assert.Equal(("Run Fine-tune distilbert-base-uncased on tickets.csv?", ApprovalPrompts.ApproveAction, false, false), (prompt.Message, prompt.Action, prompt.AcceptOverBudget, prompt.AcceptUnknownEstimate));
        Assert.Equal(
            [
                "Script: /w/train.py",
                "Data: /w/data/tickets.csv (text text, label intent, 16 classes)",
                "Model: distilbert-base-uncased (66,955,010 parameters)",
                "Steps: 189 (1,000 rows / batch 16 × 3 epochs)",
                "FLOPs: 5.12e15",
                "Time: 50.4 s on CPU (8 cores)",
                "Cost: $0.01 at $0.50/h",
                "Budget: 4 h, $10.00 (mlintern.compute.maxHours / maxCostUsd)",
            ],
            prompt.FigureLines);
        Assert.Equal(string.Join('\n', [.. prompt.FigureLines, "", $"Plan {plan.Id}. Nothing runs unless you choose \"Approve and Run\"; your approval is recorded in the run's run.json."]), prompt.Detail);
    }

    [Fact]
    public void Over_budget_with_an_unknown_estimate_warns_of_both_and_its_button_overrides_both()
    {
        var unknown = new ComputeEstimate(false, "the model's size is unknown", null, "6 × N × tokens", "cpu", "CPU (8 cores)", 1e11, null, 0.5, null);
        var prompt = ApprovalPrompts.For(Plan(smoke: true, estimate: unknown, overBudget: ["10 h > 4 h"]));
        Assert.True(prompt.Warning);
        Assert.Equal(("Over budget, and the estimate is unknown: Smoke test: Fine-tune distilbert-base-uncased on tickets.csv", ApprovalPrompts.OverrideBothAction, true, true), (prompt.Message, prompt.Action, prompt.AcceptOverBudget, prompt.AcceptUnknownEstimate));
        var detail = prompt.Detail.Split('\n');
        Assert.Equal("MLI602 — over budget: 10 h > 4 h. Running it needs your explicit override.", detail[0]);
        Assert.Equal("Estimate unknown: the model's size is unknown. Running it needs your explicit override.", detail[1]);
        Assert.Equal(("", ApprovalPrompts.SmokeLine), (detail[2], detail[3]));
        Assert.Contains("FLOPs: unknown", detail);
        Assert.Contains("Time: unknown on CPU (8 cores)", detail);
    }

    [Fact]
    public void Only_an_unknown_estimate_names_that_override_alone()
    {
        var unknown = new ComputeEstimate(false, null, null, "f", "cpu", "CPU", 1, null, 0, null);
        var prompt = ApprovalPrompts.For(Plan(estimate: unknown));
        Assert.Equal(("The compute estimate is unknown: Fine-tune distilbert-base-uncased on tickets.csv", ApprovalPrompts.OverrideUnknownAction, false, true), (prompt.Message, prompt.Action, prompt.AcceptOverBudget, prompt.AcceptUnknownEstimate));
        Assert.StartsWith("Estimate unknown: a figure it needs is missing.", prompt.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_json_is_read_for_the_panel_with_weak_classes_marked()
    {
        var eval = JObject.Parse("""
            {"accuracy": 0.9, "macro_f1": 0.8833, "split": "stratified 20% split, seed 42", "test_rows": 10,
             "per_class": {"billing": {"precision": 1, "recall": 0.8, "f1": 0.888889, "support": 5}, "<b>x</b>": {"precision": 0, "recall": 0, "f1": 0, "support": 0}},
             "confusion_matrix": {"labels": ["billing", "<b>x</b>"], "matrix": [[4, 1], [0, 0]]}}
            """);
        var read = Wire.RunEvaluation.From(eval)!;
        Assert.Equal((0.9, 0.8833, "stratified 20% split, seed 42", 10.0), (read.Accuracy, read.MacroF1, read.Split, read.TestRows));
        Assert.Equal([new Wire.ClassScores("billing", 1, 0.8, 0.888889, 5, false), new Wire.ClassScores("<b>x</b>", 0, 0, 0, 0, true)], read.PerClass);
        Assert.Equal(["billing", "<b>x</b>"], read.Confusion!.Labels);
        Assert.Equal([4.0, 1.0], read.Confusion.Matrix[0]);

        // A script's eval.json without any of those figures is not an evaluation; a ragged matrix is left out.
        Assert.Null(Wire.RunEvaluation.From(JObject.Parse("""{"hello": 1}""")));
        Assert.Null(Wire.RunEvaluation.From(JObject.Parse("""{"accuracy": 1, "confusion_matrix": {"labels": ["a", "b"], "matrix": [[1]]}}"""))!.Confusion);
        Assert.Null(Wire.RunEvaluation.From(null));
    }

    [Theory]
    [InlineData(0.001, "3.6 s")]
    [InlineData(0.00001, "0.1 s")]
    [InlineData(0.5, "30 min")]
    [InlineData(2.5, "2.5 h")]
    public void Hours_read_as_seconds_minutes_or_hours(double hours, string text) => Assert.Equal(text, ApprovalPrompts.Hours(hours));
}
