using MLIntern.Python.Lexing;
using MLIntern.Python.Syntax;

namespace MLIntern.Python.Parsing;

public sealed partial class Parser
{
    private Module ParseModule()
    {
        var module = new Module { Start = 0, End = _text.Length };
        var moduleBody = new List<Stmt>();
        while (K != TokenKind.EndOfFile)
        {
            int before = _i;
            if (K == TokenKind.Newline)
            {
                Advance();
                continue;
            }

            if (K == TokenKind.Indent)
            {
                Error("unexpected indent", Cur.Start, Cur.End, SyntaxErrorKind.Indentation);
                Advance();
                continue;
            }

            if (K == TokenKind.Dedent)
            {
                Advance();
                continue;
            }

            ParseStatementInto(moduleBody);
            EnsureProgress(before);
        }

        module.Body = moduleBody;
        return module;
    }

    /// <summary>The progress guard: a statement loop that consumed nothing skips a token and says so.</summary>
    private void EnsureProgress(int before)
    {
        if (_i == before)
        {
            ErrorAtCurrent("invalid syntax");
            if (_i == _ntok - 1)
            {
                return;
            }

            Advance();
        }
    }

    private void ParseStatementInto(List<Stmt> body)
    {
        switch (K)
        {
            case TokenKind.Def:
            case TokenKind.Class:
            case TokenKind.If:
            case TokenKind.While:
            case TokenKind.For:
            case TokenKind.With:
            case TokenKind.Try:
            case TokenKind.At:
                body.Add(ParseCompound());
                return;
            case TokenKind.Async when PeekKind(1) is TokenKind.Def or TokenKind.For or TokenKind.With:
                body.Add(ParseCompound());
                return;
            case TokenKind.Name when IsSoft("match"):
                var m = TryParseMatch();
                if (m is not null)
                {
                    body.Add(m);
                    return;
                }

                break;
        }

        ParseSimpleStatements(body);
    }

    private Stmt ParseCompound()
    {
        if (!EnterNesting())
        {
            ExitNesting();
            int s = Cur.Start;
            SkipLine();
            return new ErrorStmt { Category = ErrorCategory.TooDeeplyNested, Start = s, End = PrevEnd };
        }

        try
        {
            switch (K)
            {
                case TokenKind.Def: return ParseFunctionDef(Cur.Start, new List<Expr>(), false);
                case TokenKind.Class: return ParseClassDef(Cur.Start, new List<Expr>());
                case TokenKind.If: return ParseIf();
                case TokenKind.While: return ParseWhile();
                case TokenKind.For: return ParseFor(Cur.Start, false);
                case TokenKind.With: return ParseWith(Cur.Start, false);
                case TokenKind.Try: return ParseTry();
                case TokenKind.At: return ParseDecorated();
                default:
                    int start = Cur.Start;
                    Advance();
                    return K switch
                    {
                        TokenKind.Def => ParseFunctionDef(start, new List<Expr>(), true),
                        TokenKind.For => ParseFor(start, true),
                        _ => ParseWith(start, true),
                    };
            }
        }
        finally
        {
            ExitNesting();
        }
    }

    private void ParseSimpleStatements(List<Stmt> body)
    {
        _lastLineEnd = 0;
        while (true)
        {
            int before = _i;
            var stmt = ParseSimpleStatement();
            body.Add(stmt);
            if (K == TokenKind.Semicolon)
            {
                Advance();
                if (K == TokenKind.Newline || K == TokenKind.EndOfFile)
                {
                    _lastLineEnd = PrevEnd;
                    Eat(TokenKind.Newline);
                    return;
                }

                continue;
            }

            if (K == TokenKind.Newline || K == TokenKind.EndOfFile)
            {
                _lastLineEnd = PrevEnd;
                Eat(TokenKind.Newline);
                return;
            }

            // Something follows the statement on the same line.
            if (_i == before)
            {
                ErrorAtCurrent("invalid syntax");
            }
            else
            {
                ErrorAtCurrent(stmt is ExprStmt or Assign ? "invalid syntax" : "expected newline");
            }

            SkipLine();
            return;
        }
    }

