using System.Runtime.InteropServices;
using MLIntern.Python.Text;

namespace MLIntern.Python.Lexing;

/// <summary>A token: kind, range and flags. It copies no text; read it from the source with the range.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 2)]
public readonly struct Token
{
    public Token(TokenKind kind, int start, int end, TokenFlags flags = TokenFlags.None)
    {
        Kind = kind;
        Flags = flags;
        Start = start;
        End = end;
    }

    public TokenKind Kind { get; }

    public TokenFlags Flags { get; }

    public int Start { get; }

    public int End { get; }

    public TextRange Range => new(Start, End);

    public bool IsTrivia => Kind is TokenKind.Comment or TokenKind.NonLogicalNewline;

    public bool IsKeyword => Kind >= TokenKind.False;

    public override string ToString() => $"{Kind}{Range}";
}

/// <summary>The indentation a file uses; fix generators indent new code the same way.</summary>
public enum IndentStyle
{
    Unknown,
    Spaces,
    Tabs,
}

/// <summary>An error found while reading or parsing the text; never thrown, always collected.</summary>
public sealed record SyntaxError(string Message, TextRange Range, SyntaxErrorKind Kind = SyntaxErrorKind.InvalidSyntax)
{
    /// <summary>
    /// Where reading the text noticed the problem, when that is later than <see cref="Range"/>
    /// (an unterminated string is noticed at the end of its line or file, an unclosed bracket at
    /// the end of the file). Decides which error CPython would report first.
    /// </summary>
    public int DetectedAt { get; init; } = -1;

    /// <summary>For an unclosed bracket: where the lexer closed it to let the rest of the file parse (-1 if it did not).</summary>
    public int RecoveredAt { get; init; } = -1;

    internal int Detection => DetectedAt >= 0 ? DetectedAt : Range.Start;

    /// <summary>CPython's tokenizer reports these only when the parser asks for the token, never while checking the rest of a file.</summary>
    internal bool IsDeferred => Kind is SyntaxErrorKind.Indentation or SyntaxErrorKind.TabError or SyntaxErrorKind.LineContinuation or SyntaxErrorKind.FString;
}

/// <summary>The category of a syntax error, so editors and rules can treat families alike.</summary>
public enum SyntaxErrorKind
{
    InvalidSyntax,
    InvalidToken,
    UnterminatedString,
    Indentation,
    TabError,
    UnclosedBracket,
    MismatchedBracket,
    MissingCloseParen,
    InvalidTarget,
    TooDeeplyNested,
    Encoding,
    LineContinuation,

    /// <summary>An f-string problem found by the lexer (unterminated, a single '}').</summary>
    FString,
    ExpectedExpression,
    ExpectedToken,
}
