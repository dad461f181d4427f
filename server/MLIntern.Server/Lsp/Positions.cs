using MLIntern.Analysis.Text;
using MLIntern.Findings;
using MLIntern.Server.Lsp.Protocol;
using Newtonsoft.Json.Linq;
using LspRange = MLIntern.Server.Lsp.Protocol.Range;

namespace MLIntern.Server.Lsp;

/// <summary>The unit a client counts a position's character in (LSP 3.17 general.positionEncodings).</summary>
internal enum PositionEncoding
{
    Utf16,
    Utf8,
    Utf32,
}

/// <summary>
/// The one conversion between the engine's positions (UTF-16 columns, as .NET strings count) and the
/// client's (the negotiated encoding). Every position the server sends or receives in LSP messages
/// goes through here: diagnostics, code-action ranges, text edits, incremental didChange ranges.
/// </summary>
internal static class PositionEncodings
{
    /// <summary>
    /// utf-16 when the client offers it or offers nothing (LSP's default), else the first of utf-8 and
    /// utf-32 it offers; an offer of neither is answered with utf-16, the one every client must take.
    /// </summary>
    public static PositionEncoding Negotiate(JObject capabilities)
    {
        if (capabilities.SelectToken("general.positionEncodings") is not JArray offered)
        {
            return PositionEncoding.Utf16;
        }

        var names = offered.OfType<JValue>().Select(v => v.Value as string).ToList();
        if (names.Contains("utf-16"))
        {
            return PositionEncoding.Utf16;
        }

        foreach (var name in names)
        {
            if (name == "utf-8")
            {
                return PositionEncoding.Utf8;
            }

            if (name == "utf-32")
            {
                return PositionEncoding.Utf32;
            }
        }

        return PositionEncoding.Utf16;
    }

    public static string Name(this PositionEncoding encoding) => encoding switch
    {
        PositionEncoding.Utf8 => "utf-8",
        PositionEncoding.Utf32 => "utf-32",
        _ => "utf-16",
    };

    /// <summary>The units <paramref name="encoding"/> counts for the UTF-16 code units line[0..utf16).</summary>
    public static int ToClient(PositionEncoding encoding, ReadOnlySpan<char> line, int utf16)
    {
        utf16 = Math.Clamp(utf16, 0, line.Length);
        if (encoding == PositionEncoding.Utf16)
        {
            return utf16;
        }

        var units = 0;
        for (var i = 0; i < utf16; i++)
        {
            var c = line[i];
            if (char.IsHighSurrogate(c) && i + 1 < line.Length && char.IsLowSurrogate(line[i + 1]))
            {
                // A pair split by the column counts whole: the column is after it.
                units += encoding == PositionEncoding.Utf8 ? 4 : 1;
                i++;
                continue;
            }

            units += encoding == PositionEncoding.Utf32 ? 1 : c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
        }

        return units;
    }

    /// <summary>The UTF-16 column of a client column on a line; a column inside a character moves to its end, past the line's end clamps to it.</summary>
    public static int FromClient(PositionEncoding encoding, ReadOnlySpan<char> line, int units)
    {
        if (encoding == PositionEncoding.Utf16)
        {
            return Math.Clamp(units, 0, line.Length);
        }

        var counted = 0;
        var i = 0;
        while (i < line.Length && counted < units)
        {
            var c = line[i];
            if (char.IsHighSurrogate(c) && i + 1 < line.Length && char.IsLowSurrogate(line[i + 1]))
            {
                counted += encoding == PositionEncoding.Utf8 ? 4 : 1;
                i += 2;
                continue;
            }

            counted += encoding == PositionEncoding.Utf32 ? 1 : c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
            i++;
        }

        return i;
    }
}

/// <summary>Positions in one text as the client counts them: the engine's 1-based UTF-16 ranges out, the client's 0-based ranges in.</summary>
internal readonly struct ClientPositions(PositionEncoding encoding, string text, LineMap lines)
{
    public ClientPositions(PositionEncoding encoding, string text)
        : this(encoding, text, new LineMap(text))
    {
    }

    public PositionEncoding Encoding => encoding;

    public LspRange Out(SourceRange r) => new()
    {
        Start = Out(r.Line - 1, r.Column - 1),
        End = Out(r.EndLine - 1, r.EndColumn - 1),
    };

    public Position Out(int line0, int utf16Column0)
    {
        line0 = Math.Max(line0, 0);
        utf16Column0 = Math.Max(utf16Column0, 0);
        if (encoding == PositionEncoding.Utf16 || line0 >= lines.LineCount)
        {
            return new Position { Line = line0, Character = utf16Column0 };
        }

        return new Position { Line = line0, Character = PositionEncodings.ToClient(encoding, Line(line0), utf16Column0) };
    }

    /// <summary>A client range as the engine's 1-based UTF-16 range.</summary>
    public SourceRange In(LspRange r)
    {
        var start = InColumn(r.Start);
        var end = InColumn(r.End);
        return new SourceRange(r.Start.Line + 1, start + 1, r.End.Line + 1, end + 1);
    }

    /// <summary>The UTF-16 offset into the text of a client position (lines and characters past the end clamp).</summary>
    public int Offset(Position p) => lines.Offset(p.Line, InColumn(p));

    private int InColumn(Position p) =>
        encoding == PositionEncoding.Utf16 || p.Line < 0 || p.Line >= lines.LineCount
            ? p.Character
            : PositionEncodings.FromClient(encoding, Line(p.Line), p.Character);

    private ReadOnlySpan<char> Line(int line0)
    {
        var start = lines.Offset(line0, 0);
        var end = line0 + 1 < lines.LineCount ? lines.Offset(line0 + 1, 0) : text.Length;
        while (end > start && (text[end - 1] == '\n' || text[end - 1] == '\r'))
        {
            end--;
        }

        return text.AsSpan(start, end - start);
    }
}
