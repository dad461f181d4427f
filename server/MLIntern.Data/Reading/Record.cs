using System.Text;

namespace MLIntern.Data.Reading;

/// <summary>How a value was written in the file; CSV knows only text.</summary>
public enum ValueKind : byte
{
    Missing,
    Text,
    Number,
    Boolean,

    /// <summary>A nested JSON object or array, kept as its JSON text.</summary>
    Nested,
}

/// <summary>
/// One record of a data file: its values as UTF-8 bytes in one arena, by column index, and the
/// physical lines it came from. Readers refill the same instance, so a record is only valid until
/// the next read; <see cref="Clone"/> keeps one.
/// </summary>
public sealed class Record
{
    private byte[] _data = new byte[4096];
    private int[] _starts = new int[16];
    private int[] _lengths = new int[16];
    private ValueKind[] _kinds = new ValueKind[16];
    private int _used;

    /// <summary>Values in this record; a column past it is missing.</summary>
    public int Count { get; private set; }

    /// <summary>1-based line where the record starts (Parquet: the row number).</summary>
    public int Line { get; set; }

    /// <summary>1-based line where the record ends.</summary>
    public int EndLine { get; set; }

    public ReadOnlySpan<byte> this[int column]
    {
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        get => column < Count && _kinds[column] != ValueKind.Missing ? _data.AsSpan(_starts[column], _lengths[column]) : default;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public ValueKind Kind(int column) => column < Count ? _kinds[column] : ValueKind.Missing;

    public string Text(int column) => Encoding.UTF8.GetString(this[column]);

    public void Clear()
    {
        Count = 0;
        _used = 0;
    }

    /// <summary>Sets a column's value, growing the record to reach it; columns skipped are missing.</summary>
    public void Set(int column, ReadOnlySpan<byte> value, ValueKind kind)
    {
        var at = Reserve(column, value.Length);
        value.CopyTo(_data.AsSpan(at));
        _kinds[column] = kind;
    }

    /// <summary>Reserves room for a value of up to <paramref name="maxLength"/> bytes and returns it to write into; <see cref="Commit"/> gives the real length.</summary>
    public Span<byte> Begin(int column, int maxLength)
    {
        var at = Reserve(column, maxLength);
        return _data.AsSpan(at, maxLength);
    }

    public void Commit(int column, int length, ValueKind kind)
    {
        _lengths[column] = length;
        _used = _starts[column] + length;
        _kinds[column] = kind;
    }

    public void SetMissing(int column)
    {
        Reserve(column, 0);
        _kinds[column] = ValueKind.Missing;
    }

    private int Reserve(int column, int length)
    {
        var at = _used;
        if (column == Count && column < _starts.Length && at + length <= _data.Length)
        {
            // The common case: the next column, and room for it.
            _starts[column] = at;
            _lengths[column] = length;
            _used = at + length;
            Count = column + 1;
            return at;
        }

        if (column >= _starts.Length)
        {
            var size = Math.Max(column + 1, _starts.Length * 2);
            Array.Resize(ref _starts, size);
            Array.Resize(ref _lengths, size);
            Array.Resize(ref _kinds, size);
        }

        for (var i = Count; i < column; i++)
        {
            _kinds[i] = ValueKind.Missing;
            _starts[i] = _used;
            _lengths[i] = 0;
        }

        if (_used + length > _data.Length)
        {
            Array.Resize(ref _data, Math.Max(_used + length, _data.Length * 2));
        }

        _starts[column] = _used;
        _lengths[column] = length;
        _used += length;
        Count = Math.Max(Count, column + 1);
        return _starts[column];
    }

    public Record Clone()
    {
        var copy = new Record { Line = Line, EndLine = EndLine };
        for (var i = 0; i < Count; i++)
        {
            if (_kinds[i] == ValueKind.Missing)
            {
                copy.SetMissing(i);
            }
            else
            {
                copy.Set(i, this[i], _kinds[i]);
            }
        }

        return copy;
    }

    /// <summary>Gives back a buffer grown past <paramref name="maxBytes"/> by a huge record, so that a pool of records stays small.</summary>
    public void Shrink(int maxBytes)
    {
        if (_data.Length > maxBytes)
        {
            _data = new byte[4096];
            Clear();
        }
    }

    /// <summary>Bytes the record holds; the peek buffer uses it to bound itself.</summary>
    public int Size => _used;
}

/// <summary>Reads the records of one file. Never throws on what the file holds: problems go to the <see cref="MalformedSink"/>.</summary>
public interface IRecordReader : IDisposable
{
    /// <summary>Column names; JSON readers add columns as new keys appear.</summary>
    IReadOnlyList<string> Columns { get; }

    /// <summary>Fills <paramref name="record"/> with the next well-formed record; false at the end.</summary>
    bool Read(Record record);

    /// <summary>Records skipped because they were malformed (ragged, unparsable).</summary>
    int Skipped { get; }
}
