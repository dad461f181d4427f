using MLIntern.Training.Baseline;
using MLIntern.Training.Evaluation;

namespace MLIntern.Training.Encoder;

/// <summary>One head configuration cross-validation tried: C, the TF-IDF scale (0: embedding only) and its out-of-fold macro-F1.</summary>
public sealed record HeadCandidate(double C, double TfidfScale, double CvMacroF1);

/// <summary>
/// Where the head's cross-validated search keeps its outcome between runs (the host's store; core does no IO):
/// <see cref="Read"/> returns the bytes stored under a key or null, <see cref="Write"/> stores them.
/// </summary>
public sealed record HeadSearchCache(Func<string, byte[]?> Read, Action<string, byte[]> Write);

/// <summary>Everything an encoder-baseline training produced; the host writes it into the run folder.</summary>
public sealed record EncoderResult(
    EncoderModel Model,
    IReadOnlyList<string> Classes,
    EvalReport Eval,
    IReadOnlyList<Prediction> Predictions,
    int TrainRows,
    int TestRows,
    string SplitSource,
    int Iterations,
    double TrainSeconds,
    IReadOnlyList<HeadCandidate> Candidates,
    bool SearchFromCache = false)
{
    public LogisticHead Head => Model.Head;
}

/// <summary>
/// The second built-in baseline: a frozen sentence encoder (all-MiniLM-L6-v2) and a multinomial
/// logistic-regression head on its embeddings. The same split and smoke subset as the TF-IDF
/// baseline for a seed; the head is full-batch, so the same seed gives the same predictions.
/// The embeddings come from <paramref name="embed"/> (the host caches them), in row order.
/// <para>
/// The head's configuration is chosen by k-fold cross-validation on the training rows, grouped by template
/// family (<see cref="FoldOf"/>; out-of-fold macro-F1, ties to the earlier candidate): C ∈ {10, 1}, and whether the head also
/// reads the TF-IDF SVM's decision values (cross-fitted on the same folds, so no row's value comes
/// from a model that saw it), scaled by 0.5. Typos and fixed templates are what character n-grams
/// see and a sentence embedding smooths over; with many rows per class the SVM's scores add that.
/// </para>
/// </summary>
public static class EncoderBaseline
{
    public const string ModelId = "sentence-transformers/all-MiniLM-L6-v2";

    /// <summary>Folds of the head's cross-validation.</summary>
    public const int Folds = 5;

    /// <summary>The configurations tried, in order of preference on a tie.</summary>
    public static readonly IReadOnlyList<(double C, double TfidfScale)> Grid = [(10, 0), (1, 0), (1, 0.5), (10, 0.5)];

    /// <summary>Version of the search (grid, folds, head solver); part of the cache key, so a change of any of them searches again.</summary>
    public const int SearchVersion = 2;

