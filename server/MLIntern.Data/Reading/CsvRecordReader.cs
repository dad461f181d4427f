using System.Buffers;
using System.Text;

namespace MLIntern.Data.Reading;

/// <summary>
/// A streaming CSV/TSV reader over raw bytes (RFC 4180 quoting; a record is not a line: quoted fields
/// may hold delimiters, quotes and newlines). It works on bytes, not decoded text, so that invalid
/// UTF-8 is reported with its line and column and the rest of the file is still read. Memory is
/// bounded by the longest record, itself capped at <see cref="MaxRecordBytes"/>.
/// </summary>
/// <remarks>
/// Hand-written rather than Sylvan.Data.Csv: Sylvan decodes through a TextReader, which replaces an
/// invalid byte before anyone can say where it was, and it reports ragged rows by record, not by
/// physical line. Scanning bytes with vectorised <c>IndexOfAny</c> is also as fast as the profile
/// needs (several hundred MB/s), so the dependency would buy nothing.
/// </remarks>
public sealed class CsvRecordReader : IRecordReader
{
    /// <summary>A record longer than this is reported and skipped; no real text data set has one.</summary>
    public const int MaxRecordBytes = 8 * 1024 * 1024;

    /// <summary>Fields past this many in one record are counted but not kept.</summary>
    public const int MaxColumns = 4096;

    private const int InitialBuffer = 256 * 1024;

