namespace MLIntern.Python.Text;

/// <summary>A half-open range [Start, End) of UTF-16 code units in a source text.</summary>
public readonly record struct TextRange(int Start, int End)
{
    public int Length => End - Start;

    public bool IsEmpty => End == Start;

    public bool Contains(int offset) => offset >= Start && offset < End;

    public bool ContainsInclusive(int offset) => offset >= Start && offset <= End;

    public bool Contains(TextRange other) => other.Start >= Start && other.End <= End;

    public override string ToString() => $"[{Start}..{End})";
}

/// <summary>A zero-based line and UTF-16 character offset, as the Language Server Protocol counts them.</summary>
public readonly record struct LinePosition(int Line, int Character);

/// <summary>The line ending a file mostly uses; fix generators write new lines with it.</summary>
public enum LineEnding
{
    LineFeed,
    CarriageReturnLineFeed,
    CarriageReturn,
}
