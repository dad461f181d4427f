// The node classes, one per CPython ast class. Field names follow CPython's.
using System.Numerics;

namespace MLIntern.Python.Syntax;

/// <summary>CPython ast.Module.</summary>
public sealed class Module : Node
{
    public List<Stmt> Body { get; set; } = new();
}

/// <summary>A function definition; <see cref="IsAsync"/> distinguishes CPython's AsyncFunctionDef.</summary>
public sealed class FunctionDef : Stmt
{
    public string Name { get; set; } = "";

    public Arguments Args { get; set; } = null!;

    public List<Stmt> Body { get; set; } = new();

    public List<Expr> DecoratorList { get; set; } = new();

    public Expr? Returns { get; set; }

    public List<TypeParam> TypeParams { get; set; } = new();

    public bool IsAsync { get; set; }
}

/// <summary>CPython ast.ClassDef.</summary>
public sealed class ClassDef : Stmt
{
    public string Name { get; set; } = "";

    public List<Expr> Bases { get; set; } = new();

    public List<Keyword> Keywords { get; set; } = new();

    public List<Stmt> Body { get; set; } = new();

    public List<Expr> DecoratorList { get; set; } = new();

    public List<TypeParam> TypeParams { get; set; } = new();
}

/// <summary>CPython ast.Return.</summary>
public sealed class Return : Stmt
{
    public Expr? Value { get; set; }
}

/// <summary>CPython ast.Delete.</summary>
public sealed class Delete : Stmt
{
    public List<Expr> Targets { get; set; } = new();
}

/// <summary>CPython ast.Assign.</summary>
public sealed class Assign : Stmt
{
    public List<Expr> Targets { get; set; } = new();

    public Expr Value { get; set; } = null!;
}

/// <summary>CPython ast.TypeAlias.</summary>
public sealed class TypeAlias : Stmt
{
    public Name Name { get; set; } = null!;

    public List<TypeParam> TypeParams { get; set; } = new();

    public Expr Value { get; set; } = null!;
}

/// <summary>CPython ast.AugAssign.</summary>
public sealed class AugAssign : Stmt
{
    public Expr Target { get; set; } = null!;

    public Operator Op { get; set; }

    public Expr Value { get; set; } = null!;
}

/// <summary>CPython ast.AnnAssign.</summary>
public sealed class AnnAssign : Stmt
{
    public Expr Target { get; set; } = null!;

    public Expr Annotation { get; set; } = null!;

    public Expr? Value { get; set; }

    public bool Simple { get; set; }
}

/// <summary>A for loop; <see cref="IsAsync"/> distinguishes CPython's AsyncFor.</summary>
public sealed class For : Stmt
{
    public Expr Target { get; set; } = null!;

    public Expr Iter { get; set; } = null!;

    public List<Stmt> Body { get; set; } = new();

    public List<Stmt> OrElse { get; set; } = new();

    public bool IsAsync { get; set; }
}

/// <summary>CPython ast.While.</summary>
public sealed class While : Stmt
{
    public Expr Test { get; set; } = null!;

    public List<Stmt> Body { get; set; } = new();

    public List<Stmt> OrElse { get; set; } = new();
}

/// <summary>CPython ast.If.</summary>
public sealed class If : Stmt
{
    public Expr Test { get; set; } = null!;

    public List<Stmt> Body { get; set; } = new();

    public List<Stmt> OrElse { get; set; } = new();
}

/// <summary>A with statement; <see cref="IsAsync"/> distinguishes CPython's AsyncWith.</summary>
public sealed class With : Stmt
{
    public List<WithItem> Items { get; set; } = new();

    public List<Stmt> Body { get; set; } = new();

    public bool IsAsync { get; set; }
}

/// <summary>CPython ast.Match.</summary>
public sealed class Match : Stmt
{
    public Expr Subject { get; set; } = null!;

    public List<MatchCase> Cases { get; set; } = new();
}

/// <summary>CPython ast.Raise.</summary>
public sealed class Raise : Stmt
{
    public Expr? Exc { get; set; }

