using MLIntern.Analysis.Findings;
using MLIntern.Analysis.Text;

namespace MLIntern.Analysis.Notebooks;

/// <summary>A code cell of a notebook: its 1-based position among all the notebook's cells, and its source.</summary>
public sealed record CodeCell(int Index, string Source);

/// <summary>
/// A notebook's code cells, in order, as one Python program — how the rules see a notebook run
/// top to bottom — and the map between the program's positions and the cells'. Each cell's text
/// (IPython syntax masked, see <see cref="IPythonSyntax"/>) starts on a line of its own; a line
/// of the program belongs to exactly one cell, and columns are the cell's columns.
/// </summary>
public sealed class CellProgram
{
    private readonly int[] _starts;

    private CellProgram(string text, IReadOnlyList<Cell> cells)
    {
        Text = text;
        Cells = cells;
        _starts = [.. cells.Select(c => c.StartLine)];
    }

    /// <summary>A cell in the program: its notebook index, its source as written, its first program line, its line count.</summary>
    /// <param name="Text">What the program holds for it: the source with IPython syntax masked (all blank for a cell set aside).</param>
    public sealed record Cell(int Index, string Source, string Text, int StartLine, int LineCount, IReadOnlySet<int> MaskedLines)
    {
        /// <summary>Whether the source ends with a line break, so a position on the line after its last one exists in it.</summary>
        public bool EndsWithNewline => Source.Length > 0 && Source[^1] is '\n' or '\r';
    }

    /// <summary>The program the rules check.</summary>
    public string Text { get; }

    public IReadOnlyList<Cell> Cells { get; }

    /// <param name="setAside">Cells (by notebook index) the program holds as blank lines: ones that do not parse on their own.</param>
    public static CellProgram Build(IEnumerable<CodeCell> codeCells, IReadOnlySet<int>? setAside = null)
    {
        var text = new System.Text.StringBuilder();
        var cells = new List<Cell>();
        var line = 1;
        foreach (var cell in codeCells)
        {
            var (masked, maskedLines) = IPythonSyntax.Mask(cell.Source);
            var lines = new LineMap(masked);

            // A source "a\nb" and "a\nb\n" both hold two lines; an empty cell holds one, empty.
            var count = masked.Length > 0 && masked[^1] is '\n' or '\r' ? lines.LineCount - 1 : lines.LineCount;
            if (setAside?.Contains(cell.Index) == true)
            {
                masked = new string('\n', count);
                lines = new LineMap(masked);
                maskedLines = Enumerable.Range(1, count).ToHashSet();
            }

            cells.Add(new Cell(cell.Index, cell.Source, masked, line, count, maskedLines));
            text.Append(masked);
            if (count == lines.LineCount)
            {
                text.Append('\n');
            }

            line += count;
        }

        return new CellProgram(text.ToString(), cells);
    }

    /// <summary>The cell holding a program line, or null past the program's end.</summary>
    public Cell? CellAt(int line)
    {
        var index = Array.BinarySearch(_starts, line);
        index = index >= 0 ? index : ~index - 1;
        if (index < 0)
        {
            return null;
        }

        var cell = Cells[index];
        return line < cell.StartLine + cell.LineCount ? cell : null;
    }

    public Cell? CellOf(int notebookIndex) => Cells.FirstOrDefault(c => c.Index == notebookIndex);

