using MLIntern.Analysis.Facts;
using MLIntern.Analysis.Rules.Labels;
using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Rules.Metrics;

/// <summary>How many classes the task has, and where that fact came from, for a diagnostic to quote.</summary>
public sealed record ClassCountFact(int Count, string Source);

/// <summary>
/// Facts about the task a script trains for: the data sets it loads that the host could read (found
/// by <see cref="DatasetLoads"/>), and the number of classes (from the data, else from a literal `num_labels=`).
/// </summary>
public static class TaskFacts
{
    /// <summary>The data sets the script loads whose facts the host knows, in source order (<see cref="DatasetLoads.All"/>).</summary>
    public static IReadOnlyList<LoadedDataset> Datasets(ScriptContext context) => DatasetLoads.All(context);

    /// <summary>
    /// The number of classes of the task: the label column's class count of a loaded data set, else a
    /// literal `num_labels=` given to a transformers call. Null when neither is known.
    /// </summary>
    public static ClassCountFact? ClassCount(ScriptContext context)
    {
        foreach (var dataset in Datasets(context))
        {
            if (dataset.Info is { ClassCount: { } count and > 0, LabelColumn: not null })
            {
                return new ClassCountFact(count, dataset.ClassCountSource);
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
}
