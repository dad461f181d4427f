using System.Runtime.CompilerServices;
using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Rules.Metrics;

/// <summary>
/// A `compute_metrics` function of the file: its definition, its scope, the parameter the Trainer
/// passes the `EvalPrediction` in, and whether a `preprocess_logits_for_metrics` hook turns the
/// logits into something else before they arrive.
/// </summary>
public sealed class MetricsFunction(FunctionDef function, Scope scope, string parameter, bool predictionsPreprocessed)
{
    private const int MaxDepth = 16;

    public FunctionDef Function { get; } = function;

    public Scope Scope { get; } = scope;

    /// <summary>The `EvalPrediction` parameter (`eval_pred`, `p`, ...).</summary>
    public string Parameter { get; } = parameter;

    /// <summary>
    /// True when a Trainer that may call this function has `preprocess_logits_for_metrics=`: the
    /// predictions may already be class ids, so nothing is known about them.
    /// </summary>
    public bool PredictionsPreprocessed { get; } = predictionsPreprocessed;

    /// <summary>True when <paramref name="node"/> lies in the function's own body (not in a function nested in it).</summary>
    public bool Contains(SemanticModel model, Node node) =>
        Function.Start <= node.Start && node.End <= Function.End && ReferenceEquals(model.ScopeAt(node.Start), Scope);

    /// <summary>
    /// True when <paramref name="expr"/> is exactly the model's raw output as the Trainer passes it
    /// (`eval_pred.predictions`, `eval_pred[0]`, or the first name of `logits, labels = eval_pred`,
    /// through plain copies, and through `logits = logits[0]` for a model that returns a tuple), with
    /// nothing applied to it. Anything else (a call, a comparison, a name rebound to something else)
    /// is not known to be raw: false.
    /// </summary>
    public bool IsRawPredictions(SemanticModel model, Expr expr) => IsRaw(model, expr, 0);

    private bool IsRaw(SemanticModel model, Expr expr, int depth)
    {
        if (depth > MaxDepth || PredictionsPreprocessed)
        {
            return false;
        }

        switch (expr)
        {
            case AttributeExpr { Attr: "predictions" } a:
                return IsParameter(model, a.Value);
            case Subscript { Slice: Constant { Value: long index } } s when index == 0:
                return IsParameter(model, s.Value);
            case Name n:
            {
                // Every binding of the name up to this use must keep the raw predictions: the first
                // `logits, labels = eval_pred`, and at most the tuple unwrap `logits = logits[0]`.
                if (model.ResolveName(n) is not { } resolved || !ReferenceEquals(resolved.Scope, Scope))
                {
                    return false;
                }

                var bindings = Scope.GetBindings(n.Id).Where(b => b.Kind != BindingKind.Declaration && b.Position <= n.Start).ToList();
                return bindings.Count > 0 && bindings.Count <= 2 && bindings.All(b => KeepsRaw(model, b, depth)) &&
                       !IsTupleUnwrap(bindings[0]);
            }

            default:
                return false;
        }
    }

    private bool KeepsRaw(SemanticModel model, Binding binding, int depth)
    {
        if (binding.Kind is not (BindingKind.Assignment or BindingKind.AnnotatedAssignment))
        {
            return false;
        }

        if (binding.Value is { } value)
        {
            return IsTupleUnwrap(binding) || IsRaw(model, value, depth + 1);
        }

        // `logits, labels = eval_pred`: the first of two names unpacked from the EvalPrediction.
        return binding.Statement is Assign { Targets: [TupleExpr or List] } assign &&
               Elements(assign.Targets[0]) is [var first, _] && ReferenceEquals(first, binding.Node) &&
               IsParameter(model, assign.Value);
    }

    /// <summary>`logits = logits[0]`: the first element of a model output that came as a tuple.</summary>
    private static bool IsTupleUnwrap(Binding binding) =>
        binding.Value is Subscript { Slice: Constant { Value: long and 0 }, Value: Name self } && self.Id == binding.Name;

    private static NodeList<Expr>? Elements(Expr target) => target switch
    {
        TupleExpr t => t.Elts,
        List l => l.Elts,
        _ => (NodeList<Expr>?)null,
    };

    private bool IsParameter(SemanticModel model, Expr expr) =>
        expr is Name n && n.Id == Parameter && model.ResolveName(n) is { Kind: BindingKind.Parameter } b && ReferenceEquals(b.Scope, Scope);
}

/// <summary>
/// Finds the file's `compute_metrics` functions: every function passed as `compute_metrics=` to a
/// Trainer (directly, through `functools.partial`, or returned by a factory of the file), and — for a
/// function the file defines but does not pass (a module other scripts import) — one whose first
/// parameter is used as an `EvalPrediction` (`p.predictions`, `p.label_ids`, or unpacked into
/// predictions and labels) and that returns a dict. What the function is called does not matter.
/// </summary>
public static class ComputeMetricsFunctions
{
    private static readonly ConditionalWeakTable<SemanticModel, List<MetricsFunction>> Cache = new();

