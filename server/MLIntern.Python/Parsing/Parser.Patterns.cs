using MLIntern.Python.Lexing;
using MLIntern.Python.Syntax;

namespace MLIntern.Python.Parsing;

public sealed partial class Parser
{
    /// <summary>`match` is a soft keyword: this is a match statement only if `match subject:` NEWLINE INDENT `case` follows.</summary>
    private Stmt? TryParseMatch()
    {
        int start = Cur.Start;
        var next = PeekKind(1);
        if (next is TokenKind.Equal or TokenKind.Dot or TokenKind.Newline or TokenKind.EndOfFile or TokenKind.Colon or TokenKind.Comma
            or TokenKind.RightParen or TokenKind.Semicolon || (next >= TokenKind.PlusEqual && next <= TokenKind.DoubleSlashEqual) || next == TokenKind.AtEqual)
        {
            return null;
        }

        Speculate(out var state);
        Advance();
        var subject = K == TokenKind.Star ? ParseStarExpressions() : ParseStarNamedExpressions();
        if (K != TokenKind.Colon || _errors.Count != state.Errors)
        {
            Restore(state);
            return null;
        }

        Advance(); // :
        if (K != TokenKind.Newline || PeekKind(1) != TokenKind.Indent)
        {
            if (K == TokenKind.Newline)
            {
                // `match x:` followed by no indented block: it is a match statement with an error.
                Advance();
                Error($"expected an indented block after 'match' statement on line {_source.GetLineIndex(start) + 1}", Cur.Start, Cur.End, SyntaxErrorKind.Indentation);
                return Fin(new Match { Subject = subject }, start);
            }

            Restore(state);
            return null;
        }

        Advance();
        Advance(); // NEWLINE INDENT
        var match = new Match { Subject = subject, Start = start };
        var cases = new List<MatchCase>();
        while (K != TokenKind.Dedent && K != TokenKind.EndOfFile)
        {
            int before = _i;
            if (IsSoft("case"))
            {
                cases.Add(ParseCase());
            }
            else
            {
                ErrorAtCurrent("expected 'case' block");
                SkipLine();
            }

            EnsureProgress(before);
        }

        Eat(TokenKind.Dedent);
        match.Cases = cases;
        match.End = match.Cases.Count > 0 ? match.Cases[^1].End : PrevEnd;
        return match;
    }

    private Expr ParseStarNamedExpressions()
    {
        int start = Cur.Start;
        var first = ParseStarNamedExpression();
        if (K != TokenKind.Comma)
        {
            return first;
        }

        var elts = new List<Expr> { first };
        while (Eat(TokenKind.Comma))
        {
            if (!StartsExpression(K))
            {
                break;
            }

            elts.Add(ParseStarNamedExpression());
        }

        return Fin(new Syntax.TupleExpr { Elts = elts, Ctx = ExprContext.Load }, start);
    }

    private MatchCase ParseCase()
    {
        int start = Cur.Start;
        Advance(); // case
        var pattern = ParseTopPattern();
        Expr? guard = null;
        if (Eat(TokenKind.If))
        {
            guard = ParseNamedExpression();
        }

        var body = ParseBlock("'case' statement", start);
        return new MatchCase { Pattern = pattern, Guard = guard, Body = body, Start = start, End = BodyEnd(body, PrevEnd) };
    }

    private Pattern ParseTopPattern()
    {
        int start = Cur.Start;
        var first = ParseMaybeStarPattern();
        if (K != TokenKind.Comma)
        {
            return first;
        }

        var seqPatterns = new List<Pattern>();
        var seq = new MatchSequence();
        seqPatterns.Add(first);
        while (Eat(TokenKind.Comma))
        {
            if (K is TokenKind.Colon or TokenKind.If)
            {
                break;
            }

            seqPatterns.Add(ParseMaybeStarPattern());
        }

        seq.Patterns = seqPatterns;
        return Fin(seq, start);
    }

    private Pattern ParseMaybeStarPattern()
    {
        if (K != TokenKind.Star)
        {
            return ParsePattern();
        }

        int start = Cur.Start;
        Advance();
        string? name = null;
        if (K == TokenKind.Name)
        {
            name = NameValue(Cur);
            if (name == "_")
            {
                name = null;
            }

            Advance();
        }
        else
        {
            ErrorAtCurrent("expected a name after '*'");
        }

        return Fin(new MatchStar { Name = name }, start);
    }

