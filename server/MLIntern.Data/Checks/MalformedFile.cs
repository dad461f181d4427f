using System.Buffers;
using System.Text;
using System.Text.Json;
using MLIntern.Analysis.Findings;
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
        Reads a CSV, TSV or JSON Lines file the way a loader would and reports every place it
        cannot be read: a row with more or fewer fields than the header, bytes that are not
        valid UTF-8, a JSON Lines line that is not a single JSON object, a quoted field that
        never closes. Each finding names the line.

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

    public static IReadOnlyList<Finding> Check(Stream stream, DataFormat format)
    {
        var sink = new Sink();
        using var lines = new LineReader(stream);
        switch (format)
        {
            case DataFormat.Csv:
                CheckDelimited(lines, sink, null);
                break;
            case DataFormat.Tsv:
                CheckDelimited(lines, sink, '\t');
                break;
            case DataFormat.JsonLines:
                CheckJsonLines(lines, sink);
                break;
        }

        return sink.Finish();
    }

    private sealed class Sink
    {
        private readonly List<Finding> _findings = [];
        private int _dropped;

        public void Report(string message, SourceRange range)
        {
            if (_findings.Count < MaxFindings)
            {
                _findings.Add(new Finding(Rule.Code, Rule.DefaultSeverity, message, range));
            }
            else
            {
                _dropped++;
            }
        }

        public IReadOnlyList<Finding> Finish()
        {
            if (_dropped > 0)
            {
                _findings.Add(new Finding(
                    Rule.Code,
                    Rule.DefaultSeverity,
                    $"{_dropped} more malformed line(s) not listed; the first {MaxFindings} are",
                    new SourceRange(1, 1, 1, 1)));
            }

            return _findings;
        }
    }

    /// <summary>
    /// Decodes one line strictly. Invalid bytes are reported at their column and replaced by U+FFFD
    /// so the structural checks still see the rest of the line.
    /// </summary>
    private static string Decode(ReadOnlySpan<byte> line, int lineNumber, bool truncated, Sink sink)
    {
        if (truncated)
        {
            sink.Report($"line is longer than {LineReader.MaxLineBytes / (1024 * 1024)} MB; the rest of it was not read", SourceRange.WholeLine(lineNumber));
        }

        if (System.Text.Unicode.Utf8.IsValid(line))
        {
            return Encoding.UTF8.GetString(line);
        }

        var builder = new StringBuilder(line.Length);
        var reported = false;
        var rest = line;
        while (!rest.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(rest, out var rune, out var consumed);
            if (status != OperationStatus.Done && !reported)
            {
                var column = builder.Length + 1;
                sink.Report(
                    $"invalid UTF-8: byte 0x{rest[0]:X2} at byte {line.Length - rest.Length + 1} of the line; save the file as UTF-8",
                    new SourceRange(lineNumber, column, lineNumber, column + 1));
                reported = true;
            }

            builder.Append(status == OperationStatus.Done ? rune.ToString() : "\uFFFD");
            rest = rest[consumed..];
        }

        return builder.ToString();
    }

    private static void CheckDelimited(LineReader lines, Sink sink, char? delimiter)
    {
        var expected = -1;
        var fields = 1;
        var inQuotes = false;
        var recordLine = 0;
        var quoteLine = 0;
        var quoteColumn = 0;

        while (lines.TryReadLine(out var raw))
        {
            var lineNumber = lines.LineNumber;
            if (lineNumber == 1 && raw.StartsWith("\uFEFF"u8))
            {
                raw = raw[3..];
            }

            var text = Decode(raw, lineNumber, lines.Truncated, sink);
            if (!inQuotes)
            {
                if (text.Length == 0)
                {
                    // Blank lines are skipped by every common reader; they are not rows.
                    continue;
                }

                recordLine = lineNumber;
                fields = 1;
                delimiter ??= Sniff(text);
            }

            var atFieldStart = !inQuotes;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (inQuotes)
                {
                    if (c == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            i++;
                        }
                        else
                        {
                            inQuotes = false;
                        }
                    }
                }
                else if (c == delimiter)
                {
                    fields++;
                    atFieldStart = true;
                    continue;
                }
                else if (c == '"' && atFieldStart)
                {
                    inQuotes = true;
                    quoteLine = lineNumber;
                    quoteColumn = i + 1;
                }

                atFieldStart = false;
            }

            if (inQuotes)
            {
                // A quoted field goes on to the next physical line: the record is not finished.
                continue;
            }

            if (expected < 0)
            {
                expected = fields;
            }
            else if (fields != expected)
            {
                var where = recordLine == lineNumber ? $"line {recordLine}" : $"the record on lines {recordLine}-{lineNumber}";
                sink.Report(
                    $"{where} has {fields} field{(fields == 1 ? "" : "s")}, the header has {expected}; quote fields that contain '{Printable(delimiter!.Value)}'",
                    new SourceRange(recordLine, 1, lineNumber, text.Length + 1));
            }
        }

        if (inQuotes)
        {
            sink.Report(
                $"the quoted field opened on line {quoteLine} is never closed; everything after it was read as one field",
                new SourceRange(quoteLine, quoteColumn, quoteLine, quoteColumn + 1));
        }
    }

    private static string Printable(char delimiter) => delimiter == '\t' ? "\\t" : delimiter.ToString();

    /// <summary>The delimiter of a CSV header: a comma unless the header has none but has ';', tab or '|'.</summary>
    private static char Sniff(string header)
    {
        if (header.Contains(',', StringComparison.Ordinal))
        {
            return ',';
        }

        foreach (var candidate in ";\t|")
        {
            if (header.Contains(candidate, StringComparison.Ordinal))
            {
                return candidate;
            }
        }

        return ',';
    }

    private static void CheckJsonLines(LineReader lines, Sink sink)
    {
        while (lines.TryReadLine(out var raw))
        {
            var lineNumber = lines.LineNumber;
            if (lineNumber == 1 && raw.StartsWith("\uFEFF"u8))
            {
                raw = raw[3..];
            }

            var text = Decode(raw, lineNumber, lines.Truncated, sink);
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            var bytes = Encoding.UTF8.GetBytes(text);
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow, AllowMultipleValues = true });
            try
            {
                if (!reader.Read())
                {
                    continue;
                }

                var kind = reader.TokenType;
                if (!reader.TrySkip())
                {
                    throw new JsonException("the value is incomplete");
                }

                if (reader.Read())
                {
                    sink.Report(
                        "more than one JSON value on the line; JSON Lines holds exactly one object per line",
                        ColumnRange(text, bytes, (int)reader.TokenStartIndex, lineNumber));
                }
                else if (kind != JsonTokenType.StartObject)
                {
                    sink.Report(
                        $"the line is a JSON {Describe(kind)}, not an object; each line must be one record such as {{\"text\": ..., \"label\": ...}}",
                        new SourceRange(lineNumber, 1, lineNumber, text.Length + 1));
                }
            }
            catch (JsonException e)
            {
                var offset = (int)Math.Min(reader.BytesConsumed, bytes.Length);
                sink.Report($"invalid JSON: {Reason(e)}", ColumnRange(text, bytes, offset, lineNumber));
            }
        }
    }

    private static string Reason(JsonException e)
    {
        // The reader's message ends with its own position; the finding carries ours.
        var message = e.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.', ' ');
    }

    private static SourceRange ColumnRange(string text, byte[] bytes, int byteOffset, int lineNumber)
    {
        var column = Encoding.UTF8.GetCharCount(bytes, 0, Math.Clamp(byteOffset, 0, bytes.Length)) + 1;
        column = Math.Min(column, text.Length + 1);
        return new SourceRange(lineNumber, column, lineNumber, Math.Min(column + 1, text.Length + 1));
    }

    private static string Describe(JsonTokenType kind) => kind switch
    {
        JsonTokenType.StartArray => "array",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        _ => "value",
    };
}
