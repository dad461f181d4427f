using MLIntern.Analysis.Findings;
using MLIntern.Analysis.Rules.Publishing;
using MLIntern.Analysis.Rules.Tokenizers;
using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;
using MLIntern.Python.Text;

namespace MLIntern.Analysis.Rules.Loops;

/// <summary>MLI701: an evaluation loop that runs the model without <c>model.eval()</c> or without <c>torch.no_grad()</c>.</summary>
public sealed class UnguardedEvaluationLoop : ScriptRule
{
    public static readonly RuleInfo Rule = new(
        "MLI701",
        "unguarded-evaluation-loop",
        Severity.Warning,
        "Evaluation loop without `model.eval()` or without `torch.no_grad()`",
        """
        ## What it does
        Finds a PyTorch evaluation loop — a loop that calls the model, computes predictions or
        metrics (`argmax`, `==`, `.item()`, `sklearn.metrics`, `evaluate`, `torchmetrics`), and has no
        `backward()` or optimizer step — that runs

        - without `model.eval()` (or `model.train(False)`) before it in the same function, with no
          `model.train()` in between; or
        - outside `with torch.no_grad():` / `torch.inference_mode()`, in a function not decorated with
          either, after no `torch.set_grad_enabled(False)`.

        A comparison of loop positions (`if i == 0:`, `step == len(batches) - 1`: constants, `range`
        and `enumerate` counters, `len(...)`) is not a prediction checked. A loop in a method of a module
        class (an `nn.Module` or model subclass, or a class with a `forward`) that calls the module
        through its own `self` (`self.decoder(tile)`, `self(x)`) is the model's own computation — tiled
        decoding, generation, a loss summed over several sizes — whose mode and autograd its caller
        sets; it is taken for an evaluation only when it takes numbers out (`.item()`, a metric library)
        or checks the module's output against what the loop iterates (`self(x).argmax(-1) == y` over a
        loader's batches). Such a method is judged where the file calls it on an instance of the class
        (`net.accuracy(val_loader)`): flagged when no call puts that instance in evaluation mode first
        (or runs under `torch.no_grad()`); a method the file never calls so is left alone.

        A model that transformers' `from_pretrained` returned is already in evaluation mode: in a
        file that trains nothing (no Trainer, `backward()`, optimizer step, `.train()` or `.fit()`)
        its loops are not asked for `model.eval()`.

        When the model is a parameter of the evaluation function, the callers in the same file are
        checked too; a function no one in the file calls is left alone. When the loop is in a closure
        over a parameter of an enclosing function (a factory that returns a validator), the closure may
        run at any time, so the factory's callers decide: it is flagged only when the file calls the
        factory and neither the factory nor any caller's scope ever calls `.eval()` on the model passed.

        The model is found by data flow, never by its name: what a model class (`nn.Module`
        subclass, `torch.nn` layer, transformers/peft/sentence-transformers model) or `from_pretrained`
        made, what wraps it (`accelerator.prepare`, `torch.compile`, `DataParallel`, `.to(device)`),
        what this file's calls pass for a parameter, or a parameter the function uses as a module
        (`m.parameters()`, `m.eval()`). A loss function — a `torch.nn` loss, `F.cross_entropy`, a module
        of the file called on the model's output — is never asked to `.eval()`.

        ## Why is this bad?
        Without `eval()`, dropout keeps dropping activations and batch norm keeps using (and
        updating!) batch statistics: the reported accuracy is noisy, lower than the model's real
        accuracy, and different on every run — and batch-norm running statistics drift toward the
        evaluation data. Without `no_grad()`, autograd records every operation of every batch: memory
        grows with the evaluation set until CUDA runs out, and evaluation is slower.

        ## Example
        ```python
        correct = 0
        for x, y in val_loader:
            correct += (model(x).argmax(-1) == y).sum().item()
        ```

        ## Use instead
        ```python
        model.eval()
        correct = 0
        with torch.no_grad():
            for x, y in val_loader:
                correct += (model(x).argmax(-1) == y).sum().item()
        ```

        ## Fix safety
        Unsafe. The fix adds `model.eval()` before the loop and runs the loop under
        `with torch.no_grad():` (indenting it one step, adding `import torch` when missing; no fix when
        the loop holds a string spanning lines, whose text re-indenting would change). If training continues after the loop, the model stays in evaluation mode until
        something calls `model.train()` — check that the training loop does.

        ## Error without the fix
        Without `no_grad()`, on a large evaluation set:
        ```
        torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 20.00 MiB (GPU 0; 15.77 GiB total capacity; ...)
        ```
        Without `eval()`, no error: an accuracy a few points lower than the model's, changing from run to run.
        """);

