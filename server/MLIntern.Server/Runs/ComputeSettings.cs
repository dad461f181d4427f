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

        if (editor?["compute"] is JObject compute)
        {
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
        return new ComputeSettings(new Budget(maxHours is > 0 ? maxHours : null, maxCost is > 0 ? maxCost : null), prices, hardware);
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
