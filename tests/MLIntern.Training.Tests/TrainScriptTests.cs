using System.Diagnostics;
using MLIntern.Analysis.Facts;
using MLIntern.Analysis.Rules;
using MLIntern.Training.Plans;
using MLIntern.Training.Scripts;

namespace MLIntern.Training.Tests;

/// <summary>The generated Trainer script compiles and ML Intern's own checker finds nothing in it.</summary>
public sealed class TrainScriptTests
{
    private static readonly TrainScriptOptions Options = new(
        new Dictionary<string, IReadOnlyList<string>> { ["train"] = ["data/train.csv"], ["test"] = ["data/test.csv"] },
        "csv",
        "instruction",
        "intent");

    /// <summary>What the host would tell the rules about the data set the script loads: string labels, 27 classes.</summary>
    private static DatasetInfo? Lookup(string written) =>
        written.EndsWith(".csv", StringComparison.Ordinal) ? new DatasetInfo(written, ["instruction", "category", "intent"], "instruction", "intent", 27, true, ["train", "test"]) : null;

    [Fact]
    public void The_checker_reports_nothing()
    {
        var findings = ScriptChecker.Check(TrainScript.Generate(Options), Lookup);
        Assert.True(findings.Count == 0, string.Join("\n", findings.Select(f => $"{f.Range.Line}: {f.Code} {f.Message}")));
        var single = TrainScript.Generate(Options with { DataFiles = new Dictionary<string, IReadOnlyList<string>> { ["train"] = ["tickets.tsv"] }, Delimiter = "\t" });
        Assert.Empty(ScriptChecker.Check(single, Lookup));
    }

    [Fact]
    public void It_compiles_with_python3()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mlintern-train-{Guid.NewGuid():N}.py");
        File.WriteAllText(path, TrainScript.Generate(Options with { TextColumn = "it's \"text\"" }));
        try
        {
            var info = new ProcessStartInfo("python3") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var argument in new[] { "-m", "py_compile", path })
            {
                info.ArgumentList.Add(argument);
            }

            using var process = Process.Start(info)!;
            var errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, errors);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void It_uses_the_current_api_and_the_plan_can_read_it()
    {
        var text = TrainScript.Generate(Options with { Checkpoint = "roberta-base", Epochs = 4 });
        foreach (var expected in new[] { "eval_strategy=", "processing_class=tokenizer", "ClassLabel(names=names)", "id2label=", "label2id=", "np.argmax(logits, axis=-1)", "set_seed(SEED)", "truncation=True", "fp16=torch.cuda.is_available()", "MLINTERN_RUN_DIR", "MLINTERN_SMOKE_ROWS", "MLINTERN_SMOKE_STEPS", "--max-rows", "--max-steps", "TrainerCallback" })
        {
            Assert.Contains(expected, text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("evaluation_strategy", text, StringComparison.Ordinal);
        Assert.DoesNotContain("tokenizer=tokenizer", text, StringComparison.Ordinal);
        var facts = ScriptScan.Scan(text);
        Assert.Equal("roberta-base", facts.Model);
        Assert.Equal(4, facts.Epochs);
        Assert.Equal(128, facts.MaxLength);
        Assert.NotNull(facts.TrainCall);
    }
}
