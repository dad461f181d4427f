using System.Runtime.CompilerServices;
using MLIntern.Python.Lexing;
using MLIntern.Python.Syntax;
using MLIntern.Python.Text;

namespace MLIntern.Python.Parsing;

/// <summary>What <see cref="Parser.Parse(SourceText, TokenRetention)"/> keeps of the tokens once the tree is built.</summary>
public enum TokenRetention
{
    /// <summary>Every token.</summary>
    All,

    /// <summary>Only the comments (what suppressions are read from) when the file has no syntax error; every token otherwise.</summary>
    CommentsWhenClean,
}

/// <summary>The result of parsing: the tree (always present), the tokens and the errors.</summary>
public sealed class ParseResult
{
    internal ParseResult(SourceText source, Module tree, LexResult tokens, List<SyntaxError> errors, SyntaxError? firstError)
    {
        Source = source;
        Tree = tree;
        Tokens = tokens;
        Errors = errors;
        FirstError = firstError;
    }

    /// <summary>
    /// The error CPython would report for this file (it stops at one): tokenizer errors win over
    /// parser errors the way CPython's error reporting orders them. Null if there are none.
    /// </summary>
    public SyntaxError? FirstError { get; }

    public SourceText Source { get; }

    public Module Tree { get; }

    public LexResult Tokens { get; }

    /// <summary>All lexer and parser errors, in source order.</summary>
    public IReadOnlyList<SyntaxError> Errors { get; }

    public bool HasErrors => Errors.Count > 0;

    /// <summary>The ranges of all comments (`# ...`), in order: what suppression comments such as `# noqa: MLI101` are read from.</summary>
    public IEnumerable<TextRange> Comments
    {
        get
        {
            for (int i = 0; i < Tokens.Count; i++)
            {
                var t = Tokens.TokenArray[i];
                if (t.Kind == TokenKind.Comment)
                {
                    yield return t.Range;
                }
            }
        }
    }
}

/// <summary>
/// A recursive-descent parser for Python 3.13. It never throws: on an error it records it,
/// wraps what it has in an error node and resynchronizes at the next line, so a file being
/// typed still yields a tree. Nesting deeper than <see cref="MaxDepth"/> is an error, not a
/// stack overflow; every loop that may not consume input is guarded.
/// </summary>
public sealed partial class Parser
{
    /// <summary>The deepest expression nesting accepted.</summary>
    public const int MaxDepth = 256;

    /// <summary>
    /// The deepest tree accepted, counting chains (`a+b+…`, `a.b.c…`, `- - x`) as nesting, so
    /// that tools walking the tree recursively are safe. CPython refuses trees a few thousand deep.
    /// </summary>
    public const int MaxTreeDepth = 1000;

    private readonly SourceText _source;
    private readonly string _text;
    private readonly Token[] _tok;
    private readonly int _ntok;
    private readonly List<SyntaxError> _errors;
    private int _i;
    private int _depth;
    private int _treeDepth;
    private int _lastErrorPos = -1;
    private int _lastLineEnd;

    private Parser(SourceText source, LexResult lex, bool reuseTokens = false)
    {
        _source = source;
        _text = source.Text;

        // The significant tokens, in order: a copy, or (when the caller is done with the lexer's
        // tokens) the lexer's own array compacted in place, which saves a second array as large.
        var all = lex.TokenArray;
        int count = lex.Count;
        Token[] sig;
        if (reuseTokens)
        {
            sig = all;
        }
        else
        {
            int significant = 0;
            for (int i = 0; i < count; i++)
            {
                if (all[i].Kind != TokenKind.Comment && all[i].Kind != TokenKind.NonLogicalNewline)
                {
                    significant++;
                }
            }

            sig = new Token[significant];
        }

        int n = 0;
        for (int i = 0; i < count; i++)
        {
            var t = all[i];
            if (t.Kind != TokenKind.Comment && t.Kind != TokenKind.NonLogicalNewline)
            {
                sig[n++] = t;
            }
        }

        _tok = sig;
        _ntok = n;
        _errors = new List<SyntaxError>(lex.Errors);
    }

    public static ParseResult Parse(string text) => Parse(SourceText.From(text));

    public static ParseResult Parse(SourceText source) => Parse(source, TokenRetention.All);

    /// <summary>
    /// Parses, keeping of the tokens what <paramref name="retention"/> says. A checker that reads only
    /// comments from a file without errors asks for <see cref="TokenRetention.CommentsWhenClean"/>:
    /// the tokens are ~60 bytes a line (60 MB for a 1M-line script) held as long as the tree.
    /// </summary>
    public static ParseResult Parse(SourceText source, TokenRetention retention)
    {
        var lex = Lexer.Lex(source.Text);
        if (retention == TokenRetention.All || lex.Errors.Count > 0)
        {
            var all = Parse(source, lex, reuseTokens: false);
            return retention == TokenRetention.CommentsWhenClean && !all.HasErrors
                ? new ParseResult(all.Source, all.Tree, all.Tokens.CommentsOnly(), [], null)
                : all;
        }

        // No lexer error: keep the comments, let the parser compact the lexer's array to the
        // significant tokens in place (one token array at a time, ~60 bytes a line, not two), and
        // lex again only for a file the parser finds an error in (its errors keep every token).
        var comments = lex.CommentsOnly();
        var result = Parse(source, lex, reuseTokens: true);
        return result.HasErrors
            ? new ParseResult(result.Source, result.Tree, Lexer.Lex(source.Text), [.. result.Errors], result.FirstError)
            : new ParseResult(result.Source, result.Tree, comments, [], null);
    }

