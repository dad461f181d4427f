using System.Runtime.CompilerServices;
using MLIntern.Analysis.Rules;
using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Knowledge;

/// <summary>
/// The abstract value of an expression, found by following the code: reaching definitions and
/// aliases, containers and comprehensions, calls into functions of the same file (parameters bound
/// to the arguments of the call, or of the function's one call site, else their defaults), return
/// values, argparse and HfArgumentParser dataclass defaults, class and instance attributes, `**`
/// dicts, f-strings, known in-place methods (`labels.sort()`), and columns of the data sets the
/// script loads (with the host's facts). Bounded by depth and by a step budget per question, so a
/// keystroke stays fast; <see cref="Value.Unknown"/> when the answer is not certain.
/// </summary>
public sealed class ValueFlow
{
    private const int MaxDepth = 40;
    private const int StepBudget = 5_000;

    private static readonly ConditionalWeakTable<ScriptContext, ValueFlow> Cache = new();

    private static readonly HashSet<string> Reorders = ["sort"];
    private static readonly HashSet<string> Mutators = ["append", "extend", "insert", "remove", "pop", "clear", "update", "add", "discard", "popitem", "setdefault", "reverse"];

    private readonly ScriptContext _context;
    private readonly SemanticModel _model;
    private readonly Symbols _symbols;
    private readonly Dictionary<Expr, Value> _memo = new();
    private int _steps;

    private static readonly ConditionalWeakTable<ScriptContext, ValueFlow> WithoutDataCache = new();

    /// <summary>False for the flow that finds the data sets' paths: it cannot ask which data set a value holds.</summary>
    private readonly bool _withData;

    private ValueFlow(ScriptContext context, bool withData)
    {
        _context = context;
        _model = context.Model;
        _symbols = Symbols.Of(context.Model);
        _withData = withData;
    }

    public static ValueFlow Of(ScriptContext context) => Cache.GetValue(context, c => new ValueFlow(c, true));

    /// <summary>
    /// The value flow without the data sets' facts (no column is known), for finding the data sets
    /// themselves: the path a load reads through a config, a dataclass default or an attribute.
    /// </summary>
    public static ValueFlow WithoutData(ScriptContext context) => WithoutDataCache.GetValue(context, c => new ValueFlow(c, false));

    /// <summary>The value of <paramref name="expr"/> where it is evaluated.</summary>
    public Value Evaluate(Expr expr)
    {
        _steps = 0;
        return Eval(expr, Env.Empty, 0);
    }

    /// <summary>The number of items of a collection value (a column: its class count when it is the label column), else null.</summary>
    public long? Count(Expr expr) => CountOf(Evaluate(expr));

    /// <summary>The number of distinct items, else null.</summary>
    public long? DistinctCount(Expr expr) => Evaluate(expr) switch
    {
        CollectionValue c => c.DistinctCount,
        ColumnValue { IsLabelColumn: true, Dataset.ClassCount: { } n } => n,
        _ => null,
    };

    /// <summary>The integer an expression holds, else null.</summary>
    public long? Integer(Expr expr) => Evaluate(expr) is ScalarValue { Constant: long n } ? n : null;

    /// <summary>The string an expression holds, else null.</summary>
    public string? String(Expr expr) => Evaluate(expr) is ScalarValue { Constant: string s } ? s : null;

    public static long? CountOf(Value value) => value switch
    {
        CollectionValue c => c.Count,
        ColumnValue { IsLabelColumn: true, Dataset.ClassCount: { } n } => n,
        _ => null,
    };

    /// <summary>Parameters bound to the arguments of the call being evaluated into.</summary>
    private sealed record Env(IReadOnlyDictionary<Binding, (Expr? Argument, Env Caller)> Parameters, InstanceValue? Self)
    {
        public static readonly Env Empty = new(new Dictionary<Binding, (Expr?, Env)>(), null);

        public bool IsEmpty => Parameters.Count == 0 && Self is null;
    }

    private Value Eval(Expr expr, Env env, int depth)
    {
        if (depth > MaxDepth || ++_steps > StepBudget || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            return Value.Unknown;
        }

        if (env.IsEmpty && _memo.TryGetValue(expr, out var known))
        {
            return known;
        }

        var value = EvalCore(expr, env, depth);
        if (env.IsEmpty && _steps <= StepBudget)
        {
            _memo[expr] = value;
        }

        return value;
    }