    private static readonly string[] MetricLibraries = ["sklearn.metrics.", "evaluate.", "torchmetrics."];

    private static readonly HashSet<string> EvaluationMethods = ["argmax", "item", "add_batch", "cpu", "numpy", "tolist", "softmax", "sigmoid"];

    public override RuleInfo Info => Rule;

    public override FixAvailability FixAvailability => FixAvailability.Sometimes;

    public override IReadOnlyList<Type> NodeTypes => [typeof(For), typeof(While)];

    public override void Visit(Node node, ScriptContext context)
    {
        var loop = (Stmt)node;
        var model = context.Model;
        if (!Symbols.Of(model).Imports("torch"))
        {
            return;
        }

        var all = SyntaxPath.DescendantsInScope(loop).ToList();
        if (all.OfType<Call>().Any(c => TorchLoops.IsBackward(c) || TorchLoops.SteppedOptimizer(c, context) is not null))
        {
            return;
        }

        // The model call must be this loop's own, not an inner loop's (that loop is checked by itself).
        var inner = all.OfType<Stmt>().Where(s => s is For or While && !ReferenceEquals(s, loop)).ToList();
        var modelCall = all.OfType<Call>().FirstOrDefault(c => !inner.Any(l => l.Start <= c.Start && c.End <= l.End) && Roles.Of(context).IsModel(c.Func) == true && c.Func is Name or AttributeExpr && SemanticModel.DottedName(c.Func) is not null);
        if (modelCall is null)
        {
            return;
        }

        var ancestors = SyntaxPath.AncestorsOf(model, modelCall);
        var function = ancestors.OfType<FunctionDef>().LastOrDefault();

        // In a module's own method that calls the module or its parts (`self.encoder(tile)`), a loop is the
        // model's computation (tiled decoding, generation, a loss over several sizes): tensors, not a score.
        // Only a number taken out of the loop (`.item()`, a metric library) makes it an evaluation there.
        var ownComputation = function is not null && IsModuleOwnCall(context, function, modelCall);
        if (!all.Any(n => ownComputation ? IsScoreSign(n, model) || ChecksAgainstItems(n, loop, modelCall, model) : IsEvaluationSign(n, model)))
        {
            return;
        }
        Node scopeRoot = (Node?)function ?? model.Tree;
        var modelName = SemanticModel.DottedName(modelCall.Func)!;
        var isParameter = modelCall.Func is Name n && model.ResolveName(n) is { Kind: BindingKind.Parameter };

        // A module's method that scores itself (`self(x)`) is run on an instance the file holds: `net.evaluate(loader)`.
        var methodSites = ownComputation && isParameter ? MethodSites(context, function!) : null;
        var callers = function is null ? [] : methodSites is not null ? [.. methodSites.Select(s => s.Call)] : CallSites(function, model);
        var evalMode = ModeBefore(scopeRoot, modelName, modelCall.Start, model);
        var factory = isParameter ? EnclosingOwner(ancestors, function!, ((Name)modelCall.Func).Id) : null;
        var missingEval = evalMode switch
        {
            true => false,
            false => true,
            null when factory is not null => FactoryCallersNeverEval(factory, ((Name)modelCall.Func).Id, model),
            null when methodSites is not null => methodSites.Count > 0 && !methodSites.Any(s => ModeBefore(OwnScope(s.Call, model), s.Receiver, s.Call.Start, model) == true),
            null when isParameter => callers.Count > 0 && !callers.Any(c => ModeBefore(OwnScope(c, model), PassedName(function!, c, (Name)modelCall.Func), c.Start, model) == true),
            null => !callers.Any(c => ModeBefore(OwnScope(c, model), modelName, c.Start, model) == true) && !UntrainedFromPretrained(context, modelCall),
        };

        var noGrad = IsNoGrad(ancestors, scopeRoot, modelCall.Start, model);
        var missingNoGrad = !noGrad && (function is null || !callers.Any(c => IsNoGrad(SyntaxPath.AncestorsOf(model, c), OwnScope(c, model), c.Start, model)))
                            && (function is null || callers.Count > 0 || !isParameter);
        if (!missingEval && !missingNoGrad)
        {
            return;
        }

        var parts = new List<string>();
        if (missingEval)
        {
            parts.Add($"without `{modelName}.eval()` (dropout and batch norm stay in training mode)");
        }

        if (missingNoGrad)
        {
            parts.Add("outside `torch.no_grad()` (autograd keeps every batch's activations)");
        }

        var header = new TextRange(loop.Start, loop is For f ? f.Iter.End : ((While)loop).Test.End);
        context.Report(
            this,
            $"this evaluation loop calls `{modelName}` {string.Join(" and ", parts)}",
            header,
            missingEval && isParameter ? null : BuildFix(context, loop, modelName, missingEval, missingNoGrad));
    }