    private static ParseResult Parse(SourceText source, LexResult lex, bool reuseTokens = false)
    {
        var parser = new Parser(source, lex, reuseTokens);
        if (source.DecodeError is { } de)
        {
            int off = source.GetLineStart(de.Line - 1);
            parser._errors.Insert(0, new SyntaxError(de.Message, new TextRange(off, off), SyntaxErrorKind.Encoding));
        }

        Module module;
        try
        {
            module = parser.ParseModule();
        }
        catch (InsufficientExecutionStackException)
        {
            // TryEnsureSufficientExecutionStack guards every recursion; this is the last line of defence.
            module = new Module { Start = 0, End = source.Length };
            parser._errors.Add(new SyntaxError("too deeply nested", new TextRange(0, 0), SyntaxErrorKind.TooDeeplyNested));
        }

        var first = parser.ChooseFirstError(lex.Errors.Count, source.DecodeError is not null);
        parser._errors.Sort((a, b) => a.Range.Start.CompareTo(b.Range.Start));
        return new ParseResult(source, module, lex, parser._errors, first);
    }

    /// <summary>
    /// Which error CPython reports. It tokenizes lazily, so a tokenizer error noticed before the
    /// parser fails wins; after a parser error it tokenizes the rest of the file and a tokenizer
    /// error found there replaces the parser's (an unclosed bracket only if it opened on an
    /// earlier line); a bare unexpected indent is reported as is.
    /// </summary>
    private SyntaxError? ChooseFirstError(int lexCount, bool decodeError)
    {
        if (_errors.Count == 0)
        {
            return null;
        }

        if (decodeError && _source.DecodeError!.Value.Line == 0)
        {
            return _errors[0];
        }

        if (_text.Contains('\0'))
        {
            return new SyntaxError("source code string cannot contain null bytes", new TextRange(0, 0), SyntaxErrorKind.Encoding);
        }

        // A decoding error is noticed when the tokenizer reaches its line: it counts as a tokenizer error.
        int count = Math.Min(lexCount + (decodeError ? 1 : 0), _errors.Count);
        var lexErrors = _errors.GetRange(0, count).OrderBy(e => e.Detection).ToList();
        // The parser's first error in the order it met them: CPython stops at its first failure.
        SyntaxError? parseError = count < _errors.Count ? _errors[count] : null;

        if (parseError is null)
        {
            return lexErrors.Count > 0 ? lexErrors[0] : null;
        }

        if (lexErrors.Count > 0 && lexErrors[0].Detection <= parseError.Range.End)
        {
            return lexErrors[0];
        }

        // Past a point where the lexer closed an unclosed bracket, CPython (which does not
        // recover) would still be inside the bracket and fail on a later line.
        bool pastRecovery = lexErrors.Any(e => e.RecoveredAt >= 0 && parseError.Range.Start >= e.RecoveredAt);

        if (parseError.Message.StartsWith("unexpected indent", StringComparison.Ordinal) || parseError.Message.StartsWith("unexpected unindent", StringComparison.Ordinal))
        {
            return parseError;
        }

        // CPython tokenizes on from the failure and stops at the first error token: one that
        // raises replaces the parser's error; an indentation or continuation error (reported only
        // when parsed) leaves it; reaching the end inside brackets reports the bracket if it
        // opened on an earlier line.
        var next = lexErrors.FirstOrDefault();
        if (next is null || next.IsDeferred)
        {
            return parseError;
        }

        if (next.Kind != SyntaxErrorKind.UnclosedBracket)
        {
            return next;
        }

        return pastRecovery || _source.GetLineIndex(parseError.Range.Start) > _source.GetLineIndex(next.Range.Start) ? next : parseError;
    }

    // ---- Token access -------------------------------------------------------------------

    private ref readonly Token Cur => ref _tok[_i];

    private TokenKind K => _tok[_i].Kind;

    private TokenKind PeekKind(int ahead)
    {
        int j = _i + ahead;
        return j < _ntok ? _tok[j].Kind : TokenKind.EndOfFile;
    }

    private ref readonly Token PeekTok(int ahead)
    {
        int j = Math.Min(_i + ahead, _ntok - 1);
        return ref _tok[j];
    }

    /// <summary>End of the previous significant token: where the node just parsed ends.</summary>
    private int PrevEnd => _i > 0 ? _tok[_i - 1].End : 0;

