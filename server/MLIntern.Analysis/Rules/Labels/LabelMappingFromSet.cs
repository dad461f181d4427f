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
        Finds label-to-id mappings (`label2id`, `id2label`, `ClassLabel(names=…)`, any mapping
        named after labels, classes, tags or targets, or passed as `id2label=`/`label2id=`) whose
        ids come from the iteration order of a `set`: `enumerate(set(labels))`,
        `dict(zip(set(labels), range(n)))`, `list(set(labels))` used as the label list, a set
        literal or a name bound to `set(...)`. Only in files that import an ML library.
        `sorted(set(...))`, `df[col].unique()` and `np.unique(...)` have a fixed order and are fine.

        ## Why is this bad?
        Strings hash differently in every Python process (`PYTHONHASHSEED` is random by default),
        so a set of strings iterates in a different order each run. The label that was id 3 while
        training is id 7 when the script runs again to evaluate, resume or serve the model:
        the checkpoint and the mapping no longer agree.

        ## Example
        ```python
        labels = list(set(df["intent"]))
        label2id = {label: i for i, label in enumerate(labels)}
        ```

        ## Use instead
        ```python
        labels = sorted(set(df["intent"]))
        label2id = {label: i for i, label in enumerate(labels)}
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

    private static readonly string[] LabelWords = ["label", "2id", "id2", "2idx", "idx2", "class", "tag", "target", "intent", "categor"];

    private static readonly HashSet<string> MappingKeywords = ["id2label", "label2id", "names"];

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

        if (iterated is null || !Symbols.Of(model).DoesMlWork || !IsLabelMapping(context, node))
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
    /// Whether the mapping is about labels: assigned to a name that says so, passed as
    /// `id2label=`/`label2id=`/`names=`, or the names of a ClassLabel.
    /// </summary>
    private static bool IsLabelMapping(ScriptContext context, Node node)
    {
        if (node is Call call && !Code.IsBuiltinCall(context.Model, call, "dict"))
        {
            return true;
        }

        if (node is For loop)
        {
            return loop.Body.OfType<Assign>().SelectMany(a => a.Targets).OfType<Subscript>().Any(s => SaysLabel(s.Value));
        }

        foreach (var parent in Ancestors(context.Model.Tree, node))
        {
            switch (parent)
            {
                case Keyword { Arg: { } arg } when MappingKeywords.Contains(arg):
                    return true;
                case Assign a:
                    return a.Targets.Any(t => SaysLabel(t));
                case AnnAssign a:
                    return SaysLabel(a.Target);
                case Stmt:
                    return false;
            }
        }

        return false;
    }

    private static bool SaysLabel(Expr target)
    {
        var name = target switch
        {
            Name n => n.Id,
            AttributeExpr a => a.Attr,
            Subscript { Slice: Constant { Value: string key } } => key,
            _ => null,
        };
        return name is not null && LabelWords.Any(w => name.Contains(w, StringComparison.OrdinalIgnoreCase));
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

    /// <summary>The nodes enclosing <paramref name="node"/>, innermost first.</summary>
    private static IEnumerable<Node> Ancestors(Module tree, Node node)
    {
        var finder = new PathFinder(node);
        finder.Visit(tree);
        for (var i = finder.Path.Count - 1; i >= 0; i--)
        {
            yield return finder.Path[i];
        }
    }

    private sealed class PathFinder(Node target) : SyntaxWalker
    {
        private readonly List<Node> _stack = [];

        public List<Node> Path { get; private set; } = [];

        public override void Visit(Node node)
        {
            if (Path.Count > 0 || node.End < target.Start || node.Start > target.End)
            {
                return;
            }

            if (ReferenceEquals(node, target))
            {
                Path = [.. _stack];
                return;
            }

            _stack.Add(node);
            VisitChildren(node);
            _stack.RemoveAt(_stack.Count - 1);
        }
    }
}
