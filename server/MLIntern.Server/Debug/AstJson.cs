using System.Globalization;
using System.Numerics;
using System.Text;
using MLIntern.Python.Parsing;
using MLIntern.Python.Syntax;
using MLIntern.Python.Text;

namespace MLIntern.Server.Debug;

/// <summary>
/// Writes our syntax tree as JSON in exactly the format of tools/cpython_ast_json.py, so a
/// plain comparison of the two outputs tells whether we agree with CPython's <c>ast</c>:
/// nodes as {"_type": ..., fields in CPython's _fields order, lineno, col_offset, end_lineno,
/// end_col_offset}; operators and contexts as strings; columns in UTF-8 bytes; a file with
/// errors as {"error": {"line": N, "message": ...}} (the first error).
/// This file has no dependencies beyond MLIntern.Python so the differential tests can compile it in.
/// </summary>
public static class AstJson
{
    /// <summary>Parses the source and writes its JSON.</summary>
    public static void Write(TextWriter writer, string source) => writer.Write(ToJson(Parser.Parse(source)));

    /// <summary>Decodes a file's bytes as CPython would, parses them and returns the JSON.</summary>
    public static string FromBytes(byte[] bytes) => ToJson(Parser.Parse(SourceText.FromBytes(bytes)));

    public static string ToJson(ParseResult result)
    {
        var sb = new StringBuilder(result.Source.Length * 4 + 64);
        if (result.FirstError is { } e)
        {
            sb.Append("{\"error\":{\"line\":");
            // Encoding problems and NUL bytes are reported by CPython on "line 0" (before tokenizing).
            int line = e.Kind == MLIntern.Python.Lexing.SyntaxErrorKind.Encoding
                ? result.Source.DecodeError?.Line ?? 0
                : result.Source.GetLineIndex(Math.Min(e.Range.Start, result.Source.Length)) + 1;
            sb.Append(line);
            sb.Append(",\"message\":");
            WriteString(sb, e.Message);
            sb.Append("}}");
            return sb.ToString();
        }

        new Writer(sb, result.Source).Module(result.Tree);
        return sb.ToString();
    }

    private sealed class Writer
    {
        private readonly StringBuilder _sb;
        private readonly SourceText _src;

        public Writer(StringBuilder sb, SourceText src)
        {
            _sb = sb;
            _src = src;
        }

        public void Module(Module m)
        {
            _sb.Append("{\"_type\":\"Module\",\"body\":");
            Stmts(m.Body);
            _sb.Append(",\"type_ignores\":[]}");
        }

        private void Begin(string type)
        {
            _sb.Append("{\"_type\":\"").Append(type).Append('"');
        }

        private void Field(string name)
        {
            _sb.Append(",\"").Append(name).Append("\":");
        }

        private void EndWithPos(Node n)
        {
            var s = _src.GetLinePosition(n.Start);
            var e = _src.GetLinePosition(n.End);
            _sb.Append(",\"lineno\":").Append(s.Line + 1)
                .Append(",\"col_offset\":").Append(_src.GetUtf8Column(n.Start))
                .Append(",\"end_lineno\":").Append(e.Line + 1)
                .Append(",\"end_col_offset\":").Append(_src.GetUtf8Column(n.End))
                .Append('}');
        }

        private void Str(string? s)
        {
            if (s is null)
            {
                _sb.Append("null");
            }
            else
            {
                WriteString(_sb, s);
            }
        }

        private void Stmts(List<Stmt> list)
        {
            _sb.Append('[');
            for (int i = 0; i < list.Count; i++)
            {
                if (i > 0)
                {
                    _sb.Append(',');
                }

                Stmt(list[i]);
            }

            _sb.Append(']');
        }

        private void Exprs(List<Expr> list)
        {
            _sb.Append('[');
            for (int i = 0; i < list.Count; i++)
            {
                if (i > 0)
                {
                    _sb.Append(',');
                }

                Expr(list[i]);
            }

            _sb.Append(']');
        }

        private void OptExprs(List<Expr?> list)
        {
            _sb.Append('[');
            for (int i = 0; i < list.Count; i++)
            {
                if (i > 0)
                {
                    _sb.Append(',');
                }

                Expr(list[i]);
            }

            _sb.Append(']');
        }

        private void Strings(List<string> list)
        {
            _sb.Append('[');
            for (int i = 0; i < list.Count; i++)
            {
                if (i > 0)
                {
                    _sb.Append(',');
                }

                WriteString(_sb, list[i]);
            }

            _sb.Append(']');
        }

