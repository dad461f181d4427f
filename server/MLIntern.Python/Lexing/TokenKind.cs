namespace MLIntern.Python.Lexing;

/// <summary>The kind of a token. Keywords have kinds of their own; soft keywords are <see cref="Name"/>.</summary>
public enum TokenKind : byte
{
    EndOfFile,
    Newline,

    /// <summary>A line break that ends no logical line (blank line, inside brackets): trivia.</summary>
    NonLogicalNewline,
    Comment,
    Indent,
    Dedent,
    Name,
    Number,
    String,
    FStringStart,
    FStringMiddle,
    FStringEnd,

    /// <summary>A character or sequence the language does not allow here; the lexer reported an error.</summary>
    Unknown,

    // Operators and delimiters.
    LeftParen,
    RightParen,
    LeftBracket,
    RightBracket,
    LeftBrace,
    RightBrace,
    Colon,
    Comma,
    Semicolon,
    Plus,
    Minus,
    Star,
    Slash,
    VerticalBar,
    Ampersand,
    Less,
    Greater,
    Equal,
    Dot,
    Percent,
    EqualEqual,
    NotEqual,
    LessEqual,
    GreaterEqual,
    Tilde,
    CircumFlex,
    LeftShift,
    RightShift,
    DoubleStar,
    PlusEqual,
    MinusEqual,
    StarEqual,
    SlashEqual,
    PercentEqual,
    AmperEqual,
    VbarEqual,
    CircumflexEqual,
    LeftShiftEqual,
    RightShiftEqual,
    DoubleStarEqual,
    DoubleSlash,
    DoubleSlashEqual,
    At,
    AtEqual,
    Rarrow,
    Ellipsis,
    ColonEqual,
    Exclamation,

    // Keywords.
    False,
    None,
    True,
    And,
    As,
    Assert,
    Async,
    Await,
    Break,
    Class,
    Continue,
    Def,
    Del,
    Elif,
    Else,
    Except,
    Finally,
    For,
    From,
    Global,
    If,
    Import,
    In,
    Is,
    Lambda,
    Nonlocal,
    Not,
    Or,
    Pass,
    Raise,
    Return,
    Try,
    While,
    With,
    Yield,
}

/// <summary>Facts about a token that its kind alone does not say.</summary>
[Flags]
public enum TokenFlags : ushort
{
    None = 0,

    // String and f-string prefixes and quotes.
    Raw = 1 << 0,
    Bytes = 1 << 1,
    Unicode = 1 << 2,
    FString = 1 << 3,
    TripleQuoted = 1 << 4,
    DoubleQuotes = 1 << 5,

    /// <summary>The string or f-string has no closing quote.</summary>
    Unterminated = 1 << 6,

    // Numbers.
    Integer = 1 << 7,
    Float = 1 << 8,
    Imaginary = 1 << 9,

    /// <summary>A soft keyword spelled as a name: match, case, type, _.</summary>
    SoftKeyword = 1 << 10,

    /// <summary>The token's text is not valid (bad number, bad escape); an error was reported.</summary>
    Invalid = 1 << 11,

    /// <summary>The name contains non-ASCII characters (its value must be NFKC-normalized).</summary>
    NonAscii = 1 << 12,
}
