using FastBertTokenizer;
using Microsoft.ML.OnnxRuntime;

namespace MLIntern.Training.Encoder;

/// <summary>How the embedder batches and threads.</summary>
/// <param name="MaxTokens">Truncation per text, [CLS] and [SEP] included (all-MiniLM-L6-v2 was trained with 256).</param>
/// <param name="BatchTokens">Padded tokens per ONNX call: texts of similar length go together until a batch holds this many.</param>
/// <param name="MaxBatch">At most this many texts per call.</param>
/// <param name="Threads">ONNX Runtime intra-op threads; 0 means one per core.</param>
/// <param name="MemoryPattern">ONNX Runtime's memory pattern (a plan of allocations per input shape, made on a shape's first run).</param>
/// <param name="CpuArena">ONNX Runtime's CPU memory arena.</param>
/// <param name="WidthMultiple">Each batch's padded width is rounded up to a multiple of this (fewer distinct shapes).</param>
/// <param name="Prewarm">Run the model once at construction (PrewarmBatch texts × PrewarmWidth tokens) so the first real batch does not pay the session's first-run costs.</param>
/// <param name="PrewarmWidth">Tokens per text of the warm-up batch (capped at MaxTokens).</param>
/// <param name="PrewarmBatch">Texts in the warm-up batch (capped at MaxBatch).</param>
/// <param name="Int8">Run the model with its weight MatMuls quantized to int8 (<see cref="OnnxInt8"/>, rewritten in memory when the embedder is built); false: the model as given.</param>
/// <param name="Int8Narrowing">With Int8, quantize the narrowing weights (the feed-forward output projections) too: faster, less accurate.</param>
public sealed record EmbedderOptions(int MaxTokens = 256, int BatchTokens = 2048, int MaxBatch = 64, int Threads = 0, bool MemoryPattern = false, bool CpuArena = true, int WidthMultiple = 1, bool Prewarm = true, int PrewarmWidth = 64, int PrewarmBatch = 4, bool Int8 = true, bool Int8Narrowing = false);

/// <summary>
/// A BERT-style sentence encoder (all-MiniLM-L6-v2 in practice) run with ONNX Runtime on the CPU:
/// WordPiece tokenization (lower-cased), texts sorted by token count and cut into batches of
/// similar length (little padding), the last hidden state mean-pooled over the attention mask,
/// then scaled to unit length, so a dot product is the cosine. The model and vocabulary are handed
/// in by the host (it reads them from the package that ships them); nothing here touches a file.
/// </summary>
public sealed class SentenceEmbedder : IDisposable
{
    private readonly InferenceSession session;
    private readonly BertTokenizer tokenizer = new();
    private readonly EmbedderOptions options;
    private readonly bool hasTokenTypes;
    private readonly string outputName;
    private readonly string[] outputNames;
    private readonly RunOptions runOptions = new();
    private static readonly string[] InputNames = ["input_ids", "attention_mask"];
    private static readonly string[] InputNamesWithTypes = ["input_ids", "attention_mask", "token_type_ids"];