    public Expr? Cause { get; set; }
}

/// <summary>A try statement; <see cref="IsStar"/> distinguishes CPython's TryStar (except*).</summary>
public sealed class Try : Stmt
{
    public List<Stmt> Body { get; set; } = new();

    public List<ExceptHandler> Handlers { get; set; } = new();

    public List<Stmt> OrElse { get; set; } = new();

    public List<Stmt> FinalBody { get; set; } = new();

    public bool IsStar { get; set; }
}

/// <summary>CPython ast.Assert.</summary>
public sealed class AssertStmt : Stmt
{
    public Expr Test { get; set; } = null!;

    public Expr? Msg { get; set; }
}

/// <summary>CPython ast.Import.</summary>
public sealed class Import : Stmt
{
    public List<Alias> Names { get; set; } = new();
}

/// <summary>CPython ast.ImportFrom.</summary>
public sealed class ImportFrom : Stmt
{
    public string? Module { get; set; }

    public List<Alias> Names { get; set; } = new();

    public int Level { get; set; }
}

/// <summary>CPython ast.Global.</summary>
public sealed class Global : Stmt
{
    public List<string> Names { get; set; } = new();
}

/// <summary>CPython ast.Nonlocal.</summary>
public sealed class Nonlocal : Stmt
{
    public List<string> Names { get; set; } = new();
}

/// <summary>An expression used as a statement (CPython's <c>Expr</c>).</summary>
public sealed class ExprStmt : Stmt
{
    public Expr Value { get; set; } = null!;
}

/// <summary>CPython ast.Pass.</summary>
public sealed class Pass : Stmt
{
}

/// <summary>CPython ast.Break.</summary>
public sealed class Break : Stmt
{
}

/// <summary>CPython ast.Continue.</summary>
public sealed class Continue : Stmt
{
}

/// <summary>A statement that could not be parsed; <see cref="Parsed"/> holds what was.</summary>
public sealed class ErrorStmt : Stmt
{
    public ErrorCategory Category { get; set; }

    public List<Node> Parsed { get; set; } = new();
}

/// <summary>CPython ast.BoolOp.</summary>
public sealed class BoolOp : Expr
{
    public BoolOperator Op { get; set; }

    public List<Expr> Values { get; set; } = new();
}

/// <summary>CPython ast.NamedExpr.</summary>
public sealed class NamedExpr : Expr
{
    public Expr Target { get; set; } = null!;

    public Expr Value { get; set; } = null!;
}

/// <summary>CPython ast.BinOp.</summary>
public sealed class BinOp : Expr
{
    public Expr Left { get; set; } = null!;

    public Operator Op { get; set; }

    public Expr Right { get; set; } = null!;
}

/// <summary>CPython ast.UnaryOp.</summary>
public sealed class UnaryOp : Expr
{
    public UnaryOperator Op { get; set; }

    public Expr Operand { get; set; } = null!;
}

/// <summary>CPython ast.Lambda.</summary>
public sealed class Lambda : Expr
{
    public Arguments Args { get; set; } = null!;

    public Expr Body { get; set; } = null!;
}

/// <summary>CPython ast.IfExp.</summary>
public sealed class IfExp : Expr
{
    public Expr Test { get; set; } = null!;

    public Expr Body { get; set; } = null!;

    public Expr OrElse { get; set; } = null!;
}

/// <summary>CPython ast.Dict.</summary>
public sealed class Dict : Expr
{
    public List<Expr?> Keys { get; set; } = new();

    public List<Expr> Values { get; set; } = new();
}

/// <summary>CPython ast.Set.</summary>
public sealed class Set : Expr
{
    public List<Expr> Elts { get; set; } = new();
}

/// <summary>CPython ast.ListComp.</summary>
public sealed class ListComp : Expr
{
    public Expr Elt { get; set; } = null!;

    public List<Comprehension> Generators { get; set; } = new();
}

/// <summary>CPython ast.SetComp.</summary>
public sealed class SetComp : Expr
{
    public Expr Elt { get; set; } = null!;