    public static EncoderResult Run(LabeledRows train, LabeledRows? test, BaselineOptions options, Func<IReadOnlyList<string>, float[][]> embed, double? c = null, CancellationToken cancellationToken = default, int maxTokens = 256, HeadSearchCache? searchCache = null, string weights = OnnxInt8.WeightsFp32)
    {
        var (splitSource, classes, index) = PreparedSplit.Prepare(ref train, ref test, options);
        var trainVectors = embed(train.Texts);
        var testVectors = embed(test.Texts);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var labels = train.Labels.Select(l => index[l]).ToArray();

        // Smoke runs and a fixed C skip the search: the embedding-only head at that C (10 by default).
        var candidates = new List<HeadCandidate>();
        var (bestC, bestScale) = (c ?? 10.0, 0.0);
        var folds = FoldOf(labels, LeakageAudit.TemplateFamilies(train, new AuditOptions().TemplateJaccard, cancellationToken), Folds);
        float[][]? outOfFold = null;
        var fromCache = false;
        var searchKey = "";
        EncoderModel? cachedModel = null;
        var cachedIterations = 0;
        if (c is null && options.MaxTrainRows is null && train.Count >= 2 * Folds && searchCache is not null)
        {
            searchKey = SearchKey(train.Texts, trainVectors, labels, classes, options);
            if (ReadSearch(searchCache.Read(searchKey), train.Count, classes.Length) is { } cached)
            {
                (candidates, outOfFold, fromCache) = (cached.Candidates, cached.OutOfFold, true);
                (cachedModel, cachedIterations) = (cached.Model, cached.Iterations);
                var best = double.NegativeInfinity;
                foreach (var x in candidates)
                {
                    if (x.CvMacroF1 > best)
                    {
                        (best, bestC, bestScale) = (x.CvMacroF1, x.C, x.TfidfScale);
                    }
                }
            }
        }

        if (!fromCache && c is null && options.MaxTrainRows is null && train.Count >= 2 * Folds)
        {
            outOfFold = CrossFittedTfidf(train, labels, classes, folds, options, cancellationToken);
            var best = double.NegativeInfinity;
            var scores = CrossValidate(trainVectors, outOfFold, labels, classes.Length, folds, cancellationToken);
            for (var g = 0; g < Grid.Count; g++)
            {
                var (gc, scale) = Grid[g];
                var f1 = scores[g];
                candidates.Add(new HeadCandidate(gc, scale, f1));
                if (f1 > best)
                {
                    (best, bestC, bestScale) = (f1, gc, scale);
                }
            }
        }

        // The final model is a function of the same inputs as the search, so a cached search carries it too (checked:
        // it must re-serialise to the stored bytes and be over these classes, else it is fitted again).
        EncoderModel model;
        int iterations;
        if (cachedModel is not null && cachedModel.MaxTokens == maxTokens && cachedModel.C == bestC && cachedModel.TfidfScale == bestScale && cachedModel.Classes.SequenceEqual(classes) && cachedModel.Weights == weights)
        {
            (model, iterations) = (cachedModel, cachedIterations);
        }
        else
        {
            var tfidf = bestScale > 0 ? FitTfidf(train.Texts, labels, classes, options, cancellationToken) : null;
            var trainScores = tfidf is null ? null : outOfFold;
            var features = trainVectors.Select((v, i) => EncoderModel.HeadFeatures(v, trainScores?[i], bestScale)).ToArray();
            // The Space's head (embedding only, the best such C) when the chosen one also reads the TF-IDF scores; the two
            // fits are independent and deterministic, so they run side by side.
            var embeddingC = candidates.Where(x => x.TfidfScale == 0).OrderByDescending(x => x.CvMacroF1).Select(x => (double?)x.C).FirstOrDefault() ?? bestC;
            var embeddingFit = tfidf is null ? null : Task.Run(() => LogisticHead.Fit(trainVectors, labels, classes.Length, embeddingC, cancellationToken: cancellationToken), cancellationToken);
            var head = LogisticHead.Fit(features, labels, classes.Length, bestC, cancellationToken: cancellationToken);
            var embeddingHead = embeddingFit?.GetAwaiter().GetResult();
            model = new EncoderModel(ModelId, maxTokens, classes, head, bestC, tfidf, bestScale, embeddingHead, weights);
            iterations = head.Iterations;
            if (searchCache is not null && searchKey.Length > 0)
            {
                searchCache.Write(searchKey, WriteSearch(candidates, outOfFold, model, iterations));
            }
        }

        var trainSeconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;

        var probabilities = model.Probabilities(test.Texts, testVectors);
        var predicted = new int[test.Count];
        var predictions = new Prediction[test.Count];
        for (var i = 0; i < test.Count; i++)
        {
            var p = probabilities[i];
            var best = 0;
            var byLabel = new SortedDictionary<string, double>(StringComparer.Ordinal);
            for (var k = 0; k < classes.Length; k++)
            {
                byLabel[classes[k]] = Math.Round(p[k], 6);
                best = p[k] > p[best] ? k : best;
            }

            predicted[i] = best;
            predictions[i] = new Prediction(test.Texts[i], test.Labels[i], classes[best], byLabel);
        }

        var eval = EvalReport.Compute(classes, test.Labels.Select(l => index[l]).ToArray(), predicted);
        return new EncoderResult(model, classes, eval, predictions, train.Count, test.Count, splitSource, iterations, trainSeconds, candidates, fromCache);
    }

