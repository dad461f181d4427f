using System.Globalization;
using MLIntern.Server.Engine;
using MLIntern.Training.Compute;
using MLIntern.Training.Plans;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Runs;

/// <summary>
/// The compute settings: budget (`mlintern.compute.maxHours`, `maxCostUsd`), prices
/// (`mlintern.compute.prices`: hardware id → USD per hour), default hardware
/// (`mlintern.compute.hardware`). pyproject.toml's [tool.mlintern.compute] (`max-hours`,
/// `max-cost-usd`, `hardware`, `price-&lt;id&gt;`) comes first; the editor's settings override it.
/// </summary>
internal sealed record ComputeSettings(Budget Budget, IReadOnlyDictionary<string, double> Prices, string Hardware)
{
    /// <summary>
    /// The configured compute targets besides this machine: pyproject.toml's
    /// `[tool.mlintern.compute.targets.NAME]` tables (`kind` = "slurm" or "hf-jobs"; Slurm: `partition`,
    /// `nodes`, `gpus` per node, `cpus` per task, `time` as Slurm writes it, `price-per-gpu-hour` or
    /// `price-per-node-hour`, `launcher` accelerate|torchrun, `cluster`; HF Jobs: `flavor`, `timeout`
    /// minutes or h:m:s), then `mlintern.compute.targets` (NAME → the same keys in camel case) on top.
    /// </summary>
    public IReadOnlyList<MLIntern.Training.Launch.ComputeTarget> Targets { get; init; } = [];

    /// <summary>HF Jobs prices set by the user (flavor → USD per hour), over the built-in table: `[tool.mlintern.compute.hf-jobs-prices]`, `mlintern.compute.hfJobsPrices`.</summary>
    public IReadOnlyDictionary<string, double> HfJobsPrices { get; init; } = new Dictionary<string, double>();

