using System.Text;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Tests;

/// <summary>`mlintern check` on .ipynb files as a user runs it: real process, real files.</summary>
public sealed class NotebookCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mlintern-nb-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>
    /// A notebook with outputs (non-ASCII text, an image), metadata and an ensure_ascii escape in an
    /// untouched cell; cell 3 (after a markdown cell and a magic) holds the renamed argument twice.
    /// </summary>
    private const string Notebook = """
        {
         "cells": [
          {
           "cell_type": "markdown",
           "id": "a1",
           "metadata": {"jp-MarkdownHeadingCollapsed": true},
           "source": ["# Fine-tuning ✓"]
          },
          {
           "cell_type": "code",
           "execution_count": 1,
           "id": "b2",
           "metadata": {"scrolled": true, "tags": ["parameters"]},
           "outputs": [
            {"name": "stdout", "output_type": "stream", "text": ["Successfully installed transformers — ünïcode\n"]}
           ],
           "source": [
            "%pip install transformers\n",
            "from transformers import TrainingArguments"
           ]
          },
          {
           "cell_type": "code",
           "execution_count": 2,
           "id": "c3",
           "metadata": {},
           "outputs": [
            {
             "data": {
              "image/png": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==\n",
              "text/plain": ["<Figure size 640x480 with 1 Axes>"]
             },
             "metadata": {"needs_background": "light"},
             "output_type": "display_data"
            }
           ],
           "source": [
            "label = \"caf\u00e9\"\n",
            "a = TrainingArguments(output_dir=\"out\", evaluation_strategy=\"epoch\")\n",
            "b = TrainingArguments(\n",
            "    output_dir=\"out\",\n",
            "    evaluation_strategy=\"no\")"
           ]
          }
         ],
         "metadata": {
          "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
          "language_info": {"codemirror_mode": {"name": "ipython", "version": 3}, "name": "python", "version": "3.11.4"}
         },
         "nbformat": 4,
         "nbformat_minor": 5
        }

        """;

    private const string FixedCell3 = "label = \"café\"\na = TrainingArguments(output_dir=\"out\", eval_strategy=\"epoch\")\nb = TrainingArguments(\n    output_dir=\"out\",\n    eval_strategy=\"no\")";

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, Encoding.UTF8.GetBytes(text));
        return path;
    }

    [Fact]
    public void Check_prints_cell_relative_positions_in_every_format()
    {
        Write("nb.ipynb", Notebook);
        var text = CliTests.Run(_dir, "check", "nb.ipynb");
        Assert.Equal(1, text.Code);
        Assert.Contains("nb.ipynb:cell 3:2:41: MLI501 [*] ", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("nb.ipynb:cell 3:5:5: MLI501 [*] ", text.Stdout, StringComparison.Ordinal);

        var json = JArray.Parse(CliTests.Run(_dir, "check", "nb.ipynb", "--format", "json").Stdout);
        Assert.Equal(2, json.Count(f => (string?)f["code"] == "MLI501"));
        var first = json.First(f => (string?)f["code"] == "MLI501");
        Assert.Equal((3, 2, 41), ((int)first["cell"]!, (int)first["line"]!, (int)first["column"]!));
        Assert.Equal(3, (int)first.SelectToken("fix.edits[0].cell")!);

        // The edit is the cell's smallest change (it keeps the shared "eval" and "_strategy"): applied to the cell it renames the argument.
        var edit = (JObject)first.SelectToken("fix.edits[0]")!;
        var range = new MLIntern.Findings.SourceRange((int)edit["line"]!, (int)edit["column"]!, (int)edit["end_line"]!, (int)edit["end_column"]!);
        var cell3 = MLIntern.Server.Notebooks.NotebookFile.Parse(Encoding.UTF8.GetBytes(Notebook)).Cells[2].Source;
        Assert.Equal(
            cell3.Replace("evaluation_strategy=\"epoch\"", "eval_strategy=\"epoch\"", StringComparison.Ordinal),
            MLIntern.Analysis.Findings.Edits.Apply(cell3, [new MLIntern.Findings.TextEdit(range, (string)edit["content"]!)]));

        // SARIF: the region is where the line is written in the .ipynb; the cell position is in the properties.
        var sarif = JObject.Parse(CliTests.Run(_dir, "check", "nb.ipynb", "--format", "sarif").Stdout);
        var result = sarif.SelectTokens("runs[0].results[*]").First(r => (string?)r["ruleId"] == "MLI501");
        var jsonLine = Array.FindIndex(Notebook.Split('\n'), l => l.Contains("evaluation_strategy=\\\"epoch", StringComparison.Ordinal)) + 1;
        Assert.Equal(jsonLine, (int)result.SelectToken("locations[0].physicalLocation.region.startLine")!);
        var column = (int)result.SelectToken("locations[0].physicalLocation.region.startColumn")!;
        Assert.StartsWith("evaluation_strategy", Notebook.Split('\n')[jsonLine - 1][(column - 1)..], StringComparison.Ordinal);
        Assert.Equal((3, 2, 41), ((int)result.SelectToken("properties.cell")!, (int)result.SelectToken("properties.cellLine")!, (int)result.SelectToken("properties.cellColumn")!));
    }

    [Fact]
    public void Fix_rewrites_only_the_fixed_cells_source()
    {
        var path = Write("nb.ipynb", Notebook);
        var before = File.ReadAllBytes(path);
        var (code, stdout, stderr) = CliTests.Run(_dir, "check", "nb.ipynb", "--fix");
        Assert.Equal(0, code);
        Assert.Contains("Fixed 2 problems.", stderr, StringComparison.Ordinal);
        Assert.Contains("All checks passed!", stdout, StringComparison.Ordinal);
        var after = File.ReadAllBytes(path);
        NotebookJson.AssertOnlySourcesChanged(before, after, new Dictionary<int, string> { [3] = FixedCell3 });

        // The untouched first line of the cell keeps its escape; the fixed ones are written as the list was.
        var text = Encoding.UTF8.GetString(after);
        Assert.Contains("    \"label = \\\"caf\\u00e9\\\"\\n\",\n    \"a = TrainingArguments(output_dir=\\\"out\\\", eval_strategy=\\\"epoch\\\")\\n\",\n", text, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_dir, "*.mlintern-tmp"));
    }

    [Fact]
    public void Diff_prints_each_changed_cell_and_writes_nothing()
    {
        var path = Write("nb.ipynb", Notebook);
        var before = File.ReadAllBytes(path);
        var (code, stdout, _) = CliTests.Run(_dir, "check", "nb.ipynb", "--diff");
        Assert.Equal(1, code);
        Assert.Contains("--- nb.ipynb:cell 3\n+++ nb.ipynb:cell 3\n", stdout.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("-a = TrainingArguments(output_dir=\"out\", evaluation_strategy=\"epoch\")", stdout, StringComparison.Ordinal);
        Assert.Contains("+a = TrainingArguments(output_dir=\"out\", eval_strategy=\"epoch\")", stdout, StringComparison.Ordinal);
        Assert.Contains("+    eval_strategy=\"no\")", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("cell 2", stdout, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void A_notebook_that_cannot_be_read_is_one_MLI000_naming_the_JSON_line_and_exits_1()
    {
        Write("bad.ipynb", "{\n \"cells\": [\n  {\"cell_type\": \"code\", \"source\": [\"x = 1\"], \"metadata\": {}, \"outputs\": []},\n  {\"cell_type\": \"code\",}\n ],\n \"nbformat\": 4\n}\n");
        Write("old.ipynb", "{\n \"metadata\": {},\n \"nbformat\": 3,\n \"nbformat_minor\": 0,\n \"worksheets\": []\n}\n");

        var text = CliTests.Run(_dir, "check", "bad.ipynb");
        Assert.Equal(1, text.Code);
        Assert.Contains("bad.ipynb:4:", text.Stdout, StringComparison.Ordinal);
        Assert.Contains(" MLI000 Not a notebook that can be read: not valid JSON", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("(JSON line 4, column", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("Found 1 problem.", text.Stdout, StringComparison.Ordinal);

        var json = CliTests.Run(_dir, "check", "old.ipynb", "--format", "json");
        Assert.Equal(1, json.Code);
        var finding = (JObject)Assert.Single(JArray.Parse(json.Stdout));
        Assert.Equal(("MLI000", 3, JTokenType.Null), ((string?)finding["code"], (int)finding["line"]!, finding["cell"]!.Type));
        Assert.Contains("nbformat 3", (string?)finding["message"], StringComparison.Ordinal);

        // A folder check reports each, and --fix leaves them alone.
        var folder = CliTests.Run(_dir, "check", ".", "--fix");
        Assert.Equal(1, folder.Code);
        Assert.Contains("Found 2 problems.", folder.Stdout, StringComparison.Ordinal);
    }
}
