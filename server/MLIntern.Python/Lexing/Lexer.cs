using System.Globalization;
using MLIntern.Python.Text;

namespace MLIntern.Python.Lexing;

/// <summary>The quote character most of a file's strings use; fix generators quote new strings alike.</summary>
public enum QuoteStyle
{
    Unknown,
    Single,
    Double,
}

/// <summary>The tokens of a file (trivia included), the errors found, and the file's style.</summary>
public sealed class LexResult
{
    internal LexResult(Token[] tokens, int count, List<SyntaxError> errors, IndentStyle indent, QuoteStyle quote)
    {
        TokenArray = tokens;
        Count = count;
        Errors = errors;
        IndentStyle = indent;
        QuoteStyle = quote;
    }

    internal Token[] TokenArray { get; }

    public int Count { get; }

    public ReadOnlySpan<Token> Tokens => TokenArray.AsSpan(0, Count);

    public IReadOnlyList<SyntaxError> Errors { get; }

    public IndentStyle IndentStyle { get; }

    public QuoteStyle QuoteStyle { get; }

    /// <summary>The same result with only its comment tokens (and the styles and errors).</summary>
    internal LexResult CommentsOnly()
    {
        var comments = new List<Token>();
        foreach (var t in Tokens)
        {
            if (t.Kind == TokenKind.Comment)
            {
                comments.Add(t);
            }
        }

        return new LexResult([.. comments], comments.Count, Errors as List<SyntaxError> ?? [.. Errors], IndentStyle, QuoteStyle);
    }
}

/// <summary>
/// A hand-written tokenizer for Python 3.13. It scans the text once with index arithmetic,
/// copies no text, and never throws: problems become error tokens and <see cref="SyntaxError"/>s.
/// </summary>
public sealed class Lexer
{
    private const int MaxIndentLevels = 100;
    private const int MaxBracketDepth = 200;

    private readonly string _text;
    private readonly int _length;
    private readonly bool _recoverUnclosed;
    private readonly List<SyntaxError> _errors = new();
    private Token[] _tokens;
    private int _count;
    private int _pos;

    private readonly List<int> _indents = new() { 0 };
    private readonly List<int> _altIndents = new() { 0 };
    private bool _atLineStart = true;

    private char[] _brackets = new char[16];
    private int[] _bracketPos = new int[16];
    private int _depth;

    private readonly List<FString> _fstrings = new();
    private IndentStyle _indentStyle;
    private int _singleQuotes;
    private int _doubleQuotes;
    private bool _lineHasTokens;

    private sealed class FString
    {
        public char Quote;
        public bool Triple;
        public bool Raw;
        public int Start;
        public readonly List<Field> Fields = new();
    }

    private struct Field
    {
        public int Depth;
        public bool InSpec;
    }

    private Lexer(string text, bool recoverUnclosed)
    {
        _text = text;
        _length = text.Length;
        _recoverUnclosed = recoverUnclosed;
        // A first guess of one token per 8 characters; Add extrapolates from there (see Grow).
        _tokens = new Token[Math.Max(16, text.Length / 8)];
    }

    /// <summary>Tokenizes a whole text.</summary>
    public static LexResult Lex(string text)
    {
        var lexer = new Lexer(text, recoverUnclosed: false);
        lexer.Run();
        if (lexer._unclosedAtEnd)
        {
            // The file ends inside a bracket, so every later line was joined into one logical
            // line. Tokenize again, closing the brackets where a later line looks like a new
            // statement, so that the rest of a half-typed file still parses. Valid files never
            // get here.
            var again = new Lexer(text, recoverUnclosed: true);
            again.Run();
            return again.Result();
        }

        return lexer.Result();
    }

    private bool _unclosedAtEnd;

    private LexResult Result()
    {
        QuoteStyle quote = _singleQuotes == 0 && _doubleQuotes == 0 ? QuoteStyle.Unknown
            : _doubleQuotes >= _singleQuotes ? QuoteStyle.Double : QuoteStyle.Single;
        // The array grew by doubling. A huge file's unused tail (up to half the array: 30 MB at 1M
        // lines) would be held through the parse, when the tree is built beside it; an ordinary
        // file's is not worth the copy.
        if (_count >= 1 << 20 && _tokens.Length - _count > _count / 8)
        {
            Array.Resize(ref _tokens, _count);
        }

        return new LexResult(_tokens, _count, _errors, _indentStyle, quote);
    }

    /// <summary>
    /// Grows the token array to the count the text read so far predicts for the whole text (plus
    /// a tenth), at least by half: one copy of a good size rather than doublings, whose dead arrays
    /// (47 + 94 MB at 1M lines) stayed in the process's memory beside the tree built after them.
    /// </summary>
    private void Grow()
    {
        long predicted = _pos > 0 ? (long)_count * _length / _pos : 0;
        long size = Math.Max(_tokens.Length + (_tokens.Length / 2) + 16, predicted + (predicted / 10));
        Array.Resize(ref _tokens, (int)Math.Min(size, Array.MaxLength));
    }

