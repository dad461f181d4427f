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

    /// <summary>Reports the set (or `list(set(...))`) that <paramref name="collection"/> is, directly or through a name.</summary>
    private void Check(ScriptContext context, Expr collection, int depth)
    {
        var model = context.Model;
        if (depth > 4)
        {
            return;
        }

        if (IsUnorderedSet(model, collection))
        {
            // Wrap where it is iterated: a name bound to a set stays a set for whatever else uses it.
            Report(context, collection, $"sorted({context.Text(collection)})");
            return;
        }

        if (collection is Call { Args.Count: 1, Keywords.Count: 0 } copy &&
            (Code.IsBuiltinCall(model, copy, "list") || Code.IsBuiltinCall(model, copy, "tuple")) &&
            IsUnorderedSet(model, copy.Args[0]))
        {
            Report(context, collection, $"sorted({context.Text(copy.Args[0])})");
            return;
        }

        if (collection is Name name && model.ResolveName(name) is { Value: { } value } binding &&
            binding.Kind is BindingKind.Assignment or BindingKind.AnnotatedAssignment)
        {
            if (IsUnorderedSet(model, value))
            {
                Report(context, collection, $"sorted({name.Id})");
            }
            else
            {
                Check(context, value, depth + 1);
            }
        }
    }

    private void Report(ScriptContext context, Expr collection, string replacement)
    {
        var fix = new Fix("Iterate the labels in sorted order", Applicability.Safe, [context.Replace(collection.Range, replacement)]);
        context.Report(this, "label ids come from the iteration order of a set, which changes between runs: sort the labels", collection, fix);
    }

    private static bool IsUnorderedSet(SemanticModel model, Expr expr) => expr switch
    {
        Call c => (Code.IsBuiltinCall(model, c, "set") || Code.IsBuiltinCall(model, c, "frozenset")) && !AllIntegers(model, c.Args.FirstOrDefault()),
        Set s => !AllIntegers(model, s),
        SetComp => true,
        _ => false,
    };

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
