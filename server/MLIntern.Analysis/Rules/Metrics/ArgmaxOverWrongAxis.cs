using MLIntern.Analysis.Findings;
using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Rules.Metrics;

/// <summary>MLI202: an argmax of logits over the batch axis, or over the flattened array.</summary>
public sealed class ArgmaxOverWrongAxis : ScriptRule
{
    public static readonly RuleInfo Rule = new(
        "MLI202",
        "argmax-over-wrong-axis",
        Severity.Error,
        "argmax over the wrong axis",
        """
        ## What it does
        Finds `np.argmax`, `torch.argmax` and the `.argmax()` method applied to logits — the raw
        predictions a `compute_metrics` function receives, or a model output's `.logits` — over axis 0
        (`axis=0`, `dim=0`, `.argmax(0)`), or with no axis at all.

        An argmax without an axis whose result goes straight to `.item()` or `int(...)` is not flagged:
        that is the single-example idiom (`logits.argmax().item()` on a batch of one).

        ## Why is this bad?
        Logits have the shape `(examples, classes)` (or `(examples, tokens, classes)`). Axis 0 is the
        batch: the argmax over it answers "which example scores highest for each class", an array of
        `classes` example indices instead of one class per example. Without an axis, numpy and torch
        flatten the array and return a single index into it.

        ## Example
        ```python
        predictions = np.argmax(logits, axis=0)
        ```

        ## Use instead
        ```python
        predictions = np.argmax(logits, axis=-1)
        ```

        ## Fix safety
        Unsafe: the fix takes the argmax over the last axis (`axis=-1`, or `dim=-1` for torch), the
        class axis of every classification head; code that really wanted another axis needs a different
        change.

        ## Error without the fix
        In `compute_metrics` with scikit-learn:
        ```
        ValueError: Found input variables with inconsistent numbers of samples: [872, 2]
        ```
        In a loop that compares the predictions with the labels (`(preds == labels).sum()`), no error on
        a shape that broadcasts: the accuracy is computed from the wrong numbers and reads close to 0
        or to the share of one class.
        """);

    public override RuleInfo Info => Rule;

    public override FixAvailability FixAvailability => FixAvailability.Sometimes;

    public override void Finish(ScriptContext context)
    {
        var model = context.Model;

        // A Trainer's compute_metrics gets numpy arrays whether or not the file imports numpy.
        var functions = ComputeMetricsFunctions.Of(model);
        if (functions.Count == 0 && !Symbols.Of(model).Imports("torch"))
        {
            return;
        }

        var parents = (Dictionary<Call, Node>?)null;
        foreach (var call in model.Calls)
        {
            if (Argmax(model, call) is not { } argmax)
            {
                continue;
            }

            var source = functions.Any(f => f.Contains(model, call) && f.IsRawPredictions(model, argmax.Input)) ? "numpy"
                : IsModelLogits(model, argmax.Input) ? "torch"
                : null;
            if (source is null || call.Keywords.Any(k => k.Arg is null) || call.Args.Any(a => a is Starred))
            {
                continue;
            }

            var axisName = argmax.Library == "torch" || (argmax.Library == "method" && source == "torch") ? "dim" : "axis";
            if (argmax.Axis is null || argmax.Axis is Constant { Value: null })
            {
                parents ??= Parents(model);
                if (IsScalarized(model, call, parents))
                {
                    continue;
                }

                context.Report(
                    this,
                    $"`{context.Text(call.Func)}` without `{axisName}=` flattens the logits and returns one index into them, not a class per example",
                    call,
                    Fix.Create($"Add `{axisName}=-1`, the class axis (unsafe: assumes classes are the last axis)", Applicability.Unsafe, argmax.Axis is null ? CodeEdits.AddKeyword(context, call, $"{axisName}=-1") : context.Replace(argmax.Axis.Range, "-1")));
            }
            else if (model.TryEvaluate(argmax.Axis, out var axis) && axis is long and 0)
            {
                context.Report(
                    this,
                    $"`{context.Text(call.Func)}` over axis 0, the batch: it picks an example per class instead of a class per example",
                    argmax.Axis,
                    new Fix($"Use `{axisName}` -1, the class axis (unsafe: assumes classes are the last axis)", Applicability.Unsafe,
                        [context.Replace(argmax.Axis.Range, "-1")]));
            }
        }
    }

    private sealed record ArgmaxCall(Expr Input, Expr? Axis, string Library);

    private static ArgmaxCall? Argmax(SemanticModel model, Call call)
    {
        switch (model.ResolveCallee(call))
        {
            case "numpy.argmax":
                return model.GetArgument(call, "a", 0) is { } a ? new ArgmaxCall(a, model.GetArgument(call, "axis", 1), "numpy") : null;
            case "torch.argmax":
                return model.GetArgument(call, "input", 0) is { } input ? new ArgmaxCall(input, model.GetArgument(call, "dim", 1) ?? model.GetArgument(call, "axis"), "torch") : null;
            case null when call.Func is AttributeExpr { Attr: "argmax" } method:
                return new ArgmaxCall(method.Value, model.GetArgument(call, "axis", 0) ?? model.GetArgument(call, "dim"), "method");
            default:
                return null;
        }
    }

    /// <summary>`outputs.logits` or `model(**batch).logits`, directly or through a name bound once.</summary>
    private static bool IsModelLogits(SemanticModel model, Expr expr) =>
        Symbols.Of(model).Imports("torch") && Code.Unalias(model, expr) is AttributeExpr { Attr: "logits", Value: Name or Call };

    /// <summary>True when the argmax's result is turned into a Python number at once: `.item()` or `int(...)`.</summary>
    private static bool IsScalarized(SemanticModel model, Call argmax, Dictionary<Call, Node> parents) =>
        parents.TryGetValue(argmax, out var parent) && parent switch
        {
            AttributeExpr { Attr: "item" or "tolist" } => true,
            Call { Func: Name { Id: "int" } f } => model.ResolveName(f) is null,
            _ => false,
        };

    /// <summary>The node directly around each argmax-like call (its receiver use or the call it is an argument of).</summary>
    private static Dictionary<Call, Node> Parents(SemanticModel model)
    {
        var parents = new Dictionary<Call, Node>();
        foreach (var call in model.Calls)
        {
            if (call.Func is AttributeExpr { Value: Call inner } attribute)
            {
                parents[inner] = attribute;
            }

            foreach (var argument in call.Args)
            {
                if (argument is Call c)
                {
                    parents[c] = call;
                }
            }
        }

        return parents;
    }
}
