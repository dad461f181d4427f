using MLIntern.Analysis.Findings;
using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Rules.Labels;

/// <summary>MLI103: label ids assigned by iterating a `set()`, whose order changes from run to run.</summary>
public sealed class LabelMappingFromSet : ScriptRule
{
    public static readonly RuleInfo Rule = new(
        "MLI103",
        "label-mapping-from-set",
        Severity.Warning,
        "label2id/id2label built by iterating an unordered `set()`: the mapping changes between runs",
        """
        ## What it does
        Finds label-to-id mappings whose ids come from the iteration order of a `set`:
        `enumerate(set(labels))`, `dict(zip(set(labels), range(n)))`, `list(set(labels))` used as the
        label list, a set literal or a name bound to `set(...)`, and `ClassLabel(names=…)` of one.
        A mapping is a label mapping by what the code does with it, never by its name: it is built
        from the label column's values (`set(df["intent"])`), or it (or a mapping made from it, an
        alias, a function's return) becomes the model's `id2label` / `label2id` / `num_labels`, is
        mapped onto the label column (`df["intent"].map(m)`), or is looked up with a label
        (`[m[x] for x in df["intent"]]`). Only in files that import an ML library.
        `sorted(set(...))`, `df[col].unique()` and `np.unique(...)` have a fixed order and are fine.

        ## Why is this bad?
        Strings hash differently in every Python process (`PYTHONHASHSEED` is random by default),
        so a set of strings iterates in a different order each run. The label that was id 3 while
        training is id 7 when the script runs again to evaluate, resume or serve the model:
        the checkpoint and the mapping no longer agree.

        ## Example
        ```python
        names = list(set(df["intent"]))
        ids = {name: i for i, name in enumerate(names)}
        df["label"] = df["intent"].map(ids)
        ```

        ## Use instead
        ```python
        names = sorted(set(df["intent"]))
        ids = {name: i for i, name in enumerate(names)}
        df["label"] = df["intent"].map(ids)
        ```

        ## Fix safety
        Safe: `sorted(...)` yields the same labels in a fixed order, and `list(set(x))` becomes
        `sorted(set(x))`, a list as before. (It needs labels that compare with each other, which
        labels of one type always do.) A checkpoint trained with the old, random mapping has to be
        retrained or re-mapped.

        ## Error without the fix
        No error: the script runs, but a model reloaded in a new process predicts the wrong names.
        Accuracy measured in a second run (or the served model's answers) drops to about chance
        for the shuffled classes, e.g. `{'eval_accuracy': 0.06}` on 16 classes after a resume, while
        the training run reported 0.91.
        """);

    public override RuleInfo Info => Rule;

    public override FixAvailability FixAvailability => FixAvailability.Always;

    public override IReadOnlyList<Type> NodeTypes => [typeof(DictComp), typeof(Call), typeof(For)];

    public override void Visit(Node node, ScriptContext context)
    {
        var model = context.Model;
        var iterated = node switch
        {
            DictComp comp => FromComprehension(model, comp),
            Call call => FromCall(model, call),
            For loop => FromLoop(model, loop),
            _ => null,
        };

        if (iterated is null || !Symbols.Of(model).DoesMlWork || !IsLabelMapping(context, node, iterated))
        {
            return;
        }

        Check(context, iterated, 0);
    }

    /// <summary>`{x: i for i, x in enumerate(S)}`, `{x: i for x, i in zip(S, range(n))}` and their inverses.</summary>
    private static Expr? FromComprehension(SemanticModel model, DictComp comp) =>
        comp.Generators.Count == 1 ? Indexed(model, comp.Generators[0].Iter) : null;

    /// <summary>`dict(enumerate(S))`, `dict(zip(S, range(n)))`, `dict((x, i) for i, x in enumerate(S))`, `ClassLabel(names=S)`.</summary>
    private static Expr? FromCall(SemanticModel model, Call call)
    {
        if (Code.IsBuiltinCall(model, call, "dict") && call.Args.Count == 1)
        {
            return call.Args[0] switch
            {
                GeneratorExp { Generators.Count: 1 } g => Indexed(model, g.Generators[0].Iter),
                var arg => Indexed(model, arg),
            };
        }

        if (model.ResolveCallee(call) is "datasets.ClassLabel" or "datasets.features.ClassLabel")
        {
            return model.GetArgument(call, "names");
        }

        return null;
    }

    /// <summary>`for i, x in enumerate(S): mapping[x] = i`.</summary>
    private static Expr? FromLoop(SemanticModel model, For loop) =>
        loop.Body.OfType<Assign>().Any(a => a.Targets.Any(t => t is Subscript)) ? Indexed(model, loop.Iter) : null;

