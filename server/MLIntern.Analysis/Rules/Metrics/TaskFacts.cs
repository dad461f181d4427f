using System.Runtime.CompilerServices;
using MLIntern.Analysis.Facts;
using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Rules.Metrics;

/// <summary>A data set the script loads, as written in the script, with what the host knows about it.</summary>
public sealed record LoadedDataset(Call Load, string PathAsWritten, DatasetInfo Info)
{
    /// <summary>The path as the user wrote it, for messages ("data/tickets.csv"): the name they will recognise.</summary>
    public string Display => PathAsWritten;
}

/// <summary>How many classes the task has, and where that fact came from, for a diagnostic to quote.</summary>
public sealed record ClassCountFact(int Count, string Source);

/// <summary>
/// Facts about the task a script trains for: the data sets it loads (`pd.read_csv("data/x.csv")`,
/// `load_dataset("csv", data_files=...)`, `Dataset.from_csv(...)`) that the host could read, and the
/// number of classes (from the data, else from a literal `num_labels=`).
/// </summary>
public static class TaskFacts
{
    private static readonly Dictionary<string, string> PathParameters = new(StringComparer.Ordinal)
    {
        ["pandas.read_csv"] = "filepath_or_buffer",
        ["pandas.read_table"] = "filepath_or_buffer",
        ["pandas.read_json"] = "path_or_buf",
        ["pandas.read_parquet"] = "path",
        ["pandas.read_excel"] = "io",
        ["datasets.Dataset.from_csv"] = "path_or_paths",
        ["datasets.Dataset.from_json"] = "path_or_paths",
        ["datasets.Dataset.from_parquet"] = "path_or_paths",
    };

    private static readonly ConditionalWeakTable<ScriptContext, List<LoadedDataset>> Cache = new();

    /// <summary>The data sets the script loads whose facts the host knows, in source order.</summary>
    public static IReadOnlyList<LoadedDataset> Datasets(ScriptContext context) => Cache.GetValue(context, Find);

    /// <summary>
    /// The number of classes of the task: the label column's class count of a loaded data set, else a
    /// literal `num_labels=` given to a transformers call. Null when neither is known.
    /// </summary>
    public static ClassCountFact? ClassCount(ScriptContext context)
    {
        foreach (var dataset in Datasets(context))
        {
            if (dataset.Info is { ClassCount: { } count and > 0, LabelColumn: { } column })
            {
                return new ClassCountFact(count, $"{dataset.Display} has {count} classes in column `{column}`");
            }
        }

        var model = context.Model;
        if (!ScriptFacts.Imports(model, "transformers"))
        {
            return null;
        }

        foreach (var call in model.Calls)
        {
            if (model.GetArgument(call, "num_labels") is { } argument &&
                model.ResolveCallee(call) is { } callee && callee.StartsWith("transformers.", StringComparison.Ordinal) &&
                model.TryEvaluate(argument, out var value) && value is long labels)
            {
                var line = context.Source.GetLineColumn(argument.Start).Line;
                return new ClassCountFact((int)labels, $"`num_labels={labels}` on line {line}");
            }
        }

        return null;
    }

    /// <summary>The path strings a loading call names (several for `data_files={"train": ..., "test": ...}`).</summary>
    public static IEnumerable<string> Paths(SemanticModel model, Call call)
    {
        var callee = model.ResolveCallee(call);
        if (callee is null)
        {
            yield break;
        }

        if (PathParameters.TryGetValue(callee, out var parameter))
        {
            if (model.GetArgument(call, parameter, 0) is { } path)
            {
                foreach (var p in Strings(model, path))
                {
                    yield return p;
                }
            }

            yield break;
        }

        if (callee == "datasets.load_dataset" && model.GetArgument(call, "data_files", 2) is { } files)
        {
            foreach (var p in Strings(model, files))
            {
                yield return p;
            }
        }
    }

    private static List<LoadedDataset> Find(ScriptContext context)
    {
        var model = context.Model;
        var result = new List<LoadedDataset>();
        if (!ScriptFacts.Imports(model, "pandas") && !ScriptFacts.Imports(model, "datasets"))
        {
            return result;
        }

        foreach (var call in model.Calls)
        {
            foreach (var path in Paths(model, call))
            {
                if (context.Dataset(path) is { } info)
                {
                    result.Add(new LoadedDataset(call, path, info));
                }
            }
        }

        return result;
    }

    /// <summary>The strings an expression evaluates to: a string, or the strings of a literal list, tuple or dict's values.</summary>
    private static IEnumerable<string> Strings(SemanticModel model, Expr expr)
    {
        if (!model.TryEvaluate(expr, out var value))
        {
            if (OsPathJoin(model, expr) is { } joined)
            {
                yield return joined;
            }

            yield break;
        }

        var items = value switch
        {
            string s => [s],
            LiteralList l => l.Items,
            LiteralTuple t => t.Items,
            LiteralDict d => d.Entries.Select(e => e.Value),
            _ => [],
        };
        foreach (var item in items)
        {
            switch (item)
            {
                case string s:
                    yield return s;
                    break;
                case LiteralList nested:
                    foreach (var n in nested.Items.OfType<string>())
                    {
                        yield return n;
                    }

                    break;
            }
        }
    }

    /// <summary>`os.path.join("data", "x.csv")` of literal parts, joined with '/'.</summary>
    private static string? OsPathJoin(SemanticModel model, Expr expr)
    {
        expr = ScriptFacts.Unalias(model, expr);
        if (expr is not Call call || model.ResolveCallee(call) != "os.path.join" || call.Keywords.Count > 0)
        {
            return null;
        }

        var parts = new List<string>();
        foreach (var arg in call.Args)
        {
            if (model.EvaluateString(arg) is not { } part)
            {
                return null;
            }

            parts.Add(part);
        }

        return parts.Count == 0 ? null : string.Join('/', parts);
    }
}