        private void List<T>(List<T> list, Action<T> item)
        {
            _sb.Append('[');
            for (int i = 0; i < list.Count; i++)
            {
                if (i > 0)
                {
                    _sb.Append(',');
                }

                item(list[i]);
            }

            _sb.Append(']');
        }

        private void Stmt(Stmt s)
        {
            switch (s)
            {
                case FunctionDef f:
                    Begin(f.IsAsync ? "AsyncFunctionDef" : "FunctionDef");
                    Field("name"); Str(f.Name);
                    Field("args"); Arguments(f.Args);
                    Field("body"); Stmts(f.Body);
                    Field("decorator_list"); Exprs(f.DecoratorList);
                    Field("returns"); Expr(f.Returns);
                    Field("type_comment"); _sb.Append("null");
                    Field("type_params"); List(f.TypeParams, TypeParam);
                    break;
                case ClassDef c:
                    Begin("ClassDef");
                    Field("name"); Str(c.Name);
                    Field("bases"); Exprs(c.Bases);
                    Field("keywords"); List(c.Keywords, Keyword);
                    Field("body"); Stmts(c.Body);
                    Field("decorator_list"); Exprs(c.DecoratorList);
                    Field("type_params"); List(c.TypeParams, TypeParam);
                    break;
                case Return r:
                    Begin("Return");
                    Field("value"); Expr(r.Value);
                    break;
                case Delete d:
                    Begin("Delete");
                    Field("targets"); Exprs(d.Targets);
                    break;
                case Assign a:
                    Begin("Assign");
                    Field("targets"); Exprs(a.Targets);
                    Field("value"); Expr(a.Value);
                    Field("type_comment"); _sb.Append("null");
                    break;
                case TypeAlias t:
                    Begin("TypeAlias");
                    Field("name"); Expr(t.Name);
                    Field("type_params"); List(t.TypeParams, TypeParam);
                    Field("value"); Expr(t.Value);
                    break;
                case AugAssign a:
                    Begin("AugAssign");
                    Field("target"); Expr(a.Target);
                    Field("op"); Str(a.Op.ToString());
                    Field("value"); Expr(a.Value);
                    break;
                case AnnAssign a:
                    Begin("AnnAssign");
                    Field("target"); Expr(a.Target);
                    Field("annotation"); Expr(a.Annotation);
                    Field("value"); Expr(a.Value);
                    Field("simple"); _sb.Append(a.Simple ? 1 : 0);
                    break;
                case For f:
                    Begin(f.IsAsync ? "AsyncFor" : "For");
                    Field("target"); Expr(f.Target);
                    Field("iter"); Expr(f.Iter);
                    Field("body"); Stmts(f.Body);
                    Field("orelse"); Stmts(f.OrElse);
                    Field("type_comment"); _sb.Append("null");
                    break;
                case While w:
                    Begin("While");
                    Field("test"); Expr(w.Test);
                    Field("body"); Stmts(w.Body);
                    Field("orelse"); Stmts(w.OrElse);
                    break;
                case If i:
                    Begin("If");
                    Field("test"); Expr(i.Test);
                    Field("body"); Stmts(i.Body);
                    Field("orelse"); Stmts(i.OrElse);
                    break;
                case With w:
                    Begin(w.IsAsync ? "AsyncWith" : "With");
                    Field("items"); List(w.Items, WithItem);
                    Field("body"); Stmts(w.Body);
                    Field("type_comment"); _sb.Append("null");
                    break;
                case Match m:
                    Begin("Match");
                    Field("subject"); Expr(m.Subject);
                    Field("cases"); List(m.Cases, MatchCase);
                    break;
                case Raise r:
                    Begin("Raise");
                    Field("exc"); Expr(r.Exc);
                    Field("cause"); Expr(r.Cause);
                    break;
                case Try t:
                    Begin(t.IsStar ? "TryStar" : "Try");
                    Field("body"); Stmts(t.Body);
                    Field("handlers"); List(t.Handlers, Handler);
                    Field("orelse"); Stmts(t.OrElse);
                    Field("finalbody"); Stmts(t.FinalBody);
                    break;
                case AssertStmt a:
                    Begin("Assert");
                    Field("test"); Expr(a.Test);
                    Field("msg"); Expr(a.Msg);
                    break;
                case Import i:
                    Begin("Import");
                    Field("names"); List(i.Names, Alias);
                    break;
                case ImportFrom i:
                    Begin("ImportFrom");
                    Field("module"); Str(i.Module);
                    Field("names"); List(i.Names, Alias);
                    Field("level"); _sb.Append(i.Level);
                    break;
                case Global g:
                    Begin("Global");
                    Field("names"); Strings(g.Names);
                    break;
                case Nonlocal n:
                    Begin("Nonlocal");
                    Field("names"); Strings(n.Names);
                    break;
                case ExprStmt e:
                    Begin("Expr");
                    Field("value"); Expr(e.Value);
                    break;
                case Pass:
                    Begin("Pass");
                    break;
                case Break:
                    Begin("Break");
                    break;
                case Continue:
                    Begin("Continue");
                    break;
                default:
                    Begin("Error");
                    break;
            }

            EndWithPos(s);
        }

