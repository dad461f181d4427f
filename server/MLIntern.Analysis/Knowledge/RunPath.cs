using System.Runtime.CompilerServices;
using MLIntern.Analysis.Rules.Loops;
using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Knowledge;

/// <summary>
/// The code that runs when the file is run as a script: its module-level statements (the
/// `if __name__ == "__main__":` block included), and the functions and methods they reach — called by
/// name, handed on as a value (a callback, `compute_metrics=fn`, `map(fn)`), methods of a class the
/// running code constructs (a framework calls them: `training_step`, `forward`), or functions registered
/// by a decorator on an object the running code uses (`@app.command()` and `app()`: typer, click groups). A file of definitions
/// only (a library module, a utilities file) runs nothing; its training loops run when, and with the
/// seeds, its caller decides.
/// </summary>
public sealed class RunPath
{
    private static readonly ConditionalWeakTable<SemanticModel, RunPath> Cache = new();

    private readonly SemanticModel _model;
    private readonly HashSet<Node> _reached = new();

    private RunPath(SemanticModel model)
    {
        _model = model;
        var work = new Queue<Node>();
        foreach (var statement in model.Tree.Body.Where(s => s is not (FunctionDef or ClassDef)))
        {
            work.Enqueue(statement);
        }

        // Decorators and default values run when the definition does.
        HasModuleCode = work.Any(s => s is Stmt st && st is not (Import or ImportFrom or Pass) && !IsDocstringOrConstant(st));
        var registered = Registrations(model);
        while (work.Count > 0)
        {
            foreach (var node in SyntaxPath.DescendantsInScopeOnce(work.Dequeue()))
            {
                if (Definition(node) is { } definition && _reached.Add(definition))
                {
                    Enqueue(work, definition);
                }

                // Running code that uses a registry (`app()`) runs what is registered on it (`@app.command()`).
                if (registered.Count > 0 && node is Name used && model.ResolveName(used) is { } binding && registered.Remove(binding, out var functions))
                {
                    foreach (var function in functions.Where(_reached.Add))
                    {
                        Enqueue(work, function);
                    }
                }
            }
        }
    }

    /// <summary>
    /// The module's functions registered on an object of the file by a decorator — `@app.command()`,
    /// `@cli.command`, `@router.route(...)` on an `app = typer.Typer()`, a `click` group or any object the file
    /// makes (not an import: `@torch.no_grad()`, `@functools.cache` only wrap) — by the binding of that object.
    /// The object runs them when the running code calls or hands it on.
    /// </summary>
    private static Dictionary<Binding, List<FunctionDef>> Registrations(SemanticModel model)
    {
        var result = new Dictionary<Binding, List<FunctionDef>>();
        foreach (var function in model.Tree.Body.OfType<FunctionDef>())
        {
            foreach (var decorator in function.DecoratorList)
            {
                var target = decorator is Call call ? call.Func : decorator;
                if (target is AttributeExpr { Value: Name owner } && model.ResolveName(owner) is { Kind: BindingKind.Assignment or BindingKind.FunctionDefinition } binding)
                {
                    (result.TryGetValue(binding, out var list) ? list : result[binding] = []).Add(function);
                }
            }
        }

        return result;
    }

    public static RunPath Of(SemanticModel model) => Cache.GetValue(model, m => new RunPath(m));

    /// <summary>True when the file runs code of its own at module level (beyond imports, constants and definitions).</summary>
    public bool HasModuleCode { get; }

    /// <summary>True when <paramref name="node"/> runs when the file is run: module-level code, or inside functions and classes that code reaches.</summary>
    public bool Runs(Node node)
    {
        foreach (var ancestor in _model.Ancestors(node).Prepend(node))
        {
            if (ancestor is FunctionDef or ClassDef && !_reached.Contains(ancestor))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// True when <paramref name="node"/> is inside a test a test runner collects and nothing in the file runs:
    /// a function or method whose name starts with `test` (pytest's and unittest's collection rule) that the
    /// file's own run path never reaches. A test builds its inputs (tiny fixed texts, a GPU-only setting behind
    /// the project's skip marker) for one assertion; it is no run of a training script.
    /// </summary>
    public bool InUncalledTest(Node node) => InUncalledTest(node, 0);

    /// <summary>Also a helper the run path never reaches that only such tests call (`tiny_dataset(tok)` of a test module).</summary>
    private bool InUncalledTest(Node node, int depth) =>
        depth < 4 && _model.Ancestors(node).Prepend(node).OfType<FunctionDef>().Any(f => !_reached.Contains(f) &&
            (f.Name.StartsWith("test", StringComparison.Ordinal) ||
             Code.SitesOf(_model, f) is { Count: > 0 } sites && sites.All(s => InUncalledTest(s.Call, depth + 1))));

    private void Enqueue(Queue<Node> work, Node definition)
    {
        switch (definition)
        {
            case FunctionDef function:
                foreach (var statement in function.Body)
                {
                    work.Enqueue(statement);
                }

                break;
            case ClassDef cls:
                // A constructed class: its methods run when called by the code or by the framework it is given to;
                // so do its bases' (`super().forward(...)`).
                foreach (var baseClass in cls.Bases)
                {
                    if (baseClass is Name n && _model.ResolveName(n) is { Kind: BindingKind.ClassDefinition, Node: ClassDef parent } && _reached.Add(parent))
                    {
                        Enqueue(work, parent);
                    }
                }

                foreach (var member in cls.Body)
                {
                    if (member is FunctionDef or ClassDef)
                    {
                        if (_reached.Add(member))
                        {
                            Enqueue(work, member);
                        }
                    }
                    else
                    {
                        work.Enqueue(member);
                    }
                }

                break;
        }
    }

    /// <summary>The function or class of this file a name refers to, when the node is such a reference.</summary>
    private Node? Definition(Node node) => node switch
    {
        Name name when _model.ResolveName(name) is { Kind: BindingKind.FunctionDefinition, Node: FunctionDef def } => def,

        // A class runs its methods when constructed or handed on (`LightningCLI(MyModule)`), not when an attribute is read (`Cls.method = ...`).
        Name name when _model.ResolveName(name) is { Kind: BindingKind.ClassDefinition, Node: ClassDef cls } && _model.ParentOf(name) is not AttributeExpr => cls,

        // `self.helper()` / `obj.method`: a method of one of the file's classes by that name.
        AttributeExpr { Attr: var attr } => Methods.GetValueOrDefault(attr),
        _ => null,
    };

    /// <summary>The first method of that name among the module's classes, in source order: one look-up per attribute, not a scan of every class.</summary>
    private Dictionary<string, FunctionDef> Methods => _methods ??= IndexMethods(_model.Tree);

    private Dictionary<string, FunctionDef>? _methods;

    private static Dictionary<string, FunctionDef> IndexMethods(Module tree)
    {
        var methods = new Dictionary<string, FunctionDef>(StringComparer.Ordinal);
        foreach (var method in tree.Body.OfType<ClassDef>().SelectMany(c => c.Body.OfType<FunctionDef>()))
        {
            methods.TryAdd(method.Name, method);
        }

        return methods;
    }

    private static bool IsDocstringOrConstant(Stmt statement) =>
        statement is ExprStmt { Value: Constant } ||
        statement is Assign { Value: Constant or List or TupleExpr or Dict or Set } ||
        statement is AnnAssign;
}