    /// <summary>
    /// True when the model is what a transformers `from_pretrained` returned (perhaps moved with
    /// `.to(device)`) in a file that never trains anything — no Trainer, no `backward()`, no
    /// optimizer step: `from_pretrained` returns the model in evaluation mode, and nothing changes it.
    /// </summary>
    private static bool UntrainedFromPretrained(ScriptContext context, Call modelCall)
    {
        var model = context.Model;
        var value = Roles.Of(context).MadeBy(modelCall.Func);
        return value is { } load && PretrainedLoads.Match(model, load) is { Kind: PretrainedKind.Model } &&
            TrainerApi.Of(model).Count == 0 && !TorchLoops.TrainsAnything(context) && !model.Calls.Any(c => c.Func is AttributeExpr { Attr: "train" });
    }

    private static bool IsEvaluationSign(Node node, SemanticModel model) => node switch
    {
        Compare compare => compare.Ops.Contains(CmpOperator.Eq) && !new[] { compare.Left }.Concat(compare.Comparators).All(e => IsIndexValue(e, model)),
        Call { Func: AttributeExpr { Attr: var attr } } when EvaluationMethods.Contains(attr) => true,
        Call call => model.ResolveCallee(call) is { } q && (MetricLibraries.Any(p => q.StartsWith(p, StringComparison.Ordinal)) || q is "torch.argmax" or "numpy.argmax"),
        _ => false,
    };

    /// <summary>A sign that the loop takes a number out of the model's output: a metric library, `.item()`, `add_batch`.</summary>
    private static bool IsScoreSign(Node node, SemanticModel model) => node switch
    {
        Call { Func: AttributeExpr { Attr: "item" or "add_batch" } } => true,
        Call call => model.ResolveCallee(call) is { } q && MetricLibraries.Any(p => q.StartsWith(p, StringComparison.Ordinal)),
        _ => false,
    };

    /// <summary>
    /// True for a prediction checked against the loop's own items: `==` (or `.eq(...)`) between the model's
    /// output (`self(x).argmax(-1)`) and a value that comes from what the loop iterates (the batch's labels,
    /// `x, y = batch`) — data scored, not positions compared (`i == 0`), shapes checked (`chunk.ndim == 4`)
    /// or tokens matched to a constant (`tok == eos_id`).
    /// </summary>
    private static bool ChecksAgainstItems(Node node, Stmt loop, Call modelCall, SemanticModel model)
    {
        // Positions in a tensor (`for i in range(0, h, tile)`) are the module computing, not data it is scored on.
        if (loop is not For { Iter: not Call { Func: Name { Id: "range" } } } forLoop)
        {
            return false;
        }

        var sides = node switch
        {
            Compare c when c.Ops.Contains(CmpOperator.Eq) => [c.Left, .. c.Comparators],
            Call { Func: AttributeExpr { Attr: "eq", Value: var left }, Args: [var right] } => new List<Expr> { left, right },
            _ => null,
        };
        if (sides is null || sides.All(e => IsIndexValue(e, model)))
        {
            return false;
        }

        var owner = Root(modelCall.Func);
        var outputs = sides.Select(e => FromModelOutput(e, forLoop, owner, model, 0)).ToList();
        return outputs.Any(o => o) && sides.Where((e, i) => !outputs[i]).Any(e => FromLoopItems(e, forLoop, owner, model, 0));
    }

    /// <summary>True when an expression is (or is computed in the loop from) an output of the model: a call through <paramref name="owner"/>.</summary>
    private static bool FromModelOutput(Expr expr, For loop, string? owner, SemanticModel model, int depth) =>
        depth < 4 && (SyntaxPath.DescendantsOf(expr).Prepend(expr).OfType<Call>().Any(c => Root(c.Func) == owner) ||
        SyntaxPath.DescendantsOf(expr).Prepend(expr).OfType<Name>().Any(n => model.ResolveName(n) is { Kind: BindingKind.Assignment, Statement: Assign { Value: var value } a } &&
            loop.Start <= a.Start && a.End <= loop.End && !ReferenceEquals(value, expr) && FromModelOutput(value, loop, owner, model, depth + 1)));

