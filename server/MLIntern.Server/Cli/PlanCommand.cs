using System.CommandLine;
using MLIntern.Server.Engine;
using MLIntern.Server.Runs;
using MLIntern.Server.State;
using MLIntern.Training.Plans;
using Newtonsoft.Json;

namespace MLIntern.Server.Cli;

/// <summary>`mlintern plan [SCRIPT] --data PATH`: the training plan and its compute estimate, written to .mlintern/plans/.</summary>
internal static class PlanCommand
{
    /// <summary>The options `plan` and `train` share.</summary>
    internal sealed class PlanArguments
    {
        public Argument<string?> Script { get; } = new("SCRIPT") { Description = "The training script (omit for the built-in baseline trainer)", Arity = ArgumentArity.ZeroOrOne };

        public Option<string?> Data { get; } = new("--data") { Description = "The data set: a file or a folder with train/test files" };

        public Option<string?> Text { get; } = new("--text") { Description = "The text column (default: guessed)" };

        public Option<string?> Label { get; } = new("--label") { Description = "The label column (default: guessed)" };

        public Option<string?> Model { get; } = new("--model") { Description = "The checkpoint (default: what the script passes to from_pretrained)" };

        public Option<double?> Epochs { get; } = new("--epochs") { Description = "Epochs (default: the script's num_train_epochs, else 3)" };

        public Option<int?> MaxLength { get; } = new("--max-length") { Description = "Tokens per example after truncation (default: the script's max_length, else 512)" };

        public Option<string?> Hardware { get; } = new("--hardware") { Description = "cpu, t4, a10g, a100 or h100 (default: mlintern.compute.hardware, else cpu)" };

        public Option<string> Target { get; } = new("--target") { Description = "Where and how it runs: local, accelerate or torchrun on this machine, or a configured compute target (slurm, hf-jobs, or a target's name from [tool.mlintern.compute.targets.NAME])", DefaultValueFactory = _ => "local" };

        public Option<int> Processes { get; } = new("--nproc") { Description = "Processes (GPUs) for accelerate/torchrun", DefaultValueFactory = _ => 1 };

        public Option<string> Python { get; } = new("--python") { Description = "The Python interpreter for scripts", DefaultValueFactory = _ => "python3" };

        public Option<int> Seed { get; } = new("--seed") { Description = "Seed of the baseline's split and solver", DefaultValueFactory = _ => 42 };

        public Option<string> Baseline { get; } = new Option<string>("--baseline") { Description = "The built-in baseline: tfidf (TF-IDF + linear SVM) or encoder (all-MiniLM-L6-v2 + logistic regression)", DefaultValueFactory = _ => "tfidf" };

        public Option<bool> Smoke { get; } = new("--smoke") { Description = "Smoke test: a small subset (64 rows) and a step cap" };

        public void AddTo(Command command)
        {
            command.Add(Script);
            Baseline.AcceptOnlyFromAmong("tfidf", "encoder");
            foreach (var option in new Option[] { Data, Text, Label, Model, Epochs, MaxLength, Hardware, Target, Processes, Python, Seed, Baseline, Smoke })
            {
                command.Add(option);
            }
        }

        public PlanOptions Read(ParseResult parse) => new()
        {
            Script = parse.GetValue(Script),
            Data = parse.GetValue(Data),
            TextColumn = parse.GetValue(Text),
            LabelColumn = parse.GetValue(Label),
            Model = parse.GetValue(Model),
            Epochs = parse.GetValue(Epochs),
            MaxLength = parse.GetValue(MaxLength),
            Hardware = parse.GetValue(Hardware),
            Target = parse.GetValue(Target) ?? "local",
            Processes = parse.GetValue(Processes),
            Python = parse.GetValue(Python) ?? "python3",
            Seed = parse.GetValue(Seed),
            Baseline = parse.GetValue(Baseline) ?? "tfidf",
            Smoke = parse.GetValue(Smoke),
        };
    }

    public static Command Create()
    {
        var arguments = new PlanArguments();
        var format = new Option<string>("--format") { Description = "Output: text (the plan's Markdown) or json", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var command = new Command("plan", "Write a training plan with its compute estimate (FLOPs, hours, cost) to .mlintern/plans/.");
        arguments.AddTo(command);
        command.Add(format);
        command.SetAction(parse => Run(Directory.GetCurrentDirectory(), arguments.Read(parse), parse.GetValue(format) ?? "text", Console.Out, Console.Error));
        return command;
    }

    public static int Run(string workspace, PlanOptions options, string format, TextWriter output, TextWriter errors)
    {
        if (TryPlan(workspace, options, errors) is not { } result)
        {
            return Commands.Failure;
        }

        var (store, plan) = result;
        if (format == "json")
        {
            output.WriteLine(JsonConvert.SerializeObject(plan, WorkspaceStore.Json));
        }
        else
        {
            output.Write(PlanMarkdown.Render(plan));
            output.WriteLine();
            output.WriteLine($"Wrote {store.PlanMarkdownPath(plan.Id)} and {Path.GetFileName(store.PlanJsonPath(plan.Id))}");
        }

        if (Planner.OverBudgetFinding(plan, store.PlanMarkdownPath(plan.Id)) is { } finding)
        {
            errors.WriteLine(finding);
            return Commands.Findings;
        }

        return Commands.Clean;
    }

    /// <summary>Plans and saves, or prints why it cannot.</summary>
    internal static (WorkspaceStore Store, TrainingPlan Plan)? TryPlan(string workspace, PlanOptions options, TextWriter errors)
    {
        try
        {
            var store = new WorkspaceStore(workspace);
            var plan = Planner.Plan(workspace, options, null, FileChecks.Datasets);
            store.SavePlan(plan);
            return (store, plan);
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
        {
            errors.WriteLine($"error: {e.Message}");
            return null;
        }
    }
}
