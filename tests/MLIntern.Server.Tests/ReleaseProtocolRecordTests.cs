using MLIntern.Server.Evaluate;
using MLIntern.Server.Protocol;
using MLIntern.Server.Release;
using MLIntern.Server.State;
using MLIntern.Training.Evaluation;
using MLIntern.Training.Release;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Wire = MLIntern.Server.Protocol;

namespace MLIntern.Server.Tests;

/// <summary>
/// The release family's protocol records say on the wire what the handlers said before them
/// (JObject.FromObject of the core records, or JObject literals), except the fields they add; and
/// the decisions they carry (weak slices, repo-id validity, publish status) follow the sidecar's one rule.
/// </summary>
public sealed class ReleaseProtocolRecordTests(SampleRunFixture sample) : IClassFixture<SampleRunFixture>
{
    /// <summary>How the handlers serialized core records before the contract.</summary>
    private static JObject OldWay(object core) => Parse(JObject.FromObject(core, JsonSerializer.Create(WorkspaceStore.Json)).ToString(Formatting.None));

    private static JObject NewWay(object record) => Parse(ProtocolJson.Write(record));

    /// <summary>Both sides read back as a client reads them: dates stay strings, so only the text is compared.</summary>
    private static JObject Parse(string json) => JsonConvert.DeserializeObject<JObject>(json, new JsonSerializerSettings { DateParseHandling = DateParseHandling.None })!;

    private static void AssertSameJson(JToken expected, JToken actual) =>
        Assert.True(JToken.DeepEquals(expected, actual), $"expected\n{expected}\nbut the record wrote\n{actual}");

    private static JObject Without(JObject json, params string[] names)
    {
        var copy = (JObject)json.DeepClone();
        foreach (var name in names)
        {
            Assert.True(copy.Remove(name), $"'{name}' is not in the record's JSON");
        }

        return copy;
    }

    [Fact]
    public void The_evaluation_report_record_writes_what_the_core_report_wrote()
    {
        var core = RunEvaluator.Evaluate(RunContext.Resolve(sample.RunId, sample.Workspace), new EvaluateOptions(Audit: true));
        Assert.NotNull(core.Audit?.Templates);
        Assert.NotNull(core.Calibration);
        Assert.NotEmpty(core.Slices);
        AssertSameJson(OldWay(core), NewWay(Wire.EvaluationReport.From(core)));
    }

    [Fact]
    public void Mistakes_with_scores_keep_their_confidence_and_the_calibration_its_bins()
    {
        var source = new MLIntern.Training.Evaluation.EvaluationSource("r", "/runs/r", "data.csv", "text", "label", null, 3, 1);
        var rows = new[]
        {
            new EvaluatedRow("refund please", "refund", "refund", new Dictionary<string, double> { ["refund"] = 0.9, ["order"] = 0.1 }),
            new EvaluatedRow("where is it", "order", "refund", new Dictionary<string, double> { ["refund"] = 0.7, ["order"] = 0.3 }),
            new EvaluatedRow("my order", "order", "order", new Dictionary<string, double> { ["refund"] = 0.2, ["order"] = 0.8 }),
        };
        var core = MLIntern.Training.Evaluation.EvaluationReport.Build(source, rows);
        Assert.Contains(core.Misclassified, m => m.Confidence is not null);
        Assert.NotNull(core.Calibration);
        AssertSameJson(OldWay(core), NewWay(Wire.EvaluationReport.From(core)));
    }

    [Fact]
    public void Optional_parts_of_the_report_are_left_out_not_null()
    {
        var source = new MLIntern.Training.Evaluation.EvaluationSource(null, "/runs/r", null, null, null, null, 2, 0);
        var rows = new[] { new EvaluatedRow("a", "x", "x", new Dictionary<string, double>()), new EvaluatedRow("b", "y", "x", new Dictionary<string, double>()) };
        var core = MLIntern.Training.Evaluation.EvaluationReport.Build(source, rows);
        var json = NewWay(Wire.EvaluationReport.From(core));
        AssertSameJson(OldWay(core), json);
        Assert.False(json.ContainsKey("calibration"));
        Assert.False(json.ContainsKey("audit"));
        Assert.False(((JObject)json["source"]!).ContainsKey("runId"));
        Assert.False(((JObject)json["misclassified"]![0]!).ContainsKey("confidence"));
    }

    [Theory]
    [InlineData(5, -0.05, true)]
    [InlineData(40, -0.30, true)]
    [InlineData(4, -0.50, false)]
    [InlineData(5, -0.049, false)]
    [InlineData(100, 0.02, false)]
    public void A_slice_is_weak_by_one_rule_and_the_answer_says_so(int count, double gap, bool weak)
    {
        var slice = new MLIntern.Training.Evaluation.FailureSlice("length", "1-5 words", count, count / 2, 0.5, 0.5, gap);
        Assert.Equal(weak, slice.Weak);
        Assert.Equal(weak, (bool)NewWay(Wire.FailureSlice.From(slice))["weak"]!);
    }

