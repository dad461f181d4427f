using System.Numerics;

namespace MLIntern.Training.Encoder;

/// <summary>
/// Multinomial logistic regression over dense features (frozen sentence embeddings): softmax
/// cross-entropy, L2 penalty 1/(2C)·‖W‖² on the weights (not the biases), minimised over the whole
/// training set by L-BFGS with a backtracking line search. Full-batch and single-threaded, so the
/// same rows give the same weights bit for bit; the probabilities are real (they sum to one).
/// </summary>
public sealed class LogisticHead
{
    private readonly float[] weights; // classes × dimension, row-major
    private readonly float[] biases;

    private LogisticHead(int classes, int dimension, float[] weights, float[] biases)
    {
        Classes = classes;
        Dimension = dimension;
        this.weights = weights;
        this.biases = biases;
    }

    public int Classes { get; }

    public int Dimension { get; }

    /// <summary>Iterations L-BFGS ran.</summary>
    public int Iterations { get; private init; }

    /// <summary>Fits the head; <paramref name="labels"/> are class indices below <paramref name="classes"/>.</summary>
    public static LogisticHead Fit(IReadOnlyList<float[]> features, IReadOnlyList<int> labels, int classes, double c = 10.0, int maxIterations = 200, double tolerance = 1e-6, CancellationToken cancellationToken = default)
    {
        if (features.Count == 0)
        {
            throw new InvalidOperationException("no training rows");
        }

        var dimension = features[0].Length;
        var n = features.Count;
        var size = (classes * dimension) + classes;
        var x = new double[size];
        var lambda = 1.0 / (c * n);

        // The rows in one contiguous block, and every buffer of the loss allocated once: an evaluation is two matrix
        // products (logits = X·Wᵀ, gradient = Δᵀ·X) over blocks of four rows, with no allocation per row or per call.
        var matrix = new float[n * dimension];
        for (var r = 0; r < n; r++)
        {
            features[r].AsSpan(0, dimension).CopyTo(matrix.AsSpan(r * dimension, dimension));
        }

        var label = labels.ToArray();
        var w = new float[classes * dimension];
        var logits = new float[n * classes];
        var deltas = new float[n * classes];
        var rowGradient = new float[classes * dimension];
        var biasGradient = new double[classes];
        var scratch = new double[classes];

        double Evaluate(double[] point, double[] gradient)
        {
            for (var i = 0; i < w.Length; i++)
            {
                w[i] = (float)point[i];
            }

            Array.Clear(rowGradient);
            Array.Clear(biasGradient);
            Logits(matrix, n, dimension, w, classes, logits);
            var loss = 0.0;
            for (var r = 0; r < n; r++)
            {
                var max = double.NegativeInfinity;
                for (var k = 0; k < classes; k++)
                {
                    scratch[k] = logits[(r * classes) + k] + point[(classes * dimension) + k];
                    max = Math.Max(max, scratch[k]);
                }

                var sum = 0.0;
                for (var k = 0; k < classes; k++)
                {
                    scratch[k] = Math.Exp(scratch[k] - max);
                    sum += scratch[k];
                }

                loss -= Math.Log(scratch[label[r]] / sum);
                for (var k = 0; k < classes; k++)
                {
                    var delta = (scratch[k] / sum) - (k == label[r] ? 1.0 : 0.0);
                    biasGradient[k] += delta;
                    deltas[(r * classes) + k] = (float)delta;
                }
            }

            GradientOfWeights(matrix, n, dimension, deltas, classes, rowGradient);
            var penalty = 0.0;
            for (var i = 0; i < classes * dimension; i++)
            {
                gradient[i] = (rowGradient[i] / n) + (lambda * point[i]);
                penalty += point[i] * point[i];
            }

            for (var k = 0; k < classes; k++)
            {
                gradient[(classes * dimension) + k] = biasGradient[k] / n;
            }

            return (loss / n) + (0.5 * lambda * penalty);
        }

        var iterations = Lbfgs.Minimize(x, Evaluate, maxIterations, tolerance, cancellationToken);
        var weights = new float[classes * dimension];
        var biases = new float[classes];
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)x[i];
        }

        for (var k = 0; k < classes; k++)
        {
            biases[k] = (float)x[(classes * dimension) + k];
        }

        return new LogisticHead(classes, dimension, weights, biases) { Iterations = iterations };
    }

    /// <summary>Weight of feature <paramref name="feature"/> for class <paramref name="k"/>.</summary>
    public float Weight(int k, int feature) => weights[(k * Dimension) + feature];

    public float Bias(int k) => biases[k];

    internal void Write(BinaryWriter writer)
    {
        writer.Write(Classes);
        writer.Write(Dimension);
        foreach (var w in weights)
        {
            writer.Write(w);
        }

        foreach (var b in biases)
        {
            writer.Write(b);
        }
    }

    internal static LogisticHead Read(BinaryReader reader)
    {
        var classes = reader.ReadInt32();
        var dimension = reader.ReadInt32();
        if (classes is < 1 or > 1_000_000 || dimension is < 1 or > 1_000_000 || (long)classes * dimension > 1 << 28)
        {
            throw new InvalidDataException($"model.bin: a head of {classes} × {dimension} is out of range");
        }

        var weights = new float[classes * dimension];
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = reader.ReadSingle();
        }

        var biases = new float[classes];
        for (var k = 0; k < classes; k++)
        {
            biases[k] = reader.ReadSingle();
        }

        return new LogisticHead(classes, dimension, weights, biases);
    }

    /// <summary>Class probabilities of one row (softmax of the logits).</summary>
    public double[] Probabilities(float[] row)
    {
        var p = new double[Classes];
        var max = double.NegativeInfinity;
        for (var k = 0; k < Classes; k++)
        {
            p[k] = Dot(weights.AsSpan(k * Dimension, Dimension), row) + biases[k];
            max = Math.Max(max, p[k]);
        }

        var sum = 0.0;
        for (var k = 0; k < Classes; k++)
        {
            p[k] = Math.Exp(p[k] - max);
            sum += p[k];
        }

        for (var k = 0; k < Classes; k++)
        {
            p[k] /= sum;
        }

        return p;
    }

    /// <summary>logits[r, k] = X[r]·W[k] for every row and class, four rows at a time (each class's weights read once per four rows).</summary>
    private static void Logits(float[] matrix, int n, int dimension, float[] w, int classes, float[] logits)
    {
        var width = Vector<float>.Count;
        var r = 0;
        for (; r + 4 <= n; r += 4)
        {
            var x0 = matrix.AsSpan(r * dimension, dimension);
            var x1 = matrix.AsSpan((r + 1) * dimension, dimension);
            var x2 = matrix.AsSpan((r + 2) * dimension, dimension);
            var x3 = matrix.AsSpan((r + 3) * dimension, dimension);
            for (var k = 0; k < classes; k++)
            {
                var wk = w.AsSpan(k * dimension, dimension);
                Vector<float> a0 = default, a1 = default, a2 = default, a3 = default;
                var i = 0;
                for (; i <= dimension - width; i += width)
                {
                    var v = new Vector<float>(wk[i..]);
                    a0 += v * new Vector<float>(x0[i..]);
                    a1 += v * new Vector<float>(x1[i..]);
                    a2 += v * new Vector<float>(x2[i..]);
                    a3 += v * new Vector<float>(x3[i..]);
                }

                float s0 = Vector.Sum(a0), s1 = Vector.Sum(a1), s2 = Vector.Sum(a2), s3 = Vector.Sum(a3);
                for (; i < dimension; i++)
                {
                    s0 += wk[i] * x0[i];
                    s1 += wk[i] * x1[i];
                    s2 += wk[i] * x2[i];
                    s3 += wk[i] * x3[i];
                }

                logits[(r * classes) + k] = s0;
                logits[((r + 1) * classes) + k] = s1;
                logits[((r + 2) * classes) + k] = s2;
                logits[((r + 3) * classes) + k] = s3;
            }
        }

        for (; r < n; r++)
        {
            for (var k = 0; k < classes; k++)
            {
                logits[(r * classes) + k] = (float)Dot(w.AsSpan(k * dimension, dimension), matrix.AsSpan(r * dimension, dimension));
            }
        }
    }

    /// <summary>gradient[k] = Σ_r deltas[r, k]·X[r], four rows at a time (each class's gradient row read and written once per four rows).</summary>
    private static void GradientOfWeights(float[] matrix, int n, int dimension, float[] deltas, int classes, float[] gradient)
    {
        var width = Vector<float>.Count;
        var r = 0;
        for (; r + 4 <= n; r += 4)
        {
            var x0 = matrix.AsSpan(r * dimension, dimension);
            var x1 = matrix.AsSpan((r + 1) * dimension, dimension);
            var x2 = matrix.AsSpan((r + 2) * dimension, dimension);
            var x3 = matrix.AsSpan((r + 3) * dimension, dimension);
            for (var k = 0; k < classes; k++)
            {
                float d0 = deltas[(r * classes) + k], d1 = deltas[((r + 1) * classes) + k], d2 = deltas[((r + 2) * classes) + k], d3 = deltas[((r + 3) * classes) + k];
                var gk = gradient.AsSpan(k * dimension, dimension);
                Vector<float> v0 = new(d0), v1 = new(d1), v2 = new(d2), v3 = new(d3);
                var i = 0;
                for (; i <= dimension - width; i += width)
                {
                    var sum = new Vector<float>(gk[i..]) + (v0 * new Vector<float>(x0[i..])) + (v1 * new Vector<float>(x1[i..])) + (v2 * new Vector<float>(x2[i..])) + (v3 * new Vector<float>(x3[i..]));
                    sum.CopyTo(gk[i..]);
                }

                for (; i < dimension; i++)
                {
                    gk[i] += (d0 * x0[i]) + (d1 * x1[i]) + (d2 * x2[i]) + (d3 * x3[i]);
                }
            }
        }

        for (; r < n; r++)
        {
            for (var k = 0; k < classes; k++)
            {
                AddScaled(gradient.AsSpan(k * dimension, dimension), matrix.AsSpan(r * dimension, dimension), deltas[(r * classes) + k]);
            }
        }
    }

    private static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var acc = Vector<float>.Zero;
        var i = 0;
        for (; i <= a.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            acc += new Vector<float>(a[i..]) * new Vector<float>(b[i..]);
        }

        var sum = (double)Vector.Sum(acc);
        for (; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static void AddScaled(Span<float> target, ReadOnlySpan<float> row, float scale)
    {
        var s = new Vector<float>(scale);
        var i = 0;
        for (; i <= target.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            (new Vector<float>(target[i..]) + (s * new Vector<float>(row[i..]))).CopyTo(target[i..]);
        }

        for (; i < target.Length; i++)
        {
            target[i] += scale * row[i];
        }
    }
}

