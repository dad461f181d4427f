using System.Runtime.CompilerServices;
using MLIntern.Analysis.Rules;
using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Knowledge;

/// <summary>
/// Which data a value is, by where it came from: the node that made it (<see cref="Source"/>: a file
/// read, a load, a split, a sample), the part of that split it is (<see cref="Part"/>, with the
/// split's <see cref="Input"/> when one call splits several arrays at once), and the column read from
/// it. <see cref="HasSplits"/> when the source is a data set of named splits, whose keys are splits,
/// not columns. <see cref="Evidence"/> names the source for a message.
/// </summary>
public sealed record DataPiece(Node Source, string? Part, int Input, string? Column, bool HasSplits, string Evidence)
{
    /// <summary>True when both are the same data: the same part of the same source, the same column.</summary>
    public bool SameData(DataPiece other) =>
        ReferenceEquals(Source, other.Source) && Part == other.Part && Input == other.Input && Column == other.Column;

    /// <summary>True when both are the same column of two different parts of one split of the same data.</summary>
    public bool OtherPartOf(DataPiece other) =>
        ReferenceEquals(Source, other.Source) && Part is not null && other.Part is not null && Part != other.Part &&
        Input == other.Input && Column == other.Column;
}

/// <summary>
/// Finds the <see cref="DataPiece"/> an expression holds, through names and aliases, tuple
/// unpacking, `train_test_split` (scikit-learn's, and datasets' method), a data set's named splits,
/// `df.sample(...)` and the `df.drop(sample.index)` rows it leaves, calls into the file's functions
/// (their return; parameters from the calls that agree) and the methods that keep data what it was
/// (<see cref="Api.DataKeepingMethods"/>). Null when the origin is not known: the data may be anything.
/// Names never decide: two values called `train` and `test` that hold the same object are the same data.
/// </summary>
public sealed class DataParts
{
    private const int MaxDepth = 32;

    private static readonly ConditionalWeakTable<ScriptContext, DataParts> Cache = new();

    /// <summary>Attributes of a frame that are not its columns.</summary>
    private static readonly HashSet<string> NotColumns =
    [
        "index", "iloc", "loc", "columns", "shape", "dtypes", "features", "str", "cat", "T", "at", "iat", "size", "column_names",
        "num_rows", "empty", "info",
    ];

    private readonly ScriptContext _context;
    private readonly SemanticModel _model;
    private readonly Symbols _symbols;

    private DataParts(ScriptContext context)
    {
        _context = context;
        _model = context.Model;
        _symbols = Symbols.Of(context.Model);
    }

    public static DataParts Of(ScriptContext context) => Cache.GetValue(context, c => new DataParts(c));

    /// <summary>The data an expression holds, or null when its origin is not known.</summary>
    public DataPiece? PieceOf(Expr expr) => Trace(expr, 0);

    private DataPiece? Trace(Expr expr, int depth)
    {
        if (depth > MaxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            return null;
        }

        switch (expr)
        {
            case Name name:
                return NamePiece(name, depth);
            case Subscript { Slice: var slice } subscript:
            {
                if (Key(slice) is not { } key || Trace(subscript.Value, depth + 1) is not { } inner)
                {
                    return null;
                }

                if (inner.HasSplits)
                {
                    return inner.Part is null && inner.Column is null ? inner with { Part = key, HasSplits = false } : null;
                }

                return inner.Column is null ? inner with { Column = key } : null;
            }

            case AttributeExpr { Attr: "values" } values:
                return Trace(values.Value, depth + 1);
            case AttributeExpr { Attr: var attr } attribute when !NotColumns.Contains(attr):
                return Trace(attribute.Value, depth + 1) is { HasSplits: false, Column: null } frame ? frame with { Column = attr } : null;
            case Call call:
                return CallPiece(call, depth);
            default:
                return null;
        }
    }

    private string? Key(Expr key) => ValueFlow.Of(_context).String(key) ?? _model.EvaluateString(key);

    private DataPiece? NamePiece(Name name, int depth)
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

        if (binding.Kind == BindingKind.Parameter)
        {
            // What every call of the function in this file passes, when it is the same data.
            var pieces = Code.ParameterArguments(_context.Model, binding)?.Select(a => Trace(a, depth + 1)).ToList();
            return pieces is { Count: > 0 } && pieces.All(p => p is not null && p.SameData(pieces[0]!)) ? pieces[0] : null;
        }

        if (binding.Kind != BindingKind.Assignment || binding.Statement is not Assign { Targets: [TupleExpr or List] } assign || binding.Node is not Name target)
        {
            return null;
        }

        var elts = assign.Targets[0] is TupleExpr t ? t.Elts : ((List)assign.Targets[0]).Elts;
        var index = elts.FindIndex(e => ReferenceEquals(e, target));
        if (index < 0 || elts.Any(e => e is Starred))
        {
            return null;
        }

