using System.Text;
using MLIntern.Data.Checks;
using MLIntern.Data.Profiling;
using MLIntern.Data.Reading;
using Parquet;
using Parquet.Schema;
using static MLIntern.Data.Tests.Profiles;
using Record = MLIntern.Data.Reading.Record;

namespace MLIntern.Data.Tests;

/// <summary>The readers agree on the same data in every format, and report malformed files with the line.</summary>
public sealed class ReaderTests
{
    private static readonly (string Text, string Label)[] Rows =
    [
        ("where is my order", "track"),
        ("cancel it, \"now\"", "cancel"),
        ("two\nlines", "track"),
        ("café ünïcode", "other"),
    ];

    public static byte[] ParquetBytes(IReadOnlyList<(string Text, string Label)> rows, int? truncateTo = null)
    {
        var text = new DataField<string>("text");
        var label = new DataField<string>("label");
        var count = new DataField<int>("n");
        using var stream = new MemoryStream();
        var writer = ParquetWriter.CreateAsync(new ParquetSchema(text, label, count), stream).GetAwaiter().GetResult();
        using (var group = writer.CreateRowGroup())
        {
            group.WriteAsync(text, rows.Select(r => r.Text).ToArray()).GetAwaiter().GetResult();
            group.WriteAsync(label, rows.Select(r => r.Label).ToArray()).GetAwaiter().GetResult();
            group.WriteAsync(count, (ReadOnlyMemory<int>)Enumerable.Range(0, rows.Count).ToArray()).GetAwaiter().GetResult();
        }

        writer.DisposeAsync().AsTask().GetAwaiter().GetResult();

        var bytes = stream.ToArray();
        return truncateTo is { } n ? bytes[..n] : bytes;
    }

    private static string Json(string s) => System.Text.Json.JsonSerializer.Serialize(s);

