using System.Runtime.CompilerServices;
using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Rules.Labels;

/// <summary>
/// Whether a script turns labels into integer ids anywhere: sklearn encoders, `pd.factorize`,
/// `.astype("category").cat.codes`, `datasets.ClassLabel` / `class_encode_column` / `cast_column`,
/// `np.unique(..., return_inverse=True)`, `.map(label2id)` / `.replace({...})` with a mapping, a lookup
/// in a label mapping (`label2id[x]`) or list (`labels.index(x)`). Any of these anywhere counts:
/// rules that need "never encoded" stay silent on the slightest sign of encoding.
/// </summary>
public static class LabelEncodingEvidence
{
    private static readonly ConditionalWeakTable<SemanticModel, StrongBox<bool>> Cache = new();

    private static readonly HashSet<string> Encoders =
    [
        "sklearn.preprocessing.LabelEncoder", "sklearn.preprocessing.OrdinalEncoder", "sklearn.preprocessing.LabelBinarizer",
        "sklearn.preprocessing.OneHotEncoder", "sklearn.preprocessing.MultiLabelBinarizer", "pandas.factorize", "pandas.get_dummies",
        "pandas.Categorical", "datasets.ClassLabel", "datasets.features.ClassLabel", "keras.layers.StringLookup",
        "tensorflow.keras.layers.StringLookup",
    ];

    private static readonly HashSet<string> EncodingMethods =
    [
        "factorize", "class_encode_column", "cast_column", "str2int", "align_labels_with_mapping", "get_dummies", "fit_transform",
    ];

    private static readonly string[] MappingWords = ["2id", "2idx", "label", "class", "_to_id", "_to_idx", "mapping", "map", "encod", "vocab"];

    public static bool Any(SemanticModel model) => Cache.GetValue(model, m => new StrongBox<bool>(new Finder(m).Found)).Value;

    private sealed class Finder : SyntaxWalker
    {
        private readonly SemanticModel _model;

        public Finder(SemanticModel model)
        {
            _model = model;
            Visit(model.Tree);
        }

        public bool Found { get; private set; }

        public override void Visit(Node node)
        {
            if (Found)
            {
                return;
            }

            if (Encodes(node))
            {
                Found = true;
                return;
            }

            VisitChildren(node);
        }

        private bool Encodes(Node node)
        {
            switch (node)
            {
                case Call call:
                {
                    if (_model.ResolveCallee(call) is { } callee &&
                        (Encoders.Contains(callee) || callee == "numpy.unique" && call.Keywords.Any(k => k.Arg == "return_inverse")))
                    {
                        return true;
                    }

                    var method = Code.MethodName(call);
                    if (method is not null && EncodingMethods.Contains(method))
                    {
                        return true;
                    }

                    // `series.map(label2id)`, `series.replace({"a": 0})`, `series.apply(label2id.get)`.
                    if (method is "map" or "replace" or "apply" && call.Args.Count > 0 && IsMapping(call.Args[0]))
                    {
                        return true;
                    }

                    // `labels.index(x)`: a position in a label list is an id.
                    return method == "index" && Code.Receiver(call) is Name receiver && SaysMapping(receiver.Id);
                }

                case AttributeExpr { Attr: "codes", Value: AttributeExpr { Attr: "cat" } }:
                    return true;
                case Subscript { Ctx: ExprContext.Load, Value: Name mapping }:
                    return IsMapping(mapping) && SaysMapping(mapping.Id) || _model.ReachingValue(mapping) is DictComp;
                default:
                    return false;
            }
        }

        private bool IsMapping(Expr expr) => expr switch
        {
            Dict or DictComp => true,
            AttributeExpr { Attr: "get" or "__getitem__", Value: var inner } => IsMapping(inner),
            Name n => SaysMapping(n.Id) || _model.ReachingValue(n) is Dict or DictComp || _model.ReachingValue(n) is { } v && Code.IsBuiltinCall(_model, v, "dict"),
            _ => false,
        };

        private static bool SaysMapping(string name) => MappingWords.Any(w => name.Contains(w, StringComparison.OrdinalIgnoreCase));
    }
}
