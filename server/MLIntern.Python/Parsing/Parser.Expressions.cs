using MLIntern.Python.Lexing;
using MLIntern.Python.Syntax;

namespace MLIntern.Python.Parsing;

public sealed partial class Parser
{
    private static bool StartsExpression(TokenKind k) => k switch
    {
        TokenKind.Name or TokenKind.Number or TokenKind.String or TokenKind.FStringStart or TokenKind.LeftParen
            or TokenKind.LeftBracket or TokenKind.LeftBrace or TokenKind.Minus or TokenKind.Plus or TokenKind.Tilde
            or TokenKind.Not or TokenKind.Lambda or TokenKind.Await or TokenKind.None or TokenKind.True
            or TokenKind.False or TokenKind.Ellipsis or TokenKind.Star => true,
        _ => false,
    };

    /// <summary>star_expressions: one expression, or a tuple of them (with optional starred items).</summary>
    private Expr ParseStarExpressions()
    {
        int start = Cur.Start;
        var first = ParseStarExpressionItem();
        if (K != TokenKind.Comma)
        {
            return first;
        }

        var elts = new List<Expr> { first };
        while (K == TokenKind.Comma)
        {
            Advance();
            if (!StartsExpression(K))
            {
                break;
            }

            elts.Add(ParseStarExpressionItem());
        }

        return Fin(new TupleExpr { Elts = elts, Ctx = ExprContext.Load }, start);
    }

    private Expr ParseStarExpressionItem() => K == TokenKind.Star ? ParseStarredExpression() : ParseExpression();

    private Expr ParseStarredExpression()
    {
        int start = Cur.Start;
        Advance();
        var value = ParseBitOr();
        return Fin(new Starred { Value = value, Ctx = ExprContext.Load }, start);
    }

    /// <summary>star_named_expression: `*x`, `x := y` or an expression.</summary>
    private Expr ParseStarNamedExpression() => K == TokenKind.Star ? ParseStarredExpression() : ParseNamedExpression();

    private Expr ParseNamedExpression()
    {
        if (K == TokenKind.Name && PeekKind(1) == TokenKind.ColonEqual)
        {
            int start = Cur.Start;
            var target = Fin(new Name { Id = NameValue(Cur), Ctx = ExprContext.Store }, start);
            Advance();
            target.End = PrevEnd;
            Advance(); // :=
            var value = ParseExpression();
            return Fin(new NamedExpr { Target = target, Value = value }, start);
        }

        var e = ParseExpression();
        if (K == TokenKind.ColonEqual)
        {
            Error($"cannot use assignment expressions with {Describe(e)}", e.Start, e.End, SyntaxErrorKind.InvalidTarget);
            Advance();
            var value = ParseExpression();
            return Fin(new NamedExpr { Target = e, Value = value }, e.Start);
        }

        return e;
    }

    /// <summary>expression: lambda, conditional expression, or disjunction.</summary>
    private Expr ParseExpression()
    {
        if (!EnterNesting())
        {
            ExitNesting();
            return ErrorExprHere(ErrorCategory.TooDeeplyNested);
        }

        try
        {
            if (K == TokenKind.Lambda)
            {
                return ParseLambda();
            }

            int start = Cur.Start;
            var body = ParseOr();
            if (K == TokenKind.If)
            {
                Advance();
                var test = ParseOr();
                Expr orelse;
                if (Eat(TokenKind.Else))
                {
                    orelse = ParseExpression();
                }
                else
                {
                    ErrorAtCurrent("expected 'else' after 'if' expression");
                    orelse = ErrorExprHere(ErrorCategory.ExpectedExpression);
                }

                return Fin(new IfExp { Test = test, Body = body, OrElse = orelse }, start);
            }

            return body;
        }
        finally
        {
            ExitNesting();
        }
    }

    private Expr ParseLambda()
    {
        int start = Cur.Start;
        Advance();
        var args = ParseParameters(TokenKind.Colon, false);
        Expect(TokenKind.Colon, "':'");
        var body = ParseExpression();
        return Fin(new Lambda { Args = args, Body = body }, start);
    }

