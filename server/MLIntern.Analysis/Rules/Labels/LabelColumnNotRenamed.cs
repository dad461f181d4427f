using MLIntern.Analysis.Findings;
using MLIntern.Python.Lexing;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Rules.Labels;

/// <summary>MLI106: the Trainer's data keeps its labels in a column not called label/labels.</summary>
public sealed class LabelColumnNotRenamed : ScriptRule
{
    public static readonly RuleInfo Rule = new(
        "MLI106",
        "label-column-not-renamed",
        Severity.Error,
        "label column not named label/labels and never renamed: the Trainer computes no loss",
        """
        ## What it does
        Finds a `transformers.Trainer` (or a subclass — the script's own too, unless it defines
        `compute_loss` or has a base the table does not know) whose `train_dataset` comes (through splits, `Dataset.from_pandas`,
        `.map(...)`, aliases and the file's own functions) from a data file whose label column is not
        called `label` or `labels` — the Trainer's own convention — e.g. `intent`, when nothing in the
        script makes a `label`/`labels` column:
        no `rename_column(..., "label")`, `rename(columns={...: "labels"})`, `df["label"] = ...`,
        `.map` function returning `"labels"`, `add_column`, nor `TrainingArguments(label_names=...)`.
        Silent when the label column is unknown, when a collator other than a padding one builds
        the batches (a language-modelling collator makes its own labels), or when the model is
        known not to be a sequence classifier.

        ## Why is this bad?
        The Trainer passes the model only the columns its `forward` accepts, and a classifier's
        `forward` takes its targets as `labels` (the data collators also accept `label` and
        `label_ids`). A column called `intent` is dropped as unused, the model gets no targets,
        returns no loss, and the Trainer stops at the first step.

        ## Example
        ```python
        df = pd.read_csv("data/tickets.csv")          # columns: instruction, category, intent
        train_ds = Dataset.from_pandas(df).map(tokenize, batched=True)
        trainer = Trainer(model=model, args=args, train_dataset=train_ds)
        ```

        ## Use instead
        ```python
        df = pd.read_csv("data/tickets.csv").rename(columns={"intent": "label"})
        ```

        ## Fix safety
        Unsafe: the fix changes the data the script trains on. It copies the column to `label`
        where the data is loaded (`.assign(label=…)` for pandas, `.map(lambda row: {"label": …})`
        for `datasets`), keeping the original so code that reads the old name still works; the
        Trainer drops the unused original. The labels must also be integer ids (see MLI101).

        ## Error without the fix
        ```
        ValueError: The model did not return a loss from the inputs, only the following keys: logits. For reference, the inputs it received are input_ids,attention_mask.
        ```
        """);

    public override RuleInfo Info => Rule;

    public override FixAvailability FixAvailability => FixAvailability.Always;

    public override IReadOnlyList<Type> NodeTypes => [typeof(Call)];

    public override void Visit(Node node, ScriptContext context)
    {
        var model = context.Model;
        if (TrainerCall.From(model, (Call)node) is not { TrainDataset: { } train } trainer ||
            !trainer.CollatorKeepsLabels(model) || !trainer.TrainsClassifier(model) ||
            DatasetLoads.Origin(context, train) is not { Info.LabelColumn: { } column } data ||
            LabelColumnUse.TrainerLabelNames.Contains(column) ||
            data.Info.Columns.Any(LabelColumnUse.TrainerLabelNames.Contains) ||
            LabelColumnUse.Of(context).MakesLabelColumn)
        {
            return;
        }

        context.Report(
            this,
            $"{data.DisplayPath} keeps its labels in column `{column}`, which is never renamed to `label`/`labels`: the Trainer drops it and the model computes no loss",
            train,
            CopyFix(context, data, column));
    }

    /// <summary>
    /// Copy the column to `label` right where the data is loaded. A copy rather than a rename, so
    /// code that reads the old name (a `stratify=df["intent"]`, another fix) keeps working; the
    /// Trainer drops the unused original.
    /// </summary>
    private static Fix CopyFix(ScriptContext context, LoadedDataset data, string column)
    {
        var q = context.Parse.Tokens.QuoteStyle == QuoteStyle.Single ? "'" : "\"";
        var callee = context.Model.ResolveCallee(data.Load) ?? "";
        var copy = callee.StartsWith("pandas.", StringComparison.Ordinal)
            ? $".assign(label=lambda frame: frame[{q}{column}{q}])"
            : $".map(lambda row: {{{q}label{q}: row[{q}{column}{q}]}})";
        var end = new Python.Text.TextRange(data.Load.End, data.Load.End);
        return new Fix($"Copy column '{column}' to 'label' where the data is loaded", Applicability.Unsafe, [context.Replace(end, copy)]);
    }
}