    private void Add(TokenKind kind, int start, int end, TokenFlags flags = TokenFlags.None)
    {
        if (_count == _tokens.Length)
        {
            Grow();
        }

        _tokens[_count++] = new Token(kind, start, end, flags);
        if (kind != TokenKind.Comment && kind != TokenKind.NonLogicalNewline)
        {
            _lineHasTokens = kind != TokenKind.Newline && kind != TokenKind.Indent && kind != TokenKind.Dedent;
        }
    }

    private void Error(string message, int start, int end, SyntaxErrorKind kind = SyntaxErrorKind.InvalidToken, int detectedAt = -1)
    {
        _errors.Add(new SyntaxError(message, new TextRange(start, Math.Max(start, end)), kind) { DetectedAt = detectedAt });
    }

    private char Peek(int ahead = 0)
    {
        int i = _pos + ahead;
        return i < _length ? _text[i] : '\0';
    }

    private void Run()
    {
        int lastPos = -1, lastCount = -1, lastModes = -1;
        while (true)
        {
            // Progress guard: every iteration must consume text, emit a token or change mode.
            if (_pos == lastPos && _count == lastCount && _fstrings.Count == lastModes && !_atLineStart)
            {
                Error("internal lexer error: no progress", _pos, Math.Min(_pos + 1, _length));
                if (_pos >= _length)
                {
                    Finish();
                    return;
                }

                _pos++;
            }

            lastPos = _pos;
            lastCount = _count;
            lastModes = _fstrings.Count;
            if (_fstrings.Count > 0)
            {
                var fs = _fstrings[^1];
                if (fs.Fields.Count == 0 || fs.Fields[^1].InSpec)
                {
                    LexFStringMiddle(fs);
                    continue;
                }
            }

            if (_atLineStart)
            {
                _atLineStart = false;
                if (_depth == 0 && HandleIndentation())
                {
                    continue;
                }
            }

            // Whitespace and explicit line joining.
            while (_pos < _length)
            {
                char c = _text[_pos];
                if (c == ' ' || c == '\t' || c == '\f')
                {
                    _pos++;
                }
                else if (c == '\\')
                {
                    int n = _pos + 1;
                    if (n < _length && (_text[n] == '\n' || _text[n] == '\r'))
                    {
                        _pos = n + (_text[n] == '\r' && n + 1 < _length && _text[n + 1] == '\n' ? 2 : 1);
                        if (_pos >= _length)
                        {
                            Error("unexpected EOF while parsing", _pos, _pos);
                        }
                    }
                    else
                    {
                        break;
                    }
                }
                else
                {
                    break;
                }
            }

            if (_pos >= _length)
            {
                Finish();
                return;
            }

            LexToken();
        }
    }

    private void Finish()
    {
        int end = _length;
        if (_fstrings.Count > 0)
        {
            var fs = _fstrings[0];
            Error(fs.Triple ? "unterminated triple-quoted f-string literal" : "unterminated f-string literal", fs.Start, fs.Start + 1, SyntaxErrorKind.FString, detectedAt: _length);
            _fstrings.Clear();
        }

        if (_depth > 0)
        {
            _unclosedAtEnd = true;
            ReportUnclosed();

            _depth = 0;
        }

        if (_lineHasTokens)
        {
            Add(TokenKind.Newline, end, end);
        }

        for (int i = _indents.Count - 1; i > 0; i--)
        {
            Add(TokenKind.Dedent, end, end);
        }

        _indents.RemoveRange(1, _indents.Count - 1);
        _altIndents.RemoveRange(1, _altIndents.Count - 1);
        Add(TokenKind.EndOfFile, end, end);
    }

