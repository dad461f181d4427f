using System.Globalization;
using MLIntern.Analysis.Rules;
using MLIntern.Data.Profiling;
using MLIntern.Server.Engine;
using MLIntern.Training.Compute;
using MLIntern.Training.Launch;
using MLIntern.Training.Plans;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Runs;

/// <summary>What a user asks to plan, from the CLI or mlintern/planTraining.</summary>
internal sealed record PlanOptions
{
    /// <summary>The training script; null plans the built-in baseline.</summary>
    public string? Script { get; init; }

    public string? Data { get; init; }

    public string? TextColumn { get; init; }

    public string? LabelColumn { get; init; }

    public string? Model { get; init; }

    public double? Epochs { get; init; }

    public int? MaxLength { get; init; }

    public string? Hardware { get; init; }

    public string Target { get; init; } = "local";

    public int Processes { get; init; } = 1;

    public string Python { get; init; } = "python3";

    public int Seed { get; init; } = 42;

    /// <summary>Which built-in baseline: tfidf (the default) or encoder (all-MiniLM-L6-v2 + logistic regression).</summary>
    public string Baseline { get; init; } = "tfidf";

    public bool Smoke { get; init; }

    public int SmokeRows { get; init; } = 64;

    public int SmokeSteps { get; init; } = 10;
}

/// <summary>Planning needs a data set and none was given or found in the script: the editor asks the user for one and plans again.</summary>
internal sealed class DataSetNeededException(string message) : ArgumentException(message);

/// <summary>
/// Turns a request into a plan: resolves the data set (its facts and text length profile), the
/// model size (table, or config.json beside a local checkpoint), the hardware and prices, the
/// budget, and the launch command. The host's half of <see cref="PlanBuilder"/>.
/// </summary>
internal static class Planner
{
    /// <summary>
    /// How to start this very program again (the built-in baseline, the editor's task): its own
    /// executable, or `dotnet mlintern.dll` when it runs under the dotnet host (tests, dev builds).
    /// </summary>
    public static (string Executable, IReadOnlyList<string> Prefix) Self
    {
        get
        {
            var process = Environment.ProcessPath ?? "mlintern";
            var name = Path.GetFileNameWithoutExtension(process);
            return name.Equals("dotnet", StringComparison.OrdinalIgnoreCase) && typeof(Planner).Assembly.Location is { Length: > 0 } dll
                ? (process, [dll])
                : (process, []);
        }
    }

