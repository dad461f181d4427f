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

    /// <summary>One 16-byte slot: all a text's facts side by side in one cache line, so a probe costs one miss.</summary>
    private struct Entry
    {
        public ulong Key;
        public int Line;

        /// <summary>A class id (fewer than <see cref="LabelTable.MaxClasses"/>), or a negative "no class".</summary>
        public short Label;
        public byte Splits;

        /// <summary>Bit 0: conflict reported; bits 4-7: the first split.</summary>
        public byte Flags;
    }

    private Entry[] _entries = [];
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

        if (_entries.Length == 0)
        {
            _entries = new Entry[_slots];
        }

        var key = hash == 0 ? 1 : hash;
        var mask = _slots - 1;
        var entries = _entries;
        var i = (int)(key & (ulong)mask);
        while (entries[i].Key != 0)
        {
            ref var entry = ref entries[i];
            if (entry.Key == key)
            {
                seen = new Seen(entry.Line, entry.Label, entry.Flags >> 4, entry.Splits, (entry.Flags & 1) != 0);
                entry.Splits |= (byte)(1 << Math.Min(split, 7));
                return Outcome.Repeat;
            }

            i = (i + 1) & mask;
        }

        entries[i] = new Entry { Key = key, Line = line, Label = (short)Math.Clamp(label, short.MinValue, short.MaxValue), Splits = (byte)(1 << Math.Min(split, 7)), Flags = (byte)(Math.Min(split, 15) << 4) };
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

    /// <summary>Starts loading the slot where <see cref="Add"/> will look for <paramref name="hash"/>.</summary>
    public void Prefetch(ulong hash)
    {
        if (_entries.Length != 0 && Sampled(hash))
        {
            var key = hash == 0 ? 1 : hash;
            Profiling.Prefetch.Line(ref _entries[(int)(key & (ulong)(_slots - 1))]);
        }
    }

    /// <summary>Marks a text's label conflict as reported, so it is counted once.</summary>
    public void MarkConflict(ulong hash)
    {
        var key = hash == 0 ? 1 : hash;
        var mask = _slots - 1;
        var i = (int)(key & (ulong)mask);
        for (var guard = 0; guard < _slots && _entries[i].Key != 0; guard++)
        {
            if (_entries[i].Key == key)
            {
                _entries[i].Flags |= 1;
                return;
            }

            i = (i + 1) & mask;
        }
    }

    public bool Sampled(ulong hash) => SampleLevel == 0 || hash >> (64 - SampleLevel) == 0;

    /// <summary>Halves the sample: keeps the entries whose hash has one more leading zero bit.</summary>
    private void Thin() => Rehash(_maxSlots, advanceLevel: true);

    private void Rehash(int slots, bool advanceLevel)
    {
        _slots = slots;
        var old = _entries;
        // Each level halves what is kept; a bounded number of levels covers any input.
        do
        {
            if (advanceLevel)
            {
                SampleLevel++;
            }

            var entries = _entries = new Entry[_slots];
            _count = 0;
            var mask = _slots - 1;
            foreach (ref readonly var entry in old.AsSpan())
            {
                if (entry.Key == 0 || !Sampled(entry.Key))
                {
                    continue;
                }

                var i = (int)(entry.Key & (ulong)mask);
                while (entries[i].Key != 0)
                {
                    i = (i + 1) & mask;
                }

                entries[i] = entry;
                _count++;
            }
        }
        while (advanceLevel && _count >= capacity * 3 / 4 && SampleLevel < 60);
    }
}
