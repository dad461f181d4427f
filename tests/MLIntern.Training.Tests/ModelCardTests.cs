using System.Text.Json;
using System.Text.Json.Nodes;
using MLIntern.Training.Evaluation;
using MLIntern.Training.Release;

namespace MLIntern.Training.Tests;

/// <summary>The model card's metadata round-trips through our YAML reader, PyYAML and the validator; unfilled and invalid fields are caught.</summary>
public sealed class ModelCardTests
{
    private static CardInputs Inputs(bool complete) => new()
    {
        ModelName = "tickets-distilbert: run 1",
        RunId = "20260101-000000-abcd",
        Kind = "script",
        BaseModel = "distilbert-base-uncased",
        License = complete ? "apache-2.0" : null,
        Languages = complete ? ["en"] : [],
        DatasetId = complete ? "acme/support-tickets" : null,
        DatasetName = "tickets",
        Author = complete ? "Jane" : null,
        Accuracy = 0.9312345,
        MacroF1 = 0.87,
        Labels = ["cancel_order", "track_order"],
        Hyperparameters = new Dictionary<string, string> { ["epochs"] = "3", ["learning_rate"] = "2e-05" },
        TrainRows = 800,
        TestRows = 200,
        HardwareId = "t4",
        HardwareName = "NVIDIA T4 16 GB",
        Hours = 0.25,
        Evaluation = EvaluationReport.Build(
            new EvaluationSource("r", "/r", null, null, null, null, 4, 0),
            [new EvaluatedRow("cancel it", "cancel_order", "cancel_order", new Dictionary<string, double>()), new EvaluatedRow("where is it", "track_order", "cancel_order", new Dictionary<string, double>())]),
    };

    [Fact]
    public void A_complete_card_is_valid_and_its_metadata_round_trips()
    {
        var card = ModelCard.Generate(Inputs(complete: true));
        Assert.Empty(card.Unfilled);
        Assert.DoesNotContain(CardValidator.ValidateReadme(card.Readme), p => p.Severity == CardProblem.Error);
        var (front, body, _) = MiniYaml.SplitFrontMatter(card.Readme);
        var (parsed, errors) = MiniYaml.Read(front!);
        Assert.Empty(errors);
        Assert.Equal(ToJson(card.Metadata), ToJson(parsed));

        // PyYAML reads the same metadata: the front matter is YAML, not just our dialect of it.
        var python = EvaluationTests.RunPython("import sys, json, yaml; print(json.dumps(yaml.safe_load(sys.stdin.read())))", front!);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(ToJson(card.Metadata)), JsonNode.Parse(python)), python);
        var result = parsed["model-index"] as List<object?>;
        var metrics = ((((result![0] as OrderedDictionary<string, object?>)!["results"] as List<object?>)![0] as OrderedDictionary<string, object?>)!["metrics"] as List<object?>)!;
        Assert.Equal(0.9312, (metrics[0] as OrderedDictionary<string, object?>)!["value"]);
        Assert.Contains("## Environmental Impact", body, StringComparison.Ordinal);
        Assert.Contains("about 0.0175 kWh (70 W assumed board power)", body, StringComparison.Ordinal);
        Assert.Contains("`track_order` is predicted as `cancel_order`", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Unfilled_fields_are_listed_and_block_the_validator()
    {
        var card = ModelCard.Generate(Inputs(complete: false));
        Assert.Equal(["license", "language", "datasets", "developer"], card.Unfilled);
        Assert.Equal(card.Unfilled, CardValidator.UnfilledFields(card.Readme));
        var problems = CardValidator.ValidateReadme(card.Readme);
        Assert.Contains(problems, p => p.Field == "license" && p.Message == "license is missing");
        Assert.Contains(problems, p => p.Field == "body");
    }

    [Theory]
    [InlineData("license: apache-3\nlibrary_name: transformers\n", "license")]
    [InlineData("license: other\nlibrary_name: transformers\n", "license")]
    [InlineData("license: mit\n", "library_name")]
    [InlineData("license: mit\nlibrary_name: transformers\nlanguage: english\n", "language")]
    [InlineData("license: mit\nlibrary_name: transformers\nmodel-index:\n- name: m\n  results:\n  - task:\n      type: text-classification\n    dataset:\n      name: d\n    metrics:\n    - type: accuracy\n      value: high\n", "model-index[0].results[0].dataset.type")]
    [InlineData("license: mit\nlibrary_name: transformers\nmodel-index:\n- name: m\n  results:\n  - task:\n      type: text-classification\n    dataset:\n      name: d\n      type: d\n    metrics:\n    - type: accuracy\n      value: high\n", "model-index[0].results[0].metrics[0].value")]
    [InlineData("license: mit\nlibrary_name: transformers\nmodel-index:\n- name: m\n  results: []\n", "model-index[0].results")]
    [InlineData("license: [mit\nlibrary_name: x\n", "metadata")]
    public void The_validator_names_the_broken_field(string yaml, string field)
    {
        var problems = CardValidator.ValidateReadme("---\n" + yaml + "---\n# card\n");
        Assert.Contains(problems, p => p.Severity == CardProblem.Error && p.Field == field);
    }

    [Fact]
    public void Tricky_strings_survive_the_yaml_round_trip()
    {
        var map = new OrderedDictionary<string, object?>
        {
            ["a"] = "key: value # not a comment",
            ["b"] = "123",
            ["c"] = "true",
            ["d"] = "- dash",
            ["e"] = "quote \" and \\ backslash",
            ["f"] = "ünïcödé 🎉",
            ["g"] = new List<object?> { "x", 1.5, false, null },
            ["h"] = "",
        };
        var (parsed, errors) = MiniYaml.Read(MiniYaml.Write(map));
        Assert.Empty(errors);
        Assert.Equal(ToJson(map), ToJson(parsed));
    }

    private static string ToJson(object? value) => JsonSerializer.Serialize(Plain(value));

    private static object? Plain(object? value) => value switch
    {
        OrderedDictionary<string, object?> map => map.ToDictionary(p => p.Key, p => Plain(p.Value)),
        List<object?> list => list.Select(Plain).ToList(),
        _ => value,
    };
}
