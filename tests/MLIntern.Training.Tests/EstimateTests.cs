using MLIntern.Data.Profiling;
using MLIntern.Training.Compute;
using MLIntern.Training.Launch;
using MLIntern.Training.Plans;

namespace MLIntern.Training.Tests;

/// <summary>Plan arithmetic against hand-computed cases.</summary>
public sealed class EstimateTests
{
    private static readonly LaunchCommand Command = new("python3", ["train.py"], "/work", new SortedDictionary<string, string>());

    private static Hardware T4 => HardwareCatalog.Gpus.Single(g => g.Id == "t4");

    private static PlanRequest Request(DataSummary? data, ModelSize? model, Budget? budget = null, Hardware? hardware = null) => new(
        PlanKind.Script, "/work/data.csv", "/work/train.py", "text", "label", data, model, model?.Model ?? "my-org/unknown", 3, 128,
        new Dictionary<string, string>(), hardware ?? T4, budget ?? Budget.Default, Command);

    [Fact]
    public void Distilbert_on_a_T4_matches_the_hand_computation()
    {
        // 78 chars → ceil(78/4) + 2 = 22 tokens per row; train 1,000,000 × 22 × 3 = 66,000,000 tokens; eval 200,000 × 22 × 3 = 13,200,000.
        // FLOPs = 6 × 66,362,880 × 66e6 + 2 × 66,362,880 × 13.2e6 = 28,031,680,512,000,000.
        // T4: 65e12 × 0.25 = 16.25e12 FLOP/s → 1,725.0265 s = 0.4791740 h; × $0.35 = $0.1677109.
        var plan = PlanBuilder.Build(Request(new DataSummary(1_000_000, 200_000, 4, 78, []), ModelCatalog.Lookup("distilbert-base-uncased")));
        Assert.Equal(22, plan.Tokens!.MeanTokens);
        Assert.Equal(66_000_000, plan.Tokens.TrainTokens);
        Assert.Equal(13_200_000, plan.Tokens.EvalTokens);
        Assert.Equal(28_031_680_512_000_000d, plan.Estimate.Flops!.Value, 1);
        Assert.Equal(0.4791740, plan.Estimate.Hours!.Value, 6);
        Assert.Equal(0.1677109, plan.Estimate.CostUsd!.Value, 6);
        Assert.False(plan.OverBudget);
        Assert.True(plan.Estimate.Known);
    }

    [Fact]
    public void Tokens_come_from_the_length_histogram_truncated_at_max_length()
    {
        // Bins: 0–40 (10 rows, mid 20 → 5 + 2 = 7), 40–80 (10 rows, mid 60 → 15 + 2 = 17), 2000+ (5 rows, 2500 → capped at 128).
        // Mean = (70 + 170 + 640) / 25 = 35.2.
        var data = new DataSummary(25, 0, 2, 0, [new HistogramBin(0, 40, 10), new HistogramBin(40, 80, 10), new HistogramBin(2000, null, 5)]);
        var tokens = PlanBuilder.Tokens(data, 128, 2);
        Assert.Equal(35.2, tokens.MeanTokens, 10);
        Assert.Equal(25 * 35.2 * 2, tokens.TrainTokens, 8);
    }

    [Fact]
    public void Parameters_from_a_bert_base_config_match_the_encoder_without_pooler()
    {
        // Embeddings (30522 + 512 + 2) × 768 + 2 × 768 = 23,837,184; per layer 7,087,872 × 12 = 85,054,464.
        const string config = """{"hidden_size": 768, "num_hidden_layers": 12, "intermediate_size": 3072, "vocab_size": 30522, "max_position_embeddings": 512, "type_vocab_size": 2}""";
        var size = ModelCatalog.FromConfig("local-bert", config)!;
        Assert.Equal(108_891_648, size.Parameters);
        Assert.Equal("config.json", size.Source);
        Assert.Null(ModelCatalog.FromConfig("x", "{not json"));
        Assert.Null(ModelCatalog.FromConfig("x", """{"hidden_size": 768}"""));
    }

    [Fact]
    public void Over_budget_names_each_figure_that_exceeds_it()
    {
        var plan = PlanBuilder.Build(Request(new DataSummary(1_000_000, 200_000, 4, 78, []), ModelCatalog.Lookup("distilbert-base-uncased"), new Budget(0.1, 0.05)));
        Assert.True(plan.OverBudget);
        Assert.Equal(2, plan.OverBudgetReasons.Count);
        Assert.Contains("0.48 h is over the budget of 0.1 h", plan.OverBudgetReasons[0], StringComparison.Ordinal);
        Assert.Contains("$0.17 is over the budget of $0.05", plan.OverBudgetReasons[1], StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_model_makes_the_estimate_unknown_not_zero()
    {
        var plan = PlanBuilder.Build(Request(new DataSummary(1_000_000, 200_000, 4, 78, []), null));
        Assert.False(plan.Estimate.Known);
        Assert.Null(plan.Estimate.Hours);
        Assert.Null(plan.Estimate.CostUsd);
        Assert.Contains("my-org/unknown", plan.Estimate.UnknownBecause, StringComparison.Ordinal);
        Assert.False(plan.OverBudget);
    }

    [Fact]
    public void User_prices_replace_the_table()
    {
        var priced = HardwareCatalog.WithPrice(T4, new Dictionary<string, double> { ["t4"] = 1.0 });
        var plan = PlanBuilder.Build(Request(new DataSummary(1_000_000, 200_000, 4, 78, []), ModelCatalog.Lookup("distilbert-base-uncased"), hardware: priced));
        Assert.Equal(0.4791740, plan.Estimate.CostUsd!.Value, 6);
    }

    [Fact]
    public void The_plan_hash_covers_the_figures_and_the_command()
    {
        var data = new DataSummary(1_000_000, 200_000, 4, 78, []);
        var a = PlanBuilder.Build(Request(data, ModelCatalog.Lookup("distilbert-base-uncased")));
        var b = PlanBuilder.Build(Request(data, ModelCatalog.Lookup("distilbert-base-uncased")));
        var more = PlanBuilder.Build(Request(data with { TrainRows = 2000 }, ModelCatalog.Lookup("distilbert-base-uncased")));
        Assert.Equal(a.Hash, b.Hash);
        Assert.NotEqual(a.Hash, more.Hash);
        Assert.NotEqual(a.Hash, (a with { Command = Command with { Arguments = ["evil.py"] } }).ComputeHash());
        Assert.StartsWith("plan-", a.Id, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_table_model_and_gpu_has_a_positive_figure()
    {
        Assert.All(ModelCatalog.Known.Values, p => Assert.True(p > 1_000_000));
        Assert.All(HardwareCatalog.Gpus, g => Assert.True(g.EffectiveFlops > 1e12 && g.PricePerHour > 0 && g.Source.Length > 0));
        Assert.True(CpuProbe.MeasureFlops(2) > 1e6);
    }
}
