using System.Runtime.CompilerServices;
using MLIntern.Analysis.Facts;
using MLIntern.Analysis.Rules;
using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Knowledge;

/// <summary>A data set the script loads, the path as the script writes it, and what the host knows about it.</summary>
public sealed record LoadedDataset(Call Load, string Path, DatasetInfo Info)
{
    /// <summary>"tickets.csv has 16 classes in column `intent`" — where a class-count fact came from.</summary>
    public string ClassCountSource => $"{DisplayPath} has {Info.ClassCount} classes in column `{Info.LabelColumn}`";

    /// <summary>The path as written, without a leading "./".</summary>
    public string DisplayPath => Info.Display ?? (Path.StartsWith("./", StringComparison.Ordinal) ? Path[2..] : Path);
}

/// <summary>
/// The data sets a script loads and the host can read: `pd.read_csv("data/x.csv")` (and read_json,
/// read_parquet, read_table), `load_dataset("csv", data_files=...)`, `Dataset.from_csv(...)`, with the
/// path a literal, a name bound to one, `os.path.join(...)` or `Path(...) / "x"` of literals, or what
/// the value flow finds (a config's key, an argparse or dataclass default, `self.path` of the one
/// construction, the argument of a helper's one call). And
/// where an expression's data came from (<see cref="Origin"/>): through names, `train_test_split`,
/// `Dataset.from_pandas`, subscripts and method chains, back to a load.
/// </summary>
public static class DatasetLoads
{
    private const int MaxDepth = 24;

    private const string LoadDataset = "datasets.load_dataset";

    private static readonly ConditionalWeakTable<ScriptContext, IReadOnlyList<LoadedDataset>> Cache = new();

    /// <summary>The packages whose functions are the loads <see cref="All"/> knows (pandas, datasets).</summary>
    private static readonly string[] LoaderPackages =
        [.. Api.PandasReaders.Concat(Api.DatasetFileReaders).Append(LoadDataset).Select(n => n[..n.IndexOf('.')]).Distinct()];

    /// <summary>
    /// False when a script's text never spells a package whose functions load data sets: every load
    /// resolves through an import of one, so such a script loads none (and need not be parsed to say so).
    /// </summary>
    public static bool MayLoad(string text) => LoaderPackages.Any(p => text.Contains(p, StringComparison.Ordinal));

    /// <summary>Every load in the file whose data set the host knows, in source order.</summary>
    public static IReadOnlyList<LoadedDataset> All(ScriptContext context) => Cache.GetValue(context, Find);

    /// <summary>
    /// The single data set the script's labels come from: the only one loaded (several loads of
    /// files with the same facts, such as train.csv and test.csv, count as one), or null.
    /// </summary>
    public static LoadedDataset? Single(ScriptContext context)
    {
        var all = All(context);
        if (all.Count == 0)
        {
            return null;
        }

        var first = all[0];
        return all.All(d => d.Info.LabelColumn == first.Info.LabelColumn && d.Info.ClassCount == first.Info.ClassCount && d.Info.LabelsAreStrings == first.Info.LabelsAreStrings)
            ? first
            : null;
    }

    /// <summary>
    /// The data set whose label facts describe the script's labels: the <see cref="Single"/> one,
    /// with a known label column that the script does not contradict by naming another column as its labels.
    /// </summary>
    public static LoadedDataset? Labels(ScriptContext context) =>
        Single(context) is { Info.LabelColumn: { } column } data && LabelColumnUse.Of(context).Agrees(column) ? data : null;

    /// <summary>The load whose data <paramref name="expr"/> holds, traced back through names, splits, conversions and method chains.</summary>
    public static LoadedDataset? Origin(ScriptContext context, Expr expr) => Trace(context, All(context), expr, 0);

    /// <summary>The path an expression spells: a string, `os.path.join` of strings, `Path(a) / b`, `str(path)`.</summary>
    public static string? EvaluatePath(SemanticModel model, Expr expr) => EvaluatePath(model, expr, 0);

