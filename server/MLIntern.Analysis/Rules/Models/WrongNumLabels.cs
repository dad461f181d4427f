using MLIntern.Analysis.Findings;
using MLIntern.Analysis.Knowledge;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Rules.Models;

/// <summary>MLI102: a sequence classifier whose output count (`num_labels`, default 2) is not the number of classes.</summary>
public sealed class WrongNumLabels : ScriptRule
{
    public static readonly RuleInfo Rule = new(
        "MLI102",
        "wrong-num-labels",
        Severity.Error,
        "`num_labels` missing (the model defaults to 2) or different from the data's class count",
        """
        ## What it does
        Finds `AutoModelForSequenceClassification.from_pretrained(...)` (or any transformers
        `*ForSequenceClassification`) whose number of outputs differs from the number of classes:
        `num_labels` left out (the head then has 2 outputs) on a task with more classes, or
        `num_labels` set to a different number. The class count comes from the data set the
        script loads (its label column) or from a literal label list or mapping in the script
        (`label2id`, `id2label`, `labels`, `label_names`, `classes`); `id2label` passed to the
        call counts as the model's number of outputs. An `AutoConfig.from_pretrained(...)` passed
        as `config=` is read the same way; silent when the count is unknown or a config of unknown
        origin decides it, and for a regression head (`num_labels=1` or `problem_type="regression"`),
        whose label column holds scores, not classes.

        ## Why is this bad?
        The classification head has `num_labels` outputs. With fewer outputs than classes, every
        label id at or above `num_labels` is out of range for the loss and training crashes on the
        first batch that holds one (on a GPU as an opaque device-side assert). With more outputs
        than classes the model trains, but spreads probability over classes that do not exist.

        ## Example
        ```python
        df = pd.read_csv("data/tickets.csv")   # 16 intents
        model = AutoModelForSequenceClassification.from_pretrained("distilbert-base-uncased")
        ```

        ## Use instead
        ```python
        model = AutoModelForSequenceClassification.from_pretrained("distilbert-base-uncased", num_labels=16)
        ```

        ## Fix safety
        Unsafe: the fix writes the class count found in the data file (or `len(...)` of the
        script's label list), which is right for the data as it is today; a script that filters
        or merges classes before training needs a different number.

        ## Error without the fix
        ```
        IndexError: Target 15 is out of bounds.
        ```
        On a GPU: `RuntimeError: CUDA error: device-side assert triggered`. With `num_labels`
        larger than the class count there is no error; the extra outputs never get a target.
        """);

    public override RuleInfo Info => Rule;

    public override FixAvailability FixAvailability => FixAvailability.Sometimes;

    public override IReadOnlyList<Type> NodeTypes => [typeof(Call)];

    public override void Visit(Node node, ScriptContext context)
    {
        var model = context.Model;
        if (SequenceClassifier.From(model, (Call)node) is not { } classifier || classifier.Config is not null || classifier.HasOpaqueKwargs(model) || classifier.IsRegression(model))
        {
            return;
        }

        // What the model will have: id2label decides when given, else num_labels, else 2.
        long outputs;
        var mapping = classifier.Id2Label ?? classifier.Label2Id;
        if (mapping is not null)
        {
            if (ValueFlow.Of(context).Count(mapping) is not { } length)
            {
                return;
            }

            outputs = length;
        }
        else if (classifier.NumLabels is not null)
        {
            if (ValueFlow.Of(context).Integer(classifier.NumLabels) is not { } n)
            {
                return;
            }

            outputs = n;
        }
        else
        {
            outputs = 2;
        }

        if (classifier.ClassCount(context) is not { } count || count.Count == outputs)
        {
            return;
        }

        var source = count.Evidence;
        var call = classifier.Call;
        var value = count.ExpressionAt(context, call.Start) ?? count.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (mapping is not null)
        {
            // The mapping passed and the data disagree: which one is right is for a human to say.
            context.Report(this, $"the model gets {outputs} outputs from its label mapping, but {source}", mapping, null);
        }
        else if (classifier.NumLabels is null)
        {
            if (classifier.HeadFromCheckpoint(context))
            {
                return;
            }

            var edit = CodeEdits.AddKeyword(context, classifier.LabelCall, $"num_labels={value}");
            var fix = edit is null ? null : new Fix($"Pass num_labels={value}", Applicability.Unsafe, [edit]);
            context.Report(this, $"num_labels is missing, so the model gets 2 outputs, but {source}", call.Func, fix);
        }
        else
        {
            var fix = new Fix($"Set num_labels={value}", Applicability.Unsafe, [context.Replace(classifier.NumLabels.Range, value)]);
            context.Report(this, $"num_labels is {outputs}, but {source}", classifier.NumLabels, fix);
        }
    }
}