    private Expr ParseOr()
    {
        int start = Cur.Start;
        var first = ParseAnd();
        if (K != TokenKind.Or)
        {
            return first;
        }

        var values = new List<Expr> { first };
        while (Eat(TokenKind.Or))
        {
            values.Add(ParseAnd());
        }

        return Fin(new BoolOp { Op = BoolOperator.Or, Values = values }, start);
    }

    private Expr ParseAnd()
    {
        int start = Cur.Start;
        var first = ParseNot();
        if (K != TokenKind.And)
        {
            return first;
        }

        var values = new List<Expr> { first };
        while (Eat(TokenKind.And))
        {
            values.Add(ParseNot());
        }

        return Fin(new BoolOp { Op = BoolOperator.And, Values = values }, start);
    }

    private Expr ParseNot()
    {
        if (K != TokenKind.Not)
        {
            return ParseComparison();
        }

        // Iterative, so that a long run of `not` cannot exhaust the stack.
        var starts = new List<int>();
        while (K == TokenKind.Not)
        {
            starts.Add(Cur.Start);
            Advance();
        }

        bool ok = AddTreeDepth(starts.Count);
        var operand = ParseComparison();
        _treeDepth -= starts.Count;
        if (!ok)
        {
            starts.RemoveRange(0, starts.Count - 1);
        }

        for (int j = starts.Count - 1; j >= 0; j--)
        {
            operand = new UnaryOp { Op = UnaryOperator.Not, Operand = operand, Start = starts[j], End = PrevEnd };
        }

        return operand;
    }

    private Expr ParseComparison()
    {
        int start = Cur.Start;
        var left = ParseBitOr();
        List<CmpOperator>? ops = null;
        List<Expr>? comparators = null;
        while (true)
        {
            CmpOperator op;
            switch (K)
            {
                case TokenKind.EqualEqual: op = CmpOperator.Eq; break;
                case TokenKind.NotEqual:
                    if ((Cur.Flags & TokenFlags.Invalid) != 0)
                    {
                        ErrorAtCurrent("invalid syntax");
                    }

                    op = CmpOperator.NotEq;
                    break;
                case TokenKind.Less: op = CmpOperator.Lt; break;
                case TokenKind.LessEqual: op = CmpOperator.LtE; break;
                case TokenKind.Greater: op = CmpOperator.Gt; break;
                case TokenKind.GreaterEqual: op = CmpOperator.GtE; break;
                case TokenKind.In: op = CmpOperator.In; break;
                case TokenKind.Is:
                    if (PeekKind(1) == TokenKind.Not)
                    {
                        Advance();
                        op = CmpOperator.IsNot;
                    }
                    else
                    {
                        op = CmpOperator.Is;
                    }

                    break;
                case TokenKind.Not when PeekKind(1) == TokenKind.In:
                    Advance();
                    op = CmpOperator.NotIn;
                    break;
                default:
                    if (ops is null)
                    {
                        return left;
                    }

                    return Fin(new Compare { Left = left, Ops = ops, Comparators = comparators! }, start);
            }

            Advance();
            ops ??= new List<CmpOperator>();
            comparators ??= new List<Expr>();
            ops.Add(op);
            comparators.Add(ParseBitOr());
        }
    }

    private static int BinaryPrecedence(TokenKind k) => k switch
    {
        TokenKind.VerticalBar => 1,
        TokenKind.CircumFlex => 2,
        TokenKind.Ampersand => 3,
        TokenKind.LeftShift or TokenKind.RightShift => 4,
        TokenKind.Plus or TokenKind.Minus => 5,
        TokenKind.Star or TokenKind.Slash or TokenKind.DoubleSlash or TokenKind.Percent or TokenKind.At => 6,
        _ => 0,
    };

    private static Operator BinaryOperator(TokenKind k) => k switch
    {
        TokenKind.VerticalBar => Operator.BitOr,
        TokenKind.CircumFlex => Operator.BitXor,
        TokenKind.Ampersand => Operator.BitAnd,
        TokenKind.LeftShift => Operator.LShift,
        TokenKind.RightShift => Operator.RShift,
        TokenKind.Plus => Operator.Add,
        TokenKind.Minus => Operator.Sub,
        TokenKind.Star => Operator.Mult,
        TokenKind.Slash => Operator.Div,
        TokenKind.DoubleSlash => Operator.FloorDiv,
        TokenKind.Percent => Operator.Mod,
        _ => Operator.MatMult,
    };

