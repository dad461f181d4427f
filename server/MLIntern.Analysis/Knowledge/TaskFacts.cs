using System.Globalization;
using System.Runtime.CompilerServices;
using MLIntern.Analysis.Rules;
using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Knowledge;

/// <summary>Where a fact was read: the data file (the host's profile), the script's label set, or the model's own configuration.</summary>
public enum EvidenceKind
{
    Data,
    LabelSet,
    ModelConfig,
}

/// <summary>
/// A class count and the evidence that decided it: the sentence a message quotes ("tickets.csv has 16
/// classes in column `intent`", "`TOPICS` (line 4) lists 5 classes"), the node it was read from, and
/// an expression that computes it in the script (`len(TOPICS)`) when one is visible there.
/// </summary>
public sealed record ClassCount(long Count, EvidenceKind Kind, string Evidence, Node? Node, Expr? Expression)
{
    /// <summary>The script text that computes the count where <paramref name="at"/> is, or null (write the number).</summary>
    public string? ExpressionAt(ScriptContext context, int at)
    {
        if (Expression is not Name name || context.Model.ResolveName(name) is not { } binding ||
            !ReferenceEquals(context.Model.LookupAt(name.Id, at), binding) || binding.Position > at)
        {
            return null;
        }

        return $"len({name.Id})";
    }
}

/// <summary>
/// Facts about the task a script trains for, each with its evidence, merged from the data files the
/// script loads and from the script: the label sets it uses (a collection that becomes a
/// `ClassLabel`, an `id2label`/`label2id`, the keys of a mapping applied to the label column, a
/// filter `isin(...)` on it, `target_names=`), the class count, and whether the task is binary. The
/// data decides first, then the script's label sets when they agree; the model's own `num_labels` is
/// evidence only for questions about the metric, never against the model.
/// </summary>
public sealed class TaskFacts
{
    private static readonly ConditionalWeakTable<ScriptContext, TaskFacts> Cache = new();

    private TaskFacts(ScriptContext context)
    {
        var flow = ValueFlow.Of(context);
        var model = context.Model;
        var symbols = Symbols.Of(model);
        var sets = new List<ClassCount>();
        var configured = new List<ClassCount>();
        var filters = new List<ClassCount>();
        foreach (var call in model.Calls)
        {
            var callee = symbols.Callee(call);
            if (callee == Api.ClassLabel)
            {
                Add(sets, context, flow, model.GetArgument(call, "names"), EvidenceKind.LabelSet);
                if (model.GetArgument(call, "num_classes", 0) is { } n && flow.Integer(n) is { } k)
                {
                    sets.Add(new ClassCount(k, EvidenceKind.LabelSet, $"`ClassLabel(num_classes={k})` on line {Line(context, call)}", call, null));
                }
            }

            if (callee is not null && callee.StartsWith("transformers.", StringComparison.Ordinal))
            {
                Add(configured, context, flow, model.GetArgument(call, "id2label"), EvidenceKind.ModelConfig);
                Add(configured, context, flow, model.GetArgument(call, "label2id"), EvidenceKind.ModelConfig);
                if (model.GetArgument(call, "num_labels") is { } num && flow.Integer(num) is { } count)
                {
                    configured.Add(new ClassCount(count, EvidenceKind.ModelConfig, $"`num_labels={context.Text(num)}` on line {Line(context, num)} is {count}", num, null));
                }
            }

            if (callee is "sklearn.metrics.classification_report")
            {
                Add(sets, context, flow, model.GetArgument(call, "target_names"), EvidenceKind.LabelSet);
            }

            // `df["intent"].map(LABEL2ID)`, `df[df.intent.isin(TOPICS)]`: the label set applied to the label column.
            if (call.Func is AttributeExpr { Attr: "map" or "isin" or "replace" } method && call.Args.Count >= 1 &&
                IsLabelColumn(context, flow, method.Value))
            {
                var before = sets.Count;
                Add(sets, context, flow, call.Args[0], EvidenceKind.LabelSet);
                if (method.Attr == "isin" && sets.Count > before)
                {
                    filters.Add(sets[^1]);
                }
            }
        }

        foreach (var dataset in DatasetLoads.All(context))
        {
            if (dataset.Info is { ClassCount: { } n and > 0, LabelColumn: not null })
            {
                Data = new ClassCount(n, EvidenceKind.Data, dataset.ClassCountSource, dataset.Load, null);
                break;
            }
        }

        LabelSets = sets;
        ModelConfigs = configured;
        Filters = filters;
    }

