using System.Globalization;
using System.Numerics;
using System.Text;
using MLIntern.Python.Lexing;
using MLIntern.Python.Syntax;
using MLIntern.Python.Text;

namespace MLIntern.Python.Parsing;

public sealed partial class Parser
{
    private string NameValue(in Token t)
    {
        if ((t.Flags & TokenFlags.NonAscii) != 0)
        {
            return UnicodeNames.NormalizeIdentifier(_text.Substring(t.Start, t.End - t.Start));
        }

        // One string per distinct identifier of the file, not one per occurrence: a name is
        // written many times (`step = step + 1`), and its copies were a tenth of a big tree.
        var lookup = _names.GetAlternateLookup<ReadOnlySpan<char>>();
        var span = _text.AsSpan(t.Start, t.End - t.Start);
        if (!lookup.TryGetValue(span, out var name))
        {
            name = span.ToString();
            lookup[span] = name;
        }

        return name;
    }

    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);

    // The boxes of the integers a script writes most (0..255): shared, as every Constant holds its value as an object.
    private static readonly object[] SmallIntegers = [.. Enumerable.Range(0, 256).Select(i => (object)(long)i)];

    private object? NumberValue(in Token t)
    {
        var span = _text.AsSpan(t.Start, t.End - t.Start);
        if ((t.Flags & TokenFlags.Invalid) != 0)
        {
            return 0L;
        }

        Span<char> buf = span.Length <= 256 ? stackalloc char[span.Length] : new char[span.Length];
        int n = 0;
        foreach (var c in span)
        {
            if (c != '_')
            {
                buf[n++] = c;
            }
        }

        var digits = buf.Slice(0, n);
        if ((t.Flags & TokenFlags.Imaginary) != 0)
        {
            var d = ParseDouble(digits.Slice(0, digits.Length - 1));
            return new Complex(0, d);
        }

        if ((t.Flags & TokenFlags.Float) != 0)
        {
            return ParseDouble(digits);
        }

        if (digits.Length > 2 && digits[0] == '0' && (digits[1] | 0x20) is 'x' or 'o' or 'b')
        {
            int radix = (digits[1] | 0x20) switch { 'x' => 16, 'o' => 8, _ => 2 };
            var body = digits.Slice(2);
            long v = 0;
            bool overflow = false;
            foreach (var c in body)
            {
                int dv = HexValue(c);
                if (v > (long.MaxValue - dv) / radix)
                {
                    overflow = true;
                    break;
                }

                v = v * radix + dv;
            }

            if (!overflow)
            {
                return v;
            }

            BigInteger big = BigInteger.Zero;
            foreach (var c in body)
            {
                big = big * radix + HexValue(c);
            }

            return big;
        }

        if (digits.Length <= 18)
        {
            long v = 0;
            foreach (var c in digits)
            {
                v = v * 10 + (c - '0');
            }

            return v < SmallIntegers.Length ? SmallIntegers[v] : v;
        }

        return BigInteger.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    private static double ParseDouble(ReadOnlySpan<char> s)
    {
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return d;
        }

        return double.PositiveInfinity;
    }

    private readonly struct Piece
    {
        public Piece(string? text, Expr? value, int start, int end)
        {
            Text = text;
            Value = value;
            Start = start;
            End = end;
        }

        public string? Text { get; }

        public Expr? Value { get; }

        public int Start { get; }

        public int End { get; }
    }

    /// <summary>Adjacent string and f-string literals: one Constant, or a JoinedStr if any is an f-string.</summary>
    private Expr ParseStrings()
    {
        int start = Cur.Start;
        bool anyF = false, anyBytes = false, anyText = false;
        string? kind = (Cur.Flags & TokenFlags.Unicode) != 0 ? "u" : null;

        // Fast path: a single plain string.
        if (K == TokenKind.String && PeekKind(1) is not (TokenKind.String or TokenKind.FStringStart))
        {
            var t = Cur;
            Advance();
            object value = (t.Flags & TokenFlags.Bytes) != 0 ? DecodeBytes(t) : DecodeStr(t);
            return new Constant { Value = value, Kind = kind, Start = start, End = t.End };
        }

        var pieces = new List<Piece>();
        var bytes = new List<byte>();
        while (K is TokenKind.String or TokenKind.FStringStart)
        {
            if (K == TokenKind.String)
            {
                var t = Cur;
                Advance();
                if ((t.Flags & TokenFlags.Bytes) != 0)
                {
                    anyBytes = true;
                    bytes.AddRange(DecodeBytes(t));
                }
                else
                {
                    anyText = true;
                    pieces.Add(new Piece(DecodeStr(t), null, t.Start, t.End));
                }
            }
            else
            {
                anyF = true;
                anyText = true;
                ParseFString(pieces);
            }
        }

        if (anyBytes && anyText)
        {
            Error("cannot mix bytes and nonbytes literals", start, PrevEnd);
        }

        if (anyBytes && !anyText)
        {
            return Fin(new Constant { Value = bytes.ToArray(), Kind = null }, start);
        }

        if (!anyF)
        {
            var sb = new StringBuilder();
            foreach (var p in pieces)
            {
                sb.Append(p.Text);
            }

            return Fin(new Constant { Value = sb.ToString(), Kind = kind }, start);
        }

        var values = new List<Expr>();
        AddMerged(values, pieces);
        var js = new JoinedStr { Values = values };
        return Fin(js, start);
    }

    /// <summary>Merges adjacent literal pieces into one Constant each; drops empty ones.</summary>
    private static void AddMerged(List<Expr> values, List<Piece> pieces)
    {
        int j = 0;
        while (j < pieces.Count)
        {
            if (pieces[j].Value is { } v)
            {
                values.Add(v);
                j++;
                continue;
            }

            int s = pieces[j].Start;
            int e = pieces[j].End;
            var sb = new StringBuilder();
            while (j < pieces.Count && pieces[j].Value is null)
            {
                sb.Append(pieces[j].Text);
                e = pieces[j].End;
                j++;
            }

            if (sb.Length > 0)
            {
                values.Add(new Constant { Value = sb.ToString(), Start = s, End = e });
            }
        }
    }

    private void ParseFString(List<Piece> pieces)
    {
        var startTok = Cur;
        bool raw = (startTok.Flags & TokenFlags.Raw) != 0;
        Advance();
        while (true)
        {
            if (K == TokenKind.FStringMiddle)
            {
                var t = Cur;
                Advance();
                pieces.Add(new Piece(DecodeFStringMiddle(t, raw), null, t.Start, t.End));
            }
            else if (K == TokenKind.LeftBrace)
            {
                ParseReplacementField(pieces, raw);
            }
            else if (K == TokenKind.FStringEnd)
            {
                Advance();
                return;
            }
            else
            {
                ErrorAtCurrent("f-string: expecting '}'");
                // Skip to the end of this f-string.
                while (K != TokenKind.FStringEnd && K != TokenKind.EndOfFile && K != TokenKind.Newline)
                {
                    Advance();
                }

                Eat(TokenKind.FStringEnd);
                return;
            }
        }
    }

    private void ParseReplacementField(List<Piece> pieces, bool raw)
    {
        int s = Cur.Start;
        int afterBrace = Cur.End;
        Advance(); // {
        if (!EnterNesting())
        {
            ExitNesting();
            return;
        }

        try
        {
            Expr value;
            if (K == TokenKind.RightBrace)
            {
                ErrorAtCurrent("f-string: valid expression required before '}'");
                value = ErrorExprHere(ErrorCategory.ExpectedExpression);
            }
            else
            {
                value = K == TokenKind.Yield ? ParseYield() : ParseStarExpressions();
            }

            bool debug = false;
            if (K == TokenKind.Equal)
            {
                Advance();
                debug = true;
                int debugEnd = Cur.Start;
                pieces.Add(new Piece(StripComments(NormalizeNewlines(_text.Substring(afterBrace, debugEnd - afterBrace))), null, afterBrace, debugEnd));
            }

            int conversion = -1;
            if (K == TokenKind.Exclamation)
            {
                Advance();
                if (K == TokenKind.Name && Cur.End - Cur.Start == 1 && _text[Cur.Start] is 'r' or 's' or 'a' && Cur.Start == PrevEnd)
                {
                    conversion = _text[Cur.Start];
                    Advance();
                }
                else
                {
                    ErrorAtCurrent("f-string: invalid conversion character: expected 's', 'r', or 'a'");
                    if (K == TokenKind.Name)
                    {
                        Advance();
                    }
                }
            }

            JoinedStr? spec = null;
            if (K == TokenKind.Colon)
            {
                int specStart = Cur.Start;
                Advance();
                var specPieces = new List<Piece>();
                while (true)
                {
                    if (K == TokenKind.FStringMiddle)
                    {
                        var t = Cur;
                        Advance();
                        specPieces.Add(new Piece(DecodeFStringMiddle(t, raw), null, t.Start, t.End));
                    }
                    else if (K == TokenKind.LeftBrace)
                    {
                        ParseReplacementField(specPieces, raw);
                    }
                    else
                    {
                        break;
                    }
                }

                var specValues = new List<Expr>();
                AddMerged(specValues, specPieces);
                spec = new JoinedStr { Values = specValues, Start = specStart, End = PrevEnd };
            }

            if (!Eat(TokenKind.RightBrace))
            {
                ErrorAtCurrent("f-string: expecting '}'");
            }

            if (debug && conversion == -1 && spec is null)
            {
                conversion = 'r';
            }

            pieces.Add(new Piece(null, new FormattedValue { Value = value, Conversion = conversion, FormatSpec = spec, Start = s, End = PrevEnd }, s, PrevEnd));
        }
        finally
        {
            ExitNesting();
        }
    }

    /// <summary>The `=` debug text of an f-string keeps the expression as written, minus comments.</summary>
    private static string StripComments(string s)
    {
        if (!s.Contains('#'))
        {
            return s;
        }

        var sb = new StringBuilder(s.Length);
        char quote = '\0';
        for (int k = 0; k < s.Length; k++)
        {
            char c = s[k];
            if (quote != '\0')
            {
                if (c == '\\' && k + 1 < s.Length)
                {
                    sb.Append(c).Append(s[++k]);
                    continue;
                }

                if (c == quote)
                {
                    quote = '\0';
                }

                sb.Append(c);
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                sb.Append(c);
            }
            else if (c == '#')
            {
                while (k < s.Length && s[k] != '\n')
                {
                    k++;
                }

                k--;
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private static string NormalizeNewlines(string s) => s.Contains('\r') ? s.Replace("\r\n", "\n").Replace('\r', '\n') : s;

    private static int PrefixLength(string text, in Token t)
    {
        int p = t.Start;
        while (text[p] != '\'' && text[p] != '"')
        {
            p++;
        }

        return p - t.Start;
    }

    private string DecodeStr(in Token t)
    {
        int prefix = PrefixLength(_text, t);
        int q = (t.Flags & TokenFlags.TripleQuoted) != 0 ? 3 : 1;
        int bodyStart = t.Start + prefix + q;
        int bodyEnd = (t.Flags & TokenFlags.Unterminated) != 0 ? t.End : t.End - q;
        if (bodyEnd < bodyStart)
        {
            bodyEnd = bodyStart;
        }

        var body = _text.AsSpan(bodyStart, bodyEnd - bodyStart);
        bool raw = (t.Flags & TokenFlags.Raw) != 0;
        if (body.IndexOfAny('\\', '\r') < 0)
        {
            return body.ToString();
        }

        return Unescape(body, raw, false, false, bodyStart);
    }

    private string DecodeFStringMiddle(in Token t, bool raw)
    {
        var body = _text.AsSpan(t.Start, t.End - t.Start);
        if (body.IndexOfAny('\\', '\r') < 0 && body.IndexOfAny('{', '}') < 0)
        {
            return body.ToString();
        }

        return Unescape(body, raw, false, true, t.Start);
    }

    private byte[] DecodeBytes(in Token t)
    {
        int prefix = PrefixLength(_text, t);
        int q = (t.Flags & TokenFlags.TripleQuoted) != 0 ? 3 : 1;
        int bodyStart = t.Start + prefix + q;
        int bodyEnd = (t.Flags & TokenFlags.Unterminated) != 0 ? t.End : t.End - q;
        if (bodyEnd < bodyStart)
        {
            bodyEnd = bodyStart;
        }

        var body = _text.AsSpan(bodyStart, bodyEnd - bodyStart);
        foreach (var c in body)
        {
            if (c >= 0x80)
            {
                Error("bytes can only contain ASCII literal characters", t.Start, t.End);
                break;
            }
        }

        var s = Unescape(body, (t.Flags & TokenFlags.Raw) != 0, true, false, bodyStart);
        var result = new byte[s.Length];
        for (int k = 0; k < s.Length; k++)
        {
            result[k] = (byte)s[k];
        }

        return result;
    }

    /// <summary>Applies Python's escape sequences (and newline normalization, and `{{`/`}}` in f-strings).</summary>
    private string Unescape(ReadOnlySpan<char> s, bool raw, bool isBytes, bool fstring, int offset)
    {
        var sb = new StringBuilder(s.Length);
        for (int k = 0; k < s.Length; k++)
        {
            char c = s[k];
            if (c == '\r')
            {
                sb.Append('\n');
                if (k + 1 < s.Length && s[k + 1] == '\n')
                {
                    k++;
                }

                continue;
            }

            if (fstring && (c == '{' || c == '}') && k + 1 < s.Length && s[k + 1] == c)
            {
                sb.Append(c);
                k++;
                continue;
            }

            if (c != '\\' || raw || k + 1 >= s.Length)
            {
                sb.Append(c);
                continue;
            }

            char e = s[++k];
            switch (e)
            {
                case '\n':
                    break;
                case '\r':
                    if (k + 1 < s.Length && s[k + 1] == '\n')
                    {
                        k++;
                    }

                    break;
                case '\\': sb.Append('\\'); break;
                case '\'': sb.Append('\''); break;
                case '"': sb.Append('"'); break;
                case 'a': sb.Append('\a'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'v': sb.Append('\v'); break;
                case >= '0' and <= '7':
                {
                    int v = e - '0';
                    int cnt = 1;
                    while (cnt < 3 && k + 1 < s.Length && s[k + 1] is >= '0' and <= '7')
                    {
                        v = v * 8 + (s[++k] - '0');
                        cnt++;
                    }

                    if (isBytes)
                    {
                        sb.Append((char)(v & 0xFF));
                    }
                    else
                    {
                        sb.Append((char)v);
                    }

                    break;
                }

                case 'x':
                    AppendHexEscape(sb, s, ref k, 2, offset, isBytes);
                    break;
                case 'u' when !isBytes:
                    AppendHexEscape(sb, s, ref k, 4, offset, false);
                    break;
                case 'U' when !isBytes:
                    AppendHexEscape(sb, s, ref k, 8, offset, false);
                    break;
                case 'N' when !isBytes:
                {
                    int close = k + 1 < s.Length && s[k + 1] == '{' ? s.Slice(k + 2).IndexOf('}') : -1;
                    if (close < 0)
                    {
                        Error("(unicode error) 'unicodeescape' codec can't decode bytes: malformed \\N character escape", offset + k - 1, offset + k + 1);
                        break;
                    }

                    var name = s.Slice(k + 2, close);
                    int cp = UnicodeNames.Lookup(name);
                    if (cp < 0)
                    {
                        Error("(unicode error) 'unicodeescape' codec can't decode bytes: unknown Unicode character name", offset + k - 1, offset + k + 3 + close);
                    }
                    else
                    {
                        sb.Append(char.ConvertFromUtf32(cp));
                    }

                    k += 2 + close;
                    break;
                }

                default:
                    // An invalid escape: CPython warns and keeps the backslash.
                    sb.Append('\\');
                    k--;
                    break;
            }
        }

        return sb.ToString();
    }

    private void AppendHexEscape(StringBuilder sb, ReadOnlySpan<char> s, ref int k, int count, int offset, bool isBytes)
    {
        int v = 0;
        int start = k - 1;
        for (int d = 0; d < count; d++)
        {
            if (k + 1 >= s.Length || !char.IsAsciiHexDigit(s[k + 1]))
            {
                string kind = isBytes ? "(value error) invalid \\x escape" : $"(unicode error) 'unicodeescape' codec can't decode bytes: truncated \\{s[start + 1]}{new string('X', count)} escape";
                Error(kind, offset + start, offset + k + 1);
                return;
            }

            v = v * 16 + HexValue(s[++k]);
        }

        if ((uint)v > 0x10FFFF)
        {
            Error("(unicode error) 'unicodeescape' codec can't decode bytes: illegal Unicode character", offset + start, offset + k + 1);
            return;
        }

        if (v >= 0x10000)
        {
            sb.Append(char.ConvertFromUtf32(v));
        }
        else
        {
            sb.Append((char)v);
        }
    }
}
