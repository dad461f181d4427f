using System.Text;
using MLIntern.Server.Notebooks;

namespace MLIntern.Server.Tests;

/// <summary>
/// Cell-aware judgement: the cells run in the order written, as one program — a later cell
/// rebinds a name, a cell that only looks at data is not the training path, and an upload in a
/// cell after the evaluation cell is a step someone ran having seen the results.
/// </summary>
public sealed class NotebookJudgementTests
{
    private const string Setup = """
        from datasets import load_dataset
        from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments
        ds = load_dataset("ag_news")
        tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")
        """;

    private const string Tokenize = """
        def tokenize(batch):
            return tokenizer(batch["text"], truncation=True)
        ds = ds.map(tokenize, batched=True)
        """;

    private const string Train = """
        model = AutoModelForSequenceClassification.from_pretrained("bert-base-uncased", num_labels=4, id2label={0: "w", 1: "s", 2: "b", 3: "t"}, label2id={"w": 0, "s": 1, "b": 2, "t": 3})
        args = TrainingArguments(output_dir="out", eval_strategy="epoch", seed=0)
        trainer = Trainer(model=model, args=args, train_dataset=ds["train"], eval_dataset=ds["test"])
        trainer.train()
        """;

    private static List<(int Cell, string Code, int Line)> Check(params string[] cells)
    {
        var json = NotebookJson.Write(cells.Select(c => new NotebookJson.Cell("code", c)));
        var check = NotebookChecks.Check(Encoding.UTF8.GetBytes(json), null, null, null);
        return [.. check.Findings.Select(f => check.ToCell(f)!).Select(c => (c.Cell, c.Finding.Code, c.Finding.Range.Line))];
    }

    [Fact]
    public void The_clean_notebook_is_clean()
    {
        Assert.Empty(Check(Setup, Tokenize, Train, "trainer.evaluate()"));
    }

    [Fact]
    public void Cells_that_only_look_at_the_data_are_not_the_training_path()
    {
        var findings = Check(
            Setup,
            "print(tokenizer(ds[\"train\"][0][\"text\"]))",
            "tokenizer(ds[\"train\"][\"text\"][:3])",
            "peek = tokenizer(ds[\"train\"][1][\"text\"])\nprint(peek.tokens())",
            "ds[\"train\"].to_pandas().head()",
            Tokenize,
            Train);
        Assert.Empty(findings);

        // The same call whose encoding the next cell trains on is the training path.
        var used = Check(Setup, "enc = tokenizer(ds[\"train\"][\"text\"], padding=True)\nprint(enc)", "model = AutoModelForSequenceClassification.from_pretrained(\"bert-base-uncased\", num_labels=4)\nout = model(**enc)");
        Assert.Contains((2, "MLI401", 1), used);
    }

    [Fact]
    public void An_upload_in_a_cell_after_the_evaluation_cell_is_a_reviewed_step_and_before_it_is_not()
    {
        Assert.Empty(Check(Setup, Tokenize, Train, "metrics = trainer.evaluate()\nmetrics", "trainer.push_to_hub()"));

        // A Trainer that does not evaluate while training: the upload before the evaluation cell is not reviewed.
        var blind = Train.Replace("eval_strategy=\"epoch\", ", "");
        var early = Check(Setup, Tokenize, blind, "trainer.push_to_hub()", "trainer.evaluate()");
        Assert.Equal([(4, "MLI601", 1)], early.Where(f => f.Code == "MLI601"));

        // The cell that trained a Trainer evaluating every epoch showed the figures: the upload after it is reviewed.
        Assert.Empty(Check(Setup, Tokenize, Train, "trainer.push_to_hub()"));

        // In the same cell as the training, or after a Trainer that never evaluates, it is not.
        Assert.Equal([(3, "MLI601", 5)], Check(Setup, Tokenize, Train + "\ntrainer.push_to_hub()\n"));
        Assert.Equal([(4, "MLI601", 1)], Check(Setup, Tokenize, blind, "trainer.push_to_hub()").Where(f => f.Code == "MLI601"));

        // Keras: a fit with validation data prints the validation figures of every epoch.
        const string keras = "from transformers import TFAutoModelForSequenceClassification\nmodel = TFAutoModelForSequenceClassification.from_pretrained(\"bert-base-uncased\", num_labels=2)\nmodel.compile(optimizer=\"adam\")";
        Assert.DoesNotContain(Check(keras, "model.fit(train_set, validation_data=val_set, epochs=3)", "model.push_to_hub(\"me/model\")"), f => f.Code == "MLI601");
        Assert.Equal([(3, "MLI601", 1)], Check(keras, "model.fit(train_set, epochs=3)", "model.push_to_hub(\"me/model\")").Where(f => f.Code == "MLI601"));

        // The same code as a script runs unattended: the upload follows the training with no one looking.
        var script = string.Join("\n", Setup, Tokenize, Train, "trainer.push_to_hub()\n");
        Assert.Contains(MLIntern.Analysis.Rules.ScriptChecker.Check(script), f => f.Code == "MLI601");
    }

    [Fact]
    public void A_later_cell_rebinds_a_name_and_the_cells_run_in_the_order_written()
    {
        // The first Trainer evaluates on its training data; a later cell rebinds the split and builds a second one that does not.
        var findings = Check(
            Setup,
            Tokenize,
            "model = AutoModelForSequenceClassification.from_pretrained(\"bert-base-uncased\", num_labels=4, id2label={0: \"w\", 1: \"s\", 2: \"b\", 3: \"t\"}, label2id={\"w\": 0, \"s\": 1, \"b\": 2, \"t\": 3})\nargs = TrainingArguments(output_dir=\"out\", eval_strategy=\"epoch\", seed=0)\nheld_out = ds[\"train\"]",
            "first = Trainer(model=model, args=args, train_dataset=ds[\"train\"], eval_dataset=held_out)",
            "held_out = ds[\"test\"]",
            "second = Trainer(model=model, args=args, train_dataset=ds[\"train\"], eval_dataset=held_out)\nsecond.train()");
        Assert.Equal([(4, "MLI301", 1)], findings.Where(f => f.Code == "MLI301").Select(f => (f.Cell, f.Code, f.Line)));
    }
}