    private Stmt ParseSimpleStatement()
    {
        int start = Cur.Start;
        switch (K)
        {
            case TokenKind.Pass:
                Advance();
                return Fin(new Pass(), start);
            case TokenKind.Break:
                Advance();
                return Fin(new Break(), start);
            case TokenKind.Continue:
                Advance();
                return Fin(new Continue(), start);
            case TokenKind.Return:
            {
                Advance();
                Expr? value = StartsExpression(K) ? ParseStarExpressions() : null;
                return Fin(new Return { Value = value }, start);
            }

            case TokenKind.Raise:
            {
                Advance();
                Expr? exc = null, cause = null;
                if (StartsExpression(K))
                {
                    exc = ParseExpression();
                    if (Eat(TokenKind.From))
                    {
                        cause = ParseExpression();
                    }
                }

                return Fin(new Raise { Exc = exc, Cause = cause }, start);
            }

            case TokenKind.Global:
            case TokenKind.Nonlocal:
            {
                bool global = K == TokenKind.Global;
                Advance();
                var names = new List<string>();
                do
                {
                    if (K == TokenKind.Name)
                    {
                        names.Add(NameValue(Cur));
                        Advance();
                    }
                    else
                    {
                        ErrorAtCurrent("expected a name");
                        break;
                    }
                }
                while (Eat(TokenKind.Comma));

                return global ? Fin(new Global { Names = names }, start) : Fin(new Nonlocal { Names = names }, start);
            }

            case TokenKind.Del:
            {
                Advance();
                var targets = new List<Expr>();
                do
                {
                    if (!StartsExpression(K))
                    {
                        if (targets.Count == 0)
                        {
                            ErrorAtCurrent("expected expression", SyntaxErrorKind.ExpectedExpression);
                        }

                        break;
                    }

                    var t = ParseBitOrTarget();
                    SetContext(t, ExprContext.Del);
                    targets.Add(t);
                }
                while (Eat(TokenKind.Comma));

                return Fin(new Delete { Targets = targets }, start);
            }

            case TokenKind.Assert:
            {
                Advance();
                var test = ParseExpression();
                Expr? msg = Eat(TokenKind.Comma) ? ParseExpression() : null;
                return Fin(new AssertStmt { Test = test, Msg = msg }, start);
            }

            case TokenKind.Import:
                return ParseImport();
            case TokenKind.From:
                return ParseFromImport();
            case TokenKind.Name when IsSoft("type") && PeekKind(1) == TokenKind.Name && PeekKind(2) is TokenKind.Equal or TokenKind.LeftBracket:
                return ParseTypeAlias();
        }

        if (!StartsExpression(K) && K != TokenKind.Yield)
        {
            ErrorAtCurrent(K == TokenKind.Indent ? "unexpected indent" : "invalid syntax", K == TokenKind.Indent ? SyntaxErrorKind.Indentation : SyntaxErrorKind.InvalidSyntax);
            var err = new ErrorStmt { Category = ErrorCategory.InvalidStatement, Start = Cur.Start, End = Cur.End };
            if (K != TokenKind.Newline && K != TokenKind.EndOfFile && K != TokenKind.Dedent && K != TokenKind.Indent)
            {
                Advance();
            }

            return err;
        }

        return ParseExpressionStatement();
    }

