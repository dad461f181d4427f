using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Knowledge;

/// <summary>
/// Small syntactic questions many rules ask: what a plain copy stands for, the method chain a value
/// was made by, which builtin or method a call calls, how the file refers to `numpy.argmax`.
/// Questions about values go to <see cref="ValueFlow"/>, about libraries to <see cref="Symbols"/>.
/// </summary>
public static class Code
{
    private const int MaxDepth = 16;

    /// <summary>True if the call calls the builtin <paramref name="name"/> (not a local redefinition).</summary>
    public static bool IsBuiltinCall(SemanticModel model, Expr expr, string name) =>
        expr is Call { Func: Name n } && n.Id == name && model.ResolveName(n) is null;

    /// <summary>Builtins (and IPython's `display`) that show or measure a value without passing it on.</summary>
    private static readonly HashSet<string> ShowFunctions = ["print", "display", "len", "repr", "type"];

    /// <summary>
    /// True when the value of <paramref name="expr"/> is only looked at: it ends in a bare
    /// expression statement (a notebook cell's displayed value, or a script's discarded one) or
    /// in `print` / `display` / `len` / `pprint`, itself or what is computed from it — a part
    /// (`enc["input_ids"]`, `enc.word_ids()`), a container or comprehension over it, the answer of
    /// <paramref name="reads"/> (e.g. a tokenizer decoding it), and every use of a name it is
    /// assigned to (up to a few assignments deep). A value returned, yielded, unpacked, or passed
    /// to anything else (a model, a data set, a function of the file) is not only looked at; nor
    /// is the value assigned to a name that is never read.
    /// </summary>
    public static bool OnlyShown(SemanticModel model, Expr expr, Func<Name, IReadOnlyList<Name>> usesOf, Func<Call, bool>? reads = null) =>
        OnlyShown(model, expr, usesOf, reads, 0);

    private static bool OnlyShown(SemanticModel model, Expr expr, Func<Name, IReadOnlyList<Name>> usesOf, Func<Call, bool>? reads, int depth)
    {
        Node current = expr;
        for (var steps = 0; steps < 4 * MaxDepth; steps++)
        {
            var parent = model.ParentOf(current);
            switch (parent)
            {
                case ExprStmt:
                    return true;
                case Subscript s when ReferenceEquals(s.Value, current):
                case AttributeExpr a when ReferenceEquals(a.Value, current):
                case Call c when ReferenceEquals(c.Func, current):
                case TupleExpr or List or Set or BinOp or UnaryOp or Compare or BoolOp or FormattedValue or JoinedStr or Comprehension:
                case ListComp or SetComp or GeneratorExp or DictComp or Dict or IfExp:
                    current = parent;
                    continue;
                case Call c when c.Args.Contains(current):
                    if (c.Func is Name f && (ShowFunctions.Contains(f.Id) && model.ResolveName(f) is null || f.Id == "pprint") ||
                        c.Func is AttributeExpr { Value: Name { Id: "pprint" }, Attr: "pprint" })
                    {
                        return true;
                    }

                    if (reads?.Invoke(c) == true)
                    {
                        current = c;
                        continue;
                    }

                    // A helper of the file whose result goes straight to print: `print(align(labels, word_ids))`.
                    if (c.Func is Name helper && model.ResolveName(helper) is { Kind: BindingKind.FunctionDefinition } &&
                        model.ParentOf(c) is Call { Func: Name show } printed && printed.Args.Contains(c) &&
                        (ShowFunctions.Contains(show.Id) && model.ResolveName(show) is null || show.Id == "pprint"))
                    {
                        return true;
                    }

                    return false;
                case Assign { Targets: [Name target] } assign when ReferenceEquals(assign.Value, current) && depth < 3:
                    var uses = usesOf(target);
                    return (uses.Count > 0 || depth > 0) && uses.All(u => OnlyShown(model, u, usesOf, reads, depth + 1));
                case For loop when ReferenceEquals(loop.Iter, current) && loop.Target is Name item && depth < 3:
                    var itemUses = usesOf(item);
                    return itemUses.All(u => OnlyShown(model, u, usesOf, reads, depth + 1));
                default:
                    return false;
            }
        }

        return false;
    }

    /// <summary>The method name of `receiver.method(...)`, or null.</summary>
    public static string? MethodName(Call call) => call.Func is AttributeExpr a ? a.Attr : null;

    /// <summary>The receiver of `receiver.method(...)`, or null.</summary>
    public static Expr? Receiver(Call call) => call.Func is AttributeExpr a ? a.Value : null;

    /// <summary>
    /// The expression a value stands for once plain copies are followed: a name whose only
    /// binding in its scope is `name = value` becomes that value (repeatedly). A name bound more
    /// than once, a parameter, or a loop target stays the name: its value is not one thing.
    /// </summary>
    public static Expr Unalias(SemanticModel model, Expr expr)
    {
        for (var depth = 0; depth < MaxDepth && expr is Name name; depth++)
        {
            if (SingleAssignment(model, name) is not { Value: { } value })
            {
                break;
            }

            expr = value;
        }

        return expr;
    }

