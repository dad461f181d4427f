using System.Text;

namespace MLIntern.Python.Text;

/// <summary>
/// The text of one Python file with a line index. Offsets are UTF-16 code units into
/// <see cref="Text"/>; lines break at "\r\n", "\r" and "\n" as CPython's tokenizer does.
/// </summary>
public sealed class SourceText
{
    private readonly int[] _lineStarts;

    static SourceText()
    {
        // Legacy code pages (cp1252, koi8-r, ...) that coding declarations may name.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    private SourceText(string text)
    {
        Text = text;
        _lineStarts = ComputeLineStarts(text, out var ending);
        LineEnding = ending;
    }

    /// <summary>The decoded text (a leading byte order mark is not part of it).</summary>
    public string Text { get; }

    /// <summary>The line ending used by the first line break of the file (LF if there is none).</summary>
    public LineEnding LineEnding { get; }

    /// <summary>The number of lines; a text ending in a line break has an empty last line.</summary>
    public int LineCount => _lineStarts.Length;

    public int Length => Text.Length;

    /// <summary>The encoding named by a PEP 263 declaration or implied by a BOM; null when the default (UTF-8) applied.</summary>
    public string? DeclaredEncoding { get; private init; }

    /// <summary>A decoding problem (invalid UTF-8, unknown encoding) and the 1-based line it is on (0: the declaration itself), or null.</summary>
    public (int Line, string Message)? DecodeError { get; private init; }

    public static SourceText From(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text.Substring(1);
        }

        return new SourceText(text);
    }

    /// <summary>
    /// Decodes a file's bytes the way CPython does: a UTF-8 BOM, else a coding declaration on
    /// one of the first two lines, else UTF-8. Never throws: undecodable bytes become U+FFFD
    /// and <see cref="DecodeError"/> says where.
    /// </summary>
    public static SourceText FromBytes(ReadOnlySpan<byte> bytes)
    {
        bool bom = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF;
        if (bom)
        {
            bytes = bytes.Slice(3);
        }

        string? declared = FindCodingDeclaration(bytes, out int declLine);
        (int, string)? error = null;
        Encoding encoding = Encoding.UTF8;
        if (declared is not null)
        {
            var normalized = NormalizeEncodingName(declared);
            var lower = declared.ToLowerInvariant().Replace('_', '-');
            if (bom && lower != "utf-8" && !lower.StartsWith("utf-8-", StringComparison.Ordinal))
            {
                error = (0, $"encoding problem: {declared} with BOM");
            }
            else if (normalized == "utf-8")
            {
                encoding = Encoding.UTF8;
            }
            else if (normalized == "latin-1")
            {
                encoding = Encoding.Latin1;
            }
            else if (normalized is "ascii" or "us-ascii")
            {
                encoding = Encoding.ASCII;
            }
            else
            {
                Encoding? found = null;
                try
                {
                    found = Encoding.GetEncoding(normalized);
                }
                catch (ArgumentException)
                {
                    found = null;
                }
                catch (NotSupportedException)
                {
                    found = null;
                }

                if (found is null)
                {
                    error = (0, $"unknown encoding: {declared}");
                }
                else
                {
                    encoding = found;
                }
            }
        }

        string text;
        if (encoding is UTF8Encoding || encoding.CodePage == 65001)
        {
            text = DecodeUtf8(bytes, ref error);
        }
        else if (encoding.CodePage == 20127)
        {
            var chars = new char[bytes.Length];
            for (int i = 0; i < bytes.Length; i++)
            {
                byte b = bytes[i];
                if (b >= 0x80)
                {
                    error ??= (LineOfByte(bytes, i), "(unicode error) 'ascii' codec can't decode byte");
                    chars[i] = '\uFFFD';
                }
                else
                {
                    chars[i] = (char)b;
                }
            }

            text = new string(chars);
        }
        else
        {
            text = encoding.GetString(bytes);
        }

        return new SourceText(text) { DeclaredEncoding = declared, DecodeError = error };
    }

    private static string DecodeUtf8(ReadOnlySpan<byte> bytes, ref (int, string)? error)
    {
        int bad = FirstInvalidUtf8(bytes);
        if (bad >= 0)
        {
            error ??= (LineOfByte(bytes, bad), "(unicode error) 'utf-8' codec can't decode byte");
        }

        return Encoding.UTF8.GetString(bytes);
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        // Skip each run of ASCII at once, then decode the one non-ASCII sequence after it: linear in
        // the length (testing the whole remainder for ASCII at every non-ASCII character was quadratic).
        int i = 0;
        while (i < bytes.Length)
        {
            int run = bytes.Slice(i).IndexOfAnyExceptInRange((byte)0, (byte)0x7F);
            if (run < 0)
            {
                return -1;
            }

            i += run;
            var r = System.Text.Rune.DecodeFromUtf8(bytes.Slice(i), out _, out int consumed);
            if (r != System.Buffers.OperationStatus.Done)
            {
                return i;
            }

            i += consumed;
        }

        return -1;
    }