    private Value EvalCore(Expr expr, Env env, int depth)
    {
        switch (expr)
        {
            case Constant c:
                return new ScalarValue(c.Value is System.Numerics.BigInteger ? null : c.Value, c);
            case UnaryOp { Op: UnaryOperator.USub } neg when Eval(neg.Operand, env, depth + 1) is ScalarValue { Constant: long or double } s:
                return new ScalarValue(s.Constant is long l ? -l : -(double)s.Constant!, neg);
            case JoinedStr joined:
                return FString(joined, env, depth);
            case List list:
                return Sequence(CollectionKind.List, list.Elts, list, env, depth);
            case TupleExpr tuple:
                return Sequence(CollectionKind.Tuple, tuple.Elts, tuple, env, depth);
            case Set set:
            {
                var items = Items(set.Elts, env, depth);
                var value = new CollectionValue(CollectionKind.Set, items, null, false, true, set);
                return value with { Count = value.DistinctCount };
            }

            case Dict dict:
                return DictLiteral(dict, env, depth);
            case ListComp lc:
                return Comprehension(CollectionKind.List, lc.Generators, lc, env, depth);
            case GeneratorExp ge:
                return Comprehension(CollectionKind.List, ge.Generators, ge, env, depth);
            case SetComp sc:
                return Comprehension(CollectionKind.Set, sc.Generators, sc, env, depth);
            case DictComp dc:
                return Comprehension(CollectionKind.Dict, dc.Generators, dc, env, depth);
            case Name name:
                return NameValue(name, env, depth);
            case AttributeExpr attribute:
                return Attribute(attribute, env, depth);
            case Subscript subscript:
                return SubscriptValue(subscript, env, depth);
            case Call call:
                return CallValue(call, env, depth);
            case BinOp bin:
                return Binary(bin, env, depth);
            case IfExp ifExp:
            {
                var a = Eval(ifExp.Body, env, depth + 1);
                var b = Eval(ifExp.OrElse, env, depth + 1);
                return a is ScalarValue sa && b is ScalarValue sb && Equals(sa.Constant, sb.Constant) ? a : Value.Unknown;
            }

            case NamedExpr named:
                return Eval(named.Value, env, depth + 1);
            default:
                return Value.Unknown;
        }
    }

    private List<Value>? Items(NodeList<Expr> elts, Env env, int depth)
    {
        var items = new List<Value>(elts.Count);
        foreach (var e in elts)
        {
            if (e is Starred starred)
            {
                if (Eval(starred.Value, env, depth + 1) is CollectionValue { Items: { } inner })
                {
                    items.AddRange(inner);
                    continue;
                }

                return null;
            }

            items.Add(Eval(e, env, depth + 1));
        }

        return items;
    }

    private Value Sequence(CollectionKind kind, NodeList<Expr> elts, Expr node, Env env, int depth)
    {
        var items = Items(elts, env, depth);
        var value = new CollectionValue(kind, items, items?.Count, true, false, node);
        return value with { Distinct = value.DistinctCount == value.Count && value.Count is not null };
    }

    private Value DictLiteral(Dict dict, Env env, int depth)
    {
        var keys = new List<Value>();
        var values = new List<Value>();
        for (var i = 0; i < dict.Keys.Count; i++)
        {
            if (dict.Keys[i] is { } key)
            {
                keys.Add(Eval(key, env, depth + 1));
                values.Add(Eval(dict.Values[i], env, depth + 1));
            }
            else if (Eval(dict.Values[i], env, depth + 1) is CollectionValue { Kind: CollectionKind.Dict, Items: { } k, DictValues: { } v })
            {
                keys.AddRange(k);
                values.AddRange(v);
            }
            else
            {
                return new CollectionValue(CollectionKind.Dict, null, null, true, true, dict);
            }
        }

        var value = new CollectionValue(CollectionKind.Dict, keys, null, true, true, dict, DictValues: values);
        return value with { Count = value.DistinctCount };
    }

    private Value Comprehension(CollectionKind kind, NodeList<Comprehension> generators, Expr node, Env env, int depth)
    {
        if (generators is not [{ Ifs.Count: 0 } generator])
        {
            // A filter or a nested loop: the size is not the source's.
            var ordered = generators.All(g => Eval(g.Iter, env, depth + 1) is not CollectionValue { Ordered: false });
            return new CollectionValue(kind, null, null, ordered && kind != CollectionKind.Set, kind is CollectionKind.Set or CollectionKind.Dict, node);
        }

        var source = Eval(generator.Iter, env, depth + 1);
        var count = CountOf(source);
        var sourceOrdered = source switch
        {
            CollectionValue c => c.Ordered,
            ColumnValue => true,
            _ => true,
        };
        var distinct = kind is CollectionKind.Set or CollectionKind.Dict || source is CollectionValue { Distinct: true };
        if (source.IsUnknown)
        {
            return new CollectionValue(kind, null, null, kind != CollectionKind.Set, distinct, node);
        }

        return new CollectionValue(kind, null, kind == CollectionKind.Set ? null : count, sourceOrdered && kind != CollectionKind.Set, distinct, node,
            source is ColumnValue column && column.IsLabelColumn ? column.ClassCountEvidence : (source as CollectionValue)?.Evidence);
    }