    /// <param name="model">The ONNX model's bytes.</param>
    /// <param name="vocabulary">vocab.txt, one WordPiece per line.</param>
    public SentenceEmbedder(byte[] model, TextReader vocabulary, EmbedderOptions? options = null)
    {
        this.options = options ?? new EmbedderOptions();
        tokenizer.LoadVocabulary(vocabulary, convertInputToLowercase: true);
        using var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = this.options.Threads > 0 ? this.options.Threads : Environment.ProcessorCount,
            InterOpNumThreads = 1,
            EnableMemoryPattern = this.options.MemoryPattern,
            EnableCpuMemArena = this.options.CpuArena,
        };
        // No busy-waiting between kernels: on a shared, busy CPU the spinning threads compete with the work (measured
        // under load; on an idle machine it costs nothing measurable at these batch sizes).
        sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        if (this.options.Int8)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            Quantization = OnnxInt8.Rewrite(model, this.options.Int8Narrowing);
            QuantizeSeconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
            model = Quantization.Model;
            Weights = Quantization.Quantized > 0 ? OnnxInt8.WeightsInt8 : OnnxInt8.WeightsFp32;
        }

        session = new InferenceSession(model, sessionOptions);
        hasTokenTypes = session.InputMetadata.ContainsKey("token_type_ids");
        outputName = session.OutputMetadata.ContainsKey("last_hidden_state") ? "last_hidden_state" : session.OutputMetadata.Keys.First();
        outputNames = [outputName];
        Dimension = session.OutputMetadata[outputName].Dimensions[^1];
        if (this.options.Prewarm)
        {
            // A small batch (4 × 64 tokens, an eighth of a full one): the first run's one-off costs (kernels' first use,
            // the arena's first chunk, the thread pool waking) without the price of a full batch at the widest shape.
            var width = Math.Min(this.options.PrewarmWidth, this.options.MaxTokens);
            var count = Math.Min(this.options.PrewarmBatch, this.options.MaxBatch);
            var filler = new long[width];
            filler.AsSpan().Fill(100); // [UNK]: any id will do, the result is thrown away
            var rows = Enumerable.Range(0, count).ToArray();
            RunBatch([.. rows.Select(_ => filler)], rows, width, new float[count][]);
        }
    }

    /// <summary>Which weights the session runs: <see cref="OnnxInt8.WeightsInt8"/> or <see cref="OnnxInt8.WeightsFp32"/> (also when int8 was asked for and the model had nothing to rewrite).</summary>
    public string Weights { get; } = OnnxInt8.WeightsFp32;

    /// <summary>What the int8 rewrite did (null: not asked for).</summary>
    public OnnxInt8Result? Quantization { get; }

    /// <summary>Seconds the int8 rewrite took (0: not asked for).</summary>
    public double QuantizeSeconds { get; }

    /// <summary>The options this embedder runs with.</summary>
    public EmbedderOptions Options => options;

    /// <summary>Width of one embedding (384 for MiniLM-L6).</summary>
    public int Dimension { get; }

    /// <summary>Token ids of one text, [CLS] … [SEP], truncated at MaxTokens.</summary>
    public long[] Tokenize(string text)
    {
        var (ids, _, _) = tokenizer.Encode(text ?? "", options.MaxTokens);
        return ids.ToArray();
    }

    /// <summary>
    /// Unit-length embeddings of <paramref name="texts"/>, in their order. <paramref name="progress"/>
    /// is told (texts done, total) after each batch.
    /// </summary>
    public float[][] Embed(IReadOnlyList<string> texts, Action<int, int>? progress = null, CancellationToken cancellationToken = default)
    {
        var tokens = new long[texts.Count][];
        for (var i = 0; i < texts.Count; i++)
        {
            tokens[i] = Tokenize(texts[i]);
        }

        // Longest first (the first batch shows the worst case early); ties in input order so the batches are deterministic.
        var order = Enumerable.Range(0, texts.Count).OrderByDescending(i => tokens[i].Length).ThenBy(i => i).ToArray();
        var result = new float[texts.Count][];
        var done = 0;
        var start = 0;
        while (start < order.Length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var width = tokens[order[start]].Length;
            var multiple = Math.Max(1, options.WidthMultiple);
            width = Math.Min(((width + multiple - 1) / multiple) * multiple, Math.Max(width, options.MaxTokens));
            var count = Math.Clamp(options.BatchTokens / Math.Max(1, width), 1, options.MaxBatch);
            count = Math.Min(count, order.Length - start);
            RunBatch(tokens, order.AsSpan(start, count), width, result);
            start += count;
            done += count;
            progress?.Invoke(done, texts.Count);
        }

        return result;
    }

    private void RunBatch(long[][] tokens, ReadOnlySpan<int> rows, int width, float[][] result)
    {
        var batch = rows.Length;
        var ids = new long[batch * width];
        var mask = new long[batch * width];
        for (var b = 0; b < batch; b++)
        {
            var row = tokens[rows[b]];
            row.CopyTo(ids, b * width);
            mask.AsSpan(b * width, row.Length).Fill(1);
        }

        long[] shape = [batch, width];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typesValue = hasTokenTypes ? OrtValue.CreateTensorValueFromMemory(new long[batch * width], shape) : null;
        string[] names = typesValue is null ? InputNames : InputNamesWithTypes;
        OrtValue[] values = typesValue is null ? [idsValue, maskValue] : [idsValue, maskValue, typesValue];
        using var outputs = session.Run(runOptions, names, values, outputNames);
        var hidden = outputs[0].GetTensorDataAsSpan<float>();
        var dim = Dimension;
        for (var b = 0; b < batch; b++)
        {
            var length = tokens[rows[b]].Length;
            var sum = new float[dim];
            for (var t = 0; t < length; t++)
            {
                var vector = hidden.Slice(((b * width) + t) * dim, dim);
                for (var d = 0; d < dim; d++)
                {
                    sum[d] += vector[d];
                }
            }

            // Mean over the real tokens, then unit length: the mean's scale cancels, so normalising the sum is the same.
            var squares = 0.0;
            for (var d = 0; d < dim; d++)
            {
                squares += (double)sum[d] * sum[d];
            }

            var scale = (float)(1.0 / Math.Max(Math.Sqrt(squares), 1e-12));
            for (var d = 0; d < dim; d++)
            {
                sum[d] *= scale;
            }
            result[rows[b]] = sum;
        }
    }

    public void Dispose()
    {
        runOptions.Dispose();
        session.Dispose();
    }
}
