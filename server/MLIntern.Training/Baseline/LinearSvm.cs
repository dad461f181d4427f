using System.Runtime.CompilerServices;
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
public sealed record SvmOptions(double C = 0.5, int MaxEpochs = 20, double Tolerance = 0.5, int Seed = 42, int MaxThreads = 0);

/// <summary>
/// One-vs-rest L2-regularised squared-hinge linear SVM trained by dual coordinate descent (Hsieh et
/// al., ICML 2008 — the solver behind liblinear and LinearSVC). The classes train in parallel, in
/// lock-step epochs so that each epoch can be logged; each class visits the rows in an order drawn
/// from a generator seeded by (seed, class), so the weights are the same for a seed whatever the
/// number of threads.
/// </summary>
public static class LinearSvm
{
    /// <summary>Trains; returns weights laid out [column * classes + class] for fast scoring.</summary>
    public static float[] Train(SparseRows rows, int[] labels, int classCount, SvmOptions options, Action<EpochLog>? onEpoch = null, CancellationToken cancellationToken = default)
    {
        var n = rows.Count;
        var d = rows.ColumnCount;
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

        var margins = new float[classCount * n];
        var solvers = new ClassSolver[classCount];
        for (var c = 0; c < classCount; c++)
        {
            solvers[c] = new ClassSolver(c, n, d, new Random(unchecked((options.Seed * 1_000_003) + c)));
        }

        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = options.MaxThreads > 0 ? options.MaxThreads : Environment.ProcessorCount,
            CancellationToken = cancellationToken,
        };
        for (var epoch = 1; epoch <= options.MaxEpochs; epoch++)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var active = solvers.Where(s => !s.Converged).ToArray();
            if (active.Length == 0)
            {
                break;
            }

            Parallel.For(0, active.Length, parallel, a => active[a].Epoch(rows, labels, qd, diag, options.Tolerance, margins.AsSpan(active[a].Class * n, n)));

            if (onEpoch is not null)
            {
                onEpoch(new EpochLog(epoch, Loss(margins, labels, classCount, n), TrainingAccuracy(margins, labels, classCount, n), active.Length, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds));
            }
        }

        var layout = new float[d * classCount];
        for (var c = 0; c < classCount; c++)
        {
            var w = solvers[c].Weights;
            for (var j = 0; j < d; j++)
            {
                layout[j * classCount + c] = w[j];
            }
        }

        return layout;
    }

    /// <summary>
    /// The dual coordinate descent state of one class, with liblinear's shrinking: a row whose dual
    /// variable sits at its bound with a gradient beyond last pass's largest projected gradient is
    /// set aside; when the rest converges, every row comes back for a final check.
    /// </summary>
    private sealed class ClassSolver(int @class, int n, int d, Random random)
    {
        private readonly double[] _alpha = new double[n];
        private readonly int[] _index = [.. Enumerable.Range(0, n)];
        private int _activeSize = n;
        private double _pgMaxOld = double.PositiveInfinity;
        private double _pgMinOld = double.NegativeInfinity;

        public int Class { get; } = @class;

        public float[] Weights { get; } = new float[d];

        public bool Converged { get; private set; }

        public void Epoch(SparseRows rows, int[] labels, double[] qd, double diag, double tolerance, Span<float> margins)
        {
            var w = Weights;
            var starts = rows.Starts;
            var columns = rows.Columns;
            var values = rows.Values;
            random.Shuffle(_index.AsSpan(0, _activeSize));
            double pgMax = double.NegativeInfinity, pgMin = double.PositiveInfinity;
            for (var s = 0; s < _activeSize; s++)
            {
                var i = _index[s];
                var y = labels[i] == Class ? 1.0 : -1.0;
                var from = starts[i];
                var count = starts[i + 1] - from;
                var dot = Dot(w, columns.AsSpan(from, count), values.AsSpan(from, count));

                margins[i] = dot;
                var g = y * dot - 1 + _alpha[i] * diag;
                double pg = 0;
                if (_alpha[i] == 0)
                {
                    if (g > _pgMaxOld)
                    {
                        _activeSize--;
                        (_index[s], _index[_activeSize]) = (_index[_activeSize], _index[s]);
                        s--;
                        continue;
                    }

                    if (g < 0)
                    {
                        pg = g;
                    }
                }
                else
                {
                    pg = g;
                }

                pgMax = Math.Max(pgMax, pg);
                pgMin = Math.Min(pgMin, pg);
                if (Math.Abs(pg) > 1e-12)
                {
                    var old = _alpha[i];
                    _alpha[i] = Math.Max(old - g / qd[i], 0);
                    AddScaled(w, (float)((_alpha[i] - old) * y), columns.AsSpan(from, count), values.AsSpan(from, count));
                }
            }

            if (pgMax - pgMin <= tolerance)
            {
                if (_activeSize == _alpha.Length)
                {
                    Converged = true;
                    return;
                }

                // Converged on the active rows: bring every row back for one more pass.
                _activeSize = _alpha.Length;
                _pgMaxOld = double.PositiveInfinity;
                _pgMinOld = double.NegativeInfinity;
                return;
            }

            _pgMaxOld = pgMax <= 0 ? double.PositiveInfinity : pgMax;
            _pgMinOld = pgMin >= 0 ? double.NegativeInfinity : pgMin;
        }
    }

    // The two inner loops of the solver. Column indices were produced by the vocabulary and are below
    // the weight vector's length (checked once per row by the caller's spans), so the loops index
    // through refs without per-element bounds checks.
    private static float Dot(float[] w, ReadOnlySpan<int> columns, ReadOnlySpan<float> values)
    {
        ref var w0 = ref MemoryMarshal.GetArrayDataReference(w);
        ref var c0 = ref MemoryMarshal.GetReference(columns);
        ref var v0 = ref MemoryMarshal.GetReference(values);
        float dot = 0;
        for (var k = 0; k < columns.Length; k++)
        {
            dot += Unsafe.Add(ref w0, Unsafe.Add(ref c0, k)) * Unsafe.Add(ref v0, k);
        }

        return dot;
    }

    private static void AddScaled(float[] w, float step, ReadOnlySpan<int> columns, ReadOnlySpan<float> values)
    {
        ref var w0 = ref MemoryMarshal.GetArrayDataReference(w);
        ref var c0 = ref MemoryMarshal.GetReference(columns);
        ref var v0 = ref MemoryMarshal.GetReference(values);
        for (var k = 0; k < columns.Length; k++)
        {
            Unsafe.Add(ref w0, Unsafe.Add(ref c0, k)) += step * Unsafe.Add(ref v0, k);
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