    /// <summary>Measures the indentation of a new logical line and emits INDENT/DEDENT; true if the line was blank and consumed.</summary>
    private bool HandleIndentation()
    {
        int start = _pos;
        int col = 0, alt = 0;
        bool sawTab = false, sawSpace = false;
        while (_pos < _length)
        {
            char c = _text[_pos];
            if (c == ' ')
            {
                col++;
                alt++;
                sawSpace = true;
            }
            else if (c == '\t')
            {
                col = (col / 8 + 1) * 8;
                alt++;
                sawTab = true;
            }
            else if (c == '\f')
            {
                col = alt = 0;
            }
            else
            {
                break;
            }

            _pos++;
        }

        if (_pos >= _length)
        {
            return false;
        }

        char ch = _text[_pos];
        if (ch == '#' || ch == '\n' || ch == '\r')
        {
            // A blank or comment-only line: no indentation change.
            if (ch == '#')
            {
                LexComment();
            }

            if (_pos < _length)
            {
                int s = _pos;
                SkipNewline();
                Add(TokenKind.NonLogicalNewline, s, _pos);
            }

            _atLineStart = true;
            return true;
        }

        if (ch == '\\' && _pos + 1 < _length && (_text[_pos + 1] == '\n' || _text[_pos + 1] == '\r'))
        {
            // A continuation line that starts with a backslash: CPython measures indentation
            // only on the first physical line, so let the caller continue normally.
        }

        int top = _indents[^1];
        if (col == top)
        {
            if (alt != _altIndents[^1])
            {
                Error("inconsistent use of tabs and spaces in indentation", start, _pos, SyntaxErrorKind.TabError);
            }
        }
        else if (col > top)
        {
            if (_indents.Count >= MaxIndentLevels)
            {
                Error("too many levels of indentation", start, _pos, SyntaxErrorKind.Indentation);
            }

            if (alt <= _altIndents[^1])
            {
                Error("inconsistent use of tabs and spaces in indentation", start, _pos, SyntaxErrorKind.TabError);
            }

            if (_indentStyle == IndentStyle.Unknown)
            {
                _indentStyle = sawTab && !sawSpace ? IndentStyle.Tabs : IndentStyle.Spaces;
            }

            _indents.Add(col);
            _altIndents.Add(alt);
            Add(TokenKind.Indent, start, _pos);
        }
        else
        {
            while (_indents.Count > 1 && col < _indents[^1])
            {
                _indents.RemoveAt(_indents.Count - 1);
                _altIndents.RemoveAt(_altIndents.Count - 1);
                Add(TokenKind.Dedent, _pos, _pos);
            }

            if (col != _indents[^1])
            {
                Error("unindent does not match any outer indentation level", start, _pos, SyntaxErrorKind.Indentation);
            }
            else if (alt != _altIndents[^1])
            {
                Error("inconsistent use of tabs and spaces in indentation", start, _pos, SyntaxErrorKind.TabError);
            }
        }

        return false;
    }

    private void SkipNewline()
    {
        if (_pos < _length && _text[_pos] == '\r')
        {
            _pos++;
            if (_pos < _length && _text[_pos] == '\n')
            {
                _pos++;
            }
        }
        else if (_pos < _length && _text[_pos] == '\n')
        {
            _pos++;
        }
    }

    private void LexComment()
    {
        int s = _pos;
        while (_pos < _length && _text[_pos] != '\n' && _text[_pos] != '\r')
        {
            _pos++;
        }

        Add(TokenKind.Comment, s, _pos);
    }

