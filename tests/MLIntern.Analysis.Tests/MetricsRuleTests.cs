using MLIntern.Analysis.Findings;
using MLIntern.Analysis.Rules;

namespace MLIntern.Analysis.Tests;

/// <summary>Behaviour of the metrics rules (MLI201–203) that the fixtures cannot show: facts that change the answer, fixes that add an import.</summary>
public sealed class MetricsRuleTests
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "Fixtures");

    private static IReadOnlyList<Finding> Check(string code, string source) =>
        ScriptChecker.Check(source, FixtureDatasets.Lookup(Fixtures), new HashSet<string> { code });

    private const string F1Script = """
        import pandas as pd
        from sklearn.metrics import f1_score
        df = pd.read_csv("{0}")
        def compute_metrics(eval_pred):
            predictions, labels = eval_pred
            return f1_score(labels, predictions.argmax(-1))

        """;

    [Fact]
    public void Binary_average_is_flagged_only_when_the_data_has_more_than_two_classes()
    {
        var finding = Assert.Single(Check("MLI203", string.Format(F1Script, "intents_small.csv")));
        Assert.Contains("intents_small.csv has 4 classes in column `intent`", finding.Message);
        Assert.Empty(Check("MLI203", string.Format(F1Script, "sentiment_reviews.csv")));
        Assert.Empty(Check("MLI203", string.Format(F1Script, "missing.csv")));
    }

    [Fact]
    public void A_literal_num_labels_is_the_fact_when_the_data_is_unknown()
    {
        const string source = """
            from sklearn.metrics import f1_score
            import transformers
            cfg = {"num_labels": 7}
            model = transformers.AutoModelForSequenceClassification.from_pretrained("bert-base-uncased", **cfg)
            score = f1_score([0], [1])

            """;
        var finding = Assert.Single(Check("MLI203", source));
        Assert.Contains("`num_labels=7` on line 3", finding.Message);
        Assert.Empty(Check("MLI203", source.Replace("7", "2")));
    }

    [Fact]
    public void Argmax_fix_adds_the_numpy_import_in_the_files_line_endings()
    {
        const string source = "import torch\r\nfrom sklearn.metrics import accuracy_score\r\n\r\ndef compute_metrics(p):\r\n    return {'acc': accuracy_score(p.label_ids, p.predictions)}\r\n";
        var finding = Assert.Single(Check("MLI201", source));
        var fixedText = Edits.Apply(source, finding.Fix!.Edits);
        Assert.Equal("import numpy as np\r\nimport torch\r\nfrom sklearn.metrics import accuracy_score\r\n\r\ndef compute_metrics(p):\r\n    return {'acc': accuracy_score(p.label_ids, np.argmax(p.predictions, axis=-1))}\r\n", fixedText);
        Assert.Empty(Check("MLI201", fixedText));
    }

    [Fact]
    public void Two_argmax_fixes_that_both_add_the_import_are_not_applied_together()
    {
        const string source = "from sklearn.metrics import accuracy_score, f1_score\n\ndef compute_metrics(p):\n    logits, labels = p\n    return accuracy_score(labels, logits), f1_score(labels, logits)\n";
        var findings = Check("MLI201", source);
        Assert.Equal(2, findings.Count);
        Assert.Single(Edits.Select(findings, Applicability.Unsafe));
    }

    [Fact]
    public void A_compute_metrics_function_is_known_by_what_the_Trainer_gets_not_by_its_name()
    {
        const string head = "from sklearn.metrics import accuracy_score\nfrom transformers import Trainer\n";
        // Passed to a Trainer under any name, or returned by a factory that is.
        Assert.Single(Check("MLI201", head + "def scores(ep):\n    return {'acc': accuracy_score(ep.label_ids, ep.predictions)}\nt = Trainer(model=m, compute_metrics=scores)\n"));
        Assert.Single(Check("MLI201", head + "def make(tok):\n    def inner(ep):\n        logits, labels = ep\n        return {'acc': accuracy_score(labels, logits)}\n    return inner\nt = Trainer(model=m, compute_metrics=make(tok))\n"));
        // A scikit-learn style helper called compute_metrics gets class ids, not an EvalPrediction.
        Assert.Empty(Check("MLI201", head + "def compute_metrics(y_true, y_pred):\n    return accuracy_score(y_true, y_pred)\n"));
    }

    [Fact]
    public void No_fix_when_np_means_something_else()
    {
        const string source = "from sklearn.metrics import accuracy_score\nnp = None\n\ndef compute_metrics(p):\n    return accuracy_score(p.label_ids, p.predictions)\n";
        Assert.Null(Assert.Single(Check("MLI201", source)).Fix);
    }

    [Fact]
    public void A_preprocess_logits_hook_means_the_predictions_are_unknown()
    {
        const string source = """
            import evaluate
            import transformers as tf
            accuracy = evaluate.load("accuracy")

            def compute_metrics(eval_preds):
                preds, labels = eval_preds
                return accuracy.compute(predictions=preds, references=labels)

            trainer = tf.Trainer(
                model=None,
                compute_metrics=compute_metrics,
                preprocess_logits_for_metrics=lambda logits, labels: logits.argmax(dim=-1),
            )

            """;
        Assert.Empty(Check("MLI201", source));
        Assert.Single(Check("MLI201", source.Replace("preprocess_logits_for_metrics=", "callbacks=")));
    }
}
