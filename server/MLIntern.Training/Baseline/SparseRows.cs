namespace MLIntern.Training.Baseline;

/// <summary>Rows of a sparse matrix in compressed-row form: row r is columns[starts[r]..starts[r+1]] with its values.</summary>
public sealed class SparseRows(int[] starts, int[] columns, float[] values, int columnCount)
{
    public int Count => Starts.Length - 1;

    public int ColumnCount { get; } = columnCount;

    public int[] Starts { get; } = starts;

    public int[] Columns { get; } = columns;

    public float[] Values { get; } = values;

    public long NonZeros => Starts[^1];
}
