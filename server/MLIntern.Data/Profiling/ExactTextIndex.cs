namespace MLIntern.Data.Profiling;

/// <summary>
/// Remembers each distinct text (by 64-bit hash) with where it was first seen and its label, for
/// exact duplicates (MLD002), conflicting labels (MLD003) and exact train/test overlap (MLD007).
/// Memory is fixed: past <see cref="Capacity"/> distinct texts it keeps a hash-chosen sample
/// (the texts whose hash starts with <see cref="SampleLevel"/> zero bits). Every copy of a text
/// has the same hash, so a sampled text's repeats are all seen; counts from the sample are scaled
/// by 2^level and marked as estimates.
/// </summary>
internal sealed class ExactTextIndex(int capacity = ExactTextIndex.DefaultCapacity)
{
    public const int DefaultCapacity = 1 << 19;

    private readonly int _maxSlots = Math.Max(16, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity * 2));
    private int _slots = 4096;
    private ulong[] _keys = [];
    private int[] _lines = [];
    private int[] _labels = [];
    private byte[] _splits = [];
    private byte[] _flags = [];
    private int _count;

    public int Capacity => capacity;

    public int SampleLevel { get; private set; }

    /// <summary>How much one observation counts for at the current sampling level.</summary>
    public long Weight => 1L << SampleLevel;

    public enum Outcome
    {
        /// <summary>Not sampled: nothing is known about this text.</summary>
        Unsampled,
        First,
        Repeat,
    }

    /// <summary>What the index knew about a text before this row.</summary>
    public readonly record struct Seen(int Line, int Label, int FirstSplit, byte Splits, bool ConflictReported);

    /// <summary>Looks a text up and records this row. <paramref name="seen"/> describes the first occurrence when it is a repeat.</summary>
    public Outcome Add(ulong hash, int split, int line, int label, out Seen seen)
    {
        seen = default;
        if (!Sampled(hash))
        {
            return Outcome.Unsampled;
        }

        if (_keys.Length == 0)
        {
            Allocate(_slots);
        }

        var key = hash == 0 ? 1 : hash;
        var mask = _slots - 1;
        var i = (int)(key & (ulong)mask);
        while (_keys[i] != 0)
        {
            if (_keys[i] == key)
            {
                seen = new Seen(_lines[i], _labels[i], _flags[i] >> 4, _splits[i], (_flags[i] & 1) != 0);
                _splits[i] |= (byte)(1 << Math.Min(split, 7));
                return Outcome.Repeat;
            }

            i = (i + 1) & mask;
        }

        _keys[i] = key;
        _lines[i] = line;
        _labels[i] = label;
        _splits[i] = (byte)(1 << Math.Min(split, 7));
        _flags[i] = (byte)(Math.Min(split, 15) << 4);
        _count++;
        if (_count >= capacity)
        {
            Thin();
        }
        else if (_count * 2 > _slots && _slots < _maxSlots)
        {
            Rehash(_slots * 2, advanceLevel: false);
        }

        return Outcome.First;
    }

    /// <summary>Marks a text's label conflict as reported, so it is counted once.</summary>
    public void MarkConflict(ulong hash)
    {
        var key = hash == 0 ? 1 : hash;
        var mask = _slots - 1;
        var i = (int)(key & (ulong)mask);
        for (var guard = 0; guard < _slots && _keys[i] != 0; guard++)
        {
            if (_keys[i] == key)
            {
                _flags[i] |= 1;
                return;
            }

            i = (i + 1) & mask;
        }
    }

    public bool Sampled(ulong hash) => SampleLevel == 0 || hash >> (64 - SampleLevel) == 0;

    private void Allocate(int slots)
    {
        _keys = new ulong[slots];
        _lines = new int[slots];
        _labels = new int[slots];
        _splits = new byte[slots];
        _flags = new byte[slots];
    }

    /// <summary>Halves the sample: keeps the entries whose hash has one more leading zero bit.</summary>
    private void Thin() => Rehash(_maxSlots, advanceLevel: true);

    private void Rehash(int slots, bool advanceLevel)
    {
        _slots = slots;
        var keys = _keys;
        var lines = _lines;
        var labels = _labels;
        var splits = _splits;
        var flags = _flags;
        // Each level halves what is kept; a bounded number of levels covers any input.
        do
        {
            if (advanceLevel)
            {
                SampleLevel++;
            }

            Allocate(_slots);
            _count = 0;
            var mask = _slots - 1;
            for (var j = 0; j < keys.Length; j++)
            {
                if (keys[j] == 0 || !Sampled(keys[j]))
                {
                    continue;
                }

                var i = (int)(keys[j] & (ulong)mask);
                while (_keys[i] != 0)
                {
                    i = (i + 1) & mask;
                }

                _keys[i] = keys[j];
                _lines[i] = lines[j];
                _labels[i] = labels[j];
                _splits[i] = splits[j];
                _flags[i] = flags[j];
                _count++;
            }
        }
        while (advanceLevel && _count >= capacity * 3 / 4 && SampleLevel < 60);
    }
}