/// <summary>Limited-memory BFGS (ten pairs) with a backtracking Armijo line search.</summary>
internal static class Lbfgs
{
    public static int Minimize(double[] x, Func<double[], double[], double> evaluate, int maxIterations, double tolerance, CancellationToken cancellationToken)
    {
        const int Memory = 10;
        var n = x.Length;
        var g = new double[n];
        var f = evaluate(x, g);
        var s = new List<double[]>();
        var y = new List<double[]>();
        var rho = new List<double>();
        var direction = new double[n];
        var alpha = new double[Memory];
        var xNew = new double[n];
        var gNew = new double[n];
        for (var iteration = 1; iteration <= maxIterations; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Array.Copy(g, direction, n);
            for (var j = s.Count - 1; j >= 0; j--)
            {
                alpha[j] = rho[j] * DotD(s[j], direction);
                Axpy(direction, y[j], -alpha[j]);
            }

            var gamma = s.Count > 0 ? DotD(s[^1], y[^1]) / DotD(y[^1], y[^1]) : 1.0 / Math.Max(1.0, Math.Sqrt(DotD(g, g)));
            for (var i = 0; i < n; i++)
            {
                direction[i] *= gamma;
            }

            for (var j = 0; j < s.Count; j++)
            {
                var beta = rho[j] * DotD(y[j], direction);
                Axpy(direction, s[j], alpha[j] - beta);
            }

            for (var i = 0; i < n; i++)
            {
                direction[i] = -direction[i];
            }

            var slope = DotD(g, direction);
            if (slope >= 0)
            {
                // Not a descent direction: restart from steepest descent.
                s.Clear();
                y.Clear();
                rho.Clear();
                for (var i = 0; i < n; i++)
                {
                    direction[i] = -g[i];
                }

                slope = DotD(g, direction);
            }

            var step = 1.0;
            double fNew;
            while (true)
            {
                for (var i = 0; i < n; i++)
                {
                    xNew[i] = x[i] + (step * direction[i]);
                }

                fNew = evaluate(xNew, gNew);
                if (fNew <= f + (1e-4 * step * slope) || step < 1e-10)
                {
                    break;
                }

                step *= 0.5;
            }

            var sk = new double[n];
            var yk = new double[n];
            for (var i = 0; i < n; i++)
            {
                sk[i] = xNew[i] - x[i];
                yk[i] = gNew[i] - g[i];
            }

            var sy = DotD(sk, yk);
            Array.Copy(xNew, x, n);
            Array.Copy(gNew, g, n);
            var improvement = f - fNew;
            f = fNew;
            if (sy > 1e-12)
            {
                if (s.Count == Memory)
                {
                    s.RemoveAt(0);
                    y.RemoveAt(0);
                    rho.RemoveAt(0);
                }

                s.Add(sk);
                y.Add(yk);
                rho.Add(1.0 / sy);
            }

            if (improvement < tolerance * Math.Max(1.0, Math.Abs(f)) || Math.Sqrt(DotD(g, g)) < tolerance)
            {
                return iteration;
            }
        }

        return maxIterations;
    }

    private static double DotD(double[] a, double[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static void Axpy(double[] target, double[] x, double scale)
    {
        for (var i = 0; i < target.Length; i++)
        {
            target[i] += scale * x[i];
        }
    }
}
