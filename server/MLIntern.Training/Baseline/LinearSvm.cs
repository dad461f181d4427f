using System.Numerics;
using System.Runtime.InteropServices;

namespace MLIntern.Training.Baseline;

/// <summary>What one epoch of training looked like, over all classes.</summary>
/// <param name="Epoch">1-based.</param>
/// <param name="Loss">Mean squared hinge loss of the training rows, from the margins met during the pass.</param>
/// <param name="Accuracy">Training accuracy from the same margins (argmax over classes).</param>
/// <param name="ActiveClasses">Classes still being optimised in this epoch (the others have converged).</param>
public sealed record EpochLog(int Epoch, double Loss, double Accuracy, int ActiveClasses, double Seconds);

/// <summary>Hyperparameters of the linear SVM.</summary>
/// <param name="C">Inverse regularisation strength, as in liblinear and scikit-learn's LinearSVC.</param>
/// <param name="Tolerance">Stop a class when its projected-gradient spread falls below this (liblinear's criterion).</param>
public sealed record SvmOptions(double C = 0.5, int MaxEpochs = 30, double Tolerance = 0.1, int Seed = 42, int MaxThreads = 0);

/// <summary>
/// One-vs-rest L2-regularised squared-hinge linear SVM trained by dual coordinate descent (Hsieh et
/// al., ICML 2008 — the solver behind liblinear and LinearSVC). The classes are solved together in
/// blocks of one SIMD vector: every epoch visits the rows once, in an order drawn from the seed,
/// and each row's features are read once for all the classes of a block (its weights are stored
/// [column][class]), which is what makes it fast — the one-class-at-a-time loop reads the data
/// once per class. Blocks run in parallel. Each class's arithmetic is the same scalar sequence
/// whatever the vector width, block or thread count, so the weights depend on the seed only.
/// </summary>
public static class LinearSvm
{
    /// <summary>Trains; returns weights laid out [column * classes + class] for fast scoring.</summary>
    public static float[] Train(SparseRows rows, int[] labels, int classCount, SvmOptions options, Action<EpochLog>? onEpoch = null, CancellationToken cancellationToken = default)
    {
        var n = rows.Count;
        var d = rows.ColumnCount;
        var width = Vector<float>.Count;
        var blockCount = (classCount + width - 1) / width;
        var diag = 0.5 / options.C;
        var qd = new double[n];
        for (var i = 0; i < n; i++)
        {
            double norm = 0;
            for (var k = rows.Starts[i]; k < rows.Starts[i + 1]; k++)
            {
                norm += (double)rows.Values[k] * rows.Values[k];
            }

            qd[i] = norm + diag;
        }

        var blocks = new Block[blockCount];
        for (var b = 0; b < blockCount; b++)
        {
            blocks[b] = new Block(b * width, Math.Min(width, classCount - (b * width)), n, d, width);
        }

        var margins = new float[classCount * n];
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        var random = new Random(options.Seed);
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = options.MaxThreads > 0 ? options.MaxThreads : Environment.ProcessorCount,
            CancellationToken = cancellationToken,
        };
        for (var epoch = 1; epoch <= options.MaxEpochs; epoch++)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            random.Shuffle(order);
            Parallel.For(0, blockCount, parallel, b => blocks[b].Epoch(rows, labels, order, qd, diag, margins));
            var active = blocks.Sum(b => b.Unconverged(options.Tolerance));
            onEpoch?.Invoke(new EpochLog(epoch, Loss(margins, labels, classCount, n), TrainingAccuracy(margins, labels, classCount, n), active, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds));
            if (active == 0)
            {
                break;
            }
        }

        var layout = new float[d * classCount];
        foreach (var block in blocks)
        {
            for (var j = 0; j < d; j++)
            {
                for (var lane = 0; lane < block.Lanes; lane++)
                {
                    layout[j * classCount + block.FirstClass + lane] = block.Weights[j * width + lane];
                }
            }
        }

        return layout;
    }

    /// <summary>The dual state of up to one vector's width of classes, and their weights [column][lane].</summary>
    private sealed class Block(int firstClass, int lanes, int n, int d, int width)
    {
        private readonly double[] _alpha = new double[n * width];
        private readonly double[] _pgMax = new double[width];
        private readonly double[] _pgMin = new double[width];

        public int FirstClass { get; } = firstClass;

        public int Lanes { get; } = lanes;

        public float[] Weights { get; } = new float[d * width];

        /// <summary>Classes whose projected-gradient spread in the last epoch was above the tolerance.</summary>
        public int Unconverged(double tolerance)
        {
            var count = 0;
            for (var lane = 0; lane < Lanes; lane++)
            {
                count += _pgMax[lane] - _pgMin[lane] > tolerance ? 1 : 0;
            }

            return count;
        }

        public void Epoch(SparseRows rows, int[] labels, int[] order, double[] qd, double diag, float[] margins)
        {
            var width = Vector<float>.Count;
            var starts = rows.Starts;
            var columns = rows.Columns;
            var values = rows.Values;
            ref var w0 = ref MemoryMarshal.GetArrayDataReference(Weights);
            Span<float> dots = stackalloc float[width];
            Span<float> steps = stackalloc float[width];
            _pgMax.AsSpan().Fill(double.NegativeInfinity);
            _pgMin.AsSpan().Fill(double.PositiveInfinity);
            foreach (var i in order)
            {
                var from = starts[i];
                var end = starts[i + 1];
                var sum = Vector<float>.Zero;
                for (var k = from; k < end; k++)
                {
                    // Columns come from the vocabulary and are below the weight rows' count.
                    sum += Vector.LoadUnsafe(ref w0, (nuint)(columns[k] * width)) * values[k];
                }

                sum.CopyTo(dots);
                var any = false;
                for (var lane = 0; lane < width; lane++)
                {
                    steps[lane] = 0;
                    if (lane >= Lanes)
                    {
                        continue;
                    }

                    var c = FirstClass + lane;
                    var dot = dots[lane];
                    margins[(c * qd.Length) + i] = dot;
                    var y = labels[i] == c ? 1.0 : -1.0;
                    ref var alpha = ref _alpha[(i * width) + lane];
                    var g = (y * dot) - 1 + (alpha * diag);
                    var pg = alpha == 0 ? Math.Min(g, 0) : g;
                    _pgMax[lane] = Math.Max(_pgMax[lane], pg);
                    _pgMin[lane] = Math.Min(_pgMin[lane], pg);
                    if (Math.Abs(pg) > 1e-12)
                    {
                        var old = alpha;
                        alpha = Math.Max(old - (g / qd[i]), 0);
                        steps[lane] = (float)((alpha - old) * y);
                        any = true;
                    }
                }

                if (!any)
                {
                    continue;
                }

                var step = new Vector<float>(steps);
                for (var k = from; k < end; k++)
                {
                    var at = (nuint)(columns[k] * width);
                    (Vector.LoadUnsafe(ref w0, at) + (step * values[k])).StoreUnsafe(ref w0, at);
                }
            }
        }
    }

    private static double Loss(float[] margins, int[] labels, int classCount, int n)
    {
        if (n == 0)
        {
            return 0;
        }

        double sum = 0;
        for (var c = 0; c < classCount; c++)
        {
            for (var i = 0; i < n; i++)
            {
                var hinge = Math.Max(0, 1 - (labels[i] == c ? 1.0 : -1.0) * margins[c * n + i]);
                sum += hinge * hinge;
            }
        }

        return sum / ((double)classCount * n);
    }

    private static double TrainingAccuracy(float[] margins, int[] labels, int classCount, int n)
    {
        if (n == 0)
        {
            return 0;
        }

        var correct = 0;
        for (var i = 0; i < n; i++)
        {
            var best = 0;
            for (var c = 1; c < classCount; c++)
            {
                if (margins[c * n + i] > margins[best * n + i])
                {
                    best = c;
                }
            }

            correct += best == labels[i] ? 1 : 0;
        }

        return (double)correct / n;
    }

    /// <summary>Decision values of one row for every class.</summary>
    public static void Score(SparseRows rows, int row, float[] layout, int classCount, Span<float> scores)
    {
        scores.Clear();
        for (var k = rows.Starts[row]; k < rows.Starts[row + 1]; k++)
        {
            var value = rows.Values[k];
            if (value == 0)
            {
                continue;
            }

            var at = rows.Columns[k] * classCount;
            for (var c = 0; c < classCount; c++)
            {
                scores[c] += value * layout[at + c];
            }
        }
    }
}