    private Expr ParseBitOr() => ParseBinary(1);

    /// <summary>Precedence climbing: left-associative chains are built in a loop, so `a+a+a+…` uses constant stack.</summary>
    private Expr ParseBinary(int minPrec)
    {
        int start = Cur.Start;
        var left = ParseUnary();
        int wraps = 0;
        bool tooDeep = false;
        while (true)
        {
            int prec = BinaryPrecedence(K);
            if (prec == 0 || prec < minPrec)
            {
                _treeDepth -= wraps;
                return left;
            }

            var op = BinaryOperator(K);
            Advance();
            var right = prec == 6 ? ParseUnary() : ParseBinary(prec + 1);
            if (tooDeep || !AddTreeDepth(1))
            {
                // Past the depth cap the rest of the chain is parsed but not kept.
                tooDeep = true;
                continue;
            }

            wraps++;
            left = new BinOp { Left = left, Op = op, Right = right, Start = start, End = PrevEnd };
        }
    }

    private Expr ParseUnary()
    {
        if (K is not (TokenKind.Minus or TokenKind.Plus or TokenKind.Tilde))
        {
            return ParsePower();
        }

        var ops = new List<(int Start, UnaryOperator Op)>();
        while (K is TokenKind.Minus or TokenKind.Plus or TokenKind.Tilde)
        {
            ops.Add((Cur.Start, K == TokenKind.Minus ? UnaryOperator.USub : K == TokenKind.Plus ? UnaryOperator.UAdd : UnaryOperator.Invert));
            Advance();
        }

        bool ok = AddTreeDepth(ops.Count);
        var operand = ParsePower();
        _treeDepth -= ops.Count;
        if (!ok)
        {
            ops.RemoveRange(0, ops.Count - 1);
        }

        for (int j = ops.Count - 1; j >= 0; j--)
        {
            operand = new UnaryOp { Op = ops[j].Op, Operand = operand, Start = ops[j].Start, End = PrevEnd };
        }

        return operand;
    }

    private Expr ParsePower()
    {
        int start = Cur.Start;
        Expr left;
        if (K == TokenKind.Await)
        {
            Advance();
            var value = ParsePrimary();
            left = Fin(new Await { Value = value }, start);
        }
        else
        {
            left = ParsePrimary();
        }

        if (K == TokenKind.DoubleStar)
        {
            Advance();
            if (!EnterNesting())
            {
                ExitNesting();
                return left;
            }

            try
            {
                var right = ParseUnary();
                return Fin(new BinOp { Left = left, Op = Operator.Pow, Right = right }, start);
            }
            finally
            {
                ExitNesting();
            }
        }

        return left;
    }

    private Expr ParsePrimary()
    {
        int start = Cur.Start;
        var e = ParseAtom();
        int wraps = 0;
        try
        {
            while (true)
            {
                if (K is TokenKind.Dot or TokenKind.LeftParen or TokenKind.LeftBracket)
                {
                    if (!AddTreeDepth(1))
                    {
                        _treeDepth--;
                        SkipTrailers();
                        return e;
                    }

                    wraps++;
                }

                e = ParseTrailer(e, start, out bool done);
                if (done)
                {
                    return e;
                }
            }
        }
        finally
        {
            _treeDepth -= wraps;
        }
    }

    /// <summary>Past the depth cap: consumes the remaining trailers of a primary without building nodes.</summary>
    private void SkipTrailers()
    {
        while (true)
        {
            int before = _i;
            var dummy = ParseTrailer(ErrorExprHere(ErrorCategory.TooDeeplyNested), Cur.Start, out bool done);
            _ = dummy;
            if (done || _i == before)
            {
                return;
            }
        }
    }

