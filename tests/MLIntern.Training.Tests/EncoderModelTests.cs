using MLIntern.Training.Baseline;
using MLIntern.Training.Encoder;

namespace MLIntern.Training.Tests;

/// <summary>The encoder baseline's head choice (cross-validation) and model.bin, on synthetic embeddings (no ONNX).</summary>
public sealed class EncoderModelTests
{
    // Three intents whose texts share words (TF-IDF sees them) and whose "embeddings" are noisy cluster centres.
    private static (LabeledRows Rows, Func<IReadOnlyList<string>, float[][]> Embed) Data()
    {
        string[] intents = ["refund", "order", "account"];
        var texts = new List<string>();
        var labels = new List<string>();
        for (var i = 0; i < 90; i++)
        {
            var intent = intents[i % 3];
            texts.Add($"please help with my {intent} number {i} today");
            labels.Add(intent);
        }

        float[] Vector(string text, int row)
        {
            var random = new Random(row);
            var label = Array.FindIndex(intents, text.Contains);
            var v = new float[16];
            for (var d = 0; d < v.Length; d++)
            {
                v[d] = (float)((d % 3 == label ? 1.0 : 0.0) + (random.NextDouble() - 0.5));
            }

            var norm = (float)Math.Sqrt(v.Sum(x => x * x));
            return [.. v.Select(x => x / norm)];
        }

        var cache = texts.Select((t, i) => (t, v: Vector(t, i))).ToDictionary(p => p.t, p => p.v);
        return (new LabeledRows(texts, labels, 0), batch => [.. batch.Select(t => cache[t])]);
    }

    [Fact]
    public void The_head_is_chosen_by_cross_validation_and_repeats_exactly()
    {
        var (rows, embed) = Data();
        var first = EncoderBaseline.Run(rows, null, new BaselineOptions(Seed: 3), embed);
        var second = EncoderBaseline.Run(rows, null, new BaselineOptions(Seed: 3), embed);
        Assert.Equal(EncoderBaseline.Grid.Count, first.Candidates.Count);
        var best = first.Candidates.MaxBy(c => c.CvMacroF1)!;
        Assert.Equal((best.C, best.TfidfScale), (first.Model.C, first.Model.TfidfScale));
        Assert.Equal(first.Model.TfidfScale > 0, first.Model.Tfidf is not null);
        Assert.Equal(first.Predictions.Select(p => p.Scores.Values.ToArray()), second.Predictions.Select(p => p.Scores.Values.ToArray()));
        Assert.True(first.Eval.MacroF1 > 0.9, $"macro-F1 {first.Eval.MacroF1}");
    }

    [Fact]
    public void A_smoke_run_or_a_fixed_C_skips_the_search()
    {
        var (rows, embed) = Data();
        Assert.Empty(EncoderBaseline.Run(rows, null, new BaselineOptions(MaxTrainRows: 30), embed).Candidates);
        var fixedC = EncoderBaseline.Run(rows, null, new BaselineOptions(), embed, c: 3);
        Assert.Empty(fixedC.Candidates);
        Assert.Equal(3, fixedC.Model.C);
        Assert.Null(fixedC.Model.Tfidf);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    public void Model_bin_round_trips_with_and_without_the_tfidf_scores(double scale)
    {
        var (rows, embed) = Data();
        var vectors = embed(rows.Texts);
        var labels = rows.Labels.Select(l => l switch { "account" => 0, "order" => 1, _ => 2 }).ToArray();
        BaselineModel? tfidf = scale > 0 ? BaselineTrainer.Run(rows, rows, new BaselineOptions()).Model : null;
        var scores = tfidf?.Score(rows.Texts);
        var features = vectors.Select((v, i) => scale > 0 ? [.. v, .. scores![i].Select(s => (float)(s * scale))] : v).ToArray();
        var head = LogisticHead.Fit(features, labels, 3, 1.0);
        var embeddingHead = scale > 0 ? LogisticHead.Fit(vectors, labels, 3, 1.0) : null;
        var model = new EncoderModel(EncoderBaseline.ModelId, 256, ["account", "order", "refund"], head, 1.0, tfidf, scale, embeddingHead);
        using var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;
        Assert.True(EncoderModel.IsEncoderModel(stream));
        var loaded = EncoderModel.Load(stream);
        Assert.Equal(model.Probabilities(rows.Texts, vectors), loaded.Probabilities(rows.Texts, vectors));
        Assert.Equal(scale > 0, loaded.Tfidf is not null);
        Assert.Equal(scale > 0 ? 16 : 16, loaded.EmbeddingHead.Dimension);

        // Not an encoder model, or cut short: refused as invalid data, never a crash.
        Assert.False(EncoderModel.IsEncoderModel(new MemoryStream("nope"u8.ToArray())));
        Assert.Throws<InvalidDataException>(() => EncoderModel.Load(new MemoryStream(stream.ToArray()[..40])));
    }

    [Fact]
    public void Model_bin_names_the_encoders_weights_and_a_version_1_file_reads_as_fp32()
    {
        var (rows, embed) = Data();
        var labels = rows.Labels.Select(l => l switch { "account" => 0, "order" => 1, _ => 2 }).ToArray();
        var head = LogisticHead.Fit(embed(rows.Texts), labels, 3, 1.0);
        var model = new EncoderModel(EncoderBaseline.ModelId, 256, ["account", "order", "refund"], head, 1.0, null, 0, weights: OnnxInt8.WeightsInt8);
        using var stream = new MemoryStream();
        model.Save(stream);
        var bytes = stream.ToArray();
        Assert.Equal(OnnxInt8.WeightsInt8, EncoderModel.Load(new MemoryStream(bytes)).Weights);

        // Version 1 (before the weights field): the same bytes without it, version 1 in place of 2.
        using var reader = new BinaryReader(new MemoryStream(bytes));
        var magic = reader.ReadString();
        Assert.Equal(2, reader.ReadInt32());
        var id = reader.ReadString();
        var weightsEnd = reader.BaseStream.Position + 1 + OnnxInt8.WeightsInt8.Length;
        using var old = new MemoryStream();
        using (var writer = new BinaryWriter(old, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(magic);
            writer.Write(1);
            writer.Write(id);
            writer.Write(bytes[(int)weightsEnd..]);
        }

        old.Position = 0;
        var loaded = EncoderModel.Load(old);
        Assert.Equal(OnnxInt8.WeightsFp32, loaded.Weights);
        Assert.Equal(model.Classes, loaded.Classes);

        // An unknown weights name is refused.
        var unknown = bytes.ToArray();
        unknown[(int)weightsEnd - 1] = (byte)'x';
        Assert.Throws<InvalidDataException>(() => EncoderModel.Load(new MemoryStream(unknown)));
    }
}