        private void Expr(Expr? e)
        {
            if (e is null)
            {
                _sb.Append("null");
                return;
            }

            switch (e)
            {
                case BoolOp b:
                    Begin("BoolOp");
                    Field("op"); Str(b.Op.ToString());
                    Field("values"); Exprs(b.Values);
                    break;
                case NamedExpr n:
                    Begin("NamedExpr");
                    Field("target"); Expr(n.Target);
                    Field("value"); Expr(n.Value);
                    break;
                case BinOp b:
                    Begin("BinOp");
                    Field("left"); Expr(b.Left);
                    Field("op"); Str(b.Op.ToString());
                    Field("right"); Expr(b.Right);
                    break;
                case UnaryOp u:
                    Begin("UnaryOp");
                    Field("op"); Str(u.Op.ToString());
                    Field("operand"); Expr(u.Operand);
                    break;
                case Lambda l:
                    Begin("Lambda");
                    Field("args"); Arguments(l.Args);
                    Field("body"); Expr(l.Body);
                    break;
                case IfExp i:
                    Begin("IfExp");
                    Field("test"); Expr(i.Test);
                    Field("body"); Expr(i.Body);
                    Field("orelse"); Expr(i.OrElse);
                    break;
                case Dict d:
                    Begin("Dict");
                    Field("keys"); OptExprs(d.Keys);
                    Field("values"); Exprs(d.Values);
                    break;
                case Set s:
                    Begin("Set");
                    Field("elts"); Exprs(s.Elts);
                    break;
                case ListComp c:
                    Begin("ListComp");
                    Field("elt"); Expr(c.Elt);
                    Field("generators"); List(c.Generators, Comprehension);
                    break;
                case SetComp c:
                    Begin("SetComp");
                    Field("elt"); Expr(c.Elt);
                    Field("generators"); List(c.Generators, Comprehension);
                    break;
                case DictComp c:
                    Begin("DictComp");
                    Field("key"); Expr(c.Key);
                    Field("value"); Expr(c.Value);
                    Field("generators"); List(c.Generators, Comprehension);
                    break;
                case GeneratorExp c:
                    Begin("GeneratorExp");
                    Field("elt"); Expr(c.Elt);
                    Field("generators"); List(c.Generators, Comprehension);
                    break;
                case Await a:
                    Begin("Await");
                    Field("value"); Expr(a.Value);
                    break;
                case Yield y:
                    Begin("Yield");
                    Field("value"); Expr(y.Value);
                    break;
                case YieldFrom y:
                    Begin("YieldFrom");
                    Field("value"); Expr(y.Value);
                    break;
                case Compare c:
                    Begin("Compare");
                    Field("left"); Expr(c.Left);
                    Field("ops"); List(c.Ops, o => Str(o.ToString()));
                    Field("comparators"); Exprs(c.Comparators);
                    break;
                case Call c:
                    Begin("Call");
                    Field("func"); Expr(c.Func);
                    Field("args"); Exprs(c.Args);
                    Field("keywords"); List(c.Keywords, Keyword);
                    break;
                case FormattedValue f:
                    Begin("FormattedValue");
                    Field("value"); Expr(f.Value);
                    Field("conversion"); _sb.Append(f.Conversion);
                    Field("format_spec"); Expr(f.FormatSpec);
                    break;
                case JoinedStr j:
                    Begin("JoinedStr");
                    Field("values"); Exprs(j.Values);
                    break;
                case Constant c:
                    Begin("Constant");
                    Field("value"); Value(c.Value);
                    Field("kind"); Str(c.Kind);
                    break;
                case AttributeExpr a:
                    Begin("Attribute");
                    Field("value"); Expr(a.Value);
                    Field("attr"); Str(a.Attr);
                    Field("ctx"); Str(a.Ctx.ToString());
                    break;
                case Subscript s:
                    Begin("Subscript");
                    Field("value"); Expr(s.Value);
                    Field("slice"); Expr(s.Slice);
                    Field("ctx"); Str(s.Ctx.ToString());
                    break;
                case Starred s:
                    Begin("Starred");
                    Field("value"); Expr(s.Value);
                    Field("ctx"); Str(s.Ctx.ToString());
                    break;
                case Name n:
                    Begin("Name");
                    Field("id"); Str(n.Id);
                    Field("ctx"); Str(n.Ctx.ToString());
                    break;
                case List l:
                    Begin("List");
                    Field("elts"); Exprs(l.Elts);
                    Field("ctx"); Str(l.Ctx.ToString());
                    break;
                case TupleExpr t:
                    Begin("Tuple");
                    Field("elts"); Exprs(t.Elts);
                    Field("ctx"); Str(t.Ctx.ToString());
                    break;
                case Slice s:
                    Begin("Slice");
                    Field("lower"); Expr(s.Lower);
                    Field("upper"); Expr(s.Upper);
                    Field("step"); Expr(s.Step);
                    break;
                default:
                    Begin("Error");
                    break;
            }

            EndWithPos(e);
        }

