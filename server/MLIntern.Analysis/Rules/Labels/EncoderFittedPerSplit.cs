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
        `LabelEncoder().fit_transform(y_train)` and again `LabelEncoder().fit_transform(y_test)`,
        one encoder `fit` on the training split and then again on the test split,
        `pd.factorize` / `.factorize()` or `.astype("category").cat.codes` on each split, and
        `class_encode_column` on each split of a data set. Splits are recognised as parts of one
        `train_test_split`, `ds["train"]` / `ds["test"]`, or names such as `train_df` / `test_df`
        reading the same column.

        ## Why is this bad?
        Each encoding numbers the classes it sees. When a split lacks a class, or has them in a
        different order, every id after it shifts: "refund" is 3 in training and 2 in the test set.
        The model is then scored against the wrong answers, and the evaluation reports a number
        that has nothing to do with how good the model is.

        ## Example
        ```python
        y_train = LabelEncoder().fit_transform(train_df["intent"])
        y_test = LabelEncoder().fit_transform(test_df["intent"])
        ```

        ## Use instead
        ```python
        encoder = LabelEncoder().fit(train_df["intent"])
        y_train = encoder.transform(train_df["intent"])
        y_test = encoder.transform(test_df["intent"])
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

    private static readonly HashSet<string> EncoderClasses =
    [
        "sklearn.preprocessing.LabelEncoder", "sklearn.preprocessing.OrdinalEncoder", "sklearn.preprocessing.LabelBinarizer",
        "sklearn.preprocessing.MultiLabelBinarizer", "sklearn.preprocessing.OneHotEncoder",
    ];

    private static readonly string[] SplitWords = ["train", "test", "eval", "valid", "val", "dev", "holdout"];

    private static readonly HashSet<string> SplitKeys = ["train", "test", "validation", "valid", "eval", "dev"];

    public override RuleInfo Info => Rule;

    public override FixAvailability FixAvailability => FixAvailability.Sometimes;

    public override void Finish(ScriptContext context)
    {
        var model = context.Model;
        if (!Symbols.Of(model).DoesMlWork)
        {
            return;
        }

        var fits = new List<Fit>();
        foreach (var call in model.Calls)
        {
            if (Read(context, call) is { } fit)
            {
                fits.Add(fit);
            }
        }

        foreach (var node in new CategoryCodes(model).Found)
        {
            fits.Add(node);
        }

        fits.Sort((a, b) => a.Node.Start.CompareTo(b.Node.Start));
        for (var i = 1; i < fits.Count; i++)
        {
            var second = fits[i];
            // The encoding is defined by the first fit on this data; fitting again on the same split is not the bug.
            var first = fits.Take(i).FirstOrDefault(f => f.Kind == second.Kind && (OtherSplit(model, f.Data, second.Data) || SameSplit(f.Data, second.Data)));
            if (first is null || SameSplit(first.Data, second.Data))
            {
                continue;
            }

            var line = context.Source.GetLineColumn(first.Node.Start).Line;
            context.Report(
                this,
                $"{second.Description} is learned again on `{context.Text(second.Data.Whole)}` after `{context.Text(first.Data.Whole)}` (line {line}): each split numbers the labels its own way",
                second.Node,
                FixFor(context, first, second));
        }
    }

    /// <summary>One place where an encoding is learned, what kind, and the data it learns from.</summary>
    private sealed record Fit(string Kind, string Description, Node Node, SplitData Data, Binding? Encoder, Call? Call);

    /// <summary>Data as split/column: `train_df["intent"]` is root `train_df`, column `intent`; `ds["test"]` is root `ds`, split `test`.</summary>
    private sealed record SplitData(Expr Whole, Name Root, Binding? RootBinding, string? Split, string? Column);

    private static Fit? Read(ScriptContext context, Call call)
    {
        var model = context.Model;
        var method = Code.MethodName(call);
        if (method is "fit" or "fit_transform" && call.Args.Count > 0 && Code.Receiver(call) is { } receiver)
        {
            var (made, encoder) = receiver switch
            {
                Call c => (c, (Binding?)null),
                Name n when model.ResolveName(n) is { Value: Call c } b => (c, b),
                _ => (null, null),
            };
            if (made is not null && model.ResolveCallee(made) is { } cls && EncoderClasses.Contains(cls) && Split(model, call.Args[0]) is { } data)
            {
                return new Fit(cls, $"the {cls[(cls.LastIndexOf('.') + 1)..]}", call, data, encoder, call);
            }

            return null;
        }

        if (model.ResolveCallee(call) is "pandas.factorize" && call.Args.Count > 0 && Split(model, call.Args[0]) is { } values)
        {
            return new Fit("factorize", "the factorize encoding", call, values, null, null);
        }

        if (method == "factorize" && call.Args.Count == 0 && Code.Receiver(call) is { } series && Split(model, series) is { } own)
        {
            return new Fit("factorize", "the factorize encoding", call, own, null, null);
        }

        if (method == "class_encode_column" && call.Args.Count > 0 && Code.Receiver(call) is { } dataset &&
            model.EvaluateString(call.Args[0]) is { } column && Split(model, dataset) is { } ds)
        {
            return new Fit("class_encode_column", "the ClassLabel encoding", call, ds with { Column = column }, null, null);
        }

        return null;
    }

    /// <summary>Reads an expression as a split's column, or null when it is not rooted in a name.</summary>
    private static SplitData? Split(SemanticModel model, Expr whole)
    {
        string? column = null;
        string? split = null;
        var expr = whole;
        for (var depth = 0; depth < 8; depth++)
        {
            switch (expr)
            {
                case AttributeExpr { Attr: "values" } v:
                    expr = v.Value;
                    continue;
                case Call { Func: AttributeExpr { Attr: "tolist" or "to_numpy" or "to_list" or "astype" } f }:
                    expr = f.Value;
                    continue;
                case Subscript { Slice: var key, Value: var inner } when model.EvaluateString(key) is { } name:
                    if (SplitKeys.Contains(name) && split is null)
                    {
                        split = name;
                    }
                    else if (column is null && split is null)
                    {
                        column = name;
                    }
                    else
                    {
                        return null;
                    }

                    expr = inner;
                    continue;
                case AttributeExpr { Value: Name, Attr: var attr } a when column is null:
                    column = attr;
                    expr = a.Value;
                    continue;
                case Name root:
                    return new SplitData(whole, root, model.ResolveName(root), split, column);
                default:
                    return null;
            }
        }

        return null;
    }

    /// <summary>True when two pieces of data are the same column of two different splits of one data set.</summary>
    private static bool OtherSplit(SemanticModel model, SplitData a, SplitData b)
    {
        if (a.Column != b.Column)
        {
            return false;
        }

        var sameRoot = a.RootBinding is not null && ReferenceEquals(a.RootBinding, b.RootBinding);
        if (sameRoot)
        {
            // `ds["train"]` and `ds["test"]`.
            return a.Split is not null && b.Split is not null && a.Split != b.Split;
        }

        if (a.RootBinding is null || b.RootBinding is null || a.Split != b.Split)
        {
            return false;
        }

        // `X_train, X_test, y_train, y_test = train_test_split(...)`: parts of one split.
        if (a.RootBinding.Statement is Assign { Targets: [TupleExpr or List] } && ReferenceEquals(a.RootBinding.Statement, b.RootBinding.Statement))
        {
            return true;
        }

        // `train_df` and `test_df` reading the same column.
        return SplitWord(a.Root.Id) is { } wa && SplitWord(b.Root.Id) is { } wb && wa != wb &&
            a.Root.Id.Replace(wa, "", StringComparison.OrdinalIgnoreCase) == b.Root.Id.Replace(wb, "", StringComparison.OrdinalIgnoreCase);
    }

    private static bool SameSplit(SplitData a, SplitData b) =>
        a.Column == b.Column && a.Split == b.Split && a.RootBinding is not null && ReferenceEquals(a.RootBinding, b.RootBinding);

    private static string? SplitWord(string name) => SplitWords.FirstOrDefault(w => name.Contains(w, StringComparison.OrdinalIgnoreCase));

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

        public CategoryCodes(SemanticModel model)
        {
            _model = model;
            Visit(model.Tree);
        }

        public List<Fit> Found { get; } = [];

        public override void Visit(Node node)
        {
            if (node is AttributeExpr { Attr: "codes", Value: var owner })
            {
                var source = owner switch
                {
                    AttributeExpr { Attr: "cat", Value: Call { Func: AttributeExpr { Attr: "astype", Value: var data } } astype }
                        when astype.Args.Count == 1 && _model.EvaluateString(astype.Args[0]) == "category" => data,
                    Call { Args.Count: 1 } categorical when _model.ResolveCallee(categorical) is "pandas.Categorical" => categorical.Args[0],
                    _ => null,
                };
                if (source is not null && Split(_model, source) is { } data2)
                {
                    Found.Add(new Fit("category", "the category encoding", node, data2, null, null));
                }
            }

            VisitChildren(node);
        }
    }
}
