using MLIntern.Analysis.Notebooks;

namespace MLIntern.Analysis.Tests;

/// <summary>
/// IPython syntax masked so the parser reads the rest of a cell: each form masked, Python that
/// only looks like a magic left alone, and every line keeping its number and (when not masked) its text.
/// </summary>
public sealed class IPythonSyntaxTests
{
    private static string[] Lines(string text) => text.Split('\n');

    /// <summary>Masks and checks what every mask must keep: the line count, the line ends, and the text of lines not masked.</summary>
    private static (string Text, IReadOnlySet<int> Masked) MaskKeepingLines(string source)
    {
        var (text, masked) = IPythonSyntax.Mask(source);
        var before = Lines(source);
        var after = Lines(text);
        Assert.Equal(before.Length, after.Length);
        for (var i = 0; i < before.Length; i++)
        {
            if (!masked.Contains(i + 1))
            {
                Assert.Equal(before[i], after[i]);
            }
        }

        Assert.All(masked, l => Assert.InRange(l, 1, before.Length));
        return (text, masked);
    }

    [Theory]
    [InlineData("%pip install torch", "pass")]
    [InlineData("!ls -la data/", "pass")]
    [InlineData("!!ls", "pass")]
    [InlineData("%matplotlib inline", "pass")]
    [InlineData("model?", "pass")]
    [InlineData("np.linalg.norm??", "pass")]
    [InlineData("??model", "pass")]
    [InlineData("np.*load*?", "pass")]
    [InlineData("files = !ls *.csv", "files = ...")]
    [InlineData("out = %timeit -o f()", "out = ...")]
    [InlineData("a, b = !echo 1 2", "a, b = ...")]
    public void A_line_of_IPython_syntax_becomes_a_statement_of_its_own(string line, string expected)
    {
        var (text, masked) = MaskKeepingLines($"import numpy as np\n{line}\nx = 1\n");
        Assert.Equal($"import numpy as np\n{expected}\nx = 1\n", text);
        Assert.Equal(new HashSet<int> { 2 }, masked);
    }

    [Fact]
    public void An_indented_magic_keeps_its_indentation_so_the_block_stays_valid()
    {
        var (text, masked) = MaskKeepingLines("for i in range(3):\n    %time f(i)\n    y = !echo hi\n");
        Assert.Equal("for i in range(3):\n    pass\n    y = ...\n", text);
        Assert.Equal(new HashSet<int> { 2, 3 }, masked);
    }

    [Theory]
    [InlineData("pip install -q transformers datasets\n")]
    [InlineData("cd data")]
    [InlineData("ls -la data/\n")]
    [InlineData("matplotlib inline")]
    public void A_one_line_cell_may_call_a_line_magic_without_its_percent(string cell)
    {
        var (text, masked) = MaskKeepingLines(cell);
        Assert.Equal("pass" + (cell.EndsWith('\n') ? "\n" : ""), text);
        Assert.Equal(new HashSet<int> { 1 }, masked);
    }

    [Theory]
    [InlineData("pip = 3\n")]
    [InlineData("time - start\n")]
    [InlineData("history = trainer.train()\n")]
    [InlineData("run, other = 1, 2\n")]
    [InlineData("import torch\npip install torch\n")]
    [InlineData("pipeline install x\n")]
    [InlineData("cd /content/data\n")]
    public void Automagic_is_one_line_cells_only_and_never_valid_Python(string cell)
    {
        var (text, masked) = MaskKeepingLines(cell);
        Assert.Equal(cell, text);
        Assert.Empty(masked);
    }

    [Theory]
    [InlineData("x = 10 % 3")]
    [InlineData("print('%d' % 3)")]
    [InlineData("if a != b:\n    pass")]
    [InlineData("y = x == !z")]
    [InlineData("# %pip install torch")]
    [InlineData("# what is this?")]
    [InlineData("s = 'why?'")]
    [InlineData("print(x)  # why?")]
    [InlineData("flag = a >= b")]
    public void Python_that_only_looks_like_IPython_is_left_alone(string code)
    {
        var source = code + "\n";
        var (text, masked) = MaskKeepingLines(source);
        Assert.Equal(source, text);
        Assert.Empty(masked);
    }