    private Stmt ParseExpressionStatement()
    {
        int start = Cur.Start;
        Expr first = K == TokenKind.Yield ? ParseYield() : ParseStarExpressions();
        switch (K)
        {
            case TokenKind.Colon:
            {
                Advance();
                var annotation = ParseExpression();
                Expr? value = null;
                if (Eat(TokenKind.Equal))
                {
                    value = K == TokenKind.Yield ? ParseYield() : ParseStarExpressions();
                }

                bool simple = first is Name && !first.IsParenthesized;
                if (first is not (Name or AttributeExpr or Subscript))
                {
                    Error(first is TupleExpr ? "only single target (not tuple) can be annotated" : first is List ? "only single target (not list) can be annotated" : "illegal target for annotation", first.Start, first.End, SyntaxErrorKind.InvalidTarget);
                }
                else
                {
                    SetContext(first, ExprContext.Store);
                }

                return Fin(new AnnAssign { Target = first, Annotation = annotation, Value = value, Simple = simple }, start);
            }

            case TokenKind.Equal:
            {
                var targets = new List<Expr> { first };
                Expr value;
                while (true)
                {
                    Advance();
                    var rhs = K == TokenKind.Yield ? ParseYield() : ParseStarExpressions();
                    if (K == TokenKind.Equal)
                    {
                        targets.Add(rhs);
                        continue;
                    }

                    value = rhs;
                    break;
                }

                foreach (var t in targets)
                {
                    SetContext(t, ExprContext.Store);
                }

                return Fin(new Assign { Targets = targets, Value = value }, start);
            }

            case >= TokenKind.PlusEqual and <= TokenKind.DoubleSlashEqual:
            case TokenKind.AtEqual:
            {
                var op = AugOperator(K);
                if (first is not (Name or AttributeExpr or Subscript))
                {
                    Error($"'{Describe(first)}' is an illegal expression for augmented assignment", first.Start, first.End, SyntaxErrorKind.InvalidTarget);
                }
                else
                {
                    SetContext(first, ExprContext.Store);
                }

                Advance();
                var value = K == TokenKind.Yield ? ParseYield() : ParseStarExpressions();
                return Fin(new AugAssign { Target = first, Op = op, Value = value }, start);
            }
        }

        if (first is Starred st && !first.IsParenthesized)
        {
            Error("can't use starred expression here", st.Start, st.End);
        }

        return Fin(new ExprStmt { Value = first }, start);
    }

    private static Operator AugOperator(TokenKind k) => k switch
    {
        TokenKind.PlusEqual => Operator.Add,
        TokenKind.MinusEqual => Operator.Sub,
        TokenKind.StarEqual => Operator.Mult,
        TokenKind.SlashEqual => Operator.Div,
        TokenKind.PercentEqual => Operator.Mod,
        TokenKind.AmperEqual => Operator.BitAnd,
        TokenKind.VbarEqual => Operator.BitOr,
        TokenKind.CircumflexEqual => Operator.BitXor,
        TokenKind.LeftShiftEqual => Operator.LShift,
        TokenKind.RightShiftEqual => Operator.RShift,
        TokenKind.DoubleStarEqual => Operator.Pow,
        TokenKind.DoubleSlashEqual => Operator.FloorDiv,
        _ => Operator.MatMult,
    };

    private Stmt ParseImport()
    {
        int start = Cur.Start;
        Advance();
        var names = new List<Alias>();
        do
        {
            int s = Cur.Start;
            var name = ParseDottedName();
            if (name is null)
            {
                break;
            }

            string? asName = null;
            if (Eat(TokenKind.As))
            {
                asName = ExpectName();
            }

            names.Add(Fin(new Alias { Name = name, AsName = asName }, s));
        }
        while (Eat(TokenKind.Comma));

        return Fin(new Import { Names = names }, start);
    }

    private string? ParseDottedName()
    {
        if (K != TokenKind.Name)
        {
            ErrorAtCurrent("expected a module name");
            return null;
        }

        var first = NameValue(Cur);
        Advance();
        if (K != TokenKind.Dot)
        {
            return first;
        }

        var sb = new System.Text.StringBuilder(first);
        while (K == TokenKind.Dot)
        {
            Advance();
            sb.Append('.');
            if (K == TokenKind.Name)
            {
                sb.Append(NameValue(Cur));
                Advance();
            }
            else
            {
                ErrorAtCurrent("expected a name");
                break;
            }
        }

        return sb.ToString();
    }