    private Pattern ParsePattern()
    {
        if (!EnterNesting())
        {
            ExitNesting();
            return new MatchAs { Start = Cur.Start, End = Cur.Start };
        }

        try
        {
            int start = Cur.Start;
            var p = ParseOrPattern();
            if (K == TokenKind.As)
            {
                Advance();
                string? name = null;
                if (K == TokenKind.Name)
                {
                    name = NameValue(Cur);
                    if (name == "_")
                    {
                        ErrorAtCurrent("cannot use '_' as a target");
                    }

                    Advance();
                }
                else
                {
                    ErrorAtCurrent("invalid pattern target");
                }

                return Fin(new MatchAs { Pattern = p, Name = name }, start);
            }

            return p;
        }
        finally
        {
            ExitNesting();
        }
    }

    private Pattern ParseOrPattern()
    {
        int start = Cur.Start;
        var first = ParseClosedPattern();
        if (K != TokenKind.VerticalBar)
        {
            return first;
        }

        var orPatterns = new List<Pattern>();
        var or = new MatchOr();
        orPatterns.Add(first);
        while (Eat(TokenKind.VerticalBar))
        {
            orPatterns.Add(ParseClosedPattern());
        }

        or.Patterns = orPatterns;
        return Fin(or, start);
    }

    private Pattern ParseClosedPattern()
    {
        int start = Cur.Start;
        switch (K)
        {
            case TokenKind.None:
            case TokenKind.True:
            case TokenKind.False:
            {
                object? v = K == TokenKind.None ? null : K == TokenKind.True;
                Advance();
                return Fin(new MatchSingleton { Value = v }, start);
            }

            case TokenKind.Number:
            case TokenKind.Minus:
            case TokenKind.String:
            case TokenKind.FStringStart:
            {
                var value = ParseLiteralPatternValue();
                return Fin(new MatchValue { Value = value }, start);
            }

            case TokenKind.Name:
            {
                if (PeekKind(1) is not (TokenKind.Dot or TokenKind.LeftParen))
                {
                    var name = NameValue(Cur);
                    Advance();
                    return Fin(new MatchAs { Name = name == "_" ? null : name }, start);
                }

                Expr dotted = Fin(new Name { Id = NameValue(Cur), Ctx = ExprContext.Load }, start);
                Advance();
                dotted.End = PrevEnd;
                while (K == TokenKind.Dot)
                {
                    Advance();
                    var attr = ExpectName();
                    dotted = Fin(new AttributeExpr { Value = dotted, Attr = attr, Ctx = ExprContext.Load }, start);
                }

                if (K == TokenKind.LeftParen)
                {
                    return ParseClassPattern(dotted, start);
                }

                return Fin(new MatchValue { Value = dotted }, start);
            }

            case TokenKind.LeftParen:
            {
                Advance();
                if (Eat(TokenKind.RightParen))
                {
                    return Fin(new MatchSequence(), start);
                }

                var first = ParseMaybeStarPattern();
                if (K == TokenKind.RightParen && first is not MatchStar)
                {
                    Advance();
                    return first;
                }

                var seqPatterns = new List<Pattern>();
        var seq = new MatchSequence();
                seqPatterns.Add(first);
                while (Eat(TokenKind.Comma))
                {
                    if (K == TokenKind.RightParen)
                    {
                        break;
                    }

                    seqPatterns.Add(ParseMaybeStarPattern());
                }

                CloseParen();
                seq.Patterns = seqPatterns;
        return Fin(seq, start);
            }

            case TokenKind.LeftBracket:
            {
                Advance();
                var seqPatterns = new List<Pattern>();
        var seq = new MatchSequence();
                while (K != TokenKind.RightBracket)
                {
                    int before = _i;
                    seqPatterns.Add(ParseMaybeStarPattern());
                    if (!Eat(TokenKind.Comma) || _i == before)
                    {
                        break;
                    }
                }

                if (!Eat(TokenKind.RightBracket))
                {
                    ErrorAtCurrent("expected ']'", SyntaxErrorKind.MissingCloseParen);
                }

                seq.Patterns = seqPatterns;
        return Fin(seq, start);
            }

            case TokenKind.LeftBrace:
                return ParseMappingPattern();
        }

        ErrorAtCurrent("invalid pattern");
        if (K is not (TokenKind.Newline or TokenKind.EndOfFile or TokenKind.Colon))
        {
            Advance();
        }

        return Fin(new MatchAs(), start);
    }