    [Theory]
    [InlineData("text = \"\"\"\n%pip install torch\n!ls\nmodel?\n\"\"\"\n")]
    [InlineData("text = '''first\n%matplotlib inline\n'''\n")]
    [InlineData("f(\n    1,\n    %s\n)\n")]
    [InlineData("rows = [\n    !x,\n]\n")]
    [InlineData("d = {\n  'a': 1,\n%b\n}\n")]
    [InlineData("x = 1 + \\\n%2\n")]
    [InlineData("t = \"\"\"a \\\"\"\" still inside\n%pip\n\"\"\"\n")]
    public void A_magic_character_inside_a_string_or_an_open_bracket_is_not_masked(string source)
    {
        var (text, masked) = MaskKeepingLines(source);
        Assert.Equal(source, text);
        Assert.Empty(masked);
    }

    [Fact]
    public void A_magic_after_a_closed_string_or_bracket_is_masked_again()
    {
        var source = "s = \"\"\"\n%not\n\"\"\"\nf(\n  1)\n%pip install x\nt = '('\n!ls\n";
        var (text, masked) = MaskKeepingLines(source);
        Assert.Equal(new HashSet<int> { 6, 8 }, masked);
        Assert.Equal("s = \"\"\"\n%not\n\"\"\"\nf(\n  1)\npass\nt = '('\npass\n", text);
    }

    [Fact]
    public void A_magic_continued_with_a_backslash_is_masked_to_its_last_line()
    {
        var source = "%pip install torch \\\n    transformers \\\n    datasets\nimport torch\n";
        var (text, masked) = MaskKeepingLines(source);
        Assert.Equal(new HashSet<int> { 1, 2, 3 }, masked);
        Assert.Equal("pass\n\n\nimport torch\n", text);
    }

    [Theory]
    [InlineData("%%time")]
    [InlineData("%%timeit -n 3")]
    [InlineData("%%capture out")]
    public void A_cell_magic_that_runs_python_masks_only_its_first_line(string magic)
    {
        var source = $"{magic}\nimport torch\nmodel = torch.nn.Linear(2, 2)\n%pip install x\n";
        var (text, masked) = MaskKeepingLines(source);
        Assert.Equal("\nimport torch\nmodel = torch.nn.Linear(2, 2)\npass\n", text);
        Assert.Equal(new HashSet<int> { 1, 4 }, masked);
    }

    [Theory]
    [InlineData("%%bash")]
    [InlineData("%%writefile train.py")]
    [InlineData("%%html")]
    [InlineData("%%sql")]
    public void A_cell_magic_of_another_language_masks_the_whole_cell(string magic)
    {
        var source = $"{magic}\nimport torch\nfor f in *.csv; do echo $f; done\nx = (\n";
        var (text, masked) = MaskKeepingLines(source);
        Assert.Equal("\n\n\n\n", text);
        Assert.Equal(new HashSet<int> { 1, 2, 3, 4 }, masked);
    }

    [Fact]
    public void Line_ends_are_kept_as_written_and_a_missing_final_newline_stays_missing()
    {
        var (crlf, _) = IPythonSyntax.Mask("import os\r\n%pip install x\r\nx = 1");
        Assert.Equal("import os\r\npass\r\nx = 1", crlf);
        var (cr, _) = IPythonSyntax.Mask("!ls\rx = 1\r");
        Assert.Equal("pass\rx = 1\r", cr);
        var (bash, lines) = IPythonSyntax.Mask("%%bash\r\nls\r\necho");
        Assert.Equal("\r\n\r\n", bash);
        Assert.Equal(new HashSet<int> { 1, 2, 3 }, lines);
    }

    [Theory]
    [InlineData("")]
    [InlineData("x = 1\n")]
    [InlineData("\n\n")]
    [InlineData("   ")]
    public void A_cell_without_IPython_syntax_is_returned_as_it_is(string source)
    {
        var (text, masked) = IPythonSyntax.Mask(source);
        Assert.Same(source, text);
        Assert.Empty(masked);
    }
}
