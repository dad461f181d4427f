using System.Numerics;

namespace MLIntern.Data.Profiling;

/// <summary>
/// Distinct values and how often each occurs: counted exactly, value by value, up to
/// <see cref="ExactLimit"/> distinct values; past that, the distinct count comes from a
/// <see cref="HyperLogLog"/> while the values already held keep being counted (so the most
/// frequent ones stay exact). One open-addressing table keyed by the value's 64-bit hash: a value
/// costs one probe.
/// </summary>
public sealed class DistinctCounter
{
    public const int ExactLimit = 65_536;

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
        }
        else if (_count * 2 > entries.Length)
        {
            Grow();
        }

        return true;
    }

    /// <summary>How often a value held in the table occurred; 0 for a value it does not hold.</summary>
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
