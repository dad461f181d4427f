using MLIntern.Python.Lexing;
using MLIntern.Python.Parsing;
using MLIntern.Python.Syntax;
using MLIntern.Python.Text;

namespace MLIntern.Python.Tests.Parsing;

/// <summary>
/// <see cref="TokenRetention.CommentsWhenClean"/> parses from the lexer's own array compacted in place, and lexes
/// a second time only when the parser finds an error: whatever path a file takes, the tree and errors are those of
/// a plain parse, a clean file keeps its comments, and a file with an error keeps every token (MLI000 reads them).
/// </summary>
public sealed class TokenRetentionTests
{
    public static TheoryData<string, string> Files => new()
    {
        { "clean", "# top\nimport torch  # noqa: MLI505\n\ndef f(x):\n    # inside\n    return (x +\n            1)\n" },
        { "parser error only", "x = 1  # one\nif x\n    y = 2\n# after\nz = (3,\n     4)\n" },
        { "parser error at the end", "def f():\n    return 1  # one\n\nclass C(:\n    pass\n" },
        { "lexer error", "s = 'unterminated\n# c\nt = 2\n" },
        { "unclosed bracket", "a = f(1,\n# c\nb = 2\n" },
        { "bad indent", "x = 1\n    y = 2  # stray\nz = 3\n" },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void Comments_when_clean_gives_the_plain_parse_and_keeps_what_it_says(string name, string text)
    {
        var plain = Parser.Parse(SourceText.From(text), TokenRetention.All);
        var kept = Parser.Parse(SourceText.From(text), TokenRetention.CommentsWhenClean);

        Assert.Equal(AstJson.ToJson(plain), AstJson.ToJson(kept));
        Assert.Equal(plain.Errors.Select(e => (e.Message, e.Range)), kept.Errors.Select(e => (e.Message, e.Range)));
        Assert.Equal(plain.FirstError?.Message, kept.FirstError?.Message);
        Assert.Equal(plain.Comments, kept.Comments);

        var everyToken = Lexer.Lex(text).Tokens.ToArray();
        if (plain.HasErrors)
        {
            // Every token, in order, as the lexer gives them: not the parser's compacted array.
            Assert.True(kept.HasErrors, name);
            Assert.Equal(everyToken, kept.Tokens.Tokens.ToArray());
            Assert.Contains(kept.Tokens.Tokens.ToArray(), t => t.Kind == TokenKind.Comment);
        }
        else
        {
            Assert.All(kept.Tokens.Tokens.ToArray(), t => Assert.Equal(TokenKind.Comment, t.Kind));
            Assert.Equal(everyToken.Count(t => t.Kind == TokenKind.Comment), kept.Tokens.Count);
        }
    }
}