    private Value FString(JoinedStr joined, Env env, int depth)
    {
        var text = new System.Text.StringBuilder();
        foreach (var part in joined.Values)
        {
            var inner = part is FormattedValue { FormatSpec: null, Conversion: -1 or 115 } f ? f.Value : part;
            if (Eval(inner, env, depth + 1) is not ScalarValue { Constant: string or long or bool } s)
            {
                return Value.Unknown;
            }

            text.Append(s.Constant switch
            {
                bool b => b ? "True" : "False",
                long l => l.ToString(System.Globalization.CultureInfo.InvariantCulture),
                var o => (string)o!,
            });
        }

        return new ScalarValue(text.ToString(), joined);
    }

    private Value Binary(BinOp bin, Env env, int depth)
    {
        var left = Eval(bin.Left, env, depth + 1);
        var right = Eval(bin.Right, env, depth + 1);
        switch (left, right, bin.Op)
        {
            case (ScalarValue { Constant: long a }, ScalarValue { Constant: long b }, var op):
                return op switch
                {
                    Operator.Add => new ScalarValue(a + b, bin),
                    Operator.Sub => new ScalarValue(a - b, bin),
                    Operator.Mult => new ScalarValue(a * b, bin),
                    Operator.FloorDiv when b != 0 => new ScalarValue(Math.Floor((double)a / b) is var q ? (long)q : 0, bin),
                    _ => Value.Unknown,
                };
            case (ScalarValue { Constant: string a }, ScalarValue { Constant: string b }, Operator.Add):
                return new ScalarValue(a + b, bin);
            case (CollectionValue { Kind: CollectionKind.List or CollectionKind.Tuple, Items: { } a } l, CollectionValue { Items: { } b }, Operator.Add):
                return Sequence(l.Kind, [], bin, env, depth) is CollectionValue empty
                    ? empty with { Items = [.. a, .. b], Count = a.Count + b.Count, Ordered = l.Ordered }
                    : Value.Unknown;
            default:
                return Value.Unknown;
        }
    }

    private Value NameValue(Name name, Env env, int depth)
    {
        var binding = _model.ResolveName(name);
        if (binding is null)
        {
            return Value.Unknown;
        }

        var value = BindingValue(binding, env, depth);
        return InPlace(binding, name, value);
    }

    /// <summary>A list sorted in place after it was made is ordered; one changed in place has items no one wrote down.</summary>
    private Value InPlace(Binding binding, Name use, Value value)
    {
        if (value is not CollectionValue collection || binding.Kind is not (BindingKind.Assignment or BindingKind.AnnotatedAssignment))
        {
            return value;
        }

        foreach (var call in _model.Calls)
        {
            if (call.Start < binding.Position || call.Start >= use.Start ||
                call.Func is not AttributeExpr { Value: Name receiver } method || receiver.Id != binding.Name ||
                !ReferenceEquals(_model.ResolveName(receiver), binding))
            {
                continue;
            }

            if (Reorders.Contains(method.Attr))
            {
                collection = collection with { Ordered = true };
            }
            else if (Mutators.Contains(method.Attr))
            {
                return new CollectionValue(collection.Kind, null, null, collection.Ordered && method.Attr != "add", false, collection.Origin!);
            }
        }

        return collection;
    }

    private Value BindingValue(Binding binding, Env env, int depth)
    {
        switch (binding.Kind)
        {
            case BindingKind.Assignment or BindingKind.AnnotatedAssignment or BindingKind.NamedExpression when binding.Value is { } bound:
                return Eval(bound, ScopeEnv(binding, env), depth + 1);
            case BindingKind.Assignment when binding.Statement is Assign assign && binding.Node is Name target:
                return Unpacked(assign, target, ScopeEnv(binding, env), depth);
            case BindingKind.Parameter:
                return ParameterValue(binding, env, depth);
            default:
                return Value.Unknown;
        }
    }

    /// <summary>The environment a binding's value is read in: the caller's when the binding is in the function being evaluated into.</summary>
    private static Env ScopeEnv(Binding binding, Env env) =>
        env.Parameters.Keys.Any(p => ReferenceEquals(p.Scope, binding.Scope)) || env.Self is not null ? env : Env.Empty;

    /// <summary>`a, b = f()`: the item of the value at the target's position.</summary>
    private Value Unpacked(Assign assign, Name target, Env env, int depth)
    {
        foreach (var t in assign.Targets)
        {
            if (t is TupleExpr or List)
            {
                var elts = t is TupleExpr tu ? tu.Elts : ((List)t).Elts;
                var index = elts.FindIndex(e => ReferenceEquals(e, target));
                if (index >= 0 && !elts.Any(e => e is Starred) &&
                    Eval(assign.Value, env, depth + 1) is CollectionValue { Items: { } items } && items.Count == elts.Count)
                {
                    return items[index];
                }
            }
        }

        return Value.Unknown;
    }