    private readonly Stream _stream;
    private readonly MalformedSink _sink;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialBuffer);
    private int _pos;
    private int _end;
    private bool _eof;
    private int _line = 1;
    private byte _delimiter;
    private SearchValues<byte>? _stops;
    private string[] _columns = [];
    private bool _started;
    private bool _stopped;

    private int[] _fieldStart = new int[64];
    private int[] _fieldEnd = new int[64];
    /// <summary>Per field: <see cref="Unquoted"/>, <see cref="Escaped"/> (quoted, holds ""), or the buffer position of the closing quote of a quoted field without "".</summary>
    private int[] _fieldClose = new int[64];

    private const int Unquoted = -1;
    private const int Escaped = -2;
    private int _fieldCount;

    public CsvRecordReader(Stream stream, MalformedSink sink, char? delimiter)
    {
        _stream = stream;
        _sink = sink;
        if (delimiter is { } d)
        {
            _delimiter = (byte)d;
        }
    }

    public IReadOnlyList<string> Columns => _columns;

    public int Skipped { get; private set; }

    /// <summary>The delimiter in use, once the header has been read.</summary>
    public char Delimiter => (char)_delimiter;

    private enum Scan
    {
        Record,
        NeedMore,
        End,
        Unclosed,
    }

    public bool Read(Record record)
    {
        if (_stopped)
        {
            return false;
        }

        if (!_started)
        {
            _started = true;
            if (!Start())
            {
                _stopped = true;
                return false;
            }
        }

        // Each turn consumes a record (or fails); the guard only catches a bug that would spin.
        for (var guard = 0; guard < int.MaxValue; guard++)
        {
            var start = _pos;
            var startLine = _line;
            var scan = TryScan(out var recordEnd, out var newlines, out var unclosedAt);
            switch (scan)
            {
                case Scan.NeedMore:
                    Fill();
                    continue;
                case Scan.End:
                    _stopped = true;
                    return false;
                case Scan.Unclosed:
                    ReportUnclosed(start, unclosedAt, startLine);
                    _stopped = true;
                    return false;
            }

            var span = _buffer.AsSpan(start, recordEnd - start);
            var endLine = startLine + newlines;
            _pos = recordEnd;
            _line = endLine + (EndsWithNewline(span) ? 1 : 0);
            if (_fieldCount == 1 && _fieldEnd[0] == _fieldStart[0])
            {
                // Blank lines are skipped by every common reader; they are not rows.
                continue;
            }

            CheckBytes(span, startLine);
            if (_columns.Length == 0)
            {
                SetHeader();
                continue;
            }

            if (_fieldCount != _columns.Length)
            {
                var where = startLine == endLine ? $"line {startLine}" : $"the record on lines {startLine}-{endLine}";
                _sink.Report(
                    $"{where} has {_fieldCount} field{(_fieldCount == 1 ? "" : "s")}, the header has {_columns.Length}; quote fields that contain '{Printable((char)_delimiter)}'",
                    new MLIntern.Findings.SourceRange(startLine, 1, endLine, LastLineLength(span) + 1));
                Skipped++;
                continue;
            }

            Fill(record, startLine, endLine);
            return true;
        }

        return false;
    }

    /// <summary>Strips a BOM, refuses UTF-16, and picks the delimiter from the first line.</summary>
    private bool Start()
    {
        while (!_eof && _end < 4096 && !HasNewline())
        {
            Fill();
        }

        var head = _buffer.AsSpan(0, _end);
        if (head.StartsWith("\uFEFF"u8))
        {
            _pos = 3;
        }
        else if (head.Length >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF)))
        {
            _sink.Report($"the file is UTF-16 (byte order mark {head[0]:X2} {head[1]:X2}), not UTF-8; save it as UTF-8", new MLIntern.Findings.SourceRange(1, 1, 1, 2));
            return false;
        }

        if (_delimiter == 0)
        {
            var first = head[_pos..];
            var newline = first.IndexOfAny((byte)'\n', (byte)'\r');
            _delimiter = Sniff(newline >= 0 ? first[..newline] : first);
        }

        _stops = SearchValues.Create([_delimiter, (byte)'\n', (byte)'\r']);
        return true;
    }

    private bool HasNewline() => _buffer.AsSpan(0, _end).IndexOfAny((byte)'\n', (byte)'\r') >= 0;

    /// <summary>The delimiter of a CSV header: a comma unless the header has none but has ';', tab or '|'.</summary>
    private static byte Sniff(ReadOnlySpan<byte> header)
    {
        if (header.Contains((byte)','))
        {
            return (byte)',';
        }

        foreach (var candidate in ";\t|"u8)
        {
            if (header.Contains(candidate))
            {
                return candidate;
            }
        }

        return (byte)',';
    }

    private Scan TryScan(out int recordEnd, out int newlines, out int unclosedAt)
    {
        recordEnd = 0;
        newlines = 0;
        unclosedAt = -1;
        _fieldCount = 0;
        var buffer = _buffer;
        var p = _pos;
        if (p >= _end && _eof)
        {
            return Scan.End;
        }

        while (true)
        {
            if (p >= _end)
            {
                if (!_eof)
                {
                    return Scan.NeedMore;
                }

                AddField(p, p, Unquoted);
                recordEnd = p;
                return Scan.Record;
            }

            var fieldStart = p;
            var close = Unquoted;
            if (buffer[p] == (byte)'"')
            {
                var escaped = false;
                var q = p + 1;
                while (true)
                {
                    var k = buffer.AsSpan(q, _end - q).IndexOf((byte)'"');
                    if (k < 0)
                    {
                        if (!_eof)
                        {
                            return Scan.NeedMore;
                        }

                        unclosedAt = p;
                        return Scan.Unclosed;
                    }

                    q += k;
                    if (q + 1 >= _end && !_eof)
                    {
                        return Scan.NeedMore;
                    }

                    if (q + 1 < _end && buffer[q + 1] == (byte)'"')
                    {
                        escaped = true;
                        q += 2;
                        continue;
                    }

                    break;
                }

                close = escaped ? Escaped : q;

                newlines += CountLines(buffer.AsSpan(p + 1, q - p - 1));
                p = q + 1;
            }

            var stop = buffer.AsSpan(p, _end - p).IndexOfAny(_stops!);
            if (stop < 0)
            {
                if (!_eof)
                {
                    return Scan.NeedMore;
                }

                p = _end;
            }
            else
            {
                p += stop;
            }

            AddField(fieldStart, p, close);
            if (p >= _end)
            {
                recordEnd = p;
                return Scan.Record;
            }

            var b = buffer[p];
            if (b == _delimiter)
            {
                p++;
                continue;
            }

            if (b == (byte)'\r')
            {
                if (p + 1 >= _end && !_eof)
                {
                    return Scan.NeedMore;
                }

                p += p + 1 < _end && buffer[p + 1] == (byte)'\n' ? 2 : 1;
            }
            else
            {
                p++;
            }

            recordEnd = p;
            return Scan.Record;
        }
    }

    private void AddField(int start, int end, int close)
    {
        if (_fieldCount < MaxColumns)
        {
            if (_fieldCount == _fieldStart.Length)
            {
                Array.Resize(ref _fieldStart, _fieldCount * 2);
                Array.Resize(ref _fieldEnd, _fieldCount * 2);
                Array.Resize(ref _fieldClose, _fieldCount * 2);
            }

            _fieldStart[_fieldCount] = start;
            _fieldEnd[_fieldCount] = end;
            _fieldClose[_fieldCount] = close;
        }

        _fieldCount++;
    }

    /// <summary>Physical line breaks in a span: \n, \r\n and a lone \r each count once.</summary>
    private static int CountLines(ReadOnlySpan<byte> span)
    {
        var n = span.Count((byte)'\n');
        if (span.Contains((byte)'\r'))
        {
            for (var i = 0; i < span.Length; i++)
            {
                if (span[i] == (byte)'\r' && (i + 1 >= span.Length || span[i + 1] != (byte)'\n'))
                {
                    n++;
                }
            }
        }

        return n;
    }

    private static bool EndsWithNewline(ReadOnlySpan<byte> span) => !span.IsEmpty && (span[^1] == (byte)'\n' || span[^1] == (byte)'\r');

    /// <summary>Reads more bytes, compacting the buffer or growing it up to the record cap. False when the record was too long and skipped.</summary>
    private bool Fill()
    {
        if (_pos > 0)
        {
            Buffer.BlockCopy(_buffer, _pos, _buffer, 0, _end - _pos);
            _end -= _pos;
            _pos = 0;
        }

        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= MaxRecordBytes)
            {
                SkipLongRecord();
                return false;
            }

            var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, MaxRecordBytes));
            Buffer.BlockCopy(_buffer, 0, bigger, 0, _end);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
        return true;
    }

    /// <summary>Reports a record past the cap and drops bytes up to the next line break.</summary>
    private void SkipLongRecord()
    {
        _sink.Report($"the record starting on line {_line} is longer than {MaxRecordBytes / (1024 * 1024)} MB; it was skipped", _line);
        Skipped++;
        _pos = _end = 0;
        while (true)
        {
            var read = _stream.Read(_buffer, 0, _buffer.Length);
            if (read == 0)
            {
                _eof = true;
                return;
            }

            var at = _buffer.AsSpan(0, read).IndexOfAny((byte)'\n', (byte)'\r');
            if (at >= 0)
            {
                _pos = at;
                _end = read;
                return;
            }
        }
    }

    /// <summary>Reports invalid UTF-8 and NUL bytes in a record, once each, at their line and column.</summary>
    private void CheckBytes(ReadOnlySpan<byte> span, int startLine)
    {
        if (System.Text.Unicode.Utf8.IsValid(span))
        {
            var nul = span.IndexOf((byte)0);
            if (nul >= 0)
            {
                var (line, column, _) = Locate(span, nul, startLine);
                _sink.Report(
                    "NUL byte in the data: the file may be binary or UTF-16; save it as UTF-8 text",
                    new MLIntern.Findings.SourceRange(line, column, line, column + 1));
            }

            return;
        }

        var bad = Utf8Text.FirstInvalid(span);
        if (bad >= 0)
        {
            var (line, column, byteInLine) = Locate(span, bad, startLine);
            _sink.Report(
                $"invalid UTF-8: byte 0x{span[bad]:X2} at byte {byteInLine} of the line; save the file as UTF-8",
                new MLIntern.Findings.SourceRange(line, column, line, column + 1));
        }
    }

    private static (int Line, int Column, int ByteInLine) Locate(ReadOnlySpan<byte> span, int offset, int startLine)
    {
        var before = span[..offset];
        var line = startLine + CountLines(before);
        var lineStart = before.LastIndexOfAny((byte)'\n', (byte)'\r') + 1;
        return (line, Utf8Text.Utf16Length(span[lineStart..offset]) + 1, offset - lineStart + 1);
    }

    private static int LastLineLength(ReadOnlySpan<byte> span)
    {
        while (EndsWithNewline(span))
        {
            span = span[..^1];
        }

        var start = span.LastIndexOfAny((byte)'\n', (byte)'\r') + 1;
        return Utf8Text.Utf16Length(span[start..]);
    }

    private void ReportUnclosed(int recordStart, int quoteAt, int startLine)
    {
        var span = _buffer.AsSpan(recordStart, _end - recordStart);
        var (line, column, _) = Locate(span, quoteAt - recordStart, startLine);
        _sink.Report(
            $"the quoted field opened on line {line} is never closed; everything after it was read as one field",
            new MLIntern.Findings.SourceRange(line, column, line, column + 1));
        Skipped++;
    }

    private void SetHeader()
    {
        var count = Math.Min(_fieldCount, MaxColumns);
        var names = new string[count];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var scratch = new Record();
        for (var i = 0; i < count; i++)
        {
            CopyField(scratch, 0, i);
            var name = Utf8Text.Preview(scratch[0], 200).Trim();
            if (name.Length == 0)
            {
                name = $"column_{i + 1}";
            }

            // pandas names a repeated header "x.1", "x.2"; so do we, so column names match its.
            var unique = name;
            for (var n = 1; !seen.Add(unique) && n < 10_000; n++)
            {
                unique = $"{name}.{n}";
            }

            names[i] = unique;
        }

        _columns = names;
    }

    private void Fill(Record record, int startLine, int endLine)
    {
        record.Clear();
        record.Line = startLine;
        record.EndLine = endLine;
        var count = Math.Min(_fieldCount, MaxColumns);
        for (var i = 0; i < count; i++)
        {
            CopyField(record, i, i);
        }
    }

    private void CopyField(Record record, int column, int field)
    {
        var span = _buffer.AsSpan(_fieldStart[field], _fieldEnd[field] - _fieldStart[field]);
        var close = _fieldClose[field];
        if (close == Unquoted)
        {
            record.Set(column, span, ValueKind.Text);
            return;
        }

        if (close != Escaped && close + 1 == _fieldEnd[field])
        {
            // Quoted, no "" inside, nothing after the closing quote: the content as it stands.
            record.Set(column, span[1..^1], ValueKind.Text);
            return;
        }

        // Opening quote, content with "" for a quote, closing quote, then (rarely) stray text kept as is.
        var target = record.Begin(column, span.Length);
        var written = 0;
        var i = 1;
        while (i < span.Length)
        {
            var k = span[i..].IndexOf((byte)'"');
            if (k < 0)
            {
                span[i..].CopyTo(target[written..]);
                written += span.Length - i;
                i = span.Length;
                break;
            }

            span.Slice(i, k).CopyTo(target[written..]);
            written += k;
            i += k;
            if (i + 1 < span.Length && span[i + 1] == (byte)'"')
            {
                target[written++] = (byte)'"';
                i += 2;
                continue;
            }

            i++;
            break;
        }

        if (i < span.Length)
        {
            span[i..].CopyTo(target[written..]);
            written += span.Length - i;
        }

        record.Commit(column, written, ValueKind.Text);
    }

    private static string Printable(char delimiter) => delimiter == '\t' ? "\\t" : delimiter.ToString();

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    internal static string Decode(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
