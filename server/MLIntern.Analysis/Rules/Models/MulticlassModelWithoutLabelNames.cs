using MLIntern.Analysis.Findings;
using MLIntern.Analysis.Rules.Labels;
using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Rules.Models;

/// <summary>MLI105: a multi-class classifier created without `id2label`/`label2id`.</summary>
public sealed class MulticlassModelWithoutLabelNames : ScriptRule
{
    public static readonly RuleInfo Rule = new(
        "MLI105",
        "multiclass-model-without-label-names",
        Severity.Warning,
        "multi-class model created without id2label/label2id: the published model shows LABEL_0…",
        """
        ## What it does
        Finds `AutoModelForSequenceClassification.from_pretrained(...)` (or any transformers
        `*ForSequenceClassification`) for more than two classes — `num_labels` greater than 2, or a
        data set with more than two classes in its label column — that passes neither `id2label`
        nor `label2id`, directly, through a literal `**dict` or on the `AutoConfig.from_pretrained(...)`
        given as `config=`, and never sets `model.config.id2label` later. A config of unknown
        origin is assumed to name the classes; a regression head (`num_labels=1`,
        `problem_type="regression"`) has no classes to name.

        ## Why is this bad?
        The model's config then names its classes `LABEL_0` … `LABEL_15`. That config is what
        `save_pretrained`, `push_to_hub` and the inference widget use: everyone who loads the
        model (a `pipeline`, the Hub widget, a colleague) sees numbered labels and must guess
        which one is "refund".

        ## Example
        ```python
        model = AutoModelForSequenceClassification.from_pretrained(checkpoint, num_labels=16)
        ```

        ## Use instead
        ```python
        model = AutoModelForSequenceClassification.from_pretrained(
            checkpoint, num_labels=16, id2label=id2label, label2id=label2id
        )
        ```

        ## Fix safety
        Offered when the file already defines `id2label` and `label2id` before the call: the fix
        passes them. Safe: it only names the classes in the config and changes neither the
        model's outputs nor training.

        ## Error without the fix
        No error. The published model answers with numbered labels:
        ```
        >>> pipeline("text-classification", model="you/tickets")("where is my refund")
        [{'label': 'LABEL_11', 'score': 0.93}]
        ```
        """);

    private static readonly HashSet<string> LabelNameKeys = ["id2label", "label2id"];

    public override RuleInfo Info => Rule;

    public override FixAvailability FixAvailability => FixAvailability.Sometimes;

    public override IReadOnlyList<Type> NodeTypes => [typeof(Call)];

    public override void Visit(Node node, ScriptContext context)
    {
        var model = context.Model;
        if (SequenceClassifier.From(model, (Call)node) is not { } classifier ||
            classifier.Id2Label is not null || classifier.Label2Id is not null || classifier.Config is not null ||
            classifier.HasOpaqueKwargs(model) || SetsLabelNamesLater(model) || classifier.NumLabels is null && classifier.HeadFromCheckpoint(context) ||
            classifier.IsRegression(model))
        {
            return;
        }

        // The data's (or label list's) count is preferred so the message does not change when num_labels is fixed (MLI102).
        string? source = null;
        if (classifier.ClassCount(context) is { Count: > 2 } count)
        {
            source = count.Evidence;
        }
        else if (classifier.NumLabels is not null && Knowledge.ValueFlow.Of(context).Integer(classifier.NumLabels) is > 2 and var literal)
        {
            source = $"num_labels={literal}";
        }

        if (source is null)
        {
            return;
        }

        var call = classifier.Call;
        Fix? fix = null;
        if (Visible(model, "id2label", classifier.LabelCall) && Visible(model, "label2id", classifier.LabelCall) &&
            CodeEdits.AddKeyword(context, classifier.LabelCall, "id2label=id2label", "label2id=label2id") is { } edit)
        {
            fix = new Fix($"Pass id2label and label2id to the {(ReferenceEquals(classifier.LabelCall, call) ? "model" : "config")}", Applicability.Safe, [edit]);
        }

        context.Report(this, $"multi-class model ({source}) created without id2label/label2id: its config will name the classes LABEL_0, LABEL_1, …", call.Func, fix);
    }

    /// <summary>`model.config.id2label = ...` or a config update naming the key, anywhere in the file.</summary>
    private static bool SetsLabelNamesLater(SemanticModel model) =>
        new LabelNameWrites(model).Found;

    /// <summary>True when <paramref name="name"/> is bound to a dict (literal or comprehension) where the call runs.</summary>
    private static bool Visible(SemanticModel model, string name, Call call) =>
        model.LookupAt(name, call.Start) is { Value: Dict or DictComp or Call } binding && binding.Position <= call.Start;

    /// <summary>`x.config.id2label = ...`, `config.update({"id2label": ...})`, `setattr(config, "id2label", ...)`.</summary>
    private sealed class LabelNameWrites : SyntaxWalker
    {
        private bool _inUpdate;

        public LabelNameWrites(SemanticModel model)
        {
            Model = model;
            Visit(model.Tree);
        }

        public bool Found { get; private set; }

        private SemanticModel Model { get; }

        public override void Visit(Node node)
        {
            if (Found)
            {
                return;
            }

            if (node is AttributeExpr { Ctx: ExprContext.Store } a && LabelNameKeys.Contains(a.Attr) ||
                _inUpdate && node is Constant { Value: string s } && LabelNameKeys.Contains(s) ||
                _inUpdate && node is Keyword { Arg: { } arg } && LabelNameKeys.Contains(arg))
            {
                Found = true;
                return;
            }

            if (node is Call call && !_inUpdate && (Code.MethodName(call) == "update" || Code.IsBuiltinCall(Model, call, "setattr")))
            {
                _inUpdate = true;
                VisitChildren(node);
                _inUpdate = false;
                return;
            }

            VisitChildren(node);
        }
    }
}
