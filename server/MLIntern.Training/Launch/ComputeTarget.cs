using System.Globalization;

namespace MLIntern.Training.Launch;

/// <summary>Where a plan runs: this machine, a Slurm cluster (sbatch) or Hugging Face Jobs (hf jobs uv run).</summary>
public enum TargetKind
{
    Local,
    Slurm,
    HfJobs,
}

/// <summary>What a Slurm target's price is per: one GPU for an hour, or one node for an hour.</summary>
public enum PriceUnit
{
    GpuHour,
    NodeHour,
}

/// <summary>
/// A configured compute target (`[tool.mlintern.compute.targets.NAME]` / `mlintern.compute.targets`).
/// Slurm: partition, nodes, GPUs per node, CPUs per task, the time limit (`--time`, minutes), the
/// price per GPU-hour or node-hour and the multi-GPU launcher. HF Jobs: the flavor and the timeout
/// (minutes); its price comes from <see cref="HfJobsPrices"/> unless the settings override it.
/// </summary>
public sealed record ComputeTarget(
    string Name,
    TargetKind Kind,
    string? Partition = null,
    int Nodes = 1,
    int Gpus = 0,
    int Cpus = 1,
    int? TimeMinutes = null,
    double? Price = null,
    PriceUnit Unit = PriceUnit.NodeHour,
    string? Flavor = null,
    string Launcher = "accelerate",
    string? Cluster = null)
{
    public static ComputeTarget Local { get; } = new("local", TargetKind.Local);

    /// <summary>The processes a script runs as: one per GPU over every node (at least one).</summary>
    public int Processes => Math.Max(1, Gpus) * Math.Max(1, Nodes);

    /// <summary>How many of the price's unit the job holds: GPUs × nodes for a GPU-hour price, nodes for a node-hour price.</summary>
    public double PriceUnits => Unit == PriceUnit.GpuHour ? Math.Max(1, Gpus) * Math.Max(1, Nodes) : Math.Max(1, Nodes);

    public static string KindName(TargetKind kind) => kind switch
    {
        TargetKind.Slurm => "slurm",
        TargetKind.HfJobs => "hf-jobs",
        _ => "local",
    };

    public static TargetKind? ParseKind(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "slurm" => TargetKind.Slurm,
        "hf-jobs" or "hf_jobs" or "hfjobs" => TargetKind.HfJobs,
        "local" => TargetKind.Local,
        _ => null,
    };

    /// <summary>
    /// A Slurm time limit as minutes: "90", "1:30:00" (h:m:s), "2-00:00:00" (days-h:m:s), "30:00" (m:s,
    /// rounded up to a minute as Slurm does); null when it is none of these.
    /// </summary>
    public static int? ParseMinutes(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        text = text.Trim();
        var days = 0;
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0)
        {
            if (!int.TryParse(text[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out days))
            {
                return null;
            }

            text = text[(dash + 1)..];
        }

        var parts = text.Split(':');
        var numbers = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
            {
                return null;
            }
        }

        double minutes = (dash > 0, numbers.Length) switch
        {
            (false, 1) => numbers[0],
            (false, 2) => numbers[0] + (numbers[1] / 60.0),
            (false, 3) => (numbers[0] * 60) + numbers[1] + (numbers[2] / 60.0),
            (true, 1) => numbers[0] * 60,
            (true, 2) => (numbers[0] * 60) + numbers[1],
            (true, 3) => (numbers[0] * 60) + numbers[1] + (numbers[2] / 60.0),
            _ => -1,
        };
        if (minutes < 0)
        {
            return null;
        }

        var total = (days * 24 * 60) + Math.Ceiling(minutes);
        return total is > 0 and <= int.MaxValue ? (int)total : null;
    }

    /// <summary>Minutes as Slurm's `--time` (D-HH:MM:SS, or HH:MM:SS under a day).</summary>
    public static string SlurmTime(int minutes)
    {
        var days = minutes / (24 * 60);
        var rest = minutes % (24 * 60);
        var hm = $"{rest / 60:00}:{rest % 60:00}:00";
        return days > 0 ? $"{days}-{hm}" : hm;
    }
}

/// <summary>
/// The remote part of a plan: the target, the price per hour of what it holds, the cost ceiling
/// (price × the time limit: the most the job can cost, since the scheduler ends it there), and the
/// submission the approval shows — the sbatch script (with <see cref="SbatchScript.RunFolderToken"/>
/// for the run folder) or the `hf jobs` command line and the PEP 723 header of the submitted copy.
/// All of it is part of the plan's hash.
/// </summary>
public sealed record TargetPlan(
    ComputeTarget Target,
    double PricePerHour,
    double CeilingHours,
    double CeilingUsd,
    string Submission,
    string? Header = null,
    string? PriceSource = null);

/// <summary>
/// How a multi-GPU run's time scales: N processes do the work of N × e(N) single ones, e(N) =
/// 0.9^log2(N) (data-parallel all-reduce overhead: 90% at 2 GPUs, 81% at 4, 73% at 8, 66% at 16).
/// The figure is a rule of thumb for one well-connected node, stated in docs/training.md.
/// </summary>
public static class Scaling
{
    public const double EfficiencyPerDoubling = 0.9;

    public static double Efficiency(int processes) => processes <= 1 ? 1 : Math.Pow(EfficiencyPerDoubling, Math.Log2(processes));

    /// <summary>The efficiency as a whole percentage ("81%").</summary>
    public static string Percent(int processes) => Math.Round(Efficiency(processes) * 100).ToString(CultureInfo.InvariantCulture) + "%";

    /// <summary>Hours on N processes given hours on one.</summary>
    public static double Hours(double singleHours, int processes) => processes <= 1 ? singleHours : singleHours / (processes * Efficiency(processes));
}
