using MLIntern.Analysis.Text;

namespace MLIntern.Analysis.Findings;

/// <summary>Applying fixes to a text: pure, so the CLI, the server and tests share one implementation.</summary>
public static class Edits
{
    /// <summary>
    /// The fixes to apply together: those at or below <paramref name="allowed"/> in applicability
    /// (safe only, or safe and unsafe), skipping any whose edits overlap one already taken —
    /// the next run picks it up.
    /// </summary>
    public static List<Fix> Select(IEnumerable<Finding> findings, Applicability allowed)
    {
        var taken = new List<Fix>();
        var ranges = new List<SourceRange>();
        foreach (var fix in findings.Select(f => f.Fix).OfType<Fix>())
        {
            if (fix.Applicability > allowed || fix.Applicability == Applicability.DisplayOnly)
            {
                continue;
            }

            if (fix.Edits.Any(e => ranges.Any(r => Overlaps(r, e.Range))))
            {
                continue;
            }

            taken.Add(fix);
            ranges.AddRange(fix.Edits.Select(e => e.Range));
        }

        return taken;
    }

    /// <summary>The text after applying non-overlapping edits whose ranges refer to <paramref name="text"/>.</summary>
    public static string Apply(string text, IEnumerable<TextEdit> edits)
    {
        var lines = new LineMap(text);
        var resolved = edits
            .Select(e => (Start: lines.Offset(e.Range.Line - 1, e.Range.Column - 1), End: lines.Offset(e.Range.EndLine - 1, e.Range.EndColumn - 1), e.NewText))
            .OrderByDescending(e => e.Start)
            .ToList();
        var result = text;
        var limit = int.MaxValue;
        foreach (var (start, end, newText) in resolved)
        {
            if (end > limit)
            {
                // Overlaps an edit already applied further on: refuse rather than corrupt the text.
                throw new InvalidOperationException($"overlapping edits at offset {start}");
            }

            result = string.Concat(result.AsSpan(0, start), newText, result.AsSpan(end));
            limit = start;
        }

        return result;
    }

    /// <summary>
    /// Ranges overlap when they share a character — or when both start at the same point and one
    /// is empty: two insertions there (two fixes each adding the same import) have no defined order.
    /// </summary>
    private static bool Overlaps(SourceRange a, SourceRange b)
    {
        var aStart = (a.Line, a.Column);
        var bStart = (b.Line, b.Column);
        var aEmpty = aStart == (a.EndLine, a.EndColumn);
        var bEmpty = bStart == (b.EndLine, b.EndColumn);
        if ((aEmpty || bEmpty) && aStart == bStart)
        {
            return true;
        }

        return aStart.CompareTo((b.EndLine, b.EndColumn)) < 0 && bStart.CompareTo((a.EndLine, a.EndColumn)) < 0;
    }
}