    private Value ParameterValue(Binding binding, Env env, int depth)
    {
        if (env.Parameters.TryGetValue(binding, out var bound))
        {
            return bound.Argument is null ? Value.Unknown : Eval(bound.Argument, bound.Caller, depth + 1);
        }

        if (binding.Scope.Node is not FunctionDef function || binding.Node is not Arg arg)
        {
            return Value.Unknown;
        }

        if (IsSelf(function, arg) && EnclosingClass(function) is { } cls)
        {
            if (env.Self is { } self)
            {
                return self;
            }

            // The one place the class is constructed decides what `self` was made with.
            var constructions = _model.Calls.Where(c => ReferenceEquals(_symbols.LocalClass(c.Func), cls)).Take(2).ToList();
            return new InstanceValue(cls.Name, constructions.Count == 1 ? constructions[0] : null, cls, arg);
        }

        // A function of this file called once: its parameter holds that call's argument.
        var sites = CallSites(function);
        if (sites.Count == 1 && Code.ArgumentFor(function, sites[0].Call, arg, sites[0].Skip) is var (argument, found) && found)
        {
            return argument is null ? Value.Unknown : Eval(argument, Env.Empty, depth + 1);
        }

        if (sites.All(s => Code.ArgumentFor(function, s.Call, arg, s.Skip) is (_, false)))
        {
            return Code.Default(function, arg) is { } d ? Eval(d, Env.Empty, depth + 1) : Value.Unknown;
        }

        return Value.Unknown;
    }

    private static bool IsSelf(FunctionDef function, Arg arg) =>
        function.Args.PosOnlyArgs.Concat(function.Args.Args).FirstOrDefault() is { } first && ReferenceEquals(first, arg) &&
        !function.DecoratorList.Any(d => d is Name { Id: "staticmethod" or "classmethod" });

    private ClassDef? EnclosingClass(FunctionDef function) => _model.ParentOf(function) as ClassDef;

    /// <summary>The calls of this file to a function of it, by its name (for `__init__`, the class's constructions).</summary>
    private List<(Call Call, int Skip)> CallSites(FunctionDef function) => [.. Code.SitesOf(_model, function).Where(s => s.Skip <= 0)];

    private Value Attribute(AttributeExpr attribute, Env env, int depth)
    {
        // A library attribute (`torch.float16`) has no value to follow.
        var receiver = Eval(attribute.Value, env, depth + 1);
        switch (receiver)
        {
            case InstanceValue instance:
                return InstanceAttribute(instance, attribute.Attr, attribute, env, depth);
            case CollectionValue { Kind: CollectionKind.Dict } dict when attribute.Attr is "keys" or "values":
                return dict;
            case ColumnValue { IsLabelColumn: true, Dataset.ClassCount: { } classes } feature when attribute.Attr is "names":
                // `ds.features["label"].names`: the label column's ClassLabel names its classes.
                return new CollectionValue(CollectionKind.List, null, classes, true, true, attribute, feature.ClassCountEvidence);
            case ColumnValue { IsLabelColumn: true, Dataset.ClassCount: { } classes } when attribute.Attr is "num_classes":
                return new ScalarValue((long)classes, attribute);
            case ColumnValue:
                return Value.Unknown;
        }

        // `Config.num_labels` on a class of this file.
        if (_symbols.LocalClass(attribute.Value) is { } cls)
        {
            return ClassAttribute(cls, attribute.Attr, null, env, depth);
        }

        // `df.intent`: a column read as an attribute.
        if (Column(attribute.Value, attribute.Attr, attribute) is { } column)
        {
            return column;
        }

        return Value.Unknown;
    }

    private Value InstanceAttribute(InstanceValue instance, string attr, Node origin, Env env, int depth)
    {
        if (instance.Local is { } cls)
        {
            // A keyword given to the constructor names a dataclass field (or an __init__ parameter stored under its name).
            if (instance.Construction is { } made && made.Keywords.FirstOrDefault(k => k.Arg == attr) is { } given && IsDataclass(cls))
            {
                return Eval(given.Value, Env.Empty, depth + 1);
            }

            return ClassAttribute(cls, attr, instance, env, depth);
        }

        switch (instance.Class)
        {
            case "argparse.Namespace" when instance.Parser is { } parser:
                return ArgparseDefault(parser, attr, depth);
            case Api.ClassLabel when instance.Construction is { } classLabel:
                if (attr == "names" && _model.GetArgument(classLabel, "names") is { } names)
                {
                    return Eval(names, env, depth + 1);
                }

                if (attr == "num_classes")
                {
                    if (_model.GetArgument(classLabel, "num_classes", 0) is { } n)
                    {
                        return Eval(n, env, depth + 1);
                    }

                    if (_model.GetArgument(classLabel, "names") is { } listed && CountOf(Eval(listed, env, depth + 1)) is { } count)
                    {
                        return new ScalarValue(count, origin);
                    }
                }

                return Value.Unknown;
            default:
                return Value.Unknown;
        }
    }

