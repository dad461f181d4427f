using MLIntern.Analysis.Findings;
using MLIntern.Analysis.Notebooks;

namespace MLIntern.Analysis.Tests;

/// <summary>
/// A notebook's code cells as one program, and positions and edits mapped between the program
/// and the cells. Cell numbers are positions among all cells, so a markdown cell leaves a gap.
/// </summary>
public sealed class CellProgramTests
{
    /// <summary>Cells 1, 3, 4, 6 and 7 are code (2 and 5 are markdown): with and without final newlines, an empty one, CRLF.</summary>
    private static readonly CodeCell[] Cells =
    [
        new(1, "import torch\nimport numpy as np\n"),
        new(3, "x = torch.zeros(3)\ny = x + 1"),
        new(4, ""),
        new(6, "def f(a):\r\n    return a\r\n"),
        new(7, "print(f(y))"),
    ];

    [Fact]
    public void The_program_is_the_cells_in_order_each_starting_on_a_line_of_its_own()
    {
        var program = CellProgram.Build(Cells);
        Assert.Equal("import torch\nimport numpy as np\nx = torch.zeros(3)\ny = x + 1\n\ndef f(a):\r\n    return a\r\nprint(f(y))\n", program.Text);
        Assert.Equal(new[] { (1, 1, 2), (3, 3, 2), (4, 5, 1), (6, 6, 2), (7, 8, 1) }, program.Cells.Select(c => (c.Index, c.StartLine, c.LineCount)));
        Assert.Null(program.CellAt(0));
        Assert.Null(program.CellAt(9));
        Assert.Null(program.CellOf(2));
    }

    [Fact]
    public void Every_line_of_every_cell_maps_to_the_cell_and_back()
    {
        var program = CellProgram.Build(Cells);
        var programLines = program.Text.ReplaceLineEndings("\n").Split('\n');
        var line = 1;
        foreach (var code in Cells)
        {
            var cellLines = code.Source.ReplaceLineEndings("\n").Split('\n');
            var count = code.Source.Length > 0 && code.Source[^1] == '\n' ? cellLines.Length - 1 : cellLines.Length;
            for (var l = 1; l <= count; l++, line++)
            {
                var width = cellLines[l - 1].Length;
                Assert.Equal(cellLines[l - 1], programLines[line - 1]);

                // A range on the line (columns kept), and the whole line.
                var inside = program.ToCell(new SourceRange(line, 1, line, width + 1));
                Assert.NotNull(inside);
                Assert.Equal(code.Index, inside.Value.Cell.Index);
                Assert.Equal(new SourceRange(l, 1, l, width + 1), inside.Value.Range);

                var edit = program.ToCell(new TextEdit(new SourceRange(line, 1, line, width + 1), "z"));
                Assert.NotNull(edit);
                Assert.Equal((code.Index, new SourceRange(l, 1, l, width + 1)), (edit.Value.Cell.Index, edit.Value.Edit.Range));

                // Back: the cell's start line plus the cell line gives the program line.
                Assert.Equal(line, inside.Value.Cell.StartLine + l - 1);
                Assert.Same(inside.Value.Cell, program.CellAt(line));
            }
        }

        Assert.Equal(programLines.Length - 1, line - 1);
    }

    [Fact]
    public void A_range_ending_just_past_the_last_line_of_a_cell_ends_at_the_end_of_that_line()
    {
        var program = CellProgram.Build(Cells);

        // Cell 3 ("y = x + 1" is its last line, no final newline): a whole-line range of program line 4.
        var noNewline = program.ToCell(SourceRange.WholeLine(4))!.Value;
        Assert.Equal((3, new SourceRange(2, 1, 2, 10)), (noNewline.Cell.Index, noNewline.Range));

        // Cell 1 ends with a newline: the position after its last line exists in it.
        var withNewline = program.ToCell(SourceRange.WholeLine(2))!.Value;
        Assert.Equal((1, new SourceRange(2, 1, 3, 1)), (withNewline.Cell.Index, withNewline.Range));

        // A range that runs on into the next cells is clipped to its own cell.
        var clipped = program.ToCell(new SourceRange(3, 5, 7, 3))!.Value;
        Assert.Equal((3, new SourceRange(1, 5, 2, 10)), (clipped.Cell.Index, clipped.Range));

        // The empty cell: its only line, whole.
        var empty = program.ToCell(SourceRange.WholeLine(5))!.Value;
        Assert.Equal((4, new SourceRange(1, 1, 1, 1)), (empty.Cell.Index, empty.Range));

        Assert.Null(program.ToCell(SourceRange.WholeLine(9)));
    }