    private void LexToken()
    {
        int start = _pos;
        char c = _text[_pos];
        switch (c)
        {
            case '\n':
            case '\r':
                SkipNewline();
                if (_depth > 0)
                {
                    Add(TokenKind.NonLogicalNewline, start, _pos);
                    if (_recoverUnclosed && _fstrings.Count == 0 && LooksLikeNewStatement())
                    {
                        // The parser will trip over the line break inserted here: the unclosed bracket is the real error.
                        ReportUnclosed(recoveredAt: start);

                        _depth = 0;
                        Add(TokenKind.Newline, start, start);
                        _atLineStart = true;
                    }
                }
                else if (_lineHasTokens)
                {
                    Add(TokenKind.Newline, start, _pos);
                    _atLineStart = true;
                }
                else
                {
                    Add(TokenKind.NonLogicalNewline, start, _pos);
                    _atLineStart = true;
                }

                return;
            case '#':
                LexComment();
                return;
            case '"':
            case '\'':
                LexString(start, start, TokenFlags.None);
                return;
            case '(':
            case '[':
            case '{':
                _pos++;
                Open(c, start);
                Add(c == '(' ? TokenKind.LeftParen : c == '[' ? TokenKind.LeftBracket : TokenKind.LeftBrace, start, _pos);
                return;
            case ')':
            case ']':
            case '}':
                _pos++;
                Close(c, start);
                return;
            case ':':
                _pos++;
                if (_fstrings.Count > 0 && _fstrings[^1].Fields.Count > 0 && _fstrings[^1].Fields[^1].Depth == _depth)
                {
                    var fs = _fstrings[^1];
                    var f = fs.Fields[^1];
                    f.InSpec = true;
                    fs.Fields[^1] = f;
                    Add(TokenKind.Colon, start, _pos);
                    return;
                }

                if (Peek() == '=')
                {
                    _pos++;
                    Add(TokenKind.ColonEqual, start, _pos);
                }
                else
                {
                    Add(TokenKind.Colon, start, _pos);
                }

                return;
            case ',': Single(TokenKind.Comma); return;
            case ';': Single(TokenKind.Semicolon); return;
            case '~': Single(TokenKind.Tilde); return;
            case '.':
                if (char.IsAsciiDigit(Peek(1)))
                {
                    LexNumber(start);
                    return;
                }

                if (Peek(1) == '.' && Peek(2) == '.')
                {
                    _pos += 3;
                    Add(TokenKind.Ellipsis, start, _pos);
                    return;
                }

                Single(TokenKind.Dot);
                return;
            case '+': OpEq(TokenKind.Plus, TokenKind.PlusEqual); return;
            case '%': OpEq(TokenKind.Percent, TokenKind.PercentEqual); return;
            case '&': OpEq(TokenKind.Ampersand, TokenKind.AmperEqual); return;
            case '|': OpEq(TokenKind.VerticalBar, TokenKind.VbarEqual); return;
            case '^': OpEq(TokenKind.CircumFlex, TokenKind.CircumflexEqual); return;
            case '@': OpEq(TokenKind.At, TokenKind.AtEqual); return;
            case '=': OpEq(TokenKind.Equal, TokenKind.EqualEqual); return;
            case '-':
                if (Peek(1) == '>')
                {
                    _pos += 2;
                    Add(TokenKind.Rarrow, start, _pos);
                    return;
                }

                OpEq(TokenKind.Minus, TokenKind.MinusEqual);
                return;
            case '!':
                if (Peek(1) == '=')
                {
                    _pos += 2;
                    Add(TokenKind.NotEqual, start, _pos);
                    return;
                }

                Single(TokenKind.Exclamation);
                return;
            case '*':
                if (Peek(1) == '*')
                {
                    _pos++;
                    OpEq(TokenKind.DoubleStar, TokenKind.DoubleStarEqual, start);
                    return;
                }

                OpEq(TokenKind.Star, TokenKind.StarEqual);
                return;
            case '/':
                if (Peek(1) == '/')
                {
                    _pos++;
                    OpEq(TokenKind.DoubleSlash, TokenKind.DoubleSlashEqual, start);
                    return;
                }

                OpEq(TokenKind.Slash, TokenKind.SlashEqual);
                return;
            case '<':
                if (Peek(1) == '<')
                {
                    _pos++;
                    OpEq(TokenKind.LeftShift, TokenKind.LeftShiftEqual, start);
                    return;
                }

                if (Peek(1) == '>')
                {
                    // Python 2's inequality; CPython's tokenizer knows it and its parser rejects it.
                    _pos += 2;
                    Add(TokenKind.NotEqual, start, _pos, TokenFlags.Invalid);
                    return;
                }

                OpEq(TokenKind.Less, TokenKind.LessEqual);
                return;
            case '>':
                if (Peek(1) == '>')
                {
                    _pos++;
                    OpEq(TokenKind.RightShift, TokenKind.RightShiftEqual, start);
                    return;
                }

                OpEq(TokenKind.Greater, TokenKind.GreaterEqual);
                return;
            case '\\':
                _pos++;
                Error("unexpected character after line continuation character", start, _pos, SyntaxErrorKind.LineContinuation);
                Add(TokenKind.Unknown, start, _pos, TokenFlags.Invalid);
                return;
        }

        if (char.IsAsciiDigit(c))
        {
            LexNumber(start);
            return;
        }

        if (char.IsAsciiLetter(c) || c == '_' || c >= 0x80)
        {
            LexNameOrString(start);
            return;
        }

        _pos++;
        if (c is '$' or '?' or '`')
        {
            // CPython's tokenizer passes these through as operators; its parser rejects them.
            Add(TokenKind.Unknown, start, _pos);
            return;
        }

        if (c == '\0')
        {
            Add(TokenKind.Unknown, start, _pos, TokenFlags.Invalid);
            return;
        }

        Error(InvalidCharacterMessage(c), start, _pos);
        Add(TokenKind.Unknown, start, _pos, TokenFlags.Invalid);
    }

    private static string InvalidCharacterMessage(int c) =>
        c < 0x20 || c == 0x7f ? $"invalid non-printable character U+{c:X4}" : $"invalid character '{char.ConvertFromUtf32(c)}' (U+{c:X4})";

    private void Single(TokenKind kind)
    {
        int s = _pos++;
        Add(kind, s, _pos);
    }

    private void OpEq(TokenKind plain, TokenKind withEq, int start = -1)
    {
        if (start < 0)
        {
            start = _pos;
        }

        _pos++;
        if (Peek() == '=')
        {
            _pos++;
            Add(withEq, start, _pos);
        }
        else
        {
            Add(plain, start, _pos);
        }
    }

    private void Open(char c, int start)
    {
        if (_depth == MaxBracketDepth)
        {
            Error("too many nested parentheses", start, start + 1, SyntaxErrorKind.TooDeeplyNested);
        }

        if (_depth == _brackets.Length)
        {
            Array.Resize(ref _brackets, _depth * 2);
            Array.Resize(ref _bracketPos, _depth * 2);
        }

        _brackets[_depth] = c;
        _bracketPos[_depth] = start;
        _depth++;
    }

    /// <summary>Reports the innermost bracket left open, as CPython does.</summary>
    private void ReportUnclosed(int recoveredAt = -1)
    {
        // CPython notices an unclosed bracket only after everything else, at the end of the file.
        int i = _depth - 1;
        _errors.Add(new SyntaxError($"'{_brackets[i]}' was never closed", new TextRange(_bracketPos[i], _bracketPos[i] + 1), SyntaxErrorKind.UnclosedBracket)
        {
            DetectedAt = _length + 1,
            RecoveredAt = recoveredAt,
        });
    }

