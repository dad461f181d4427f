namespace MLIntern.Data.Reading;

/// <summary>The data file formats ML Intern reads.</summary>
public enum DataFormat
{
    Csv,
    Tsv,
    JsonLines,
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
            _ => null,
        };
    }
}