    [Fact]
    public void An_edit_spanning_two_cells_cannot_be_made()
    {
        var program = CellProgram.Build(Cells);
        Assert.Null(program.ToCell(new TextEdit(new SourceRange(2, 5, 3, 2), "")));
        Assert.Null(program.ToCell(new TextEdit(new SourceRange(4, 1, 6, 1), "")));
        Assert.Null(program.Apply([new TextEdit(new SourceRange(1, 1, 1, 1), "import os\n"), new TextEdit(new SourceRange(4, 5, 6, 1), "")]));
        Assert.Null(program.CellEdits([new TextEdit(new SourceRange(7, 1, 8, 2), "")]));

        // Up to the start of the next cell is still in the cell: deleting cell 3's last line.
        var upToNext = program.ToCell(new TextEdit(SourceRange.WholeLine(4), ""))!.Value;
        Assert.Equal((3, new SourceRange(2, 1, 3, 1)), (upToNext.Cell.Index, upToNext.Edit.Range));
        Assert.Equal("x = torch.zeros(3)", program.Apply([new TextEdit(SourceRange.WholeLine(4), "")])![3]);
    }

    [Fact]
    public void An_edit_on_a_masked_line_cannot_be_made()
    {
        var program = CellProgram.Build([new CodeCell(1, "%pip install torch\nimport torch\nfiles = !ls\n"), new CodeCell(2, "%%bash\necho hi\n")]);
        Assert.Equal("pass\nimport torch\nfiles = ...\n\n\n", program.Text);
        Assert.Equal(new HashSet<int> { 1, 3 }, program.Cells[0].MaskedLines);
        Assert.Null(program.ToCell(new TextEdit(new SourceRange(1, 1, 1, 5), "x")));
        Assert.Null(program.ToCell(new TextEdit(new SourceRange(3, 1, 3, 6), "names")));
        Assert.Null(program.ToCell(new TextEdit(new SourceRange(2, 1, 3, 3), "")));
        Assert.Null(program.ToCell(new TextEdit(new SourceRange(5, 1, 5, 1), "import os\n")));
        Assert.Null(program.Apply([new TextEdit(new SourceRange(2, 1, 2, 1), "import os\n"), new TextEdit(new SourceRange(3, 1, 3, 6), "names")]));

        // The line between the magics can be edited.
        Assert.Equal("%pip install torch\nimport torch as t\nfiles = !ls\n", program.Apply([new TextEdit(new SourceRange(2, 13, 2, 13), " as t")])![1]);
    }

    [Fact]
    public void An_import_inserted_into_a_one_line_cell_without_a_final_newline()
    {
        var program = CellProgram.Build([new CodeCell(2, "import torch"), new CodeCell(4, "model = f()")]);

        // Above the line, and below it (the position after the cell's last line is the start of the next cell: it goes there).
        var above = new TextEdit(new SourceRange(1, 1, 1, 1), "import os\n");
        Assert.Equal(new Dictionary<int, string> { [2] = "import os\nimport torch" }, program.Apply([above]));
        // Inside the cell's text the rule's edit is kept as it is, moved to the cell's lines.
        var aboveEdit = Assert.Single(program.CellEdits([above])!);
        Assert.Equal((2, new TextEdit(new SourceRange(1, 1, 1, 1), "import os\n")), (aboveEdit.Key, Assert.Single(aboveEdit.Value)));
        Assert.Equal("import os\nimport torch", Edits.Apply("import torch", aboveEdit.Value));

        // Replacing the line through its end: the cell gets no newline it did not have.
        var replaced = new TextEdit(SourceRange.WholeLine(1), "import torch\nimport os\n");
        Assert.Equal(new Dictionary<int, string> { [2] = "import torch\nimport os" }, program.Apply([replaced]));
        // Past the cell's end it is the span the two sources do not share.
        Assert.Equal(new TextEdit(new SourceRange(1, 13, 1, 13), "\nimport os"), Assert.Single(program.CellEdits([replaced])![2]));

        // Inserting at the end of the line itself.
        var atEnd = new TextEdit(new SourceRange(1, 13, 1, 13), ", os");
        Assert.Equal(new Dictionary<int, string> { [2] = "import torch, os" }, program.Apply([atEnd]));
    }