        private void Value(object? v)
        {
            switch (v)
            {
                case null:
                    _sb.Append("null");
                    break;
                case bool b:
                    _sb.Append(b ? "true" : "false");
                    break;
                case string s:
                    WriteString(_sb, s);
                    break;
                case long l:
                    _sb.Append(l.ToString(CultureInfo.InvariantCulture));
                    break;
                case BigInteger bi:
                    _sb.Append(bi.ToString(CultureInfo.InvariantCulture));
                    break;
                case double d:
                    _sb.Append("{\"float\":\"").Append(FloatRepr(d)).Append("\"}");
                    break;
                case Complex c:
                    _sb.Append("{\"complex\":\"").Append(FloatRepr(c.Imaginary)).Append("\"}");
                    break;
                case byte[] bytes:
                    _sb.Append("{\"bytes\":\"").Append(Convert.ToHexStringLower(bytes)).Append("\"}");
                    break;
                case EllipsisValue:
                    _sb.Append("{\"ellipsis\":null}");
                    break;
                default:
                    WriteString(_sb, v.ToString() ?? "");
                    break;
            }
        }

        private void Arguments(Arguments a)
        {
            Begin("arguments");
            Field("posonlyargs"); List(a.PosOnlyArgs, Arg);
            Field("args"); List(a.Args, Arg);
            Field("vararg"); OptArg(a.VarArg);
            Field("kwonlyargs"); List(a.KwOnlyArgs, Arg);
            Field("kw_defaults"); OptExprs(a.KwDefaults);
            Field("kwarg"); OptArg(a.KwArg);
            Field("defaults"); Exprs(a.Defaults);
            _sb.Append('}');
        }

        private void OptArg(Arg? a)
        {
            if (a is null)
            {
                _sb.Append("null");
            }
            else
            {
                Arg(a);
            }
        }

        private void Arg(Arg a)
        {
            Begin("arg");
            Field("arg"); Str(a.Name);
            Field("annotation"); Expr(a.Annotation);
            Field("type_comment"); _sb.Append("null");
            EndWithPos(a);
        }

        private void Keyword(Keyword k)
        {
            Begin("keyword");
            Field("arg"); Str(k.Arg);
            Field("value"); Expr(k.Value);
            EndWithPos(k);
        }

        private void Alias(Alias a)
        {
            Begin("alias");
            Field("name"); Str(a.Name);
            Field("asname"); Str(a.AsName);
            EndWithPos(a);
        }

        private void WithItem(WithItem w)
        {
            Begin("withitem");
            Field("context_expr"); Expr(w.ContextExpr);
            Field("optional_vars"); Expr(w.OptionalVars);
            _sb.Append('}');
        }

        private void Comprehension(Comprehension c)
        {
            Begin("comprehension");
            Field("target"); Expr(c.Target);
            Field("iter"); Expr(c.Iter);
            Field("ifs"); Exprs(c.Ifs);
            Field("is_async"); _sb.Append(c.IsAsync ? 1 : 0);
            _sb.Append('}');
        }

        private void Handler(ExceptHandler h)
        {
            Begin("ExceptHandler");
            Field("type"); Expr(h.Type);
            Field("name"); Str(h.Name);
            Field("body"); Stmts(h.Body);
            EndWithPos(h);
        }

        private void MatchCase(MatchCase c)
        {
            Begin("match_case");
            Field("pattern"); Pattern(c.Pattern);
            Field("guard"); Expr(c.Guard);
            Field("body"); Stmts(c.Body);
            _sb.Append('}');
        }

