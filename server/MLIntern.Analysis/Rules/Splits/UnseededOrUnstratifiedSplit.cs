using MLIntern.Analysis.Findings;
using MLIntern.Analysis.Rules.Metrics;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Rules.Splits;

/// <summary>MLI303: a train/test split without a fixed seed, or without stratification on a classification label.</summary>
public sealed class UnseededOrUnstratifiedSplit : ScriptRule
{
    public static readonly RuleInfo Rule = new(
        "MLI303",
        "unseeded-or-unstratified-split",
        Severity.Warning,
        "split without a fixed seed, or without stratify on a classification label",
        """
        ## What it does
        Finds train/test splits that differ from run to run:
        - scikit-learn's `train_test_split` without `random_state=`,
        - `datasets`' `Dataset.train_test_split` without `seed=` (or `generator=`) — on a data set the
          file loads, or on what a helper made from one (`sample_per_class(ds, 8)`, a loop over its items),
        - `torch.utils.data.random_split` without `generator=`,

        unless the file seeds the global generator the split falls back to (`np.random.seed`,
        `transformers.set_seed`, `torch.manual_seed`, `seed_everything`), or the split does not shuffle.

        It also finds splits of a classification data set without stratification: `train_test_split`
        of a label column (the data set's label column, or a column named `label`/`labels`, also once
        encoded: `.cat.codes`, `LabelEncoder().fit_transform(...)`, `pd.factorize(...)[0]`) or of a
        whole data frame whose data set has a label column, without `stratify=`; and `datasets`
        splits without `stratify_by_column=` after the label column was made a `ClassLabel`
        (`class_encode_column`, `cast_column(..., ClassLabel(...))`).

        ## Why is this bad?
        Without a seed, every run trains and tests on different examples: two runs of the same code
        give different scores, a change that "improved" the score may have only drawn an easier test
        set, and no result can be reproduced. Without stratification, a random split of a data set with
        rare classes can leave a class out of the test set (or out of training altogether), and the
        class proportions differ between the splits.

        ## Example
        ```python
        train_df, test_df = train_test_split(df, test_size=0.2)
        ```

        ## Use instead
        ```python
        train_df, test_df = train_test_split(df, test_size=0.2, random_state=42, stratify=df["intent"])
        ```

        ## Fix safety
        Adding the seed (`random_state=42`, `seed=42`, `generator=torch.Generator().manual_seed(42)`) is
        safe: the split stays a random split of the same size, now the same one on every run.
        Adding `stratify=` is unsafe: the split changes, and scikit-learn raises when a class has a single
        example ("The least populated class in y has only 1 member, which is too few").

        ## Error without the fix
        No error: the scores move between runs by more than most of the changes being compared, and a
        rare class may be missing from the test set, so its errors are never measured (its row of the
        classification report reads 0 support).
        """);

    private const string SklearnSplit = "sklearn.model_selection.train_test_split";
    private const string TorchSplit = "torch.utils.data.random_split";

    public override RuleInfo Info => Rule;

    public override FixAvailability FixAvailability => FixAvailability.Sometimes;

    public override IReadOnlyList<Type> NodeTypes => [typeof(Call)];

    public override void Visit(Node node, ScriptContext context)
    {
        var call = (Call)node;
        var model = context.Model;
        // An unknown `**kwargs` may carry the seed; a literal dict is read through.
        if (call.Keywords.Any(k => k.Arg is null && Code.Unalias(model, k.Value) is not (Dict or Call { Func: Name { Id: "dict" } })))
        {
            return;
        }

        switch (model.ResolveCallee(call))
        {
            case SklearnSplit or "sklearn.cross_validation.train_test_split":
                CheckSklearn(call, context);
                return;
            case TorchSplit:
                CheckTorch(call, context);
                return;
        }

        if (call.Func is AttributeExpr { Attr: "train_test_split" } method && (SplitFacts.IsDataset(model, method.Value) || MadeFromDataset(model, method.Value, 0)))
        {
            CheckDatasets(call, method.Value, context);
        }
    }