    /// <summary>
    /// True when an expression reads a name bound by the loop's target, directly or through an assignment in the
    /// loop, and is no output of the model (a call through <paramref name="owner"/>, `self(x)`, `self.head(h)`).
    /// </summary>
    private static bool FromLoopItems(Expr expr, For loop, string? owner, SemanticModel model, int depth) =>
        depth < 4 && !SyntaxPath.DescendantsOf(expr).Prepend(expr).OfType<Call>().Any(c => Root(c.Func) == owner) &&
        SyntaxPath.DescendantsOf(expr).Prepend(expr).OfType<Name>().Any(n => model.ResolveName(n) switch
        {
            { Kind: BindingKind.ForTarget, Statement: var s } => ReferenceEquals(s, loop),
            { Kind: BindingKind.Assignment, Statement: Assign { Value: var value } a } when loop.Start <= a.Start && a.End <= loop.End && !ReferenceEquals(value, expr) =>
                FromLoopItems(value, loop, owner, model, depth + 1),
            _ => false,
        });

    private static string? Root(Expr expr)
    {
        while (expr is AttributeExpr a)
        {
            expr = a.Value;
        }

        return expr is Name n ? n.Id : null;
    }

    /// <summary>
    /// The calls of a module's method on an instance of its class outside the class (`net.evaluate(loader)`, by
    /// the value flow, or made by the class through `.to(device)` and other wrappers), each with the receiver's
    /// dotted name; the method's `self` is that receiver.
    /// </summary>
    private static List<(Call Call, string? Receiver)> MethodSites(ScriptContext context, FunctionDef method)
    {
        var model = context.Model;
        var sites = new List<(Call, string?)>();
        if (model.ParentOf(method) is not ClassDef cls)
        {
            return sites;
        }

        var flow = ValueFlow.Of(context);
        foreach (var call in model.Calls)
        {
            if (call.Func is AttributeExpr { Attr: var attr, Value: var receiver } && attr == method.Name && !(cls.Start <= call.Start && call.End <= cls.End) &&
                (flow.Evaluate(receiver) is InstanceValue { Local: { } local } && ReferenceEquals(local, cls) ||
                 Roles.Of(context).MadeBy(receiver) is { } made && ReferenceEquals(Symbols.Of(model).LocalClass(made.Func), cls)))
            {
                sites.Add((call, SemanticModel.DottedName(receiver)));
            }
        }

        return sites;
    }

    /// <summary>
    /// True for a value made only of constants, loop counters (the target of a loop over `range(...)`,
    /// the index of `enumerate(...)`), `len(...)` and arithmetic on them: `i == 0` and `step == len(xs) - 1`
    /// compare positions in the loop, not predictions.
    /// </summary>
    private static bool IsIndexValue(Expr expr, SemanticModel model) => expr switch
    {
        Constant => true,
        UnaryOp u => IsIndexValue(u.Operand, model),
        BinOp b => IsIndexValue(b.Left, model) && IsIndexValue(b.Right, model),
        Call { Func: Name { Id: "len" } } => true,
        Name n => model.ResolveName(n) is { Kind: BindingKind.ForTarget, Statement: For loop } binding && IsCounter(loop, binding),
        _ => false,
    };

    private static bool IsCounter(For loop, Binding binding) => loop.Iter switch
    {
        Call { Func: Name { Id: "range" } } => loop.Target is Name,
        Call { Func: Name { Id: "enumerate" } } => loop.Target is TupleExpr { Elts.Count: > 0 } t && t.Elts[0] is Name first && first.Start == binding.Node.Start,
        _ => false,
    };

