using System.Numerics;

namespace MLIntern.Training.Compute;

/// <summary>
/// Measures this machine's fp32 throughput: a cache-sized matrix multiply with SIMD
/// multiply-adds, on every core at once, for a fixed amount of work. The host runs it once and
/// caches the figure (it takes well under a second on an idle machine).
/// </summary>
public static class CpuProbe
{
    private const int Size = 96;

    public static double MeasureFlops(int repeats = 40)
    {
        var threads = Environment.ProcessorCount;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ => Multiply(repeats));
        var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
        var flops = 2.0 * Size * Size * Size * repeats * threads;
        return flops / Math.Max(seconds, 1e-6);
    }

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
