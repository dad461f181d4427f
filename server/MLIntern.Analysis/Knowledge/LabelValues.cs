using System.Runtime.CompilerServices;
using MLIntern.Analysis.Rules;
using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Knowledge;

/// <summary>
/// Which expressions hold the script's labels and where a value goes, decided by data flow, never
/// by what a variable is called. Label data is a read of a label column — the label column of a data
/// set the host knows, a column the Trainer reads labels from (<see cref="Api.TrainerLabelColumns"/>),
/// or one the script names as its labels' source (<see cref="LabelColumnUse"/>) —, a collection made
/// of one (`set(...)`, `sorted(...)`, `.unique()`, `.tolist()`), or one label: the target of a loop or
/// comprehension over label data, the parameter of a function mapped over it, a row's label
/// (`row["intent"]`). A value is used as labels (<see cref="UsedAsLabels"/>) when it reaches the
/// model's label configuration, a ClassLabel's names, a `.map` onto label data, or a lookup by a label.
/// </summary>
public sealed class LabelValues
{
    private const int MaxDepth = 12;
    private const int MaxHops = 6;

    private static readonly ConditionalWeakTable<ScriptContext, LabelValues> Cache = new();

    /// <summary>Methods of label data that return the same labels (or each label changed in form).</summary>
    private static readonly HashSet<string> Keeping =
    [
        "tolist", "to_list", "to_numpy", "unique", "astype", "copy", "dropna", "drop_duplicates", "sort_values", "lower", "upper",
        "strip", "title", "casefold", "ravel", "flatten", "squeeze", "item", "numpy",
    ];

    /// <summary>Methods that apply a function or a mapping to each value of their receiver.</summary>
    private static readonly HashSet<string> Mapping = ["map", "apply", "replace", "transform"];

    /// <summary>Lookups by key or position: `m.get(label)`, `names.index(label)`.</summary>
    private static readonly HashSet<string> Lookups = ["get", "__getitem__", "index", "str2int"];

    private readonly ScriptContext _context;
    private readonly SemanticModel _model;
    private readonly HashSet<string> _columns = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dataColumns = new(StringComparer.Ordinal);
    private readonly Dictionary<Expr, bool> _known = new();
    private Dictionary<Binding, List<Name>>? _uses;

    private LabelValues(ScriptContext context)
    {
        _context = context;
        _model = context.Model;
        foreach (var data in DatasetLoads.All(context))
        {
            if (data.Info.LabelColumn is { } column)
            {
                _dataColumns.Add(column);
            }
        }

        _dataColumns.UnionWith(LabelColumnUse.Of(context).SourceColumns);
        _columns.UnionWith(_dataColumns);
        _columns.UnionWith(Api.TrainerLabelColumns);
    }

    public static LabelValues Of(ScriptContext context) => Cache.GetValue(context, c => new LabelValues(c));

    /// <summary>The names of the columns that hold labels in this script.</summary>
    public IReadOnlySet<string> Columns => _columns;

    /// <summary>True when <paramref name="expr"/> holds labels: a label column, a collection of labels, or one label.</summary>
    public bool IsLabelData(Expr expr)
    {
        if (!_known.TryGetValue(expr, out var holds))
        {
            _known[expr] = holds = Holds(expr, 0);
        }

        return holds;
    }

    /// <summary>The loads of a name that read this binding.</summary>
    public IReadOnlyList<Name> UsesOf(Binding binding)
    {
        _uses ??= CollectUses();
        return _uses.TryGetValue(binding, out var list) ? list : [];
    }

    /// <summary>The binding an assignment target makes, or null.</summary>
    public Binding? BindingOf(Name target) =>
        _model.ScopeAt(target.Start).GetBindings(target.Id).FirstOrDefault(b => ReferenceEquals(b.Node, target)) ??
        _model.Scopes.SelectMany(s => s.GetBindings(target.Id)).FirstOrDefault(b => ReferenceEquals(b.Node, target));

    /// <summary>
    /// True when the value of <paramref name="expr"/> is used as labels: it (or a value computed from
    /// it, through assignments, aliases and a function's return) is passed as `id2label=` /
    /// `label2id=` / `num_labels=` or a ClassLabel's `names=`, set on a model's config, mapped onto
    /// label data (`df["intent"].map(m)`), or looked up by a label (`m[label]`, `m.get(label)`).
    /// </summary>
    public bool UsedAsLabels(Expr expr) => Reaches(expr, 0, new HashSet<Node>());

