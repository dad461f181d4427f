using MLIntern.Analysis.Findings;
using MLIntern.Analysis.Rules;

namespace MLIntern.Analysis.Tests;

/// <summary>Behaviour of the publishing rules that a snapshot does not pin down: masking and the import the fix adds.</summary>
public sealed class PublishingRuleTests
{
    private const string Token = "hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ01234567";

    private static IReadOnlyList<Finding> Check(string source) => ScriptChecker.Check(source, enabled: new HashSet<string> { "MLI603" });

    private const string SentenceTransformersRun = """
        from sentence_transformers import SentenceTransformer, SentenceTransformerTrainer
        from sentence_transformers.evaluation import EmbeddingSimilarityEvaluator

        model = SentenceTransformer("all-MiniLM-L6-v2")
        dev = EmbeddingSimilarityEvaluator(pairs["a"], pairs["b"], pairs["score"], name="dev")
        trainer = SentenceTransformerTrainer(model=model, train_dataset=pairs, evaluator=dev)
        trainer.train()

        """;

    [Fact]
    public void A_sentence_transformers_evaluator_called_on_the_model_is_an_evaluation_an_upload_may_follow()
    {
        var upload = "model.push_to_hub(\"me/minilm-sts\")\n";
        var enabled = new HashSet<string> { "MLI601" };
        // Handed to the trainer only: nothing has shown its figures when the upload runs.
        Assert.Single(ScriptChecker.Check(SentenceTransformersRun + upload, enabled: enabled));
        // Called on the trained model: the script reports the test figures, then publishes as its own step.
        Assert.Empty(ScriptChecker.Check(SentenceTransformersRun + "dev(model)\n" + upload, enabled: enabled));
        // Built by a helper of the file, then called: the same.
        var helper = "def make_test(rows):\n    return EmbeddingSimilarityEvaluator(rows[\"a\"], rows[\"b\"], rows[\"score\"], name=\"test\")\n\n\n";
        Assert.Empty(ScriptChecker.Check(helper + SentenceTransformersRun + "test = make_test(pairs)\nprint(test(model))\n" + upload, enabled: enabled));
        Assert.Single(ScriptChecker.Check(helper + SentenceTransformersRun + "test = make_test(pairs)\n" + upload, enabled: enabled));
    }