    private Expr ParseTrailer(Expr e, int start, out bool done)
    {
        done = false;
        switch (K)
        {
            case TokenKind.Dot:
                Advance();
                string attr;
                if (K == TokenKind.Name)
                {
                    attr = NameValue(Cur);
                    Advance();
                }
                else
                {
                    ErrorAtCurrent("expected an attribute name after '.'");
                    attr = "";
                }

                e = Fin(new AttributeExpr { Value = e, Attr = attr, Ctx = ExprContext.Load }, start);
                break;
            case TokenKind.LeftParen:
            {
                int open = Cur.Start;
                Advance();
                var args = new List<Expr>();
                var keywords = new List<Keyword>();
                ParseCallArguments(args, keywords, open);
                var call = new Call { Func = e, Args = args, Keywords = keywords };
                e = Fin(call, start);
                break;
            }

            case TokenKind.LeftBracket:
            {
                Advance();
                var slice = ParseSlices();
                if (!Eat(TokenKind.RightBracket))
                {
                    ErrorAtCurrent("expected ']'", SyntaxErrorKind.MissingCloseParen);
                }

                e = Fin(new Subscript { Value = e, Slice = slice, Ctx = ExprContext.Load }, start);
                break;
            }

            default:
                done = true;
                return e;
        }

        return e;
    }

    /// <summary>Arguments after '(' through ')' of a call or class header. A lone generator argument takes the parentheses' range.</summary>
    private void ParseCallArguments(List<Expr> args, List<Keyword> keywords, int open)
    {
        bool sawKeywordUnpack = false;
        while (K != TokenKind.RightParen)
        {
            int before = _i;
            int s = Cur.Start;
            if (K == TokenKind.DoubleStar)
            {
                Advance();
                var v = ParseExpression();
                keywords.Add(Fin(new Keyword { Arg = null, Value = v }, s));
                sawKeywordUnpack = true;
            }
            else if (K == TokenKind.Star)
            {
                Advance();
                var sv = ParseExpression();
                var st = Fin(new Starred { Value = sv, Ctx = ExprContext.Load }, s);
                if (sawKeywordUnpack)
                {
                    Error("iterable argument unpacking follows keyword argument unpacking", st.Start, st.End);
                }

                args.Add(st);
            }
            else if (K == TokenKind.Name && PeekKind(1) == TokenKind.Equal)
            {
                var name = NameValue(Cur);
                Advance();
                Advance();
                var v = ParseExpression();
                keywords.Add(Fin(new Keyword { Arg = name, Value = v }, s));
            }
            else if (StartsExpression(K))
            {
                var v = ParseNamedExpression();
                if (K == TokenKind.For || (K == TokenKind.Async && PeekKind(1) == TokenKind.For))
                {
                    var gens = ParseComprehensionClauses();
                    var gen = new GeneratorExp { Elt = v, Generators = gens, Start = open };
                    if (K == TokenKind.RightParen && args.Count == 0 && keywords.Count == 0)
                    {
                        gen.End = Cur.End;
                    }
                    else
                    {
                        gen.Start = v.Start;
                        gen.End = PrevEnd;
                        Error("Generator expression must be parenthesized", v.Start, PrevEnd);
                    }

                    args.Add(gen);
                }
                else if (K == TokenKind.Equal)
                {
                    Error($"expression cannot contain assignment, perhaps you meant \"==\"?", v.Start, v.End);
                    Advance();
                    var val = ParseExpression();
                    keywords.Add(Fin(new Keyword { Arg = null, Value = val }, s));
                }
                else
                {
                    if (keywords.Count > 0)
                    {
                        Error(sawKeywordUnpack ? "positional argument follows keyword argument unpacking" : "positional argument follows keyword argument", v.Start, v.End);
                    }

                    args.Add(v);
                }
            }
            else
            {
                ErrorAtCurrent("expected ')'", SyntaxErrorKind.MissingCloseParen);
                return;
            }

            if (!Eat(TokenKind.Comma))
            {
                var last = keywords.Count > 0 && keywords[^1].End == PrevEnd ? keywords[^1].Value : args.Count > 0 ? args[^1] : null;
                if (last is not null)
                {
                    CheckMissingComma(last);
                }

                break;
            }

            if (_i == before)
            {
                break;
            }
        }

        if (!Eat(TokenKind.RightParen))
        {
            ErrorAtCurrent("expected ')'", SyntaxErrorKind.MissingCloseParen);
        }
    }