    /// <summary>
    /// True when <paramref name="function"/> is a method of a module class (an `nn.Module` or model subclass,
    /// or a class that defines `forward`) and the loop's model call goes through its own `self`
    /// (`self(x)`, `self.encoder(x)`): the module computing, whose mode and autograd its caller sets.
    /// </summary>
    private static bool IsModuleOwnCall(ScriptContext context, FunctionDef function, Call modelCall)
    {
        var model = context.Model;
        if (model.ParentOf(function) is not ClassDef cls || function.Args.Args.Count == 0 || function.DecoratorList.Any(d => d is Name { Id: "staticmethod" }))
        {
            return false;
        }

        var receiver = modelCall.Func;
        while (receiver is AttributeExpr a)
        {
            receiver = a.Value;
        }

        if (receiver is not Name root || root.Id != function.Args.Args[0].Name)
        {
            return false;
        }

        var symbols = Symbols.Of(model);
        return cls.Body.Any(s => s is FunctionDef { Name: "forward" }) ||
            cls.Bases.Any(symbols.IsModuleSubclass);
    }

    /// <summary>
    /// The mode the model is in at <paramref name="position"/> by the last `X.eval()`/`X.train(...)` before it in
    /// the scope: true for eval, false for train, null when nothing sets it. A null name matches any receiver.
    /// </summary>
    private static bool? ModeBefore(Node scopeRoot, string? modelName, int position, SemanticModel model)
    {
        bool? mode = null;
        var last = -1;
        foreach (var call in SyntaxPath.DescendantsInScope(scopeRoot).OfType<Call>())
        {
            if (call.Start >= position || call.Start < last || call.Func is not AttributeExpr { Attr: "eval" or "train" } method
                || (modelName is not null && SemanticModel.DottedName(method.Value) != modelName))
            {
                continue;
            }

            last = call.Start;
            mode = method.Attr == "eval"
                ? call.Args.Count == 0
                : call.Args.Count == 1 && model.TryEvaluate(call.Args[0], out var on) && on is false;
        }

        return mode;
    }

    private static bool IsNoGrad(IReadOnlyList<Node> ancestors, Node scopeRoot, int position, SemanticModel model)
    {
        foreach (var ancestor in ancestors)
        {
            if (ancestor is With with && with.Items.Any(i => IsNoGradContext(i.ContextExpr, model)))
            {
                return true;
            }
        }

        if (scopeRoot is FunctionDef def && def.DecoratorList.Any(d => IsNoGradContext(d, model)))
        {
            return true;
        }

        return SyntaxPath.DescendantsInScope(scopeRoot).OfType<Call>().Any(c => c.Start < position
            && model.ResolveCallee(c) == "torch.set_grad_enabled" && c.Args.Count == 1 && model.TryEvaluate(c.Args[0], out var on) && on is false);
    }

    private static bool IsNoGradContext(Expr expr, SemanticModel model)
    {
        var target = expr is Call call ? call.Func : expr;
        if (Symbols.Of(model).Canonical(target) is { } name && name != "torch.set_grad_enabled" && Api.NoGradContexts.Contains(name))
        {
            return true;
        }

        return expr is Call set && model.ResolveQualifiedName(set.Func) == "torch.set_grad_enabled" && set.Args.Count == 1 && model.TryEvaluate(set.Args[0], out var on) && on is false;
    }

    /// <summary>
    /// The enclosing function whose parameter <paramref name="parameter"/> is, when the loop's own function is a
    /// closure using it as a free variable (a validator factory returning `run`); null when the loop's function owns it.
    /// </summary>
    private static FunctionDef? EnclosingOwner(IReadOnlyList<Node> ancestors, FunctionDef function, string parameter)
    {
        if (HasParameter(function, parameter))
        {
            return null;
        }

        return ancestors.OfType<FunctionDef>().TakeWhile(f => !ReferenceEquals(f, function)).LastOrDefault(f => HasParameter(f, parameter));
    }

    private static bool HasParameter(FunctionDef function, string name) =>
        function.Args.PosOnlyArgs.Concat(function.Args.Args).Concat(function.Args.KwOnlyArgs).Any(a => a.Name == name);

    /// <summary>
    /// A closure escapes its factory, so when it runs is unknown: the model it evaluates is in training mode
    /// unless the caller of the factory ever puts what it passed into evaluation mode. True when the file calls
    /// the factory and no call site's scope ever calls `.eval()` (or `.train(False)`) on the model it passes.
    /// </summary>
    private static bool FactoryCallersNeverEval(FunctionDef factory, string parameter, SemanticModel model)
    {
        var sites = CallSites(factory, model);
        var arg = factory.Args.PosOnlyArgs.Concat(factory.Args.Args).Concat(factory.Args.KwOnlyArgs).First(a => a.Name == parameter);
        if (SyntaxPath.DescendantsInScope(factory).OfType<Call>().Any(c => c.Func is AttributeExpr { Attr: "eval" } e && SemanticModel.DottedName(e.Value) == parameter))
        {
            return false;
        }

        return sites.Count > 0 && sites.All(site =>
            Code.ArgumentFor(factory, site, arg) is ({ } passed, true) && SemanticModel.DottedName(passed) is { } name &&
            ModeBefore(OwnScope(site, model), name, int.MaxValue, model) is not true &&
            !SyntaxPath.DescendantsInScope(OwnScope(site, model)).OfType<Call>().Any(c => c.Func is AttributeExpr { Attr: "eval" } e && SemanticModel.DottedName(e.Value) == name));
    }

