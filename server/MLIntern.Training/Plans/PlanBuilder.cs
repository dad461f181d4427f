using System.Globalization;
using MLIntern.Data.Profiling;
using MLIntern.Training.Compute;
using MLIntern.Training.Launch;

namespace MLIntern.Training.Plans;

/// <summary>What the estimate needs to know about the data set: rows per role and the text length distribution (characters).</summary>
public sealed record DataSummary(long TrainRows, long EvalRows, int Classes, double MeanChars, IReadOnlyList<HistogramBin> Histogram)
{
    /// <summary>
    /// From a profile: the training rows are the train split (or everything when the data set has no
    /// splits — the 20% hold-out is then taken from them), evaluation rows the validation or test split.
    /// </summary>
    public static DataSummary From(DatasetProfile profile)
    {
        var train = profile.Splits.FirstOrDefault(s => s.Name == "train") ?? profile.Splits.FirstOrDefault(s => s.Name == "all");
        var eval = profile.Splits.FirstOrDefault(s => s.Name is "validation" or "valid" or "val" or "dev") ?? profile.Splits.FirstOrDefault(s => s.Name == "test");
        long trainRows = train?.Rows ?? profile.Rows, evalRows = eval?.Rows ?? 0;
        if (eval is null && train?.Name == "all")
        {
            evalRows = (long)Math.Round(trainRows * 0.2);
            trainRows -= evalRows;
        }

        var lengths = (train ?? profile.Splits.FirstOrDefault())?.Columns.FirstOrDefault(c => c.Name == profile.Text.Column)?.Lengths;
        return new DataSummary(trainRows, evalRows, (int)(profile.Labels?.Classes ?? 0), lengths?.Mean ?? 0, lengths?.Histogram ?? []);
    }
}

/// <summary>What the user asked to plan.</summary>
public sealed record PlanRequest(
    PlanKind Kind,
    string DataPath,
    string? Script,
    string? TextColumn,
    string? LabelColumn,
    DataSummary? Data,
    ModelSize? Model,
    string? ModelName,
    double Epochs,
    int MaxLength,
    IReadOnlyDictionary<string, string> Hyperparameters,
    Hardware Hardware,
    Budget Budget,
    LaunchCommand Command,
    bool Smoke = false,
    int SmokeRows = 64,
    int SmokeSteps = 10,
    RemoteRequest? Remote = null);

/// <summary>
/// A plan for a Slurm or HF Jobs target: the target, its price per hour of one unit (GPU-hour or
/// node-hour for Slurm, the flavor's hourly price for HF Jobs) and where that price came from, and
/// the submission text the host composed (sbatch script, or hf jobs command line + PEP 723 header).
/// </summary>
public sealed record RemoteRequest(ComputeTarget Target, double Price, string? PriceSource, string Submission, string? Header = null);

/// <summary>
/// Builds a plan and its compute estimate. A transformer fine-tune costs about 6 × parameters ×
/// tokens FLOPs to train (forward 2, backward 4 per parameter and token) plus 2 × parameters ×
/// tokens to evaluate after every epoch; hours = FLOPs / (peak × utilisation) / 3600; cost = hours
/// × price per hour. The baseline's estimate comes from its own cost model (see <see cref="BaselineFlops"/>).
/// </summary>
public static class PlanBuilder
{
    /// <summary>Characters per WordPiece/BPE token in English text: a rule of thumb, checked against the tokenizers of the table.</summary>
    public const double CharsPerToken = 4.0;

    /// <summary>[CLS] and [SEP] (or &lt;s&gt; and &lt;/s&gt;).</summary>
    public const int SpecialTokens = 2;

    /// <summary>
    /// The baseline's cost model counts its worst case (every epoch up to the cap, 3.5 features per
    /// character); its SIMD-blocked solver runs at about the probe's dense rate. Calibrated with
    /// `make bench-train`: 2.3 s predicted against 0.84 s measured on 21,600 rows — an upper bound.
    /// </summary>
    public const double BaselineUtilisation = 1.0;

    /// <summary>The baseline's worst case: its epoch cap.</summary>
    public const int BaselineEpochs = 30;