    public static IReadOnlyList<MetricsFunction> Of(SemanticModel model) => Cache.GetValue(model, Find);

    private static List<MetricsFunction> Find(SemanticModel model)
    {
        var result = new List<MetricsFunction>();
        if (!Symbols.Of(model).DoesMlWork)
        {
            return result;
        }

        var trainers = TrainerApi.Of(model);
        var passed = new Dictionary<FunctionDef, bool>();
        foreach (var trainer in trainers)
        {
            if (TrainerApi.Argument(model, trainer, "compute_metrics") is { } argument && FunctionOf(model, argument) is { } f)
            {
                var preprocessed = TrainerApi.Argument(model, trainer, "preprocess_logits_for_metrics") is not null || HasUnknownKwargs(trainer);
                passed[f] = (passed.TryGetValue(f, out var before) && before) || preprocessed;
            }
        }

        // A function shaped like a compute_metrics but not passed here may go to any Trainer of the file.
        var anyPreprocessed = trainers.Any(t => TrainerApi.Argument(model, t, "preprocess_logits_for_metrics") is not null || HasUnknownKwargs(t));
        foreach (var scope in model.Scopes)
        {
            if (scope is not { Kind: ScopeKind.Function, Node: FunctionDef function })
            {
                continue;
            }

            bool preprocessed;
            if (passed.TryGetValue(function, out var p))
            {
                preprocessed = p;
            }
            else if (FirstParameter(function) is { } candidate && UsedAsEvalPrediction(model, scope, function, candidate))
            {
                preprocessed = anyPreprocessed;
            }
            else
            {
                continue;
            }

            if (FirstParameter(function) is { } parameter)
            {
                result.Add(new MetricsFunction(function, scope, parameter, preprocessed));
            }
        }

        return result;
    }

    /// <summary>
    /// True when the parameter is read the way the Trainer's `EvalPrediction` is: `.predictions` /
    /// `.label_ids`, or unpacked into two names in a function that computes a metric or returns a dict.
    /// </summary>
    private static bool UsedAsEvalPrediction(SemanticModel model, Scope scope, FunctionDef function, string parameter)
    {
        var attribute = false;
        var unpacked = false;
        var reports = false;
        foreach (var node in Rules.Loops.SyntaxPath.DescendantsInScope(function))
        {
            switch (node)
            {
                case AttributeExpr { Attr: "predictions" or "label_ids", Value: Name n } when n.Id == parameter && IsParameterOf(model, scope, n):
                    attribute = true;
                    break;
                case Assign { Targets: [TupleExpr { Elts.Count: 2 } or List { Elts.Count: 2 }], Value: Name n } when n.Id == parameter && IsParameterOf(model, scope, n):
                    unpacked = true;
                    break;
                case Return { Value: Dict or DictComp }:
                    reports = true;
                    break;
                case Call c when Code.IsBuiltinCall(model, c, "dict") || MetricCalls.Match(model, c) is not null:
                    reports = true;
                    break;
            }
        }

        // `.predictions`/`.label_ids` are the EvalPrediction's own fields; a pair unpacked needs a metric or a dict to say so.
        return attribute || (unpacked && reports);
    }

    private static bool IsParameterOf(SemanticModel model, Scope scope, Name name) =>
        model.ResolveName(name) is { Kind: BindingKind.Parameter } b && ReferenceEquals(b.Scope, scope);

    private static bool HasUnknownKwargs(Call call) => call.Keywords.Any(k => k.Arg is null);

    private static string? FirstParameter(FunctionDef function)
    {
        var parameters = function.Args.PosOnlyArgs.Concat(function.Args.Args).ToList();
        // A method (`def compute_metrics(self, eval_pred)`) gets the EvalPrediction second.
        if (parameters.Count > 0 && parameters[0].Name == "self")
        {
            parameters.RemoveAt(0);
        }

        return parameters.Count > 0 ? parameters[0].Name : null;
    }

    private static FunctionDef? FunctionOf(SemanticModel model, Expr argument)
    {
        argument = Code.Unalias(model, argument);
        if (argument is Call partial && model.ResolveCallee(partial) == "functools.partial" && partial.Args.Count > 0)
        {
            argument = Code.Unalias(model, partial.Args[0]);
        }

        // `compute_metrics=make_metrics(tokenizer)`: the function a factory of the file returns.
        if (argument is Call { Func: Name factoryName } && model.ResolveName(factoryName) is { Kind: BindingKind.FunctionDefinition, Node: FunctionDef factory })
        {
            var returned = factory.Body.OfType<Return>().Select(r => r.Value).OfType<Name>().ToList();
            if (returned is [var inner] && model.ResolveName(inner) is { Kind: BindingKind.FunctionDefinition, Node: FunctionDef nested })
            {
                return nested;
            }

            return null;
        }

        return argument is Name n && model.ResolveName(n) is { Kind: BindingKind.FunctionDefinition, Node: FunctionDef f } ? f : null;
    }
}
