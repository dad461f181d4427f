using MLIntern.Analysis.Findings;
using MLIntern.Analysis.Rules;

namespace MLIntern.Analysis.Tests;

/// <summary>MLI505 is a whole-file rule (one finding per file): its silent cases need a file each.</summary>
public sealed class SeedRuleTests
{
    private const string TrainerScript = """
        from transformers import AutoModelForSequenceClassification, Trainer, TrainingArguments
        model = AutoModelForSequenceClassification.from_pretrained("distilbert-base-uncased", num_labels=4)
        trainer = Trainer(model=model, args=TrainingArguments("out"{0}){1})
        trainer.train()

        """;

    private const string TorchLoop = """
        import torch
        from torch import nn

        {0}
        model = nn.Linear(8, 2)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        for x, y in loader:
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(x), y).backward()
            optimizer.step()

        """;

    private static IReadOnlyList<Finding> Check(string source) => ScriptChecker.Check(source, enabled: new HashSet<string> { "MLI505" });

    [Theory]
    [InlineData(", seed=7", "")]
    [InlineData("", ", model_init=lambda: None")]
    public void A_trainer_with_a_seed_or_model_init_is_quiet(string arguments, string trainerArguments)
    {
        Assert.Empty(Check(string.Format(System.Globalization.CultureInfo.InvariantCulture, TrainerScript, arguments, trainerArguments)));
    }

    [Theory]
    [InlineData("torch.manual_seed(0)")]
    [InlineData("import random; random.seed(0)")]
    [InlineData("import numpy as np; np.random.seed(0)")]
    [InlineData("from lightning import seed_everything; seed_everything(1)")]
    [InlineData("from my_utils import fix_all_seeds; fix_all_seeds()")]
    [InlineData("cfg = {'seed': 3}; x = dict(**cfg)")]
    [InlineData("from sklearn.model_selection import train_test_split; a, b = train_test_split(rows, random_state=0)")]
    public void Any_seed_anywhere_keeps_a_torch_loop_quiet(string seed)
    {
        Assert.Empty(Check(TorchLoop.Replace("{0}", seed, StringComparison.Ordinal)));
    }

    [Fact]
    public void An_unseeded_torch_loop_is_flagged_on_its_header_and_the_fix_seeds_torch_after_the_imports()
    {
        var source = TorchLoop.Replace("{0}", "", StringComparison.Ordinal);
        var finding = Assert.Single(Check(source));
        Assert.Equal(7, finding.Range.Line);
        var fixedText = Edits.Apply(source, finding.Fix!.Edits);
        Assert.StartsWith("import torch\nfrom torch import nn\n\ntorch.manual_seed(42)\n", fixedText, StringComparison.Ordinal);
        Assert.Empty(ScriptChecker.Check(fixedText));
    }

    [Fact]
    public void A_random_forest_without_random_state_is_flagged_without_a_fix_and_a_linear_model_is_not()
    {
        const string forest = "from sklearn.ensemble import RandomForestClassifier\nclf = RandomForestClassifier(n_estimators=100)\nclf.fit(X, y)\n";
        var finding = Assert.Single(Check(forest));
        Assert.Equal(3, finding.Range.Line);
        Assert.Null(finding.Fix);
        Assert.Empty(Check(forest.Replace("n_estimators=100", "random_state=0", StringComparison.Ordinal)));
        Assert.Empty(Check("from sklearn.linear_model import LogisticRegression\nclf = LogisticRegression()\nclf.fit(X, y)\n"));
    }

    [Fact]
    public void A_lightning_fit_is_training_and_seed_everything_is_a_seed()
    {
        const string source = "import lightning as L\ntrainer = L.Trainer(max_epochs=3)\ntrainer.fit(model, loader)\n";
        Assert.Equal(3, Assert.Single(Check(source)).Range.Line);
        Assert.Empty(Check("import lightning as L\nL.seed_everything(0)\n" + source[21..]));
    }
}

public sealed class LoopRuleTests
{
    [Fact]
    public void A_training_loop_in_a_module_of_definitions_is_seeded_by_its_caller()
    {
        const string library = """
            import torch

            def train_epoch(net, opt, batches):
                for x, y in batches:
                    opt.zero_grad()
                    torch.nn.functional.cross_entropy(net(x), y).backward()
                    opt.step()

            """;
        Assert.Empty(Check(library, "MLI505"));

        // The same function, run by the file's own entry point, is flagged.
        var script = library + "if __name__ == \"__main__\":\n    net = torch.nn.Linear(4, 2)\n    train_epoch(net, torch.optim.SGD(net.parameters(), lr=0.1), [])\n";
        var finding = Assert.Single(Check(script, "MLI505"));
        Assert.Equal(4, finding.Range.Line);
    }