    private static readonly System.Text.RegularExpressions.Regex LineReference = new(@"\bline (\d+)\b", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>
    /// A message in cell terms: the rules name other lines of the program ("`train_test_split` on
    /// line 12"), which in a notebook are lines of no cell the user sees; each becomes "line 3 of cell 5".
    /// </summary>
    public string InCells(string message) => LineReference.Replace(message, m =>
        int.TryParse(m.Groups[1].ValueSpan, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var line) && CellAt(line) is { } cell
            ? $"line {line - cell.StartLine + 1} of cell {cell.Index}"
            : m.Value);

    /// <summary>A message about a cell checked alone, its line references moved by <paramref name="shift"/> lines into the program's.</summary>
    public static string ShiftLines(string message, int shift) => LineReference.Replace(message, m =>
        int.TryParse(m.Groups[1].ValueSpan, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var line)
            ? $"line {line + shift}"
            : m.Value);

    /// <summary>
    /// A program range in its cell's coordinates. A range that ends just past its cell's last line
    /// (a whole-line range of the last line) ends at the end of that line; one that runs on into the
    /// next cell is clipped to its own cell's end.
    /// </summary>
    public (Cell Cell, SourceRange Range)? ToCell(SourceRange range)
    {
        if (CellAt(range.Line) is not { } cell)
        {
            return null;
        }

        var start = (range.Line - cell.StartLine + 1, range.Column);
        var end = (range.EndLine - cell.StartLine + 1, range.EndColumn);
        if (end.Item1 > cell.LineCount)
        {
            end = EndOf(cell);
        }

        return (cell, new SourceRange(start.Item1, start.Item2, end.Item1, end.Item2));
    }

    /// <summary>
    /// A program edit in its cell's coordinates, or null when it cannot be made in one cell: it
    /// spans two cells, or it touches a masked IPython line (it would rewrite a magic).
    /// </summary>
    public (Cell Cell, TextEdit Edit)? ToCell(TextEdit edit)
    {
        var range = edit.Range;
        if (CellAt(range.Line) is not { } cell)
        {
            // An insertion at the very end of the program goes at the end of the last cell.
            if (Cells.Count > 0 && range.Line == range.EndLine && range.Column == range.EndColumn && range.Line == Cells[^1].StartLine + Cells[^1].LineCount && range.Column == 1)
            {
                var last = Cells[^1];
                return (last, edit with { Range = new SourceRange(last.LineCount + 1, 1, last.LineCount + 1, 1) });
            }

            return null;
        }

        var endLine = range.EndLine - cell.StartLine + 1;
        var endColumn = range.EndColumn;
        if (endLine > cell.LineCount)
        {
            // Only "up to the start of the next line" stays in the cell: the end of its last line.
            if (endLine != cell.LineCount + 1 || endColumn != 1)
            {
                return null;
            }
        }

        var startLine = range.Line - cell.StartLine + 1;
        for (var l = startLine; l <= Math.Min(endLine, cell.LineCount); l++)
        {
            if (cell.MaskedLines.Contains(l))
            {
                return null;
            }
        }

        return (cell, edit with { Range = new SourceRange(startLine, range.Column, endLine, endColumn) });
    }

    /// <summary>
    /// The sources of the cells the edits change, with the edits applied — or null when an edit
    /// cannot be made in one cell. Edits are in program coordinates and must not overlap.
    /// </summary>
    public IReadOnlyDictionary<int, string>? Apply(IEnumerable<TextEdit> edits)
    {
        var byCell = new Dictionary<int, List<TextEdit>>();
        foreach (var edit in edits)
        {
            if (ToCell(edit) is not { } mapped)
            {
                return null;
            }

            if (!byCell.TryGetValue(mapped.Cell.Index, out var list))
            {
                byCell[mapped.Cell.Index] = list = [];
            }

            list.Add(mapped.Edit);
        }

        var result = new Dictionary<int, string>();
        foreach (var (index, list) in byCell)
        {
            var cell = CellOf(index)!;
            result[index] = ApplyInCell(cell, list);
        }

        return result;
    }

    /// <summary>
    /// The same change as edits of each changed cell, in the cell text's own coordinates (an editor
    /// applies them to the cell document as it is): the rule's edits where they fall inside the
    /// cell's text; where one reaches past the end of a cell without a final line break, one edit
    /// of the span between what the old and the new source share at their start and at their end.
    /// Null when an edit cannot be made in one cell.
    /// </summary>
    public IReadOnlyDictionary<int, IReadOnlyList<TextEdit>>? CellEdits(IEnumerable<TextEdit> edits)
    {
        var byCell = new Dictionary<int, List<TextEdit>>();
        foreach (var edit in edits)
        {
            if (ToCell(edit) is not { } mapped)
            {
                return null;
            }

            (byCell.TryGetValue(mapped.Cell.Index, out var list) ? list : byCell[mapped.Cell.Index] = []).Add(mapped.Edit);
        }

        var result = new Dictionary<int, IReadOnlyList<TextEdit>>();
        foreach (var (index, list) in byCell)
        {
            var cell = CellOf(index)!;
            if (cell.EndsWithNewline || list.All(e => e.Range.EndLine <= cell.LineCount))
            {
                result[index] = list;
                continue;
            }

            var before = cell.Source;
            var after = ApplyInCell(cell, list);
            var prefix = 0;
            while (prefix < before.Length && prefix < after.Length && before[prefix] == after[prefix])
            {
                prefix++;
            }

            var suffix = 0;
            while (suffix < before.Length - prefix && suffix < after.Length - prefix && before[^(suffix + 1)] == after[^(suffix + 1)])
            {
                suffix++;
            }

            var lines = new LineMap(before);
            var (line, column) = lines.Position(prefix);
            var (endLine, endColumn) = lines.Position(before.Length - suffix);
            result[index] = [new TextEdit(new SourceRange(line, column, endLine, endColumn), after[prefix..^suffix])];
        }

        return result;
    }

    /// <summary>
    /// Edits applied to a cell's own source. A cell without a final line break gets one only when
    /// an edit inserts past its last line (an import added to a one-line cell).
    /// </summary>
    private static string ApplyInCell(Cell cell, List<TextEdit> edits)
    {
        var source = cell.Source;
        var pastEnd = edits.Any(e => e.Range.EndLine > cell.LineCount);
        if (pastEnd && !cell.EndsWithNewline)
        {
            var applied = Edits.Apply(source + "\n", edits);
            return applied.EndsWith('\n') ? applied[..^1] : applied;
        }

        return Edits.Apply(source, edits);
    }

    private static (int, int) EndOf(Cell cell)
    {
        if (cell.EndsWithNewline)
        {
            return (cell.LineCount + 1, 1);
        }

        var lines = new LineMap(cell.Source);
        var lastStart = lines.Offset(cell.LineCount - 1, 0);
        return (cell.LineCount, cell.Source.Length - lastStart + 1);
    }
}
