namespace MLIntern.Data.Profiling;

/// <summary>Distinct values, counted exactly up to <see cref="ExactLimit"/> and by <see cref="HyperLogLog"/> past it.</summary>
public sealed class DistinctCounter
{
    public const int ExactLimit = 65_536;

    private HashSet<ulong>? _exact = [];
    private HyperLogLog? _sketch;

    public void Add(ulong hash)
    {
        if (_exact is not null)
        {
            _exact.Add(hash);
            if (_exact.Count > ExactLimit)
            {
                _sketch = new HyperLogLog();
                foreach (var h in _exact)
                {
                    _sketch.Add(h);
                }

                _exact = null;
            }

            return;
        }

        _sketch!.Add(hash);
    }

    public bool IsExact => _exact is not null;

    public long Count => _exact?.Count ?? _sketch!.Estimate();
}