    public static TrainingPlan Build(PlanRequest request)
    {
        var data = request.Data;
        if (data is not null && request.Smoke)
        {
            data = data with { TrainRows = Math.Min(data.TrainRows, request.SmokeRows), EvalRows = Math.Min(data.EvalRows, request.SmokeRows) };
        }

        var hyper = new SortedDictionary<string, string>(request.Hyperparameters.ToDictionary(), StringComparer.Ordinal);
        TokenEstimate? tokens = null;
        ComputeEstimate estimate;
        var hardware = request.Hardware;
        if (request.Kind == PlanKind.Baseline && hyper.TryGetValue("baseline", out var which) && which == "encoder")
        {
            hardware = hardware with { Utilisation = BaselineUtilisation, Name = hardware.Name + ", frozen encoder + logistic regression" };
            estimate = data is null || data.TrainRows == 0
                ? Unknown("the data set's rows are unknown", hardware, "encoder cost model")
                : Known(EncoderFlops(data), hardware, $"2 × {EncoderParameters:N0} parameters × tokens of every row (one forward pass) + rows × 384 × classes × 4 × {EncoderHeadIterations} L-BFGS iterations");
        }
        else if (request.Kind == PlanKind.Baseline)
        {
            hardware = hardware with { Utilisation = BaselineUtilisation, Name = hardware.Name + ", sparse linear model" };
            hyper.TryAdd("epochs (at most)", BaselineEpochs.ToString(CultureInfo.InvariantCulture));
            estimate = data is null || data.TrainRows == 0
                ? Unknown("the data set's rows are unknown", hardware, "baseline cost model")
                : Known(BaselineFlops(data), hardware, $"rows × (3.5 × mean chars + 8) features × classes × 4 × {BaselineEpochs} epochs");
        }
        else
        {
            hyper["num_train_epochs"] = ScriptScan.Format(request.Epochs);
            hyper["max_length"] = request.MaxLength.ToString(CultureInfo.InvariantCulture);
            if (data is not null && data.TrainRows > 0)
            {
                tokens = Tokens(data, request.MaxLength, request.Smoke ? 1 : request.Epochs);
            }

            estimate = (request.Model, tokens) switch
            {
                (null, _) => Unknown($"the size of model '{request.ModelName ?? "(none found)"}' is unknown (not in the table, no config.json)", hardware, "6 × parameters × tokens"),
                (_, null) => Unknown("the data set's rows are unknown", hardware, "6 × parameters × tokens"),
                ({ } model, { } t) => Known(request.Smoke
                    ? 6.0 * model.Parameters * Math.Min(t.TrainTokens, request.SmokeSteps * 8.0 * t.MeanTokens)
                    : (6.0 * model.Parameters * t.TrainTokens) + (2.0 * model.Parameters * t.EvalTokens), hardware, "6 × parameters × train tokens + 2 × parameters × eval tokens"),
            };
        }

        TargetPlan? remote = null;
        if (request.Remote is { } r)
        {
            (estimate, remote) = ForTarget(request.Kind, estimate, r);
        }

        var reasons = new List<string>();
        if (remote is not null)
        {
            var limit = ComputeTarget.SlurmTime(remote.Target.TimeMinutes ?? 0);
            if (request.Budget.MaxHours is { } maxH && remote.CeilingHours > maxH)
            {
                reasons.Add($"the time limit {limit} ({Format(remote.CeilingHours)} h) is over the budget of {Format(maxH)} h");
            }

            if (request.Budget.MaxCostUsd is { } maxC && remote.CeilingUsd > maxC)
            {
                reasons.Add($"the cost ceiling ${remote.CeilingUsd:F2} (${remote.PricePerHour:F2}/h × {Format(remote.CeilingHours)} h time limit) is over the budget of ${maxC:F2}");
            }
        }

        if (estimate.Hours is { } hours && request.Budget.MaxHours is { } maxHours && hours > maxHours)
        {
            reasons.Add($"{Format(hours)} h is over the budget of {Format(maxHours)} h");
        }

        if (estimate.CostUsd is { } cost && request.Budget.MaxCostUsd is { } maxCost && cost > maxCost)
        {
            reasons.Add($"${cost:F2} is over the budget of ${maxCost:F2}");
        }

        var title = request.Kind == PlanKind.Baseline
            ? $"Built-in baseline on {Path.GetFileName(request.DataPath)}"
            : $"{Path.GetFileName(request.Script ?? "script")} ({request.ModelName ?? "unknown model"}) on {Path.GetFileName(request.DataPath)}";
        return new TrainingPlan(
            request.Kind,
            request.Smoke ? "Smoke test: " + title : title,
            request.Script,
            request.DataPath,
            request.TextColumn,
            request.LabelColumn,
            data?.Classes ?? 0,
            request.Kind != PlanKind.Baseline ? request.ModelName : hyper.GetValueOrDefault("baseline") == "encoder" ? "sentence-transformers/all-MiniLM-L6-v2 (frozen) + logistic regression" : "hashed TF-IDF n-grams + linear SVM",
            request.Model?.Parameters,
            request.Model?.Source,
            hyper,
            tokens,
            estimate,
            request.Budget,
            reasons,
            request.Command,
            request.Smoke) { Remote = remote }.Sealed();
    }