    private void Close(char c, int start)
    {
        TokenKind kind = c == ')' ? TokenKind.RightParen : c == ']' ? TokenKind.RightBracket : TokenKind.RightBrace;
        if (c == '}' && _fstrings.Count > 0)
        {
            var fs = _fstrings[^1];
            if (fs.Fields.Count > 0 && fs.Fields[^1].Depth == _depth)
            {
                fs.Fields.RemoveAt(fs.Fields.Count - 1);
                _depth--;
                Add(kind, start, _pos);
                return;
            }
        }

        if (_depth == 0)
        {
            Error($"unmatched '{c}'", start, _pos, SyntaxErrorKind.MismatchedBracket);
            Add(kind, start, _pos, TokenFlags.Invalid);
            return;
        }

        char open = _brackets[_depth - 1];
        char expected = open == '(' ? ')' : open == '[' ? ']' : '}';
        if (expected != c)
        {
            Error($"closing parenthesis '{c}' does not match opening parenthesis '{open}'", start, _pos, SyntaxErrorKind.MismatchedBracket);
        }

        if (_fstrings.Count > 0)
        {
            var fs = _fstrings[^1];
            if (fs.Fields.Count > 0 && fs.Fields[^1].Depth == _depth)
            {
                // A mismatched closer would end the replacement field; keep the field open.
                Add(kind, start, _pos, TokenFlags.Invalid);
                return;
            }
        }

        _depth--;
        Add(kind, start, _pos);
    }

    /// <summary>In recovery mode: does the line after a break inside brackets start a new statement?</summary>
    private bool LooksLikeNewStatement()
    {
        int p = _pos;
        int col = 0;
        while (p < _length && (_text[p] == ' ' || _text[p] == '\t'))
        {
            col += _text[p] == '\t' ? 8 - (col % 8) : 1;
            p++;
        }

        if (p >= _length || !(char.IsAsciiLetter(_text[p]) || _text[p] == '_' || _text[p] == '@'))
        {
            return false;
        }

        // Indentation of the line holding the outermost open bracket.
        int open = _bracketPos[0];
        int ls = open;
        while (ls > 0 && _text[ls - 1] != '\n' && _text[ls - 1] != '\r')
        {
            ls--;
        }

        int openCol = 0;
        while (ls < open && (_text[ls] == ' ' || _text[ls] == '\t'))
        {
            openCol += _text[ls] == '\t' ? 8 - (openCol % 8) : 1;
            ls++;
        }

        if (col > openCol)
        {
            return false;
        }

        int w = p;
        while (w < _length && (char.IsAsciiLetterOrDigit(_text[w]) || _text[w] == '_' || _text[w] == '.'))
        {
            w++;
        }

        var word = _text.AsSpan(p, w - p);
        if (word is "def" or "class" or "if" or "for" or "while" or "with" or "try" or "return" or "import" or "from"
            or "async" or "raise" or "assert" or "del" or "pass" or "global" or "nonlocal" or "elif" or "else" or "except" or "finally")
        {
            return true;
        }

        if (_text[p] == '@')
        {
            return true;
        }

        // `name = ...` or `name(...)` at the opening line's indentation.
        while (w < _length && (_text[w] == ' ' || _text[w] == '\t'))
        {
            w++;
        }

        return w < _length && ((_text[w] == '=' && (w + 1 >= _length || _text[w + 1] != '=')) || _text[w] == '(');
    }

    private void LexNameOrString(int start)
    {
        // String prefixes: r, u, b, f and the two-letter combinations, in any case.
        int p = _pos;
        TokenFlags flags = TokenFlags.None;
        int n = 0;
        while (p < _length && n < 3)
        {
            char ch = (char)(_text[p] | 0x20);
            if (ch == 'r' && (flags & TokenFlags.Raw) == 0)
            {
                flags |= TokenFlags.Raw;
            }
            else if (ch == 'b' && (flags & (TokenFlags.Bytes | TokenFlags.FString | TokenFlags.Unicode)) == 0)
            {
                flags |= TokenFlags.Bytes;
            }
            else if (ch == 'f' && (flags & (TokenFlags.Bytes | TokenFlags.FString | TokenFlags.Unicode)) == 0)
            {
                flags |= TokenFlags.FString;
            }
            else if (ch == 'u' && flags == TokenFlags.None)
            {
                flags |= TokenFlags.Unicode;
            }
            else
            {
                break;
            }

            p++;
            n++;
        }

        if (n > 0 && p < _length && (_text[p] == '"' || _text[p] == '\'') && !(n == 2 && (flags & TokenFlags.Unicode) != 0))
        {
            _pos = p;
            LexString(start, p, flags);
            return;
        }

        // An identifier.
        bool nonAscii = false;
        while (_pos < _length)
        {
            char c = _text[_pos];
            if (char.IsAsciiLetterOrDigit(c) || c == '_')
            {
                _pos++;
            }
            else if (c >= 0x80)
            {
                int cp = c;
                int width = 1;
                if (char.IsHighSurrogate(c) && _pos + 1 < _length && char.IsLowSurrogate(_text[_pos + 1]))
                {
                    cp = char.ConvertToUtf32(c, _text[_pos + 1]);
                    width = 2;
                }

                bool first = _pos == start;
                if (!IsIdentifierChar(cp, first))
                {
                    if (first)
                    {
                        _pos += width;
                        Error(InvalidCharacterMessage(cp), start, _pos);
                        Add(TokenKind.Unknown, start, _pos, TokenFlags.Invalid);
                        return;
                    }

                    break;
                }

                nonAscii = true;
                _pos += width;
            }
            else
            {
                break;
            }
        }

        var span = _text.AsSpan(start, _pos - start);
        var kind = KeywordKind(span);
        TokenFlags tf = nonAscii ? TokenFlags.NonAscii : TokenFlags.None;
        if (kind == TokenKind.Name && span is "match" or "case" or "type" or "_")
        {
            tf |= TokenFlags.SoftKeyword;
        }

        Add(kind, start, _pos, tf);
    }