    private Expr ParseSlices()
    {
        int start = Cur.Start;
        var first = ParseSliceItem();
        if (K != TokenKind.Comma)
        {
            // `a[*b]` is a one-element tuple.
            return first is Starred ? Fin(new TupleExpr { Elts = new[] { first }, Ctx = ExprContext.Load }, start) : first;
        }

        var elts = new List<Expr> { first };
        while (Eat(TokenKind.Comma))
        {
            if (K == TokenKind.RightBracket)
            {
                break;
            }

            elts.Add(ParseSliceItem());
        }

        return Fin(new TupleExpr { Elts = elts, Ctx = ExprContext.Load }, start);
    }

    private Expr ParseSliceItem()
    {
        int start = Cur.Start;
        if (K == TokenKind.Star)
        {
            return ParseStarredExpression();
        }

        Expr? lower = null;
        if (K != TokenKind.Colon)
        {
            lower = ParseNamedExpression();
            if (K != TokenKind.Colon)
            {
                return lower;
            }
        }

        Advance(); // :
        Expr? upper = null, step = null;
        if (StartsExpression(K))
        {
            upper = ParseExpression();
        }

        if (Eat(TokenKind.Colon) && StartsExpression(K))
        {
            step = ParseExpression();
        }

        return Fin(new Slice { Lower = lower, Upper = upper, Step = step }, start);
    }

    private Expr ParseAtom()
    {
        int start = Cur.Start;
        switch (K)
        {
            case TokenKind.Name:
            {
                var n = new Name { Id = NameValue(Cur), Ctx = ExprContext.Load, Start = start, End = Cur.End };
                Advance();
                return n;
            }

            case TokenKind.Number:
            {
                var c = new Constant { Value = NumberValue(Cur), Start = start, End = Cur.End };
                Advance();
                return c;
            }

            case TokenKind.String:
            case TokenKind.FStringStart:
                return ParseStrings();
            case TokenKind.True:
            case TokenKind.False:
            case TokenKind.None:
            {
                object? v = K == TokenKind.None ? null : K == TokenKind.True;
                var c = new Constant { Value = v, Start = start, End = Cur.End };
                Advance();
                return c;
            }

            case TokenKind.Ellipsis:
            {
                var c = new Constant { Value = EllipsisValue.Instance, Start = start, End = Cur.End };
                Advance();
                return c;
            }

            case TokenKind.LeftParen:
                return Nested(ParseParenthesized);
            case TokenKind.LeftBracket:
                return Nested(ParseListDisplay);
            case TokenKind.LeftBrace:
                return Nested(ParseBraceDisplay);
            case TokenKind.Star:
            {
                // A starred expression where only an expression is allowed.
                var st = ParseStarredExpression();
                Error("can't use starred expression here", st.Start, st.End);
                return st;
            }
        }

        ErrorAtCurrent(K is TokenKind.Newline or TokenKind.EndOfFile ? "expected expression" : "invalid syntax", SyntaxErrorKind.ExpectedExpression);
        if (K is TokenKind.Unknown)
        {
            Advance();
        }

        return ErrorExprHere(ErrorCategory.ExpectedExpression);
    }

    private Expr Nested(Func<Expr> parse)
    {
        if (!EnterNesting())
        {
            ExitNesting();
            return ErrorExprHere(ErrorCategory.TooDeeplyNested);
        }

        try
        {
            return parse();
        }
        finally
        {
            ExitNesting();
        }
    }

    private Expr ParseParenthesized()
    {
        int start = Cur.Start;
        Advance(); // (
        if (K == TokenKind.RightParen)
        {
            Advance();
            return Fin(new TupleExpr { Ctx = ExprContext.Load }, start);
        }

        if (K == TokenKind.Yield)
        {
            var y = ParseYield();
            CloseParen();
            y.IsParenthesized = true;
            return y;
        }

        var first = ParseStarNamedExpression();
        if (K == TokenKind.For || (K == TokenKind.Async && PeekKind(1) == TokenKind.For))
        {
            var gens = ParseComprehensionClauses();
            CloseParen();
            return Fin(new GeneratorExp { Elt = first, Generators = gens }, start);
        }

        if (K == TokenKind.Comma)
        {
            var elts = new List<Expr> { first };
            while (Eat(TokenKind.Comma))
            {
                if (K == TokenKind.RightParen)
                {
                    break;
                }

                elts.Add(ParseStarNamedExpression());
            }

            if (K != TokenKind.RightParen)
            {
                CheckMissingComma(elts[^1]);
            }

            CloseParen();
            var t = Fin(new TupleExpr { Elts = elts, Ctx = ExprContext.Load }, start);
            t.IsParenthesized = true;
            return t;
        }

        if (K != TokenKind.RightParen)
        {
            CheckMissingComma(first);
        }

        CloseParen();
        first.IsParenthesized = true;
        if (first is Starred)
        {
            Error("cannot use starred expression here", first.Start, first.End);
        }

        return first;
    }

