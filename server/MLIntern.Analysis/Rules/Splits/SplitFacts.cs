using System.Runtime.CompilerServices;
using MLIntern.Analysis.Rules.Metrics;
using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Rules.Splits;

/// <summary>
/// What the split rules ask of a file: is a value a Hugging Face `datasets` object (by the call it
/// was made from, method call by method call), and does the file seed the global random number
/// generators that unseeded splits fall back to.
/// </summary>
public static class SplitFacts
{
    private static readonly HashSet<string> DatasetMakers =
    [
        "datasets.load_dataset", "datasets.load_from_disk", "datasets.concatenate_datasets", "datasets.DatasetDict",
        "datasets.Dataset.from_pandas", "datasets.Dataset.from_dict", "datasets.Dataset.from_list", "datasets.Dataset.from_csv",
        "datasets.Dataset.from_json", "datasets.Dataset.from_parquet", "datasets.Dataset.from_generator",
    ];

    /// <summary>Calls that seed numpy's global generator (which sklearn and datasets splits fall back to).</summary>
    private static readonly HashSet<string> NumpySeeders =
    [
        "numpy.random.seed", "transformers.set_seed", "transformers.enable_full_determinism", "transformers.trainer_utils.set_seed",
        "accelerate.utils.set_seed", "lightning.seed_everything", "lightning.pytorch.seed_everything", "pytorch_lightning.seed_everything",
        "lightning.fabric.seed_everything",
    ];

    /// <summary>Calls that seed torch's global generator (which `random_split` falls back to).</summary>
    private static readonly HashSet<string> TorchSeeders =
    [
        "torch.manual_seed", "torch.random.manual_seed", "transformers.set_seed", "transformers.enable_full_determinism",
        "transformers.trainer_utils.set_seed", "accelerate.utils.set_seed", "lightning.seed_everything",
        "lightning.pytorch.seed_everything", "pytorch_lightning.seed_everything", "lightning.fabric.seed_everything",
    ];

    private static readonly ConditionalWeakTable<SemanticModel, HashSet<string>> Callees = new();

    /// <summary>True when <paramref name="expr"/> was made by a `datasets` loader, through names, `[split]` and method calls.</summary>
    public static bool IsDataset(SemanticModel model, Expr expr) =>
        Symbols.Of(model).Imports("datasets") &&
        Code.Chain(model, expr).LastOrDefault() is Call root && model.ResolveCallee(root) is { } callee && DatasetMakers.Contains(callee);

    /// <summary>True when the file seeds numpy's global generator anywhere.</summary>
    public static bool SeedsNumpy(SemanticModel model) => CalleesOf(model).Overlaps(NumpySeeders);

    /// <summary>True when the file seeds torch's global generator anywhere.</summary>
    public static bool SeedsTorch(SemanticModel model) => CalleesOf(model).Overlaps(TorchSeeders);

    /// <summary>
    /// True when two expressions are known to denote the same data: the same node once plain copies are
    /// followed (`eval_ds = train_ds`), names bound by the same binding, or the same `[key]` / `.attr` of the
    /// same data. Calls other than those plain copies are never assumed equal.
    /// </summary>
    public static bool SameData(SemanticModel model, Expr a, Expr b) => SameData(model, a, b, 0);

    private static bool SameData(SemanticModel model, Expr a, Expr b, int depth)
    {
        if (depth > 16)
        {
            return false;
        }

        a = Code.Unalias(model, a);
        b = Code.Unalias(model, b);
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a is Name x0 && b is Name y0 && x0.Id == y0.Id && model.ResolveName(x0) is { } same && ReferenceEquals(same, model.ResolveName(y0)))
        {
            return true;
        }

        // A name bound more than once stands for the value that reaches its use (a later cell or
        // line may rebind it).
        if (a is Name an && model.ReachingValue(an) is { } av)
        {
            return SameData(model, av, b, depth + 1);
        }

        if (b is Name bn && model.ReachingValue(bn) is { } bv)
        {
            return SameData(model, a, bv, depth + 1);
        }

        return (a, b) switch
        {
            (Name x, Name y) => x.Id == y.Id && model.ResolveName(x) is { } bx && ReferenceEquals(bx, model.ResolveName(y)),
            (Subscript x, Subscript y) => x.Slice is Constant { Value: var kx } && y.Slice is Constant { Value: var ky } &&
                                          Equals(kx, ky) && SameData(model, x.Value, y.Value, depth + 1),
            (AttributeExpr x, AttributeExpr y) => x.Attr == y.Attr && SameData(model, x.Value, y.Value, depth + 1),
            _ => false,
        };
    }

    private static HashSet<string> CalleesOf(SemanticModel model) => Callees.GetValue(model, m =>
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var call in m.Calls)
        {
            if (m.ResolveCallee(call) is { } callee)
            {
                set.Add(callee);
            }
        }

        return set;
    });
}
