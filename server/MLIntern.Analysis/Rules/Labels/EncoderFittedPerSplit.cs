using MLIntern.Analysis.Findings;
using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Rules.Labels;

/// <summary>MLI104: a label encoding learned separately on each split, so one label gets different ids.</summary>
public sealed class EncoderFittedPerSplit : ScriptRule
{
    public static readonly RuleInfo Rule = new(
        "MLI104",
        "encoder-fitted-per-split",
        Severity.Error,
        "label encoder / ClassLabel / mapping fitted separately on each split",
        """
        ## What it does
        Finds a label encoding learned more than once, once per split of the same data:
        `LabelEncoder().fit_transform(...)` on the training part and again on the test part, one
        encoder `fit` on one split and then on another, `pd.factorize` / `.factorize()` or
        `.astype("category").cat.codes` on each split, and `class_encode_column` on each split of a
        data set. Which data is a split is read from the code, never from a variable's name: the
        same column of two parts of one `train_test_split` (through aliases and the file's own
        functions), of a data set's named splits (`ds["train"]` / `ds["test"]`, a `DatasetDict`, datasets'
        `train_test_split`), of `df.sample(...)` and the rows `df.drop(part.index)` leaves, or of two
        data sets whose roles differ (`split="train"` and `split="test"`, `train.csv` and
        `test.csv`). Two names for the same data are one split; data of unknown origin is not checked.

        ## Why is this bad?
        Each encoding numbers the classes it sees. When a split lacks a class, or has them in a
        different order, every id after it shifts: "refund" is 3 in training and 2 in the test set.
        The model is then scored against the wrong answers, and the evaluation reports a number
        that has nothing to do with how good the model is.

        ## Example
        ```python
        a, b = train_test_split(df, test_size=0.2)
        y_a = LabelEncoder().fit_transform(a["intent"])
        y_b = LabelEncoder().fit_transform(b["intent"])
        ```

        ## Use instead
        ```python
        encoder = LabelEncoder().fit(df["intent"])
        y_a = encoder.transform(a["intent"])
        y_b = encoder.transform(b["intent"])
        ```

        ## Fix safety
        Offered for scikit-learn encoders when an encoder already fitted on the first split is in
        scope: the second `fit_transform` becomes that encoder's `transform`. Unsafe: `transform`
        raises on a label the first split never had, which is the truth the old code hid.

        ## Error without the fix
        No error. The test accuracy is wrong, often far below what the model does: e.g.
        `accuracy 0.07` on 16 classes for a model that is 0.90 accurate, because the test
        labels are numbered differently from the training labels. When both splits have exactly
        the same classes the ids happen to agree, so the bug appears only with some splits.
        """);

    public override RuleInfo Info => Rule;

    public override FixAvailability FixAvailability => FixAvailability.Sometimes;

    public override void Finish(ScriptContext context)
    {
        var model = context.Model;
        if (!Symbols.Of(model).DoesMlWork)
        {
            return;
        }

        var parts = DataParts.Of(context);
        var fits = new List<Fit>();
        foreach (var call in model.Calls)
        {
            if (Read(context, parts, call) is { } fit)
            {
                fits.Add(fit);
            }
        }

        fits.AddRange(new CategoryCodes(model, parts).Found);
        fits.Sort((a, b) => a.Node.Start.CompareTo(b.Node.Start));
        var roles = DataRoles.Of(context);
        for (var i = 1; i < fits.Count; i++)
        {
            var second = fits[i];

            // The encoding is defined by the first fit on this data; fitting again on the same data is not the bug.
            Fit? first = null;
            string? reason = null;
            foreach (var earlier in fits.Take(i).Where(f => f.Kind == second.Kind))
            {
                if (earlier.Data.SameData(second.Data))
                {
                    break;
                }

                if ((reason = OtherSplit(roles, earlier, second)) is not null)
                {
                    first = earlier;
                    break;
                }
            }

            if (first is null || reason is null)
            {
                continue;
            }

            var line = context.Source.GetLineColumn(first.Node.Start).Line;
            context.Report(
                this,
                $"{second.Description} is learned again on `{context.Text(second.Expression)}` after `{context.Text(first.Expression)}` (line {line}), {reason}: each split numbers the labels its own way",
                second.Node,
                FixFor(context, first, second));
        }
    }

    /// <summary>One place where an encoding is learned, what kind, and the data it learns from.</summary>
    private sealed record Fit(string Kind, string Description, Node Node, Expr Expression, DataPiece Data, Binding? Encoder, Call? Call);

