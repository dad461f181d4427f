using System.Text;

namespace MLIntern.Training.Baseline;

/// <summary>A trained baseline: the feature space, the classes (ordinal order) and the weights. Saved as one binary file, model.bin.</summary>
public sealed class BaselineModel(TfidfVocabulary vocabulary, IReadOnlyList<string> classes, float[] weights)
{
    private const string Magic = "MLINTERN-BASELINE";
    private const int FormatVersion = 1;

    public TfidfVocabulary Vocabulary { get; } = vocabulary;

    public IReadOnlyList<string> Classes { get; } = classes;

    /// <summary>Laid out [column * classes + class].</summary>
    public float[] Weights { get; } = weights;

    /// <summary>Decision values of each text for every class (rows: texts).</summary>
    public float[][] Score(IReadOnlyList<string> texts) => Score(Vocabulary.Transform(texts));

    internal float[][] Score(SparseRows rows)
    {
        var result = new float[rows.Count][];
        Parallel.For(0, rows.Count, r =>
        {
            result[r] = new float[Classes.Count];
            LinearSvm.Score(rows, r, Weights, Classes.Count, result[r]);
        });
        return result;
    }

    /// <summary>The index of the best score; ties go to the first class (ordinal order), as numpy's argmax does.</summary>
    public static int ArgMax(ReadOnlySpan<float> scores)
    {
        var best = 0;
        for (var c = 1; c < scores.Length; c++)
        {
            if (scores[c] > scores[best])
            {
                best = c;
            }
        }

        return best;
    }

    public void Save(Stream stream)
    {
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(FormatVersion);
        writer.Write(Vocabulary.Featurizer.HashBits);
        writer.Write(Classes.Count);
        foreach (var label in Classes)
        {
            writer.Write(label);
        }

        var map = Vocabulary.ColumnOfBucket;
        var used = map.Count(c => c >= 0);
        writer.Write(map.Length);
        writer.Write(used);
        for (var slot = 0; slot < map.Length; slot++)
        {
            if (map[slot] >= 0)
            {
                writer.Write(slot);
                writer.Write(map[slot]);
            }
        }

        writer.Write(Vocabulary.ColumnCount);
        for (var c = 0; c < Vocabulary.ColumnCount; c++)
        {
            writer.Write(Vocabulary.Idf[c]);
            writer.Write(Vocabulary.IsChar[c]);
        }

        writer.Write(Weights.Length);
        foreach (var w in Weights)
        {
            writer.Write(w);
        }
    }

    /// <summary>Reads a model written by <see cref="Save"/>; a file of another kind or version is an <see cref="InvalidDataException"/>.</summary>
    public static BaselineModel Load(Stream stream)
    {
        try
        {
            return Read(stream);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException("model.bin is truncated");
        }
    }

    private static BaselineModel Read(Stream stream)
    {
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        if (reader.ReadString() != Magic || reader.ReadInt32() != FormatVersion)
        {
            throw new InvalidDataException("not an ML Intern baseline model (model.bin) of a version this program reads");
        }

        var featurizer = new TextFeaturizer(reader.ReadInt32());
        var classes = new string[Bounded(reader.ReadInt32(), 1_000_000)];
        for (var i = 0; i < classes.Length; i++)
        {
            classes[i] = reader.ReadString();
        }

        var map = new int[Bounded(reader.ReadInt32(), 1 << 28)];
        Array.Fill(map, -1);
        var used = Bounded(reader.ReadInt32(), map.Length);
        for (var i = 0; i < used; i++)
        {
            var slot = reader.ReadInt32();
            map[slot] = reader.ReadInt32();
        }

        var columns = Bounded(reader.ReadInt32(), 1 << 28);
        var idf = new float[columns];
        var isChar = new bool[columns];
        for (var c = 0; c < columns; c++)
        {
            idf[c] = reader.ReadSingle();
            isChar[c] = reader.ReadBoolean();
        }

        var weights = new float[Bounded(reader.ReadInt32(), 1 << 30)];
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = reader.ReadSingle();
        }

        return new BaselineModel(TfidfVocabulary.Restore(featurizer, map, idf, isChar), classes, weights);
    }

    private static int Bounded(int value, int max) =>
        value >= 0 && value <= max ? value : throw new InvalidDataException($"model.bin: a count of {value} is out of range");
}
