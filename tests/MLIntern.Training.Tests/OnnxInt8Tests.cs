using MLIntern.Training.Encoder;

namespace MLIntern.Training.Tests;

public sealed class OnnxInt8Tests(MiniLmFixture fixture) : IClassFixture<MiniLmFixture>
{
    private static readonly string[] Texts =
    [
        "I want to cancel order 1234",
        "where is my package",
        "can u help me get a refund for the broken headphones i bought last week, the left ear doesn't work",
        "ok",
        "unsubscribe me from the newsletter; I never signed up",
    ];

    [Fact]
    public void The_rewritten_model_runs_and_its_embeddings_are_close_to_fp32()
    {
        var all = OnnxInt8.Rewrite(fixture.Model, narrowing: true);
        Assert.Null(all.Reason);
        Assert.Equal(36, all.Quantized);   // 6 layers × (Q, K, V, attention output, FFN in, FFN out)
        Assert.Equal(36, all.BiasesFused); // every weight MatMul is followed by the Add of its bias
        Assert.Equal(12, all.Kept);        // attention's Q·Kᵀ and weights·V, activation × activation, stay fp32
        Assert.True(all.Model.Length < fixture.Model.Length * 0.7, $"{all.Model.Length} bytes");
        var result = OnnxInt8.Rewrite(fixture.Model);
        Assert.Equal((30, 18), (result.Quantized, result.Kept)); // the default keeps the six FFN output projections (1536 → 384) in fp32
        Assert.True(result.Model.Length < fixture.Model.Length * 0.8, $"{result.Model.Length} bytes");

        // The rewritten bytes, run as they are (no second rewrite), against the fp32 model.
        using var int8 = new SentenceEmbedder(result.Model, new StringReader(fixture.Vocabulary), new EmbedderOptions(Int8: false));
        using var allInt8 = new SentenceEmbedder(all.Model, new StringReader(fixture.Vocabulary), new EmbedderOptions(Int8: false));
        var reference = fixture.Fp32.Embed(Texts);
        foreach (var quantized in new[] { int8.Embed(Texts), allInt8.Embed(Texts) })
        {
            for (var i = 0; i < Texts.Length; i++)
            {
                var cosine = EncoderTests.Cosine(quantized[i], reference[i]);
                // "ok" ([CLS] ok [SEP]): three tokens, whose quantization noise the mean pooling cannot average away: the worst case.
                Assert.True(cosine >= (Texts[i] == "ok" ? 0.97 : 0.98), $"text {i} ({Texts[i]}): cosine {cosine:F5}");
                Assert.True(cosine < 0.99999, $"text {i}: identical to fp32, so nothing was quantized");
            }
        }
    }

    [Fact]
    public void The_rewrite_is_deterministic_and_a_rewritten_model_is_left_as_it_is()
    {
        var once = OnnxInt8.Rewrite(fixture.Model).Model;
        Assert.Equal(once, OnnxInt8.Rewrite(fixture.Model).Model);
        var twice = OnnxInt8.Rewrite(once);
        Assert.Equal(0, twice.Quantized);
        Assert.Same(once, twice.Model);
        Assert.Equal(6, OnnxInt8.Rewrite(once, narrowing: true).Quantized); // what the first pass kept, and only that
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(17)]
    [InlineData(1000)]
    [InlineData(-1)]
    public void A_truncated_model_comes_back_unchanged(int length)
    {
        var bytes = length < 0 ? fixture.Model[..^3] : fixture.Model[..length];
        var result = OnnxInt8.Rewrite(bytes);
        Assert.Same(bytes, result.Model);
        Assert.Equal(0, result.Quantized);
        Assert.NotNull(result.Reason);
    }

    [Fact]
    public void Bytes_that_are_not_onnx_come_back_unchanged()
    {
        byte[][] inputs =
        [
            "this is not a model"u8.ToArray(),
            [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],
            [0x0B, 0x00], // wire type 3 (a group): not handled
            [0x3A, 0x05, 0x0A, 0x10, 0x00], // a graph whose first node says it is longer than the graph
            [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 31 % 251))],
        ];
        foreach (var input in inputs)
        {
            var result = OnnxInt8.Rewrite(input);
            Assert.Same(input, result.Model);
            Assert.Equal(0, result.Quantized);
        }

        Assert.Empty(OnnxInt8.Rewrite(null!).Model);
    }

    [Fact]
    public void Columns_are_quantized_symmetrically_each_with_its_own_scale()
    {
        // 2 × 3, column-wise maxima 4, 0.5 and 0 (a zero column gets scale 1).
        float[] weight = [4f, -0.25f, 0f, -2f, 0.5f, 0f];
        var (values, scales) = OnnxInt8.QuantizeColumns(weight, 2, 3);
        Assert.Equal([4f / 127, 0.5f / 127, 1f], scales);
        Assert.Equal([127, -64, 0, -64, 127, 0], values.Select(v => (int)(sbyte)v));
    }
}