    /// <summary>
    /// Why two fits are on different splits of the same data, or null: the same column of two parts
    /// of one split, or of data whose roles (<see cref="DataRoles"/>) differ.
    /// </summary>
    private static string? OtherSplit(DataRoles roles, Fit a, Fit b)
    {
        if (a.Data.OtherPartOf(b.Data))
        {
            return $"two parts of {a.Data.Evidence}";
        }

        // Two data sets in different roles (`split="train"` and `split="test"`, train.csv and test.csv), the same column of
        // each. Parts of the script's own splits are compared by the split they come from, above.
        if (ReferenceEquals(a.Data.Source, b.Data.Source) || a.Data.Part is not null || b.Data.Part is not null ||
            a.Data.Column is null || a.Data.Column != b.Data.Column)
        {
            return null;
        }

        return RoleOf(roles, a) is { } ra && RoleOf(roles, b) is { } rb && ra.Role != rb.Role
            ? $"{ra.Evidence} and {rb.Evidence}"
            : null;
    }

    /// <summary>The role of the data a fit reads, else of the data set it was read from.</summary>
    private static DataRole? RoleOf(DataRoles roles, Fit fit) =>
        roles.RoleOf(fit.Expression) ?? (fit.Data.Source is Expr source ? roles.RoleOf(source) : null);

    private static Fit? Read(ScriptContext context, DataParts parts, Call call)
    {
        var model = context.Model;
        var symbols = Symbols.Of(model);
        var method = Code.MethodName(call);
        if (method is "fit" or "fit_transform" && call.Args.Count > 0 && call.Args[0] is not Starred && Code.Receiver(call) is { } receiver)
        {
            var (made, encoder) = receiver switch
            {
                Call c => (c, (Binding?)null),
                Name n when model.ResolveName(n) is { Value: Call c } b => (c, b),
                _ => (null, null),
            };
            if (made is not null && symbols.Callee(made) is { } cls && Api.LabelEncoderClasses.Contains(cls) && parts.PieceOf(call.Args[0]) is { } data)
            {
                return new Fit(cls, $"the {cls[(cls.LastIndexOf('.') + 1)..]}", call, call.Args[0], data, encoder, call);
            }

            return null;
        }

        if (symbols.Callee(call) is "pandas.factorize" && call.Args.Count > 0 && call.Args[0] is not Starred && parts.PieceOf(call.Args[0]) is { } values)
        {
            return new Fit("factorize", "the factorize encoding", call, call.Args[0], values, null, null);
        }

        if (method == "factorize" && call.Args.Count == 0 && symbols.Callee(call) is null && Code.Receiver(call) is { } series && parts.PieceOf(series) is { } own)
        {
            return new Fit("factorize", "the factorize encoding", call, series, own, null, null);
        }

        if (method == "class_encode_column" && call.Args.Count > 0 && Code.Receiver(call) is { } dataset &&
            model.EvaluateString(call.Args[0]) is { } column && parts.PieceOf(dataset) is { HasSplits: false, Column: null } ds)
        {
            return new Fit("class_encode_column", "the ClassLabel encoding", call, dataset, ds with { Column = column }, null, null);
        }

        return null;
    }

    /// <summary>`LabelEncoder().fit_transform(y_test)` or `le.fit_transform(y_test)` → `le.transform(y_test)` with the encoder fitted first.</summary>
    private static Fix? FixFor(ScriptContext context, Fit first, Fit second)
    {
        if (first.Encoder is not { } encoder || second.Call is not { Func: AttributeExpr { Attr: "fit_transform" } method } ||
            !ReferenceEquals(context.Model.LookupAt(encoder.Name, second.Node.Start), encoder) && !ReferenceEquals(second.Encoder, encoder))
        {
            return null;
        }

        return new Fix(
            $"Use `{encoder.Name}.transform`, the encoder fitted on the first split (raises on labels that split lacks)",
            Applicability.Unsafe,
            [context.Replace(method.Range, $"{encoder.Name}.transform")]);
    }

    /// <summary>`x.astype("category").cat.codes` and `pd.Categorical(x).codes`.</summary>
    private sealed class CategoryCodes : SyntaxWalker
    {
        private readonly SemanticModel _model;
        private readonly DataParts _parts;

        public CategoryCodes(SemanticModel model, DataParts parts)
        {
            _model = model;
            _parts = parts;
            Visit(model.Tree);
        }

        public List<Fit> Found { get; } = [];

        public override void Visit(Node node)
        {
            if (node is AttributeExpr { Attr: "codes", Value: var owner })
            {
                var source = owner switch
                {
                    AttributeExpr { Attr: "cat", Value: Call { Func: AttributeExpr { Attr: "astype", Value: var encoded } } astype }
                        when astype.Args.Count == 1 && _model.EvaluateString(astype.Args[0]) == "category" => encoded,
                    Call { Args.Count: 1 } categorical when Symbols.Of(_model).Callee(categorical) is "pandas.Categorical" && categorical.Args[0] is not Starred => categorical.Args[0],
                    _ => null,
                };
                if (source is not null && _parts.PieceOf(source) is { } piece)
                {
                    Found.Add(new Fit("category", "the category encoding", node, source, piece, null, null));
                }
            }

            VisitChildren(node);
        }
    }
}