    private void CloseParen()
    {
        if (!Eat(TokenKind.RightParen))
        {
            ErrorAtCurrent("expected ')'", SyntaxErrorKind.MissingCloseParen);
        }
    }

    private Expr ParseListDisplay()
    {
        int start = Cur.Start;
        Advance(); // [
        var elts = new List<Expr>();
        if (K != TokenKind.RightBracket)
        {
            var first = ParseStarNamedExpression();
            if (K == TokenKind.For || (K == TokenKind.Async && PeekKind(1) == TokenKind.For))
            {
                var gens = ParseComprehensionClauses();
                if (!Eat(TokenKind.RightBracket))
                {
                    ErrorAtCurrent("expected ']'", SyntaxErrorKind.MissingCloseParen);
                }

                return Fin(new ListComp { Elt = first, Generators = gens }, start);
            }

            elts.Add(first);
            while (Eat(TokenKind.Comma))
            {
                if (K == TokenKind.RightBracket)
                {
                    break;
                }

                elts.Add(ParseStarNamedExpression());
            }

            if (K != TokenKind.RightBracket)
            {
                CheckMissingComma(elts[^1]);
            }
        }

        if (!Eat(TokenKind.RightBracket))
        {
            ErrorAtCurrent("expected ']'", SyntaxErrorKind.MissingCloseParen);
        }

        return Fin(new List { Elts = elts, Ctx = ExprContext.Load }, start);
    }

    private Expr ParseBraceDisplay()
    {
        int start = Cur.Start;
        Advance(); // {
        if (K == TokenKind.RightBrace)
        {
            Advance();
            return Fin(new Dict(), start);
        }

        Expr? firstKey;
        Expr firstValue;
        if (K == TokenKind.DoubleStar)
        {
            Advance();
            firstKey = null;
            firstValue = ParseBitOr();
        }
        else
        {
            var first = ParseStarNamedExpression();
            if (K != TokenKind.Colon)
            {
                // A set or set comprehension.
                if (K == TokenKind.For || (K == TokenKind.Async && PeekKind(1) == TokenKind.For))
                {
                    var gens = ParseComprehensionClauses();
                    CloseBrace();
                    return Fin(new SetComp { Elt = first, Generators = gens }, start);
                }

                var elts = new List<Expr> { first };
                while (Eat(TokenKind.Comma))
                {
                    if (K == TokenKind.RightBrace)
                    {
                        break;
                    }

                    elts.Add(ParseStarNamedExpression());
                }

                if (K != TokenKind.RightBrace)
                {
                    CheckMissingComma(elts[^1]);
                }

                CloseBrace();
                return Fin(new Set { Elts = elts }, start);
            }

            Advance(); // :
            firstKey = first;
            firstValue = ParseExpression();
            if (K == TokenKind.For || (K == TokenKind.Async && PeekKind(1) == TokenKind.For))
            {
                var gens = ParseComprehensionClauses();
                CloseBrace();
                return Fin(new DictComp { Key = first, Value = firstValue, Generators = gens }, start);
            }
        }

        var keys = new List<Expr?>();
        var values = new List<Expr>();
        keys.Add(firstKey);
        values.Add(firstValue);
        while (Eat(TokenKind.Comma))
        {
            if (K == TokenKind.RightBrace)
            {
                break;
            }

            int before = _i;
            if (K == TokenKind.DoubleStar)
            {
                Advance();
                keys.Add(null);
                values.Add(ParseBitOr());
            }
            else
            {
                var key = ParseExpression();
                Expect(TokenKind.Colon, "':'");
                keys.Add(key);
                values.Add(ParseExpression());
            }

            if (_i == before)
            {
                break;
            }
        }

        if (K != TokenKind.RightBrace)
        {
            CheckMissingComma(values[^1]);
        }

        CloseBrace();
        var dict = new Dict { Keys = keys, Values = values };
        return Fin(dict, start);
    }

