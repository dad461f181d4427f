using System.Text;
using MLIntern.Server.Notebooks;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Tests;

/// <summary>Notebooks for tests, written as nbformat writes them, and the checks that a rewrite changed only what it should.</summary>
internal static class NotebookJson
{
    /// <summary>A cell for <see cref="Write"/>: its kind and its source as nbformat's list of lines.</summary>
    public sealed record Cell(string Kind, string Source);

    /// <summary>The lines of a source as nbformat stores them: each with its "\n", the last without one.</summary>
    public static JArray SourceLines(string source)
    {
        var lines = new JArray();
        var start = 0;
        for (var i = 0; i < source.Length; i++)
        {
            if (source[i] == '\n')
            {
                lines.Add(source[start..(i + 1)]);
                start = i + 1;
            }
        }

        if (start < source.Length)
        {
            lines.Add(source[start..]);
        }

        return lines;
    }

    /// <summary>An nbformat 4.5 notebook with a Python kernel, indented by one space, keys sorted, as Jupyter saves it.</summary>
    public static string Write(IEnumerable<Cell> cells, JArray? outputs = null)
    {
        var list = new JArray();
        var n = 0;
        foreach (var cell in cells)
        {
            var entry = new JObject { ["cell_type"] = cell.Kind };
            if (cell.Kind == "code")
            {
                entry["execution_count"] = null;
            }

            entry["id"] = $"cell-{++n}";
            entry["metadata"] = new JObject();
            if (cell.Kind == "code")
            {
                entry["outputs"] = outputs?.DeepClone() ?? new JArray();
            }

            entry["source"] = SourceLines(cell.Source);
            list.Add(entry);
        }

        var notebook = new JObject
        {
            ["cells"] = list,
            ["metadata"] = new JObject
            {
                ["kernelspec"] = new JObject { ["display_name"] = "Python 3", ["language"] = "python", ["name"] = "python3" },
                ["language_info"] = new JObject { ["name"] = "python", ["version"] = "3.11.4" },
            },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        var text = new StringWriter { NewLine = "\n" };
        using (var writer = new JsonTextWriter(text) { Formatting = Formatting.Indented, Indentation = 1, IndentChar = ' ' })
        {
            notebook.WriteTo(writer);
        }

        return text + "\n";
    }

    /// <summary>A notebook's JSON as Newtonsoft reads it, nothing reinterpreted (dates stay strings, numbers as written).</summary>
    public static JToken Read(byte[] bytes)
    {
        using var reader = new JsonTextReader(new StringReader(Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF'))) { DateParseHandling = DateParseHandling.None, FloatParseHandling = FloatParseHandling.Decimal };
        return JToken.ReadFrom(reader);
    }

    /// <summary>
    /// <paramref name="after"/> is <paramref name="before"/> with only the given cells' sources
    /// rewritten: the bytes outside those sources' spans are the same, in order; read by another JSON
    /// reader every other token is the same; each changed source reads back as asked, in the style
    /// (list or string) it had.
    /// </summary>
    public static void AssertOnlySourcesChanged(byte[] before, byte[] after, IReadOnlyDictionary<int, string> sources)
    {
        var old = NotebookFile.Parse(before);
        var updated = NotebookFile.Parse(after);
        Assert.Equal(old.Cells.Count, updated.Cells.Count);
        var changed = old.Cells.Where(c => sources.TryGetValue(c.Index, out var s) && s != c.Source).OrderBy(c => c.SourceStart).ToList();
        int positionBefore = 0, positionAfter = 0;
        foreach (var cell in changed)
        {
            var kept = before.AsSpan(positionBefore, cell.SourceStart - positionBefore);
            Assert.True(kept.SequenceEqual(after.AsSpan(positionAfter, kept.Length)), $"bytes before cell {cell.Index}'s source changed");
            positionAfter += kept.Length;
            var rewritten = updated.Cells[cell.Index - 1];
            Assert.Equal(positionAfter, rewritten.SourceStart);
            positionAfter = rewritten.SourceEnd;
            positionBefore = cell.SourceEnd;
        }

        Assert.True(before.AsSpan(positionBefore).SequenceEqual(after.AsSpan(positionAfter)), "bytes after the last changed source changed");

        var oldJson = Read(before);
        var newJson = Read(after);
        foreach (var cell in old.Cells)
        {
            var expected = sources.TryGetValue(cell.Index, out var s) ? s : cell.Source;
            var written = newJson["cells"]![cell.Index - 1]!["source"]!;
            Assert.Equal(cell.SourceIsList ? JTokenType.Array : JTokenType.String, written.Type);
            Assert.Equal(expected, written.Type == JTokenType.Array ? string.Concat(written.Values<string>()) : (string?)written);
            Assert.Equal(expected, updated.Cells[cell.Index - 1].Source);
            if (written.Type == JTokenType.Array && changed.Contains(cell))
            {
                // nbformat's lines: each ends with its "\n", except maybe the last.
                Assert.True(JToken.DeepEquals(SourceLines(expected), written), $"cell {cell.Index}'s source is not split into lines: {written}");
            }

            oldJson["cells"]![cell.Index - 1]!["source"] = null;
            newJson["cells"]![cell.Index - 1]!["source"] = null;
        }

        Assert.True(JToken.DeepEquals(oldJson, newJson), "a token outside the changed sources differs");
    }
}
