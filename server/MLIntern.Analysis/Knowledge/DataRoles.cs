using System.Runtime.CompilerServices;
using MLIntern.Analysis.Rules;
using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Knowledge;

/// <summary>What part of the data a value is, by where it came from.</summary>
public enum SplitRole
{
    Train,
    Validation,
    Test,
}

/// <summary>
/// The role of a piece of data and the evidence: <see cref="HeldOutAtSource"/> when the data set
/// itself sets it apart (a `test` split of a loaded data set, `split="test"`, a test file), false
/// when the script carved it (`train_test_split`).
/// </summary>
public sealed record DataRole(SplitRole Role, bool HeldOutAtSource, string Evidence);

/// <summary>
/// Which data is training, validation and test, decided from data flow — where the value was
/// loaded and how it was split — never from what a variable is called. A split carved from the
/// training data is validation whatever its key (`ds["train"].train_test_split()["test"]`); the
/// held-out part of a split of the whole data set is the script's test data, but not one the data
/// set held out; a source's own splits (`load_dataset(...)["test"]`, `split="validation"`,
/// `data_files={"test": ...}`, a file `test.csv`) keep the role the source gives them.
/// </summary>
public sealed class DataRoles
{
    private const int MaxDepth = 32;

    private static readonly ConditionalWeakTable<ScriptContext, DataRoles> Cache = new();

    /// <summary>Methods of a data set or frame that return data made from it, keeping its role.</summary>
    private static readonly IReadOnlySet<string> RoleKeeping = Api.DataKeepingMethods;

    private readonly ScriptContext _context;
    private readonly SemanticModel _model;
    private readonly Symbols _symbols;

    /// <summary>Parameters bound to the arguments of the calls being traced into (`load_split("test")`).</summary>
    private readonly Dictionary<Binding, Expr> _bound = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<FunctionDef> _tracing = new();

    private DataRoles(ScriptContext context)
    {
        _context = context;
        _model = context.Model;
        _symbols = Symbols.Of(context.Model);
    }

    public static DataRoles Of(ScriptContext context) => Cache.GetValue(context, c => new DataRoles(c));

    /// <summary>The role of the data an expression holds, or null when its origin is not known.</summary>
    public DataRole? RoleOf(Expr expr) => Trace(expr, 0);

    private DataRole? Trace(Expr expr, int depth)
    {
        if (depth > MaxDepth)
        {
            return null;
        }

        switch (expr)
        {
            case Name name:
                return NameRole(name, depth);
            case Subscript subscript:
                return SubscriptRole(subscript, depth);
            case AttributeExpr { Attr: var column } attribute when !RoleKeeping.Contains(column):
                // `df.text`: a column of the data keeps its role.
                return Trace(attribute.Value, depth + 1);
            case AttributeExpr { Attr: "values" } values:
                return Trace(values.Value, depth + 1);
            case Call call:
                return CallRole(call, depth);
            default:
                return null;
        }
    }

    private DataRole? NameRole(Name name, int depth)
    {
        var binding = _model.ResolveName(name);
        if (binding is null)
        {
            return null;
        }

        if (binding.Value is { } value && !ReferenceEquals(value, name))
        {
            return Trace(value, depth + 1);
        }

        // A parameter: the argument of the call being traced into, else what every call of the function in this file passes, when they agree.
        if (binding.Kind == BindingKind.Parameter && _bound.TryGetValue(binding, out var argument))
        {
            return Trace(argument, depth + 1);
        }

        if (binding.Kind == BindingKind.Parameter)
        {
            var roles = Code.ParameterArguments(_model, binding)?.Select(a => Trace(a, depth + 1)).ToList();
            return roles is { Count: > 0 } && roles.All(r => r is not null && r.Role == roles[0]!.Role && r.HeldOutAtSource == roles[0]!.HeldOutAtSource)
                ? roles[0]
                : null;
        }

        // `X_train, X_test, y_train, y_test = train_test_split(X, y)` and `a, b = pieces["train"], pieces["test"]`.
        if (binding.Kind == BindingKind.Assignment && binding.Statement is Assign { Targets: [TupleExpr or List] } assign && binding.Node is Name target)
        {
            var elts = assign.Targets[0] is TupleExpr t ? t.Elts : ((List)assign.Targets[0]).Elts;
            var index = elts.FindIndex(e => ReferenceEquals(e, target));
            if (index < 0)
            {
                return null;
            }

            if (assign.Value is Call split && IsSklearnSplit(split))
            {
                return SklearnPart(split, index, depth);
            }

            if (assign.Value is TupleExpr values && values.Elts.Count == elts.Count)
            {
                return Trace(values.Elts[index], depth + 1);
            }

            // `texts, labels = read_rows("data/test.jsonl")`: every part is the data the call read.
            if (assign.Value is Call reader && !IsSklearnSplit(reader))
            {
                return Trace(reader, depth + 1);
            }
        }

        return null;
    }

