using MLIntern.Python.Text;

namespace MLIntern.Python.Syntax;

/// <summary>
/// A node of the syntax tree. The node types and their fields mirror CPython's <c>ast</c>
/// module (so a tree can be compared with CPython's), and every node has an exact range.
/// </summary>
public abstract class Node
{
    [ThreadStatic]
    private static int t_made;

    // A number the node gets when it is made: its hash code. Nodes are equal only to themselves, and
    // are keys of the semantic model's and the rules' maps; hashing by this number costs a field read,
    // where the runtime's identity hash stores one in the object's header, through a call into the
    // runtime, the first time each node is hashed (a tenth of a check's CPU time).
    private readonly int _hash = ++t_made;

    public sealed override bool Equals(object? obj) => ReferenceEquals(this, obj);

    public sealed override int GetHashCode() => _hash;

    /// <summary>Start offset (UTF-16) in the source text.</summary>
    public int Start { get; set; }

    /// <summary>End offset (UTF-16, exclusive) in the source text.</summary>
    public int End { get; set; }

    public TextRange Range => new(Start, End);
}

public abstract class Expr : Node
{
    /// <summary>The expression was written inside its own parentheses (which its range excludes, except for tuples).</summary>
    public bool IsParenthesized { get; set; }
}

public abstract class Stmt : Node
{
}

public abstract class Pattern : Node
{
}

public abstract class TypeParam : Node
{
    public string Name { get; set; } = "";

    public Expr? DefaultValue { get; set; }
}

public enum ExprContext : byte
{
    Load,
    Store,
    Del,
}

public enum BoolOperator : byte
{
    And,
    Or,
}

public enum Operator : byte
{
    Add,
    Sub,
    Mult,
    MatMult,
    Div,
    Mod,
    Pow,
    LShift,
    RShift,
    BitOr,
    BitXor,
    BitAnd,
    FloorDiv,
}

public enum UnaryOperator : byte
{
    Invert,
    Not,
    UAdd,
    USub,
}

public enum CmpOperator : byte
{
    Eq,
    NotEq,
    Lt,
    LtE,
    Gt,
    GtE,
    Is,
    IsNot,
    In,
    NotIn,
}

/// <summary>The category of an <see cref="ErrorExpr"/> or <see cref="ErrorStmt"/>: what went wrong where it stands.</summary>
public enum ErrorCategory : byte
{
    ExpectedExpression,
    UnexpectedToken,
    MissingCloseParen,
    InvalidTarget,
    TooDeeplyNested,
    InvalidStatement,
}
