using MLIntern.Analysis.Rules;

namespace MLIntern.Analysis.Tests;

public sealed class MetricRuleTests
{
    [Fact]
    public void A_compute_metrics_argmax_without_an_axis_is_flagged_in_a_file_that_never_imports_numpy()
    {
        const string source = """
            from transformers import Trainer

            def compute_metrics(eval_pred):
                scores, gold = eval_pred
                scores = scores.argmax()
                return {"hits": sum(int(p == g) for p, g in zip(scores, gold))}

            Trainer(model=None, compute_metrics=compute_metrics).train()

            """;
        var finding = Assert.Single(ScriptChecker.Check(source, enabled: new HashSet<string> { "MLI202" }));
        Assert.Equal(5, finding.Range.Line);
    }
}
