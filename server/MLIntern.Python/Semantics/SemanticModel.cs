using MLIntern.Python.Parsing;
using MLIntern.Python.Syntax;

namespace MLIntern.Python.Semantics;

/// <summary>
/// What a file means, as rules query it (shaped after Ruff's SemanticModel): scopes and
/// bindings, names resolved to their bindings and imports to qualified names, call arguments
/// by keyword and position, literal values, and simple reaching definitions. Built from any
/// tree, including one with syntax errors.
/// </summary>
public sealed class SemanticModel
{
    private static readonly HashSet<string> BuiltinNames = new(StringComparer.Ordinal)
    {
        "abs", "aiter", "all", "anext", "any", "ascii", "bin", "bool", "breakpoint", "bytearray", "bytes", "callable", "chr",
        "classmethod", "compile", "complex", "delattr", "dict", "dir", "divmod", "enumerate", "eval", "exec", "filter", "float",
        "format", "frozenset", "getattr", "globals", "hasattr", "hash", "help", "hex", "id", "input", "int", "isinstance",
        "issubclass", "iter", "len", "list", "locals", "map", "max", "memoryview", "min", "next", "object", "oct", "open", "ord",
        "pow", "print", "property", "range", "repr", "reversed", "round", "set", "setattr", "slice", "sorted", "staticmethod",
        "str", "sum", "super", "tuple", "type", "vars", "zip", "__import__", "__name__", "__file__", "__doc__", "__spec__",
        "__builtins__", "Exception", "BaseException", "ValueError", "TypeError", "KeyError", "IndexError", "RuntimeError",
        "NotImplementedError", "AttributeError", "ImportError", "OSError", "StopIteration", "AssertionError", "NotImplemented",
        "Ellipsis", "None", "True", "False",
    };

    private readonly Dictionary<Name, Block>? _otherUses;
    private readonly List<Call> _calls;

    internal SemanticModel(Module tree, Scope global, List<Scope> scopes, Dictionary<Name, Block>? otherUses, List<Call> calls)
    {
        Tree = tree;
        GlobalScope = global;
        Scopes = scopes;
        _otherUses = otherUses;
        _calls = calls;
    }

    public Module Tree { get; }

    public Scope GlobalScope { get; }

    /// <summary>All scopes, the module first, in source order.</summary>
    public IReadOnlyList<Scope> Scopes { get; }

    /// <summary>Every call expression in source order.</summary>
    public IReadOnlyList<Call> Calls => _calls;

    public static SemanticModel Build(ParseResult parse) => Build(parse.Tree);

    public static SemanticModel Build(Module tree) => new SemanticBuilder(tree).Build();

    public static bool IsBuiltin(string name) => BuiltinNames.Contains(name);

    /// <summary>The innermost scope whose node contains <paramref name="offset"/>.</summary>
    public Scope ScopeAt(int offset)
    {
        var scope = GlobalScope;
        while (true)
        {
            Scope? inner = null;
            foreach (var child in scope.Children)
            {
                if (child.Node.Start <= offset && offset < child.Node.End)
                {
                    inner = child;
                    break;
                }
            }

            if (inner is null)
            {
                return scope;
            }

            scope = inner;
        }
    }

    /// <summary>
    /// How many bindings the reaching-definition look-ups have examined so far (a binary search
    /// counts its steps): a measure of work, not of time, so a test can tell that resolving every
    /// name of a file stays near-linear in its size however often one name is rebound.
    /// </summary>
    public long ResolutionSteps { get; private set; }

    /// <summary>The scope a name load was evaluated in.</summary>
    public Scope? ScopeOf(Name name) => UseOf(name)?.Scope;

    /// <summary>The block a name load of this model's tree was evaluated in; null if the name is not a load.</summary>
    private Block? UseOf(Name name)
    {
        var block = name.UseBlock;
        if (block is not null && ReferenceEquals(block.Scope.Root, GlobalScope))
        {
            return block;
        }

        return _otherUses is not null && _otherUses.TryGetValue(name, out block) ? block : null;
    }

    /// <summary>
    /// The binding a name load refers to: the reaching definition. In the name's own scope,
    /// the last binding before the use in the same or an enclosing block (falling back to
    /// the last one before it in any block); in an enclosing scope (a function reading a
    /// module global), its last unconditional binding. Null for builtins and undefined names.
    /// </summary>
    public Binding? ResolveName(Name name)
    {
        if (UseOf(name) is not { } use)
        {
            return null;
        }

        return Lookup(name.Id, use.Scope, use, name.Start);
    }

    /// <summary>The binding of <paramref name="name"/> visible at <paramref name="offset"/> (straight-line reaching definition).</summary>
    public Binding? LookupAt(string name, int offset)
    {
        var scope = ScopeAt(offset);
        return Lookup(name, scope, null, offset);
    }

    /// <summary>The value expression a name had where it is used (`x = value` reaching the use), or null.</summary>
    public Expr? ReachingValue(Name name) => ResolveName(name)?.Value;