    private static bool IsIdentifierChar(int cp, bool first)
    {
        if (cp == 0xFEFF)
        {
            return false;
        }

        var cat = CharUnicodeInfo.GetUnicodeCategory(cp);
        switch (cat)
        {
            case UnicodeCategory.UppercaseLetter:
            case UnicodeCategory.LowercaseLetter:
            case UnicodeCategory.TitlecaseLetter:
            case UnicodeCategory.ModifierLetter:
            case UnicodeCategory.OtherLetter:
            case UnicodeCategory.LetterNumber:
                return true;
            case UnicodeCategory.NonSpacingMark:
            case UnicodeCategory.SpacingCombiningMark:
            case UnicodeCategory.DecimalDigitNumber:
            case UnicodeCategory.ConnectorPunctuation:
                return !first;
            default:
                // Other_ID_Start / Other_ID_Continue characters.
                return cp is 0x2118 or 0x212E or 0x309B or 0x309C || (!first && cp is 0x00B7 or 0x0387 or (>= 0x1369 and <= 0x1371) or 0x19DA);
        }
    }

    internal static TokenKind KeywordKind(ReadOnlySpan<char> s) => s switch
    {
        "False" => TokenKind.False,
        "None" => TokenKind.None,
        "True" => TokenKind.True,
        "and" => TokenKind.And,
        "as" => TokenKind.As,
        "assert" => TokenKind.Assert,
        "async" => TokenKind.Async,
        "await" => TokenKind.Await,
        "break" => TokenKind.Break,
        "class" => TokenKind.Class,
        "continue" => TokenKind.Continue,
        "def" => TokenKind.Def,
        "del" => TokenKind.Del,
        "elif" => TokenKind.Elif,
        "else" => TokenKind.Else,
        "except" => TokenKind.Except,
        "finally" => TokenKind.Finally,
        "for" => TokenKind.For,
        "from" => TokenKind.From,
        "global" => TokenKind.Global,
        "if" => TokenKind.If,
        "import" => TokenKind.Import,
        "in" => TokenKind.In,
        "is" => TokenKind.Is,
        "lambda" => TokenKind.Lambda,
        "nonlocal" => TokenKind.Nonlocal,
        "not" => TokenKind.Not,
        "or" => TokenKind.Or,
        "pass" => TokenKind.Pass,
        "raise" => TokenKind.Raise,
        "return" => TokenKind.Return,
        "try" => TokenKind.Try,
        "while" => TokenKind.While,
        "with" => TokenKind.With,
        "yield" => TokenKind.Yield,
        _ => TokenKind.Name,
    };

    private void LexString(int start, int quotePos, TokenFlags flags)
    {
        char quote = _text[quotePos];
        bool triple = quotePos + 2 < _length && _text[quotePos + 1] == quote && _text[quotePos + 2] == quote;
        if (quote == '"')
        {
            flags |= TokenFlags.DoubleQuotes;
        }

        if (triple)
        {
            flags |= TokenFlags.TripleQuoted;
        }
        else if (quote == '"')
        {
            _doubleQuotes++;
        }
        else
        {
            _singleQuotes++;
        }

        _pos = quotePos + (triple ? 3 : 1);
        if ((flags & TokenFlags.FString) != 0)
        {
            Add(TokenKind.FStringStart, start, _pos, flags);
            _fstrings.Add(new FString { Quote = quote, Triple = triple, Raw = (flags & TokenFlags.Raw) != 0, Start = start });
            return;
        }

        while (_pos < _length)
        {
            char c = _text[_pos];
            if (c == quote)
            {
                if (!triple)
                {
                    _pos++;
                    Add(TokenKind.String, start, _pos, flags);
                    return;
                }

                if (_pos + 2 < _length && _text[_pos + 1] == quote && _text[_pos + 2] == quote)
                {
                    _pos += 3;
                    Add(TokenKind.String, start, _pos, flags);
                    return;
                }

                _pos++;
            }
            else if (c == '\\')
            {
                _pos += 2;
                if (_pos - 1 < _length && _text[_pos - 1] == '\r' && _pos < _length && _text[_pos] == '\n')
                {
                    _pos++;
                }
            }
            else if ((c == '\n' || c == '\r') && !triple)
            {
                break;
            }
            else
            {
                _pos++;
            }
        }

        if (_pos > _length)
        {
            _pos = _length;
        }

        Error(triple ? "unterminated triple-quoted string literal" : "unterminated string literal", start, _pos, SyntaxErrorKind.UnterminatedString, detectedAt: _pos);
        Add(TokenKind.String, start, _pos, flags | TokenFlags.Unterminated | TokenFlags.Invalid);
    }

