using MLIntern.Analysis.Findings;
using MLIntern.Analysis.Notebooks;
using MLIntern.Analysis.Rules;
using MLIntern.Analysis.Rules.Syntax;
using MLIntern.Python.Parsing;
using MLIntern.Python.Text;
using MLIntern.Server.Engine;

namespace MLIntern.Server.Notebooks;

/// <summary>
/// A notebook's findings: in <see cref="CellProgram"/> coordinates (the code cells as one program),
/// mapped to cells where they are shown. <see cref="Program"/> is null when the file is not a
/// notebook that can be read; then <see cref="Findings"/> holds the one finding saying why, at the
/// JSON line of the problem.
/// </summary>
internal sealed record NotebookCheck(NotebookFile? File, CellProgram? Program, IReadOnlyList<Finding> Findings)
{
    /// <summary>A finding in the coordinates of its cell (the lines its message names too), and its fix as one edit per cell it changes (null when it cannot be made in cells).</summary>
    public CellFinding? ToCell(Finding finding)
    {
        if (Program?.ToCell(finding.Range) is not { } mapped)
        {
            return null;
        }

        var edits = finding.Fix is { } fix ? Program.CellEdits(fix.Edits) : null;
        var ordered = edits?.OrderBy(e => e.Key).SelectMany(e => e.Value.Select(edit => (Cell: e.Key, Edit: edit))).ToList();
        var cellFix = finding.Fix is { } f && ordered is { Count: > 0 }
            ? new Fix(f.Title, f.Applicability, [.. ordered.Select(e => e.Edit)])
            : null;
        return new CellFinding(
            mapped.Cell.Index,
            finding with { Range = mapped.Range, Message = Program.InCells(finding.Message), Fix = cellFix },
            cellFix is null ? [] : [.. ordered!.Select(e => e.Cell)]);
    }
}

/// <summary>A finding in its cell's coordinates; <see cref="EditCells"/>[i] is the cell of its fix's i-th edit.</summary>
internal sealed record CellFinding(int Cell, Finding Finding, IReadOnlyList<int> EditCells);

internal static class NotebookChecks
{
    /// <summary>The program of a notebook's code cells, or null when the bytes are not a Python notebook.</summary>
    public static string? ProgramText(byte[] bytes)
    {
        try
        {
            var file = NotebookFile.Parse(bytes);
            return file.IsPython ? CellProgram.Build(file.CodeCells).Text : null;
        }
        catch (NotebookFormatException)
        {
            return null;
        }
    }

    /// <summary>Checks a notebook file's bytes; a notebook that cannot be read is one MLI000 finding naming the JSON line.</summary>
    public static NotebookCheck Check(byte[] bytes, string? path, RuleSelection? selection, ScriptChecker.RuleFailure? onFailure)
    {
        NotebookFile file;
        try
        {
            file = NotebookFile.Parse(bytes);
        }
        catch (NotebookFormatException e)
        {
            var range = new SourceRange(e.Line, e.Column, e.Line, e.Column + 1);
            return new NotebookCheck(null, null, [new Finding(InvalidSyntax.Rule.Code, Severity.Error, $"Not a notebook that can be read: {e.Message} (JSON line {e.Line}, column {e.Column})", range)]);
        }

        if (!file.IsPython)
        {
            // An R or Julia kernel's cells are not Python: nothing here to check.
            return new NotebookCheck(file, CellProgram.Build([]), []);
        }

        var (program, findings) = Check(file.CodeCells, path, selection, onFailure);
        return new NotebookCheck(file, program, findings);
    }

    /// <summary>
    /// Checks code cells as one program, run top to bottom. A cell that does not parse on its own
    /// (Jupyter would refuse to run it) gets its syntax errors and is set aside as blank lines, so
    /// an unclosed bracket in one cell does not swallow the cells after it.
    /// </summary>
    public static (CellProgram Program, IReadOnlyList<Finding> Findings) Check(IEnumerable<CodeCell> cells, string? path, RuleSelection? selection, ScriptChecker.RuleFailure? onFailure)
    {
        var list = cells.ToList();
        var program = CellProgram.Build(list);
        var parse = Parser.Parse(SourceText.From(program.Text));
        var syntax = new List<Finding>();
        if (parse.Errors.Count > 0)
        {
            var setAside = new HashSet<int>();
            foreach (var cell in program.Cells)
            {
                var alone = ScriptChecker.Check(cell.Text, enabled: new HashSet<string> { InvalidSyntax.Rule.Code });
                if (alone.Count > 0)
                {
                    setAside.Add(cell.Index);
                    var shift = cell.StartLine - 1;
                    syntax.AddRange(alone.Select(f => f with
                    {
                        Range = new SourceRange(f.Range.Line + shift, f.Range.Column, f.Range.EndLine + shift, f.Range.EndColumn),

                        // "expected an indented block after 'if' statement on line 1" names the cell's line: the program's, like every other finding.
                        Message = CellProgram.ShiftLines(f.Message, shift),
                    }));
                }
            }

            if (setAside.Count > 0)
            {
                program = CellProgram.Build(list, setAside);
            }
        }

        var findings = FileChecks.CheckScript(SourceText.From(program.Text), path, selection, onFailure, [.. program.Cells.Select(c => c.StartLine)]);
        IReadOnlyList<Finding> all = syntax.Count == 0 ? findings : [.. syntax.Concat(findings).DistinctBy(f => (f.Code, f.Range)).OrderBy(f => f.Range.Line).ThenBy(f => f.Range.Column)];
        return (program, selection is null ? all : selection.Apply(all));
    }
}
