using System.Text;
using Parquet;
using Parquet.Schema;

namespace MLIntern.Data.Reading;

/// <summary>
/// Parquet through Parquet.Net, one row group at a time (memory is bounded by the largest row group,
/// as in every Parquet reader). Top-level primitive columns are read; nested and repeated ones are
/// listed but left missing. A record's <see cref="Record.Line"/> is its 1-based row number.
/// Parquet.Net throws on a damaged file; every such exception becomes an MLD012 finding.
/// </summary>
public sealed class ParquetRecordReader : IRecordReader
{
    private readonly Stream _stream;
    private readonly MalformedSink _sink;
    private ParquetReader? _reader;
    private DataField[] _fields = [];
    private string[] _columns = [];
    private IColumnValues?[] _values = [];
    private int _group = -1;
    private long _rowInGroup;
    private long _groupRows;
    private int _row;
    private bool _stopped;

    public ParquetRecordReader(Stream stream, MalformedSink sink)
    {
        _stream = stream;
        _sink = sink;
    }

    public IReadOnlyList<string> Columns
    {
        get
        {
            Open();
            return _columns;
        }
    }

    public int Skipped { get; private set; }

    public bool Read(Record record)
    {
        if (!Open())
        {
            return false;
        }

        while (_rowInGroup >= _groupRows)
        {
            if (!NextGroup())
            {
                return false;
            }
        }

        record.Clear();
        var index = (int)_rowInGroup;
        for (var c = 0; c < _values.Length; c++)
        {
            if (_values[c] is { } values)
            {
                values.Write(index, record, c);
            }
            else
            {
                record.SetMissing(c);
            }
        }

        _rowInGroup++;
        _row++;
        record.Line = _row;
        record.EndLine = _row;
        return true;
    }

    private bool Open()
    {
        if (_reader is not null)
        {
            return !_stopped;
        }

        if (_stopped)
        {
            return false;
        }

        try
        {
            var source = _stream.CanSeek ? _stream : Buffered(_stream);
            if (FooterProblem(source) is { } problem)
            {
                _stopped = true;
                _sink.Report($"not a readable Parquet file: {problem}", 1);
                return false;
            }

            _reader = ParquetReader.CreateAsync(source, null, true).GetAwaiter().GetResult();
            _fields = _reader.Schema.Fields.OfType<DataField>().ToArray();
            _columns = [.. _fields.Select(f => f.Name)];
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Fail(e);
            return false;
        }
    }

    /// <summary>
    /// The footer's length (the 4 bytes before the closing "PAR1") checked against the file before
    /// Parquet.Net allocates a buffer of that size: a damaged or hostile length such as 0x7FFFFFFF
    /// would otherwise end the process with OutOfMemoryException.
    /// </summary>
    private static string? FooterProblem(Stream source)
    {
        var length = source.Length;
        if (length < 12)
        {
            return $"{length} bytes is too short for a Parquet file (\"PAR1\", a footer, its length, \"PAR1\")";
        }

        Span<byte> tail = stackalloc byte[8];
        source.Seek(-8, SeekOrigin.End);
        source.ReadExactly(tail);
        source.Seek(0, SeekOrigin.Begin);
        if (!tail[4..].SequenceEqual("PAR1"u8))
        {
            return "the file does not end with \"PAR1\" (truncated, or not Parquet)";
        }

        var footer = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(tail);
        return footer <= 0 || footer > length - 12
            ? $"the footer length {footer:N0} does not fit in the file's {length:N0} bytes"
            : null;
    }

    /// <summary>Parquet needs to seek (its footer is at the end); a stream that cannot is copied to memory first.</summary>
    private static MemoryStream Buffered(Stream stream)
    {
        var copy = new MemoryStream();
        stream.CopyTo(copy);
        copy.Position = 0;
        return copy;
    }

    private bool NextGroup()
    {
        if (_reader is null || _stopped || _group + 1 >= _reader.RowGroupCount)
        {
            return false;
        }

        _group++;
        try
        {
            using var group = _reader.OpenRowGroupReader(_group);
            _groupRows = group.RowCount;
            _rowInGroup = 0;
            _values = new IColumnValues?[_fields.Length];
            for (var c = 0; c < _fields.Length; c++)
            {
                _values[c] = ReadColumn(group, _fields[c], (int)_groupRows);
            }

            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Fail(e);
            return false;
        }
    }

    private void Fail(Exception e)
    {
        _stopped = true;
        var where = _row == 0 ? "" : $" after row {_row}";
        _sink.Report($"not a readable Parquet file{where}: {e.Message.Split('\n')[0]}", 1);
    }