    private void LexFStringMiddle(FString fs)
    {
        bool inSpec = fs.Fields.Count > 0;
        int start = _pos;
        TokenFlags flags = fs.Raw ? TokenFlags.Raw : TokenFlags.None;
        while (_pos < _length)
        {
            char c = _text[_pos];
            if (c == fs.Quote)
            {
                if (!fs.Triple || (_pos + 2 < _length && _text[_pos + 1] == c && _text[_pos + 2] == c))
                {
                    if (inSpec)
                    {
                        // The string ends inside a replacement field.
                        EmitMiddle(start, flags);
                        Error("f-string: expecting '}'", _pos, _pos + 1, SyntaxErrorKind.FString);
                        _depth = Math.Max(0, _depth - fs.Fields.Count);
                        fs.Fields.Clear();
                        inSpec = false;
                        start = _pos;
                        continue;
                    }

                    EmitMiddle(start, flags);
                    int s = _pos;
                    _pos += fs.Triple ? 3 : 1;
                    Add(TokenKind.FStringEnd, s, _pos, flags);
                    _fstrings.RemoveAt(_fstrings.Count - 1);
                    return;
                }

                _pos++;
            }
            else if ((c == '\n' || c == '\r') && !fs.Triple)
            {
                EmitMiddle(start, flags);
                Error("unterminated f-string literal", fs.Start, _pos, SyntaxErrorKind.FString, detectedAt: _pos);
                Add(TokenKind.FStringEnd, _pos, _pos, flags | TokenFlags.Unterminated);
                // Drop this f-string and any open brackets of its fields.
                while (fs.Fields.Count > 0)
                {
                    fs.Fields.RemoveAt(fs.Fields.Count - 1);
                }

                _fstrings.RemoveAt(_fstrings.Count - 1);
                return;
            }
            else if (c == '\\')
            {
                if (!fs.Raw && _pos + 2 < _length && _text[_pos + 1] == 'N' && _text[_pos + 2] == '{')
                {
                    int close = _text.IndexOf('}', _pos + 3);
                    int q = _text.IndexOf(fs.Quote, _pos + 3);
                    _pos = close >= 0 && (q < 0 || close < q) ? close + 1 : _pos + 3;
                }
                else if (_pos + 1 < _length && _text[_pos + 1] is '{' or '}')
                {
                    _pos++;
                }
                else
                {
                    _pos += 2;
                }
            }
            else if (c == '{')
            {
                if (!inSpec && Peek(1) == '{')
                {
                    _pos += 2;
                    continue;
                }

                EmitMiddle(start, flags);
                int s = _pos++;
                Open('{', s);
                Add(TokenKind.LeftBrace, s, _pos);
                fs.Fields.Add(new Field { Depth = _depth });
                return;
            }
            else if (c == '}')
            {
                if (inSpec)
                {
                    EmitMiddle(start, flags);
                    int s = _pos++;
                    fs.Fields.RemoveAt(fs.Fields.Count - 1);
                    _depth--;
                    Add(TokenKind.RightBrace, s, _pos);
                    return;
                }

                if (Peek(1) == '}')
                {
                    _pos += 2;
                    continue;
                }

                Error("f-string: single '}' is not allowed", _pos, _pos + 1, SyntaxErrorKind.FString);
                _pos++;
            }
            else
            {
                _pos++;
            }
        }

        if (_pos > _length)
        {
            _pos = _length;
        }

        EmitMiddle(start, flags);
        Error(fs.Triple ? "unterminated triple-quoted f-string literal" : "unterminated f-string literal", fs.Start, _pos, SyntaxErrorKind.FString, detectedAt: _pos);
        Add(TokenKind.FStringEnd, _pos, _pos, flags | TokenFlags.Unterminated);
        _depth -= fs.Fields.Count;
        if (_depth < 0)
        {
            _depth = 0;
        }

        _fstrings.RemoveAt(_fstrings.Count - 1);
    }

