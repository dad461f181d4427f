using MLIntern.Analysis.Rules.Publishing;
using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Rules.Loops;

/// <summary>
/// The shapes of a hand-written PyTorch loop: the backward pass, the optimizer step, zeroing
/// gradients. Which object is the optimizer and which the model is <see cref="Roles"/>' answer.
/// </summary>
public static class TorchLoops
{
    /// <summary>`loss.backward()`, `scaler.scale(loss).backward()`, `accelerator.backward(loss)`.</summary>
    public static bool IsBackward(Call call) => call.Func is AttributeExpr { Attr: "backward" };

    /// <summary>
    /// True when the file trains something anywhere: a backward pass or an optimizer step, a
    /// `.fit(...)` (scikit-learn, Keras, Lightning), or `train()` of a Trainer (transformers and
    /// its relatives, SetFit).
    /// </summary>
    public static bool TrainsAnything(ScriptContext context) => TrainingCalls(context).Any();

    /// <summary>The calls that train, in source order: what <see cref="TrainsAnything"/> looks for.</summary>
    public static IEnumerable<Call> TrainingCalls(ScriptContext context)
    {
        var model = context.Model;
        return model.Calls.Where(c => IsBackward(c) || SteppedOptimizer(c, context) is not null ||
            c.Func is AttributeExpr { Attr: "fit" } ||
            c.Func is AttributeExpr { Attr: "train" } train && ValueOrigin.Of(train.Value, model) is { } origin &&
            TrainerApi.IsAnyTrainerClass(origin, model));
    }

    /// <summary>
    /// The optimizer an `X.step()` call steps, as written (`optimizer`, or the argument of
    /// `scaler.step(optimizer)`), or null when the call is not known to step an optimizer (a scheduler's, an env's).
    /// </summary>
    public static Expr? SteppedOptimizer(Call call, ScriptContext context)
    {
        if (call.Func is not AttributeExpr { Attr: "step" } step)
        {
            return null;
        }

        var roles = Roles.Of(context);
        if (Symbols.Of(context.Model).Canonical(step.Value) is null && ValueOrigin.Of(step.Value, context.Model) is { } origin && Api.GradScalers.Contains(Symbols.Canonicalize(origin)))
        {
            return call.Args.Count == 1 && roles.IsOptimizer(call.Args[0]) != false ? call.Args[0] : null;
        }

        return roles.IsOptimizer(step.Value) == true ? step.Value : null;
    }

    /// <summary>
    /// The optimizer steps of a loop body that also runs the backward pass: the `X.step()` calls known to
    /// step an optimizer, else its one `X.step()` whose receiver is not known to be anything else (with
    /// a backward pass there, that step is what applies the gradients).
    /// </summary>
    public static List<Call> OptimizerSteps(IReadOnlyList<Call> calls, ScriptContext context)
    {
        var known = calls.Where(c => SteppedOptimizer(c, context) is not null).ToList();
        if (known.Count > 0 || !calls.Any(IsBackward))
        {
            return known;
        }

        var steps = calls.Where(c => c is { Func: AttributeExpr { Attr: "step" } s, Args.Count: 0 } && Roles.Of(context).IsOptimizer(s.Value) is null).ToList();
        return steps.Count == 1 ? steps : [];
    }

    /// <summary>The optimizer a step of <see cref="OptimizerSteps"/> steps, as written.</summary>
    public static Expr Stepped(Call step, ScriptContext context) => SteppedOptimizer(step, context) ?? ((AttributeExpr)step.Func).Value;

    /// <summary>`X.zero_grad(...)` or `p.grad = None` anywhere under <paramref name="root"/>, nested functions included (an LBFGS closure).</summary>
    public static bool ZeroesGradients(Node root, SemanticModel model, int depth = 0)
    {
        foreach (var node in SyntaxPath.DescendantsOf(root))
        {
            switch (node)
            {
                case Call { Func: AttributeExpr { Attr: "zero_grad" } }:
                case Assign assign when assign.Targets.Any(t => t is AttributeExpr { Attr: "grad" }) && assign.Value is Constant { Value: null }:
                    return true;
                case Call call when depth < 3 && model.ResolveCallee(call) is { } callee && !callee.Contains('.')
                                    && model.GlobalScope.GetBindings(callee) is [{ Kind: BindingKind.FunctionDefinition, Node: FunctionDef helper }]
                                    && ZeroesGradients(helper, model, depth + 1):
                    // A helper of this file that zeroes them (`train_step(...)`).
                    return true;
            }
        }

        return false;
    }

    /// <summary>The body statements of a loop (for/while).</summary>
    public static NodeList<Stmt> Body(Stmt loop) => loop switch
    {
        For f => f.Body,
        While w => w.Body,
        _ => [],
    };
}