    public List<Comprehension> Generators { get; set; } = new();
}

/// <summary>CPython ast.DictComp.</summary>
public sealed class DictComp : Expr
{
    public Expr Key { get; set; } = null!;

    public Expr Value { get; set; } = null!;

    public List<Comprehension> Generators { get; set; } = new();
}

/// <summary>CPython ast.GeneratorExp.</summary>
public sealed class GeneratorExp : Expr
{
    public Expr Elt { get; set; } = null!;

    public List<Comprehension> Generators { get; set; } = new();
}

/// <summary>CPython ast.Await.</summary>
public sealed class Await : Expr
{
    public Expr Value { get; set; } = null!;
}

/// <summary>CPython ast.Yield.</summary>
public sealed class Yield : Expr
{
    public Expr? Value { get; set; }
}

/// <summary>CPython ast.YieldFrom.</summary>
public sealed class YieldFrom : Expr
{
    public Expr Value { get; set; } = null!;
}

/// <summary>CPython ast.Compare.</summary>
public sealed class Compare : Expr
{
    public Expr Left { get; set; } = null!;

    public List<CmpOperator> Ops { get; set; } = new();

    public List<Expr> Comparators { get; set; } = new();
}

/// <summary>CPython ast.Call.</summary>
public sealed class Call : Expr
{
    public Expr Func { get; set; } = null!;

    public List<Expr> Args { get; set; } = new();

    public List<Keyword> Keywords { get; set; } = new();
}

/// <summary>CPython ast.FormattedValue.</summary>
public sealed class FormattedValue : Expr
{
    public Expr Value { get; set; } = null!;

    public int Conversion { get; set; }

    public JoinedStr? FormatSpec { get; set; }
}

/// <summary>CPython ast.JoinedStr.</summary>
public sealed class JoinedStr : Expr
{
    public List<Expr> Values { get; set; } = new();
}

/// <summary>A literal. Value is string, byte[], long, BigInteger, double, Complex, bool, null or <see cref="EllipsisValue"/>. Kind is "u" for u-prefixed strings.</summary>
public sealed class Constant : Expr
{
    public object? Value { get; set; }

    public string? Kind { get; set; }
}

/// <summary>CPython ast.Attribute.</summary>
public sealed class AttributeExpr : Expr
{
    public Expr Value { get; set; } = null!;

    public string Attr { get; set; } = "";

    public ExprContext Ctx { get; set; }
}

/// <summary>CPython ast.Subscript.</summary>
public sealed class Subscript : Expr
{
    public Expr Value { get; set; } = null!;

    public Expr Slice { get; set; } = null!;

    public ExprContext Ctx { get; set; }
}

/// <summary>CPython ast.Starred.</summary>
public sealed class Starred : Expr
{
    public Expr Value { get; set; } = null!;

    public ExprContext Ctx { get; set; }
}

/// <summary>CPython ast.Name.</summary>
public sealed class Name : Expr
{
    public string Id { get; set; } = "";

    public ExprContext Ctx { get; set; }
}

/// <summary>CPython ast.List.</summary>
public sealed class List : Expr
{
    public List<Expr> Elts { get; set; } = new();

    public ExprContext Ctx { get; set; }
}

/// <summary>CPython ast.Tuple.</summary>
public sealed class TupleExpr : Expr
{
    public List<Expr> Elts { get; set; } = new();

    public ExprContext Ctx { get; set; }
}

/// <summary>CPython ast.Slice.</summary>
public sealed class Slice : Expr
{
    public Expr? Lower { get; set; }

    public Expr? Upper { get; set; }

    public Expr? Step { get; set; }
}

/// <summary>An expression that could not be parsed; <see cref="Parsed"/> holds what was.</summary>
public sealed class ErrorExpr : Expr
{
    public ErrorCategory Category { get; set; }

    public List<Node> Parsed { get; set; } = new();
}

/// <summary>CPython ast.Comprehension.</summary>
public sealed class Comprehension : Node
{
    public Expr Target { get; set; } = null!;