    [Fact]
    public void Methods_of_a_class_the_script_constructs_run_with_it()
    {
        const string source = """
            import torch

            class Runner:
                def fit(self, batches):
                    for x, y in batches:
                        self.opt.zero_grad()
                        self.loss(x, y).backward()
                        self.opt.step()

            class Unused:
                def go(self, batches, opt):
                    for x, y in batches:
                        opt.zero_grad()
                        x.sum().backward()
                        opt.step()

            Runner().fit([])

            """;
        var finding = Assert.Single(Check(source, "MLI505"));
        Assert.Equal(5, finding.Range.Line);

        // A library module that only patches a class at import time constructs nothing.
        var patched = source.Replace("Runner().fit([])", "Runner.fit = staticmethod(Runner.fit)", StringComparison.Ordinal);
        Assert.Empty(Check(patched, "MLI505"));
    }

    private static IReadOnlyList<Finding> Check(string source, string code) => ScriptChecker.Check(source, enabled: new HashSet<string> { code });

    [Fact]
    public void The_zero_grad_fix_keeps_tabs_and_CRLF()
    {
        const string source = "import torch\r\nopt = torch.optim.Adam(params)\r\nfor x in loader:\r\n\tloss(x).backward()\r\n\topt.step()\r\n";
        var finding = Assert.Single(Check(source, "MLI702"));
        Assert.Equal("import torch\r\nopt = torch.optim.Adam(params)\r\nfor x in loader:\r\n\tloss(x).backward()\r\n\topt.step()\r\n\topt.zero_grad()\r\n", Edits.Apply(source, finding.Fix!.Edits));
    }

    [Fact]
    public void A_step_of_a_scheduler_or_a_file_without_torch_is_not_a_training_step()
    {
        Assert.Empty(Check("import torch\nsched = torch.optim.lr_scheduler.StepLR(opt, 1)\nfor x in loader:\n    loss(x).backward()\n    sched.step()\n", "MLI702"));
        Assert.Empty(Check("for x in loader:\n    loss(x).backward()\n    optimizer.step()\n", "MLI702"));
    }

    [Fact]
    public void An_evaluation_function_whose_callers_never_set_eval_or_no_grad_is_flagged_without_a_fix()
    {
        const string source = """
            import torch

            def run_eval(model, loader):
                total = 0
                for x, y in loader:
                    total += (model(x).argmax(-1) == y).sum().item()
                return total

            clf = torch.nn.Sequential(torch.nn.Linear(4, 2))
            run_eval(clf, val_loader)

            """;
        var finding = Assert.Single(Check(source, "MLI701"));
        Assert.Equal(5, finding.Range.Line);
        Assert.Contains("without `model.eval()`", finding.Message, StringComparison.Ordinal);
        Assert.Contains("outside `torch.no_grad()`", finding.Message, StringComparison.Ordinal);
        Assert.Null(finding.Fix);
    }

    [Fact]
    public void The_no_grad_fix_is_withheld_when_the_loop_holds_a_string_spanning_lines()
    {
        const string source = "import torch\nfrom torch import nn\nnet = nn.Linear(2, 2)\nnet.eval()\nfor x in loader:\n    print(\"\"\"a\nb\"\"\", net(x).argmax(-1))\n";
        var finding = Assert.Single(Check(source, "MLI701"));
        Assert.Null(finding.Fix);
    }

    [Fact]
    public void A_model_fresh_from_from_pretrained_in_a_file_that_trains_nothing_is_already_in_eval_mode()
    {
        const string inference = """
            import torch
            from transformers import AutoModelForSequenceClassification
            clf = AutoModelForSequenceClassification.from_pretrained("distilbert-base-uncased").to("cpu")
            hits = 0
            with torch.no_grad():
                for batch, labels in loader:
                    hits += (clf(**batch).logits.argmax(-1) == labels).sum().item()

            """;
        Assert.Empty(Check(inference, "MLI701"));

        // The same loop in a file that also trains the model: its mode is no longer known.
        var trained = inference.Replace("hits = 0", "opt = torch.optim.AdamW(clf.parameters())\nfor batch, labels in loader:\n    clf(**batch).loss.backward()\n    opt.step()\nhits = 0");
        Assert.Contains("without `clf.eval()`", Assert.Single(Check(trained, "MLI701")).Message, StringComparison.Ordinal);
    }
}
