namespace MLIntern.Data.Reading;

public static class RecordReaders
{
    /// <summary>The reader for a format over a stream the caller owns; problems go to the sink.</summary>
    public static IRecordReader Open(DataFormat format, Stream stream, MalformedSink sink) => format switch
    {
        DataFormat.Csv => new CsvRecordReader(stream, sink, null),
        DataFormat.Tsv => new CsvRecordReader(stream, sink, '\t'),
        DataFormat.JsonLines => new JsonLinesRecordReader(stream, sink),
        DataFormat.Json => JsonArrayRecordReader.Open(stream, sink),
        DataFormat.Parquet => new ParquetRecordReader(stream, sink),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };
}