    private bool IsSklearnSplit(Call call) => _symbols.Callee(call) is { } callee && Api.SplitFunctions.ContainsKey(callee);

    /// <summary>Outputs of `train_test_split(a, b, ...)` come in pairs: each input's train part, then its held-out part.</summary>
    private DataRole? SklearnPart(Call split, int index, int depth)
    {
        var inputs = split.Args.Where(a => a is not Starred).ToList();
        if (inputs.Count == 0 || split.Args.Any(a => a is Starred) || index >= inputs.Count * 2)
        {
            return null;
        }

        var line = Line(split);
        if (index % 2 == 0)
        {
            return new DataRole(SplitRole.Train, false, $"the training part of `train_test_split` on line {line}");
        }

        return HeldOutOf(inputs[index / 2], $"`train_test_split` on line {line}", depth);
    }

    /// <summary>The held-out part of a split the script makes: validation when the input is training data, else the script's test data.</summary>
    private DataRole HeldOutOf(Expr input, string split, int depth) =>
        Trace(input, depth + 1) is { Role: SplitRole.Train }
            ? new DataRole(SplitRole.Validation, false, $"the part {split} holds out of the training data")
            : new DataRole(SplitRole.Test, false, $"the part {split} holds out");

    private DataRole? SubscriptRole(Subscript subscript, int depth)
    {
        var key = ValueFlow.Of(_context).String(subscript.Slice);
        var source = Unwrap(subscript.Value, depth);
        switch (source)
        {
            case Call { Func: AttributeExpr { Attr: "train_test_split" } method } split when _symbols.Callee(split) is null && key is not null:
                return key switch
                {
                    "train" => new DataRole(SplitRole.Train, false, $"the training part of `train_test_split` on line {Line(split)}"),
                    "test" => HeldOutOf(method.Value, $"`train_test_split` on line {Line(split)}", depth),
                    _ => null,
                };
            case Call load when IsSource(load) && _model.GetArgument(load, "split") is not null:
                // `load_dataset(..., split="train")["text"]`: a column of one split.
                return Trace(subscript.Value, depth + 1);
            case Call load when IsSource(load) && key is not null && SourceRole(key) is { } role:
                return new DataRole(role, role != SplitRole.Train, $"the `{key}` split of the data set loaded on line {Line(load)}");
            case Call load when IsSource(load):
                return null;
        }

        // A column or rows of data keep its role: `train_df["text"]`, `test_ds[:100]`.
        return key is not null && SourceRole(key) is not null ? null : Trace(subscript.Value, depth + 1);
    }

    /// <summary>The call that made a data set, through names and the methods that keep it what it was (`.map(...)`).</summary>
    private Expr Unwrap(Expr expr, int depth)
    {
        for (; depth < MaxDepth; depth++)
        {
            switch (expr)
            {
                case Name n when _model.ResolveName(n) is { Value: { } value } && !ReferenceEquals(value, n):
                    expr = value;
                    continue;
                case Call { Func: AttributeExpr { Attr: var attr } method } call when _symbols.Callee(call) is null && RoleKeeping.Contains(attr):
                    expr = method.Value;
                    continue;
                default:
                    return expr;
            }
        }

        return expr;
    }

    /// <summary>A call that loads a data set with named splits: `load_dataset`, `load_from_disk`, `DatasetDict(...)`.</summary>
    private bool IsSource(Call call) => _symbols.Callee(call) is "datasets.load_dataset" or "datasets.load_from_disk" or "datasets.DatasetDict";

    private DataRole? CallRole(Call call, int depth)
    {
        var callee = _symbols.Callee(call);
        if (callee is "datasets.load_dataset" && _model.GetArgument(call, "split") is { } splitArg &&
            String(splitArg) is { } split && SourceRole(split.Split('[', '+')[0].Trim()) is { } role)
        {
            return new DataRole(role, role != SplitRole.Train, $"`split=\"{split}\"` on line {Line(call)}");
        }

        if (callee is not null && (Api.PandasReaders.Contains(callee) || Api.DatasetFileReaders.Contains(callee)))
        {
            return FileRole(call);
        }

        if (callee is "torch.utils.data.DataLoader" or "datasets.Dataset.from_pandas" or "datasets.Dataset.from_dict" or "pandas.DataFrame" or "numpy.array" or "numpy.asarray" or "torch.tensor"
            && call.Args.Count > 0)
        {
            return Trace(call.Args[0], depth + 1);
        }

        if (callee is null && call.Func is AttributeExpr { Attr: var attr } method && RoleKeeping.Contains(attr))
        {
            return Trace(method.Value, depth + 1);
        }

        // A function of this file: what it returns, its parameters bound to this call's arguments.
        if (call.Func is Name fn && _model.ResolveName(fn) is { Kind: BindingKind.FunctionDefinition, Node: FunctionDef function })
        {
            // What it returns; else, a helper given a data file's path reads that file (`read_jsonl("data/test.jsonl")`).
            return Returned(function, call, depth) ?? call.Args.Concat(call.Keywords.Select(k => k.Value))
                .Select(a => String(a) is { } path && IsDataFile(path) ? PathRole(path, call) : null)
                .FirstOrDefault(r => r is not null);
        }

        if (callee is "open" && call.Args.Count > 0 && String(call.Args[0]) is { } opened && IsDataFile(opened))
        {
            return PathRole(opened, call);
        }

        return null;
    }