    private static IColumnValues? ReadColumn(ParquetRowGroupReader group, DataField field, int rows)
    {
        if (field.IsArray || field.MaxRepetitionLevel > 0)
        {
            return null;
        }

        var type = field.ClrType;
        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>))
        {
            var values = new string?[rows];
            group.ReadAsync(field, values.AsMemory(), null).GetAwaiter().GetResult();
            return new StringValues(values);
        }

        if (type == typeof(byte[]))
        {
            return null;
        }

        return type switch
        {
            _ when type == typeof(bool) => ReadBool(group, field, rows),
            _ when type == typeof(int) => Read<int>(group, field, rows),
            _ when type == typeof(long) => Read<long>(group, field, rows),
            _ when type == typeof(short) => Read<short>(group, field, rows),
            _ when type == typeof(sbyte) => Read<sbyte>(group, field, rows),
            _ when type == typeof(byte) => Read<byte>(group, field, rows),
            _ when type == typeof(ushort) => Read<ushort>(group, field, rows),
            _ when type == typeof(uint) => Read<uint>(group, field, rows),
            _ when type == typeof(ulong) => Read<ulong>(group, field, rows),
            _ when type == typeof(float) => Read<float>(group, field, rows),
            _ when type == typeof(double) => Read<double>(group, field, rows),
            _ when type == typeof(decimal) => Read<decimal>(group, field, rows),
            _ when type == typeof(DateTime) => Read<DateTime>(group, field, rows),
            _ => null,
        };
    }

    private static IColumnValues ReadBool(ParquetRowGroupReader group, DataField field, int rows)
    {
        var values = new bool?[rows];
        if (field.IsNullable)
        {
            group.ReadAsync(field, values.AsMemory(), null).GetAwaiter().GetResult();
        }
        else
        {
            var plain = new bool[rows];
            group.ReadAsync(field, plain.AsMemory(), null).GetAwaiter().GetResult();
            for (var i = 0; i < rows; i++)
            {
                values[i] = plain[i];
            }
        }

        return new BoolValues(values);
    }

    private sealed class BoolValues(bool?[] values) : IColumnValues
    {
        public void Write(int row, Record record, int column)
        {
            if (values[row] is { } value)
            {
                record.Set(column, value ? "true"u8 : "false"u8, ValueKind.Boolean);
            }
            else
            {
                record.SetMissing(column);
            }
        }
    }

    private static IColumnValues Read<T>(ParquetRowGroupReader group, DataField field, int rows)
        where T : struct, IUtf8SpanFormattable
    {
        if (field.IsNullable)
        {
            var values = new T?[rows];
            group.ReadAsync(field, values.AsMemory(), null).GetAwaiter().GetResult();
            return new NullableValues<T>(values);
        }
        else
        {
            var values = new T[rows];
            group.ReadAsync(field, values.AsMemory(), null).GetAwaiter().GetResult();
            return new Values<T>(values);
        }
    }

    private interface IColumnValues
    {
        void Write(int row, Record record, int column);
    }

    private sealed class StringValues(string?[] values) : IColumnValues
    {
        public void Write(int row, Record record, int column)
        {
            var value = values[row];
            if (value is null)
            {
                record.SetMissing(column);
                return;
            }

            var target = record.Begin(column, Encoding.UTF8.GetMaxByteCount(value.Length));
            record.Commit(column, Encoding.UTF8.GetBytes(value, target), ValueKind.Text);
        }
    }

    private sealed class Values<T>(T[] values) : IColumnValues
        where T : struct, IUtf8SpanFormattable
    {
        public void Write(int row, Record record, int column) => Format(values[row], record, column);
    }

    private sealed class NullableValues<T>(T?[] values) : IColumnValues
        where T : struct, IUtf8SpanFormattable
    {
        public void Write(int row, Record record, int column)
        {
            if (values[row] is { } value)
            {
                Format(value, record, column);
            }
            else
            {
                record.SetMissing(column);
            }
        }
    }

    private static void Format<T>(T value, Record record, int column)
        where T : struct, IUtf8SpanFormattable
    {
        var target = record.Begin(column, 64);
        var kind = typeof(T) == typeof(DateTime) ? ValueKind.Text : ValueKind.Number;
        record.Commit(column, value.TryFormat(target, out var written, default, System.Globalization.CultureInfo.InvariantCulture) ? written : 0, kind);
    }

    public void Dispose() => _reader?.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