    private static bool IsDataclass(ClassDef cls) =>
        cls.DecoratorList.Any(d => (d is Call c ? c.Func : d) is Name { Id: "dataclass" } or AttributeExpr { Attr: "dataclass" });

    /// <summary>A class attribute, dataclass field default, or the one `self.attr = value` of its methods.</summary>
    private Value ClassAttribute(ClassDef cls, string attr, InstanceValue? instance, Env env, int depth)
    {
        foreach (var statement in cls.Body)
        {
            switch (statement)
            {
                case Assign { Targets: [Name { Id: var id }] } assign when id == attr:
                    return Eval(assign.Value, Env.Empty, depth + 1);
                case AnnAssign { Target: Name { Id: var id }, Value: { } value } when id == attr:
                    return FieldDefault(value, depth);
            }
        }

        // `self.attr = ...` in a method; in __init__, its parameters are bound to the construction's arguments.
        Value? found = null;
        foreach (var method in cls.Body.OfType<FunctionDef>())
        {
            foreach (var node in Descendants(method))
            {
                if (node is Assign { Targets: [AttributeExpr { Value: Name self, Attr: var a }] } assign && a == attr &&
                    IsSelfName(method, self))
                {
                    if (found is not null)
                    {
                        return Value.Unknown;
                    }

                    var methodEnv = method.Name == "__init__" && instance?.Construction is { } made ? Bind(method, made, Env.Empty, skipSelf: true) : Env.Empty;
                    found = Eval(assign.Value, methodEnv, depth + 1);
                }
            }
        }

        if (found is null)
        {
            foreach (var b in cls.Bases)
            {
                if (_symbols.LocalClass(b) is { } parent && !ReferenceEquals(parent, cls))
                {
                    return ClassAttribute(parent, attr, instance, env, depth + 1);
                }
            }
        }

        return found ?? Value.Unknown;
    }

    private static bool IsSelfName(FunctionDef method, Name name) =>
        method.Args.PosOnlyArgs.Concat(method.Args.Args).FirstOrDefault() is { } first && first.Name == name.Id;

    /// <summary>A dataclass field's default: `field(default=v)`, `field(default_factory=lambda: v)`, or the value itself.</summary>
    private Value FieldDefault(Expr value, int depth)
    {
        if (value is Call call && _symbols.Callee(call) is "dataclasses.field")
        {
            if (_model.GetArgument(call, "default") is { } d)
            {
                return Eval(d, Env.Empty, depth + 1);
            }

            if (_model.GetArgument(call, "default_factory") is Lambda { Body: var body })
            {
                return Eval(body, Env.Empty, depth + 1);
            }

            return Value.Unknown;
        }

        return Eval(value, Env.Empty, depth + 1);
    }

    /// <summary>The default of `--attr` among the `add_argument` calls on the parser.</summary>
    private Value ArgparseDefault(Node parser, string attr, int depth)
    {
        foreach (var call in _model.Calls)
        {
            if (call.Func is not AttributeExpr { Attr: "add_argument", Value: var receiver } || !SameObject(receiver, parser))
            {
                continue;
            }

            var dest = _model.GetArgument(call, "dest") is { } d ? _model.EvaluateString(d) : null;
            dest ??= call.Args.Select(a => _model.EvaluateString(a)).OfType<string>()
                .Select(s => s.TrimStart('-').Replace('-', '_'))
                .OrderByDescending(s => s.Length)
                .FirstOrDefault();
            if (dest != attr)
            {
                continue;
            }

            return _model.GetArgument(call, "default") is { } value ? Eval(value, Env.Empty, depth + 1) : Value.Unknown;
        }

        return Value.Unknown;
    }

    /// <summary>True when <paramref name="receiver"/> evaluates to the object <paramref name="made"/> made (the parser).</summary>
    private bool SameObject(Expr receiver, Node made)
    {
        var steps = _steps;
        var value = Eval(receiver, Env.Empty, 1);
        _steps = steps;
        return value is InstanceValue { Construction: { } c } && ReferenceEquals(c, made);
    }

    private Value SubscriptValue(Subscript subscript, Env env, int depth)
    {
        var receiver = Eval(subscript.Value, env, depth + 1);
        var key = Eval(subscript.Slice, env, depth + 1);
        switch (receiver)
        {
            case CollectionValue { Kind: CollectionKind.Dict, Items: { } keys, DictValues: { } values } when key is ScalarValue k:
                for (var i = keys.Count - 1; i >= 0; i--)
                {
                    if (keys[i] is ScalarValue s && Equals(s.Constant, k.Constant))
                    {
                        return values[i];
                    }
                }

                return Value.Unknown;
            case CollectionValue { Kind: not CollectionKind.Dict, Items: { } items } when key is ScalarValue { Constant: long index }:
                var at = index < 0 ? items.Count + index : index;
                return at >= 0 && at < items.Count ? items[(int)at] : Value.Unknown;
        }

        // `df["intent"]`, `ds["train"]["label"]`: a column of a loaded data set.
        if (key is ScalarValue { Constant: string column } && Column(subscript.Value, column, subscript) is { } found)
        {
            return found;
        }

        // `ds.features["label"]` / `ds["train"].features["label"]`: the label column's ClassLabel.
        if (subscript.Value is AttributeExpr { Attr: "features", Value: var data } && key is ScalarValue { Constant: string feature } &&
            Column(data, feature, subscript) is { } labelFeature)
        {
            return labelFeature;
        }

        return Value.Unknown;
    }

