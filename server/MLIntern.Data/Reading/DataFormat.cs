namespace MLIntern.Data.Reading;

/// <summary>The data file formats ML Intern reads.</summary>
public enum DataFormat
{
    Csv,
    Tsv,
    JsonLines,

    /// <summary>A <c>.json</c> file: an array of objects, or JSON Lines under a .json name (as <c>datasets</c> writes them).</summary>
    Json,
    Parquet,
}

public static class DataFormats
{
    /// <summary>The format a file name implies, or null when ML Intern does not read it as data.</summary>
    public static DataFormat? FromFileName(string fileName)
    {
        var ext = Path.GetExtension(fileName).ToLowerInvariant();
        return ext switch
        {
            ".csv" => DataFormat.Csv,
            ".tsv" or ".tab" => DataFormat.Tsv,
            ".jsonl" or ".ndjson" => DataFormat.JsonLines,
            ".json" => DataFormat.Json,
            ".parquet" => DataFormat.Parquet,
            _ => null,
        };
    }
}
