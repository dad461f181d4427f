using MLIntern.Findings;
using MLIntern.Data.Profiling;

namespace MLIntern.Data.Checks;

/// <summary>MLD008: e-mail addresses, phone numbers and (Luhn-valid) card numbers in the data.</summary>
public static class PersonalData
{
    public static readonly RuleInfo Rule = new(
        "MLD008",
        "personal-data-in-text",
        Severity.Warning,
        "Personal data (e-mail addresses, phone numbers, card numbers) in the data set",
        """
        ## What it does
        Scans every text column for e-mail addresses, phone numbers (10 to 15 digits, optionally
        with `+`, spaces, dashes, dots or parentheses) and payment card numbers (13 to 19 digits that
        pass the Luhn checksum). Findings and logs show them masked (`[email]`, `[phone]`, `[card]`),
        never in full.

        ## Why is this bad?
        A model memorises rare strings such as a customer's e-mail address and can repeat them to
        anyone. Publishing a data set or a model trained on it may break privacy law (GDPR, CCPA) and
        the promise made to the people in it.

        ## Example
        ```csv
        text,label
        my email is jane.doe@example.com where is my order,track_order
        ```

        ## Use instead
        ```csv
        text,label
        my email is {{Email}} where is my order,track_order
        ```
        Replace personal data with a placeholder, or drop the rows.

        ## Fix safety
        No automatic fix: whether a number is personal data, and what should replace it, needs a human.

        ## Error without the fix
        Nothing fails: the model trains, and can later print the address to another user.
        """);

    [Flags]
    public enum Kinds
    {
        None = 0,
        Email = 1,
        Phone = 2,
        Card = 4,
    }

    /// <summary>A precomputed set: IndexOfAny with more than five literal values takes a slow, per-byte path.</summary>
    private static readonly System.Buffers.SearchValues<byte> AtOrDigit = System.Buffers.SearchValues.Create("@0123456789"u8);

    /// <summary>The fewest digits a phone or card number has.</summary>
    private const int MinNumberDigits = 10;

    /// <summary>What kinds of personal data a text holds. Fast when there is no '@' and fewer than ten digits in all.</summary>
    public static Kinds Find(ReadOnlySpan<byte> text)
    {
        var kinds = Kinds.None;
        if (text.IndexOfAny(AtOrDigit) < 0 || (!text.Contains((byte)'@') && CountDigits(text, MinNumberDigits) < MinNumberDigits))
        {
            return kinds;
        }

        var at = text.IndexOf((byte)'@');
        var guard = 0;
        while (at >= 0 && guard++ < 1000)
        {
            if (EmailAround(text, at, out _, out _))
            {
                kinds |= Kinds.Email;
                break;
            }

            var next = text[(at + 1)..].IndexOf((byte)'@');
            at = next < 0 ? -1 : at + 1 + next;
        }

        foreach (var (start, end, digits) in NumberRuns(text))
        {
            if (digits >= MinNumberDigits)
            {
                kinds |= Classify(text[start..end], digits);
            }
        }

        return kinds;
    }

