using System.Text;
using MLIntern.Server.Notebooks;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Tests;

/// <summary>
/// Reading .ipynb files (and saying on which JSON line one cannot be read), and rewriting cells'
/// sources so that every other byte of the file stays as the writer left it.
/// </summary>
public sealed class NotebookFileTests
{
    /// <summary>As Jupyter saves: indent 1, keys sorted, UTF-8, a final newline; outputs with non-ASCII text and an image; an empty source list; a source written as one string.</summary>
    private const string Jupyter = """
        {
         "cells": [
          {
           "cell_type": "markdown",
           "metadata": {},
           "source": [
            "# Café training\n",
            "Notes"
           ]
          },
          {
           "cell_type": "code",
           "execution_count": 1,
           "metadata": {
            "tags": ["setup"]
           },
           "outputs": [
            {
             "name": "stdout",
             "output_type": "stream",
             "text": [
              "naïve → ok ✓ 😀\n"
             ]
            }
           ],
           "source": [
            "import pandas as pd\n",
            "df = pd.read_csv(\"reviews.csv\")  # café 😀\n",
            "df.head()"
           ]
          },
          {
           "cell_type": "code",
           "execution_count": 2,
           "metadata": {},
           "outputs": [
            {
             "data": {
              "image/png": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==\n",
              "text/plain": [
               "<Figure size 640x480 with 1 Axes>"
              ]
             },
             "metadata": {},
             "output_type": "display_data"
            }
           ],
           "source": []
          },
          {
           "cell_type": "code",
           "execution_count": null,
           "metadata": {},
           "outputs": [],
           "source": "x = 1\ny = 2"
          }
         ],
         "metadata": {
          "kernelspec": {
           "display_name": "Python 3",
           "language": "python",
           "name": "python3"
          },
          "language_info": {"name": "python", "version": "3.11.4"}
         },
         "nbformat": 4,
         "nbformat_minor": 5
        }

        """;

    /// <summary>Another writer: indent 2, CRLF, no final newline, keys in no order, non-ASCII escaped (ensure_ascii), `\/` spelled, an inline list.</summary>
    private static readonly string Escaped = string.Join("\r\n",
        "{",
        "  \"nbformat_minor\": 4,",
        "  \"nbformat\": 4,",
        "  \"cells\": [",
        "    {",
        "      \"source\": [",
        "        \"s = \\\"caf\\u00e9\\\"\\n\",",
        "        \"t = 'a\\/b'\\n\",",
        "        \"u = 1\"",
        "      ],",
        "      \"outputs\": [{\"output_type\": \"stream\", \"name\": \"stdout\", \"text\": [\"caf\\u00e9 \\u2713\\n\"]}],",
        "      \"cell_type\": \"code\",",
        "      \"metadata\": {\"collapsed\": false, \"when\": \"2024-01-02T03:04:05Z\", \"ratio\": 1.50},",
        "      \"execution_count\": 3",
        "    },",
        "    {\"metadata\": {}, \"cell_type\": \"code\", \"source\": [\"a = 1\\n\", \"b = 2\"], \"outputs\": [], \"execution_count\": null},",
        "    {",
        "      \"cell_type\": \"code\",",
        "      \"source\": [],",
        "      \"metadata\": {},",
        "      \"outputs\": []",
        "    }",
        "  ],",
        "  \"metadata\": {\"kernelspec\": {\"name\": \"python3\", \"language\": \"python\"}}",
        "}");

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Rewrite(string notebook, Dictionary<int, string> sources)
    {
        var before = Bytes(notebook);
        var after = NotebookFile.Parse(before).WithSources(sources);
        NotebookJson.AssertOnlySourcesChanged(before, after, sources);
        return after;
    }

    [Fact]
    public void Cells_are_read_with_their_kind_source_and_position()
    {
        var file = NotebookFile.Parse(Bytes(Jupyter));
        Assert.Equal(new[] { "markdown", "code", "code", "code" }, file.Cells.Select(c => c.Kind));
        Assert.Equal(new[] { 1, 2, 3, 4 }, file.Cells.Select(c => c.Index));
        Assert.Equal("import pandas as pd\ndf = pd.read_csv(\"reviews.csv\")  # café 😀\ndf.head()", file.Cells[1].Source);
        Assert.Equal("", file.Cells[2].Source);
        Assert.Equal("x = 1\ny = 2", file.Cells[3].Source);
        Assert.Equal(new[] { 2, 3, 4 }, file.CodeCells.Select(c => c.Index));
        Assert.True(file.IsPython);

        // The second line of cell 2 is written on JSON line 28; its column 18 (the quote before reviews.csv) is written `\"`.
        var lines = Jupyter.Split('\n');
        var (line, column) = file.PositionOf(2, 2, 18);
        Assert.Equal(28, line);
        Assert.StartsWith("\\\"reviews.csv", lines[line - 1][(column - 1)..], StringComparison.Ordinal);

        // Past the emoji (two UTF-16 units, four bytes): the column in the file counts it the same way.
        var afterEmoji = file.PositionOf(2, 2, 43);
        Assert.Equal(28, afterEmoji.Line);
        Assert.StartsWith("\\n\"", lines[27][(afterEmoji.Column - 1)..], StringComparison.Ordinal);

        var escaped = NotebookFile.Parse(Bytes(Escaped));
        Assert.Equal("s = \"café\"\nt = 'a/b'\nu = 1", escaped.Cells[0].Source);
        Assert.Equal(7, escaped.PositionOf(1, 1, 10).Line);
        Assert.Equal(8, escaped.PositionOf(1, 2, 1).Line);
    }