    private static string? EvaluatePath(SemanticModel model, Expr expr, int depth)
    {
        if (depth > MaxDepth)
        {
            return null;
        }

        if (model.EvaluateString(expr) is { } text)
        {
            return text;
        }

        switch (expr)
        {
            case Name n when model.ReachingValue(n) is { } value && !ReferenceEquals(value, n):
                return EvaluatePath(model, value, depth + 1);
            case Name n when Code.ParameterArguments(model, n) is { } passed:
            {
                // `def load(path)` called as `load("data/tickets.csv")`: the path every call passes.
                var paths = passed.Select(a => EvaluatePath(model, a, depth + 1)).Distinct().ToList();
                return paths is [{ } only] ? only : null;
            }

            case BinOp { Op: Operator.Div } div when EvaluatePath(model, div.Left, depth + 1) is { } left && EvaluatePath(model, div.Right, depth + 1) is { } right:
                return IsPath(model, div.Left, depth) ? left.TrimEnd('/') + "/" + right : null;
            case Call call when model.ResolveCallee(call) is "os.path.join" or "posixpath.join" && call.Keywords.Count == 0 && call.Args.Count > 0:
            {
                var parts = call.Args.Select(a => EvaluatePath(model, a, depth + 1)).ToList();
                return parts.Any(p => p is null) ? null : string.Join("/", parts.Select((p, i) => i == 0 ? p!.TrimEnd('/') : p!.Trim('/')));
            }

            case Call { Args.Count: 1, Keywords.Count: 0 } call when IsPathConstructor(model, call) || Code.IsBuiltinCall(model, call, "str"):
                return EvaluatePath(model, call.Args[0], depth + 1);
            default:
                return null;
        }
    }

    private static bool IsPath(SemanticModel model, Expr expr, int depth) => depth < MaxDepth && expr switch
    {
        Call call => IsPathConstructor(model, call),
        BinOp { Op: Operator.Div } d => IsPath(model, d.Left, depth + 1),
        Name n => model.ReachingValue(n) is { } v && !ReferenceEquals(v, n) && IsPath(model, v, depth + 1),
        _ => false,
    };

    private static bool IsPathConstructor(SemanticModel model, Call call) =>
        model.ResolveCallee(call) is "pathlib.Path" or "pathlib.PurePath" or "pathlib.PosixPath";

    private static IReadOnlyList<LoadedDataset> Find(ScriptContext context)
    {
        var found = new List<LoadedDataset>();
        foreach (var call in context.Model.Calls)
        {
            foreach (var path in PathsOf(context.Model, call, ValueFlow.WithoutData(context)))
            {
                if (context.Dataset(path) is { } info)
                {
                    found.Add(new LoadedDataset(call, path, info));
                    break;
                }
            }
        }

        return found;
    }

    /// <summary>The data file paths a load call names (a load of train and test files names both, train first).</summary>
    private static IEnumerable<string> PathsOf(SemanticModel model, Call call, ValueFlow flow)
    {
        var callee = Symbols.Of(model).Callee(call);
        if (callee is null)
        {
            return [];
        }

        if (Api.PandasReaders.Contains(callee))
        {
            var arg = model.GetArgument(call, "filepath_or_buffer", 0) ?? model.GetArgument(call, "path") ?? model.GetArgument(call, "path_or_buf") ?? model.GetArgument(call, "io");
            return arg is not null && (EvaluatePath(model, arg) ?? flow.String(arg)) is { } p ? [p] : [];
        }

        if (Api.DatasetFileReaders.Contains(callee))
        {
            var arg = model.GetArgument(call, "path_or_paths", 0);
            return arg is null ? [] : Files(model, arg, flow);
        }

        if (callee == LoadDataset)
        {
            var builder = model.GetArgument(call, "path", 0) is { } b ? EvaluatePath(model, b) : null;
            var packaged = builder is null or "csv" or "json" or "parquet" or "text" or "pandas";
            if (!packaged && HubRoot(model, call, builder!) is { } root)
            {
                // The datasets library reads data_files, a config's folder and data_dir inside the repository the builder names.
                if (model.GetArgument(call, "data_files", 3) is { } repoFiles)
                {
                    return Files(model, repoFiles, flow).Select(f => root + "/" + f.TrimStart('.', '/')).ToList();
                }

                var inner = model.GetArgument(call, "data_dir", 2) is { } dir ? EvaluatePath(model, dir)
                    : model.GetArgument(call, "name", 1) is { } config ? model.EvaluateString(config) : null;
                if (inner is not null || root.Contains('@', StringComparison.Ordinal))
                {
                    return [inner is null ? root : root + "/" + inner.Trim('.', '/')];
                }
            }

            if (model.GetArgument(call, "data_files", 3) is { } files)
            {
                return Files(model, files, flow);
            }

            // `load_dataset("data/tickets.csv")` or a local folder; a hub name finds no file and stays unknown.
            return builder is not null && builder is not ("csv" or "json" or "parquet" or "text" or "pandas") ? [builder] : [];
        }

        return [];
    }

