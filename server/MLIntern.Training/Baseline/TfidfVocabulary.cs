namespace MLIntern.Training.Baseline;

/// <summary>
/// The fitted feature space: which hash buckets the training texts used (in order of first use, so
/// the layout is deterministic), their inverse document frequencies, and the transform of texts to
/// TF-IDF rows. Term frequency is sublinear (1 + ln tf); idf is scikit-learn's smoothed
/// ln((1 + n) / (1 + df)) + 1; the word block and the character block are each scaled to unit
/// length, as a union of two TfidfVectorizers does. Column 0 is the bias feature, always 1.
/// </summary>
public sealed class TfidfVocabulary
{
    private readonly int[] _columnOfBucket;

    private TfidfVocabulary(TextFeaturizer featurizer, int[] columnOfBucket, float[] idf, bool[] isChar)
    {
        Featurizer = featurizer;
        _columnOfBucket = columnOfBucket;
        Idf = idf;
        IsChar = isChar;
    }

    public TextFeaturizer Featurizer { get; }

    public float[] Idf { get; }

    /// <summary>Whether a column belongs to the character block.</summary>
    public bool[] IsChar { get; }

    public int ColumnCount => Idf.Length;

    internal int[] ColumnOfBucket => _columnOfBucket;

    /// <summary>Fits the vocabulary on the training texts and returns their rows.</summary>
    public static (TfidfVocabulary Vocabulary, SparseRows Rows) Fit(IReadOnlyList<string> texts, TextFeaturizer featurizer)
    {
        var hashed = HashAll(texts, featurizer);
        var buckets = 1 << featurizer.HashBits;
        var columnOfBucket = new int[buckets * 2];
        Array.Fill(columnOfBucket, -1);
        var df = new List<int> { texts.Count };
        var isChar = new List<bool> { false };
        foreach (var row in hashed)
        {
            foreach (var (id, _) in row)
            {
                var slot = Slot(id, buckets);
                var column = columnOfBucket[slot];
                if (column < 0)
                {
                    column = columnOfBucket[slot] = df.Count;
                    df.Add(0);
                    isChar.Add((id & TextFeaturizer.CharFlag) != 0);
                }

                df[column]++;
            }
        }

        var n = texts.Count;
        var idf = new float[df.Count];
        idf[0] = 1;
        for (var c = 1; c < idf.Length; c++)
        {
            idf[c] = (float)(Math.Log((1.0 + n) / (1.0 + df[c])) + 1.0);
        }

        var vocabulary = new TfidfVocabulary(featurizer, columnOfBucket, idf, [.. isChar]);
        return (vocabulary, vocabulary.Build(hashed));
    }

    /// <summary>Restores a vocabulary saved by <see cref="BaselineModel"/>.</summary>
    internal static TfidfVocabulary Restore(TextFeaturizer featurizer, int[] columnOfBucket, float[] idf, bool[] isChar) =>
        new(featurizer, columnOfBucket, idf, isChar);

    /// <summary>The rows of texts in this vocabulary; n-grams the training texts never had are dropped.</summary>
    public SparseRows Transform(IReadOnlyList<string> texts) => Build(HashAll(texts, Featurizer));

    private static int Slot(int id, int buckets) => (id & ~TextFeaturizer.CharFlag) + ((id & TextFeaturizer.CharFlag) != 0 ? buckets : 0);

    /// <summary>Each text's distinct ids with their counts, sorted by id. Parallel over texts; the result does not depend on scheduling.</summary>
    private static (int Id, int Count)[][] HashAll(IReadOnlyList<string> texts, TextFeaturizer featurizer)
    {
        var result = new (int, int)[texts.Count][];
        Parallel.For(0, texts.Count, () => new List<int>(512), (i, _, ids) =>
        {
            ids.Clear();
            featurizer.Featurize(texts[i], ids);
            var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(ids);
            span.Sort();
            var counted = new List<(int, int)>(span.Length);
            for (var k = 0; k < span.Length;)
            {
                var start = k;
                while (k < span.Length && span[k] == span[start])
                {
                    k++;
                }

                counted.Add((span[start], k - start));
            }

            result[i] = [.. counted];
            return ids;
        }, _ => { });
        return result;
    }

    private SparseRows Build((int Id, int Count)[][] hashed)
    {
        var buckets = 1 << Featurizer.HashBits;
        var starts = new int[hashed.Length + 1];
        for (var r = 0; r < hashed.Length; r++)
        {
            starts[r + 1] = starts[r] + hashed[r].Length + 1;
        }

        var columns = new int[starts[^1]];
        var values = new float[starts[^1]];
        Parallel.For(0, hashed.Length, r =>
        {
            var at = starts[r];
            columns[at] = 0;
            values[at] = 1;
            var write = at + 1;
            double wordNorm = 0, charNorm = 0;
            foreach (var (id, count) in hashed[r])
            {
                var column = _columnOfBucket[Slot(id, buckets)];
                if (column < 0)
                {
                    continue;
                }

                var value = (float)((1.0 + Math.Log(count)) * Idf[column]);
                columns[write] = column;
                values[write] = value;
                write++;
                if (IsChar[column])
                {
                    charNorm += value * value;
                }
                else
                {
                    wordNorm += value * value;
                }
            }

            var wordScale = wordNorm > 0 ? (float)(1 / Math.Sqrt(wordNorm)) : 0f;
            var charScale = charNorm > 0 ? (float)(1 / Math.Sqrt(charNorm)) : 0f;
            for (var k = at + 1; k < write; k++)
            {
                values[k] *= IsChar[columns[k]] ? charScale : wordScale;
            }

            // Unused slots (unknown n-grams) become zero-valued bias repeats: harmless and keeps the layout fixed.
            for (var k = write; k < starts[r + 1]; k++)
            {
                columns[k] = 0;
                values[k] = 0;
            }
        });
        return new SparseRows(starts, columns, values, ColumnCount);
    }
}
