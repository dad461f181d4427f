using MLIntern.Training.Encoder;

namespace MLIntern.Training.Tests;

public sealed class LogisticHeadTests
{
    /// <summary>Three noisy clusters on the unit sphere in 16 dimensions, seeded.</summary>
    private static (float[][] X, int[] Y) Clusters(int perClass, int seed)
    {
        var random = new Random(seed);
        var x = new List<float[]>();
        var y = new List<int>();
        for (var c = 0; c < 3; c++)
        {
            for (var i = 0; i < perClass; i++)
            {
                var v = new float[16];
                for (var d = 0; d < 16; d++)
                {
                    v[d] = (float)(random.NextDouble() - 0.5) * 0.8f;
                }

                v[c] += 1f;
                var norm = (float)Math.Sqrt(v.Sum(a => a * a));
                x.Add(v.Select(a => a / norm).ToArray());
                y.Add(c);
            }
        }

        return (x.ToArray(), y.ToArray());
    }

    [Fact]
    public void Learns_separable_clusters_with_probabilities_that_sum_to_one()
    {
        var (x, y) = Clusters(40, 1);
        var (tx, ty) = Clusters(40, 2);
        var head = LogisticHead.Fit(x, y, 3);
        var correct = 0;
        for (var i = 0; i < tx.Length; i++)
        {
            var p = head.Probabilities(tx[i]);
            Assert.Equal(1.0, p.Sum(), 9);
            Assert.All(p, v => Assert.InRange(v, 0.0, 1.0));
            correct += Array.IndexOf(p, p.Max()) == ty[i] ? 1 : 0;
        }

        Assert.True(correct >= 0.9 * tx.Length, $"{correct}/{tx.Length}");
    }

    [Fact]
    public void Same_rows_give_identical_probabilities()
    {
        var (x, y) = Clusters(30, 3);
        var a = LogisticHead.Fit(x, y, 3);
        var b = LogisticHead.Fit(x, y, 3);
        for (var i = 0; i < x.Length; i++)
        {
            Assert.Equal(a.Probabilities(x[i]), b.Probabilities(x[i]));
        }
    }

    [Fact]
    public void A_stronger_penalty_gives_less_confident_probabilities()
    {
        var (x, y) = Clusters(30, 4);
        var loose = LogisticHead.Fit(x, y, 3, c: 100);
        var tight = LogisticHead.Fit(x, y, 3, c: 0.01);
        Assert.True(x.Average(r => loose.Probabilities(r).Max()) > x.Average(r => tight.Probabilities(r).Max()) + 0.1);
    }
}