    /// <summary>
    /// True for data a helper made from a data set the file loads: the result of a call given one
    /// (`sample_per_class(ds, shots)`), or the items of a loop over such a result or its `.items()` /
    /// `.values()` (one sample per shot count). A sampler's output is a data set of the same kind.
    /// </summary>
    private static bool MadeFromDataset(Python.Semantics.SemanticModel model, Expr expr, int depth)
    {
        if (depth > 4 || !Symbols.Of(model).Imports("datasets"))
        {
            return false;
        }

        switch (expr)
        {
            case Name n when model.ResolveName(n) is { Kind: Python.Semantics.BindingKind.ForTarget, Statement: For loop }:
                var source = loop.Iter;
                while (source is Call { Args: [var inner, ..] } wrapper && (Symbols.Of(model).Canonical(wrapper.Func) is "enumerate" or "list" or "sorted" or "tuple" ||
                       Symbols.Of(model).Canonical(wrapper.Func)?.StartsWith("tqdm", StringComparison.Ordinal) == true))
                {
                    // `enumerate(d.items())`, `tqdm(...)`: the same items.
                    source = inner;
                }

                source = source is Call { Func: AttributeExpr { Attr: "items" or "values", Value: var mapping }, Args.Count: 0 } ? mapping : source;
                return MadeFromDataset(model, source, depth + 1);
            case Name n when model.ReachingValue(n) is { } value && !ReferenceEquals(value, n):
                return MadeFromDataset(model, value, depth + 1);
            case Call call when call.Func is Name or AttributeExpr && Symbols.Of(model).Canonical(call.Func) is { } callee && !callee.StartsWith("datasets.", StringComparison.Ordinal):
                return call.Args.Concat(call.Keywords.Select(k => k.Value)).Any(a => SplitFacts.IsDataset(model, a));
            default:
                return false;
        }
    }

    private void CheckSklearn(Call call, ScriptContext context)
    {
        var model = context.Model;
        if (model.GetArgument(call, "shuffle") is { } shuffle && model.TryEvaluate(shuffle, out var s) && s is false)
        {
            return;
        }

        if (IsMissing(context, "random_state", call) && !SplitFacts.SeedsNumpy(model))
        {
            context.Report(
                this,
                "`train_test_split` without `random_state=`: every run splits differently, so scores cannot be compared or reproduced",
                call.Func,
                Fix.Create("Add `random_state=42`", Applicability.Safe, CodeEdits.SetKeyword(context, call, "random_state", "42")));
        }

        if (IsMissing(context, "stratify", call) && call.Args.Count > 0 && !call.Args.Any(a => a is Starred) && Label(call, context) is { } label)
        {
            context.Report(
                this,
                $"`train_test_split` without `stratify=` on a classification label ({label.Source}): a random split can leave rare classes out of the test set",
                label.At,
                Fix.Create($"Add `stratify={label.Text}` (unsafe: the split changes; a class with one example makes it raise)", Applicability.Unsafe,
                    CodeEdits.SetKeyword(context, call, "stratify", label.Text)));
        }
    }

    private void CheckDatasets(Call call, Expr dataset, ScriptContext context)
    {
        var model = context.Model;
        if (model.GetArgument(call, "shuffle") is { } shuffle && model.TryEvaluate(shuffle, out var s) && s is false)
        {
            return;
        }

        if (IsMissing(context, "seed", call) && model.GetArgument(call, "generator") is null && !SplitFacts.SeedsNumpy(model))
        {
            context.Report(
                this,
                "`train_test_split` without `seed=`: every run splits differently, so scores cannot be compared or reproduced",
                call.Func,
                Fix.Create("Add `seed=42`", Applicability.Safe, CodeEdits.SetKeyword(context, call, "seed", "42")));
        }

        if (IsMissing(context, "stratify_by_column", call) && ClassLabelColumn(dataset, context) is { } column)
        {
            var quote = CodeEdits.QuoteOf(context, column.Literal);
            var value = $"{quote}{column.Name}{quote}";
            var text = $"stratify_by_column={value}";
            context.Report(
                this,
                $"`train_test_split` without `stratify_by_column=`: `{column.Name}` is a ClassLabel column, and a random split can leave rare classes out of the test set",
                call,
                Fix.Create($"Add `{text}` (unsafe: the split changes)", Applicability.Unsafe, CodeEdits.SetKeyword(context, call, "stratify_by_column", value)));
        }
    }

    private void CheckTorch(Call call, ScriptContext context)
    {
        var model = context.Model;
        if (model.GetArgument(call, "generator", 2) is not null || SplitFacts.SeedsTorch(model))
        {
            return;
        }

        var torch = model.GlobalScope.Bindings
            .Where(b => b.Value is [{ Kind: Python.Semantics.BindingKind.Import, QualifiedName: "torch", IsUnconditional: true }])
            .Select(b => b.Key)
            .FirstOrDefault();
        var fix = torch is null
            ? null
            : Fix.Create($"Add `generator={torch}.Generator().manual_seed(42)`", Applicability.Safe, CodeEdits.AddKeyword(context, call, $"generator={torch}.Generator().manual_seed(42)"));
        context.Report(this, "`random_split` without `generator=`: every run splits differently, so scores cannot be compared or reproduced", call.Func, fix);
    }

    /// <summary>True when a parameter is absent or literally None (a `**` dict literal counts as present).</summary>
    private static bool IsMissing(ScriptContext context, string parameter, Call call) =>
        context.Model.GetArgument(call, parameter) is not { } value || value is Constant { Value: null };