    [Fact]
    public void An_insertion_at_the_end_of_the_program_goes_at_the_end_of_the_last_cell()
    {
        var noNewline = CellProgram.Build([new CodeCell(1, "x = 1"), new CodeCell(2, "y = 2")]);
        var end = new TextEdit(new SourceRange(3, 1, 3, 1), "print(y)\n");
        Assert.Equal(new Dictionary<int, string> { [2] = "y = 2\nprint(y)" }, noNewline.Apply([end]));
        Assert.Equal(new TextEdit(new SourceRange(1, 6, 1, 6), "\nprint(y)"), Assert.Single(noNewline.CellEdits([end])![2]));

        var newline = CellProgram.Build([new CodeCell(1, "x = 1\n"), new CodeCell(2, "y = 2\n")]);
        Assert.Equal(new Dictionary<int, string> { [2] = "y = 2\nprint(y)\n" }, newline.Apply([end]));
        Assert.Equal(new TextEdit(new SourceRange(2, 1, 2, 1), "print(y)\n"), Assert.Single(newline.CellEdits([end])![2]));

        // Past that point, or not an insertion: nowhere to put it.
        Assert.Null(noNewline.ToCell(new TextEdit(new SourceRange(4, 1, 4, 1), "z")));
        Assert.Null(noNewline.ToCell(new TextEdit(new SourceRange(3, 1, 3, 2), "z")));
    }

    [Fact]
    public void Edits_in_several_cells_give_one_minimal_edit_per_changed_cell()
    {
        var program = CellProgram.Build(Cells);
        var edits = new[]
        {
            new TextEdit(new SourceRange(1, 1, 1, 1), "import os\n"),
            new TextEdit(new SourceRange(4, 5, 4, 6), "x * 2"),
            new TextEdit(new SourceRange(7, 12, 7, 13), "b"),
            new TextEdit(new SourceRange(6, 7, 6, 8), "b"),
        };
        var sources = program.Apply(edits)!;
        Assert.Equal(new[] { 1, 3, 6 }, sources.Keys.Order());
        Assert.Equal("import os\nimport torch\nimport numpy as np\n", sources[1]);
        Assert.Equal("x = torch.zeros(3)\ny = x * 2 + 1", sources[3]);
        Assert.Equal("def f(b):\r\n    return b\r\n", sources[6]);

        // Each rule edit is kept, at its cell's lines; applied to the cell's source they give the new source.
        var cellEdits = program.CellEdits(edits)!;
        Assert.Equal(new[] { 1, 3, 6 }, cellEdits.Keys.Order());
        Assert.Equal(new TextEdit(new SourceRange(2, 5, 2, 6), "x * 2"), Assert.Single(cellEdits[3]));
        Assert.Equal(2, cellEdits[6].Count);
        foreach (var (index, cellEdit) in cellEdits)
        {
            Assert.Equal(sources[index], Edits.Apply(program.CellOf(index)!.Source, cellEdit));
        }
    }

    [Fact]
    public void A_cell_set_aside_is_blank_lines_that_no_edit_reaches()
    {
        var program = CellProgram.Build([new CodeCell(1, "x = (\ny = 2"), new CodeCell(2, "z = 3\n")], new HashSet<int> { 1 });
        Assert.Equal("\n\nz = 3\n", program.Text);
        Assert.Equal((1, 2), (program.Cells[0].StartLine, program.Cells[0].LineCount));
        Assert.Equal("x = (\ny = 2", program.Cells[0].Source);
        Assert.Null(program.ToCell(new TextEdit(new SourceRange(2, 1, 2, 1), "import os\n")));
        Assert.Equal((2, new SourceRange(1, 1, 1, 6)), program.ToCell(new SourceRange(3, 1, 3, 6)) is { } r ? (r.Cell.Index, r.Range) : default);
    }

    [Fact]
    public void Lines_a_message_names_are_named_in_cell_terms()
    {
        var program = CellProgram.Build(Cells);
        Assert.Equal("`f` (line 1 of cell 6) returns only `x`; see line 2 of cell 3 and line 1 of cell 7", program.InCells("`f` (line 6) returns only `x`; see line 4 and line 8"));
        Assert.Equal("outline 3, line 99, lines 4", program.InCells("outline 3, line 99, lines 4"));
        Assert.Equal("after 'if' statement on line 13", CellProgram.ShiftLines("after 'if' statement on line 1", 12));
    }
}
