using System.Text;
using System.Text.RegularExpressions;

namespace MLIntern.Training.Evaluation;

/// <summary>
/// Text normal forms used by the audit. A <em>template signature</em> canonicalises what a template
/// fills in: <c>{{placeholders}}</c> → slot, e-mail addresses → email, URLs → url, anything with a
/// digit (order numbers, amounts, dates) → num, and capitalised words inside a sentence (names,
/// cities, products) → ent; then lower case, punctuation dropped, spaces collapsed.
/// "Hi, where is order #12345 to Berlin?" and "where is order {{Order Number}} to Paris" both become
/// "… where is order num to ent".
/// </summary>
public static partial class TextSignatures
{
    public static string Normalize(string text) => string.Join(' ', WordPattern().Matches(text.ToLowerInvariant()).Select(m => m.Value));

    public static string Template(string text)
    {
        var s = Placeholder().Replace(text, " slot ");
        s = Email().Replace(s, " email ");
        s = Url().Replace(s, " url ");
        s = Number().Replace(s, " num ");
        if (!FailureAnalysis.IsUpperCase(s))
        {
            s = Entity().Replace(s, m => m.Groups[1].Value + " ent ");
        }

        return Normalize(s);
    }

    /// <summary>Words and adjacent word pairs of a normalised text, hashed (FNV-1a, stable across processes), sorted and distinct.</summary>
    public static ulong[] Shingles(string normalized)
    {
        var words = normalized.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var result = new List<ulong>(words.Length * 2);
        for (var i = 0; i < words.Length; i++)
        {
            result.Add(Fnv(words[i]));
            if (i + 1 < words.Length)
            {
                result.Add(Fnv(words[i] + " " + words[i + 1]));
            }
        }

        result.Sort();
        return [.. result.Distinct()];
    }

    public static ulong Fnv(string text)
    {
        var h = 0xCBF29CE484222325UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            h = (h ^ b) * 0x100000001B3UL;
        }

        return h;
    }

    /// <summary>Exact Jaccard similarity of two sorted, distinct arrays.</summary>
    public static double Jaccard(ulong[] a, ulong[] b)
    {
        if (a.Length == 0 && b.Length == 0)
        {
            return 1;
        }

        int i = 0, j = 0, common = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] == b[j])
            {
                common++;
                i++;
                j++;
            }
            else if (a[i] < b[j])
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return (double)common / (a.Length + b.Length - common);
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"\{\{[^{}]{0,80}\}\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"[\w.+-]+@[\w-]+(\.[\w-]+)+")]
    private static partial Regex Email();

    [GeneratedRegex(@"https?://\S+|www\.\S+")]
    private static partial Regex Url();

    [GeneratedRegex(@"[#$€£]?[\w./:-]*\d[\w./:-]*")]
    private static partial Regex Number();

    [GeneratedRegex(@"([\p{L}\p{N},;:]\s+)\p{Lu}[\p{Ll}]+")]
    private static partial Regex Entity();
}

/// <summary>
/// MinHash with LSH banding over shingle sets, to find the pairs of texts with a Jaccard similarity
/// at or above a threshold without comparing every pair. Candidates from a shared band are verified
/// with the exact Jaccard of the shingle sets, so the estimate's noise never decides a pair.
/// With 16 bands of 4 hashes a pair at Jaccard 0.5 becomes a candidate with probability 0.64,
/// at 0.6 with 0.89, at 0.8 with 0.9999.
/// </summary>
public sealed class MinHashIndex
{
    public const int Hashes = 64;
    public const int Bands = 16;
    private const int Rows = Hashes / Bands;

    /// <summary>A bucket this large is compared through its first members only (a progress guard against quadratic work).</summary>
    public const int BucketProbe = 64;

    private readonly Dictionary<ulong, List<int>>[] _bands = [.. Enumerable.Range(0, Bands).Select(_ => new Dictionary<ulong, List<int>>())];
    private readonly List<ulong[]> _shingles = [];

    public int Count => _shingles.Count;

    public ulong[] ShinglesOf(int id) => _shingles[id];

    /// <summary>Adds a shingle set and returns its id.</summary>
    public int Add(ulong[] shingles)
    {
        var id = _shingles.Count;
        _shingles.Add(shingles);
        var keys = BandKeys(shingles);
        for (var b = 0; b < Bands; b++)
        {
            if (!_bands[b].TryGetValue(keys[b], out var list))
            {
                _bands[b][keys[b]] = list = [];
            }

            list.Add(id);
        }

        return id;
    }

    /// <summary>Ids of indexed sets with Jaccard ≥ threshold to <paramref name="shingles"/>, each once.</summary>
    public IEnumerable<(int Id, double Similarity)> Similar(ulong[] shingles, double threshold)
    {
        if (shingles.Length == 0)
        {
            yield break;
        }

        var seen = new HashSet<int>();
        var keys = BandKeys(shingles);
        for (var b = 0; b < Bands; b++)
        {
            if (!_bands[b].TryGetValue(keys[b], out var list))
            {
                continue;
            }

            foreach (var id in list.Take(BucketProbe))
            {
                if (seen.Add(id))
                {
                    var similarity = TextSignatures.Jaccard(shingles, _shingles[id]);
                    if (similarity >= threshold)
                    {
                        yield return (id, similarity);
                    }
                }
            }
        }
    }

    private static ulong[] BandKeys(ulong[] shingles)
    {
        Span<ulong> signature = stackalloc ulong[Hashes];
        signature.Fill(ulong.MaxValue);
        foreach (var s in shingles)
        {
            for (var i = 0; i < Hashes; i++)
            {
                var v = Mix(s + (ulong)(i + 1) * 0x9E3779B97F4A7C15UL);
                if (v < signature[i])
                {
                    signature[i] = v;
                }
            }
        }

        var keys = new ulong[Bands];
        for (var b = 0; b < Bands; b++)
        {
            var key = 0xCBF29CE484222325UL ^ (ulong)b;
            for (var r = 0; r < Rows; r++)
            {
                key = Mix(key ^ signature[b * Rows + r]);
            }

            keys[b] = key;
        }

        return keys;
    }

    /// <summary>SplitMix64's finaliser.</summary>
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
