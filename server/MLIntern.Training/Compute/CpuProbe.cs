using System.Numerics;

namespace MLIntern.Training.Compute;

/// <summary>
/// Measures this machine's fp32 throughput: a cache-sized matrix multiply with SIMD
/// multiply-adds, on every core at once, for a fixed amount of work. The host runs it once and
/// caches the figure (it takes well under a second on an idle machine).
/// </summary>
public static class CpuProbe
{
    /// <summary>Changes when the probe does; a cached figure from another version is measured again.</summary>
    public const int Version = 2;

    private const int Size = 96;

    /// <summary>The best of three timed rounds after a warm-up (other processes only ever make a round slower).</summary>
    public static double MeasureFlops(int repeats = 40)
    {
        var threads = Environment.ProcessorCount;
        Multiply(2);
        var best = 0.0;
        for (var round = 0; round < 3; round++)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ => Multiply(repeats));
            var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
            best = Math.Max(best, 2.0 * Size * Size * Size * repeats * threads / Math.Max(seconds, 1e-6));
        }

        return best;
    }

    // Optimised from the first call: the probe must not time the JIT's unoptimised tier.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static float Multiply(int repeats)
    {
        var a = new float[Size * Size];
        var b = new float[Size * Size];
        var c = new float[Size * Size];
        for (var i = 0; i < a.Length; i++)
        {
            a[i] = (i % 7) * 0.25f;
            b[i] = (i % 5) * 0.5f;
        }

        var width = Vector<float>.Count;
        for (var r = 0; r < repeats; r++)
        {
            for (var i = 0; i < Size; i++)
            {
                for (var k = 0; k < Size; k++)
                {
                    var aik = new Vector<float>(a[i * Size + k]);
                    for (var j = 0; j + width <= Size; j += width)
                    {
                        var row = new Vector<float>(c, i * Size + j);
                        (row + aik * new Vector<float>(b, k * Size + j)).CopyTo(c, i * Size + j);
                    }
                }
            }
        }

        return c[0];
    }
}