    /// <summary>A column of the data set <paramref name="data"/> holds, when the host knows the data set and it has the column.</summary>
    private ColumnValue? Column(Expr data, string column, Node origin)
    {
        if (!_withData || DatasetLoads.Origin(_context, data) is not { } loaded || !loaded.Info.Columns.Contains(column))
        {
            return null;
        }

        return new ColumnValue(loaded.Info, loaded.Path, column, origin);
    }

    private Value CallValue(Call call, Env env, int depth)
    {
        // Methods of values first: `x.unique()`, `labels.copy()`, `parser.parse_args()`.
        if (call.Func is AttributeExpr method && _symbols.Callee(call) is null)
        {
            return MethodValue(call, method, env, depth);
        }

        if (call.Func is Name fn && _model.ResolveName(fn) is { Kind: BindingKind.FunctionDefinition, Node: FunctionDef function })
        {
            return Returned(function, call, env, depth);
        }

        if (_symbols.LocalClass(call.Func) is { } cls)
        {
            return new InstanceValue(cls.Name, call, cls, call);
        }

        var callee = _symbols.Callee(call);
        if (callee is null)
        {
            return Value.Unknown;
        }

        Value Arg(int i) => i < call.Args.Count && call.Args[i] is not Starred ? Eval(call.Args[i], env, depth + 1) : Value.Unknown;
        switch (callee)
        {
            case "len" when call.Args.Count == 1:
                return CountOf(Arg(0)) is { } n ? new ScalarValue(n, call) : Value.Unknown;
            case "list" or "tuple" when call.Args.Count == 1:
                return AsKind(Arg(0), callee == "list" ? CollectionKind.List : CollectionKind.Tuple, call);
            case "sorted" when call.Args.Count >= 1:
                return AsKind(Arg(0), CollectionKind.List, call) is CollectionValue sorted ? sorted with { Ordered = true, Items = null } : Value.Unknown;
            case "set" or "frozenset" when call.Args.Count == 1:
                return Distinct(Arg(0), CollectionKind.Set, ordered: false, call);
            case "set" or "frozenset" when call.Args.Count == 0 && call.Keywords.Count == 0:
                // An empty set, filled later (`seen.add(x)`): unordered whatever goes in.
                return new CollectionValue(CollectionKind.Set, [], 0, false, true, call);
            case "numpy.unique":
                return Distinct(Arg(0), CollectionKind.Array, ordered: true, call);
            case "range" when call.Args.Count is 1 or 2 && call.Keywords.Count == 0:
            {
                var (lo, hi) = call.Args.Count == 1 ? (0L, Arg(0)) : (Arg(0) is ScalarValue { Constant: long l } ? l : long.MinValue, Arg(1));
                return lo != long.MinValue && hi is ScalarValue { Constant: long h }
                    ? new CollectionValue(CollectionKind.List, null, Math.Max(0, h - lo), true, true, call)
                    : Value.Unknown;
            }

            case "enumerate" when call.Args.Count >= 1:
                return Arg(0) is var source && CountOf(source) is { } count
                    ? new CollectionValue(CollectionKind.List, null, count, source is not CollectionValue { Ordered: false }, true, call, EvidenceOf(source))
                    : Arg(0) is CollectionValue { Ordered: false } unordered ? unordered with { Items = null, Kind = CollectionKind.List } : Value.Unknown;
            case "zip" when call.Args.Count >= 1:
            {
                var parts = call.Args.Select((_, i) => Arg(i)).ToList();
                var counts = parts.Select(CountOf).ToList();
                var ordered = parts.All(p => p is not CollectionValue { Ordered: false });
                return counts.All(c => c is not null)
                    ? new CollectionValue(CollectionKind.List, null, counts.Min(), ordered, parts[0] is CollectionValue { Distinct: true } or ColumnValue, call, EvidenceOf(parts[0]))
                    : new CollectionValue(CollectionKind.List, null, null, ordered, false, call);
            }

            case "dict" when call.Args.Count == 1 && call.Keywords.Count == 0:
                return Arg(0) is CollectionValue pairs ? pairs with { Kind = CollectionKind.Dict, Items = null, DictValues = null, Origin = call } : Value.Unknown;
            case "dict" when call.Args.Count == 0:
            {
                var keys = call.Keywords.Where(k => k.Arg is not null).Select(k => (Value)new ScalarValue(k.Arg, k)).ToList();
                var values = call.Keywords.Where(k => k.Arg is not null).Select(k => Eval(k.Value, env, depth + 1)).ToList();
                return call.Keywords.Any(k => k.Arg is null)
                    ? Value.Unknown
                    : new CollectionValue(CollectionKind.Dict, keys, keys.Count, true, true, call, DictValues: values);
            }

            case "str" when call.Args.Count == 1:
                return Arg(0) is ScalarValue { Constant: string } s ? s : Value.Unknown;
            case "int" when call.Args.Count == 1:
                return Arg(0) is ScalarValue { Constant: long } i ? i : Value.Unknown;
            case "argparse.ArgumentParser":
                return new InstanceValue("argparse.ArgumentParser", call, null, call);
            case "transformers.HfArgumentParser":
                return new InstanceValue(callee, call, null, call)
                {
                    DataClasses = _model.GetArgument(call, "dataclass_types", 0) switch
                    {
                        TupleExpr t => (IReadOnlyList<Expr>)t.Elts,
                        List l => l.Elts,
                        Expr single => [single],
                        null => null,
                    },
                };
        }

        return Api.Classes.ContainsKey(callee) ? new InstanceValue(callee, call, null, call) : Value.Unknown;
    }