    public static TrainingPlan Plan(string workspace, PlanOptions options, JObject? editorSettings, DatasetFactsService datasets, CancellationToken cancellationToken = default)
    {
        var settings = ComputeSettings.Read(workspace, editorSettings);
        var dataSettings = editorSettings?["data"] as JObject;
        string? scriptText = null;
        string? script = null;
        if (options.Script is not null)
        {
            script = Path.GetFullPath(options.Script, workspace);
            scriptText = File.Exists(script) ? File.ReadAllText(script) : throw new FileNotFoundException($"{options.Script}: no such file");
        }

        var facts = scriptText is null ? null : ScriptScan.Scan(scriptText);
        var dataPath = options.Data is not null ? Path.GetFullPath(options.Data, workspace)
            : script is not null ? ScriptChecker.LoadedDatasets(scriptText!, ScriptDatasets.For(script, datasets, dataSettings)).FirstOrDefault()?.Path
            : null;
        if (dataPath is null)
        {
            throw new DataSetNeededException(script is null ? "which data set? (--data PATH)" : $"which data set does {Path.GetFileName(script)} train on? It loads none ML Intern can read; pass --data PATH");
        }

        if (!File.Exists(dataPath) && !Directory.Exists(dataPath))
        {
            throw new FileNotFoundException($"{options.Data}: no such file or directory");
        }

        var profile = datasets.GetProfile(dataPath, dataSettings, cancellationToken) ?? throw new ArgumentException($"{options.Data}: not a data set (a .csv, .tsv, .jsonl, .json or .parquet file, or a folder with train/test files)");
        var summary = DataSummary.From(profile);
        var text = options.TextColumn ?? profile.Text.Column;
        var label = options.LabelColumn ?? profile.Label.Column;

        var hardwareId = options.Hardware ?? settings.Hardware;
        var cpu = ComputeSettings.Cpu();
        var hardware = HardwareCatalog.Find(hardwareId, cpu) ?? throw new ArgumentException($"unknown hardware '{hardwareId}' (cpu, {string.Join(", ", HardwareCatalog.Gpus.Select(g => g.Id))})");
        hardware = HardwareCatalog.WithPrice(hardware, settings.Prices);

        var modelName = options.Model ?? facts?.Model;
        ModelSize? size = null;
        if (modelName is not null)
        {
            var local = Path.GetFullPath(modelName, script is null ? workspace : Path.GetDirectoryName(script)!);
            var config = Path.Combine(local, "config.json");
            size = File.Exists(config) ? ModelCatalog.FromConfig(modelName, File.ReadAllText(config)) : null;
            size ??= ModelCatalog.Lookup(modelName);
        }

        var target = Target(settings, options);
        if (target is { Kind: TargetKind.HfJobs } && script is null)
        {
            throw new ArgumentException("HF Jobs runs a training script (uv run SCRIPT); the built-in baseline runs here or on Slurm");
        }

        if (target is { Nodes: > 1 })
        {
            throw new ArgumentException($"the target '{target.Name}' asks for {target.Nodes} nodes; ML Intern launches on one node (several GPUs on it) for now");
        }

        var hyper = new Dictionary<string, string>(StringComparer.Ordinal);
        LaunchCommand command;
        if (script is null)
        {
            hyper["seed"] = options.Seed.ToString(CultureInfo.InvariantCulture);
            List<string> args = [.. Self.Prefix, "train", "--data", dataPath, "--seed", options.Seed.ToString(CultureInfo.InvariantCulture)];
            if (text is not null)
            {
                args.AddRange(["--text", text]);
            }

            if (label is not null)
            {
                args.AddRange(["--label", label]);
            }

            if (options.Baseline == "encoder")
            {
                hyper["baseline"] = "encoder";
                args.AddRange(["--baseline", "encoder"]);
            }

            if (options.Smoke)
            {
                args.Add("--smoke");
            }

            command = new LaunchCommand(Self.Executable, args, workspace, new SortedDictionary<string, string>(StringComparer.Ordinal));
        }
        else
        {
            if (facts?.BatchSize is { } batch)
            {
                hyper["per_device_train_batch_size"] = batch.ToString(CultureInfo.InvariantCulture);
            }

            if (facts?.LearningRate is { } lr)
            {
                hyper["learning_rate"] = lr.ToString("R", CultureInfo.InvariantCulture);
            }

            if (facts?.MaxSteps is { } steps and > 0)
            {
                hyper["max_steps"] = steps.ToString(CultureInfo.InvariantCulture);
            }

            var env = new SortedDictionary<string, string>(StringComparer.Ordinal);
            if (options.Smoke)
            {
                env["MLINTERN_SMOKE_ROWS"] = options.SmokeRows.ToString(CultureInfo.InvariantCulture);
                env["MLINTERN_SMOKE_STEPS"] = options.SmokeSteps.ToString(CultureInfo.InvariantCulture);
            }

            command = target is { Kind: TargetKind.Slurm }
                ? LaunchComposer.ForScript(options.Python, Path.GetRelativePath(workspace, script), [], workspace, target.Processes > 1 ? LaunchComposer.ParseTarget(target.Launcher) : LaunchTarget.Local, target.Processes, env)
                : LaunchComposer.ForScript(options.Python, Path.GetRelativePath(workspace, script), [], workspace, target is null ? LaunchComposer.ParseTarget(options.Target) : LaunchTarget.Local, target is null ? options.Processes : 1, env);
        }

        var remote = target is null ? null : Remote(target, settings, workspace, script, scriptText, command);

        var plan = PlanBuilder.Build(new PlanRequest(
            script is null ? PlanKind.Baseline : PlanKind.Script,
            dataPath,
            script,
            text,
            label,
            summary,
            size,
            modelName,
            options.Epochs ?? facts?.Epochs ?? 3,
            options.MaxLength ?? facts?.MaxLength ?? 512,
            hyper,
            hardware,
            settings.Budget,
            command,
            options.Smoke,
            options.SmokeRows,
            options.SmokeSteps,
            remote));

        // The approval is for this code: the script's content hash is part of the plan's hash.
        return script is null ? plan : (plan with { Files = [PlanFiles.Hash(script)] }).Sealed();
    }

    /// <summary>The launchers `--target` also takes (how a script runs here); any other value names a configured compute target.</summary>
    public static bool IsLauncher(string target) => target.ToLowerInvariant() is "local" or "python" or "accelerate" or "torchrun";

