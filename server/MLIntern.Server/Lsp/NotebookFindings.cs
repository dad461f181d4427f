using MLIntern.Analysis.Findings;
using MLIntern.Analysis.Notebooks;
using MLIntern.Server.Lsp.Protocol;

namespace MLIntern.Server.Lsp;

/// <summary>
/// The findings of one notebook version: in the coordinates of its code cells as one program,
/// mapped to a cell where a cell's diagnostics, quick fixes or fix-all ask. A fix becomes one
/// versioned edit per cell it changes (an added import lands in the first code cell).
/// </summary>
internal sealed class NotebookFindings(OpenNotebook notebook, CellProgram program, IReadOnlyList<Finding> findings)
{
    public OpenNotebook Notebook { get; } = notebook;

    public CellProgram Program { get; } = program;

    /// <summary>In program coordinates.</summary>
    public IReadOnlyList<Finding> Findings { get; } = findings;

    /// <summary>
    /// The findings shown on one cell (by 1-based index): each as found, and in the cell's
    /// coordinates with its fix kept only when every edit of it stays in that cell.
    /// </summary>
    public IEnumerable<(Finding Found, Finding InCell)> InCell(int index)
    {
        foreach (var finding in Findings)
        {
            if (Program.ToCell(finding.Range) is not { } mapped || mapped.Cell.Index != index)
            {
                continue;
            }

            Fix? fix = null;
            if (finding.Fix is { } f && Program.CellEdits(f.Edits) is { Count: > 0 } edits && edits.Keys.All(k => k == index))
            {
                fix = f with { Edits = edits[index] };
            }

            yield return (finding, finding with { Range = mapped.Range, Message = Program.InCells(finding.Message), Fix = fix });
        }
    }

    /// <summary>Program edits as a workspace edit of the cells they change, each naming its cell's version; null when they cannot be made in cells.</summary>
    public WorkspaceEdit? ToWorkspaceEdit(IEnumerable<MLIntern.Findings.TextEdit> edits, bool versioned, PositionEncoding encoding)
    {
        if (Program.CellEdits(edits) is not { Count: > 0 } byCell)
        {
            return null;
        }

        var documents = byCell.OrderBy(e => e.Key)
            .Select(e => (Notebook.Cells[e.Key - 1].Document, Edits: e.Value.Select(x => new Protocol.TextEdit { Range = Convert.ToRange(x.Range, Notebook.Cells[e.Key - 1].Document.Positions(encoding)), NewText = x.NewText }).ToList()))
            .ToList();
        return versioned
            ? new WorkspaceEdit
            {
                DocumentChanges = [.. documents.Select(d => new TextDocumentEdit
                {
                    TextDocument = new OptionalVersionedTextDocumentIdentifier { Uri = d.Document.Uri, Version = d.Document.Version },
                    Edits = d.Edits,
                })],
            }
            : new WorkspaceEdit { Changes = documents.ToDictionary(d => d.Document.Uri, d => d.Edits) };
    }

    /// <summary>The safe fixes of the findings on one cell (all cells when <paramref name="index"/> is 0) that can be applied together, as program edits.</summary>
    public List<MLIntern.Findings.TextEdit> SafeEdits(int index)
    {
        var candidates = Findings.Where(f =>
            f.Fix is { } fix && Program.CellEdits(fix.Edits) is not null &&
            (index == 0 || Program.ToCell(f.Range)?.Cell.Index == index));
        return [.. Edits.Select(candidates, Applicability.Safe).SelectMany(f => f.Edits)];
    }
}