    /// <summary>ASCII digits in a text, counted 32 bytes at a time; stops counting once there are <paramref name="enough"/>.</summary>
    private static int CountDigits(ReadOnlySpan<byte> text, int enough)
    {
        var count = 0;
        var i = 0;
        if (System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated)
        {
            var zero = System.Runtime.Intrinsics.Vector256.Create((byte)'0');
            var ten = System.Runtime.Intrinsics.Vector256.Create((byte)10);
            for (; i + 32 <= text.Length && count < enough; i += 32)
            {
                // Bytes below '0' wrap around to large values, so one unsigned compare tests the range.
                var offset = System.Runtime.Intrinsics.Vector256.Create(text.Slice(i, 32)) - zero;
                count += System.Numerics.BitOperations.PopCount(System.Runtime.Intrinsics.Vector256.ExtractMostSignificantBits(System.Runtime.Intrinsics.Vector256.LessThan(offset, ten)));
            }
        }

        for (; i < text.Length && count < enough; i++)
        {
            if ((uint)(text[i] - '0') <= 9)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>The text with every e-mail, phone and card number replaced by a tag, for previews and logs.</summary>
    public static string Mask(string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        if (Find(bytes) == Kinds.None)
        {
            return text;
        }

        var output = new System.Text.StringBuilder();
        var span = (ReadOnlySpan<byte>)bytes;
        var last = 0;
        var spans = new List<(int Start, int End, string Tag)>();
        for (var i = 0; i < span.Length; i++)
        {
            if (span[i] == (byte)'@' && EmailAround(span, i, out var s, out var e))
            {
                spans.Add((s, e, "[email]"));
                i = e;
            }
        }

        foreach (var (start, end, digits) in NumberRuns(span))
        {
            var kind = Classify(span[start..end], digits);
            if (kind != Kinds.None && !spans.Any(x => x.Start < end && start < x.End))
            {
                spans.Add((start, end, kind == Kinds.Card ? "[card]" : "[phone]"));
            }
        }

        foreach (var (start, end, tag) in spans.OrderBy(x => x.Start))
        {
            if (start < last)
            {
                continue;
            }

            output.Append(System.Text.Encoding.UTF8.GetString(span[last..start])).Append(tag);
            last = end;
        }

        output.Append(System.Text.Encoding.UTF8.GetString(span[last..]));
        return output.ToString();
    }

    public static string Describe(Kinds kinds)
    {
        var names = new List<string>();
        if (kinds.HasFlag(Kinds.Email))
        {
            names.Add("an e-mail address");
        }

        if (kinds.HasFlag(Kinds.Phone))
        {
            names.Add("a phone number");
        }

        if (kinds.HasFlag(Kinds.Card))
        {
            names.Add("a card number");
        }

        return string.Join(" and ", names);
    }

    private static bool IsLocal(byte b) => b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or (byte)'.' or (byte)'_' or (byte)'%' or (byte)'+' or (byte)'-';

    private static bool IsDomain(byte b) => b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or (byte)'.' or (byte)'-';

    private static bool EmailAround(ReadOnlySpan<byte> text, int at, out int start, out int end)
    {
        start = at;
        while (start > 0 && IsLocal(text[start - 1]))
        {
            start--;
        }

        end = at + 1;
        while (end < text.Length && IsDomain(text[end]))
        {
            end++;
        }

        while (end > at + 1 && text[end - 1] is (byte)'.' or (byte)'-')
        {
            end--;
        }

        if (start == at || end == at + 1)
        {
            return false;
        }

        var domain = text[(at + 1)..end];
        var dot = domain.LastIndexOf((byte)'.');
        if (dot <= 0 || domain.Length - dot - 1 < 2)
        {
            return false;
        }

        foreach (var b in domain[(dot + 1)..])
        {
            if (b is not (>= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Runs of digits joined by single separators (space, '-', '.', parentheses), with a leading '+', not glued to letters.</summary>
    /// <remarks>An enumerator over the text rather than a list: every text with a digit goes through it, so it allocates nothing.</remarks>
    private static NumberRunEnumerator NumberRuns(ReadOnlySpan<byte> text) => new(text);

    private ref struct NumberRunEnumerator(ReadOnlySpan<byte> text)
    {
        private readonly ReadOnlySpan<byte> _text = text;
        private int _i;

        public (int Start, int End, int Digits) Current { get; private set; }

        public readonly NumberRunEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            var text = _text;
            while (_i < text.Length)
            {
                var i = _i;
                var k = text[i..].IndexOfAnyInRange((byte)'0', (byte)'9');
                if (k < 0)
                {
                    _i = text.Length;
                    return false;
                }

                var start = i + k;
                if (start > 0 && text[start - 1] is (byte)'+' or (byte)'(')
                {
                    start--;
                }

                var end = i + k;
                var digits = 0;
                var lastDigit = end;
                while (end < text.Length)
                {
                    var b = text[end];
                    if (b is >= (byte)'0' and <= (byte)'9')
                    {
                        digits++;
                        lastDigit = end + 1;
                        end++;
                    }
                    else if (b is (byte)' ' or (byte)'-' or (byte)'.' or (byte)'(' or (byte)')' && end + 1 < text.Length && text[end + 1] is >= (byte)'0' and <= (byte)'9' or (byte)'(')
                    {
                        end++;
                    }
                    else
                    {
                        break;
                    }
                }

                _i = Math.Max(end, i + k + 1);
                var glued = (start > 0 && IsLetter(text[start - 1])) || (lastDigit < text.Length && IsLetter(text[lastDigit]));
                if (!glued)
                {
                    Current = (start, lastDigit, digits);
                    return true;
                }
            }

            return false;
        }
    }

    private static bool IsLetter(byte b) => b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or (byte)'_' or (byte)'#';

    private static Kinds Classify(ReadOnlySpan<byte> run, int digits)
    {
        if (digits is >= 13 and <= 19 && Luhn(run))
        {
            return Kinds.Card;
        }

        if (digits is >= 10 and <= 15)
        {
            return Kinds.Phone;
        }

        return Kinds.None;
    }

    /// <summary>The Luhn checksum every payment card number satisfies.</summary>
    public static bool Luhn(ReadOnlySpan<byte> run)
    {
        var sum = 0;
        var doubleIt = false;
        for (var i = run.Length - 1; i >= 0; i--)
        {
            var b = run[i];
            if (b is < (byte)'0' or > (byte)'9')
            {
                continue;
            }

            var d = b - '0';
            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubleIt = !doubleIt;
        }

        return sum % 10 == 0;
    }

    /// <summary>Counts the rows with personal data in any text-like column (once per row), with the first column it is in.</summary>
    internal sealed class Checker(DataPass pass) : IRowCheck
    {
        private readonly Tally _tally = new(pass.Options.MaxExamples);

        public void Row(in RowFacts row)
        {
            var file = row.File;
            for (var c = 0; c < file.TextLike.Length && c < row.Record.Count; c++)
            {
                if (!file.TextLike[c])
                {
                    continue;
                }

                var value = row.Record[c];
                if (!value.IsEmpty && Find(value) is var kinds and not Kinds.None)
                {
                    _tally.Add();
                    if (_tally.WantsExample)
                    {
                        var preview = RowFacts.Preview(value);
                        _tally.Example(new Example(file.SplitName, file.Path, row.Line, preview, $"'{file.Names[c]}' holds {Describe(kinds)}: {preview}"));
                    }

                    return;
                }
            }
        }

        public CheckResult Finish() =>
            _tally.Result(Rule, $"{_tally.Count:N0} row(s) hold personal data (e-mail addresses, phone or card numbers)");
    }
}