    public Expr Iter { get; set; } = null!;

    public List<Expr> Ifs { get; set; } = new();

    public bool IsAsync { get; set; }
}

/// <summary>CPython ast.ExceptHandler.</summary>
public sealed class ExceptHandler : Node
{
    public Expr? Type { get; set; }

    public string? Name { get; set; }

    public List<Stmt> Body { get; set; } = new();
}

/// <summary>The parameters of a function or lambda.</summary>
public sealed class Arguments : Node
{
    public List<Arg> PosOnlyArgs { get; set; } = new();

    public List<Arg> Args { get; set; } = new();

    public Arg? VarArg { get; set; }

    public List<Arg> KwOnlyArgs { get; set; } = new();

    public List<Expr?> KwDefaults { get; set; } = new();

    public Arg? KwArg { get; set; }

    public List<Expr> Defaults { get; set; } = new();
}

/// <summary>CPython ast.Arg.</summary>
public sealed class Arg : Node
{
    public string Name { get; set; } = "";

    public Expr? Annotation { get; set; }
}

/// <summary>CPython ast.Keyword.</summary>
public sealed class Keyword : Node
{
    public string? Arg { get; set; }

    public Expr Value { get; set; } = null!;
}

/// <summary>CPython ast.Alias.</summary>
public sealed class Alias : Node
{
    public string Name { get; set; } = "";

    public string? AsName { get; set; }
}

/// <summary>CPython ast.WithItem.</summary>
public sealed class WithItem : Node
{
    public Expr ContextExpr { get; set; } = null!;

    public Expr? OptionalVars { get; set; }
}

/// <summary>CPython ast.MatchCase.</summary>
public sealed class MatchCase : Node
{
    public Pattern Pattern { get; set; } = null!;

    public Expr? Guard { get; set; }

    public List<Stmt> Body { get; set; } = new();
}

/// <summary>CPython ast.MatchValue.</summary>
public sealed class MatchValue : Pattern
{
    public Expr Value { get; set; } = null!;
}

/// <summary>CPython ast.MatchSingleton.</summary>
public sealed class MatchSingleton : Pattern
{
    public object? Value { get; set; }
}

/// <summary>CPython ast.MatchSequence.</summary>
public sealed class MatchSequence : Pattern
{
    public List<Pattern> Patterns { get; set; } = new();
}

/// <summary>CPython ast.MatchMapping.</summary>
public sealed class MatchMapping : Pattern
{
    public List<Expr> Keys { get; set; } = new();

    public List<Pattern> Patterns { get; set; } = new();

    public string? Rest { get; set; }
}

/// <summary>CPython ast.MatchClass.</summary>
public sealed class MatchClass : Pattern
{
    public Expr Cls { get; set; } = null!;

    public List<Pattern> Patterns { get; set; } = new();

    public List<string> KwdAttrs { get; set; } = new();

    public List<Pattern> KwdPatterns { get; set; } = new();
}

/// <summary>CPython ast.MatchStar.</summary>
public sealed class MatchStar : Pattern
{
    public string? Name { get; set; }
}

/// <summary>CPython ast.MatchAs.</summary>
public sealed class MatchAs : Pattern
{
    public Pattern? Pattern { get; set; }

    public string? Name { get; set; }
}

/// <summary>CPython ast.MatchOr.</summary>
public sealed class MatchOr : Pattern
{
    public List<Pattern> Patterns { get; set; } = new();
}

/// <summary>CPython ast.TypeVar.</summary>
public sealed class TypeVar : TypeParam
{
    public Expr? Bound { get; set; }
}

/// <summary>CPython ast.ParamSpec.</summary>
public sealed class ParamSpec : TypeParam
{
}

/// <summary>CPython ast.TypeVarTuple.</summary>
public sealed class TypeVarTuple : TypeParam
{
}

/// <summary>The value of the literal <c>...</c>.</summary>
public sealed class EllipsisValue
{
    public static readonly EllipsisValue Instance = new();

    private EllipsisValue()
    {
    }

    public override string ToString() => "Ellipsis";
}
