using System.Text.Json;
using MLIntern.Findings;

namespace MLIntern.Data.Reading;

/// <summary>JSON Lines: one object per line. A broken line is reported with its line and column and skipped.</summary>
public sealed class JsonLinesRecordReader : IRecordReader
{
    private readonly LineReader _lines;
    private readonly MalformedSink _sink;
    private readonly JsonObjectParser _parser = new();
    private byte[] _scratch = [];

    public JsonLinesRecordReader(Stream stream, MalformedSink sink)
    {
        _lines = new LineReader(stream);
        _sink = sink;
    }

    public IReadOnlyList<string> Columns => _parser.Columns;

    public int Skipped { get; private set; }

    public bool Read(Record record)
    {
        while (_lines.TryReadLine(out var raw))
        {
            var lineNumber = _lines.LineNumber;
            if (lineNumber == 1 && raw.StartsWith("\uFEFF"u8))
            {
                raw = raw[3..];
            }

            if (_lines.Truncated)
            {
                _sink.Report($"line is longer than {LineReader.MaxLineBytes / (1024 * 1024)} MB; it was skipped", SourceRange.WholeLine(lineNumber));
                Skipped++;
                continue;
            }

            if (raw.Trim(" \t"u8).IsEmpty)
            {
                continue;
            }

            var bad = Utf8Text.FirstInvalid(raw);
            if (bad >= 0)
            {
                var column = Utf8Text.Utf16Length(raw[..bad]) + 1;
                _sink.Report(
                    $"invalid UTF-8: byte 0x{raw[bad]:X2} at byte {bad + 1} of the line; save the file as UTF-8",
                    new SourceRange(lineNumber, column, lineNumber, column + 1));
                raw = Repair(raw);
            }

            if (Parse(raw, lineNumber, record))
            {
                return true;
            }

            Skipped++;
        }

        return false;
    }

    /// <summary>A copy of the line with every invalid byte replaced by '?', so offsets stay put and the JSON can still be read.</summary>
    private ReadOnlySpan<byte> Repair(ReadOnlySpan<byte> raw)
    {
        if (_scratch.Length < raw.Length)
        {
            _scratch = new byte[Math.Max(raw.Length, _scratch.Length * 2)];
        }

        var copy = _scratch.AsSpan(0, raw.Length);
        raw.CopyTo(copy);
        var offset = 0;
        for (var guard = 0; guard <= raw.Length && offset < copy.Length; guard++)
        {
            var next = Utf8Text.FirstInvalid(copy[offset..]);
            if (next < 0)
            {
                break;
            }

            copy[offset + next] = (byte)'?';
            offset += next + 1;
        }

        return copy;
    }

    private bool Parse(ReadOnlySpan<byte> bytes, int lineNumber, Record record)
    {
        var reader = new Utf8JsonReader(bytes, JsonObjectParser.Options);
        try
        {
            if (!reader.Read())
            {
                return false;
            }

            var kind = reader.TokenType;
            if (kind == JsonTokenType.StartObject)
            {
                _parser.ReadObject(ref reader, bytes, record);
            }
            else if (!reader.TrySkip())
            {
                throw new JsonException("the value is incomplete");
            }

            if (reader.Read())
            {
                _sink.Report(
                    "more than one JSON value on the line; JSON Lines holds exactly one object per line",
                    ColumnRange(bytes, (int)reader.TokenStartIndex, lineNumber));
                return false;
            }

            if (kind != JsonTokenType.StartObject)
            {
                _sink.Report(
                    $"the line is a JSON {JsonObjectParser.Describe(kind)}, not an object; each line must be one record such as {{\"text\": ..., \"label\": ...}}",
                    new SourceRange(lineNumber, 1, lineNumber, Utf8Text.Utf16Length(bytes) + 1));
                return false;
            }

            record.Line = lineNumber;
            record.EndLine = lineNumber;
            return true;
        }
        catch (JsonException e)
        {
            var offset = (int)Math.Min(reader.BytesConsumed, bytes.Length);
            _sink.Report($"invalid JSON: {JsonObjectParser.Reason(e)}", ColumnRange(bytes, offset, lineNumber));
            return false;
        }
    }

    private static SourceRange ColumnRange(ReadOnlySpan<byte> bytes, int byteOffset, int lineNumber)
    {
        var length = Utf8Text.Utf16Length(bytes);
        var column = Math.Min(Utf8Text.Utf16Length(bytes[..Math.Clamp(byteOffset, 0, bytes.Length)]) + 1, length + 1);
        return new SourceRange(lineNumber, column, lineNumber, Math.Min(column + 1, length + 1));
    }

    public void Dispose() => _lines.Dispose();
}
