using System.Buffers.Text;
using MLIntern.Data.Reading;

namespace MLIntern.Data.Profiling;

/// <summary>The running statistics of one column in one split; memory is bounded whatever the row count.</summary>
internal sealed class ColumnProfiler(string name)
{
    /// <summary>Distinct values whose counts are kept exactly for "top values".</summary>
    public const int TopTracked = 1000;

    private const int LengthSlots = 4097;

    private readonly DistinctCounter _distinct = new(TopTracked);

    /// <summary>Previews of the first <see cref="TopTracked"/> distinct values, by hash; their counts are in <see cref="_distinct"/>.</summary>
    private readonly Dictionary<ulong, string> _previews = [];
    private readonly long[] _lengths = new long[LengthSlots];
    private long _present;
    private long _missing;
    private long _empty;
    private long _ints;
    private long _floats;
    private long _bools;
    private long _nested;
    private long _words;
    private long _lengthSum;
    private long _minLength = long.MaxValue;
    private long _maxLength;

    public string Name => name;

    public void Add(ReadOnlySpan<byte> value, ValueKind kind)
    {
        if (kind == ValueKind.Missing || IsNaToken(value))
        {
            _missing++;
            return;
        }

        if (value.IsEmpty)
        {
            _empty++;
            _missing++;
            return;
        }

        _present++;
        var hash = Hash64.Of(value);
        if (_distinct.Add(hash) && _previews.Count < TopTracked)
        {
            _previews[hash] = Utf8Text.Preview(value, 80);
        }

        switch (kind)
        {
            case ValueKind.Number:
                Classify(value, true);
                break;
            case ValueKind.Boolean:
                _bools++;
                break;
            case ValueKind.Nested:
                _nested++;
                break;
            default:
                Classify(value, false);
                break;
        }

        var length = Utf8Text.Utf16Length(value);
        _lengthSum += length;
        _lengths[Math.Min(length, LengthSlots - 1)]++;
        _minLength = Math.Min(_minLength, length);
        _maxLength = Math.Max(_maxLength, length);
        if (length > 2)
        {
            _words += 1 + value.Count((byte)' ');
        }
        else
        {
            _words++;
        }
    }

    private void Classify(ReadOnlySpan<byte> value, bool number)
    {
        var first = value[0];
        if (number || (first is >= (byte)'0' and <= (byte)'9') || first is (byte)'-' or (byte)'+' or (byte)'.')
        {
            if (Utf8Parser.TryParse(value, out long _, out var used) && used == value.Length)
            {
                _ints++;
                return;
            }

            if (Utf8Parser.TryParse(value, out double _, out used) && used == value.Length)
            {
                _floats++;
                return;
            }
        }

        if (value.Length <= 5 && IsBoolToken(value))
        {
            _bools++;
        }
    }

    /// <summary>The values pandas reads as NaN by default (the short ones).</summary>
    public static bool IsNaToken(ReadOnlySpan<byte> value) =>
        value.Length is >= 2 and <= 4 &&
        (value.SequenceEqual("NA"u8) || value.SequenceEqual("N/A"u8) || value.SequenceEqual("NaN"u8) || value.SequenceEqual("nan"u8) ||
         value.SequenceEqual("null"u8) || value.SequenceEqual("NULL"u8) || value.SequenceEqual("None"u8) || value.SequenceEqual("n/a"u8) ||
         value.SequenceEqual("#N/A"u8) || value.SequenceEqual("<NA>"u8) || value.SequenceEqual("-NaN"u8) || value.SequenceEqual("-nan"u8));

    private static bool IsBoolToken(ReadOnlySpan<byte> value) =>
        value.SequenceEqual("true"u8) || value.SequenceEqual("false"u8) || value.SequenceEqual("True"u8) || value.SequenceEqual("False"u8) ||
        value.SequenceEqual("TRUE"u8) || value.SequenceEqual("FALSE"u8);

    public double MeanLength => _present == 0 ? 0 : (double)_lengthSum / _present;

    public double MeanWords => _present == 0 ? 0 : (double)_words / _present;

    public long Present => _present;

    public long DistinctCount => _distinct.Count;

    public bool IsNumeric => _present > 0 && _ints + _floats == _present;

    public bool IsInteger => _present > 0 && _ints == _present;

    public bool IsBoolean => _present > 0 && _bools == _present;

    /// <summary>int, float, bool, nested, id, text, category — or empty when there are no values.</summary>
    public string Type
    {
        get
        {
            if (_present == 0)
            {
                return "empty";
            }

            var distinct = _distinct.Count;
            var unique = distinct >= _present * 0.98 && _present >= 20;
            var idName = name.Equals("id", StringComparison.OrdinalIgnoreCase) || name.EndsWith("_id", StringComparison.OrdinalIgnoreCase) || name.EndsWith("Id", StringComparison.Ordinal);
            if (IsBoolean)
            {
                return "bool";
            }

            if (IsInteger)
            {
                return unique && (idName || distinct > 1000) ? "id" : "int";
            }

            if (IsNumeric)
            {
                return "float";
            }

            if (_nested == _present)
            {
                return "nested";
            }

            if (unique && MeanWords < 1.5 && MeanLength <= 64)
            {
                return "id";
            }

            return MeanWords >= 3 || MeanLength >= 30 ? "text" : "category";
        }
    }

    public ColumnProfile ToProfile(int topValues = 10)
    {
        var top = _previews.Select(p => new ValueCount(p.Value, _distinct.CountOf(p.Key))).OrderByDescending(v => v.Count).ThenBy(v => v.Value, StringComparer.Ordinal).Take(topValues).ToList();
        return new ColumnProfile(name, Type, _present, _missing, _empty, _distinct.Count, _distinct.IsExact, top, Lengths());
    }

    private LengthStats? Lengths()
    {
        if (_present == 0)
        {
            return null;
        }

        long Percentile(double p)
        {
            var target = (long)Math.Ceiling(p * _present);
            long seen = 0;
            for (var i = 0; i < LengthSlots; i++)
            {
                seen += _lengths[i];
                if (seen >= target)
                {
                    return i == LengthSlots - 1 ? _maxLength : i;
                }
            }

            return _maxLength;
        }

        // Bins double in width: 0, 1, 2-3, 4-7, … 2048-4095, then 4096 and more.
        var bins = new List<HistogramBin>();
        long from = 0;
        long to = 1;
        while (from < LengthSlots - 1)
        {
            long count = 0;
            for (var i = from; i < Math.Min(to, LengthSlots - 1); i++)
            {
                count += _lengths[i];
            }

            bins.Add(new HistogramBin(from, to, count));
            from = to;
            to = Math.Max(to * 2, 2);
        }

        bins.Add(new HistogramBin(LengthSlots - 1, null, _lengths[LengthSlots - 1]));
        var first = bins.FindIndex(b => b.Count > 0);
        var last = bins.FindLastIndex(b => b.Count > 0);
        return new LengthStats(_minLength, _maxLength, Math.Round(MeanLength, 1), Percentile(0.5), Percentile(0.95), bins.GetRange(first, last - first + 1));
    }
}