    /// <summary>
    /// `hf://datasets/ORG/NAME[@REVISION]` for a builder that names a Hub repository (not a local
    /// "./x" or "/x" path, not a file), with `revision=` when it is a literal; else null.
    /// </summary>
    private static string? HubRoot(SemanticModel model, Call call, string builder)
    {
        if (builder.StartsWith('.') || builder.StartsWith('/') || builder.Contains('\\', StringComparison.Ordinal) || builder.Contains(':', StringComparison.Ordinal)
            || builder.Split('/').Length > 2 || System.IO.Path.HasExtension(builder.Split('/')[^1]) && builder.Split('/').Length == 1)
        {
            return null;
        }

        var revision = model.GetArgument(call, "revision") is { } r ? model.EvaluateString(r) : null;
        return "hf://datasets/" + builder + (string.IsNullOrEmpty(revision) ? "" : "@" + revision);
    }

    /// <summary>`"x.csv"`, `["x.csv"]`, `{"train": "x.csv", "test": "y.csv"}` (train first).</summary>
    private static IEnumerable<string> Files(SemanticModel model, Expr files, ValueFlow flow)
    {
        if ((EvaluatePath(model, files) ?? flow.String(files)) is { } single)
        {
            return [single];
        }

        var value = files is Name n ? model.ReachingValue(n) : files;
        return value switch
        {
            List l => l.Elts.Select(e => EvaluatePath(model, e)).OfType<string>().ToList(),
            Dict d => d.Keys.Select((k, i) => (Key: k is null ? null : model.EvaluateString(k), Value: d.Values[i]))
                .OrderBy(e => e.Key == "train" ? 0 : 1)
                .SelectMany(e => e.Value is List inner ? inner.Elts : [e.Value])
                .Select(e => EvaluatePath(model, e)).OfType<string>().ToList(),
            _ => [],
        };
    }

    private static LoadedDataset? Trace(ScriptContext context, IReadOnlyList<LoadedDataset> loads, Expr expr, int depth)
    {
        if (depth > MaxDepth || loads.Count == 0)
        {
            return null;
        }

        var model = context.Model;
        switch (expr)
        {
            case Name n:
            {
                var binding = model.ResolveName(n);
                if (binding?.Value is { } value && !ReferenceEquals(value, n))
                {
                    return Trace(context, loads, value, depth + 1);
                }

                // A parameter: what every call of the function in this file passes, when it is the same load.
                if (binding is { Kind: BindingKind.Parameter })
                {
                    var origins = Code.ParameterArguments(context.Model, binding)?.Select(a => Trace(context, loads, a, depth + 1)).ToList();
                    return origins is { Count: > 0 } && origins.All(o => o is not null && ReferenceEquals(o.Load, origins[0]!.Load)) ? origins[0] : null;
                }

                // `train_df, test_df = train_test_split(df)`: each part comes from the same data.
                return binding?.Statement is Assign { Value: Call split } && binding.Kind == BindingKind.Assignment
                    ? Trace(context, loads, split, depth + 1)
                    : null;
            }

            case Call call:
            {
                if (loads.FirstOrDefault(l => ReferenceEquals(l.Load, call)) is { } load)
                {
                    return load;
                }

                // A function of this file that returns data: what its one `return` returns.
                if (Code.LocalFunction(model, call) is { } function)
                {
                    return Code.SingleReturn(function) is { } returned ? Trace(context, loads, returned, depth + 1) : null;
                }

                if (Symbols.Of(model).Callee(call) is { } callee && Api.DataWrappers.Contains(callee))
                {
                    return call.Args.Count > 0 ? Trace(context, loads, call.Args[0], depth + 1) : null;
                }

                // A method on data returns data made from it: `ds.map(...)`, `df.dropna()`, `ds.rename_column(...)`.
                return call.Func is AttributeExpr method ? Trace(context, loads, method.Value, depth + 1) : null;
            }

            case Subscript s:
                return Trace(context, loads, s.Value, depth + 1);
            case AttributeExpr a:
                return Trace(context, loads, a.Value, depth + 1);
            default:
                return null;
        }
    }
}
