namespace MLIntern.Training.Baseline;

/// <summary>
/// Text → hashed n-gram ids: lower-cased word unigrams and bigrams, and character 3–5-grams inside
/// each word padded with a space on both sides (scikit-learn's "char_wb"). The hash is our own
/// FNV-1a over UTF-16 code units, so ids are the same in every process and on every machine
/// (string.GetHashCode is randomised per process). Word and character ids come in two blocks,
/// told apart by <see cref="CharFlag"/>, because each block is weighted and normalised on its own.
/// </summary>
public sealed class TextFeaturizer(int hashBits)
{
    /// <summary>Set on ids of the character block.</summary>
    public const int CharFlag = 1 << 30;

    private const uint Offset = 2166136261;
    private const uint Prime = 16777619;
    private const uint WordSeed = 0x9E3779B9;
    private const uint BigramSeed = 0x85EBCA6B;
    private const uint CharSeed = 0xC2B2AE35;
    private const int MaxChars = 20_000;

    public int HashBits { get; } = hashBits is >= 10 and <= 26 ? hashBits : throw new ArgumentOutOfRangeException(nameof(hashBits));

    private int Mask => (1 << HashBits) - 1;

    /// <summary>Appends the ids of one text (with repeats: the caller counts them).</summary>
    public void Featurize(string text, List<int> ids)
    {
        // A size limit on what one row may cost: texts past 20,000 characters are cut.
        var span = text.AsSpan(0, Math.Min(text.Length, MaxChars));
        Span<char> word = stackalloc char[66];
        var previous = 0u;
        var havePrevious = false;
        var i = 0;
        while (i < span.Length)
        {
            while (i < span.Length && !char.IsLetterOrDigit(span[i]))
            {
                i++;
            }

            var length = 0;
            word[length++] = ' ';
            while (i < span.Length && char.IsLetterOrDigit(span[i]))
            {
                if (length < word.Length - 1)
                {
                    word[length++] = char.ToLowerInvariant(span[i]);
                }

                i++;
            }

            if (length == 1)
            {
                break;
            }

            word[length++] = ' ';
            var token = word[1..(length - 1)];
            var hash = Hash(WordSeed, token);
            ids.Add((int)(Mix(hash) & (uint)Mask));
            if (havePrevious)
            {
                ids.Add((int)(Mix((previous * Prime) ^ hash ^ BigramSeed) & (uint)Mask));
            }

            previous = hash;
            havePrevious = true;
            AddCharGrams(word[..length], ids);
        }
    }

    private void AddCharGrams(ReadOnlySpan<char> padded, List<int> ids)
    {
        // From each start, extend one character at a time and emit the 3-, 4- and 5-gram prefixes.
        for (var start = 0; start + 3 <= padded.Length; start++)
        {
            var h = CharSeed;
            var end = Math.Min(padded.Length, start + 5);
            for (var k = start; k < end; k++)
            {
                h = (h ^ padded[k]) * Prime;
                if (k - start >= 2)
                {
                    ids.Add((int)(Mix(h) & (uint)Mask) | CharFlag);
                }
            }
        }
    }

    private static uint Hash(uint seed, ReadOnlySpan<char> text)
    {
        var h = Offset ^ seed;
        foreach (var c in text)
        {
            h = (h ^ c) * Prime;
        }

        return h;
    }

    /// <summary>A finaliser (murmur3's) so that the low bits used as the bucket depend on every input bit.</summary>
    private static uint Mix(uint h)
    {
        h ^= h >> 16;
        h *= 0x85EBCA6B;
        h ^= h >> 13;
        h *= 0xC2B2AE35;
        h ^= h >> 16;
        return h;
    }
}