    private static string? EvidenceOf(Value value) => value switch
    {
        ColumnValue c => c.ClassCountEvidence,
        CollectionValue c => c.Evidence,
        _ => null,
    };

    private Value MethodValue(Call call, AttributeExpr method, Env env, int depth)
    {
        var receiver = Eval(method.Value, env, depth + 1);
        switch (method.Attr)
        {
            case "copy" or "tolist" or "to_list" or "to_numpy" or "values" or "keys" when call.Args.Count == 0:
                return receiver is CollectionValue c && method.Attr is "keys" ? c with { DictValues = null, Kind = CollectionKind.List } : receiver;
            case "unique" or "drop_duplicates" when call.Args.Count == 0:
                return Distinct(receiver, CollectionKind.Array, ordered: true, call);
            case "nunique" when call.Args.Count == 0:
                return Distinct(receiver, CollectionKind.Array, true, call) is CollectionValue { Count: { } n } ? new ScalarValue(n, call) : Value.Unknown;
            case "unique" when receiver is ColumnValue:
                return Distinct(receiver, CollectionKind.Array, ordered: true, call);
            case "unique" when call.Args.Count == 1 && Eval(call.Args[0], env, depth + 1) is ScalarValue { Constant: string column } &&
                                Column(method.Value, column, call) is { } datasetColumn:
                // datasets' `ds.unique("label")`: the column's distinct values, in the order they occur.
                return Distinct(datasetColumn, CollectionKind.List, ordered: true, call);
            case "parse_args" or "parse_known_args" when receiver is InstanceValue { Class: "argparse.ArgumentParser", Construction: { } parser }:
            {
                var ns = new InstanceValue("argparse.Namespace", null, null, call) { Parser = parser };
                return method.Attr == "parse_args" ? ns : new CollectionValue(CollectionKind.Tuple, [ns, Value.Unknown], 2, true, false, call);
            }

            case "parse_args_into_dataclasses" or "parse_json_file" or "parse_yaml_file" or "parse_dict"
                when receiver is InstanceValue { Class: "transformers.HfArgumentParser", DataClasses: { } classes }:
                return new CollectionValue(CollectionKind.Tuple, [.. classes.Select(c => Instance(c, call))], classes.Count, true, false, call);
            case "get" when receiver is CollectionValue { Kind: CollectionKind.Dict, Items: { } keys, DictValues: { } values } && call.Args.Count >= 1:
            {
                var key = Eval(call.Args[0], env, depth + 1);
                for (var i = keys.Count - 1; i >= 0; i--)
                {
                    if (keys[i] is ScalarValue s && key is ScalarValue k && Equals(s.Constant, k.Constant))
                    {
                        return values[i];
                    }
                }

                return call.Args.Count >= 2 && key is ScalarValue ? Eval(call.Args[1], env, depth + 1) : Value.Unknown;
            }

            case "str2int" or "int2str":
                return Value.Unknown;
        }

        // `self.helper(x)` / `obj.method(x)` on a class of this file.
        if (receiver is InstanceValue { Local: { } cls } instance &&
            cls.Body.OfType<FunctionDef>().FirstOrDefault(f => f.Name == method.Attr) is { } def)
        {
            return Returned(def, call, new Env(new Dictionary<Binding, (Expr?, Env)>(), instance), depth, skipSelf: true);
        }

        return Value.Unknown;
    }