    /// <summary>
    /// The search's cache key: SHA-256 over the search version, the seed and the TF-IDF options, the classes, every
    /// training text, label and embedding (its float bits). The same key means the same folds, the same cross-fitted
    /// SVMs and the same head fits, so the stored outcome is what the search would compute again.
    /// </summary>
    internal static string SearchKey(IReadOnlyList<string> texts, float[][] vectors, int[] labels, string[] classes, BaselineOptions options)
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes(string.Create(invariant, $"head-search|{SearchVersion}|{ModelId}|seed {options.Seed}|bits {options.HashBits}|C {options.C:R}|epochs {options.MaxEpochs}|tol {options.Tolerance:R}|{texts.Count}|{classes.Length}\n")));
        foreach (var name in classes)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(name);
            hash.AppendData(BitConverter.GetBytes(bytes.Length));
            hash.AppendData(bytes);
        }

        for (var i = 0; i < texts.Count; i++)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(texts[i]);
            hash.AppendData(BitConverter.GetBytes(bytes.Length));
            hash.AppendData(bytes);
            hash.AppendData(BitConverter.GetBytes(labels[i]));
            hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(vectors[i].AsSpan()));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private const int SearchMagic = 0x48534332; // "HSC2"

    /// <summary>The search's outcome as bytes: every candidate (C, scale, out-of-fold macro-F1), the cross-fitted TF-IDF scores, then the final model (its L-BFGS iterations and model.bin's bytes).</summary>
    internal static byte[] WriteSearch(IReadOnlyList<HeadCandidate> candidates, float[][]? outOfFold, EncoderModel model, int iterations)
    {
        using var memory = new MemoryStream();
        using (var writer = new BinaryWriter(memory))
        {
            writer.Write(SearchMagic);
            writer.Write(candidates.Count);
            foreach (var x in candidates)
            {
                writer.Write(x.C);
                writer.Write(x.TfidfScale);
                writer.Write(x.CvMacroF1);
            }

            writer.Write(outOfFold?.Length ?? 0);
            writer.Write(outOfFold is { Length: > 0 } ? outOfFold[0].Length : 0);
            foreach (var row in outOfFold ?? [])
            {
                foreach (var v in row)
                {
                    writer.Write(v);
                }
            }

            using var saved = new MemoryStream();
            model.Save(saved);
            writer.Write(iterations);
            writer.Write((int)saved.Length);
            writer.Write(saved.ToArray());
        }

        return memory.ToArray();
    }

    /// <summary>The stored outcome, or null when there is none or it does not fit these rows (damaged, another shape).</summary>
    internal static (List<HeadCandidate> Candidates, float[][] OutOfFold, EncoderModel? Model, int Iterations)? ReadSearch(byte[]? bytes, int rows, int classes)
    {
        if (bytes is null)
        {
            return null;
        }

        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes));
            if (reader.ReadInt32() != SearchMagic)
            {
                return null;
            }

            var count = reader.ReadInt32();
            if (count != Grid.Count)
            {
                return null;
            }

            var candidates = new List<HeadCandidate>();
            for (var i = 0; i < count; i++)
            {
                candidates.Add(new HeadCandidate(reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble()));
            }

            var (n, k) = (reader.ReadInt32(), reader.ReadInt32());
            if (n != rows || k != classes || reader.BaseStream.Length - reader.BaseStream.Position < (long)n * k * sizeof(float))
            {
                return null;
            }

            var outOfFold = new float[n][];
            for (var i = 0; i < n; i++)
            {
                outOfFold[i] = new float[k];
                for (var j = 0; j < k; j++)
                {
                    outOfFold[i][j] = reader.ReadSingle();
                }
            }

            return (candidates, outOfFold, ReadModel(reader, out var iterations), iterations);
        }
        catch (EndOfStreamException)
        {
            return null;
        }
    }

    /// <summary>The stored final model, or null when it is missing, damaged or does not re-serialise to its bytes.</summary>
    private static EncoderModel? ReadModel(BinaryReader reader, out int iterations)
    {
        iterations = 0;
        try
        {
            iterations = reader.ReadInt32();
            var length = reader.ReadInt32();
            if (length <= 0 || length != reader.BaseStream.Length - reader.BaseStream.Position)
            {
                return null;
            }

            var bytes = reader.ReadBytes(length);
            var model = EncoderModel.Load(new MemoryStream(bytes));
            using var again = new MemoryStream();
            model.Save(again);
            return again.ToArray().AsSpan().SequenceEqual(bytes) ? model : null;
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or IOException or ArgumentException or OverflowException)
        {
            return null;
        }
    }

    /// <summary>
    /// The fold of every row, grouped by template family (the leakage audit's): within each class, its families in
    /// order of first appearance take folds 0, 1, …, k−1, 0, … — so no family sits on both sides of a fold, and the
    /// cross-validation scores generalisation to unseen wordings, not template recall (which would always favour TF-IDF).
    /// A class with a single family falls back to spreading its rows over the folds.
    /// </summary>
    internal static int[] FoldOf(int[] labels, int[] families, int k)
    {
        var familiesOfClass = new Dictionary<int, HashSet<int>>();
        for (var i = 0; i < labels.Length; i++)
        {
            (familiesOfClass.TryGetValue(labels[i], out var set) ? set : familiesOfClass[labels[i]] = []).Add(families[i]);
        }

        var next = new Dictionary<int, int>();
        var foldOfFamily = new Dictionary<int, int>();
        var fold = new int[labels.Length];
        for (var i = 0; i < labels.Length; i++)
        {
            var spread = familiesOfClass[labels[i]].Count < 2;
            if (!spread && foldOfFamily.TryGetValue(families[i], out var known))
            {
                fold[i] = known;
                continue;
            }

            var j = next.GetValueOrDefault(labels[i]);
            fold[i] = j % k;
            next[labels[i]] = j + 1;
            if (!spread)
            {
                foldOfFamily[families[i]] = fold[i];
            }
        }

        return fold;
    }

    private static BaselineModel FitTfidf(IReadOnlyList<string> texts, int[] labels, string[] classes, BaselineOptions options, CancellationToken cancellationToken)
    {
        var (vocabulary, rows) = TfidfVocabulary.Fit(texts, new TextFeaturizer(options.HashBits));
        var weights = LinearSvm.Train(rows, labels, classes.Length, new SvmOptions(options.C, options.MaxEpochs, options.Tolerance, options.Seed, options.MaxThreads), cancellationToken: cancellationToken);
        return new BaselineModel(vocabulary, classes, weights);
    }

    /// <summary>Every training row's TF-IDF SVM decision values from the SVM trained on the other folds.</summary>
    private static float[][] CrossFittedTfidf(LabeledRows train, int[] labels, string[] classes, int[] folds, BaselineOptions options, CancellationToken cancellationToken)
    {
        var result = new float[train.Count][];
        for (var f = 0; f < Folds; f++)
        {
            var inFold = Enumerable.Range(0, train.Count).Where(i => folds[i] == f).ToArray();
            var rest = Enumerable.Range(0, train.Count).Where(i => folds[i] != f).ToArray();
            if (inFold.Length == 0 || rest.Length == 0)
            {
                continue;
            }

            var model = FitTfidf([.. rest.Select(i => train.Texts[i])], [.. rest.Select(i => labels[i])], classes, options, cancellationToken);
            var scores = model.Score([.. inFold.Select(i => train.Texts[i])]);
            for (var q = 0; q < inFold.Length; q++)
            {
                result[inFold[q]] = scores[q];
            }
        }

        for (var i = 0; i < result.Length; i++)
        {
            result[i] ??= new float[classes.Length];
        }

        return result;
    }

    /// <summary>
    /// Out-of-fold macro-F1 of every <see cref="Grid"/> candidate (features: the embedding, plus the scaled cross-fitted
    /// scores when the candidate reads them). The 20 head fits (candidates × folds) are independent and each is
    /// single-threaded and deterministic, so they run in parallel (one per core) and give the same figures as in a row.
    /// </summary>
    private static double[] CrossValidate(float[][] vectors, float[][] scores, int[] labels, int classes, int[] folds, CancellationToken cancellationToken)
    {
        var featuresOf = new Dictionary<double, float[][]>();
        foreach (var (_, scale) in Grid)
        {
            if (!featuresOf.ContainsKey(scale))
            {
                featuresOf[scale] = [.. vectors.Select((v, i) => EncoderModel.HeadFeatures(v, scale > 0 ? scores[i] : null, scale))];
            }
        }

        var predicted = Grid.Select(_ => new int[labels.Length]).ToArray();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount), CancellationToken = cancellationToken };
        Parallel.For(0, Grid.Count * Folds, parallel, job =>
        {
            var (g, f) = (job / Folds, job % Folds);
            var features = featuresOf[Grid[g].TfidfScale];
            var rest = Enumerable.Range(0, labels.Length).Where(i => folds[i] != f).ToArray();
            var inFold = Enumerable.Range(0, labels.Length).Where(i => folds[i] == f).ToArray();
            if (inFold.Length == 0 || rest.Length == 0)
            {
                return;
            }

            var head = LogisticHead.Fit([.. rest.Select(i => features[i])], [.. rest.Select(i => labels[i])], classes, Grid[g].C, cancellationToken: cancellationToken);
            foreach (var i in inFold)
            {
                var p = head.Probabilities(features[i]);
                var best = 0;
                for (var k = 1; k < p.Length; k++)
                {
                    best = p[k] > p[best] ? k : best;
                }

                predicted[g][i] = best;
            }
        });

        string[] truth = [.. labels.Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        return [.. predicted.Select(p => ClassificationMetrics.Compute(truth, [.. p.Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture))]).Macro.F1)];
    }
}
