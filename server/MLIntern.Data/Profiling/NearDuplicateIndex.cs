using System.Numerics;

namespace MLIntern.Data.Profiling;

/// <summary>
/// Near-duplicate search: MinHash signatures with LSH banding.
/// <list type="bullet">
/// <item>Shingles: the text lower-cased (ASCII) and cut into words (runs of letters and digits;
/// any non-ASCII byte counts as a letter); the shingles are the words and the pairs of adjacent
/// words. Texts with fewer than <see cref="MinWords"/> words are not compared.</item>
/// <item>Signature: one-permutation MinHash (Li, Owen and Zhang 2012) with <see cref="K"/> bins and
/// rotation densification for empty bins (Shrivastava and Li 2014): one hash per shingle.
/// The fraction of equal bins estimates the Jaccard similarity of the shingle sets.</item>
/// <item>LSH: <see cref="Bands"/> bands of <see cref="Rows"/> bins. Two texts are compared when a band
/// matches; a pair with Jaccard 0.7 becomes a candidate with probability 1 − (1 − 0.7³)¹² ≈ 0.99,
/// one with 0.3 with ≈ 0.28. A candidate is a near-duplicate when its estimated similarity is at or
/// above the threshold (default 0.7).</item>
/// <item>Memory: the first <see cref="Capacity"/> distinct texts are indexed (about 250 bytes each, 25 MB in all);
/// later texts are still compared against them but not added.</item>
/// <item>Speed: the band table is one array of 64-bit slots, each the band key's top 44 bits and the
/// entry's index, so a probe touches one cache line; the bands' first probes are loaded before any
/// is compared, so their cache misses overlap. A fingerprint collision only costs a signature
/// comparison, which decides.</item>
/// </list>
/// </summary>
internal sealed class NearDuplicateIndex
{
    public const int K = 36;
    public const int Bands = 12;
    public const int Rows = K / Bands;
    public const int MinWords = 3;
    public const int Capacity = 100_000;

    private readonly ulong[] _words = new ulong[512];
    private uint[] _signatures = new uint[1024 * K];
    private int[] _lines = new int[1024];
    private byte[] _splits = new byte[1024];
    private const int EntryBits = 20;
    private const ulong EntryMask = (1UL << EntryBits) - 1;

    private ulong[] _bands = new ulong[16384];
    private int _bandMask = 16384 - 1;
    private int _count;

    public bool Full => _count >= Capacity;

    public int Count => _count;

    /// <summary>A match: the earlier text's line and split, and the estimated similarity.</summary>
    public readonly record struct Match(int Line, int Split, double Similarity);

    /// <summary>Computes the signature of a text into <paramref name="signature"/>; false when the text is too short to compare.</summary>
    public bool Sign(ReadOnlySpan<byte> text, Span<uint> signature)
    {
        var words = Tokenize(text);
        if (words < MinWords)
        {
            return false;
        }

        signature.Fill(uint.MaxValue);
        for (var i = 0; i < words; i++)
        {
            Put(Hash64.Mix(_words[i]), signature);
            if (i + 1 < words)
            {
                Put(Hash64.Combine(_words[i], _words[i + 1]), signature);
            }
        }

        Densify(signature);
        return true;
    }

    private static void Put(ulong h, Span<uint> signature)
    {
        var bin = (int)(((h >> 32) * K) >> 32);
        var value = (uint)h;
        if (value < signature[bin])
        {
            signature[bin] = value;
        }
    }

    /// <summary>An empty bin borrows the nearest bin to its right (circularly) that was not empty, salted by the distance.</summary>
    private static void Densify(Span<uint> signature)
    {
        // One pass from the right over two laps of the circle: positions past K stand for the bins
        // they wrap to, and only the first lap is written, so every read sees an original value.
        var next = -1;
        var value = 0u;
        for (var j = 2 * K - 1; j >= 0; j--)
        {
            var i = j >= K ? j - K : j;
            if (signature[i] != uint.MaxValue)
            {
                next = j;
                value = signature[i];
            }
            else if (j < K && next >= 0)
            {
                signature[i] = (uint)Hash64.Mix(value + ((ulong)(next - j) << 32));
            }
        }
    }

    private int Tokenize(ReadOnlySpan<byte> text)
    {
        var count = 0;
        var h = 0xCBF29CE484222325UL;
        var inWord = false;
        foreach (var raw in text)
        {
            var b = raw is >= (byte)'A' and <= (byte)'Z' ? (byte)(raw | 0x20) : raw;
            var letter = b is >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9' or >= 0x80;
            if (letter)
            {
                h = (h ^ b) * 0x100000001B3UL;
                inWord = true;
            }
            else if (inWord)
            {
                if (count == _words.Length)
                {
                    return count;
                }

                _words[count++] = h;
                h = 0xCBF29CE484222325UL;
                inWord = false;
            }
        }

        if (inWord && count < _words.Length)
        {
            _words[count++] = h;
        }

        return count;
    }