    private Binding? Lookup(string name, Scope scope, Block? block, int position)
    {
        Scope? defining = null;
        bool same = false;
        if (scope.DeclaresGlobal(name))
        {
            defining = GlobalScope;
        }
        else if (scope.DeclaresNonlocal(name))
        {
            for (var p = scope.Parent; p is not null; p = p.Parent)
            {
                if (p.Kind is ScopeKind.Function or ScopeKind.Lambda && p.IsLocal(name))
                {
                    defining = p;
                    break;
                }
            }
        }
        else if (scope.IsLocal(name))
        {
            defining = scope;
            same = true;
        }
        else
        {
            for (var p = scope.Parent; p is not null; p = p.Parent)
            {
                // Class bodies are not visible from the scopes nested in them.
                if (p.Kind == ScopeKind.Class)
                {
                    continue;
                }

                if (p.IsLocal(name))
                {
                    defining = p;
                    break;
                }
            }
        }

        if (defining is null)
        {
            return null;
        }

        if (defining.IndexOf(name) is { Sorted: true } index)
        {
            ResolutionSteps += index.Cost(block);
            return same ? index.Reaching(block, position) : index.LastUnconditional ?? index.Last;
        }

        var bindings = defining.GetBindings(name);
        ResolutionSteps += bindings.Count;
        Binding? best = null;
        if (same)
        {
            Binding? loose = null;
            foreach (var b in bindings)
            {
                if (b.Kind == BindingKind.Declaration || b.Position > position)
                {
                    continue;
                }

                loose = b;
                if (block is null || b.Block.IsAncestorOrSelfOf(block))
                {
                    best = b;
                }
            }

            return best ?? loose;
        }

        foreach (var b in bindings)
        {
            if (b.Kind == BindingKind.Declaration)
            {
                continue;
            }

            if (b.IsUnconditional || best is null || !best.IsUnconditional)
            {
                best = b;
            }
        }

        return best;
    }

    /// <summary>"a.b.c" for a chain of attributes on a name, else null. No resolution.</summary>
    public static string? DottedName(Expr expr)
    {
        switch (expr)
        {
            case Name n:
                return n.Id;
            case AttributeExpr a:
                var left = DottedName(a.Value);
                return left is null ? null : left + "." + a.Attr;
            default:
                return null;
        }
    }

    /// <summary>
    /// The fully qualified name an expression refers to, through imports and aliases:
    /// `from transformers import TrainingArguments as TA` makes `TA` "transformers.TrainingArguments";
    /// `import numpy as np` makes `np.argmax` "numpy.argmax"; `T = torch.tensor` makes `T` "torch.tensor".
    /// Builtins resolve to their bare name ("print"); local definitions to their name; otherwise null.
    /// </summary>
    public string? ResolveQualifiedName(Expr expr)
    {
        // Every rule asks about the same calls; a model is used by one check on one thread, so a
        // plain dictionary memoizes the answers for attribute chains (each answer is a string made
        // anew). A name is not memoized: resolving it costs what the memo's look-up costs, and a
        // memo entry per name asked was 24 bytes and more (16 MB at 1M lines).
        if (expr is not AttributeExpr)
        {
            return ResolveQualifiedName(expr, 0);
        }

        if (_qualifiedNames.TryGetValue(expr, out var known))
        {
            return known;
        }

        var resolved = ResolveQualifiedName(expr, 0);
        _qualifiedNames[expr] = resolved;
        return resolved;
    }

    private readonly Dictionary<Expr, string?> _qualifiedNames = new();

    private string? ResolveQualifiedName(Expr expr, int depth)
    {
        if (depth > 32)
        {
            return null;
        }

        switch (expr)
        {
            case Name n:
            {
                var b = ResolveName(n);
                if (b is null)
                {
                    return UseOf(n) is not null && IsBuiltin(n.Id) ? n.Id : null;
                }

                switch (b.Kind)
                {
                    case BindingKind.Import:
                    case BindingKind.FromImport:
                        return b.QualifiedName;
                    case BindingKind.Assignment or BindingKind.AnnotatedAssignment when b.Value is Name or AttributeExpr:
                        return ResolveQualifiedName(b.Value!, depth + 1);
                    case BindingKind.FunctionDefinition:
                    case BindingKind.ClassDefinition:
                        return b.Name;
                    default:
                        return null;
                }
            }

            case AttributeExpr a:
            {
                var left = ResolveQualifiedName(a.Value, depth + 1);
                return left is null ? null : left + "." + a.Attr;
            }

            default:
                return null;
        }
    }

    /// <summary>True if the expression resolves to <paramref name="qualifiedName"/> (e.g. "transformers.Trainer").</summary>
    public bool Resolves(Expr expr, string qualifiedName) => string.Equals(ResolveQualifiedName(expr), qualifiedName, StringComparison.Ordinal);

    /// <summary>The qualified name of the function a call calls, or null.</summary>
    public string? ResolveCallee(Call call) => ResolveQualifiedName(call.Func);