    /// <summary>
    /// What the calls of this file pass for the parameter a name refers to, one expression per call
    /// (its default when a call leaves it out); null when the function is not called here or a call
    /// passes it in a way not known (`*args`, `**kwargs`).
    /// </summary>
    public static IReadOnlyList<Expr>? ParameterArguments(SemanticModel model, Name name) =>
        model.ResolveName(name) is { } binding ? ParameterArguments(model, binding) : null;

    /// <inheritdoc cref="ParameterArguments(SemanticModel, Name)"/>
    public static IReadOnlyList<Expr>? ParameterArguments(SemanticModel model, Binding parameter)
    {
        if (parameter is not { Kind: BindingKind.Parameter, Scope.Node: FunctionDef function, Node: Arg arg })
        {
            return null;
        }

        var result = new List<Expr>();
        foreach (var (call, skip) in SitesOf(model, function))
        {
            var (passed, found) = ArgumentFor(function, call, arg, skip);
            if (found ? passed is null : skip > 0 || (passed = Default(function, arg)) is null)
            {
                return null;
            }

            result.Add(passed!);
        }

        return result.Count > 0 ? result : null;
    }

    /// <summary>
    /// The argument a call passes for a parameter of the function it calls (found: the call passes
    /// it; argument null: not known, e.g. through `*args` or `**kwargs`). <paramref name="skip"/> leading
    /// positional arguments are not the function's (`partial(function, ...)`'s first); a negative skip,
    /// leading parameters the call does not pass (a construction `Cls(...)` of `__init__(self, ...)`: -1).
    /// </summary>
    public static (Expr? Argument, bool Found) ArgumentFor(FunctionDef function, Call call, Arg parameter, int skip = 0)
    {
        foreach (var k in call.Keywords)
        {
            if (k.Arg == parameter.Name)
            {
                return (k.Value, true);
            }

            if (k.Arg is null)
            {
                return (null, true);
            }
        }

        var index = function.Args.PosOnlyArgs.Concat(function.Args.Args).ToList().IndexOf(parameter);
        if (index < 0)
        {
            return (null, false);
        }

        for (var i = Math.Max(skip, 0); i < call.Args.Count; i++)
        {
            if (call.Args[i] is Starred)
            {
                return (null, true);
            }

            if (i - skip == index)
            {
                return (call.Args[i], true);
            }
        }

        return (null, false);
    }