    /// <summary>The most similar indexed text at or above the threshold in <paramref name="split"/>, and the same in split 0 (train); null when none.</summary>
    public void Find(ReadOnlySpan<uint> signature, double threshold, int split, out Match? inSplit, out Match? inTrain)
    {
        inSplit = null;
        inTrain = null;
        Span<ulong> keys = stackalloc ulong[Bands];
        Span<ulong> first = stackalloc ulong[Bands];
        var bands = _bands;
        var mask = _bandMask;
        for (var band = 0; band < Bands; band++)
        {
            keys[band] = BandKey(signature, band);
        }

        // Independent loads: the CPU overlaps the cache misses of all bands.
        for (var band = 0; band < Bands; band++)
        {
            first[band] = bands[(int)(keys[band] & (ulong)mask)];
        }

        // A near-duplicate usually matches the same earlier text in several bands: compare it once.
        Span<int> compared = stackalloc int[Bands];
        var comparedCount = 0;
        for (var band = 0; band < Bands; band++)
        {
            var fingerprint = Fingerprint(keys[band]);
            var i = (int)(keys[band] & (ulong)mask);
            var slot = first[band];
            for (var guard = 0; guard <= mask && slot != 0; guard++)
            {
                if ((slot & ~EntryMask) == fingerprint)
                {
                    var entry = (int)(slot & EntryMask);
                    var entrySplit = _splits[entry];
                    if ((entrySplit == split || entrySplit == 0) && compared[..comparedCount].IndexOf(entry) < 0)
                    {
                        compared[comparedCount++] = entry;
                        var similarity = Similarity(signature, entry);
                        if (similarity >= threshold)
                        {
                            var match = new Match(_lines[entry], entrySplit, similarity);
                            if (entrySplit == split && (inSplit is null || similarity > inSplit.Value.Similarity))
                            {
                                inSplit = match;
                            }

                            if (entrySplit == 0 && (inTrain is null || similarity > inTrain.Value.Similarity))
                            {
                                inTrain = match;
                            }
                        }
                    }

                    break;
                }

                i = (i + 1) & mask;
                slot = bands[i];
            }
        }
    }

    /// <summary>Adds a signature; a band already taken keeps its first text (the template's first instance).</summary>
    public void Add(ReadOnlySpan<uint> signature, int line, int split)
    {
        if (_count >= Capacity)
        {
            return;
        }

        if (_count == _lines.Length)
        {
            Grow();
        }

        var entry = _count++;
        signature.CopyTo(_signatures.AsSpan(entry * K, K));
        _lines[entry] = line;
        _splits[entry] = (byte)Math.Min(split, 255);
        IndexBands(entry);
    }

    private static ulong Fingerprint(ulong key) => (key & ~EntryMask) | (1UL << EntryBits);

    private void IndexBands(int entry)
    {
        var signature = _signatures.AsSpan(entry * K, K);
        for (var band = 0; band < Bands; band++)
        {
            var key = BandKey(signature, band);
            var fingerprint = Fingerprint(key);
            var i = (int)(key & (ulong)_bandMask);
            while (_bands[i] != 0 && (_bands[i] & ~EntryMask) != fingerprint)
            {
                i = (i + 1) & _bandMask;
            }

            if (_bands[i] == 0)
            {
                _bands[i] = fingerprint | (uint)entry;
            }
        }
    }

    /// <summary>Quadruples the entry arrays (up to the capacity) and rebuilds the band table in entry order, so each band keeps its first text.</summary>
    private void Grow()
    {
        var size = Math.Min(Capacity, _lines.Length * 4);
        Array.Resize(ref _signatures, size * K);
        Array.Resize(ref _lines, size);
        Array.Resize(ref _splits, size);
        var slots = (int)BitOperations.RoundUpToPowerOf2((uint)(size * Bands));
        _bands = new ulong[slots];
        _bandMask = slots - 1;
        for (var entry = 0; entry < _count; entry++)
        {
            IndexBands(entry);
        }
    }

    private double Similarity(ReadOnlySpan<uint> signature, int entry)
    {
        var other = _signatures.AsSpan(entry * K, K);
        var equal = 0;
        var i = 0;
        if (System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= K; i += 8)
            {
                var eq = System.Runtime.Intrinsics.Vector256.Equals(
                    System.Runtime.Intrinsics.Vector256.Create(signature.Slice(i, 8)),
                    System.Runtime.Intrinsics.Vector256.Create(other.Slice(i, 8)));
                equal += BitOperations.PopCount(System.Runtime.Intrinsics.Vector256.ExtractMostSignificantBits(eq));
            }
        }

        for (; i < K; i++)
        {
            if (signature[i] == other[i])
            {
                equal++;
            }
        }

        return (double)equal / K;
    }

    private static ulong BandKey(ReadOnlySpan<uint> signature, int band)
    {
        var h = (ulong)(band + 1) * 0x9E3779B97F4A7C15UL;
        for (var r = 0; r < Rows; r++)
        {
            h = Hash64.Combine(h, signature[band * Rows + r]);
        }

        return h == 0 ? 1 : h;
    }
}
