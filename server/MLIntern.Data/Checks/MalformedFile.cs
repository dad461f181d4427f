using MLIntern.Findings;
using MLIntern.Data.Profiling;
using MLIntern.Data.Reading;

namespace MLIntern.Data.Checks;

/// <summary>
/// MLD012: a data file that cannot be read as what it claims to be — a CSV/TSV row with the wrong
/// number of fields, bytes that are not UTF-8, a JSON Lines line that is not a JSON object.
/// One streaming pass over the bytes, memory bounded by the longest line.
/// </summary>
public static class MalformedFile
{
    public static readonly RuleInfo Rule = new(
        "MLD012",
        "malformed-data-file",
        Severity.Error,
        "Malformed data file: ragged rows, invalid UTF-8, broken JSON",
        """
        ## What it does
        Reads a CSV, TSV, JSON Lines, JSON or Parquet file the way a loader would and reports every place it
        cannot be read: a row with more or fewer fields than the header, bytes that are not
        valid UTF-8 (or NUL bytes, the mark of a binary or UTF-16 file), a JSON Lines line that
        is not a single JSON object, a quoted field that never closes, a record longer than 8 MB,
        a truncated JSON array or Parquet file. Each finding names the line (for Parquet, the
        file). Malformed records are left out of the profile and of the other checks.

        ## Why is this bad?
        Loaders disagree about what to do with such a file. pandas stops with a parser error,
        `datasets` fails while generating the split, and some readers silently drop or shift
        the row — so the model trains on columns that no longer mean what they say.

        ## Example
        ```csv
        instruction,category,intent
        cancel my order {{Order Number}},ORDER,cancel_order
        where is my refund, please,REFUND,track_refund
        ```
        The third line has four fields: the comma in the text is not quoted.

        ## Use instead
        ```csv
        instruction,category,intent
        cancel my order {{Order Number}},ORDER,cancel_order
        "where is my refund, please",REFUND,track_refund
        ```

        ## Fix safety
        No automatic fix: which comma was meant to be data is a judgement only a human can make.

        ## Error without the fix
        ```
        pandas.errors.ParserError: Error tokenizing data. C error: Expected 3 fields in line 3, saw 4
        ```
        """);

    /// <summary>Findings past this many are summarised in one last finding instead of listed.</summary>
    public const int MaxFindings = 100;

    /// <summary>Reads the whole file and returns its MLD012 findings; the profiler gets the same ones as part of its pass.</summary>
    public static IReadOnlyList<Finding> Check(Stream stream, DataFormat format)
    {
        var sink = new MalformedSink();
        using (var reader = RecordReaders.Open(format, stream, sink))
        {
            var record = new Record();
            while (reader.Read(record))
            {
            }
        }

        return sink.Finish();
    }

    /// <summary>Reports the malformed records the readers found during the pass, each at its line.</summary>
    internal sealed class Checker(DataPass pass) : IDataCheck
    {
        public CheckResult Finish()
        {
            var malformed = pass.Malformed;
            return new CheckResult(Rule.Code, Rule.Name, Rule.DefaultSeverity, malformed.Count, false,
                $"{malformed.Count:N0} malformed record(s) were left out", malformed.Count > 0 ? malformed[0].Path : null, [])
            { FileFindings = malformed };
        }
    }
}
