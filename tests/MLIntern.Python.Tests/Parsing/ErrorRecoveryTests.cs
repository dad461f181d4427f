using MLIntern.Python.Lexing;
using MLIntern.Python.Parsing;
using MLIntern.Python.Syntax;

namespace MLIntern.Python.Tests.Parsing;

public sealed class ErrorRecoveryTests
{
    [Fact]
    public void AnUnclosedCallKeepsTheStatementsAfterIt()
    {
        var r = Parser.Parse("a = f(1,\nb = 2\ndef g():\n    return b\n");
        Assert.Equal(SyntaxErrorKind.UnclosedBracket, r.FirstError!.Kind);
        Assert.Contains(r.Tree.Body, s => s is Assign { Targets: [Name { Id: "b" }] });
        Assert.Contains(r.Tree.Body, s => s is FunctionDef { Name: "g" });
        var call = Assert.IsType<Call>(Assert.IsType<Assign>(r.Tree.Body[0]).Value);
        Assert.Single(call.Args);
    }

    [Fact]
    public void HalfADefAndAStrayIndentStillYieldTheRest()
    {
        var r = Parser.Parse("def f(\nx = 1\n    y = 2\nz = 3\n");
        Assert.True(r.HasErrors);
        Assert.Contains(r.Tree.Body, s => s is Assign { Targets: [Name { Id: "z" }] });

        var r2 = Parser.Parse("x = 1\n    y = 2\nz = 3\n");
        Assert.Equal("unexpected indent", r2.FirstError!.Message);
        Assert.Equal(3, r2.Tree.Body.Count);
    }

    [Fact]
    public void AMissingExpressionIsAnErrorNodeInPlace()
    {
        var r = Parser.Parse("x = \ny = 2\n");
        var assign = Assert.IsType<Assign>(r.Tree.Body[0]);
        Assert.Equal(ErrorCategory.ExpectedExpression, Assert.IsType<ErrorExpr>(assign.Value).Category);
        Assert.IsType<Assign>(r.Tree.Body[1]);
    }

    [Fact]
    public void ErrorsAreReportedOnTheLineCPythonReports()
    {
        Assert.Equal(1, Line(Parser.Parse("print 'x'\n")));
        Assert.Equal(2, Line(Parser.Parse("if x:\npass\n")));
        Assert.Equal(2, Line(Parser.Parse("try:\n  pass\n")));
        Assert.Equal(2, Line(Parser.Parse("x = (1,\n 2\n y)\n")));
        Assert.Equal(3, Line(Parser.Parse("def f(:\n  pass\nx = '''\n")));
    }

    [Fact]
    public void NodesHaveExactRanges()
    {
        const string src = "x = foo(a, b=[1, 2])[0].y  # c\n";
        var r = Parser.Parse(src);
        var assign = Assert.IsType<Assign>(r.Tree.Body[0]);
        Assert.Equal("x = foo(a, b=[1, 2])[0].y", src[assign.Start..assign.End]);
        var attr = Assert.IsType<AttributeExpr>(assign.Value);
        var sub = Assert.IsType<Subscript>(attr.Value);
        var call = Assert.IsType<Call>(sub.Value);
        Assert.Equal("foo(a, b=[1, 2])", src[call.Start..call.End]);
        Assert.Equal("b=[1, 2]", src[call.Keywords[0].Start..call.Keywords[0].End]);
    }

    private static int Line(ParseResult r) => r.Source.GetLineIndex(r.FirstError!.Range.Start) + 1;
}
