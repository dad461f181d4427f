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
/// <remarks>
/// 64 bytes, was 80 (a 1M-line script has ~600,000): the scope is the block's, and the value and the
/// qualified name share a field (an import binds no value, an assignment no qualified name).
/// </remarks>
public sealed class Binding
{
    // Value (an Expr) or QualifiedName (a string): never both.
    private object? _bound;

    internal Binding(string name, BindingKind kind, Node node, Stmt? statement, int position, Block block)
    {
        Name = name;
        Kind = kind;
        Node = node;
        Statement = statement;
        Position = position;
        Block = block;
    }

    public string Name { get; }

    public BindingKind Kind { get; }

    public Scope Scope => Block.Scope;

    /// <summary>The node that binds: a Name target, an Alias, an Arg, a FunctionDef, a ClassDef, an ExceptHandler, a pattern.</summary>
    public Node Node { get; }

    /// <summary>The statement the binding belongs to (null for parameters of lambdas and comprehension targets).</summary>
    public Stmt? Statement { get; }

    /// <summary>The offset from which the binding is in effect (after the value is evaluated).</summary>
    public int Position { get; }

    /// <summary>The value bound, when it is known syntactically: `x = value`, `x: T = value`, `(x := value)`, tuple-to-tuple unpacking.</summary>
    public Expr? Value
    {
        get => _bound as Expr;
        internal set => _bound = value;
    }

    /// <summary>For imports: the fully qualified name bound (`import numpy as np` → "numpy", `from a import b` → "a.b").</summary>
    public string? QualifiedName
    {
        get => _bound as string;
        internal set => _bound = value;
    }

    internal Block Block { get; }

    /// <summary>True if the binding is not under an `if`, loop, `try`, `with` or `match` of its scope.</summary>
    public bool IsUnconditional => Block.Parent is null;

    public override string ToString() => $"{Kind} {Name} @{Position}";
}

/// <summary>A block of statements (a body of a compound statement) of one scope, to tell straight-line code from conditional code.</summary>
internal sealed class Block
{
    /// <summary>A scope's outermost block.</summary>
    public Block(Scope scope)
    {
        Scope = scope;
    }

    public Block(Block? parent, Scope scope)
    {
        Parent = parent;
        Scope = scope;
    }

    public Block? Parent { get; }

    public Scope Scope { get; }

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
        Root = parent?.Root ?? this;
        parent?.ChildList.Add(this);
    }

    /// <summary>The module scope of this scope's model: which model a Name's <c>UseBlock</c> belongs to.</summary>
    internal Scope Root { get; }

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

    /// <summary>
    /// The lookup index of a name bound many times here (<see cref="BindingIndex.MinBindings"/> or more),
    /// made on first use; null for a name bound fewer times, whose bindings a scan answers as fast.
    /// </summary>
    internal BindingIndex? IndexOf(string name)
    {
        if (!_bindings.TryGetValue(name, out var list) || list.Count < BindingIndex.MinBindings)
        {
            return null;
        }

        _indexes ??= new Dictionary<string, BindingIndex>(StringComparer.Ordinal);
        if (!_indexes.TryGetValue(name, out var index))
        {
            // A model answers one check on one thread; at worst two threads would build equal indexes.
            index = new BindingIndex(list);
            _indexes[name] = index;
        }

        return index;
    }

    private Dictionary<string, BindingIndex>? _indexes;

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

/// <summary>
/// The bindings of one name in one scope, indexed so that a reaching-definition question costs
/// O(nesting depth × log n) rather than a scan of every binding: a script that reassigns one
/// name 200,000 times would otherwise make resolving all its uses quadratic. The answers are
/// exactly those of the scan in <see cref="SemanticModel"/>; a list whose positions are not in
/// source order (a function that rebinds its own name through `global`) is not indexed.
/// </summary>
internal sealed class BindingIndex
{
    /// <summary>Below this many bindings a scan is as fast as the index, and costs no memory.</summary>
    public const int MinBindings = 32;

    // The bindings that are not declarations, in source order, and their positions (ascending).
    private readonly Binding[] _items;
    private readonly int[] _positions;

    // Per block, the indexes into _items of the bindings made directly in it (ascending).
    private readonly Dictionary<Block, List<int>> _byBlock = new(ReferenceEqualityComparer.Instance);

    public BindingIndex(List<Binding> bindings)
    {
        var items = new List<Binding>(bindings.Count);
        foreach (var b in bindings)
        {
            if (b.Kind != BindingKind.Declaration)
            {
                items.Add(b);
            }
        }

        _items = [.. items];
        _positions = new int[_items.Length];
        Sorted = true;
        for (int i = 0; i < _items.Length; i++)
        {
            _positions[i] = _items[i].Position;
            Sorted &= i == 0 || _positions[i - 1] <= _positions[i];
            if (!_byBlock.TryGetValue(_items[i].Block, out var inBlock))
            {
                inBlock = new List<int>(1);
                _byBlock[_items[i].Block] = inBlock;
            }

            inBlock.Add(i);
        }

        for (int i = _items.Length - 1; i >= 0; i--)
        {
            var b = _items[i];
            if (b.IsUnconditional)
            {
                LastUnconditional = b;
                break;
            }
        }

        Last = _items.Length > 0 ? _items[^1] : null;
    }

    /// <summary>False when the positions are not ascending in source order: then the index cannot answer.</summary>
    public bool Sorted { get; }

    /// <summary>The last binding not under a condition of its scope, or null.</summary>
    public Binding? LastUnconditional { get; }

    /// <summary>The last binding (not a declaration), or null.</summary>
    public Binding? Last { get; }

    /// <summary>
    /// The last binding at or before <paramref name="position"/> made in <paramref name="block"/> or a
    /// block around it, else the last one at or before it in any block (null: no block asked).
    /// </summary>
    public Binding? Reaching(Block? block, int position)
    {
        int loose = UpperBound(_positions, position) - 1;
        if (loose < 0)
        {
            return null;
        }

        if (block is null)
        {
            return _items[loose];
        }

        int best = -1;
        for (var b = block; b is not null; b = b.Parent)
        {
            if (_byBlock.TryGetValue(b, out var inBlock))
            {
                int k = UpperBoundIndex(inBlock, position) - 1;
                if (k >= 0 && inBlock[k] > best)
                {
                    best = inBlock[k];
                }
            }
        }

        return _items[best >= 0 ? best : loose];
    }

    /// <summary>The steps a <see cref="Reaching"/> question takes: a binary search in each block from <paramref name="block"/> out.</summary>
    public int Cost(Block? block)
    {
        int log = 1 + (int)Math.Log2(_items.Length + 1);
        int blocks = 1;
        for (var b = block; b is not null; b = b.Parent)
        {
            blocks++;
        }

        return blocks * log;
    }

    /// <summary>The number of leading positions at or before <paramref name="position"/>.</summary>
    private static int UpperBound(int[] positions, int position)
    {
        int lo = 0, hi = positions.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (positions[mid] <= position)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private int UpperBoundIndex(List<int> indexes, int position)
    {
        int lo = 0, hi = indexes.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_positions[indexes[mid]] <= position)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