    public static IEnumerable<object[]> Formats()
    {
        var csv = Csv(Rows);
        var tsv = "text\tlabel\n" + string.Concat(Rows.Select(r => $"\"{r.Text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"\t{r.Label}\n"));
        var jsonl = string.Concat(Rows.Select(r => $"{{\"text\": {Json(r.Text)}, \"label\": {Json(r.Label)}}}\n"));
        var array = "[\n" + string.Join(",\n", Rows.Select(r => $"  {{\"text\": {Json(r.Text)},\n   \"label\": {Json(r.Label)}}}")) + "\n]\n";
        yield return ["d.csv", Encoding.UTF8.GetBytes(csv)];
        yield return ["d.tsv", Encoding.UTF8.GetBytes(tsv)];
        yield return ["d.jsonl", Encoding.UTF8.GetBytes(jsonl)];
        yield return ["d.json", Encoding.UTF8.GetBytes(jsonl)];
        yield return ["d.json", Encoding.UTF8.GetBytes(array)];
        yield return ["d.parquet", ParquetBytes(Rows)];
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Every_format_reads_the_same_records(string path, byte[] bytes)
    {
        var sink = new MalformedSink();
        using var reader = RecordReaders.Open(DataFormats.FromFileName(path)!.Value, new MemoryStream(bytes), sink);
        var record = new Record();
        var texts = new List<string>();
        while (reader.Read(record))
        {
            texts.Add(record.Text(0) + "|" + record.Text(1));
        }

        Assert.Empty(sink.Finish());
        Assert.Equal(Rows.Select(r => r.Text + "|" + r.Label), texts);
        Assert.Equal("text", reader.Columns[0]);
    }

    [Theory]
    [InlineData("\"plain quoted\",a", "plain quoted")]
    [InlineData("\"with \"\"quotes\"\" inside\",a", "with \"quotes\" inside")]
    [InlineData("\"stray\" after,a", "stray after")]
    [InlineData("\"\",a", "")]
    [InlineData("\"a,b\nc\",a", "a,b\nc")]
    [InlineData("unquoted,a", "unquoted")]
    public void Csv_quoted_fields_read_as_their_content(string row, string expected)
    {
        foreach (var newline in new[] { "\n", "\r\n" })
        {
            var bytes = Encoding.UTF8.GetBytes("text,label" + newline + row + newline + "next,b" + newline);
            using var reader = RecordReaders.Open(DataFormat.Csv, new MemoryStream(bytes), new MalformedSink());
            var record = new Record();
            Assert.True(reader.Read(record));
            Assert.Equal(expected, record.Text(0));
            Assert.Equal("a", record.Text(1));
            Assert.True(reader.Read(record));
            Assert.Equal("next", record.Text(0));
        }
    }

    [Fact]
    public void Json_array_records_carry_their_lines()
    {
        var bytes = (byte[])Formats().ElementAt(4)[1];
        using var reader = RecordReaders.Open(DataFormat.Json, new MemoryStream(bytes), new MalformedSink());
        var record = new Record();
        var lines = new List<int>();
        while (reader.Read(record))
        {
            lines.Add(record.Line);
        }

        Assert.Equal([2, 4, 6, 8], lines);
    }

    private static IReadOnlyList<MLIntern.Findings.Finding> Malformed(string path, byte[] bytes) =>
        MalformedFile.Check(new MemoryStream(bytes), DataFormats.FromFileName(path)!.Value);

    [Fact]
    public void A_nul_byte_is_reported_on_its_line()
    {
        var finding = Assert.Single(Malformed("d.csv", Encoding.UTF8.GetBytes("text,label\nok,a\nbad\0byte,b\n")));
        Assert.Equal((3, 4), (finding.Range.Line, finding.Range.Column));
        Assert.Contains("NUL", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ten_megabyte_field_is_reported_and_the_rest_is_read()
    {
        var big = "text,label\nfirst,a\n\"" + new string('x', 10 * 1024 * 1024) + "\",b\nafter,c\n";
        var sink = new MalformedSink();
        using var reader = RecordReaders.Open(DataFormat.Csv, new MemoryStream(Encoding.UTF8.GetBytes(big)), sink);
        var record = new Record();
        var texts = new List<string>();
        while (reader.Read(record))
        {
            texts.Add($"{record.Line}:{record.Text(0)}");
        }

        var finding = Assert.Single(sink.Finish());
        Assert.Equal(3, finding.Range.Line);
        Assert.Contains("longer than 8 MB", finding.Message, StringComparison.Ordinal);
        Assert.Equal(["2:first", "4:after"], texts);
    }

    [Fact]
    public void A_broken_json_line_is_reported_and_skipped()
    {
        var profile = One("d.jsonl", "{\"text\": \"a b c\", \"label\": 1}\n{\"text\": \"oops\n{\"text\": \"d e f\", \"label\": 2}\n");
        Assert.Equal(2, profile.Rows);
        var finding = Assert.Single(profile.FindingsFor("d.jsonl"), f => f.Code == "MLD012");
        Assert.Equal(2, finding.Range.Line);
        Assert.Equal("int", profile.Labels!.ValueType);
    }

    [Fact]
    public void A_truncated_json_array_is_reported()
    {
        var finding = Assert.Single(Malformed("d.json", Encoding.UTF8.GetBytes("[\n{\"text\": \"a\"},\n{\"text\": \"b\"")));
        Assert.Equal(3, finding.Range.Line);
        Assert.Contains("cut short", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_parquet_file_is_reported_not_thrown()
    {
        var bytes = ParquetBytes(Rows);
        var finding = Assert.Single(Malformed("d.parquet", bytes[..(bytes.Length / 2)]));
        Assert.Equal(1, finding.Range.Line);
        Assert.Contains("not a readable Parquet file", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Utf16_files_are_named_as_such()
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("text,label\na,b\n")).ToArray();
        Assert.Contains("UTF-16", Assert.Single(Malformed("d.csv", bytes)).Message, StringComparison.Ordinal);
    }

    /// <summary>Mutations of valid files in every format: flipped bytes, inserted quotes, brackets and newlines, cuts. Nothing may throw.</summary>
    [Fact]
    public void Fuzzing_ten_thousand_mutated_inputs_never_throws()
    {
        var seeds = Formats().Select(f => ((string)f[0], (byte[])f[1])).ToList();
        var specials = "\"\n\r,\t{}[]:\\\0"u8.ToArray().Concat(new byte[] { 0xC3, 0xFF, 0xE2 }).ToArray();
        var random = new Random(20251128);
        var profiled = 0;
        for (var i = 0; i < 10_000; i++)
        {
            var (path, seed) = seeds[i % seeds.Count];
            var bytes = seed.ToList();
            var mutations = 1 + random.Next(6);
            for (var m = 0; m < mutations && bytes.Count > 0; m++)
            {
                var at = random.Next(bytes.Count);
                switch (random.Next(4))
                {
                    case 0:
                        bytes[at] = (byte)random.Next(256);
                        break;
                    case 1:
                        bytes.Insert(at, specials[random.Next(specials.Length)]);
                        break;
                    case 2:
                        bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + random.Next(8)));
                        break;
                    default:
                        bytes.RemoveRange(at, bytes.Count - at);
                        break;
                }
            }

            var input = bytes.ToArray();
            foreach (var finding in Malformed(path, input))
            {
                Assert.True(finding.Range.Line >= 1 && finding.Range.Column >= 1, $"{path} #{i}: {finding}");
            }

            if (i % 5 == 0)
            {
                var profile = DatasetProfiler.Profile([new DataSplit("all", [File(path, input)])], new DataCheckOptions { NearDuplicates = i % 10 == 0 });
                Assert.True(profile.Rows >= 0);
                profiled++;
            }
        }

        Assert.Equal(2000, profiled);
    }
}