    private Value Instance(Expr classExpr, Node origin) =>
        _symbols.LocalClass(classExpr) is { } cls
            ? new InstanceValue(cls.Name, null, cls, origin)
            : _symbols.Canonical(classExpr) is { } name ? new InstanceValue(name, null, null, origin) : Value.Unknown;

    private static Value AsKind(Value value, CollectionKind kind, Node origin) => value switch
    {
        CollectionValue c => c with { Kind = kind, DictValues = null, Origin = origin },
        ColumnValue column => new CollectionValue(kind, null, null, true, false, origin, column.IsLabelColumn ? column.ClassCountEvidence : null),
        _ => Value.Unknown,
    };

    private static Value Distinct(Value value, CollectionKind kind, bool ordered, Node origin) => value switch
    {
        CollectionValue c => new CollectionValue(kind, c.Items is null ? null : DistinctItems(c.Items), c.DistinctCount, ordered && c.Ordered, true, origin, c.Evidence),
        ColumnValue { IsLabelColumn: true, Dataset.ClassCount: { } n } column => new CollectionValue(kind, null, n, ordered, true, origin, column.ClassCountEvidence),
        ColumnValue => new CollectionValue(kind, null, null, ordered, true, origin),

        // Whatever went in, iterating a set gives an order that can change between runs.
        _ when kind == CollectionKind.Set => new CollectionValue(kind, null, null, false, true, origin),
        _ => Value.Unknown,
    };

    private static List<Value>? DistinctItems(IReadOnlyList<Value> items) =>
        items.All(i => i is ScalarValue) ? [.. items.Cast<ScalarValue>().DistinctBy(s => s.Constant)] : null;

    /// <summary>What a function of this file returns for this call: the value all its `return`s agree on.</summary>
    private Value Returned(FunctionDef function, Call call, Env caller, int depth, bool skipSelf = false)
    {
        var env = Bind(function, call, caller, skipSelf);
        Value? result = null;
        foreach (var node in Descendants(function))
        {
            if (node is not Return ret)
            {
                continue;
            }

            var value = ret.Value is null ? new ScalarValue(null, ret) : Eval(ret.Value, env, depth + 1);
            if (result is null)
            {
                result = value;
            }
            else if (!SameShape(result, value))
            {
                return Value.Unknown;
            }
        }

        return result ?? Value.Unknown;
    }

    private static bool SameShape(Value a, Value b) => (a, b) switch
    {
        (ScalarValue x, ScalarValue y) => Equals(x.Constant, y.Constant),
        (CollectionValue x, CollectionValue y) => x.Count == y.Count && x.Ordered == y.Ordered,
        _ => false,
    };

    private Env Bind(FunctionDef function, Call call, Env caller, bool skipSelf = false)
    {
        var parameters = new Dictionary<Binding, (Expr?, Env)>();
        var scope = _model.Scopes.FirstOrDefault(s => ReferenceEquals(s.Node, function));
        if (scope is null)
        {
            return caller.Self is null ? Env.Empty : new Env(parameters, caller.Self);
        }

        var positional = function.Args.PosOnlyArgs.Concat(function.Args.Args).Skip(skipSelf ? 1 : 0).ToList();
        foreach (var arg in positional.Concat(function.Args.KwOnlyArgs))
        {
            if (scope.GetBindings(arg.Name).FirstOrDefault(b => b.Kind == BindingKind.Parameter) is not { } binding)
            {
                continue;
            }

            Expr? argument = null;
            var found = false;
            if (call.Keywords.FirstOrDefault(k => k.Arg == arg.Name) is { } keyword)
            {
                (argument, found) = (keyword.Value, true);
            }
            else if (positional.IndexOf(arg) is var i and >= 0 && i < call.Args.Count && !call.Args.Take(i + 1).Any(a => a is Starred))
            {
                (argument, found) = (call.Args[i], true);
            }

            if (found)
            {
                parameters[binding] = (argument, caller);
            }
            else if (call.Keywords.All(k => k.Arg is not null) && !call.Args.Any(a => a is Starred))
            {
                parameters[binding] = (Code.Default(function, arg), Env.Empty);
            }
            else
            {
                parameters[binding] = (null, Env.Empty);
            }
        }

        return new Env(parameters, caller.Self);
    }

    /// <summary>The nodes of a function's body, not descending into nested functions, classes or lambdas.</summary>
    private static IEnumerable<Node> Descendants(FunctionDef function)
    {
        var collector = new BodyNodes();
        foreach (var statement in function.Body)
        {
            collector.Visit(statement);
        }

        return collector.Nodes;
    }

    private sealed class BodyNodes : SyntaxWalker
    {
        public List<Node> Nodes { get; } = [];

        public override void Visit(Node node)
        {
            Nodes.Add(node);
            if (node is not (FunctionDef or ClassDef or Lambda))
            {
                VisitChildren(node);
            }
        }
    }
}