    private static int LineOfByte(ReadOnlySpan<byte> bytes, int index)
    {
        int line = 1;
        for (int i = 0; i < index && i < bytes.Length; i++)
        {
            if (bytes[i] == '\n' || (bytes[i] == '\r' && (i + 1 >= bytes.Length || bytes[i + 1] != '\n')))
            {
                line++;
            }
        }

        return line;
    }

    /// <summary>Python's codec names and aliases (encodings.aliases) for the encodings .NET knows by another name.</summary>
    private static readonly Dictionary<string, string> PythonCodecAliases = new(StringComparer.Ordinal)
    {
        ["u8"] = "utf-8", ["utf"] = "utf-8", ["utf8"] = "utf-8", ["utf_8"] = "utf-8", ["utf8_ucs2"] = "utf-8", ["utf8_ucs4"] = "utf-8", ["cp65001"] = "utf-8",
        ["latin"] = "latin-1", ["latin1"] = "latin-1", ["latin_1"] = "latin-1", ["l1"] = "latin-1", ["iso8859_1"] = "latin-1", ["iso_8859_1"] = "latin-1",
        ["8859"] = "latin-1", ["cp819"] = "latin-1", ["iso_ir_100"] = "latin-1", ["iso8859"] = "latin-1", ["iso_8859_1_1987"] = "latin-1", ["csisolatin1"] = "latin-1",
        ["ascii"] = "ascii", ["646"] = "ascii", ["us"] = "ascii", ["us_ascii"] = "ascii", ["ansi_x3.4_1968"] = "ascii", ["iso646_us"] = "ascii", ["cp367"] = "ascii",
        ["u16"] = "utf-16", ["utf16"] = "utf-16", ["utf_16"] = "utf-16", ["u32"] = "utf-32", ["utf32"] = "utf-32", ["utf_32"] = "utf-32",
        ["sjis"] = "shift_jis", ["s_jis"] = "shift_jis", ["shiftjis"] = "shift_jis", ["eucjp"] = "euc-jp", ["ujis"] = "euc-jp", ["u_jis"] = "euc-jp",
        ["euckr"] = "euc-kr", ["korean"] = "euc-kr", ["ks_c_5601"] = "euc-kr", ["chinese"] = "gb2312", ["csiso58gb231280"] = "gb2312",
        ["936"] = "gbk", ["ms936"] = "gbk", ["cp936"] = "gbk", ["big5_tw"] = "big5", ["csbig5"] = "big5", ["koi8r"] = "koi8-r",
    };

    private static string NormalizeEncodingName(string name)
    {
        // Python normalizes codec names: lower case, runs of other characters than letters, digits and '.' become '_'.
        var py = System.Text.RegularExpressions.Regex.Replace(name.ToLowerInvariant(), "[^a-z0-9.]+", "_").Trim('_');
        if (PythonCodecAliases.TryGetValue(py, out var alias))
        {
            return alias;
        }

        if (py.StartsWith("cp", StringComparison.Ordinal) && int.TryParse(py.AsSpan(2), out int cp) && cp is >= 1250 and <= 1258)
        {
            return "windows-" + cp;
        }

        if (py.StartsWith("windows_", StringComparison.Ordinal) || py.StartsWith("iso8859_", StringComparison.Ordinal) || py.StartsWith("iso_8859_", StringComparison.Ordinal))
        {
            var digits = py.Substring(py.LastIndexOf('_') + 1);
            return (py.StartsWith("windows", StringComparison.Ordinal) ? "windows-" : "iso-8859-") + digits;
        }

        py = py.Replace('_', '-');
        if (py.StartsWith("utf-8-", StringComparison.Ordinal))
        {
            return "utf-8";
        }

        return py;
    }

    /// <summary>Finds a PEP 263 declaration (`coding[:=]\s*([-\w.]+)`) in a comment on line 1 or 2.</summary>
    private static string? FindCodingDeclaration(ReadOnlySpan<byte> bytes, out int line)
    {
        line = 0;
        int pos = 0;
        for (int l = 1; l <= 2 && pos < bytes.Length; l++)
        {
            int end = pos;
            while (end < bytes.Length && bytes[end] != '\n' && bytes[end] != '\r')
            {
                end++;
            }

            var lineBytes = bytes.Slice(pos, end - pos);
            int k = 0;
            while (k < lineBytes.Length && (lineBytes[k] == ' ' || lineBytes[k] == '\t' || lineBytes[k] == '\f'))
            {
                k++;
            }

            if (k < lineBytes.Length && lineBytes[k] == '#')
            {
                var name = MatchCoding(lineBytes.Slice(k));
                if (name is not null)
                {
                    line = l;
                    return name;
                }
            }
            else if (k < lineBytes.Length)
            {
                // Only comment or blank lines may precede the declaration on line 2.
                return null;
            }

            pos = end;
            if (pos < bytes.Length && bytes[pos] == '\r')
            {
                pos++;
            }

            if (pos < bytes.Length && bytes[pos] == '\n')
            {
                pos++;
            }
        }

        return null;
    }

