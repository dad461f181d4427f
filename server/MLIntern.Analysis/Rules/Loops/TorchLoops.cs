using MLIntern.Analysis.Rules.Publishing;
using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Rules.Loops;

/// <summary>
/// The shapes of a hand-written PyTorch loop: the backward pass, the optimizer step, zeroing
/// gradients, calls to the model, and the no-grad contexts. Rules anchor on the file importing
/// torch; names such as `optimizer` are only a fallback for values the model cannot follow
/// (parameters, `accelerator.prepare(...)` results).
/// </summary>
public static class TorchLoops
{
    /// <summary>Context managers and decorators that turn autograd off.</summary>
    public static readonly IReadOnlySet<string> NoGradContexts = new HashSet<string>(StringComparer.Ordinal)
    {
        "torch.no_grad",
        "torch.inference_mode",
        "torch.autograd.no_grad",
        "torch.autograd.grad_mode.no_grad",
        "torch.autograd.grad_mode.inference_mode",
    };

    private static readonly string[] GradScalers = ["torch.cuda.amp.GradScaler", "torch.amp.GradScaler", "torch.GradScaler", "torch.cpu.amp.GradScaler"];

    private static readonly string[] ModelLibraries = ["torch.nn.", "transformers.", "torchvision.models.", "timm.", "peft.", "sentence_transformers."];

    /// <summary>True when the file imports torch (any `import torch…` or `from torch… import …`).</summary>
    public static bool ImportsTorch(SemanticModel model) =>
        model.Scopes.Any(s => s.Bindings.Values.Any(list => list.Any(b =>
            b.Kind is BindingKind.Import or BindingKind.FromImport && b.QualifiedName is { } q && (q == "torch" || q.StartsWith("torch.", StringComparison.Ordinal)))));

    /// <summary>`loss.backward()`, `scaler.scale(loss).backward()`, `accelerator.backward(loss)`.</summary>
    public static bool IsBackward(Call call) => call.Func is AttributeExpr { Attr: "backward" };

    /// <summary>
    /// The optimizer an `X.step()` call steps, as written (`optimizer`, or the argument of
    /// `scaler.step(optimizer)`), or null when the call is not an optimizer step (a scheduler's, an env's).
    /// </summary>
    public static Expr? SteppedOptimizer(Call call, SemanticModel model)
    {
        if (call.Func is not AttributeExpr { Attr: "step" } step)
        {
            return null;
        }

        var origin = ValueOrigin.Of(step.Value, model);
        if (origin is not null && GradScalers.Contains(origin))
        {
            return call.Args.Count == 1 && IsOptimizer(call.Args[0], model) ? call.Args[0] : null;
        }

        return IsOptimizer(step.Value, model) ? step.Value : null;
    }

    private static bool IsOptimizer(Expr expr, SemanticModel model)
    {
        if (ValueOrigin.Of(expr, model) is { } origin)
        {
            if (origin.Contains("lr_scheduler", StringComparison.Ordinal) || origin.Contains("schedule", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            if (origin.StartsWith("torch.optim.", StringComparison.Ordinal) || origin.StartsWith("bitsandbytes.optim.", StringComparison.Ordinal)
                || origin is "transformers.AdamW" or "transformers.Adafactor" or "transformers.optimization.AdamW" or "transformers.optimization.Adafactor")
            {
                return true;
            }
        }

        // A parameter or an unpacked `accelerator.prepare(...)` result: trust the name.
        return SemanticModel.DottedName(expr) is { } name && name.Split('.')[^1] is var last
            && (last.Contains("optim", StringComparison.OrdinalIgnoreCase) || last is "opt" or "optim");
    }

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

    /// <summary>True when <paramref name="expr"/> is a model: built by a model library or a local `nn.Module` subclass.</summary>
    public static bool IsKnownModel(Expr expr, SemanticModel model)
    {
        if (ValueOrigin.Of(expr, model) is not { } origin)
        {
            return false;
        }

        if (ModelLibraries.Any(p => origin.StartsWith(p, StringComparison.Ordinal)))
        {
            return true;
        }

        // `model = Net()` with `class Net(nn.Module)` in this file.
        return model.GlobalScope.GetBindings(origin) is [{ Kind: BindingKind.ClassDefinition, Node: ClassDef cls }]
            && cls.Bases.Any(b => model.ResolveQualifiedName(b) is "torch.nn.Module" or "torch.nn.modules.module.Module" || (model.ResolveQualifiedName(b) is { } q && q.StartsWith("transformers.", StringComparison.Ordinal)));
    }

    /// <summary>The body statements of a loop (for/while).</summary>
    public static List<Stmt> Body(Stmt loop) => loop switch
    {
        For f => f.Body,
        While w => w.Body,
        _ => [],
    };
}
