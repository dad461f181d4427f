using System.Buffers;
using System.Text.Json;
using MLIntern.Findings;

namespace MLIntern.Data.Reading;

/// <summary>
/// A JSON file holding one array of objects, read element by element with <see cref="Utf8JsonReader"/>
/// so memory is bounded by the largest element, not the file. A file that starts with an object is
/// JSON Lines under a .json name (as <c>datasets</c> writes it) and is read as such.
/// </summary>
public sealed class JsonArrayRecordReader : IRecordReader
{
    private readonly Stream _stream;
    private readonly MalformedSink _sink;
    private readonly JsonObjectParser _parser = new();
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(256 * 1024);
    private int _pos;
    private int _end;
    private bool _eof;
    private int _line = 1;
    private bool _started;
    private bool _stopped;
    private bool _expectSeparator;

    public JsonArrayRecordReader(Stream stream, MalformedSink sink)
    {
        _stream = stream;
        _sink = sink;
    }

    public IReadOnlyList<string> Columns => _parser.Columns;

    public int Skipped { get; private set; }

    /// <summary>Opens a .json file: an array reader, or a JSON Lines reader when the first value is an object.</summary>
    public static IRecordReader Open(Stream stream, MalformedSink sink)
    {
        var head = new byte[4096];
        var length = 0;
        int read;
        while (length < head.Length && (read = stream.Read(head, length, head.Length - length)) > 0)
        {
            length += read;
        }

        var span = head.AsSpan(0, length);
        var body = span.StartsWith("\uFEFF"u8) ? span[3..] : span;
        body = body.TrimStart(" \t\r\n"u8);
        var replay = new PrefixStream(head, length, stream);
        return !body.IsEmpty && body[0] == (byte)'{'
            ? new JsonLinesRecordReader(replay, sink)
            : new JsonArrayRecordReader(replay, sink);
    }

