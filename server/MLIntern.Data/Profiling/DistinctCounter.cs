using System.Numerics;

namespace MLIntern.Data.Profiling;

/// <summary>
/// Distinct values and how often each occurs: counted exactly, value by value, up to
/// <see cref="ExactLimit"/> distinct values; past that, the distinct count comes from a
/// <see cref="HyperLogLog"/>, and only the first <see cref="Kept"/> distinct values keep being
/// counted (in a table small enough to stay in the cache). One open-addressing table keyed by the
/// value's 64-bit hash: a value costs one probe.
/// </summary>
public sealed class DistinctCounter(int kept = DistinctCounter.DefaultKept)
{
    public const int ExactLimit = 65_536;

    public const int DefaultKept = 1000;

    private readonly List<ulong> _first = [];

    /// <summary>The first distinct values seen, which stay counted past <see cref="ExactLimit"/>.</summary>
    public int Kept => kept;

    private struct Entry
    {
        public ulong Key;
        public long Count;
    }

    private Entry[] _entries = new Entry[64];
    private int _count;
    private HyperLogLog? _sketch;

    /// <summary>Counts a value; true when the value is new.</summary>
    public bool Add(ulong hash)
    {
        var key = hash == 0 ? 1 : hash;
        var entries = _entries;
        var mask = entries.Length - 1;
        var i = (int)(key & (ulong)mask);
        while (true)
        {
            ref var entry = ref entries[i];
            if (entry.Key == key)
            {
                entry.Count++;
                return false;
            }

            if (entry.Key == 0)
            {
                break;
            }

            i = (i + 1) & mask;
        }

        if (_sketch is not null)
        {
            _sketch.Add(key);
            return true;
        }

        entries[i] = new Entry { Key = key, Count = 1 };
        _count++;
        if (_first.Count < kept)
        {
            _first.Add(key);
        }

        if (_count > ExactLimit)
        {
            _sketch = new HyperLogLog();
            foreach (var e in entries)
            {
                if (e.Key != 0)
                {
                    _sketch.Add(e.Key);
                }
            }

            KeepFirst();
        }
        else if (_count * 2 > entries.Length)
        {
            Grow();
        }

        return true;
    }

    /// <summary>How often a value occurred: exact while <see cref="IsExact"/>, then for the first <see cref="Kept"/> values only; 0 for a value no longer held.</summary>
    public long CountOf(ulong hash)
    {
        var key = hash == 0 ? 1 : hash;
        var mask = _entries.Length - 1;
        for (var i = (int)(key & (ulong)mask); _entries[i].Key != 0; i = (i + 1) & mask)
        {
            if (_entries[i].Key == key)
            {
                return _entries[i].Count;
            }
        }

        return 0;
    }

    /// <summary>Past the limit: a table of the first values alone, with their counts.</summary>
    private void KeepFirst()
    {
        var counts = _first.Select(key => (key, CountOf(key))).ToList();
        _entries = new Entry[(int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, counts.Count * 2))];
        var mask = _entries.Length - 1;
        foreach (var (key, count) in counts)
        {
            var i = (int)(key & (ulong)mask);
            while (_entries[i].Key != 0)
            {
                i = (i + 1) & mask;
            }

            _entries[i] = new Entry { Key = key, Count = count };
        }
    }

    private void Grow()
    {
        var old = _entries;
        var entries = _entries = new Entry[(int)BitOperations.RoundUpToPowerOf2((uint)old.Length * 2)];
        var mask = entries.Length - 1;
        foreach (var e in old)
        {
            if (e.Key == 0)
            {
                continue;
            }

            var i = (int)(e.Key & (ulong)mask);
            while (entries[i].Key != 0)
            {
                i = (i + 1) & mask;
            }

            entries[i] = e;
        }
    }

    public bool IsExact => _sketch is null;

    public long Count => _sketch?.Estimate() ?? _count;
}
