namespace MLIntern.Training.Compute;

/// <summary>
/// A kind of machine: its peak dense throughput for training precision (bf16/fp16 tensor cores on
/// GPUs; on the CPU the fp32 rate measured on this machine), the fraction of it a fine-tune really
/// gets (model FLOPs utilisation), and the default price per hour.
/// </summary>
public sealed record Hardware(string Id, string Name, double PeakFlops, double Utilisation, double PricePerHour, string Source)
{
    public double EffectiveFlops => PeakFlops * Utilisation;
}

/// <summary>The hardware table. Sources (datasheets, price pages) are named in docs/training.md; prices are editable in settings.</summary>
public static class HardwareCatalog
{
    public const string Cpu = "cpu";

    /// <summary>GPUs by id, with list prices per GPU-hour (on-demand, US regions).</summary>
    public static IReadOnlyList<Hardware> Gpus { get; } =
    [
        new("t4", "NVIDIA T4 16 GB", 65e12, 0.25, 0.35, "NVIDIA T4 datasheet: 65 TFLOPS FP16 tensor; Google Cloud GPU pricing: $0.35/h"),
        new("a10g", "NVIDIA A10G 24 GB", 125e12, 0.30, 1.006, "NVIDIA A10 datasheet: 125 TFLOPS FP16 tensor (dense); AWS g5.xlarge on-demand: $1.006/h"),
        new("a100", "NVIDIA A100 40 GB", 312e12, 0.35, 3.67, "NVIDIA A100 datasheet: 312 TFLOPS BF16 tensor (dense); Google Cloud a2-highgpu-1g: $3.67/h"),
        new("h100", "NVIDIA H100 80 GB SXM", 989e12, 0.35, 3.29, "NVIDIA H100 datasheet: 989 TFLOPS BF16 tensor (dense, SXM); Lambda on-demand 1×H100 SXM: $3.29/h"),
    ];

    /// <summary>This machine's CPU, from a measured fp32 rate. Training on a CPU reaches about half of a tight matrix-multiply loop.</summary>
    public static Hardware ForCpu(double measuredFlops, int cores) =>
        new(Cpu, $"this machine's CPU ({cores} cores)", measuredFlops, 0.5, 0, "measured: fp32 matrix multiply on every core, once, cached");

    public static Hardware? Find(string id, Hardware cpu) =>
        id.Equals(Cpu, StringComparison.OrdinalIgnoreCase) ? cpu : Gpus.FirstOrDefault(g => g.Id.Equals(id, StringComparison.OrdinalIgnoreCase));

    /// <summary>The table with prices replaced by the user's (id → USD per hour).</summary>
    public static Hardware WithPrice(Hardware hardware, IReadOnlyDictionary<string, double>? prices) =>
        prices is not null && prices.TryGetValue(hardware.Id, out var price) && price >= 0 ? hardware with { PricePerHour = price } : hardware;
}
