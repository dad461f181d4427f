using System.Text;
using MLIntern.Findings;
using MLIntern.Data.Checks;
using MLIntern.Data.Reading;

namespace MLIntern.Data.Tests;

public sealed class MalformedFileTests
{
    private static IReadOnlyList<Finding> Check(string text, DataFormat format) => Check(Encoding.UTF8.GetBytes(text), format);

    private static IReadOnlyList<Finding> Check(byte[] bytes, DataFormat format) => MalformedFile.Check(new MemoryStream(bytes), format);

    [Fact]
    public void Ragged_row_is_reported_on_its_line()
    {
        var finding = Assert.Single(Check("text,label\na,x\nb,c,y\nd,z\n", DataFormat.Csv));
        Assert.Equal("MLD012", finding.Code);
        Assert.Equal(3, finding.Range.Line);
        Assert.Contains("3 fields, the header has 2", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Short_row_is_reported_too()
    {
        var finding = Assert.Single(Check("a,b,c\n1,2,3\n4,5\n", DataFormat.Csv));
        Assert.Equal(3, finding.Range.Line);
        Assert.Contains("2 fields", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Quoted_fields_with_delimiters_quotes_and_newlines_are_one_record()
    {
        const string csv = "text,label\n\"a, b\",x\n\"she said \"\"hi\"\"\",y\n\"two\nlines, here\",z\nlast,w\n";
        Assert.Empty(Check(csv, DataFormat.Csv));
    }

    [Fact]
    public void A_ragged_record_after_a_multiline_field_is_counted_by_physical_line()
    {
        var finding = Assert.Single(Check("t,l\n\"x\ny\",1\nbad,1,2\n", DataFormat.Csv));
        Assert.Equal(4, finding.Range.Line);
    }

    [Fact]
    public void Crlf_cr_bom_and_blank_lines_are_fine()
    {
        Assert.Empty(Check("\uFEFFtext,label\r\na,x\r\n\r\nb,y\r\n", DataFormat.Csv));
        Assert.Empty(Check("text,label\ra,x\rb,y", DataFormat.Csv));
    }

    [Fact]
    public void Invalid_utf8_names_line_and_column()
    {
        var bytes = Encoding.UTF8.GetBytes("text,label\nok,x\ncaf").Concat(new byte[] { 0xE9 }).Concat(Encoding.UTF8.GetBytes(",y\n")).ToArray();
        var finding = Assert.Single(Check(bytes, DataFormat.Csv));
        Assert.Equal(3, finding.Range.Line);
        Assert.Equal(4, finding.Range.Column);
        Assert.Contains("invalid UTF-8", finding.Message, StringComparison.Ordinal);
        Assert.Contains("0xE9", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unclosed_quote_is_reported_where_it_opens()
    {
        var findings = Check("text,label\n\"never closed,x\nb,y\n", DataFormat.Csv);
        var finding = Assert.Single(findings);
        Assert.Equal(2, finding.Range.Line);
        Assert.Contains("never closed", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tsv_uses_tabs_and_csv_sniffs_semicolons()
    {
        Assert.Equal(3, Assert.Single(Check("text\tlabel\na, b\tx\nc\td\te\n", DataFormat.Tsv)).Range.Line);
        Assert.Equal(3, Assert.Single(Check("text;label\na, b;x\nc;d;e\n", DataFormat.Csv)).Range.Line);
    }

    [Fact]
    public void Json_lines_errors_name_the_line()
    {
        const string jsonl = "{\"text\": \"a\", \"label\": 1}\n\n{\"text\": \"b\", \"label\": }\n[1, 2]\n{\"a\": 1} {\"b\": 2}\n{\"ok\": true}\n";
        var findings = Check(jsonl, DataFormat.JsonLines);
        Assert.Equal([3, 4, 5], findings.Select(f => f.Range.Line));
        Assert.StartsWith("invalid JSON", findings[0].Message, StringComparison.Ordinal);
        Assert.Contains("not an object", findings[1].Message, StringComparison.Ordinal);
        Assert.Contains("more than one JSON value", findings[2].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Findings_are_capped_and_the_rest_is_counted()
    {
        var text = new StringBuilder("a,b\n");
        for (var i = 0; i < 150; i++)
        {
            text.Append("1,2,3\n");
        }

        var findings = Check(text.ToString(), DataFormat.Csv);
        Assert.Equal(MalformedFile.MaxFindings + 1, findings.Count);
        Assert.Contains("50 more", findings[^1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lines_longer_than_a_read_buffer_are_read_whole()
    {
        var longField = new string('x', 200_000);
        Assert.Empty(Check($"text,label\n{longField},a\nshort,b\n", DataFormat.Csv));
        Assert.Equal(3, Assert.Single(Check($"text,label\n{longField},a\n{longField},b,c\n", DataFormat.Csv)).Range.Line);
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        var random = new Random(12);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[random.Next(0, 400)];
            random.NextBytes(bytes);
            foreach (var format in Enum.GetValues<DataFormat>())
            {
                foreach (var finding in Check(bytes, format))
                {
                    Assert.True(finding.Range.Line >= 1 && finding.Range.Column >= 1);
                }
            }
        }
    }
}