    [Fact]
    public void The_text_report_lists_exactly_the_weak_slices()
    {
        var core = RunEvaluator.Evaluate(RunContext.Resolve(sample.RunId, sample.Workspace), new EvaluateOptions(Audit: false));
        var slices = new MLIntern.Training.Evaluation.FailureSlice[]
        {
            new("length", "weak one", 10, 5, 0.5, 0.5, -0.4),
            new("length", "too few rows", 3, 3, 0.0, 0.0, -0.9),
            new("length", "barely below", 50, 3, 0.94, 0.9, -0.01),
        };
        var text = ReportWriters.Text(core with { Slices = slices });
        Assert.Contains("Weakest slices:", text, StringComparison.Ordinal);
        Assert.Contains("length weak one", text, StringComparison.Ordinal);
        Assert.DoesNotContain("too few rows", text, StringComparison.Ordinal);
        Assert.DoesNotContain("barely below", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_preflight_record_writes_what_the_core_report_wrote_plus_repo_id_validity()
    {
        var run = RunContext.Resolve(sample.RunId, sample.Workspace);
        foreach (var repoId in new[] { "acme/tickets-clf", "acme/tickets.git" })
        {
            var core = Publisher.Check(new PublishTarget(run, repoId, Preflight.ModelType, false));
            var json = NewWay(Wire.PreflightReport.From(core));
            AssertSameJson(OldWay(core), Without(json, "repoIdValid"));
            Assert.Equal(Preflight.IsRepoId(repoId), (bool)json["repoIdValid"]!);
            Assert.Equal(core.Passed, (bool)json["passed"]!);
        }

        var refused = Wire.PreflightReport.From(Publisher.Check(new PublishTarget(run, "acme/tickets.git", Preflight.ModelType, false)));
        Assert.False(refused.RepoIdValid);
        Assert.False(refused.Passed);
        Assert.Contains(refused.Problems, p => p.Kind == Preflight.RepoIdKind && p.Message.Contains(".git", StringComparison.Ordinal));
    }

    [Fact]
    public void Preflight_problems_and_card_warnings_keep_their_fields()
    {
        var core = new MLIntern.Training.Release.PreflightReport(
            "acme/x", "model", true, "/m", [new("README.md", 10), new("notes.txt", 4)], 14,
            [new("secret", "Hugging Face token: hf_a… (37 characters)", "notes.txt", 3), new("files", "no files")],
            [new(MLIntern.Training.Release.CardProblem.Warning, "datasets", "no dataset named")],
            "abc");
        AssertSameJson(OldWay(core), Without(NewWay(Wire.PreflightReport.From(core)), "repoIdValid"));
    }

    [Theory]
    [InlineData(null, null, "approved")]
    [InlineData("2026-01-02T03:04:05+00:00", null, "uploading")]
    [InlineData("2026-01-02T03:04:05+00:00", 0, "published")]
    [InlineData("2026-01-02T03:04:05+00:00", 3, "failed")]
    public void The_approval_record_writes_what_run_json_holds_plus_its_status(string? usedAt, int? exitCode, string status)
    {
        var core = new MLIntern.Training.Release.PublishApproval("feedbeef", "jane", "editor dialog", new DateTimeOffset(2026, 1, 2, 3, 0, 0, TimeSpan.Zero), "acme/x", "space", true, "/r/space", "hash", 3, 1234, "Upload", usedAt is null ? null : DateTimeOffset.Parse(usedAt, System.Globalization.CultureInfo.InvariantCulture), exitCode);
        var json = NewWay(Wire.PublishApproval.From(core));
        AssertSameJson(OldWay(core), Without(json, "status"));
        Assert.Equal(status, (string?)json["status"]);
    }

    [Fact]
    public void The_card_record_writes_the_old_literal_plus_ready_and_which_problems_are_unfilled_fields()
    {
        var problems = new[] { new MLIntern.Training.Release.CardProblem("warning", "datasets", "no dataset"), new MLIntern.Training.Release.CardProblem("error", "license", "unfilled: license", Unfilled: true) };
        foreach (var (core, ready) in new[]
        {
            (new MLIntern.Server.Release.CardResult("/r/model/README.md", "/r/model", ["license"], problems), false),
            (new MLIntern.Server.Release.CardResult("/r/model/README.md", "/r/model", [], [problems[0]]), true),
        })
        {
            // The JObject the handler built before the contract.
            var old = new JObject
            {
                ["path"] = core.Path,
                ["modelFolder"] = core.ModelFolder,
                ["unfilled"] = new JArray(core.Unfilled),
                ["problems"] = new JArray(core.Problems.Select(p => new JObject { ["severity"] = p.Severity, ["field"] = p.Field, ["message"] = p.Message })),
                ["valid"] = core.Problems.All(p => p.Severity != MLIntern.Training.Release.CardProblem.Error),
            };
            var json = NewWay(Wire.CardResult.From(core));
            Assert.Equal(core.Problems.Select(p => p.Unfilled), json["problems"]!.Select(p => (bool)p["unfilled"]!));
            foreach (var problem in json["problems"]!.Cast<JObject>())
            {
                problem.Remove("unfilled");
            }

            AssertSameJson(old, Without(json, "ready"));
            Assert.Equal(ready, (bool)json["ready"]!);
        }
    }

    [Fact]
    public void Repo_id_checks_answer_valid_or_a_reason()
    {
        Assert.Equal(new RepoIdCheck(true, null), RepoIdCheck.Of("acme/ticket-intent"));
        Assert.Equal("{\"valid\":true}", ProtocolJson.Write(RepoIdCheck.Of("acme/ticket-intent")));
        foreach (var bad in new[] { "ticket-intent", "acme/x--y", "acme/x.", "acme/x.git", "acme/a/b", "acme/ü" })
        {
            var check = RepoIdCheck.Of(bad);
            Assert.False(check.Valid, bad);
            Assert.False(string.IsNullOrWhiteSpace(check.Problem), bad);
        }
    }
}