    private void Advance()
    {
        if (_i < _ntok - 1)
        {
            _i++;
        }
    }

    private bool Eat(TokenKind kind)
    {
        if (K == kind)
        {
            Advance();
            return true;
        }

        return false;
    }

    private void Expect(TokenKind kind, string what)
    {
        if (K == kind)
        {
            Advance();
            return;
        }

        ErrorAtCurrent($"expected {what}", SyntaxErrorKind.ExpectedToken);
    }

    private string TokenText(in Token t) => _text.Substring(t.Start, t.End - t.Start);

    private bool IsSoft(string word) => K == TokenKind.Name && (Cur.Flags & TokenFlags.SoftKeyword) != 0 && _text.AsSpan(Cur.Start, Cur.End - Cur.Start).SequenceEqual(word);

    // ---- Errors ---------------------------------------------------------------------------

    private void Error(string message, int start, int end, SyntaxErrorKind kind = SyntaxErrorKind.InvalidSyntax)
    {
        if (start == _lastErrorPos)
        {
            return;
        }

        _lastErrorPos = start;
        _errors.Add(new SyntaxError(message, new TextRange(start, Math.Max(start, end)), kind));
    }

    private void ErrorAtCurrent(string message, SyntaxErrorKind kind = SyntaxErrorKind.InvalidSyntax)
    {
        ref readonly var t = ref Cur;
        if (AtEndOfFile(out var last))
        {
            Error(message, last.Start, last.End, kind);
            return;
        }

        if ((t.Flags & TokenFlags.Invalid) != 0 && t.Kind != TokenKind.NotEqual)
        {
            // The lexer already reported this token.
            _lastErrorPos = t.Start;
            return;
        }

        if (t.Kind == TokenKind.NotEqual && (t.Flags & TokenFlags.Invalid) != 0)
        {
            Error("invalid syntax", t.Start, t.End);
            return;
        }

        Error(message, t.Start, t.End, kind);
    }

    private void ExitNesting()
    {
        _depth--;
        _treeDepth--;
    }

    /// <summary>Counts <paramref name="levels"/> more tree levels; false (and one error) when the tree gets too deep.</summary>
    private bool AddTreeDepth(int levels)
    {
        _treeDepth += levels;
        if (_treeDepth > MaxTreeDepth)
        {
            ErrorAtCurrent("expression too complex (nested too deeply)", SyntaxErrorKind.TooDeeplyNested);
            return false;
        }

        return true;
    }

    /// <summary>
    /// Inside brackets, an element followed directly by the start of another expression is
    /// most likely a missing comma; CPython reports it from the start of the first element.
    /// </summary>
    private void CheckMissingComma(Expr element)
    {
        if (StartsExpression(K) && K != TokenKind.Star && !(element is Name && K is TokenKind.String or TokenKind.FStringStart))
        {
            Error("invalid syntax. Perhaps you forgot a comma?", element.Start, Cur.End);
        }
    }

    /// <summary>At the end of the file CPython points at the last line read; this gives a position on it.</summary>
    private bool AtEndOfFile(out Token last)
    {
        last = Cur;
        if (!(Cur.Kind is TokenKind.EndOfFile or TokenKind.Dedent && Cur.Start == _text.Length && _text.Length > 0))
        {
            return false;
        }

        // CPython's end marker sits on the last line read: a final line break does not start a new line.
        last = new Token(TokenKind.EndOfFile, _text.Length - 1, _text.Length);
        return true;
    }

    private bool EnterNesting()
    {
        _treeDepth++;
        if (++_depth > MaxDepth || _treeDepth > MaxTreeDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            ErrorAtCurrent("too many nested parentheses or expressions", SyntaxErrorKind.TooDeeplyNested);
            return false;
        }

        return true;
    }

    private T Fin<T>(T node, int start)
        where T : Node
    {
        node.Start = start;
        node.End = Math.Max(start, PrevEnd);
        return node;
    }

    private ErrorExpr ErrorExprHere(ErrorCategory category, params Node[] parsed)
    {
        int pos = parsed.Length > 0 ? parsed[0].Start : Cur.Start;
        var e = new ErrorExpr { Category = category, Start = pos, End = parsed.Length > 0 ? parsed[^1].End : pos };
        e.Parsed = parsed;
        return e;
    }

    /// <summary>Skips to the end of the logical line (consuming its NEWLINE) after an error.</summary>
    private void SkipLine()
    {
        while (K != TokenKind.Newline && K != TokenKind.EndOfFile)
        {
            if (K == TokenKind.Indent || K == TokenKind.Dedent)
            {
                return;
            }

            Advance();
        }

        Eat(TokenKind.Newline);
    }

    private void Speculate(out (int I, int Errors, int LastError) state) => state = (_i, _errors.Count, _lastErrorPos);

    private void Restore((int I, int Errors, int LastError) state)
    {
        _i = state.I;
        _errors.RemoveRange(state.Errors, _errors.Count - state.Errors);
        _lastErrorPos = state.LastError;
    }
}