    private void CloseBrace()
    {
        if (!Eat(TokenKind.RightBrace))
        {
            ErrorAtCurrent("expected '}'", SyntaxErrorKind.MissingCloseParen);
        }
    }

    private List<Comprehension> ParseComprehensionClauses()
    {
        var list = new List<Comprehension>();
        while (K == TokenKind.For || (K == TokenKind.Async && PeekKind(1) == TokenKind.For))
        {
            int s = Cur.Start;
            bool isAsync = Eat(TokenKind.Async);
            Advance(); // for
            var target = ParseTargetList();
            SetContext(target, ExprContext.Store);
            Expect(TokenKind.In, "'in'");
            var iter = ParseOr();
            var comp = new Comprehension { Target = target, Iter = iter, IsAsync = isAsync, Start = s };
            var ifs = new List<Expr>();
            while (K == TokenKind.If)
            {
                Advance();
                ifs.Add(ParseOr());
            }

            comp.Ifs = ifs;

            comp.End = PrevEnd;
            list.Add(comp);
        }

        return list;
    }

    private Expr ParseYield()
    {
        int start = Cur.Start;
        Advance();
        if (Eat(TokenKind.From))
        {
            var v = ParseExpression();
            return Fin(new YieldFrom { Value = v }, start);
        }

        Expr? value = StartsExpression(K) ? ParseStarExpressions() : null;
        return Fin(new Yield { Value = value }, start);
    }

    /// <summary>Parameters of a def (up to ')') or a lambda (up to ':').</summary>
    private Arguments ParseParameters(TokenKind closing, bool annotations)
    {
        var a = new Arguments();
        List<Arg> posOnly = [], args = [], kwOnly = [];
        List<Expr?> kwDefaults = [];
        List<Expr> defaults = [];
        bool seenStar = false, seenDefault = false, seenSlash = false;
        int s0 = Cur.Start;
        while (K != closing && K != TokenKind.EndOfFile && K != TokenKind.Newline)
        {
            int before = _i;
            if (K == TokenKind.Slash)
            {
                if (seenSlash || seenStar || args.Count == 0)
                {
                    ErrorAtCurrent(args.Count == 0 ? "at least one argument must precede /" : "/ must be ahead of *");
                }

                seenSlash = true;
                Advance();
                posOnly.AddRange(args);
                args.Clear();
            }
            else if (K == TokenKind.Star)
            {
                if (seenStar)
                {
                    ErrorAtCurrent("* argument may appear only once");
                }

                seenStar = true;
                Advance();
                if (K == TokenKind.Name)
                {
                    a.VarArg = ParseParameter(annotations, allowStarAnnotation: true);
                }
                else if (K != TokenKind.Comma)
                {
                    ErrorAtCurrent("named arguments must follow bare *");
                }
            }
            else if (K == TokenKind.DoubleStar)
            {
                Advance();
                a.KwArg = ParseParameter(annotations, false);
                if (K == TokenKind.Equal)
                {
                    ErrorAtCurrent("var-keyword argument cannot have default value");
                    Advance();
                    ParseExpression();
                }
            }
            else if (K == TokenKind.Name)
            {
                var p = ParseParameter(annotations, false);
                Expr? def = null;
                if (Eat(TokenKind.Equal))
                {
                    def = ParseExpression();
                }

                if (a.KwArg is not null)
                {
                    Error("arguments cannot follow var-keyword argument", p.Start, p.End);
                }

                if (seenStar)
                {
                    kwOnly.Add(p);
                    kwDefaults.Add(def);
                }
                else
                {
                    args.Add(p);
                    if (def is not null)
                    {
                        defaults.Add(def);
                        seenDefault = true;
                    }
                    else if (seenDefault)
                    {
                        Error("parameter without a default follows parameter with a default", p.Start, p.End);
                    }
                }
            }
            else
            {
                ErrorAtCurrent("invalid syntax");
                break;
            }

            if (!Eat(TokenKind.Comma))
            {
                break;
            }

            if (_i == before)
            {
                break;
            }
        }

        if (seenStar && a.VarArg is null && kwOnly.Count == 0)
        {
            Error("named arguments must follow bare *", s0, PrevEnd);
        }

        a.PosOnlyArgs = posOnly;
        a.Args = args;
        a.KwOnlyArgs = kwOnly;
        a.KwDefaults = kwDefaults;
        a.Defaults = defaults;
        return a;
    }