    private static bool IsDataFile(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".csv" or ".tsv" or ".jsonl" or ".json" or ".parquet" or ".txt" or ".arrow";

    private DataRole? Returned(FunctionDef function, Call call, int depth)
    {
        // A function already being traced into (recursion, or helpers calling each other) is not known.
        if (!_tracing.Add(function))
        {
            return null;
        }

        try
        {
            return ReturnedOnce(function, call, depth);
        }
        finally
        {
            _tracing.Remove(function);
        }
    }

    private DataRole? ReturnedOnce(FunctionDef function, Call call, int depth)
    {
        var returns = Rules.Loops.SyntaxPath.DescendantsInScope(function).OfType<Return>().Where(r => r.Value is not null).ToList();
        if (returns.Count == 0 || _model.Scopes.FirstOrDefault(s => ReferenceEquals(s.Node, function)) is not { } scope)
        {
            return null;
        }

        var added = new List<Binding>();
        foreach (var parameter in function.Args.PosOnlyArgs.Concat(function.Args.Args).Concat(function.Args.KwOnlyArgs))
        {
            if (Code.ArgumentFor(function, call, parameter) is ({ } argument, true) && scope.GetBindings(parameter.Name).FirstOrDefault(b => b.Kind == BindingKind.Parameter) is { } binding &&
                _bound.TryAdd(binding, argument))
            {
                added.Add(binding);
            }
        }

        try
        {
            var roles = returns.Select(r => Trace(r.Value!, depth + 1)).ToList();
            return roles.All(r => r is not null && r == roles[0]) ? roles[0] : null;
        }
        finally
        {
            foreach (var binding in added)
            {
                _bound.Remove(binding);
            }
        }
    }

    /// <summary>A string argument's value, through the parameters of the call being traced into.</summary>
    private string? String(Expr expr) =>
        expr is Name n && _model.ResolveName(n) is { Kind: BindingKind.Parameter } p && _bound.TryGetValue(p, out var argument)
            ? String(argument)
            : ValueFlow.Of(_context).String(expr);

    /// <summary>A data file read directly: its name says what the data set made it (`test.csv`, `valid.jsonl`).</summary>
    private DataRole? FileRole(Call call)
    {
        var argument = call.Args.Count > 0 ? call.Args[0] : _model.GetArgument(call, "filepath_or_buffer") ?? _model.GetArgument(call, "path_or_paths");
        if (argument is null || DatasetLoads.EvaluatePath(_model, argument) is not { } path)
        {
            return null;
        }

        return PathRole(path, call);
    }

    /// <summary>The role a data file's name gives it: `test.csv`, `valid.jsonl`, `train_part.parquet`.</summary>
    private DataRole? PathRole(string path, Call call)
    {
        var stem = Path.GetFileNameWithoutExtension(path.Replace('\\', '/').Split('/')[^1]).ToLowerInvariant();
        var role = stem.Split('_', '-', '.') switch
        {
            var parts when parts.Any(p => p is "test" or "testing" or "holdout") => SplitRole.Test,
            var parts when parts.Any(p => p is "val" or "valid" or "validation" or "dev") => (SplitRole?)SplitRole.Validation,
            var parts when parts.Any(p => p is "train" or "training") => SplitRole.Train,
            _ => null,
        };
        return role is { } r ? new DataRole(r, r != SplitRole.Train, $"`{path}` (line {Line(call)})") : null;
    }

    /// <summary>The role a data set's own split name gives (Hugging Face's split names).</summary>
    private static SplitRole? SourceRole(string split) => split.ToLowerInvariant() switch
    {
        "train" => SplitRole.Train,
        "validation" or "valid" or "val" or "dev" or "validation_matched" => SplitRole.Validation,
        "test" or "test_matched" or "holdout" => SplitRole.Test,
        _ => null,
    };

    private int Line(Node node) => _context.Source.GetLineColumn(node.Start).Line;
}
