using MLIntern.Data.Reading;

namespace MLIntern.Data.Profiling;

/// <summary>The classes of the label column: an id per distinct value, counts per split, where each was first seen.</summary>
internal sealed class LabelTable
{
    public const int MaxClasses = 10_000;
    public const int Overflow = -2;

    private readonly Dictionary<ulong, int> _ids = [];
    public readonly List<string> Names = [];
    public readonly List<long[]> Counts = [];
    public readonly List<(string Path, int Line)> First = [];
    private readonly int _splits;

    public LabelTable(int splits) => _splits = splits;

    public bool Complete { get; private set; } = true;

    public int Id(ReadOnlySpan<byte> value, int split, string path, int line)
    {
        var hash = Hash64.Of(value);
        if (!_ids.TryGetValue(hash, out var id))
        {
            if (Names.Count >= MaxClasses)
            {
                Complete = false;
                return Overflow;
            }

            id = Names.Count;
            _ids[hash] = id;
            Names.Add(Utf8Text.Preview(value, 80));
            Counts.Add(new long[_splits]);
            First.Add((path, line));
        }

        Counts[id][split]++;
        return id;
    }

    public long Total(int id) => Counts[id].Sum();

    public string Name(int id) => id >= 0 && id < Names.Count ? Names[id] : "(other)";
}