    public static TaskFacts Of(ScriptContext context) => Cache.GetValue(context, c => new TaskFacts(c));

    /// <summary>The class count of the first loaded data set the host knows with a label column.</summary>
    public ClassCount? Data { get; }

    /// <summary>The label sets the script uses, in source order.</summary>
    public IReadOnlyList<ClassCount> LabelSets { get; }

    /// <summary>The label sets the script filters the label column with (`isin`), in source order.</summary>
    public IReadOnlyList<ClassCount> Filters { get; }

    /// <summary>What the script configures its models with (`num_labels=`, `id2label=`), in source order.</summary>
    public IReadOnlyList<ClassCount> ModelConfigs { get; }

    /// <summary>
    /// The number of classes of the task, and what decided it: the labels' data set (see
    /// <see cref="DatasetLoads.Labels"/>), else the script's label sets when they all agree.
    /// </summary>
    public ClassCount? TaskClasses(ScriptContext context)
    {
        if (DatasetLoads.Labels(context) is { Info.ClassCount: { } count and >= 2 } data)
        {
            // `df[df.intent.isin(KEEP)]`: the script keeps fewer classes than the file has.
            if (Agreed(Filters) is { } kept && kept.Count < count)
            {
                return kept with { Evidence = $"{kept.Evidence}, the ones the script keeps of {data.ClassCountSource}" };
            }

            return new ClassCount(count, EvidenceKind.Data, data.ClassCountSource, data.Load, null);
        }

        return Agreed(LabelSets);
    }

    /// <summary>The class count for a question about the metric: the task's, else what the model is configured with when that agrees.</summary>
    public ClassCount? MetricClasses(ScriptContext context) => TaskClasses(context) ?? Agreed(ModelConfigs);

    private static ClassCount? Agreed(IReadOnlyList<ClassCount> facts) =>
        facts.Count > 0 && facts.All(f => f.Count == facts[0].Count) && facts[0].Count >= 2 ? facts[0] : null;

    private static void Add(List<ClassCount> sink, ScriptContext context, ValueFlow flow, Expr? expr, EvidenceKind kind)
    {
        if (expr is null)
        {
            return;
        }

        var value = flow.Evaluate(expr);
        if (value is ColumnValue { IsLabelColumn: true, Dataset.ClassCount: { } n } column)
        {
            sink.Add(new ClassCount(n, EvidenceKind.Data, column.ClassCountEvidence, expr, null));
            return;
        }

        if (value is not CollectionValue collection || (collection.Kind is CollectionKind.Set or CollectionKind.Dict ? collection.Count : collection.DistinctCount ?? collection.Count) is not { } count)
        {
            return;
        }

        if (collection.Evidence is { } fromData)
        {
            sink.Add(new ClassCount(count, EvidenceKind.Data, fromData, expr, expr as Name));
            return;
        }

        var origin = collection.Origin ?? expr;
        var what = expr is Name or AttributeExpr ? $"`{context.Text(expr)}`" : "the label set";
        var verb = collection.Kind == CollectionKind.Dict ? "maps" : "lists";
        sink.Add(new ClassCount(count, kind, $"{what} (line {Line(context, origin)}) {verb} {count.ToString(CultureInfo.InvariantCulture)} classes", origin, expr as Name));
    }

    /// <summary>True when the expression is the label column of a loaded data set, or the column a Trainer reads labels from.</summary>
    private static bool IsLabelColumn(ScriptContext context, ValueFlow flow, Expr expr)
    {
        if (flow.Evaluate(expr) is ColumnValue column)
        {
            return column.IsLabelColumn || LabelColumnUse.TrainerLabelNames.Contains(column.Column);
        }

        var key = expr switch
        {
            Subscript s => flow.String(s.Slice),
            AttributeExpr a => a.Attr,
            _ => null,
        };
        return key is not null && (LabelColumnUse.TrainerLabelNames.Contains(key) || LabelColumnUse.Of(context).SourceColumns.Contains(key));
    }

    private static int Line(ScriptContext context, Node node) => context.Source.GetLineColumn(node.Start).Line;
}
