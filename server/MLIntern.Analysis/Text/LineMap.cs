using MLIntern.Analysis.Findings;

namespace MLIntern.Analysis.Text;

/// <summary>A half-open range of UTF-16 offsets into a text.</summary>
public readonly record struct Span(int Start, int End)
{
    public int Length => End - Start;
}

/// <summary>
/// Offsets to 1-based line/column and back. A line ends at \n, \r\n or a lone \r, as in Python and LSP.
/// </summary>
public sealed class LineMap
{
    private readonly int[] _starts;
    private readonly string _text;
    private readonly int _length;

    public LineMap(string text)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\r')
            {
                if (i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                starts.Add(i + 1);
            }
            else if (c == '\n')
            {
                starts.Add(i + 1);
            }
        }

        _starts = [.. starts];
        _text = text;
        _length = text.Length;
    }

    public int LineCount => _starts.Length;

    /// <summary>The 1-based line and column of an offset; offsets past the end clamp to the end.</summary>
    public (int Line, int Column) Position(int offset)
    {
        offset = Math.Clamp(offset, 0, _length);
        var index = Array.BinarySearch(_starts, offset);
        var line = index >= 0 ? index : ~index - 1;
        return (line + 1, offset - _starts[line] + 1);
    }

    /// <summary>The offset of a 0-based LSP position; characters past the line's end clamp to it.</summary>
    public int Offset(int line0, int character0)
    {
        if (line0 < 0)
        {
            return 0;
        }

        if (line0 >= _starts.Length)
        {
            return _length;
        }

        var start = _starts[line0];
        var end = line0 + 1 < _starts.Length ? _starts[line0 + 1] : _length;
        while (end > start && (_text[end - 1] == '\n' || _text[end - 1] == '\r'))
        {
            end--;
        }

        return Math.Min(start + Math.Max(character0, 0), end);
    }

    public SourceRange Range(Span span)
    {
        var (l1, c1) = Position(span.Start);
        var (l2, c2) = Position(span.End);
        return new SourceRange(l1, c1, l2, c2);
    }
}
