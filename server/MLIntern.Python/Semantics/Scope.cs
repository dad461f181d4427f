using MLIntern.Python.Syntax;

namespace MLIntern.Python.Semantics;

public enum ScopeKind
{
    Module,
    Class,
    Function,
    Lambda,
    Comprehension,
}

/// <summary>How a name got bound.</summary>
public enum BindingKind
{
    Assignment,
    AnnotatedAssignment,
    AugmentedAssignment,
    NamedExpression,
    ForTarget,
    WithTarget,
    ComprehensionTarget,
    Parameter,
    FunctionDefinition,
    ClassDefinition,

    /// <summary>`import a.b` or `import a.b as c`.</summary>
    Import,

    /// <summary>`from m import x [as y]`.</summary>
    FromImport,
    ExceptHandler,
    MatchCapture,
    TypeParameter,
    Deletion,

    /// <summary>A `global` or `nonlocal` declaration (the binding lives in another scope).</summary>
    Declaration,
}

/// <summary>A name bound in a scope, where, how, and (when simple) to what value.</summary>
public sealed class Binding
{
    internal Binding(string name, BindingKind kind, Scope scope, Node node, Stmt? statement, int position, Block block)
    {
        Name = name;
        Kind = kind;
        Scope = scope;
        Node = node;
        Statement = statement;
        Position = position;
        Block = block;
    }

    public string Name { get; }

    public BindingKind Kind { get; }

    public Scope Scope { get; }

    /// <summary>The node that binds: a Name target, an Alias, an Arg, a FunctionDef, a ClassDef, an ExceptHandler, a pattern.</summary>
    public Node Node { get; }

    /// <summary>The statement the binding belongs to (null for parameters of lambdas and comprehension targets).</summary>
    public Stmt? Statement { get; }

    /// <summary>The offset from which the binding is in effect (after the value is evaluated).</summary>
    public int Position { get; }

    /// <summary>The value bound, when it is known syntactically: `x = value`, `x: T = value`, `(x := value)`, tuple-to-tuple unpacking.</summary>
    public Expr? Value { get; internal set; }

    /// <summary>For imports: the fully qualified name bound (`import numpy as np` → "numpy", `from a import b` → "a.b").</summary>
    public string? QualifiedName { get; internal set; }

    internal Block Block { get; }

    /// <summary>True if the binding is not under an `if`, loop, `try`, `with` or `match` of its scope.</summary>
    public bool IsUnconditional => Block.Parent is null;

    public override string ToString() => $"{Kind} {Name} @{Position}";
}

/// <summary>A block of statements (a body of a compound statement), to tell straight-line code from conditional code.</summary>
internal sealed class Block
{
    public Block(Block? parent)
    {
        Parent = parent;
    }

    public Block? Parent { get; }

    public bool IsAncestorOrSelfOf(Block other)
    {
        for (var b = other; b is not null; b = b.Parent)
        {
            if (ReferenceEquals(b, this))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>A Python scope: the module, a class body, a function, a lambda or a comprehension.</summary>
public sealed class Scope
{
    private readonly Dictionary<string, List<Binding>> _bindings = new(StringComparer.Ordinal);
    private HashSet<string>? _globals;
    private HashSet<string>? _nonlocals;

    internal Scope(ScopeKind kind, Node node, Scope? parent)
    {
        Kind = kind;
        Node = node;
        Parent = parent;
        parent?.ChildList.Add(this);
    }

    public ScopeKind Kind { get; }

    /// <summary>The Module, ClassDef, FunctionDef, Lambda or comprehension expression that opens the scope.</summary>
    public Node Node { get; }

    public Scope? Parent { get; }

    public IReadOnlyList<Scope> Children => ChildList;

    internal List<Scope> ChildList { get; } = new();

    /// <summary>Every name bound in this scope with all its bindings in source order.</summary>
    public IReadOnlyDictionary<string, List<Binding>> Bindings => _bindings;

    public bool DeclaresGlobal(string name) => _globals?.Contains(name) == true;

    public bool DeclaresNonlocal(string name) => _nonlocals?.Contains(name) == true;

    /// <summary>True if the name is local to this scope (bound here and not declared global or nonlocal).</summary>
    public bool IsLocal(string name) => _bindings.ContainsKey(name) && !DeclaresGlobal(name) && !DeclaresNonlocal(name);

    public IReadOnlyList<Binding> GetBindings(string name) => _bindings.TryGetValue(name, out var list) ? list : Array.Empty<Binding>();

    internal void Add(Binding b)
    {
        if (!_bindings.TryGetValue(b.Name, out var list))
        {
            list = new List<Binding>(1);
            _bindings[b.Name] = list;
        }

        list.Add(b);
    }

    internal void DeclareGlobal(string name) => (_globals ??= new HashSet<string>(StringComparer.Ordinal)).Add(name);

    internal void DeclareNonlocal(string name) => (_nonlocals ??= new HashSet<string>(StringComparer.Ordinal)).Add(name);

    public override string ToString() => $"{Kind} scope @{Node.Start}";
}