    private string ExpectName()
    {
        if (K == TokenKind.Name)
        {
            var n = NameValue(Cur);
            Advance();
            return n;
        }

        ErrorAtCurrent("expected a name");
        return "";
    }

    private Stmt ParseFromImport()
    {
        int start = Cur.Start;
        Advance();
        int level = 0;
        while (K is TokenKind.Dot or TokenKind.Ellipsis)
        {
            level += K == TokenKind.Dot ? 1 : 3;
            Advance();
        }

        string? module = null;
        if (K == TokenKind.Name || level == 0)
        {
            module = ParseDottedName();
        }

        var names = new List<Alias>();
        if (!Eat(TokenKind.Import))
        {
            ErrorAtCurrent("expected 'import'");
            return Fin(new ImportFrom { Module = module, Names = names, Level = level }, start);
        }

        if (K == TokenKind.Star)
        {
            int s = Cur.Start;
            Advance();
            names.Add(Fin(new Alias { Name = "*" }, s));
            return Fin(new ImportFrom { Module = module, Names = names, Level = level }, start);
        }

        bool paren = Eat(TokenKind.LeftParen);
        do
        {
            if (paren && K == TokenKind.RightParen && names.Count > 0)
            {
                break;
            }

            int s = Cur.Start;
            if (K != TokenKind.Name)
            {
                ErrorAtCurrent("expected a name");
                break;
            }

            var name = NameValue(Cur);
            Advance();
            string? asName = null;
            if (Eat(TokenKind.As))
            {
                asName = ExpectName();
            }

            names.Add(Fin(new Alias { Name = name, AsName = asName }, s));
        }
        while (Eat(TokenKind.Comma));

        if (paren)
        {
            Expect(TokenKind.RightParen, "')'");
        }
        else if (K == TokenKind.Comma)
        {
            ErrorAtCurrent("trailing comma not allowed without surrounding parentheses");
        }

        return Fin(new ImportFrom { Module = module, Names = names, Level = level }, start);
    }

    private Stmt ParseTypeAlias()
    {
        int start = Cur.Start;
        Advance();
        int ns = Cur.Start;
        var name = Fin(new Name { Id = NameValue(Cur), Ctx = ExprContext.Store }, ns);
        Advance();
        name.End = PrevEnd;
        var tps = K == TokenKind.LeftBracket ? ParseTypeParams() : new List<TypeParam>();
        Expect(TokenKind.Equal, "'='");
        var value = ParseExpression();
        return Fin(new TypeAlias { Name = name, TypeParams = tps, Value = value }, start);
    }

