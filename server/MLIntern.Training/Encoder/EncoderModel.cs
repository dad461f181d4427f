using System.Text;
using MLIntern.Training.Baseline;

namespace MLIntern.Training.Encoder;

/// <summary>
/// A trained encoder baseline: which frozen encoder embeds the texts, the logistic-regression head on
/// top, and — when cross-validation chose them — the TF-IDF SVM's decision values as extra head
/// features (<see cref="Tfidf"/>, scaled by <see cref="TfidfScale"/>). Saved as the run's model.bin
/// (its own magic, so the TF-IDF baseline's reader refuses it and <see cref="IsEncoderModel"/> tells them apart).
/// </summary>
public sealed class EncoderModel(string encoderId, int maxTokens, IReadOnlyList<string> classes, LogisticHead head, double c, BaselineModel? tfidf, double tfidfScale, LogisticHead? embeddingHead = null, string weights = OnnxInt8.WeightsFp32)
{
    private const string Magic = "MLINTERN-ENCODER";

    // 2: the encoder's weights (fp32 or int8-dynamic) after its id. Version 1 files (no weights field) read as fp32.
    private const int FormatVersion = 2;

    /// <summary>The encoder's Hub id (sentence-transformers/all-MiniLM-L6-v2).</summary>
    public string EncoderId { get; } = encoderId;

    /// <summary>Which weights of the encoder embedded the training rows: <see cref="OnnxInt8.WeightsFp32"/> or <see cref="OnnxInt8.WeightsInt8"/> (the local demo embeds with the same).</summary>
    public string Weights { get; } = weights;

    /// <summary>Truncation of every text in word pieces, [CLS] and [SEP] included.</summary>
    public int MaxTokens { get; } = maxTokens;

    public IReadOnlyList<string> Classes { get; } = classes;

    public LogisticHead Head { get; } = head;

    /// <summary>The head's C (L2 penalty 1/(2C)·‖W‖²), chosen by cross-validation.</summary>
    public double C { get; } = c;

    /// <summary>The TF-IDF SVM whose decision values the head also reads; null when the head reads the embedding only.</summary>
    public BaselineModel? Tfidf { get; } = tfidf;

    public double TfidfScale { get; } = tfidfScale;

    /// <summary>
    /// A head over the embedding alone (the head itself when it reads nothing else): what a Python app can run
    /// with sentence-transformers and numpy (the Gradio Space), since it has no copy of the TF-IDF featurizer.
    /// </summary>
    public LogisticHead EmbeddingHead { get; } = tfidf is null ? head : embeddingHead ?? throw new ArgumentNullException(nameof(embeddingHead));

    /// <summary>The head's input of one text: its embedding, then (when used) the scaled TF-IDF decision values.</summary>
    public float[] Features(float[] embedding, float[]? tfidfScores) => HeadFeatures(embedding, Tfidf is null ? null : tfidfScores, TfidfScale);

    /// <summary>Class probabilities of texts whose embeddings are given (same order).</summary>
    public double[][] Probabilities(IReadOnlyList<string> texts, IReadOnlyList<float[]> embeddings)
    {
        var scores = Tfidf?.Score(texts);
        var result = new double[texts.Count][];
        for (var i = 0; i < texts.Count; i++)
        {
            result[i] = Head.Probabilities(Features(embeddings[i], scores?[i]));
        }

        return result;
    }

    internal static float[] HeadFeatures(float[] embedding, float[]? tfidfScores, double scale)
    {
        if (tfidfScores is null)
        {
            return embedding;
        }

        var row = new float[embedding.Length + tfidfScores.Length];
        embedding.CopyTo(row, 0);
        for (var k = 0; k < tfidfScores.Length; k++)
        {
            row[embedding.Length + k] = (float)(tfidfScores[k] * scale);
        }

        return row;
    }

    /// <summary>Whether <paramref name="stream"/> (positioned at its start; left there) holds an encoder model.</summary>
    public static bool IsEncoderModel(Stream stream)
    {
        var start = stream.Position;
        try
        {
            using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
            return reader.ReadString() == Magic;
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or FormatException)
        {
            return false;
        }
        finally
        {
            stream.Position = start;
        }
    }

    public void Save(Stream stream)
    {
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(EncoderId);
            writer.Write(Weights);
            writer.Write(MaxTokens);
            writer.Write(Classes.Count);
            foreach (var label in Classes)
            {
                writer.Write(label);
            }

            writer.Write(C);
            writer.Write(TfidfScale);
            Head.Write(writer);
            writer.Write(Tfidf is not null);
            if (Tfidf is not null)
            {
                EmbeddingHead.Write(writer);
            }
        }

        Tfidf?.Save(stream);
    }

    /// <summary>Reads a model written by <see cref="Save"/>; anything else is an <see cref="InvalidDataException"/>.</summary>
    public static EncoderModel Load(Stream stream)
    {
        try
        {
            string id;
            var weights = OnnxInt8.WeightsFp32;
            int maxTokens;
            string[] classes;
            double c, scale;
            LogisticHead head;
            LogisticHead? embeddingHead = null;
            bool hasTfidf;
            using (var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true))
            {
                var version = reader.ReadString() == Magic ? reader.ReadInt32() : -1;
                if (version is not (1 or FormatVersion))
                {
                    throw new InvalidDataException("not an ML Intern encoder model (model.bin) of a version this program reads");
                }

                id = reader.ReadString();
                if (version >= 2)
                {
                    weights = reader.ReadString();
                    if (weights is not (OnnxInt8.WeightsFp32 or OnnxInt8.WeightsInt8))
                    {
                        throw new InvalidDataException($"model.bin: unknown encoder weights '{weights}'");
                    }
                }

                maxTokens = reader.ReadInt32();
                var count = reader.ReadInt32();
                if (count is < 1 or > 1_000_000)
                {
                    throw new InvalidDataException($"model.bin: a count of {count} is out of range");
                }

                classes = new string[count];
                for (var i = 0; i < count; i++)
                {
                    classes[i] = reader.ReadString();
                }

                c = reader.ReadDouble();
                scale = reader.ReadDouble();
                head = LogisticHead.Read(reader);
                hasTfidf = reader.ReadBoolean();
                if (hasTfidf)
                {
                    embeddingHead = LogisticHead.Read(reader);
                }
            }

            var tfidf = hasTfidf ? BaselineModel.Load(stream) : null;
            if (head.Classes != classes.Length || (tfidf is not null && tfidf.Classes.Count != classes.Length))
            {
                throw new InvalidDataException("model.bin: the head and the classes disagree");
            }

            return new EncoderModel(id, maxTokens, classes, head, c, tfidf, scale, embeddingHead, weights);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException("model.bin is truncated");
        }
    }
}
