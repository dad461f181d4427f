using MLIntern.Server.Cli;
using MLIntern.Server.Engine;
using MLIntern.Server.Evaluate;
using MLIntern.Server.Runs;
using MLIntern.Training.Compute;
using MLIntern.Training.Evaluation;
using MLIntern.Training.Runs;
using Microsoft.Extensions.Logging;
using Wire = MLIntern.Server.Protocol;

namespace MLIntern.Server.Mcp;

/// <summary>
/// One tool of `mlintern mcp`: its name, what a model reads about it, its arguments (the schema and the
/// validation both come from them) and what it answers (a record written as JSON text).
/// </summary>
internal sealed record McpTool(string Name, string Title, string Description, IReadOnlyList<ToolParameter> Parameters, Func<ToolCall, object> Run);

/// <summary>What a tool runs with: its checked arguments, the workspace, a log and the call's cancellation.</summary>
internal sealed record ToolCall(ToolArguments Arguments, WorkspaceRoot Workspace, ILogger Log, CancellationToken Cancellation);

/// <summary>
/// The one table of ML Intern's MCP tools. Every one only reads: each is the engine of a CLI verb
/// (`check`, `inspect`, `plan` without saving, `evaluate` without writing a report, the rule pages), and
/// none trains, writes a user's file, downloads or publishes — those stay behind the editor's approvals.
/// </summary>
internal static class McpTools
{
    /// <summary>check_script reports at most this many findings (the total is always given).</summary>
    public const int MaxFindings = 500;

    public static IReadOnlyList<McpTool> All { get; } =
    [
        new(
            "check_script",
            "Check a training script, notebook or data file",
            "Runs ML Intern's rules (the same engine as `mlintern check`) on a Python training script, a Jupyter notebook, a data file, or every one of them in a folder, and returns the findings: rule code (MLI… for scripts, MLD… for data), severity, message, 1-based position and the proposed fix. Nothing is changed on disk. Use explain_rule for what a code means.",
            [new("path", ParameterType.Path, "A file or folder inside the workspace, relative to it (\".\" for the whole workspace)", Required: true)],
            CheckScript),
        new(
            "inspect_dataset",
            "Profile a data set",
            "Profiles a data set (CSV, TSV, JSON Lines, JSON, Parquet file, or a folder with train/validation/test files) as `mlintern inspect --format json` does: rows, columns and their roles, the label column and its class counts, text lengths, and the data checks MLD001-MLD013 (duplicates, train/test overlap, conflicting labels, class imbalance, malformed records…) with examples. Read-only.",
            [
                new("path", ParameterType.Path, "The data file or folder, relative to the workspace", Required: true),
                new("labelColumn", ParameterType.String, "The label column (default: guessed from names and values)"),
                new("textColumn", ParameterType.String, "The text column (default: guessed from names and values)"),
            ],
            InspectDataset),
        new(
            "estimate_plan",
            "Estimate a training plan",
            "Computes the training plan `mlintern plan` would write, without writing it: the data set's rows and tokens, the model's parameters, FLOPs (about 6 x parameters x tokens), hours and cost on the chosen hardware against the budget, whether it is over budget, and the command that would run. It starts nothing; training needs the user's approval in the editor.",
            [
                new("data", ParameterType.Path, "The data set (file or folder), relative to the workspace; default: the one the script loads"),
                new("script", ParameterType.Path, "The training script, relative to the workspace; omit to plan ML Intern's built-in baseline"),
                new("textColumn", ParameterType.String, "The text column (default: guessed)"),
                new("labelColumn", ParameterType.String, "The label column (default: guessed)"),
                new("model", ParameterType.String, "The checkpoint, a Hub id or a folder inside the workspace (default: what the script passes to from_pretrained)"),
                new("epochs", ParameterType.Number, "Epochs (default: the script's num_train_epochs, else 3)", Minimum: 0.01, Maximum: 10_000),
                new("maxLength", ParameterType.Integer, "Tokens per example after truncation (default: the script's max_length, else 512)", Minimum: 1, Maximum: 1_000_000),
                new("hardware", ParameterType.String, "The hardware to estimate for (default: the project's mlintern.compute.hardware, else cpu)", OneOf: [HardwareCatalog.Cpu, .. HardwareCatalog.Gpus.Select(g => g.Id)]),
                new("target", ParameterType.String, "How the script would be launched", OneOf: ["local", "accelerate", "torchrun"]),
                new("processes", ParameterType.Integer, "Processes (GPUs) for accelerate or torchrun", Minimum: 1, Maximum: 1024),
                new("baseline", ParameterType.String, "Without a script: which built-in baseline (tfidf: TF-IDF + linear SVM; encoder: all-MiniLM-L6-v2 + logistic regression)", OneOf: ["tfidf", "encoder"]),
                new("smoke", ParameterType.Boolean, "Plan a smoke test instead (a 64-row subset and a step cap)"),
            ],
            EstimatePlan),
        new(
            "evaluate_run",
            "Evaluate a finished run",
            "The evaluation report of a run that already produced predictions (as `mlintern evaluate --format json`): accuracy, macro-F1, per-class figures, the confusion matrix, calibration, confused pairs, confident mistakes, slices, and the leakage audit (train/test overlap, shortcut words, template families) when the score is suspiciously high. Writes no report file.",
            [
                new("run", ParameterType.String, "A run id (a folder name under .mlintern/runs/) or a run folder relative to the workspace", Required: true),
                new("audit", ParameterType.Boolean, "true: run the leakage audit whatever the score; false: never; default: when macro-F1 is 0.99 or more"),
                new("categoryColumn", ParameterType.String, "A data set column to slice the results by (default: 'category' when present)"),
            ],
            EvaluateRun),
        new(
            "explain_rule",
            "Explain a rule",
            "The documentation page of one of ML Intern's rules (a code from check_script or inspect_dataset, such as MLI501 or MLD004): what it finds, why it is a problem, an example, what to write instead, and how safe its fix is.",
            [new("code", ParameterType.String, "The rule code, e.g. MLI501 or MLD004", Required: true)],
            ExplainRule),
    ];