    private void EmitMiddle(int start, TokenFlags flags)
    {
        if (_pos > start)
        {
            Add(TokenKind.FStringMiddle, start, Math.Min(_pos, _length), flags);
        }
    }

    private void LexNumber(int start)
    {
        TokenFlags flags = TokenFlags.Integer;
        char c = _text[_pos];
        if (c == '0' && (Peek(1) | 0x20) is 'x' or 'o' or 'b')
        {
            char radix = (char)(Peek(1) | 0x20);
            _pos += 2;
            int digits = 0;
            bool bad = false;
            while (_pos < _length)
            {
                char d = _text[_pos];
                if (d == '_')
                {
                    if (_pos + 1 >= _length || !IsRadixDigit(_text[_pos + 1], radix))
                    {
                        bad = true;
                        _pos++;
                        break;
                    }

                    _pos++;
                    continue;
                }

                if (IsRadixDigit(d, radix))
                {
                    digits++;
                    _pos++;
                }
                else if (char.IsAsciiDigit(d))
                {
                    Error($"invalid digit '{d}' in {(radix == 'o' ? "octal" : "binary")} literal", _pos, _pos + 1);
                    _pos++;
                    flags |= TokenFlags.Invalid;
                }
                else
                {
                    break;
                }
            }

            string name = radix == 'x' ? "hexadecimal" : radix == 'o' ? "octal" : "binary";
            if (digits == 0 || bad)
            {
                Error($"invalid {name} literal", start, _pos);
                flags |= TokenFlags.Invalid;
            }

            VerifyEnd(start, ref flags, name);
            Add(TokenKind.Number, start, _pos, flags);
            return;
        }

        bool leadingZero = c == '0';
        bool nonZero = false;
        if (c != '.')
        {
            ScanDigits(ref flags, ref nonZero);
        }

        bool isFloat = false;
        if (Peek() == '.')
        {
            isFloat = true;
            _pos++;
            if (char.IsAsciiDigit(Peek()))
            {
                bool dummy = false;
                ScanDigits(ref flags, ref dummy);
            }
        }

        if ((Peek() | 0x20) == 'e')
        {
            int save = _pos;
            _pos++;
            if (Peek() is '+' or '-')
            {
                _pos++;
            }

            if (char.IsAsciiDigit(Peek()))
            {
                bool dummy = false;
                ScanDigits(ref flags, ref dummy);
                isFloat = true;
            }
            else
            {
                _pos = save + 1;
                Error("invalid decimal literal", start, _pos);
                flags |= TokenFlags.Invalid;
            }
        }

        if ((Peek() | 0x20) == 'j')
        {
            _pos++;
            flags = (flags & ~TokenFlags.Integer) | TokenFlags.Imaginary;
        }
        else if (isFloat)
        {
            flags = (flags & ~TokenFlags.Integer) | TokenFlags.Float;
        }
        else if (leadingZero && nonZero)
        {
            Error("leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers", start, _pos);
            flags |= TokenFlags.Invalid;
        }

        VerifyEnd(start, ref flags, (flags & TokenFlags.Imaginary) != 0 ? "imaginary" : "decimal");
        Add(TokenKind.Number, start, _pos, flags);
    }

    private void ScanDigits(ref TokenFlags flags, ref bool nonZero)
    {
        while (_pos < _length)
        {
            char d = _text[_pos];
            if (char.IsAsciiDigit(d))
            {
                if (d != '0')
                {
                    nonZero = true;
                }

                _pos++;
            }
            else if (d == '_')
            {
                if (_pos + 1 < _length && char.IsAsciiDigit(_text[_pos + 1]))
                {
                    _pos++;
                }
                else
                {
                    _pos++;
                    Error("invalid decimal literal", _pos - 1, _pos);
                    flags |= TokenFlags.Invalid;
                    return;
                }
            }
            else
            {
                return;
            }
        }
    }

    private static bool IsRadixDigit(char d, char radix) => radix switch
    {
        'x' => char.IsAsciiHexDigit(d),
        'o' => d is >= '0' and <= '7',
        _ => d is '0' or '1',
    };

    /// <summary>A number directly followed by a name is an error, except before a few keywords (CPython only warns there).</summary>
    private void VerifyEnd(int start, ref TokenFlags flags, string kind)
    {
        if (_pos >= _length)
        {
            return;
        }

        char c = _text[_pos];
        if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || c >= 0x80))
        {
            return;
        }

        foreach (var kw in AllowedAfterNumber)
        {
            if (string.CompareOrdinal(_text, _pos, kw, 0, kw.Length) == 0)
            {
                return;
            }
        }

        int e = _pos;
        while (e < _length && (char.IsAsciiLetterOrDigit(_text[e]) || _text[e] == '_'))
        {
            e++;
        }

        Error($"invalid {kind} literal", start, Math.Max(e, _pos + 1));
        flags |= TokenFlags.Invalid;
    }

    private static readonly string[] AllowedAfterNumber = { "and", "else", "for", "if", "in", "is", "not", "or" };
}