    [Fact]
    public void A_kernel_that_is_not_Python_is_known()
    {
        var r = Jupyter.Replace("\"language\": \"python\"", "\"language\": \"R\"").Replace("{\"name\": \"python\",", "{\"name\": \"R\",");
        Assert.False(NotebookFile.Parse(Bytes(r)).IsPython);
        var check = NotebookChecks.Check(Bytes(r), null, null, null);
        Assert.Empty(check.Findings);
    }

    public static TheoryData<string, string, int> Malformed() => new()
    {
        // Bad JSON: a trailing comma on line 4.
        { "{\n \"cells\": [\n  {\"cell_type\": \"code\", \"source\": [\"x = 1\"], \"metadata\": {}, \"outputs\": []},\n  {\"cell_type\": \"code\",}\n ],\n \"nbformat\": 4\n}\n", "not valid JSON", 4 },
        { "{\n \"cells\": [\n", "not valid JSON", 3 },
        { "", "not valid JSON", 1 },
        { "[1, 2]\n", "a notebook is a JSON object", 1 },
        { "{\n \"metadata\": {},\n \"nbformat\": 4,\n \"nbformat_minor\": 5\n}\n", "no \"cells\"", 1 },
        { "{\n \"cells\": [],\n \"metadata\": {}\n}\n", "no \"nbformat\"", 1 },
        { "{\n \"metadata\": {},\n \"nbformat\": 3,\n \"nbformat_minor\": 0,\n \"worksheets\": []\n}\n", "nbformat 3", 3 },
        { "{\n \"cells\": [\n  {\n   \"cell_type\": \"code\",\n   \"source\": 42\n  }\n ],\n \"nbformat\": 4\n}\n", "cell 1's \"source\" is neither a string nor a list", 5 },
        { "{\n \"cells\": [\n  {\"cell_type\": \"code\", \"source\": [\"x\"]},\n  {\n   \"cell_type\": \"code\",\n   \"source\": [\n    \"x\",\n    7\n   ]\n  }\n ],\n \"nbformat\": 4\n}\n", "cell 2's \"source\" holds something other than strings", 8 },
        { "{\n \"nbformat\": 4,\n \"cells\": [\n  {\"cell_type\": \"code\", \"source\": []},\n  {\n   \"metadata\": {},\n   \"source\": []\n  }\n ]\n}\n", "cell 2 has no \"cell_type\"", 5 },
        { "{\n \"nbformat\": 4,\n \"cells\": [\n  {\n   \"cell_type\": \"markdown\"\n  }\n ]\n}\n", "cell 1 has no \"source\"", 4 },
        { "{\n \"nbformat\": 4,\n \"cells\": {}\n}\n", "\"cells\" is not a list", 3 },
        { "{\n \"nbformat\": 4,\n \"cells\": [\n  \"code\"\n ]\n}\n", "cell 1 is not an object", 4 },
        { "{\n \"nbformat\": \"4\",\n \"cells\": []\n}\n", "\"nbformat\" is not a number", 2 },
        { "{\"nbformat\": 4, \"cells\": []}\n{}\n", "after", 2 },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_notebook_that_cannot_be_read_says_why_and_on_which_JSON_line(string json, string why, int line)
    {
        var e = Assert.Throws<NotebookFormatException>(() => NotebookFile.Parse(Bytes(json)));
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
        Assert.Equal(line, e.Line);
        Assert.True(e.Column >= 1);

        // Checking it is one MLI000 finding at that line, naming it.
        var check = NotebookChecks.Check(Bytes(json), null, null, null);
        Assert.Null(check.Program);
        var finding = Assert.Single(check.Findings);
        Assert.Equal("MLI000", finding.Code);
        Assert.Equal(line, finding.Range.Line);
        Assert.Contains($"(JSON line {line}, column {e.Column})", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_notebook_with_bytes_that_are_not_UTF8_says_so()
    {
        var bytes = Bytes("{\n \"nbformat\": 4,\n \"cells\": [\n  {\"cell_type\": \"code\", \"source\": [\"x = 'caf?'\"]}\n ]\n}\n");
        bytes[Array.IndexOf(bytes, (byte)'?')] = 0xE9;
        var e = Assert.Throws<NotebookFormatException>(() => NotebookFile.Parse(bytes));
        Assert.Contains("UTF-8", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(4, e.Line);
    }

    [Fact]
    public void Rewriting_list_sources_keeps_every_other_byte_and_the_spelling_of_unchanged_lines()
    {
        var after = Rewrite(Jupyter, new()
        {
            [2] = "import numpy as np\nimport pandas as pd\ndf = pd.read_csv(\"reviews.csv\")  # café 😀\ndf.head()",
            [3] = "print('é')\nx",
        });
        var text = Encoding.UTF8.GetString(after);

        // Laid out as the list was: one element a line, at its indentation; UTF-8 as the file writes it.
        Assert.Contains("   \"source\": [\n    \"import numpy as np\\n\",\n    \"import pandas as pd\\n\",\n    \"df = pd.read_csv(\\\"reviews.csv\\\")  # café 😀\\n\",\n    \"df.head()\"\n   ]\n", text, StringComparison.Ordinal);

        // The empty list becomes one laid out as nbformat does, one level deeper than its key.
        Assert.Contains("   \"source\": [\n    \"print('é')\\n\",\n    \"x\"\n   ]\n", text, StringComparison.Ordinal);
        Assert.EndsWith("}\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Rewriting_a_string_source_keeps_it_a_string()
    {
        var after = Rewrite(Jupyter, new() { [4] = "x = 1\ny = 3\n" });
        Assert.Contains("   \"source\": \"x = 1\\ny = 3\\n\"\n", Encoding.UTF8.GetString(after), StringComparison.Ordinal);
    }

    [Fact]
    public void Rewriting_a_source_to_nothing_writes_an_empty_list()
    {
        var after = Rewrite(Jupyter, new() { [2] = "" });
        Assert.Contains("   \"source\": []\n  },\n  {\n   \"cell_type\": \"code\",\n   \"execution_count\": 2,", Encoding.UTF8.GetString(after), StringComparison.Ordinal);
    }

    [Fact]
    public void Rewriting_an_escaped_CRLF_notebook_keeps_its_escapes_line_ends_and_missing_final_newline()
    {
        var after = Rewrite(Escaped, new()
        {
            [1] = "s = \"café\"\nt = 'a/b'\nu = 2\nv = 'é\u007f'",
            [2] = "a = 1\nb = 3",
            [3] = "import os\n",
        });
        var text = Encoding.UTF8.GetString(after);

        // Unchanged lines as they were spelled (\u00e9, \/); new ones escaped as ensure_ascii does, CRLF between elements.
        Assert.Contains("      \"source\": [\r\n        \"s = \\\"caf\\u00e9\\\"\\n\",\r\n        \"t = 'a\\/b'\\n\",\r\n        \"u = 2\\n\",\r\n        \"v = '\\u00e9\\u007f'\"\r\n      ],\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\"source\": [\"a = 1\\n\", \"b = 3\"]", text, StringComparison.Ordinal);
        Assert.Contains("      \"source\": [\r\n        \"import os\\n\"\r\n      ],\r\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("é", text, StringComparison.Ordinal);
        Assert.EndsWith("}", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_source_that_is_given_back_unchanged_changes_no_byte()
    {
        var before = Bytes(Escaped);
        var file = NotebookFile.Parse(before);
        Assert.Equal(before, file.WithSources(file.Cells.ToDictionary(c => c.Index, c => c.Source)));
    }

    [Fact]
    public void A_byte_order_mark_is_kept()
    {
        var before = (byte[])[.. "\uFEFF"u8.ToArray(), .. Bytes(Jupyter)];
        var sources = new Dictionary<int, string> { [4] = "z = 0" };
        var after = NotebookFile.Parse(before).WithSources(sources);
        Assert.Equal(before.AsSpan(0, 3).ToArray(), after.AsSpan(0, 3).ToArray());
        Assert.Equal("z = 0", NotebookFile.Parse(after).Cells[3].Source);
        NotebookJson.AssertOnlySourcesChanged(before, after, sources);
    }

    [Fact]
    public void A_notebook_written_by_the_test_writer_reads_back_as_its_cells()
    {
        var cells = new[] { new NotebookJson.Cell("markdown", "# t\n"), new NotebookJson.Cell("code", "import os\nx = 1"), new NotebookJson.Cell("code", "") };
        var file = NotebookFile.Parse(Bytes(NotebookJson.Write(cells, JArray.Parse("[{\"output_type\": \"stream\", \"name\": \"stdout\", \"text\": [\"é\\n\"]}]"))));
        Assert.Equal(cells.Select(c => (c.Kind, c.Source)), file.Cells.Select(c => (c.Kind, c.Source)));
    }
}