    /// <summary>The dotted name a call passes for a parameter (`net`, `self.model`), or null (any receiver) when it passes something else.</summary>
    private static string? PassedName(FunctionDef function, Call call, Name parameter) =>
        function.Args.PosOnlyArgs.Concat(function.Args.Args).Concat(function.Args.KwOnlyArgs).FirstOrDefault(a => a.Name == parameter.Id) is { } arg &&
        Code.ArgumentFor(function, call, arg) is ({ } passed, true)
            ? SemanticModel.DottedName(passed)
            : null;

    /// <summary>The calls in this file to a function defined in it.</summary>
    private static List<Call> CallSites(FunctionDef function, SemanticModel model) =>
        [.. Code.SitesOf(model, function).Where(s => s.Skip == 0).Select(s => s.Call)];

    private static Node OwnScope(Call call, SemanticModel model) =>
        SyntaxPath.AncestorsOf(model, call).OfType<FunctionDef>().LastOrDefault() ?? (Node)model.Tree;

    /// <summary>
    /// `model.eval()` before the loop and/or the loop wrapped in `with torch.no_grad():` (its lines indented one
    /// more step, the file's own). No fix unless it removes every part of the finding.
    /// </summary>
    private static Fix? BuildFix(ScriptContext context, Stmt loop, string modelName, bool addEval, bool addNoGrad)
    {
        var body = TorchLoops.Body(loop);
        if (IndentOf(context, loop) is not { } indent || body.Count == 0 || IndentOf(context, body[0]) is not { } bodyIndent
            || !bodyIndent.StartsWith(indent, StringComparison.Ordinal) || bodyIndent.Length == indent.Length)
        {
            return null;
        }

        var source = context.Source;
        var firstLine = source.GetLineIndex(loop.Start);
        var lastLine = source.GetLineIndex(loop.End);
        var newline = CodeEdits.Newline(context);
        var head = new System.Text.StringBuilder();
        var titles = new List<string>();
        var edits = new List<TextEdit>();
        if (addEval)
        {
            head.Append($"{indent}{modelName}.eval(){newline}");
            titles.Add($"call `{modelName}.eval()` before the loop");
        }

        if (addNoGrad)
        {
            // Re-indenting would change the text of a string that spans lines.
            if (SyntaxPath.DescendantsOf(loop).OfType<Constant>().Any(c => source.GetLineIndex(c.Start) != source.GetLineIndex(c.End))
                || CodeEdits.Import(context, "torch") is not var (torch, importEdit))
            {
                return null;
            }

            if (importEdit is not null)
            {
                edits.Add(importEdit);
            }

            var step = bodyIndent[indent.Length..];
            head.Append($"{indent}with {torch}.no_grad():{newline}{step}");
            for (var line = firstLine + 1; line <= lastLine; line++)
            {
                var start = source.GetLineStart(line);
                if (source.GetLineEnd(line) > start)
                {
                    edits.Add(context.Replace(new TextRange(start, start), step));
                }
            }

            titles.Add($"run the loop under `with {torch}.no_grad():`");
        }

        var lineStart = source.GetLineStart(firstLine);
        edits.Add(context.Replace(new TextRange(lineStart, lineStart), head.ToString()));
        var title = string.Join(" and ", titles);
        return new Fix(char.ToUpperInvariant(title[0]) + title[1..] + (addEval ? " (call train() again before training)" : ""), Applicability.Unsafe, edits);
    }

    /// <summary>The whitespace before a statement that starts its line, or null when something else precedes it on the line.</summary>
    private static string? IndentOf(ScriptContext context, Node statement)
    {
        var start = context.Source.GetLineStart(context.Source.GetLineIndex(statement.Start));
        var indent = context.Source.Text[start..statement.Start];
        return indent.All(c => c is ' ' or '\t') ? indent : null;
    }
}