        private void Pattern(Pattern? p)
        {
            if (p is null)
            {
                _sb.Append("null");
                return;
            }

            switch (p)
            {
                case MatchValue v:
                    Begin("MatchValue");
                    Field("value"); Expr(v.Value);
                    break;
                case MatchSingleton s:
                    Begin("MatchSingleton");
                    Field("value"); Value(s.Value);
                    break;
                case MatchSequence s:
                    Begin("MatchSequence");
                    Field("patterns"); List(s.Patterns, x => Pattern(x));
                    break;
                case MatchMapping m:
                    Begin("MatchMapping");
                    Field("keys"); Exprs(m.Keys);
                    Field("patterns"); List(m.Patterns, x => Pattern(x));
                    Field("rest"); Str(m.Rest);
                    break;
                case MatchClass c:
                    Begin("MatchClass");
                    Field("cls"); Expr(c.Cls);
                    Field("patterns"); List(c.Patterns, x => Pattern(x));
                    Field("kwd_attrs"); Strings(c.KwdAttrs);
                    Field("kwd_patterns"); List(c.KwdPatterns, x => Pattern(x));
                    break;
                case MatchStar s:
                    Begin("MatchStar");
                    Field("name"); Str(s.Name);
                    break;
                case MatchAs a:
                    Begin("MatchAs");
                    Field("pattern"); Pattern(a.Pattern);
                    Field("name"); Str(a.Name);
                    break;
                case MatchOr o:
                    Begin("MatchOr");
                    Field("patterns"); List(o.Patterns, x => Pattern(x));
                    break;
            }

            EndWithPos(p);
        }

        private void TypeParam(TypeParam t)
        {
            switch (t)
            {
                case TypeVar v:
                    Begin("TypeVar");
                    Field("name"); Str(v.Name);
                    Field("bound"); Expr(v.Bound);
                    Field("default_value"); Expr(v.DefaultValue);
                    break;
                case ParamSpec p:
                    Begin("ParamSpec");
                    Field("name"); Str(p.Name);
                    Field("default_value"); Expr(p.DefaultValue);
                    break;
                case TypeVarTuple p:
                    Begin("TypeVarTuple");
                    Field("name"); Str(p.Name);
                    Field("default_value"); Expr(p.DefaultValue);
                    break;
            }

            EndWithPos(t);
        }
    }

    /// <summary>Python's repr() of a float: shortest round-trip digits, scientific below 1e-4 and from 1e16.</summary>
    public static string FloatRepr(double d)
    {
        if (double.IsPositiveInfinity(d))
        {
            return "inf";
        }

        if (double.IsNegativeInfinity(d))
        {
            return "-inf";
        }

        if (double.IsNaN(d))
        {
            return "nan";
        }

        var r = d.ToString("R", CultureInfo.InvariantCulture);
        string sign = "";
        if (r.StartsWith('-'))
        {
            sign = "-";
            r = r.Substring(1);
        }

        int exp = 0;
        int ei = r.IndexOfAny(new[] { 'E', 'e' });
        if (ei >= 0)
        {
            exp = int.Parse(r.AsSpan(ei + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            r = r.Substring(0, ei);
        }

        int point = r.IndexOf('.');
        string digits = point >= 0 ? r.Remove(point, 1) : r;
        int decpt = (point >= 0 ? point : r.Length) + exp;
        int lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0')
        {
            lead++;
        }

        digits = digits.Substring(lead);
        decpt -= lead;
        digits = digits.TrimEnd('0');
        if (digits.Length == 0)
        {
            return sign + "0.0";
        }

        int x = decpt - 1;
        if (x < -4 || x >= 16)
        {
            var mant = digits.Length > 1 ? digits[0] + "." + digits.Substring(1) : digits;
            return sign + mant + "e" + (x < 0 ? "-" : "+") + Math.Abs(x).ToString("00", CultureInfo.InvariantCulture);
        }

        if (decpt <= 0)
        {
            return sign + "0." + new string('0', -decpt) + digits;
        }

        if (decpt >= digits.Length)
        {
            return sign + digits + new string('0', decpt - digits.Length) + ".0";
        }

        return sign + digits.Substring(0, decpt) + "." + digits.Substring(decpt);
    }

    /// <summary>A JSON string as Python's json.dumps writes it (ensure_ascii: everything outside ' '..'~' escaped).</summary>
    public static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < ' ' || c > '~')
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }
}