        return Unpacked(assign.Value, index, elts.Count, assign.Value, depth);
    }

    /// <summary>The item at <paramref name="index"/> of what a tuple assignment unpacks; <paramref name="site"/> is the call that made the parts.</summary>
    private DataPiece? Unpacked(Expr value, int index, int count, Node site, int depth)
    {
        switch (value)
        {
            case Call split when _symbols.Callee(split) is { } callee && Api.SplitFunctions.ContainsKey(callee):
            {
                // `a, b, c, d = train_test_split(x, y)`: each input's training part, then its held-out part.
                var inputs = split.Args.Count;
                if (inputs == 0 || split.Args.Any(a => a is Starred) || index >= inputs * 2)
                {
                    return null;
                }

                var evidence = ReferenceEquals(site, split) || site is not Call { Func: Name helper }
                    ? $"`train_test_split` on line {Line(split)}"
                    : $"the split `{helper.Id}` returns (called on line {Line(site)})";
                return new DataPiece(site, index % 2 == 0 ? "train" : "held-out", index / 2, null, false, evidence);
            }

            case TupleExpr or List:
            {
                var items = value is TupleExpr t ? t.Elts : ((List)value).Elts;
                return items.Count == count && !items.Any(e => e is Starred) ? Trace(items[index], depth + 1) : null;
            }

            case Call call when Function(call) is { } function && SingleReturn(function) is { } returned:
                // `a, b = carve(df)` where `carve` returns `train_test_split(...)`: the parts this call made.
                return Unpacked(returned, index, count, call, depth + 1);
            case Name inner when _model.ResolveName(inner) is { Value: { } bound } && !ReferenceEquals(bound, inner):
                return Unpacked(bound, index, count, site, depth + 1);
            default:
                return null;
        }
    }

    private DataPiece? CallPiece(Call call, int depth)
    {
        if (Function(call) is { } function)
        {
            return SingleReturn(function) is { } returned ? Trace(returned, depth + 1) : null;
        }

        var callee = _symbols.Callee(call);
        if (callee is null)
        {
            return call.Func is AttributeExpr { Attr: var method, Value: var receiver } ? MethodPiece(call, method, receiver, depth) : null;
        }

        if (callee is "datasets.load_dataset")
        {
            var hasSplit = _model.GetArgument(call, "split") is not null;
            return new DataPiece(call, null, 0, null, !hasSplit, $"the data set loaded on line {Line(call)}");
        }

        if (callee is "datasets.DatasetDict")
        {
            return new DataPiece(call, null, 0, null, true, $"the `DatasetDict` on line {Line(call)}");
        }

        if (Api.PandasReaders.Contains(callee) || Api.DatasetFileReaders.Contains(callee))
        {
            return new DataPiece(call, null, 0, null, false, $"the file read on line {Line(call)}");
        }

        if (callee is "datasets.Dataset.from_pandas" or "datasets.Dataset.from_dict" or "pandas.DataFrame" or "pandas.Series" or "numpy.array" or "numpy.asarray"
            && call.Args.Count > 0 && call.Args[0] is not Starred)
        {
            return Trace(call.Args[0], depth + 1);
        }

        return null;
    }

    private DataPiece? MethodPiece(Call call, string method, Expr receiver, int depth)
    {
        switch (method)
        {
            case "train_test_split":
                // datasets' `ds.train_test_split(...)`: a DatasetDict of "train" and "test".
                return Trace(receiver, depth + 1) is { HasSplits: false } ? new DataPiece(call, null, 0, null, true, $"`train_test_split` on line {Line(call)}") : null;
            case "sample" when _model.GetArgument(call, "frac") is not null || _model.GetArgument(call, "n", 0) is not null:
                return Trace(receiver, depth + 1) is { HasSplits: false, Column: null }
                    ? new DataPiece(call, "sample", 0, null, false, $"`sample` on line {Line(call)} and the rows it leaves")
                    : null;
            case "drop" when (_model.GetArgument(call, "index") ?? _model.GetArgument(call, "labels", 0)) is AttributeExpr { Attr: "index", Value: var taken }:
            {
                // `df.drop(part.index)`: the rows of `df` that `part = df.sample(...)` did not take.
                return Trace(taken, depth + 1) is { Part: "sample", Source: Call { Func: AttributeExpr sampled } sample } piece &&
                    Trace(sampled.Value, depth + 1) is { } whole && Trace(receiver, depth + 1) is { } from && whole.SameData(from)
                        ? piece with { Part = "rest" }
                        : null;
            }

            case var keep when Api.DataKeepingMethods.Contains(keep):
                return Trace(receiver, depth + 1);
            default:
                return null;
        }
    }

    private FunctionDef? Function(Call call) => Code.LocalFunction(_model, call);

    private static Expr? SingleReturn(FunctionDef function) => Code.SingleReturn(function);

    private int Line(Node node) => _context.Source.GetLineColumn(node.Start).Line;
}