    /// <summary>The collection whose order decides the ids: S in `enumerate(S)`, `zip(S, range(…))`, `zip(range(…), S)`.</summary>
    private static Expr? Indexed(SemanticModel model, Expr iter)
    {
        if (iter is not Call call || call.Keywords.Count > 0)
        {
            return null;
        }

        if (Code.IsBuiltinCall(model, call, "enumerate") && call.Args.Count == 1)
        {
            return call.Args[0];
        }

        if (Code.IsBuiltinCall(model, call, "zip") && call.Args.Count == 2)
        {
            var isRange = call.Args.Select(a => Code.IsBuiltinCall(model, a, "range") || a is Call c && model.ResolveCallee(c) is "itertools.count").ToList();
            return isRange[1] && !isRange[0] ? call.Args[0] : isRange[0] && !isRange[1] ? call.Args[1] : null;
        }

        return null;
    }

    /// <summary>
    /// Whether the mapping is a label mapping, by what the code does: the names of a ClassLabel, a
    /// mapping built from the label column's values, or one whose values reach the model's label
    /// configuration, the label column or a lookup by a label (<see cref="LabelValues.UsedAsLabels"/>).
    /// </summary>
    private static bool IsLabelMapping(ScriptContext context, Node node, Expr iterated)
    {
        if (node is Call call && !Code.IsBuiltinCall(context.Model, call, "dict"))
        {
            return true;
        }

        var labels = LabelValues.Of(context);
        if (labels.IsLabelData(iterated))
        {
            return true;
        }

        if (node is For loop)
        {
            // `for i, x in enumerate(S): m[x] = i`: the mapping is `m`, used from its binding on.
            return loop.Body.OfType<Assign>().SelectMany(a => a.Targets).OfType<Subscript>()
                .Select(s => s.Value is Name n ? context.Model.ResolveName(n) : null)
                .Any(b => b is not null && labels.UsesOf(b).Any(u => labels.UsedAsLabels(u)));
        }

        return node is Expr mapping && labels.UsedAsLabels(mapping);
    }

    /// <summary>
    /// Reports <paramref name="collection"/> when what it holds iterates in an order that can change between
    /// runs (a set, `list(set(...))`, through names, copies and helpers; not once sorted, also in place).
    /// </summary>
    private void Check(ScriptContext context, Expr collection, int depth)
    {
        var model = context.Model;

        // `feature.names`, `encoder.classes_`: an object's own list, one order for the encoding and the mapping
        // alike (where it was made from a set is reported there).
        if (collection is AttributeExpr)
        {
            return;
        }

        if (ValueFlow.Of(context).Evaluate(collection) is not CollectionValue { Ordered: false } value ||
            value.Items is { } items && items.All(i => i is ScalarValue { Constant: long }) && items.Count > 0 ||
            IsSmallIntegerSet(model, collection))
        {
            // Sets of small integers iterate in a fixed order; only text labels move between runs.
            return;
        }

        // A name bound to a copy of a set (`items = list(set(...))`): the copy is where the order is lost; a name
        // bound to a set itself is wrapped where it is iterated, since it stays a set for whatever else uses it.
        if (depth < 4 && collection is Name name && model.ResolveName(name) is { Value: { } bound, Kind: BindingKind.Assignment or BindingKind.AnnotatedAssignment } &&
            ValueFlow.Of(context).Evaluate(bound) is not CollectionValue { Kind: CollectionKind.Set })
        {
            Check(context, bound, depth + 1);
            return;
        }

        var inner = collection is Call { Args.Count: 1, Keywords.Count: 0 } copy &&
                    (Code.IsBuiltinCall(model, copy, "list") || Code.IsBuiltinCall(model, copy, "tuple"))
            ? copy.Args[0]
            : collection;

        // Wrap where it is iterated: a name bound to a set stays a set for whatever else uses it.
        Report(context, collection, $"sorted({context.Text(inner)})");
    }

    private static bool IsSmallIntegerSet(SemanticModel model, Expr expr) =>
        Code.Unalias(model, expr) is var e && (e is Call c && (Code.IsBuiltinCall(model, c, "set") || Code.IsBuiltinCall(model, c, "frozenset") ||
                                                                 Code.IsBuiltinCall(model, c, "list")) && c.Args.Count == 1 && (AllIntegers(model, c.Args[0]) || IsSmallIntegerSet(model, c.Args[0])) ||
                                               e is Set s && AllIntegers(model, s));

    private void Report(ScriptContext context, Expr collection, string replacement)
    {
        var fix = new Fix("Iterate the labels in sorted order", Applicability.Safe, [context.Replace(collection.Range, replacement)]);
        context.Report(this, "label ids come from the iteration order of a set, which changes between runs: sort the labels", collection, fix);
    }

    /// <summary>Sets of small integers iterate in a fixed order; only text labels move between runs.</summary>
    private static bool AllIntegers(SemanticModel model, Expr? items) =>
        items is not null && model.TryEvaluate(items, out var v) && v switch
        {
            LiteralList l => l.Items.All(i => i is long),
            LiteralTuple t => t.Items.All(i => i is long),
            LiteralSet s => s.Items.All(i => i is long),
            _ => false,
        };
}