    /// <summary>
    /// The estimate on a remote target and the target's part of the plan: a script on N processes
    /// takes <see cref="Scaling.Hours"/> of its single-process time; the cost is those hours at the
    /// target's price per hour (unit price × GPUs or nodes held); the ceiling is that price × the time limit.
    /// </summary>
    public static (ComputeEstimate Estimate, TargetPlan Remote) ForTarget(PlanKind kind, ComputeEstimate estimate, RemoteRequest request)
    {
        var target = request.Target;
        if (target.TimeMinutes is not > 0)
        {
            throw new ArgumentException($"the {ComputeTarget.KindName(target.Kind)} target '{target.Name}' has no time limit; a job without one has no cost ceiling");
        }

        var perHour = request.Price * (target.Kind == TargetKind.Slurm ? target.PriceUnits : 1);
        var processes = kind == PlanKind.Script ? target.Processes : 1;
        var hours = estimate.Hours is { } h ? Scaling.Hours(h, processes) : (double?)null;
        var where = target.Kind == TargetKind.Slurm
            ? $"Slurm {(target.Partition is { Length: > 0 } p ? "partition " + p : "default partition")}, {Math.Max(1, target.Nodes)} node(s), {target.Gpus} GPU(s) per node"
            : $"HF Jobs {target.Flavor}";
        var name = processes > 1
            ? $"{estimate.HardwareName} × {processes} processes at {Scaling.Percent(processes)} scaling efficiency ({where})"
            : $"{estimate.HardwareName} ({where})";
        var scaled = estimate with
        {
            HardwareName = name,
            Hours = hours,
            PricePerHour = perHour,
            CostUsd = hours * perHour,
        };
        var ceilingHours = target.TimeMinutes.Value / 60.0;
        return (scaled, new TargetPlan(target, perHour, ceilingHours, ceilingHours * perHour, request.Submission, request.Header, request.PriceSource));
    }

    /// <summary>Mean tokens per row (after truncation) from the length histogram, and the totals over epochs.</summary>
    public static TokenEstimate Tokens(DataSummary data, int maxLength, double epochs)
    {
        double mean;
        string basis;
        var total = data.Histogram.Sum(b => b.Count);
        if (total > 0)
        {
            double sum = 0;
            foreach (var bin in data.Histogram)
            {
                var chars = bin.To is { } to ? (bin.From + to) / 2.0 : bin.From * 1.25;
                sum += bin.Count * TokensFor(chars, maxLength);
            }

            mean = sum / total;
            basis = $"text length histogram, {CharsPerToken} chars/token + {SpecialTokens} special, truncated at {maxLength}";
        }
        else
        {
            mean = TokensFor(data.MeanChars, maxLength);
            basis = $"mean text length, {CharsPerToken} chars/token + {SpecialTokens} special, truncated at {maxLength}";
        }

        return new TokenEstimate(data.TrainRows, data.EvalRows, mean, maxLength, epochs, data.TrainRows * mean * epochs, data.EvalRows * mean * Math.Ceiling(epochs), basis);
    }

    public static double TokensFor(double chars, int maxLength) => Math.Min(Math.Ceiling(chars / CharsPerToken) + SpecialTokens, maxLength);

    /// <summary>all-MiniLM-L6-v2's parameters (the table in docs/training.md).</summary>
    public const double EncoderParameters = 22_713_216;

    /// <summary>The encoder baseline's head: at most this many L-BFGS iterations.</summary>
    public const int EncoderHeadIterations = 200;

    /// <summary>
    /// The encoder baseline: one forward pass (2 FLOPs per parameter and token) over every row of
    /// both splits — a cached run costs far less — plus the head's full-batch iterations.
    /// </summary>
    public static double EncoderFlops(DataSummary data)
    {
        var rows = data.TrainRows + data.EvalRows;
        var tokens = rows * TokensFor(data.MeanChars, 256);
        return (2 * EncoderParameters * tokens) + (data.TrainRows * 384.0 * Math.Max(2, data.Classes) * 4.0 * EncoderHeadIterations);
    }

    /// <summary>The baseline's operations: every feature of every row, for every class, multiply-add in the dot product and in the update, every epoch.</summary>
    public static double BaselineFlops(DataSummary data) =>
        data.TrainRows * ((3.5 * data.MeanChars) + 8) * Math.Max(2, data.Classes) * 4.0 * BaselineEpochs;

    private static ComputeEstimate Known(double flops, Hardware hardware, string formula)
    {
        var hours = flops / hardware.EffectiveFlops / 3600;
        return new ComputeEstimate(true, null, flops, formula, hardware.Id, hardware.Name, hardware.EffectiveFlops, hours, hardware.PricePerHour, hours * hardware.PricePerHour);
    }

    private static ComputeEstimate Unknown(string because, Hardware hardware, string formula) =>
        new(false, because, null, formula, hardware.Id, hardware.Name, hardware.EffectiveFlops, null, hardware.PricePerHour, null);

    public static string Format(double hours) => hours.ToString(hours < 0.1 ? "0.####" : "0.##", CultureInfo.InvariantCulture);
}