    /// <param name="At">Where to report: the label argument, or the data frame split whole.</param>
    private sealed record LabelFact(string Text, string Source, Expr At);

    /// <summary>The label the split could stratify on: a label column among the arrays, or the label column of a whole data frame.</summary>
    private static LabelFact? Label(Call call, ScriptContext context)
    {
        var model = context.Model;
        var datasets = DatasetLoads.All(context);
        foreach (var argument in call.Args)
        {
            if (Column(Code.Unalias(model, argument), context) is { } column)
            {
                var fact = datasets.FirstOrDefault(d => d.Info.LabelColumn == column && d.Info.ClassCount > 1);
                if (fact is not null)
                {
                    return new LabelFact(context.Text(argument), $"{fact.DisplayPath} has {fact.Info.ClassCount} classes in column `{column}`", argument);
                }

                if (column is not "label_ids" && LabelColumnUse.TrainerLabelNames.Contains(column))
                {
                    return new LabelFact(context.Text(argument), $"column `{column}`", argument);
                }
            }
        }

        // A whole data frame loaded from a data set whose label column is known.
        if (call.Args[0] is Name frame && Code.Chain(model, frame).LastOrDefault() is Call root &&
            datasets.FirstOrDefault(d => ReferenceEquals(d.Load, root)) is { Info: { LabelColumn: { } label, ClassCount: > 1 } } loaded)
        {
            var quote = CodeEdits.Quote(context);
            return new LabelFact($"{frame.Id}[{quote}{label}{quote}]", $"{loaded.DisplayPath} has {loaded.Info.ClassCount} classes in column `{label}`", frame);
        }

        return null;
    }

    /// <summary>
    /// "intent" for `df["intent"]` and for encodings that keep one value per row: `.values`, `.tolist()`,
    /// `.to_numpy()`, `.astype("category").cat.codes`, `.map(mapping)`, `LabelEncoder().fit_transform(...)`,
    /// `pd.factorize(...)[0]`, through names bound once.
    /// </summary>
    private static string? Column(Expr expr, ScriptContext context)
    {
        var model = context.Model;
        for (var depth = 0; depth < 16; depth++)
        {
            expr = Code.Unalias(model, expr);
            switch (expr)
            {
                case Subscript { Slice: Constant { Value: string column } } s when IsFrame(s.Value, context):
                    return column;
                case AttributeExpr { Attr: "values" or "codes" or "cat" } a:
                    expr = a.Value;
                    break;
                case Call { Func: AttributeExpr { Attr: "tolist" or "to_numpy" or "to_list" or "astype" or "map" } method } c when model.ResolveCallee(c) is null:
                    expr = method.Value;
                    break;
                case Call { Func: AttributeExpr { Attr: "fit_transform" } encoder } c when c.Args.Count == 1 &&
                    Code.Chain(model, encoder.Value).LastOrDefault() is Call make &&
                    model.ResolveCallee(make) is "sklearn.preprocessing.LabelEncoder":
                    expr = c.Args[0];
                    break;
                case Subscript { Slice: Constant { Value: long and 0 }, Value: Call factorize } when
                    model.ResolveCallee(factorize) is "pandas.factorize" && factorize.Args.Count > 0:
                    expr = factorize.Args[0];
                    break;
                default:
                    return null;
            }
        }

        return null;
    }

    /// <summary>A data frame from a pandas reader (through names, filters and method calls).</summary>
    private static bool IsFrame(Expr expr, ScriptContext context) =>
        Code.Chain(context.Model, expr).LastOrDefault() is Call root && context.Model.ResolveCallee(root) is { } callee &&
        callee.StartsWith("pandas.", StringComparison.Ordinal);

    private sealed record ClassLabelColumnFact(string Name, Constant Literal);

    /// <summary>The column a `datasets` chain made a ClassLabel: `class_encode_column("intent")` or `cast_column("intent", ClassLabel(...))`.</summary>
    private static ClassLabelColumnFact? ClassLabelColumn(Expr dataset, ScriptContext context)
    {
        var model = context.Model;
        foreach (var step in Code.Chain(model, dataset))
        {
            if (step is not Call { Func: AttributeExpr method } call)
            {
                continue;
            }

            var column = method.Attr switch
            {
                "class_encode_column" => model.GetArgument(call, "column", 0),
                "cast_column" when model.GetArgument(call, "feature", 1) is Call feature &&
                                   model.ResolveCallee(feature) is "datasets.ClassLabel" or "datasets.features.ClassLabel" => model.GetArgument(call, "column", 0),
                _ => null,
            };
            if (column is Constant { Value: string name } literal)
            {
                return new ClassLabelColumnFact(name, literal);
            }
        }

        return null;
    }
}