    /// <summary>A parameter's default value, or null.</summary>
    public static Expr? Default(FunctionDef function, Arg parameter)
    {
        var positional = function.Args.PosOnlyArgs.Concat(function.Args.Args).ToList();
        var index = positional.IndexOf(parameter);
        var first = positional.Count - function.Args.Defaults.Count;
        if (index >= 0)
        {
            return index >= first ? function.Args.Defaults[index - first] : null;
        }

        var k = function.Args.KwOnlyArgs.IndexOf(parameter);
        return k >= 0 && k < function.Args.KwDefaults.Count ? function.Args.KwDefaults[k] : null;
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SemanticModel, Dictionary<FunctionDef, List<(Call, int)>>> Sites = new();

    /// <summary>
    /// The calls of a function of this file, each with how its positional arguments line up with the
    /// function's parameters (the skip <see cref="ArgumentFor"/> takes): called by its name (0),
    /// through `functools.partial(function, ...)` binding some of its parameters (1: the call's first
    /// argument is the function), or, for a class's `__init__`, a construction of the class by its name
    /// (-1: `self` is not passed). Indexed once per file.
    /// </summary>
    public static List<(Call Call, int Skip)> SitesOf(SemanticModel model, FunctionDef function)
    {
        var index = Sites.GetValue(model, m =>
        {
            var sites = new Dictionary<FunctionDef, List<(Call, int)>>();
            foreach (var site in m.Calls)
            {
                var partial = site.Args.Count > 0 && site.Args[0] is Name target && site.Func is Name or AttributeExpr &&
                              m.ResolveCallee(site) is "functools.partial" ? target : null;
                var callee = partial ?? site.Func as Name;
                var (def, skip) = (callee is null ? null : m.ResolveName(callee)) switch
                {
                    { Kind: BindingKind.FunctionDefinition, Node: FunctionDef f } => (f, partial is null ? 0 : 1),
                    { Kind: BindingKind.ClassDefinition, Node: ClassDef cls } when partial is null =>
                        (cls.Body.OfType<FunctionDef>().LastOrDefault(f => f.Name == "__init__"), -1),
                    _ => ((FunctionDef?)null, 0),
                };
                if (def is not null)
                {
                    (sites.TryGetValue(def, out var list) ? list : sites[def] = []).Add((site, skip));
                }
            }

            return sites;
        });
        return index.TryGetValue(function, out var found) ? found : [];
    }

    /// <summary>The class whose method `self` (the method's first parameter, not a static or class method's) is, or null.</summary>
    public static ClassDef? SelfClass(SemanticModel model, Name self) =>
        model.ResolveName(self) is { Kind: BindingKind.Parameter, Scope.Node: FunctionDef method, Node: Arg arg } &&
        method.Args.PosOnlyArgs.Concat(method.Args.Args).FirstOrDefault() is { } first && ReferenceEquals(first, arg) &&
        !method.DecoratorList.Any(d => d is Name { Id: "staticmethod" or "classmethod" }) &&
        model.ParentOf(method) is ClassDef cls
            ? cls
            : null;

    /// <summary>What the class's methods assign to `self.attr` (plain assignments), in source order.</summary>
    public static IEnumerable<Expr> SelfAttributeValues(SemanticModel model, ClassDef cls, string attr)
    {
        foreach (var method in cls.Body.OfType<FunctionDef>())
        {
            foreach (var assign in Rules.Loops.SyntaxPath.DescendantsOf(method).OfType<Assign>())
            {
                if (assign.Targets.Any(t => t is AttributeExpr { Value: Name s, Attr: var a } && a == attr && ReferenceEquals(SelfClass(model, s), cls)))
                {
                    yield return assign.Value;
                }
            }
        }
    }

    /// <summary>
    /// The default value of the parameter a name refers to when no call of the function in this file
    /// passes it (`def main(cfg=CONFIG)` called as `main()`), else null.
    /// </summary>
    public static Expr? ParameterDefault(SemanticModel model, Name name)
    {
        if (model.ResolveName(name) is not { Kind: BindingKind.Parameter, Scope.Node: FunctionDef function, Node: Arg arg } ||
            Default(function, arg) is not { } value)
        {
            return null;
        }

        return SitesOf(model, function).All(s => ArgumentFor(function, s.Call, arg, s.Skip) is (_, false)) ? value : null;
    }

    /// <summary>The binding a name load refers to when it is the only binding of that name in its scope, else null.</summary>
    public static Binding? SingleAssignment(SemanticModel model, Name name)
    {
        var binding = model.ResolveName(name);
        if (binding is null || binding.Kind is not (BindingKind.Assignment or BindingKind.AnnotatedAssignment))
        {
            return null;
        }

        return binding.Scope.GetBindings(binding.Name).Count(b => b.Kind != BindingKind.Declaration) == 1 ? binding : null;
    }

    /// <summary>
    /// The receiver a value was made from, method call by method call: `ds = load_dataset(...)`,
    /// then `ds["train"].map(f).train_test_split(...)` walks back through `.map(f)`, `["train"]`
    /// and `ds` to the `load_dataset` call. Each step is yielded, outermost first.
    /// </summary>
    public static IEnumerable<Expr> Chain(SemanticModel model, Expr expr)
    {
        for (var depth = 0; depth < MaxDepth * 2; depth++)
        {
            // What a name holds where it is read: its reaching assignment, so `ds = ds.train_test_split(...)` reads the `ds` made before.
            while (expr is Name name && model.ResolveName(name) is { Kind: BindingKind.Assignment or BindingKind.AnnotatedAssignment, Value: { } value } && !ReferenceEquals(value, name) && depth++ < MaxDepth * 2)
            {
                expr = value;
            }

            yield return expr;
            switch (expr)
            {
                case Call { Func: AttributeExpr method } call when model.ResolveCallee(call) is null:
                    // A method of a value (`ds.map(f)`), not a function of a module (`pd.read_csv(...)`).
                    expr = method.Value;
                    break;
                case Subscript s:
                    expr = s.Value;
                    break;
                default:
                    yield break;
            }
        }
    }

    /// <summary>
    /// How the file refers to `numpy.argmax`, or null when numpy is not imported at module level
    /// as a name that is free: "np.argmax" after `import numpy as np`, "argmax" after
    /// `from numpy import argmax`.
    /// </summary>
    public static string? NumpyArgmax(SemanticModel model)
    {
        foreach (var (name, bindings) in model.GlobalScope.Bindings)
        {
            if (bindings.Count != 1 || !bindings[0].IsUnconditional)
            {
                continue;
            }

            switch (bindings[0])
            {
                case { Kind: BindingKind.Import, QualifiedName: "numpy" }:
                    return name + ".argmax";
                case { Kind: BindingKind.FromImport, QualifiedName: "numpy.argmax" }:
                    return name;
            }
        }

        return null;
    }

    /// <summary>The function of this file a call calls by name (`helper(...)`), or null.</summary>
    public static FunctionDef? LocalFunction(SemanticModel model, Call call) =>
        call.Func is Name n && model.ResolveName(n) is { Kind: BindingKind.FunctionDefinition, Node: FunctionDef function } ? function : null;

    /// <summary>The value of a function's only `return` (not counting nested functions), or null: a function with several may return different things.</summary>
    public static Expr? SingleReturn(FunctionDef function)
    {
        var returns = new ReturnFinder();
        foreach (var statement in function.Body)
        {
            returns.Visit(statement);
        }

        return returns.Found is [{ Value: { } value }] ? value : null;
    }

    private sealed class ReturnFinder : SyntaxWalker
    {
        public List<Return> Found { get; } = [];

        public override void Visit(Node node)
        {
            if (node is Return ret)
            {
                Found.Add(ret);
            }

            if (node is not (FunctionDef or ClassDef or Lambda))
            {
                VisitChildren(node);
            }
        }
    }
}
