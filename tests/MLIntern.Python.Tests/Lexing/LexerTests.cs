using MLIntern.Python.Lexing;

namespace MLIntern.Python.Tests.Lexing;

public sealed class LexerTests
{
    private static List<TokenKind> Kinds(string text, bool trivia = false) =>
        Lexer.Lex(text).Tokens.ToArray().Where(t => trivia || !t.IsTrivia).Select(t => t.Kind).ToList();

    [Fact]
    public void IndentationProducesIndentAndDedentAndCommentsAreKept()
    {
        var lex = Lexer.Lex("if x:  # noqa: MLI101\n    y = 1\n\n    # c\nz\n");
        var kinds = lex.Tokens.ToArray().Select(t => t.Kind).ToList();
        Assert.Equal(
            new[]
            {
                TokenKind.If, TokenKind.Name, TokenKind.Colon, TokenKind.Comment, TokenKind.Newline, TokenKind.Indent, TokenKind.Name, TokenKind.Equal,
                TokenKind.Number, TokenKind.Newline, TokenKind.NonLogicalNewline, TokenKind.Comment, TokenKind.NonLogicalNewline, TokenKind.Dedent,
                TokenKind.Name, TokenKind.Newline, TokenKind.EndOfFile,
            },
            kinds);
        var comment = lex.Tokens.ToArray().First(t => t.Kind == TokenKind.Comment);
        Assert.Equal("# noqa: MLI101", "if x:  # noqa: MLI101\n".Substring(comment.Start, comment.End - comment.Start));
        Assert.Equal(IndentStyle.Spaces, lex.IndentStyle);
    }

    [Fact]
    public void InconsistentTabsAreAnError()
    {
        var lex = Lexer.Lex("if x:\n\ty = 1\n        z = 2\n");
        Assert.Contains(lex.Errors, e => e.Kind == SyntaxErrorKind.TabError);
        Assert.Equal(IndentStyle.Tabs, lex.IndentStyle);
    }

    [Fact]
    public void BracketsJoinLinesAndBackslashesContinueThem()
    {
        Assert.Equal(new[] { TokenKind.Name, TokenKind.Equal, TokenKind.LeftParen, TokenKind.Number, TokenKind.Comma, TokenKind.Number, TokenKind.RightParen, TokenKind.Newline, TokenKind.EndOfFile }, Kinds("x = (1,\n  2)\n"));
        Assert.Equal(new[] { TokenKind.Name, TokenKind.Equal, TokenKind.Number, TokenKind.Plus, TokenKind.Number, TokenKind.Newline, TokenKind.EndOfFile }, Kinds("x = 1 + \\\n  2\n"));
    }

    [Fact]
    public void FStringsAreNestedTokens()
    {
        var kinds = Kinds("f'a{x!r:>{w}}b{\"q\"=}'");
        Assert.Equal(
            new[]
            {
                TokenKind.FStringStart, TokenKind.FStringMiddle, TokenKind.LeftBrace, TokenKind.Name, TokenKind.Exclamation, TokenKind.Name, TokenKind.Colon,
                TokenKind.FStringMiddle, TokenKind.LeftBrace, TokenKind.Name, TokenKind.RightBrace, TokenKind.RightBrace, TokenKind.FStringMiddle,
                TokenKind.LeftBrace, TokenKind.String, TokenKind.Equal, TokenKind.RightBrace, TokenKind.FStringEnd, TokenKind.Newline, TokenKind.EndOfFile,
            },
            kinds);
    }

    [Theory]
    [InlineData("0x_1F", TokenFlags.Integer)]
    [InlineData("1_000.5e-3", TokenFlags.Float)]
    [InlineData("3j", TokenFlags.Imaginary)]
    [InlineData("0o17", TokenFlags.Integer)]
    [InlineData(".5", TokenFlags.Float)]
    public void NumbersAreClassified(string text, TokenFlags expected)
    {
        var t = Lexer.Lex(text).Tokens[0];
        Assert.Equal(TokenKind.Number, t.Kind);
        Assert.True((t.Flags & expected) != 0, t.Flags.ToString());
        Assert.Equal(text.Length, t.End);
    }

    [Theory]
    [InlineData("0777")]
    [InlineData("1__0")]
    [InlineData("0b12")]
    [InlineData("'abc")]
    [InlineData("\"\"\"abc")]
    [InlineData("x = €")]
    [InlineData(")")]
    [InlineData("(]")]
    public void InvalidInputBecomesErrorsNotExceptions(string text)
    {
        var lex = Lexer.Lex(text);
        Assert.NotEmpty(lex.Errors);
        Assert.Equal(TokenKind.EndOfFile, lex.Tokens[^1].Kind);
    }

    [Fact]
    public void SoftKeywordsAreNamesWithAFlagAndStyleIsRecorded()
    {
        var lex = Lexer.Lex("match = 'a'\ntype = \"b\"\nc = \"d\"\n");
        var names = lex.Tokens.ToArray().Where(t => t.Kind == TokenKind.Name).ToList();
        Assert.True((names[0].Flags & TokenFlags.SoftKeyword) != 0);
        Assert.True((names[1].Flags & TokenFlags.SoftKeyword) != 0);
        Assert.False((names[2].Flags & TokenFlags.SoftKeyword) != 0);
        Assert.Equal(QuoteStyle.Double, lex.QuoteStyle);
    }
}