    public bool Read(Record record)
    {
        for (var guard = 0; guard < int.MaxValue && !_stopped; guard++)
        {
            if (!_started)
            {
                if (!Ensure(4))
                {
                    _stopped = true;
                    if (_end > 0)
                    {
                        Stop("the file is not a JSON array of objects", 0);
                    }

                    return false;
                }

                if (_buffer.AsSpan(_pos, _end - _pos).StartsWith("\uFEFF"u8))
                {
                    _pos += 3;
                }

                if (!SkipSpace())
                {
                    _stopped = true;
                    return false;
                }

                if (_buffer[_pos] != (byte)'[')
                {
                    Stop("the file is not a JSON array of objects: a .json data file is [ {...}, {...} ] or one object per line", 0);
                    return false;
                }

                _pos++;
                _started = true;
                continue;
            }

            if (!SkipSpace())
            {
                Stop("the array is never closed: the file is cut short", 0);
                return false;
            }

            var b = _buffer[_pos];
            if (b == (byte)']')
            {
                _stopped = true;
                return false;
            }

            if (_expectSeparator)
            {
                if (b != (byte)',')
                {
                    Stop("invalid JSON: expected ',' or ']' after an element", 0);
                    return false;
                }

                _pos++;
                _expectSeparator = false;
                continue;
            }

            if (ReadElement(record))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads one element; true when it was an object put into the record.</summary>
    private bool ReadElement(Record record)
    {
        var repaired = false;
        for (var attempt = 0; attempt < 64; attempt++)
        {
            var span = _buffer.AsSpan(_pos, _end - _pos);
            var reader = new Utf8JsonReader(span, _eof, new JsonReaderState(JsonObjectParser.Options));
            int length;
            JsonTokenType kind;
            try
            {
                if (!reader.Read() || !reader.TrySkip())
                {
                    if (_eof)
                    {
                        Stop("the file ends inside an element: it is cut short", 0);
                        return false;
                    }

                    Grow();
                    continue;
                }

                kind = reader.TokenType == JsonTokenType.EndObject || reader.TokenType == JsonTokenType.EndArray ? (reader.TokenType == JsonTokenType.EndObject ? JsonTokenType.StartObject : JsonTokenType.StartArray) : reader.TokenType;
                length = (int)reader.BytesConsumed;
            }
            catch (JsonException e)
            {
                if (!repaired && RepairUtf8(span))
                {
                    repaired = true;
                    continue;
                }

                var hint = _eof && reader.BytesConsumed >= span.Length - 1 ? " (the file is cut short)" : "";
                Stop($"invalid JSON{hint}: {JsonObjectParser.Reason(e)}", (int)reader.BytesConsumed);
                return false;
            }

            var element = span[..length];
            if (!repaired && RepairUtf8(element))
            {
                repaired = true;
                continue;
            }

            var startLine = _line + LeadingLines(element);
            var endLine = _line + CountNewlines(element);
            _expectSeparator = true;
            if (kind != JsonTokenType.StartObject)
            {
                _sink.Report($"an element of the array is a JSON {JsonObjectParser.Describe(kind)}, not an object; each element must be one record", startLine);
                Advance(length);
                Skipped++;
                return false;
            }

            var parser = new Utf8JsonReader(element, true, new JsonReaderState(JsonObjectParser.Options));
            try
            {
                parser.Read();
                _parser.ReadObject(ref parser, element, record);
                record.Line = startLine;
                record.EndLine = endLine;
                Advance(length);
                return true;
            }
            catch (JsonException e)
            {
                Stop($"invalid JSON: {JsonObjectParser.Reason(e)}", (int)parser.BytesConsumed);
                return false;
            }
        }

        Stop("an element is too large to read", 0);
        return false;
    }

    private static int LeadingLines(ReadOnlySpan<byte> element) => 0 * element.Length;

    private static int CountNewlines(ReadOnlySpan<byte> span) => span.Count((byte)'\n');

    private void Advance(int bytes)
    {
        _line += CountNewlines(_buffer.AsSpan(_pos, bytes));
        _pos += bytes;
    }

    /// <summary>Replaces invalid UTF-8 bytes (not a sequence cut by the buffer's end) with '?' and reports the first; true when any was found.</summary>
    private bool RepairUtf8(Span<byte> span)
    {
        var limit = _eof ? span.Length : Math.Max(0, span.Length - 4);
        var found = false;
        var offset = 0;
        for (var guard = 0; guard <= span.Length && offset < limit; guard++)
        {
            var bad = Utf8Text.FirstInvalid(span[offset..limit]);
            if (bad < 0)
            {
                break;
            }

            var at = offset + bad;
            if (!found)
            {
                var before = span[..at];
                var line = _line + CountNewlines(before);
                var lineStart = before.LastIndexOf((byte)'\n') + 1;
                var column = (lineStart == 0 ? CurrentColumnBase() : 0) + Utf8Text.Utf16Length(before[lineStart..]) + 1;
                _sink.Report($"invalid UTF-8: byte 0x{span[at]:X2}; save the file as UTF-8", new SourceRange(line, column, line, column + 1));
            }

            span[at] = (byte)'?';
            found = true;
            offset = at + 1;
        }

        return found;
    }

    private int CurrentColumnBase()
    {
        var before = _buffer.AsSpan(0, _pos);
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        return Utf8Text.Utf16Length(before[lineStart..]);
    }

    /// <summary>Reports a problem at a byte offset from the current position and stops reading: past broken JSON nothing can be trusted.</summary>
    private void Stop(string message, int offset)
    {
        var span = _buffer.AsSpan(_pos, Math.Clamp(offset, 0, _end - _pos));
        var line = _line + CountNewlines(span);
        _sink.Report($"{message}; the rest of the file was not read", line);
        _stopped = true;
    }

    private bool SkipSpace()
    {
        for (var guard = 0; guard < int.MaxValue; guard++)
        {
            var span = _buffer.AsSpan(_pos, _end - _pos);
            var skip = span.IndexOfAnyExcept(" \t\r\n"u8);
            if (skip >= 0)
            {
                Advance(skip);
                return true;
            }

            Advance(span.Length);
            if (!Ensure(1))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>Makes at least <paramref name="bytes"/> bytes available from the position, unless the stream ends.</summary>
    private bool Ensure(int bytes)
    {
        while (_end - _pos < bytes && !_eof)
        {
            Compact();
            if (_end == _buffer.Length)
            {
                break;
            }

            var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
            _eof = read == 0;
            _end += read;
        }

        return _end - _pos >= Math.Min(bytes, 1) && _end > _pos;
    }

    private void Compact()
    {
        if (_pos > 0)
        {
            Buffer.BlockCopy(_buffer, _pos, _buffer, 0, _end - _pos);
            _end -= _pos;
            _pos = 0;
        }
    }

    /// <summary>Reads more for an element that does not fit yet, growing the buffer up to the record cap.</summary>
    private void Grow()
    {
        Compact();
        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= CsvRecordReader.MaxRecordBytes)
            {
                Stop($"an element is longer than {CsvRecordReader.MaxRecordBytes / (1024 * 1024)} MB", 0);
                _eof = true;
                return;
            }

            var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, CsvRecordReader.MaxRecordBytes));
            Buffer.BlockCopy(_buffer, 0, bigger, 0, _end);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        _eof = read == 0;
        _end += read;
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }
}

/// <summary>Replays bytes already read from a stream, then reads on from it.</summary>
internal sealed class PrefixStream(byte[] prefix, int length, Stream inner) : Stream
{
    private int _offset;

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_offset < length)
        {
            var n = Math.Min(count, length - _offset);
            Buffer.BlockCopy(prefix, _offset, buffer, offset, n);
            _offset += n;
            return n;
        }

        return inner.Read(buffer, offset, count);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