    public static McpTool? Find(string name) => All.FirstOrDefault(t => t.Name == name);

    private static ScriptCheck CheckScript(ToolCall call)
    {
        var path = call.Arguments.String("path")!;
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new ToolError($"{Shown(call, path)}: no such file or folder");
        }

        // A folder may hold a link to somewhere else: what is outside the workspace is not read, and is named.
        var outside = new List<string>();
        var report = CheckCommand.Collect([path], file =>
        {
            if (call.Workspace.Contains(Path.GetFullPath(file)))
            {
                return true;
            }

            lock (outside)
            {
                outside.Add(Shown(call, Path.GetFullPath(file)));
            }

            return false;
        });
        foreach (var problem in report.Problems)
        {
            call.Log.LogWarning("check_script {Path}: {Problem}", path, problem);
        }

        return new ScriptCheck(
            report.Files,
            report.Findings.Count,
            report.Findings.Count > MaxFindings,
            [.. report.Findings.Take(MaxFindings).Select(CheckedFinding.From)],
            report.Errors,
            report.Problems,
            outside.Count == 0 ? null : outside);
    }

    private static Wire.DatasetProfile InspectDataset(ToolCall call)
    {
        var path = call.Arguments.String("path")!;
        var warnings = new List<string>();
        try
        {
            var profile = InspectCommand.Profile(path, call.Arguments.String("labelColumn"), call.Arguments.String("textColumn"), warnings, call.Cancellation);
            foreach (var warning in warnings)
            {
                call.Log.LogWarning("inspect_dataset {Path}: {Warning}", path, warning);
            }

            return Wire.DatasetProfile.From(profile, path, null);
        }
        catch (NotADataSetException e)
        {
            throw new ToolError(e.Message.Replace(path, Shown(call, path), StringComparison.Ordinal));
        }
    }

    private static Wire.TrainingPlan EstimatePlan(ToolCall call)
    {
        var a = call.Arguments;
        var script = a.String("script");
        if (a.String("model") is { } model)
        {
            // A checkpoint may be a local folder, whose config.json the planner reads: it too must be inside.
            call.Workspace.Resolve(Path.GetFullPath(model, script is null ? call.Workspace.Folder : Path.GetDirectoryName(script)!), "model");
        }

        var options = new PlanOptions
        {
            Script = script,
            Data = a.String("data"),
            TextColumn = a.String("textColumn"),
            LabelColumn = a.String("labelColumn"),
            Model = a.String("model"),
            Epochs = a.Number("epochs"),
            MaxLength = (int?)a.Integer("maxLength"),
            Hardware = a.String("hardware"),
            Target = a.String("target") ?? "local",
            Processes = (int?)a.Integer("processes") ?? 1,
            Baseline = a.String("baseline") ?? "tfidf",
            Smoke = a.Boolean("smoke") ?? false,
        };
        try
        {
            // Planner.Plan only reads; `mlintern plan` is what saves a plan (WorkspaceStore.SavePlan), and this tool never calls it.
            return Wire.TrainingPlan.From(Planner.Plan(call.Workspace.Folder, options, null, FileChecks.Datasets, call.Cancellation));
        }
        catch (Exception e) when (e is ArgumentException or FileNotFoundException)
        {
            throw new ToolError(e.Message);
        }
    }

    private static Wire.EvaluationReport EvaluateRun(ToolCall call)
    {
        var run = call.Arguments.String("run")!;
        var byId = Path.Combine(call.Workspace.Folder, ".mlintern", "runs", run);
        var folder = RunIds.IsValid(run) && Directory.Exists(byId) ? byId : call.Workspace.Resolve(run, "run");
        if (!Directory.Exists(folder) || !call.Workspace.Contains(folder))
        {
            throw new ToolError($"{run}: no such run folder, and no run with that id in .mlintern/runs/");
        }

        var audit = call.Arguments.Boolean("audit");
        try
        {
            // RunEvaluator only reads (run.json, the plan, predictions.jsonl, the data set); `evaluate --html` and the editor write reports.
            var report = RunEvaluator.Evaluate(RunContext.Resolve(folder, call.Workspace.Folder), new EvaluateOptions(audit, null, call.Arguments.String("categoryColumn")), call.Cancellation);
            return Wire.EvaluationReport.From(report);
        }
        catch (Exception e) when (e is RunNotFoundException or PredictionsException)
        {
            throw new ToolError(e.Message);
        }
    }

    private static RuleExplanation ExplainRule(ToolCall call)
    {
        var code = call.Arguments.String("code")!.Trim().ToUpperInvariant();
        return RuleCatalog.Find(code) is { } rule
            ? RuleExplanation.From(rule)
            : throw new ToolError($"unknown rule '{(code.Length <= 16 ? code : code[..16] + "…")}'; the rules are {string.Join(", ", RuleCatalog.All.Select(r => r.Code))}");
    }

    /// <summary>A path as the client named it: relative to the workspace.</summary>
    private static string Shown(ToolCall call, string fullPath)
    {
        var relative = Path.GetRelativePath(call.Workspace.Folder, fullPath);
        return (relative.StartsWith("..", StringComparison.Ordinal) ? fullPath : relative).Replace('\\', '/');
    }
}