    /// <summary>The compute target a request names, or null for this machine; an unknown name is refused with the configured ones.</summary>
    public static ComputeTarget? Target(ComputeSettings settings, PlanOptions options)
    {
        if (IsLauncher(options.Target))
        {
            return null;
        }

        return settings.FindTarget(options.Target) ?? throw new ArgumentException(
            $"no compute target '{options.Target}' is configured ({(settings.Targets.Count == 0 ? "none are" : "configured: " + string.Join(", ", settings.Targets.Select(t => t.Name)))}); add [tool.mlintern.compute.targets.{options.Target}] to pyproject.toml or mlintern.compute.targets to the settings (docs/training.md)");
    }

    /// <summary>
    /// A remote target's part of the request: its price (refused when unknown: no ceiling, no run),
    /// the sbatch script or the hf jobs command, and the PEP 723 header of the HF Jobs copy.
    /// </summary>
    private static RemoteRequest Remote(ComputeTarget target, ComputeSettings settings, string workspace, string? script, string? scriptText, LaunchCommand command)
    {
        if (target.TimeMinutes is not > 0)
        {
            throw new ArgumentException($"the {ComputeTarget.KindName(target.Kind)} target '{target.Name}' has no {(target.Kind == TargetKind.HfJobs ? "timeout" : "time limit (time)")}; without one a job has no cost ceiling, so it is refused");
        }

        if (target.Kind == TargetKind.HfJobs)
        {
            if (string.IsNullOrWhiteSpace(target.Flavor))
            {
                throw new ArgumentException($"the HF Jobs target '{target.Name}' names no flavor");
            }

            var price = MLIntern.Training.Launch.HfJobsPrices.Find(target.Flavor, settings.HfJobsPrices)
                ?? throw new ArgumentException($"no price is known for the HF Jobs flavor '{target.Flavor}' (the built-in table has {string.Join(", ", MLIntern.Training.Launch.HfJobsPrices.Default.Prices.Keys.Order(StringComparer.Ordinal))}); set it in mlintern.compute.hfJobsPrices or [tool.mlintern.compute.hf-jobs-prices]. A job without a known price is refused");
            var folder = Path.GetDirectoryName(script!)!;
            var local = new HashSet<string>(Directory.EnumerateFiles(folder, "*.py").Select(Path.GetFileNameWithoutExtension).OfType<string>()
                .Concat(Directory.EnumerateDirectories(folder).Where(d => File.Exists(Path.Combine(d, "__init__.py"))).Select(Path.GetFileName).OfType<string>()), StringComparer.Ordinal);
            var header = Pep723.Header(scriptText!, local);
            var submission = HfJobs.Command(target, SbatchScript.RunFolderToken + "/" + HfJobs.SubmittedScript, workspace).CommandLine;
            return new RemoteRequest(target, price.Price, price.Source, submission, header);
        }

        if (target.Price is not { } unitPrice)
        {
            throw new ArgumentException($"the Slurm target '{target.Name}' has no price (price-per-gpu-hour or price-per-node-hour; 0 for a free cluster); a job without a price has no cost ceiling, so it is refused");
        }

        string line;
        if (script is null)
        {
            // The built-in baseline runs inside the job as `train --run ID --in-job`, which checks the run's approval again.
            var self = Planner.Self;
            line = string.Join(' ', new[] { self.Executable }.Concat(self.Prefix).Concat(["train", "--run"]).Select(LaunchCommand.Quote))
                + " \"$MLINTERN_RUN_ID\" --workspace " + LaunchCommand.Quote(workspace) + " --in-job";
        }
        else
        {
            line = command.CommandLine;
        }

        var what = script is null ? "the built-in baseline" : Path.GetFileName(script);
        var sbatch = SbatchScript.Template(target, "mlintern-" + (script is null ? "baseline" : Path.GetFileNameWithoutExtension(script)), command.WorkingDirectory, line, command.Environment, $"{what} on target '{target.Name}'");
        return new RemoteRequest(target, unitPrice, $"target '{target.Name}' ({(target.Unit == PriceUnit.GpuHour ? "per GPU-hour" : "per node-hour")})", sbatch);
    }

    /// <summary>The MLI602 line for a plan: at the script's train call when known, else on the plan file.</summary>
    public static string? OverBudgetFinding(TrainingPlan plan, string planFile)
    {
        if (!plan.OverBudget)
        {
            return null;
        }

        var where = planFile + ":1:1";
        if (plan.Script is not null && File.Exists(plan.Script) && ScriptScan.Scan(File.ReadAllText(plan.Script)).TrainCall is { } call)
        {
            where = $"{plan.Script}:{call.Line}:{call.Column}";
        }

        return $"{where}: {RunOverBudget.Rule.Code} {string.Join("; ", plan.OverBudgetReasons)} ({plan.Id})";
    }
}