    private static string? MatchCoding(ReadOnlySpan<byte> comment)
    {
        for (int i = 0; i + 6 <= comment.Length; i++)
        {
            if (comment[i] == 'c' && comment.Slice(i).StartsWith("coding"u8))
            {
                int j = i + 6;
                if (j < comment.Length && (comment[j] == ':' || comment[j] == '='))
                {
                    j++;
                    while (j < comment.Length && (comment[j] == ' ' || comment[j] == '\t'))
                    {
                        j++;
                    }

                    int s = j;
                    while (j < comment.Length && (char.IsAsciiLetterOrDigit((char)comment[j]) || comment[j] == '-' || comment[j] == '_' || comment[j] == '.'))
                    {
                        j++;
                    }

                    if (j > s)
                    {
                        return Encoding.ASCII.GetString(comment.Slice(s, j - s));
                    }
                }
            }
        }

        return null;
    }

    private static int[] ComputeLineStarts(string text, out LineEnding ending)
    {
        var starts = new List<int>(text.Length / 32 + 1) { 0 };
        ending = LineEnding.LineFeed;
        bool seen = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\n')
            {
                if (!seen)
                {
                    seen = true;
                    ending = LineEnding.LineFeed;
                }

                starts.Add(i + 1);
            }
            else if (c == '\r')
            {
                if (i + 1 < text.Length && text[i + 1] == '\n')
                {
                    if (!seen)
                    {
                        seen = true;
                        ending = LineEnding.CarriageReturnLineFeed;
                    }

                    i++;
                }
                else if (!seen)
                {
                    seen = true;
                    ending = LineEnding.CarriageReturn;
                }

                starts.Add(i + 1);
            }
        }

        return starts.ToArray();
    }

    /// <summary>The offset where the zero-based line starts.</summary>
    public int GetLineStart(int line) => _lineStarts[Math.Clamp(line, 0, _lineStarts.Length - 1)];

    /// <summary>The offset where the zero-based line's content ends (before its line break).</summary>
    public int GetLineEnd(int line)
    {
        int end = line + 1 < _lineStarts.Length ? _lineStarts[line + 1] : Text.Length;
        while (end > _lineStarts[line] && (Text[end - 1] == '\n' || Text[end - 1] == '\r'))
        {
            end--;
        }

        return end;
    }

    /// <summary>The zero-based line containing the offset.</summary>
    public int GetLineIndex(int offset)
    {
        int idx = Array.BinarySearch(_lineStarts, offset);
        return idx >= 0 ? idx : ~idx - 1;
    }

    /// <summary>The LSP position (zero-based line, UTF-16 character) of an offset.</summary>
    public LinePosition GetLinePosition(int offset)
    {
        offset = Math.Clamp(offset, 0, Text.Length);
        int line = GetLineIndex(offset);
        return new LinePosition(line, offset - _lineStarts[line]);
    }

    /// <summary>The offset of an LSP position; characters past the end of the line clamp to it.</summary>
    public int GetOffset(LinePosition position)
    {
        if (position.Line < 0)
        {
            return 0;
        }

        if (position.Line >= _lineStarts.Length)
        {
            return Text.Length;
        }

        int start = _lineStarts[position.Line];
        return Math.Min(start + Math.Max(0, position.Character), GetLineEnd(position.Line));
    }

    /// <summary>The 1-based line and 1-based UTF-16 column of an offset (for messages).</summary>
    public (int Line, int Column) GetLineColumn(int offset)
    {
        var p = GetLinePosition(offset);
        return (p.Line + 1, p.Character + 1);
    }

    /// <summary>The zero-based column of an offset counted in UTF-8 bytes, as CPython's col_offset counts.</summary>
    public int GetUtf8Column(int offset)
    {
        offset = Math.Clamp(offset, 0, Text.Length);
        int start = _lineStarts[GetLineIndex(offset)];
        int bytes = 0;
        for (int i = start; i < offset; i++)
        {
            char c = Text[i];
            if (c < 0x80)
            {
                bytes++;
            }
            else if (c < 0x800)
            {
                bytes += 2;
            }
            else if (char.IsHighSurrogate(c) && i + 1 < offset && char.IsLowSurrogate(Text[i + 1]))
            {
                bytes += 4;
                i++;
            }
            else
            {
                bytes += 3;
            }
        }

        return bytes;
    }

    public string GetText(TextRange range) => Text.Substring(range.Start, range.Length);

    public ReadOnlySpan<char> GetSpan(TextRange range) => Text.AsSpan(range.Start, range.Length);
}