    /// <summary>A target by name, else the first of that kind ("slurm", "hf-jobs"); null when none is configured.</summary>
    public MLIntern.Training.Launch.ComputeTarget? FindTarget(string name) =>
        Targets.FirstOrDefault(t => t.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? (MLIntern.Training.Launch.ComputeTarget.ParseKind(name) is { } kind and not MLIntern.Training.Launch.TargetKind.Local ? Targets.FirstOrDefault(t => t.Kind == kind) : null);

    public static ComputeSettings Read(string workspace, JObject? editor)
    {
        double? maxHours = Budget.Default.MaxHours, maxCost = Budget.Default.MaxCostUsd;
        var prices = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        var hardware = HardwareCatalog.Cpu;
        var pyproject = Path.Combine(workspace, "pyproject.toml");
        if (File.Exists(pyproject))
        {
            foreach (var (key, value) in Engine.Pyproject.ReadSection(File.ReadAllText(pyproject), "tool.mlintern.compute"))
            {
                var number = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : (double?)null;
                switch (key)
                {
                    case "max-hours":
                        maxHours = number;
                        break;
                    case "max-cost-usd":
                        maxCost = number;
                        break;
                    case "hardware":
                        hardware = value;
                        break;
                    default:
                        if (key.StartsWith("price-", StringComparison.Ordinal) && number is { } price)
                        {
                            prices[key["price-".Length..]] = price;
                        }

                        break;
                }
            }
        }

        var targets = new Dictionary<string, Dictionary<string, string>>(StringComparer.OrdinalIgnoreCase);
        var hfPrices = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        if (File.Exists(pyproject))
        {
            foreach (var (table, entries) in Engine.Toml.Parse(File.ReadAllText(pyproject)))
            {
                const string prefix = "tool.mlintern.compute.targets.";
                if (table.StartsWith(prefix, StringComparison.Ordinal) && table.Length > prefix.Length)
                {
                    var values = targets[table[prefix.Length..]] = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                    foreach (var (key, value) in entries)
                    {
                        if (Scalar(value) is { } text)
                        {
                            values[key.Replace("-", "", StringComparison.Ordinal)] = text;
                        }
                    }
                }
                else if (table == "tool.mlintern.compute.hf-jobs-prices")
                {
                    foreach (var (key, value) in entries)
                    {
                        if (value is double price && price >= 0)
                        {
                            hfPrices[key] = price;
                        }
                    }
                }
            }
        }

        if (editor?["compute"] is JObject compute)
        {
            if (compute["targets"] is JObject configured)
            {
                foreach (var property in configured.Properties())
                {
                    if (property.Value is JObject fields)
                    {
                        var values = targets.TryGetValue(property.Name, out var existing) ? existing : targets[property.Name] = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                        foreach (var field in fields.Properties())
                        {
                            if (field.Value is JValue { Value: { } v })
                            {
                                values[field.Name.Replace("-", "", StringComparison.Ordinal)] = Convert.ToString(v, CultureInfo.InvariantCulture)!;
                            }
                        }
                    }
                }
            }

            if (compute["hfJobsPrices"] is JObject hf)
            {
                foreach (var property in hf.Properties())
                {
                    if (Number(property.Value) is { } price and >= 0)
                    {
                        hfPrices[property.Name] = price;
                    }
                }
            }

            maxHours = Number(compute["maxHours"]) ?? maxHours;
            maxCost = Number(compute["maxCostUsd"]) ?? maxCost;
            if (compute["hardware"] is JValue { Value: string h } && h.Length > 0)
            {
                hardware = h;
            }

            if (compute["prices"] is JObject table)
            {
                foreach (var property in table.Properties())
                {
                    if (Number(property.Value) is { } price)
                    {
                        prices[property.Name] = price;
                    }
                }
            }
        }

        // A budget of 0 or less means "no limit" for that figure.
        return new ComputeSettings(new Budget(maxHours is > 0 ? maxHours : null, maxCost is > 0 ? maxCost : null), prices, hardware)
        {
            Targets = [.. targets.Select(t => Target(t.Key, t.Value)).OfType<MLIntern.Training.Launch.ComputeTarget>()],
            HfJobsPrices = hfPrices,
        };
    }

    private static string? Scalar(object value) => value switch
    {
        string s => s,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => null,
    };

    /// <summary>One target's settings (keys without dashes, any case) as a target; null when its kind is not slurm or hf-jobs.</summary>
    private static MLIntern.Training.Launch.ComputeTarget? Target(string name, Dictionary<string, string> values)
    {
        var kind = MLIntern.Training.Launch.ComputeTarget.ParseKind(values.GetValueOrDefault("kind") ?? name);
        if (kind is not (MLIntern.Training.Launch.TargetKind.Slurm or MLIntern.Training.Launch.TargetKind.HfJobs))
        {
            return null;
        }

        int Int(string key, int fallback) => values.TryGetValue(key, out var t) && double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0 && n < 1e6 ? (int)n : fallback;
        double? Price(string key) => values.TryGetValue(key, out var t) && double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0 && double.IsFinite(n) ? n : null;
        var perGpu = Price("pricepergpuhour");
        var perNode = Price("pricepernodehour");
        var time = MLIntern.Training.Launch.ComputeTarget.ParseMinutes(values.GetValueOrDefault(kind == MLIntern.Training.Launch.TargetKind.HfJobs ? "timeout" : "time") ?? values.GetValueOrDefault("time") ?? values.GetValueOrDefault("timeout"));
        return new MLIntern.Training.Launch.ComputeTarget(
            name,
            kind.Value,
            Partition: values.GetValueOrDefault("partition"),
            Nodes: Int("nodes", 1),
            Gpus: Int("gpus", 0),
            Cpus: Int("cpus", 1),
            TimeMinutes: time,
            Price: perGpu ?? perNode,
            Unit: perGpu is not null ? MLIntern.Training.Launch.PriceUnit.GpuHour : MLIntern.Training.Launch.PriceUnit.NodeHour,
            Flavor: values.GetValueOrDefault("flavor"),
            Launcher: values.GetValueOrDefault("launcher") is "torchrun" ? "torchrun" : "accelerate",
            Cluster: values.GetValueOrDefault("cluster"));
    }

    private static double? Number(JToken? token) => token is JValue { Type: JTokenType.Integer or JTokenType.Float } v ? Convert.ToDouble(v.Value, CultureInfo.InvariantCulture) : null;

    /// <summary>This machine's CPU, measured once and cached in $XDG_CACHE_HOME/mlintern/cpu.json (keyed by core count).</summary>
    public static Hardware Cpu()
    {
        var cacheHome = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } x ? x : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        var path = Path.Combine(cacheHome, "mlintern", "cpu.json");
        var cores = Environment.ProcessorCount;
        try
        {
            if (File.Exists(path) && JObject.Parse(File.ReadAllText(path)) is { } cached &&
                cached.Value<int?>("cores") == cores && cached.Value<int?>("probe") == CpuProbe.Version && cached.Value<double?>("flops") is { } flops and > 0)
            {
                return HardwareCatalog.ForCpu(flops, cores);
            }
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
        }

        var measured = CpuProbe.MeasureFlops();
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            State.AtomicFile.WriteAllText(path, new JObject { ["cores"] = cores, ["probe"] = CpuProbe.Version, ["flops"] = measured, ["measuredAt"] = DateTimeOffset.UtcNow.ToString("O") }.ToString());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return HardwareCatalog.ForCpu(measured, cores);
    }
}