    private bool Reaches(Expr expr, int hops, HashSet<Node> seen)
    {
        if (hops > MaxHops || !seen.Add(expr))
        {
            return false;
        }

        Node child = expr;
        foreach (var parent in _model.Ancestors(expr))
        {
            switch (parent)
            {
                case Keyword { Arg: { } arg } keyword when Api.LabelConfigKeywords.Contains(arg) || arg == "names" && IsClassLabel(_model.ParentOf(keyword)):
                    return true;
                case Subscript { Ctx: ExprContext.Load } lookup when ReferenceEquals(lookup.Value, child) && Holds(lookup.Slice, 0):
                    return true;
                case Call call when ReferenceEquals(call.Func, child) && child is AttributeExpr { Attr: var method } && Lookups.Contains(method) &&
                                    call.Args.Count > 0 && Holds(call.Args[0], 0):
                    return true;
                case Call call when call.Args.Any(a => ReferenceEquals(a, child)) && Code.MethodName(call) is { } name && Mapping.Contains(name) &&
                                    Code.Receiver(call) is { } receiver && Holds(receiver, 0):
                    return true;
                case Assign assign:
                    return assign.Targets.Any(t => TargetReaches(t, hops, seen));
                case AnnAssign annotated:
                    return TargetReaches(annotated.Target, hops, seen);
                case Return ret when _model.EnclosingFunction(ret) is FunctionDef function:
                    return CallsOf(function).Any(c => Reaches(c, hops + 1, seen));
                case Stmt:
                    return false;
            }

            child = parent;
        }

        return false;
    }

    private bool TargetReaches(Expr target, int hops, HashSet<Node> seen) => target switch
    {
        Name name => BindingOf(name) is { } binding && UsesOf(binding).Any(u => Reaches(u, hops + 1, seen)),

        // `model.config.id2label = m`, `config["label2id"] = m`.
        AttributeExpr { Attr: var attr } => attr is "id2label" or "label2id",
        Subscript { Slice: var key } => _model.EvaluateString(key) is "id2label" or "label2id",
        _ => false,
    };

    private bool IsClassLabel(Node? node) => node is Call call && Symbols.Of(_model).Callee(call) == Api.ClassLabel;

    private bool Holds(Expr expr, int depth)
    {
        if (depth > MaxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            return false;
        }

        switch (expr)
        {
            case Subscript { Slice: var key } when Key(key) is { } column:
                return _columns.Contains(column) || IsLabelColumn(expr);
            case AttributeExpr { Attr: "values" or "str" or "T" } attribute:
                return Holds(attribute.Value, depth + 1);
            case AttributeExpr { Attr: var column }:
                return _dataColumns.Contains(column) || IsLabelColumn(expr);
            case Call call:
                return CallHolds(call, depth);
            case Name name:
                return NameHolds(name, depth);
            case ListComp { Generators: [var g, ..] }:
                return Holds(g.Iter, depth + 1);
            case SetComp { Generators: [var g, ..] }:
                return Holds(g.Iter, depth + 1);
            case GeneratorExp { Generators: [var g, ..] }:
                return Holds(g.Iter, depth + 1);
            case Starred starred:
                return Holds(starred.Value, depth + 1);
            default:
                return false;
        }
    }

    private string? Key(Expr key) => ValueFlow.Of(_context).String(key) ?? _model.EvaluateString(key);

    private bool IsLabelColumn(Expr expr) => ValueFlow.Of(_context).Evaluate(expr) is ColumnValue { IsLabelColumn: true };

    private bool CallHolds(Call call, int depth)
    {
        if (call.Func is AttributeExpr { Attr: var method, Value: var receiver } && Symbols.Of(_model).Callee(call) is null)
        {
            return Keeping.Contains(method) && Holds(receiver, depth + 1);
        }

        if (call.Args.Count == 0 || call.Args[0] is Starred)
        {
            return false;
        }

        if (Code.IsBuiltinCall(_model, call, "list") || Code.IsBuiltinCall(_model, call, "set") || Code.IsBuiltinCall(_model, call, "sorted") ||
            Code.IsBuiltinCall(_model, call, "frozenset") || Code.IsBuiltinCall(_model, call, "tuple") || Code.IsBuiltinCall(_model, call, "iter") ||
            Code.IsBuiltinCall(_model, call, "str"))
        {
            return Holds(call.Args[0], depth + 1);
        }

        return Symbols.Of(_model).Callee(call) is "numpy.unique" or "numpy.array" or "numpy.asarray" or "pandas.Series" or "pandas.unique" &&
            Holds(call.Args[0], depth + 1);
    }

    private bool NameHolds(Name name, int depth)
    {
        // A comprehension's element comes before its `for`: its targets are found from the element.
        if (ComprehensionTarget(name) is var (generator, bound))
        {
            return ItemHolds(generator.Iter, generator.Target, bound, depth);
        }

        var binding = _model.ResolveName(name);
        if (binding is null)
        {
            return false;
        }

        if (binding.Value is { } value && !ReferenceEquals(value, name))
        {
            return Holds(value, depth + 1);
        }

        switch (binding.Kind)
        {
            case BindingKind.ComprehensionTarget when binding.Node is Name target:
                return _model.Ancestors(target).OfType<Comprehension>().FirstOrDefault() is { } comprehension &&
                    ItemHolds(comprehension.Iter, comprehension.Target, target, depth);
            case BindingKind.ForTarget when binding.Statement is For loop && binding.Node is Name target:
                return ItemHolds(loop.Iter, loop.Target, target, depth);
            case BindingKind.Parameter when binding.Node is Arg arg:
                return ParameterHolds(binding, arg, depth);
            default:
                return false;
        }
    }

