using System.Text;
using System.Text.Json;
using MLIntern.Analysis.Notebooks;

namespace MLIntern.Server.Notebooks;

/// <summary>A notebook that cannot be read as nbformat 4, with the 1-based JSON line and column where that shows.</summary>
internal sealed class NotebookFormatException(string message, int line, int column) : Exception(message)
{
    public int Line { get; } = line;

    public int Column { get; } = column;
}

/// <summary>
/// A Jupyter notebook (nbformat 4) read from its bytes, keeping where in those bytes each cell's
/// <c>source</c> is written, so a fix rewrites only the sources it changes and every other byte
/// of the file (outputs, metadata, key order, indentation, escapes, the final newline) stays.
/// </summary>
internal sealed class NotebookFile
{
    private readonly byte[] _bytes;
    private readonly int[] _lineStarts;

    private NotebookFile(byte[] bytes, List<NotebookCellEntry> cells, string? language)
    {
        _bytes = bytes;
        Cells = cells;
        Language = language;
        var starts = new List<int> { 0 };
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == '\n')
            {
                starts.Add(i + 1);
            }
        }

        _lineStarts = [.. starts];
    }

    /// <summary>Every cell in file order; <see cref="NotebookCellEntry.Index"/> is its 1-based position.</summary>
    public IReadOnlyList<NotebookCellEntry> Cells { get; }

    /// <summary>The kernel's language from the notebook's metadata, when it names one.</summary>
    public string? Language { get; }

    /// <summary>Whether the code cells are Python: the metadata says so, or says nothing.</summary>
    public bool IsPython => Language is null || Language.Equals("python", StringComparison.OrdinalIgnoreCase) || Language.StartsWith("python", StringComparison.OrdinalIgnoreCase);

    public IEnumerable<CodeCell> CodeCells => Cells.Where(c => c.Kind == "code").Select(c => new CodeCell(c.Index, c.Source));

    /// <summary>Reads a notebook; throws <see cref="NotebookFormatException"/> naming the JSON line of the problem.</summary>
    public static NotebookFile Parse(byte[] bytes)
    {
        var body = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        var reader = new Utf8JsonReader(bytes.AsSpan(body), new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 256 });
        var parser = new Reader(bytes, body);
        try
        {
            return parser.ReadNotebook(ref reader);
        }
        catch (InvalidOperationException e)
        {
            // A string with bytes that are not UTF-8: named at the first such byte.
            var chars = new char[bytes.Length];
            if (System.Text.Unicode.Utf8.ToUtf16(bytes, chars, out var valid, out _, replaceInvalidSequences: false) == System.Buffers.OperationStatus.InvalidData)
            {
                var (line, column) = new NotebookFile(bytes, [], null).PositionOf(valid);
                throw new NotebookFormatException($"not valid UTF-8: byte 0x{bytes[valid]:X2}", line, column);
            }

            throw new NotebookFormatException($"not valid JSON: {Sentence(e.Message)}", 1, 1);
        }
        catch (JsonException e)
        {
            var line = (int)(e.LineNumber ?? 0) + 1;
            var column = (int)(e.BytePositionInLine ?? 0) + 1;
            throw new NotebookFormatException($"not valid JSON: {Sentence(e.Message)}", line, column);
        }
    }

    /// <summary>
    /// The file's bytes with the given cells' sources replaced (by 1-based cell index). Each is
    /// written as the cell had it — a list of lines or one string, the list laid out as before,
    /// lines that did not change kept as they were spelled — and nothing else changes.
    /// </summary>
    public byte[] WithSources(IReadOnlyDictionary<int, string> sources)
    {
        var asciiOnly = UsesAsciiEscapes();
        var replaced = sources
            .Select(s => Cells.First(c => c.Index == s.Key))
            .Where(c => c.Source != sources[c.Index])
            .OrderByDescending(c => c.SourceStart)
            .ToList();
        var result = _bytes;
        foreach (var cell in replaced)
        {
            var written = Encoding.UTF8.GetBytes(Render(cell, sources[cell.Index], asciiOnly));
            result = [.. result.AsSpan(0, cell.SourceStart), .. written, .. result.AsSpan(cell.SourceEnd)];
        }

        return result;
    }

    /// <summary>The 1-based JSON line and UTF-16 column of a byte offset in the file.</summary>
    public (int Line, int Column) PositionOf(int offset)
    {
        var index = Array.BinarySearch(_lineStarts, offset);
        var line = index >= 0 ? index : ~index - 1;
        return (line + 1, Encoding.UTF8.GetCharCount(_bytes.AsSpan(_lineStarts[line], offset - _lineStarts[line])) + 1);
    }

    /// <summary>
    /// Where in the file (JSON line and column) a cell's line and column are written: the line's
    /// JSON string read up to that column, escapes and multi-byte characters counted as written.
    /// </summary>
    public (int Line, int Column) PositionOf(int cellIndex, int line, int column)
    {
        var cell = Cells.First(c => c.Index == cellIndex);
        if (cell.LineStarts.Count == 0)
        {
            return PositionOf(cell.SourceStart);
        }

        var i = cell.LineStarts[Math.Clamp(line - 1, 0, cell.LineStarts.Count - 1)];
        for (var units = 0; units < column - 1 && i < _bytes.Length && _bytes[i] != '"'; units++)
        {
            var b = _bytes[i];
            if (b == '\\')
            {
                i += i + 1 < _bytes.Length && _bytes[i + 1] == 'u' ? 6 : 2;
            }
            else
            {
                var length = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
                i += length;
                units += length == 4 ? 1 : 0;
            }
        }

        return PositionOf(Math.Min(i, _bytes.Length));
    }

    private string Render(NotebookCellEntry cell, string source, bool asciiOnly)
    {
        if (!cell.SourceIsList)
        {
            return Quote(source, asciiOnly);
        }

        var lines = SplitLines(source);
        var raw = cell.RawLines;
        var kept = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < raw.Count; i++)
        {
            kept.TryAdd(cell.Lines[i], raw[i]);
        }

        var elements = lines.Select(l => kept.GetValueOrDefault(l) ?? Quote(l, asciiOnly)).ToList();
        if (elements.Count == 0)
        {
            return "[]";
        }

        var (open, separator, close) = Layout(cell);
        return "[" + open + string.Join(separator, elements) + close + "]";
    }

    /// <summary>The whitespace after `[`, between elements (with the comma) and before `]`, as the cell's list had them.</summary>
    private (string Open, string Separator, string Close) Layout(NotebookCellEntry cell)
    {
        var starts = cell.ElementSpans;
        if (starts.Count > 0)
        {
            string Between(int from, int to) => Encoding.UTF8.GetString(_bytes, from, to - from);
            var open = Between(cell.SourceStart + 1, starts[0].Start);
            var close = Between(starts[^1].End, cell.SourceEnd - 1);
            var separator = starts.Count > 1 ? Between(starts[0].End, starts[1].Start) : "," + open;
            return (open, separator, close);
        }

        // An empty list: lay the new one out as nbformat does, one line each, one step deeper than the key.
        var newline = _bytes.AsSpan().IndexOf("\r\n"u8) >= 0 ? "\r\n" : "\n";
        var (keyLine, _) = PositionOf(cell.SourceStart);
        var lineStart = _lineStarts[keyLine - 1];
        var indent = 0;
        while (lineStart + indent < _bytes.Length && _bytes[lineStart + indent] == ' ')
        {
            indent++;
        }

        var step = IndentStep();
        var inner = newline + new string(' ', indent + step);
        return (inner, "," + inner, newline + new string(' ', indent));
    }

    /// <summary>The file's indentation step: the indent of its first indented line (nbformat writes 1).</summary>
    private int IndentStep()
    {
        foreach (var start in _lineStarts.Skip(1))
        {
            var n = 0;
            while (start + n < _bytes.Length && _bytes[start + n] == ' ')
            {
                n++;
            }

            if (n > 0)
            {
                return n;
            }
        }

        return 1;
    }

    /// <summary>Whether the writer escaped non-ASCII characters (\u00e9) rather than writing them as UTF-8.</summary>
    private bool UsesAsciiEscapes()
    {
        var span = _bytes.AsSpan();
        for (var i = span.IndexOf("\\u"u8); i >= 0 && i + 6 <= span.Length; i = span[(i + 2)..].IndexOf("\\u"u8) is var next && next >= 0 ? i + 2 + next : -1)
        {
            var backslashes = 0;
            for (var j = i - 1; j >= 0 && span[j] == '\\'; j--)
            {
                backslashes++;
            }

            if (backslashes % 2 == 0 && int.TryParse(Encoding.ASCII.GetString(span.Slice(i + 2, 4)), System.Globalization.NumberStyles.HexNumber, null, out var code) && code >= 0x80)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A JSON string as Python's json module and JavaScript's JSON.stringify write one.</summary>
    internal static string Quote(string value, bool asciiOnly)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                default:
                    if (c < 0x20 || (asciiOnly && c >= 0x7f))
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        return text.Append('"').ToString();
    }

    /// <summary>Lines with their line breaks, as nbformat stores a source (`str.splitlines(keepends=True)` on \n).</summary>
    internal static List<string> SplitLines(string source)
    {
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < source.Length; i++)
        {
            if (source[i] == '\n')
            {
                lines.Add(source[start..(i + 1)]);
                start = i + 1;
            }
        }

        if (start < source.Length)
        {
            lines.Add(source[start..]);
        }

        return lines;
    }

    private static string Sentence(string message)
    {
        // System.Text.Json appends its own position ("LineNumber: 3 | BytePositionInLine: 4."); the caller says where.
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.', ' ');
    }

    /// <summary>One pass over the tokens, remembering the byte spans of what a fix may rewrite.</summary>
    private sealed class Reader(byte[] bytes, int body)
    {
        private readonly List<NotebookCellEntry> _cells = [];
        private string? _language;
        private bool _sawCells;
        private int? _format;
        private long _formatAt;

        public NotebookFile ReadNotebook(ref Utf8JsonReader reader)
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw Problem("a notebook is a JSON object", reader.TokenStartIndex);
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                var at = reader.TokenStartIndex;
                reader.Read();
                switch (name)
                {
                    case "cells":
                        ReadCells(ref reader);
                        break;
                    case "nbformat":
                        _format = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var n) ? n : throw Problem("\"nbformat\" is not a number", at);
                        _formatAt = at;
                        break;
                    case "metadata":
                        ReadMetadata(ref reader);
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            if (reader.Read())
            {
                throw Problem("text after the notebook's closing brace", reader.TokenStartIndex);
            }

            if (_format != 4)
            {
                // An old format is named where the file says it; a missing one at the start of the file.
                throw Problem(_format is null ? "not a Jupyter notebook: no \"nbformat\"" : $"nbformat {_format} notebooks are not read; only nbformat 4 (save it again with Jupyter 4 or later)", _formatAt);
            }

            if (!_sawCells)
            {
                throw Problem("not a Jupyter notebook: no \"cells\"", 0);
            }

            return new NotebookFile(bytes, _cells, _language);
        }

        private void ReadMetadata(ref Utf8JsonReader reader)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                return;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                if ((name is "kernelspec" or "language_info") && reader.TokenType == JsonTokenType.StartObject)
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var key = reader.GetString();
                        reader.Read();
                        if (((name == "kernelspec" && key == "language") || (name == "language_info" && key == "name")) && reader.TokenType == JsonTokenType.String)
                        {
                            _language ??= reader.GetString();
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        private void ReadCells(ref Utf8JsonReader reader)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw Problem("\"cells\" is not a list", reader.TokenStartIndex);
            }

            _sawCells = true;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var at = reader.TokenStartIndex;
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    throw Problem($"cell {_cells.Count + 1} is not an object", at);
                }

                string? kind = null;
                Source? source = null;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString();
                    reader.Read();
                    if (name == "cell_type" && reader.TokenType == JsonTokenType.String)
                    {
                        kind = reader.GetString();
                    }
                    else if (name == "source")
                    {
                        source = ReadSource(ref reader);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }

                if (kind is null)
                {
                    throw Problem($"cell {_cells.Count + 1} has no \"cell_type\"", at);
                }

                if (source is null)
                {
                    throw Problem($"cell {_cells.Count + 1} has no \"source\"", at);
                }

                _cells.Add(new NotebookCellEntry(_cells.Count + 1, kind, source.Text, source.Start, source.End, source.IsList, source.Lines, source.RawLines, source.ElementSpans, source.LineStarts));
            }
        }

        private sealed record Source(string Text, int Start, int End, bool IsList, List<string> Lines, List<string> RawLines, List<(int Start, int End)> ElementSpans, List<int> LineStarts);

        private Source ReadSource(ref Utf8JsonReader reader)
        {
            var start = body + (int)reader.TokenStartIndex;
            if (reader.TokenType == JsonTokenType.String)
            {
                var text = reader.GetString() ?? "";
                var end = body + (int)reader.BytesConsumed;
                return new Source(text, start, end, false, [], [], [], LineStartsInString(start, end));
            }

            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw Problem($"cell {_cells.Count + 1}'s \"source\" is neither a string nor a list of strings", reader.TokenStartIndex);
            }

            var lines = new List<string>();
            var raw = new List<string>();
            var spans = new List<(int, int)>();
            var lineStarts = new List<int>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.String)
                {
                    throw Problem($"cell {_cells.Count + 1}'s \"source\" holds something other than strings", reader.TokenStartIndex);
                }

                var elementStart = body + (int)reader.TokenStartIndex;
                var elementEnd = body + (int)reader.BytesConsumed;
                var line = reader.GetString() ?? "";
                lines.Add(line);
                raw.Add(Encoding.UTF8.GetString(bytes, elementStart, elementEnd - elementStart));
                spans.Add((elementStart, elementEnd));

                // An element may hold several lines (a writer that did not split them): each starts after an escaped \n.
                lineStarts.AddRange(LineStartsInString(elementStart, elementEnd));
            }

            var joined = string.Concat(lines);
            return new Source(joined, start, body + (int)reader.BytesConsumed, true, lines, raw, spans, lineStarts);
        }

        /// <summary>The byte offsets where the lines of one JSON string's value start: after the quote, then after each \n escape.</summary>
        private List<int> LineStartsInString(int start, int end)
        {
            var starts = new List<int> { start + 1 };
            for (var i = start + 1; i < end - 1; i++)
            {
                if (bytes[i] == '\\')
                {
                    if (bytes[i + 1] == 'n' && i + 2 < end - 1)
                    {
                        starts.Add(i + 2);
                    }

                    i++;
                }
            }

            return starts;
        }

        private NotebookFormatException Problem(string message, long offset)
        {
            var file = new NotebookFile(bytes, [], null);
            var (line, column) = file.PositionOf(body + (int)offset);
            return new NotebookFormatException(message, line, column);
        }
    }
}

/// <summary>One cell of a notebook file: its kind ("code", "markdown", "raw"), its source, and where that source is written.</summary>
internal sealed record NotebookCellEntry(
    int Index,
    string Kind,
    string Source,
    int SourceStart,
    int SourceEnd,
    bool SourceIsList,
    IReadOnlyList<string> Lines,
    IReadOnlyList<string> RawLines,
    IReadOnlyList<(int Start, int End)> ElementSpans,
    IReadOnlyList<int> LineStarts);
