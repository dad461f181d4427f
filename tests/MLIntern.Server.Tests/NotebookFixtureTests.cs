using System.Text;
using System.Text.RegularExpressions;
using MLIntern.Analysis.Findings;
using MLIntern.Python.Parsing;
using MLIntern.Python.Syntax;
using MLIntern.Python.Text;
using MLIntern.Server.Engine;
using MLIntern.Server.Notebooks;

namespace MLIntern.Server.Tests;

/// <summary>
/// The same bugs are found in a notebook as in the same code as a script: every rule fixture
/// (tests/MLIntern.Analysis.Tests/Fixtures/MLI*.py) is turned into a notebook — split into code
/// cells at the blank lines between top-level statements (the blank lines dropped), a markdown
/// cell before each, sources as nbformat's lists of lines — checked beside copies of the
/// fixture's data, and compared with the script's findings, cell-relative, and its safe fixes.
/// </summary>
public sealed partial class NotebookFixtureTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mlintern-nb-fixtures-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Fixtures
    {
        get
        {
            var dir = AppContext.BaseDirectory;
            while (!File.Exists(Path.Combine(dir, "MLIntern.sln")))
            {
                dir = Path.GetDirectoryName(dir) ?? throw new InvalidOperationException("repository root not found");
            }

            return Path.Combine(dir, "tests", "MLIntern.Analysis.Tests", "Fixtures");
        }
    }

    public static TheoryData<string> FixtureNames() => [.. Directory.GetFiles(Fixtures, "MLI*.py").Select(p => Path.GetFileNameWithoutExtension(p)!).Order(StringComparer.Ordinal)];

    /// <summary>A code cell made of the script's lines <see cref="First"/>..<see cref="Last"/> (1-based), at notebook position <see cref="Index"/>.</summary>
    private sealed record Chunk(int Index, int First, int Last, string Source);

    /// <summary>
    /// The script's code cells: runs of lines between the blank lines that separate top-level
    /// statements (a blank line inside a statement, a string or a bracket is no boundary).
    /// </summary>
    private static List<Chunk> Split(string script)
    {
        var source = SourceText.From(script);
        var tree = Parser.Parse(source).Tree;
        int Line(int offset) => source.GetLineColumn(offset).Line;
        var covered = new HashSet<int>();
        foreach (var statement in tree.Body)
        {
            var decorators = statement switch
            {
                FunctionDef f => f.DecoratorList,
                ClassDef c => c.DecoratorList,
                _ => [],
            };
            var first = Line(decorators.Select(d => d.Start).Append(statement.Start).Min());
            var last = Line(Math.Max(statement.Start, statement.End - 1));
            for (var l = first; l <= last; l++)
            {
                covered.Add(l);
            }
        }

        var lines = script.Split('\n');
        var count = script.EndsWith('\n') ? lines.Length - 1 : lines.Length;
        bool Boundary(int line) => lines[line - 1].Trim().Length == 0 && !covered.Contains(line);

        var chunks = new List<Chunk>();
        var start = 0;
        for (var line = 1; line <= count + 1; line++)
        {
            if (line == count + 1 || Boundary(line))
            {
                if (start > 0)
                {
                    chunks.Add(new Chunk(2 * (chunks.Count + 1), start, line - 1, string.Join("\n", lines[(start - 1)..(line - 1)])));
                    start = 0;
                }
            }
            else if (start == 0)
            {
                start = line;
            }
        }

        return chunks;
    }

    private static string Notebook(List<Chunk> chunks) =>
        NotebookJson.Write(chunks.SelectMany(c => new[] { new NotebookJson.Cell("markdown", $"## Part {c.Index / 2}\n\nWhat the next cell does."), new NotebookJson.Cell("code", c.Source) }));

    /// <summary>The script again from cells' (new) sources: each chunk's lines replaced, the blank lines between kept.</summary>
    private static string Join(string script, List<Chunk> chunks, IReadOnlyDictionary<int, string> sources)
    {
        var lines = script.Split('\n');
        var result = new StringBuilder();
        var next = 1;
        foreach (var chunk in chunks)
        {
            for (; next < chunk.First; next++)
            {
                result.Append(lines[next - 1]).Append('\n');
            }

            result.Append(sources[chunk.Index]).Append('\n');
            next = chunk.Last + 1;
        }

        for (; next <= lines.Length; next++)
        {
            result.Append(lines[next - 1]);
            if (next < lines.Length)
            {
                result.Append('\n');
            }
        }

        return result.ToString();
    }

    [GeneratedRegex(@"\bline (\d+)\b")]
    private static partial Regex LineReference();

    /// <summary>A script finding as it should read in the notebook: its line in its cell, and the lines its message names in cell terms.</summary>
    private static (string Code, string Message, int Cell, int Line, int Column) Expected(Finding f, List<Chunk> chunks)
    {
        Chunk Of(int line) => chunks.Single(c => c.First <= line && line <= c.Last);
        var message = LineReference().Replace(f.Message, m => Of(int.Parse(m.Groups[1].Value)) is var c ? $"line {int.Parse(m.Groups[1].Value) - c.First + 1} of cell {c.Index}" : m.Value);
        var chunk = Of(f.Range.Line);
        return (f.Code, message, chunk.Index, f.Range.Line - chunk.First + 1, f.Range.Column);
    }

    private (string Script, List<Chunk> Chunks, IReadOnlyList<Finding> ScriptFindings, NotebookCheck Notebook, byte[] Bytes) CheckBoth(string name)
    {
        var fixture = Path.Combine(Fixtures, name + ".py");
        var script = File.ReadAllText(fixture);
        var chunks = Split(script);
        Assert.True(chunks.Count >= 2, $"{name} splits into {chunks.Count} cell(s)");
        foreach (var data in Directory.GetFiles(Fixtures).Where(f => !f.EndsWith(".py", StringComparison.Ordinal)))
        {
            File.Copy(data, Path.Combine(_dir, Path.GetFileName(data)), overwrite: true);
        }

        var notebookPath = Path.Combine(_dir, name + ".ipynb");
        var bytes = Encoding.UTF8.GetBytes(Notebook(chunks));
        File.WriteAllBytes(notebookPath, bytes);
        var scriptFindings = FileChecks.CheckScript(script, fixture);
        var notebook = NotebookChecks.Check(bytes, notebookPath, null, null);
        Assert.NotNull(notebook.Program);
        Assert.Equal(chunks.Select(c => c.Index), notebook.Program.Cells.Select(c => c.Index));
        return (script, chunks, scriptFindings, notebook, bytes);
    }

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void A_fixture_as_a_notebook_has_the_same_findings_at_the_same_cell_lines(string name)
    {
        var (_, chunks, scriptFindings, notebook, _) = CheckBoth(name);
        Assert.NotEmpty(scriptFindings);

        // One difference by design: a cell that does not parse alone (Jupyter would not run it) has
        // only its syntax errors; the script's parser recovers and the rules go on reading it.
        var broken = chunks.Where(c => Parser.Parse(c.Source).Errors.Count > 0).Select(c => c.Index).ToHashSet();
        Assert.Equal(name == "MLI000", broken.Count > 0);
        var expected = scriptFindings.Select(f => Expected(f, chunks)).Where(f => f.Code == "MLI000" || !broken.Contains(f.Cell)).Order().ToList();
        var actual = notebook.Findings.Select(f =>
        {
            var cell = notebook.ToCell(f);
            Assert.True(cell is not null, $"{f.Code} at program line {f.Range.Line} is in no cell");
            return (cell.Finding.Code, cell.Finding.Message, cell.Cell, cell.Finding.Range.Line, cell.Finding.Range.Column);
        }).Order().ToList();
        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void Each_safe_fix_made_in_the_notebook_gives_the_code_it_gives_the_script(string name)
    {
        var (script, chunks, scriptFindings, notebook, bytes) = CheckBoth(name);
        var file = NotebookFile.Parse(bytes);
        var original = chunks.ToDictionary(c => c.Index, c => c.Source);
        Assert.Equal(script, Join(script, chunks, original));
        var unmatched = notebook.Findings.Where(f => f.Fix is { Applicability: Applicability.Safe }).ToList();
        foreach (var finding in scriptFindings.Where(f => f.Fix is { Applicability: Applicability.Safe }))
        {
            var expected = Expected(finding, chunks);
            var counterpart = unmatched.FirstOrDefault(f => notebook.ToCell(f) is { } c && (c.Finding.Code, c.Finding.Message, c.Cell, c.Finding.Range.Line, c.Finding.Range.Column) == expected);
            Assert.True(counterpart is not null, $"no notebook finding with a safe fix for {finding.Code} at line {finding.Range.Line}");
            unmatched.Remove(counterpart);
            Assert.Equal(finding.Fix!.Title, counterpart.Fix!.Title);

            var sources = notebook.Program!.Apply(counterpart.Fix.Edits);
            Assert.True(sources is not null, $"fix '{finding.Fix.Title}' of {finding.Code} at line {finding.Range.Line} cannot be made in cells");
            var rewritten = file.WithSources(sources);
            NotebookJson.AssertOnlySourcesChanged(bytes, rewritten, sources);
            var cells = NotebookFile.Parse(rewritten).CodeCells.ToDictionary(c => c.Index, c => c.Source);
            Assert.Equal(Edits.Apply(script, finding.Fix.Edits), Join(script, chunks, cells));
        }

        Assert.Empty(unmatched);
    }
}
