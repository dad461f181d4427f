using System.Runtime.CompilerServices;
using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Rules.Labels;

/// <summary>
/// Whether a script turns labels into integer ids anywhere, read from what the code does, never
/// from what its variables are called: an encoder or encoding call of the libraries (<see
/// cref="Api.LabelEncoderClasses"/>, <see cref="Api.ValueEncoders"/>, <see cref="Api.EncodingMethods"/>,
/// `np.unique(..., return_inverse=True)`, `.astype("category").cat.codes`), a mapping applied to label
/// data (`df["intent"].map(m)`, `.replace({...})`), or a lookup by a label (`m[label]`, `m.get(label)`,
/// `names.index(label)`, where the label comes from the label column — <see cref="LabelValues"/>).
/// Any of these anywhere counts: rules that need "never encoded" stay silent on the slightest sign of encoding.
/// </summary>
public static class LabelEncodingEvidence
{
    private static readonly ConditionalWeakTable<ScriptContext, StrongBox<bool>> Cache = new();

    public static bool Any(ScriptContext context) => Cache.GetValue(context, c => new StrongBox<bool>(new Finder(c).Found)).Value;

    private sealed class Finder : SyntaxWalker
    {
        private readonly SemanticModel _model;
        private readonly Symbols _symbols;
        private readonly LabelValues _labels;

        public Finder(ScriptContext context)
        {
            _model = context.Model;
            _symbols = Symbols.Of(context.Model);
            _labels = LabelValues.Of(context);
            Visit(_model.Tree);
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
                    if (_symbols.Callee(call) is { } callee &&
                        (Api.LabelEncoderClasses.Contains(callee) || Api.ValueEncoders.Contains(callee) ||
                         callee == "numpy.unique" && call.Keywords.Any(k => k.Arg == "return_inverse")))
                    {
                        return true;
                    }

                    var method = Code.MethodName(call);
                    if (method is null || _symbols.Callee(call) is not null)
                    {
                        return false;
                    }

                    if (Api.EncodingMethods.Contains(method))
                    {
                        return true;
                    }

                    // `df["intent"].map(m)`, `.replace({"a": 0})`, `.apply(m.get)`: a lambda or a function of the file is read where its body looks labels up.
                    if (method is "map" or "replace" or "apply" && call.Args.Count > 0 && Code.Receiver(call) is { } receiver &&
                        _labels.IsLabelData(receiver) && IsMapping(call.Args[0]))
                    {
                        return true;
                    }

                    // `names.index(label)`, `m.get(label)`: a position in, or a value of, a collection looked up by a label is an id.
                    return method is "index" or "get" && call.Args.Count > 0 && _labels.IsLabelData(call.Args[0]);
                }

                case AttributeExpr { Attr: "codes", Value: AttributeExpr { Attr: "cat" } }:
                    return true;
                case Subscript { Ctx: ExprContext.Load, Slice: var key } lookup when key is not Constant:
                    // `m[label]` with a label of the label column (not a column read `df["intent"]`).
                    return _labels.IsLabelData(key) && !_labels.IsLabelData(lookup.Value);
                default:
                    return false;
            }
        }

        /// <summary>What `.map(...)` is given, when it may be a mapping: not a lambda, a function of the file, or a library function.</summary>
        private bool IsMapping(Expr expr) => expr switch
        {
            Lambda => false,
            Name n when _model.ResolveName(n) is null or { Kind: BindingKind.FunctionDefinition or BindingKind.Import or BindingKind.FromImport } => false,
            AttributeExpr when _symbols.Canonical(expr) is not null => false,
            _ => true,
        };
    }
}
