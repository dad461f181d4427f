using MLIntern.Analysis.Findings;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Rules.Labels;

/// <summary>MLI101: text labels reach the Trainer or a tensor without being encoded as integer ids.</summary>
public sealed class StringLabelsNotEncoded : ScriptRule
{
    public static readonly RuleInfo Rule = new(
        "MLI101",
        "string-labels-not-encoded",
        Severity.Error,
        "string labels reach the model or Trainer without being encoded to ints",
        """
        ## What it does
        Finds text labels on their way into a model: a `transformers.Trainer` (or a subclass — the
        script's own too, unless it or a base the table does not know computes the loss) whose `train_dataset`
        comes from a data file whose label column holds strings (`"track_order"`), or
        `torch.tensor(...)` of that column, in a script that never encodes labels — no
        `LabelEncoder`, `pd.factorize`, `pd.get_dummies`, `.astype("category").cat.codes`,
        `class_encode_column`, `cast_column(..., ClassLabel(...))`, `ClassLabel`, no mapping applied
        to the label column (`df["intent"].map(ids)`, `.replace({...})`), nor a lookup by its values
        (`ids[x]`, `names.index(x)` for `x` of the label column). What the code does with the label
        column counts, not what its variables are called. The data set is the one the script loads
        (`pd.read_csv`, `load_dataset`), traced through splits, `Dataset.from_pandas`, `.map(...)`,
        aliases and the file's own functions. Silent for Trainers of a model known not to be a
        sequence classifier, or fed by a collator of the script's own.

        ## Why is this bad?
        Models compute their loss against integer class ids. Strings cannot become a tensor, so the
        first batch fails — after tokenization, model download and everything else have already run.

        ## Example
        ```python
        df = pd.read_csv("data/tickets.csv")            # intent: "track_order", "get_refund", …
        df = df.rename(columns={"intent": "label"})
        trainer = Trainer(model=model, args=args, train_dataset=Dataset.from_pandas(df).map(tokenize))
        ```

        ## Use instead
        ```python
        labels = sorted(df["intent"].unique())
        label2id = {label: i for i, label in enumerate(labels)}
        df["label"] = df["intent"].map(label2id)
        ```

        ## Fix safety
        No automatic fix: choosing the mapping (and keeping it for `id2label`/`label2id` and for
        inference) is a decision for the author.

        ## Error without the fix
        With `DataCollatorWithPadding` (the default when a tokenizer is passed):
        ```
        ValueError: Unable to create tensor, you should probably activate truncation and/or padding with 'padding=True' 'truncation=True' to have batched tensors with the same length. Perhaps your features (`label` in this case) have excessive nesting (inputs type `list` where type `int` is expected).
        ```
        From `torch.tensor(...)` or `default_data_collator`:
        ```
        ValueError: too many dimensions 'str'
        ```
        """);

    public override RuleInfo Info => Rule;

    public override IReadOnlyList<Type> NodeTypes => [typeof(Call)];

    public override void Visit(Node node, ScriptContext context)
    {
        var call = (Call)node;
        var model = context.Model;
        if (TrainerCall.From(model, call) is { TrainDataset: { } train } trainer)
        {
            if (trainer.CollatorKeepsLabels(model) && trainer.TrainsClassifier(model) && StringLabels(context, DatasetLoads.Origin(context, train)) is { } data)
            {
                context.Report(this, Message(data), train);
            }

            return;
        }

        if (call.Args.Count == 1 && model.ResolveCallee(call) is { } callee && Api.TensorMakers.Contains(callee) &&
            LabelColumnRead(context, call.Args[0]) is { } read && StringLabels(context, read.Data) is { } labels)
        {
            context.Report(this, Message(labels), read.Column);
        }
    }

    private static string Message(LoadedDataset data) =>
        $"{data.DisplayPath} has string labels in column `{data.Info.LabelColumn}` and nothing in the script encodes them as integer ids";

    /// <summary>The data set, when its labels are strings the script's labels come from and the script encodes nothing.</summary>
    private static LoadedDataset? StringLabels(ScriptContext context, LoadedDataset? data) =>
        data is { Info: { LabelsAreStrings: true, LabelColumn: { } column } } &&
        LabelColumnUse.Of(context).Agrees(column) &&
        !LabelEncodingEvidence.Any(context)
            ? data
            : null;

    /// <summary>`df["intent"]`, `df.intent`, `df["intent"].values`, `df["intent"].tolist()`, `list(df["intent"])` on loaded data.</summary>
    private static (Expr Column, LoadedDataset Data)? LabelColumnRead(ScriptContext context, Expr expr)
    {
        for (var depth = 0; depth < 8; depth++)
        {
            switch (expr)
            {
                case AttributeExpr { Attr: "values" } a:
                    expr = a.Value;
                    continue;
                case Call { Func: AttributeExpr { Attr: "tolist" or "to_numpy" or "to_list" } f, Args.Count: 0 }:
                    expr = f.Value;
                    continue;
                case Call { Args.Count: 1 } c when Code.IsBuiltinCall(context.Model, c, "list"):
                    expr = c.Args[0];
                    continue;
                case Subscript { Slice: var key, Value: var frame } when context.Model.EvaluateString(key) is { } column:
                    return Column(context, expr, frame, column);
                case AttributeExpr { Value: var frame, Attr: var column }:
                    return Column(context, expr, frame, column);
                default:
                    return null;
            }
        }

        return null;
    }

    private static (Expr, LoadedDataset)? Column(ScriptContext context, Expr read, Expr frame, string column) =>
        DatasetLoads.Origin(context, frame) is { } data && data.Info.LabelColumn == column ? (read, data) : null;
}