    /// <summary>The calls whose callee resolves to <paramref name="qualifiedName"/>, in source order.</summary>
    public IEnumerable<Call> CallsTo(string qualifiedName) => _calls.Where(c => Resolves(c.Func, qualifiedName));

    /// <summary>
    /// The argument of a call for a parameter: by keyword, else by position (only if no
    /// `*args` comes before it), else through `**kwargs` whose value is a dict literal or
    /// `dict(...)` call (directly or through a name's reaching definition). Null if absent
    /// or unknown.
    /// </summary>
    public Expr? GetArgument(Call call, string? keyword, int position = -1)
    {
        if (keyword is not null)
        {
            foreach (var k in call.Keywords)
            {
                if (k.Arg == keyword)
                {
                    return k.Value;
                }
            }
        }

        if (position >= 0 && position < call.Args.Count)
        {
            bool starred = false;
            for (int i = 0; i <= position; i++)
            {
                starred |= call.Args[i] is Starred;
            }

            if (!starred)
            {
                return call.Args[position];
            }
        }

        if (keyword is not null)
        {
            for (int i = call.Keywords.Count - 1; i >= 0; i--)
            {
                var k = call.Keywords[i];
                if (k.Arg is null && FindInMapping(k.Value, keyword, 0) is { } v)
                {
                    return v;
                }
            }
        }

        return null;
    }

    /// <summary>The explicit `keyword=value` of a call (the node a fix renames or removes), or null.</summary>
    public static Keyword? FindKeyword(Call call, string keyword)
    {
        foreach (var k in call.Keywords)
        {
            if (k.Arg == keyword)
            {
                return k;
            }
        }

        return null;
    }

    /// <summary>The node that contains <paramref name="node"/> in the tree (null for the module).</summary>
    public Node? ParentOf(Node node)
    {
        if (!_parentsLinked)
        {
            // Linked on first use: rules that never ask for parents do not pay for them. Linking
            // twice (a second model of the same tree) writes the same links.
            new ParentLinker().Visit(Tree);
            _parentsLinked = true;
        }

        return node.Parent;
    }

    /// <summary>The enclosing nodes of <paramref name="node"/>, innermost first, up to the module.</summary>
    public IEnumerable<Node> Ancestors(Node node)
    {
        for (var p = ParentOf(node); p is not null; p = ParentOf(p))
        {
            yield return p;
        }
    }

    /// <summary>The innermost function (def or lambda) around a node, or null at module or class level.</summary>
    public Node? EnclosingFunction(Node node) => Ancestors(node).FirstOrDefault(a => a is FunctionDef or Lambda);

    private bool _parentsLinked;

    private sealed class ParentLinker : SyntaxWalker
    {
        private Node? _parent;

        public override void Visit(Node node)
        {
            node.Parent = _parent;
            var saved = _parent;
            _parent = node;
            base.Visit(node);
            _parent = saved;
        }
    }

    /// <summary>True if the call passes <paramref name="keyword"/> explicitly or through a known `**` mapping.</summary>
    public bool HasArgument(Call call, string keyword) => GetArgument(call, keyword) is not null;

    private Expr? FindInMapping(Expr mapping, string key, int depth)
    {
        if (depth > 8)
        {
            return null;
        }

        switch (mapping)
        {
            case Dict d:
                for (int i = d.Keys.Count - 1; i >= 0; i--)
                {
                    if (d.Keys[i] is Constant { Value: string s } && s == key)
                    {
                        return d.Values[i];
                    }

                    if (d.Keys[i] is null && FindInMapping(d.Values[i], key, depth + 1) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case Call c when c.Func is Name { Id: "dict" } fn && ResolveName(fn) is null:
                for (int i = c.Keywords.Count - 1; i >= 0; i--)
                {
                    var k = c.Keywords[i];
                    if (k.Arg == key)
                    {
                        return k.Value;
                    }

                    if (k.Arg is null && FindInMapping(k.Value, key, depth + 1) is { } unpacked)
                    {
                        return unpacked;
                    }
                }

                // `dict(base, lr=1e-5)` starts from a copy of `base`.
                return c.Args.Count == 1 ? FindInMapping(c.Args[0], key, depth + 1) : null;
            case Name n when ReachingValue(n) is { } value:
                return FindInMapping(value, key, depth + 1);
            case Subscript s when EvaluateString(s.Slice) is { } outer && FindInMapping(s.Value, outer, depth + 1) is { } nested:
                // `**CONFIG["training"]`: a mapping stored under a constant key of another one.
                return FindInMapping(nested, key, depth + 1);
            default:
                return null;
        }
    }

    /// <summary>Evaluates a constant expression, following names to their reaching values.</summary>
    public bool TryEvaluate(Expr expr, out object? value) => Literals.TryEvaluate(expr, out value, ReachingValue);

    /// <summary>The constant value of an expression if it is a string (following names), else null.</summary>
    public string? EvaluateString(Expr expr) => TryEvaluate(expr, out var v) ? v as string : null;

}