    private Arg ParseParameter(bool annotations, bool allowStarAnnotation)
    {
        int s = Cur.Start;
        var name = ExpectName();
        Expr? annotation = null;
        if (annotations && Eat(TokenKind.Colon))
        {
            annotation = allowStarAnnotation && K == TokenKind.Star ? ParseStarredExpression() : ParseExpression();
        }

        return Fin(new Arg { Name = name, Annotation = annotation }, s);
    }

    // ---- Targets -------------------------------------------------------------------------

    /// <summary>star_targets of a for loop or comprehension: stops before `in`.</summary>
    private Expr ParseTargetList()
    {
        int start = Cur.Start;
        var first = ParseTarget();
        if (K != TokenKind.Comma)
        {
            return first;
        }

        var elts = new List<Expr> { first };
        while (Eat(TokenKind.Comma))
        {
            if (K == TokenKind.In || !StartsExpression(K))
            {
                break;
            }

            elts.Add(ParseTarget());
        }

        return Fin(new TupleExpr { Elts = elts, Ctx = ExprContext.Store }, start);
    }

    private Expr ParseTarget() => K == TokenKind.Star ? ParseStarredTarget() : ParseBitOrTarget();

    private Expr ParseStarredTarget()
    {
        int start = Cur.Start;
        Advance();
        var value = ParseBitOrTarget();
        return Fin(new Starred { Value = value, Ctx = ExprContext.Store }, start);
    }

    private Expr ParseBitOrTarget() => ParseBitOr();

    /// <summary>Sets the context of an assignment or deletion target, reporting targets that cannot be assigned.</summary>
    private void SetContext(Expr e, ExprContext ctx)
    {
        switch (e)
        {
            case Name n:
                n.Ctx = ctx;
                return;
            case AttributeExpr a:
                a.Ctx = ctx;
                return;
            case Subscript s:
                s.Ctx = ctx;
                return;
            case TupleExpr t:
                t.Ctx = ctx;
                foreach (var x in t.Elts)
                {
                    SetContext(x, ctx);
                }

                return;
            case List l:
                l.Ctx = ctx;
                foreach (var x in l.Elts)
                {
                    SetContext(x, ctx);
                }

                return;
            case Starred st when ctx == ExprContext.Store:
                st.Ctx = ctx;
                SetContext(st.Value, ctx);
                return;
            case ErrorExpr:
                return;
        }

        string verb = ctx == ExprContext.Del ? "delete" : "assign to";
        Error($"cannot {verb} {Describe(e)}", e.Start, e.End, SyntaxErrorKind.InvalidTarget);
    }

    private static string Describe(Expr e) => e switch
    {
        Constant { Value: null } => "None",
        Constant { Value: bool b } => b ? "True" : "False",
        Constant { Value: EllipsisValue } => "ellipsis",
        Constant => "literal",
        Call => "function call",
        Compare => "comparison",
        BoolOp or BinOp or UnaryOp => "expression",
        Lambda => "lambda",
        IfExp => "conditional expression",
        NamedExpr => "named expression",
        Await => "await expression",
        Yield or YieldFrom => "yield expression",
        JoinedStr => "f-string expression",
        ListComp => "list comprehension",
        SetComp => "set comprehension",
        DictComp => "dict comprehension",
        GeneratorExp => "generator expression",
        Dict => "dict literal",
        Set => "set display",
        Starred => "starred",
        TupleExpr => "tuple",
        List => "list",
        _ => "expression",
    };
}