    /// <summary>A literal in a pattern: a signed number, a complex `a + bj`, or strings.</summary>
    private Expr ParseLiteralPatternValue()
    {
        int start = Cur.Start;
        if (K is TokenKind.String or TokenKind.FStringStart)
        {
            var s = ParseStrings();
            if (s is JoinedStr)
            {
                Error("patterns may only match literals and attribute lookups", s.Start, s.End);
            }

            return s;
        }

        Expr value;
        if (K == TokenKind.Minus)
        {
            Advance();
            var num = ParseNumberAtom();
            value = Fin(new UnaryOp { Op = UnaryOperator.USub, Operand = num }, start);
        }
        else
        {
            value = ParseNumberAtom();
        }

        if (K is TokenKind.Plus or TokenKind.Minus)
        {
            var op = K == TokenKind.Plus ? Operator.Add : Operator.Sub;
            Advance();
            var imag = ParseNumberAtom();
            if (imag is Constant { Value: not System.Numerics.Complex })
            {
                Error("imaginary number required in complex literal", imag.Start, imag.End);
            }

            value = Fin(new BinOp { Left = value, Op = op, Right = imag }, start);
        }

        return value;
    }

    private Expr ParseNumberAtom()
    {
        int start = Cur.Start;
        if (K != TokenKind.Number)
        {
            ErrorAtCurrent("expected a number");
            return ErrorExprHere(ErrorCategory.ExpectedExpression);
        }

        var c = new Constant { Value = NumberValue(Cur), Start = start, End = Cur.End };
        Advance();
        return c;
    }

    private Pattern ParseClassPattern(Expr cls, int start)
    {
        Advance(); // (
        var node = new MatchClass { Cls = cls };
        var kwdAttrs = new List<string>();
        var kwdPatterns = new List<Pattern>();
        var patterns = new List<Pattern>();
        while (K != TokenKind.RightParen && K != TokenKind.EndOfFile && K != TokenKind.Newline)
        {
            int before = _i;
            if (K == TokenKind.Name && PeekKind(1) == TokenKind.Equal)
            {
                kwdAttrs.Add(NameValue(Cur));
                Advance();
                Advance();
                kwdPatterns.Add(ParsePattern());
            }
            else
            {
                var p = ParsePattern();
                if (kwdAttrs.Count > 0)
                {
                    Error("positional patterns follow keyword patterns", p.Start, p.End);
                }

                patterns.Add(p);
            }

            if (!Eat(TokenKind.Comma) || _i == before)
            {
                break;
            }
        }

        CloseParen();
        node.Patterns = patterns;
        node.KwdAttrs = kwdAttrs;
        node.KwdPatterns = kwdPatterns;
        return Fin(node, start);
    }

    private Pattern ParseMappingPattern()
    {
        int start = Cur.Start;
        Advance(); // {
        var node = new MatchMapping();
        var keys = new List<Expr>();
        var patterns = new List<Pattern>();
        while (K != TokenKind.RightBrace && K != TokenKind.EndOfFile && K != TokenKind.Newline)
        {
            int before = _i;
            if (K == TokenKind.DoubleStar)
            {
                Advance();
                node.Rest = ExpectName();
            }
            else
            {
                Expr key;
                if (K is TokenKind.None or TokenKind.True or TokenKind.False)
                {
                    key = ParseAtom();
                }
                else if (K == TokenKind.Name)
                {
                    int ks = Cur.Start;
                    key = Fin(new Name { Id = NameValue(Cur), Ctx = ExprContext.Load }, ks);
                    Advance();
                    key.End = PrevEnd;
                    while (K == TokenKind.Dot)
                    {
                        Advance();
                        var attr = ExpectName();
                        key = Fin(new AttributeExpr { Value = key, Attr = attr, Ctx = ExprContext.Load }, ks);
                    }

                    if (key is Name)
                    {
                        Error("mapping pattern keys may only match literals and attribute lookups", key.Start, key.End);
                    }
                }
                else
                {
                    key = ParseLiteralPatternValue();
                }

                Expect(TokenKind.Colon, "':'");
                keys.Add(key);
                patterns.Add(ParsePattern());
            }

            if (!Eat(TokenKind.Comma) || _i == before)
            {
                break;
            }
        }

        CloseBrace();
        node.Patterns = patterns;
        node.Keys = keys;
        return Fin(node, start);
    }
}