    private List<TypeParam> ParseTypeParams()
    {
        var list = new List<TypeParam>();
        Advance(); // [
        while (K != TokenKind.RightBracket && K != TokenKind.EndOfFile && K != TokenKind.Newline)
        {
            int s = Cur.Start;
            int before = _i;
            if (K == TokenKind.Star)
            {
                Advance();
                var n = ExpectName();
                Expr? def = null;
                if (Eat(TokenKind.Equal))
                {
                    def = K == TokenKind.Star ? ParseStarredExpression() : ParseExpression();
                }

                list.Add(Fin(new TypeVarTuple { Name = n, DefaultValue = def }, s));
            }
            else if (K == TokenKind.DoubleStar)
            {
                Advance();
                var n = ExpectName();
                Expr? def = Eat(TokenKind.Equal) ? ParseExpression() : null;
                list.Add(Fin(new ParamSpec { Name = n, DefaultValue = def }, s));
            }
            else
            {
                var n = ExpectName();
                Expr? bound = Eat(TokenKind.Colon) ? ParseExpression() : null;
                Expr? def = Eat(TokenKind.Equal) ? ParseExpression() : null;
                list.Add(Fin(new TypeVar { Name = n, Bound = bound, DefaultValue = def }, s));
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

        if (list.Count == 0)
        {
            ErrorAtCurrent("Type parameter list cannot be empty");
        }

        Expect(TokenKind.RightBracket, "']'");
        return list;
    }

    // ---- Blocks ----------------------------------------------------------------------------

    /// <summary>Parses `':' block`; `what` names the statement for the error CPython gives on a missing indented block.</summary>
    private List<Stmt> ParseBlock(string what, int headerStart)
    {
        var body = new List<Stmt>();
        if (!Eat(TokenKind.Colon))
        {
            ErrorAtCurrent("expected ':'", SyntaxErrorKind.ExpectedToken);
            // Recover: skip the rest of the header line; still take an indented block if one follows.
            while (K != TokenKind.Newline && K != TokenKind.EndOfFile && K != TokenKind.Indent && K != TokenKind.Dedent)
            {
                Advance();
            }
        }

        if (K == TokenKind.Newline)
        {
            Advance();
            if (K != TokenKind.Indent)
            {
                int line = _source.GetLineIndex(headerStart) + 1;
                var at = AtEndOfFile(out var last) ? last : Cur;
                Error($"expected an indented block after {what} on line {line}", at.Start, at.End, SyntaxErrorKind.Indentation);
                return body;
            }

            Advance();
            while (K != TokenKind.Dedent && K != TokenKind.EndOfFile)
            {
                int before = _i;
                if (K == TokenKind.Indent)
                {
                    Error("unexpected indent", Cur.Start, Cur.End, SyntaxErrorKind.Indentation);
                    Advance();
                    var nested = ParseIndentedContinuation();
                    body.AddRange(nested);
                    continue;
                }

                if (K == TokenKind.Newline)
                {
                    Advance();
                    continue;
                }

                ParseStatementInto(body);
                EnsureProgress(before);
            }

            Eat(TokenKind.Dedent);
            return body;
        }

        if (K == TokenKind.EndOfFile || K == TokenKind.Indent || K == TokenKind.Dedent)
        {
            ErrorAtCurrent($"expected an indented block after {what}", SyntaxErrorKind.Indentation);
            return body;
        }

        ParseSimpleStatements(body);
        return body;
    }

    /// <summary>After an unexpected indent: the over-indented statements, kept in the enclosing body.</summary>
    private List<Stmt> ParseIndentedContinuation()
    {
        var body = new List<Stmt>();
        while (K != TokenKind.Dedent && K != TokenKind.EndOfFile)
        {
            int before = _i;
            if (K == TokenKind.Indent)
            {
                Advance();
                body.AddRange(ParseIndentedContinuation());
                continue;
            }

            if (K == TokenKind.Newline)
            {
                Advance();
                continue;
            }

            ParseStatementInto(body);
            EnsureProgress(before);
        }

        Eat(TokenKind.Dedent);
        return body;
    }

    /// <summary>
    /// Where a compound statement ends: at the last token of its last line (CPython counts a
    /// trailing ';' in), or at the fallback when the body is empty.
    /// </summary>
    private int BodyEnd(List<Stmt> body, int fallback) => body.Count == 0 ? fallback : Math.Max(body[^1].End, _lastLineEnd);

    private int BodyEnd(NodeList<Stmt> body, int fallback) => body.Count == 0 ? fallback : Math.Max(body[^1].End, _lastLineEnd);

    private Stmt ParseDecorated()
    {
        var decorators = new List<Expr>();
        int start = Cur.Start;
        while (K == TokenKind.At)
        {
            Advance();
            decorators.Add(ParseNamedExpression());
            if (!Eat(TokenKind.Newline))
            {
                ErrorAtCurrent("expected newline after decorator");
                SkipLine();
            }
        }

        if (K == TokenKind.Def)
        {
            return ParseFunctionDef(Cur.Start, decorators, false);
        }

        if (K == TokenKind.Async && PeekKind(1) == TokenKind.Def)
        {
            int s = Cur.Start;
            Advance();
            return ParseFunctionDef(s, decorators, true);
        }

        if (K == TokenKind.Class)
        {
            return ParseClassDef(Cur.Start, decorators);
        }

        ErrorAtCurrent("expected a function or class definition after decorators");
        var err = new ErrorStmt { Category = ErrorCategory.InvalidStatement, Start = start, End = PrevEnd };
        err.Parsed = [.. decorators];
        return err;
    }

    private Stmt ParseFunctionDef(int start, List<Expr> decorators, bool isAsync)
    {
        Advance(); // def
        string name = ExpectName();
        var tps = K == TokenKind.LeftBracket ? ParseTypeParams() : new List<TypeParam>();
        Arguments args;
        if (K == TokenKind.LeftParen)
        {
            Advance();
            args = ParseParameters(TokenKind.RightParen, true);
            Expect(TokenKind.RightParen, "')'");
        }
        else
        {
            ErrorAtCurrent("expected '('");
            args = new Arguments();
        }

        Expr? returns = null;
        if (Eat(TokenKind.Rarrow))
        {
            returns = ParseExpression();
        }

        var body = ParseBlock("function definition", start);
        var f = new FunctionDef { Name = name, Args = args, Body = body, DecoratorList = decorators, Returns = returns, TypeParams = tps, IsAsync = isAsync, Start = start };
        f.End = BodyEnd(body, PrevEnd);
        return f;
    }

    private Stmt ParseClassDef(int start, List<Expr> decorators)
    {
        Advance(); // class
        string name = ExpectName();
        var tps = K == TokenKind.LeftBracket ? ParseTypeParams() : new List<TypeParam>();
        var bases = new List<Expr>();
        var keywords = new List<Keyword>();
        if (K == TokenKind.LeftParen)
        {
            int open = Cur.Start;
            Advance();
            ParseCallArguments(bases, keywords, open);
        }

        var body = ParseBlock("class definition", start);
        var c = new ClassDef { Name = name, Bases = bases, Keywords = keywords, Body = body, DecoratorList = decorators, TypeParams = tps, Start = start };
        c.End = BodyEnd(body, PrevEnd);
        return c;
    }

    private Stmt ParseIf()
    {
        int start = Cur.Start;
        bool isElif = K == TokenKind.Elif;
        Advance();
        var test = ParseNamedExpression();
        var body = ParseBlock(isElif ? "'elif' statement" : "'if' statement", start);
        var node = new If { Test = test, Body = body, Start = start };
        if (K == TokenKind.Elif)
        {
            node.OrElse = new Stmt[] { ParseIf() };
        }
        else if (K == TokenKind.Else)
        {
            int es = Cur.Start;
            Advance();
            node.OrElse = ParseBlock("'else' statement", es);
        }

        node.End = BodyEnd(node.OrElse, BodyEnd(body, PrevEnd));
        return node;
    }

    private Stmt ParseWhile()
    {
        int start = Cur.Start;
        Advance();
        var test = ParseNamedExpression();
        var body = ParseBlock("'while' statement", start);
        var node = new While { Test = test, Body = body, Start = start };
        if (K == TokenKind.Else)
        {
            int es = Cur.Start;
            Advance();
            node.OrElse = ParseBlock("'else' statement", es);
        }

        node.End = BodyEnd(node.OrElse, BodyEnd(body, PrevEnd));
        return node;
    }

    private Stmt ParseFor(int start, bool isAsync)
    {
        Advance(); // for
        var target = ParseTargetList();
        SetContext(target, ExprContext.Store);
        Expect(TokenKind.In, "'in'");
        var iter = ParseStarExpressions();
        var body = ParseBlock("'for' statement", start);
        var node = new For { Target = target, Iter = iter, Body = body, IsAsync = isAsync, Start = start };
        if (K == TokenKind.Else)
        {
            int es = Cur.Start;
            Advance();
            node.OrElse = ParseBlock("'else' statement", es);
        }

        node.End = BodyEnd(node.OrElse, BodyEnd(body, PrevEnd));
        return node;
    }

    private Stmt ParseWith(int start, bool isAsync)
    {
        Advance(); // with
        List<WithItem>? items = null;
        if (K == TokenKind.LeftParen)
        {
            // `with (a as b, c):` — parenthesized items; if that reading fails, the parenthesis
            // belongs to the first expression.
            Speculate(out var state);
            Advance();
            var candidate = new List<WithItem>();
            bool ok = true;
            while (K != TokenKind.RightParen)
            {
                if (!StartsExpression(K))
                {
                    ok = false;
                    break;
                }

                candidate.Add(ParseWithItem());
                if (!Eat(TokenKind.Comma))
                {
                    break;
                }
            }

            int errs = _errors.Count;
            if (ok && candidate.Count > 0 && K == TokenKind.RightParen && PeekKind(1) == TokenKind.Colon && errs == state.Errors)
            {
                Advance();
                items = candidate;
            }
            else
            {
                Restore(state);
            }
        }

        if (items is null)
        {
            items = new List<WithItem>();
            do
            {
                items.Add(ParseWithItem());
            }
            while (Eat(TokenKind.Comma));
        }

        var body = ParseBlock("'with' statement", start);
        var node = new With { Items = items, Body = body, IsAsync = isAsync, Start = start };
        node.End = BodyEnd(body, PrevEnd);
        return node;
    }

    private WithItem ParseWithItem()
    {
        int s = Cur.Start;
        var expr = ParseExpression();
        Expr? vars = null;
        if (Eat(TokenKind.As))
        {
            vars = ParseTarget();
            SetContext(vars, ExprContext.Store);
        }

        return Fin(new WithItem { ContextExpr = expr, OptionalVars = vars }, s);
    }

    private Stmt ParseTry()
    {
        int start = Cur.Start;
        Advance();
        var node = new Try { Start = start };
        node.Body = ParseBlock("'try' statement", start);
        var handlers = new List<ExceptHandler>();
        bool? star = null;
        while (K == TokenKind.Except)
        {
            int hs = Cur.Start;
            Advance();
            bool isStar = Eat(TokenKind.Star);
            if (star is null)
            {
                star = isStar;
            }
            else if (star != isStar)
            {
                Error("cannot have both 'except' and 'except*' on the same 'try'", hs, PrevEnd);
            }

            Expr? type = null;
            string? name = null;
            if (K != TokenKind.Colon)
            {
                type = ParseExpression();
                if (K == TokenKind.Comma)
                {
                    ErrorAtCurrent("multiple exception types must be parenthesized");
                    var elts = new List<Expr> { type };
                    while (Eat(TokenKind.Comma) && StartsExpression(K))
                    {
                        elts.Add(ParseExpression());
                    }

                    type = new TupleExpr { Elts = elts, Start = type.Start, End = PrevEnd };
                }

                if (Eat(TokenKind.As))
                {
                    name = ExpectName();
                }
            }
            else if (isStar)
            {
                ErrorAtCurrent("expected one or more exception types");
            }

            var body = ParseBlock(isStar ? "'except*' statement" : "'except' statement", hs);
            handlers.Add(new ExceptHandler { Type = type, Name = name, Body = body, Start = hs, End = BodyEnd(body, PrevEnd) });
        }

        node.Handlers = handlers;
        node.IsStar = star == true;
        if (K == TokenKind.Else)
        {
            int es = Cur.Start;
            Advance();
            node.OrElse = ParseBlock("'else' statement", es);
        }

        if (K == TokenKind.Finally)
        {
            int fs = Cur.Start;
            Advance();
            node.FinalBody = ParseBlock("'finally' statement", fs);
        }

        if (node.Handlers.Count == 0 && node.FinalBody.Count == 0)
        {
            ErrorAtCurrent("expected 'except' or 'finally' block");
        }

        int end = BodyEnd(node.Body, PrevEnd);
        if (node.Handlers.Count > 0)
        {
            end = node.Handlers[^1].End;
        }

        end = BodyEnd(node.OrElse, end);
        end = BodyEnd(node.FinalBody, end);
        node.End = end;
        return node;
    }
}