    /// <summary>The comprehension target a name in a comprehension refers to, innermost first.</summary>
    private (Comprehension Generator, Name Target)? ComprehensionTarget(Name use)
    {
        foreach (var ancestor in _model.Ancestors(use))
        {
            var generators = ancestor switch
            {
                ListComp c => c.Generators,
                SetComp c => c.Generators,
                GeneratorExp c => c.Generators,
                DictComp c => c.Generators,
                _ => NodeList<Comprehension>.Empty,
            };
            if (ancestor is Lambda or FunctionDef or ClassDef)
            {
                return null;
            }

            foreach (var generator in generators)
            {
                if (TargetNamed(generator.Target, use.Id) is { } target)
                {
                    return ReferenceEquals(target, use) ? null : (generator, target);
                }
            }
        }

        return null;
    }

    private static Name? TargetNamed(Expr target, string id) => target switch
    {
        Name n when n.Id == id => n,
        TupleExpr t => t.Elts.Select(e => TargetNamed(e, id)).FirstOrDefault(n => n is not null),
        List l => l.Elts.Select(e => TargetNamed(e, id)).FirstOrDefault(n => n is not null),
        Starred s => TargetNamed(s.Value, id),
        _ => null,
    };

    /// <summary>The item a loop target gets: `x` of `for x in S`, the value of `enumerate(S)`, the k-th of `zip(...)`.</summary>
    private bool ItemHolds(Expr iter, Expr targets, Name target, int depth)
    {
        if (ReferenceEquals(targets, target))
        {
            return Holds(iter, depth + 1);
        }

        if (targets is not TupleExpr and not List || iter is not Call { Keywords.Count: 0 } call)
        {
            return false;
        }

        var elts = targets is TupleExpr t ? t.Elts : ((List)targets).Elts;
        var index = elts.FindIndex(e => ReferenceEquals(e, target));
        if (index < 0)
        {
            return false;
        }

        if (Code.IsBuiltinCall(_model, call, "enumerate") && call.Args.Count == 1 && elts.Count == 2)
        {
            return index == 1 && Holds(call.Args[0], depth + 1);
        }

        return Code.IsBuiltinCall(_model, call, "zip") && index < call.Args.Count && Holds(call.Args[index], depth + 1);
    }

    /// <summary>A function's first parameter when the function is mapped over label data, or when every call passes label data.</summary>
    private bool ParameterHolds(Binding binding, Arg arg, int depth)
    {
        if (_model.ParentOf(arg) is not Arguments arguments || _model.ParentOf(arguments) is not { } function)
        {
            return false;
        }

        var first = arguments.PosOnlyArgs.Concat(arguments.Args).FirstOrDefault();
        if (ReferenceEquals(first, arg))
        {
            if (function is Lambda lambda && _model.ParentOf(lambda) is Call mapped && MapsOverLabels(mapped, lambda, depth))
            {
                return true;
            }

            if (function is FunctionDef def)
            {
                foreach (var call in _model.Calls)
                {
                    if (call.Args.FirstOrDefault(a => a is Name n && _model.ResolveName(n) is { Node: var node } && ReferenceEquals(node, def)) is { } passed &&
                        MapsOverLabels(call, passed, depth))
                    {
                        return true;
                    }
                }
            }
        }

        return Code.ParameterArguments(_context.Model, binding) is { Count: > 0 } passedArgs && passedArgs.All(a => Holds(a, depth + 1));
    }

    private bool MapsOverLabels(Call call, Expr function, int depth) =>
        call.Args.Count > 0 && ReferenceEquals(call.Args[0], function) && Code.MethodName(call) is { } method && Mapping.Contains(method) &&
        Code.Receiver(call) is { } receiver && Holds(receiver, depth + 1);

    private IEnumerable<Call> CallsOf(FunctionDef function) =>
        _model.Calls.Where(c => c.Func is Name n && _model.ResolveName(n) is { Node: var node } && ReferenceEquals(node, function));

    private Dictionary<Binding, List<Name>> CollectUses()
    {
        var uses = new Dictionary<Binding, List<Name>>(ReferenceEqualityComparer.Instance);
        new UseCollector(_model, uses).Visit(_model.Tree);
        return uses;
    }

    private sealed class UseCollector(SemanticModel model, Dictionary<Binding, List<Name>> uses) : SyntaxWalker
    {
        public override void Visit(Node node)
        {
            if (node is Name { Ctx: ExprContext.Load } name && model.ResolveName(name) is { } binding)
            {
                if (!uses.TryGetValue(binding, out var list))
                {
                    uses[binding] = list = [];
                }

                list.Add(name);
            }

            VisitChildren(node);
        }
    }
}