    [Fact]
    public void The_message_and_fix_never_contain_the_secret()
    {
        var finding = Assert.Single(Check($"from huggingface_hub import login\nlogin(token=\"{Token}\")\n"));
        Assert.DoesNotContain(Token, finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token[3..^4], finding.Message, StringComparison.Ordinal);
        Assert.Contains("hf_…4567", finding.Message, StringComparison.Ordinal);
        Assert.All(finding.Fix!.Edits, e => Assert.DoesNotContain(Token, e.NewText, StringComparison.Ordinal));
        Assert.DoesNotContain(Token, finding.Fix.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void The_fix_adds_import_os_after_the_docstring_and_future_imports_with_the_files_line_endings()
    {
        var source = $"\"\"\"Train.\"\"\"\r\nfrom __future__ import annotations\r\nfrom huggingface_hub import login\r\nlogin('{Token}')\r\n";
        var finding = Assert.Single(Check(source));
        var fixedText = Edits.Apply(source, finding.Fix!.Edits);
        Assert.Equal("\"\"\"Train.\"\"\"\r\nfrom __future__ import annotations\r\nimport os\r\nfrom huggingface_hub import login\r\nlogin(os.environ['HF_TOKEN'])\r\n", fixedText);
        Assert.Empty(ScriptChecker.Check(fixedText));
    }

    [Fact]
    public void The_fix_uses_the_name_os_is_imported_under_and_adds_nothing()
    {
        var source = $"import os as _os\nHF_TOKEN = \"{Token}\"\n";
        var finding = Assert.Single(Check(source));
        Assert.Equal("import os as _os\nHF_TOKEN = _os.environ[\"HF_TOKEN\"]\n", Edits.Apply(source, finding.Fix!.Edits));
    }

    [Fact]
    public void A_name_os_that_is_not_the_module_gets_no_fix()
    {
        var finding = Assert.Single(Check($"os = 'linux'\nHF_TOKEN = \"{Token}\"\n"));
        Assert.Null(finding.Fix);
    }
}

public sealed class MixedPrecisionRuleTests
{
    private static IReadOnlyList<Finding> Check(string source) => ScriptChecker.Check(source, enabled: new HashSet<string> { "MLI503" });

    [Theory]
    [InlineData("if not torch.cuda.is_available():\n    sys.exit('needs a GPU')\n")]
    [InlineData("if not torch.cuda.is_available():\n    raise SystemExit('needs a GPU')\n")]
    [InlineData("assert torch.cuda.is_available(), 'needs a GPU'\n")]
    public void A_script_that_stops_without_a_GPU_is_guarded(string guard)
    {
        var source = "import sys\nimport torch\nfrom transformers import TrainingArguments\n" + guard + "args = TrainingArguments('out', fp16=True)\n";
        Assert.Empty(Check(source));
    }

    [Fact]
    public void A_settings_dict_written_under_a_GPU_check_is_guarded()
    {
        const string source = "import torch\nfrom transformers import TrainingArguments\nif torch.cuda.is_available():\n    cfg = {'output_dir': 'out', 'fp16': True}\nargs = TrainingArguments(**cfg)\n";
        Assert.Empty(Check(source));
    }

    [Fact]
    public void The_fix_adds_import_torch_when_the_script_has_none()
    {
        const string source = "from transformers import TrainingArguments\nargs = TrainingArguments('out', bf16=True)\n";
        var finding = Assert.Single(Check(source));
        Assert.Equal(
            "import torch\nfrom transformers import TrainingArguments\nargs = TrainingArguments('out', bf16=torch.cuda.is_available() and torch.cuda.is_bf16_supported())\n",
            Edits.Apply(source, finding.Fix!.Edits));
    }
}

/// <summary>MLI601's "evaluated before the upload" needs a file per case: any evaluation earlier in a file covers every later upload.</summary>
public sealed class UploadReviewRuleTests
{
    private const string Loop = """
        import evaluate
        import torch
        from transformers import AutoModelForSequenceClassification
        metric = evaluate.load({0})
        model = AutoModelForSequenceClassification.from_pretrained("roberta-base")
        opt = torch.optim.AdamW(model.parameters())
        for batch in train_loader:
            model(**batch).loss.backward()
            opt.step()
            opt.zero_grad()
        for batch in loader:
            with torch.no_grad():
                out = model(**batch)
            metric.add_batch(predictions=out.logits.argmax(dim=-1), references=batch["labels"])
        {1}
        model.push_to_hub("me/model")

        """;

    private static bool Flagged(string metric, string afterLoop) =>
        ScriptChecker.Check(string.Format(Loop, metric, afterLoop), enabled: new HashSet<string> { "MLI601" }).Count > 0;

    [Theory]
    [InlineData("\"glue\", \"mrpc\"")]
    [InlineData("\"rouge\"")]
    [InlineData("\"accuracy\"")]
    public void An_upload_after_any_evaluate_metric_was_computed_is_a_step_of_its_own(string metric)
    {
        Assert.False(Flagged(metric, "print(metric.compute())"));
    }

    [Fact]
    public void An_upload_after_a_metric_that_was_only_fed_is_not()
    {
        Assert.True(Flagged("\"glue\", \"mrpc\"", "pass"));
    }

    [Fact]
    public void An_upload_after_a_sklearn_or_torchmetrics_score_is_a_step_of_its_own()
    {
        Assert.False(Flagged("\"glue\", \"mrpc\"", "from sklearn.metrics import matthews_corrcoef\nprint(matthews_corrcoef(y, p))"));
    }

    [Fact]
    public void An_upload_after_a_SetFit_trainer_evaluated_is_a_step_of_its_own()
    {
        const string source = """
            from setfit import SetFitModel, Trainer, TrainingArguments
            trainer = Trainer(model=SetFitModel.from_pretrained("BAAI/bge-small-en-v1.5"), args=TrainingArguments(num_iterations=5), train_dataset=train, eval_dataset=test)
            trainer.train()
            {0}
            trainer.push_to_hub("me/setfit-model")

            """;
        Assert.Empty(ScriptChecker.Check(source.Replace("{0}", "print(trainer.evaluate())"), enabled: new HashSet<string> { "MLI601" }));
        Assert.Single(ScriptChecker.Check(source.Replace("{0}", "pass"), enabled: new HashSet<string> { "MLI601" }));
    }

    [Fact]
    public void An_upload_in_a_file_that_trains_nothing_publishes_no_run_and_is_left_alone()
    {
        const string source = """
            from peft import get_peft_model
            adapter = get_peft_model(unet, config)
            adapter.load_state_dict(weights)
            adapter.push_to_hub("me/adapter")

            """;
        Assert.Empty(ScriptChecker.Check(source, enabled: new HashSet<string> { "MLI601" }));
        Assert.Single(ScriptChecker.Check(source.Replace("adapter.load_state_dict(weights)", "trainer.fit(adapter)"), enabled: new HashSet<string> { "MLI601" }));
    }

    [Fact]
    public void An_upload_before_anything_trains_publishes_no_run_but_one_after_training_does()
    {
        const string source = """
            from transformers import AutoTokenizer, Trainer
            tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")
            tokenizer.push_to_hub("me/tokenizer")
            trainer = Trainer(model=model, args=args, train_dataset=train)
            trainer.train()
            trainer.push_to_hub("me/model")

            """;
        var finding = Assert.Single(ScriptChecker.Check(source, enabled: new HashSet<string> { "MLI601" }));
        Assert.Equal(6, finding.Range.Line);

        // Training in another function: its order against the upload is not known, so the upload counts as after it.
        const string split = """
            from transformers import AutoTokenizer
            tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")
            def publish():
                tokenizer.push_to_hub("me/tokenizer")
            def step(loss):
                loss.backward()

            """;
        Assert.Single(ScriptChecker.Check(split, enabled: new HashSet<string> { "MLI601" }));
    }
}
