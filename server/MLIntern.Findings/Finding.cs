namespace MLIntern.Findings;

/// <summary>How loudly a finding is reported. Maps one to one onto LSP and SARIF levels.</summary>
public enum Severity
{
    Error,
    Warning,
    Information,
    Hint,
}

/// <summary>
/// Whether a fix can be applied without a human looking at it. The model is Ruff's:
/// "fix all" applies <see cref="Safe"/> fixes only; <see cref="Unsafe"/> ones are offered one at a time.
/// </summary>
public enum Applicability
{
    /// <summary>Cannot change what the program means beyond removing the bug.</summary>
    Safe,

    /// <summary>May change behaviour; offered one at a time, never by "fix all".</summary>
    Unsafe,

    /// <summary>Shown to explain the finding; never applied automatically.</summary>
    DisplayOnly,
}

/// <summary>
/// A range in a file. Lines and columns are 1-based; columns count UTF-16 code units, as LSP does,
/// and the end is exclusive.
/// </summary>
public readonly record struct SourceRange(int Line, int Column, int EndLine, int EndColumn)
{
    public static SourceRange WholeLine(int line) => new(line, 1, line + 1, 1);

    public bool Intersects(SourceRange other) =>
        Compare(Line, Column, other.EndLine, other.EndColumn) <= 0 &&
        Compare(other.Line, other.Column, EndLine, EndColumn) <= 0;

    private static int Compare(int l1, int c1, int l2, int c2) => l1 != l2 ? l1.CompareTo(l2) : c1.CompareTo(c2);
}

/// <summary>Replace the text in <see cref="Range"/> with <see cref="NewText"/>.</summary>
public sealed record TextEdit(SourceRange Range, string NewText);

/// <summary>A proposed change that removes a finding.</summary>
public sealed record Fix(string Title, Applicability Applicability, IReadOnlyList<TextEdit> Edits)
{
    /// <summary>A fix of these edits, or null when one could not be written (a call still being typed).</summary>
    public static Fix? Create(string title, Applicability applicability, params TextEdit?[] edits) =>
        edits.Any(e => e is null) ? null : new Fix(title, applicability, [.. edits.OfType<TextEdit>()]);
}

/// <summary>One problem found in one file.</summary>
/// <param name="Code">The rule code, e.g. <c>MLD012</c>; a contract with users (docs, suppressions, CI).</param>
/// <param name="Range">Where the problem is; data-set-level findings sit on line 1.</param>
/// <param name="Message">What is wrong; any secret it would quote is redacted (<see cref="Secrets"/>): findings are printed, logged and uploaded as SARIF.</param>
public sealed record Finding(string Code, Severity Severity, string Message, SourceRange Range, Fix? Fix = null)
{
    public string Message { get; init => field = Secrets.Redact(value); } = Secrets.Redact(Message);
}
