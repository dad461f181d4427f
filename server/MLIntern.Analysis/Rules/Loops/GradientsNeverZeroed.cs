using MLIntern.Analysis.Findings;
using MLIntern.Analysis.Rules.Publishing;
using MLIntern.Python.Syntax;
using MLIntern.Python.Text;

namespace MLIntern.Analysis.Rules.Loops;

/// <summary>MLI702: a training loop that calls backward and step but never zeroes the gradients.</summary>
public sealed class GradientsNeverZeroed : ScriptRule
{
    public static readonly RuleInfo Rule = new(
        "MLI702",
        "gradients-never-zeroed",
        Severity.Error,
        "Training loop that never zeroes gradients",
        """
        ## What it does
        Finds a PyTorch training loop — the innermost `for`/`while` that calls `loss.backward()` (or
        `accelerator.backward(loss)`, `scaler.scale(loss).backward()`) and `optimizer.step()` (or
        `scaler.step(optimizer)`) — in which nothing zeroes the gradients: no `optimizer.zero_grad()`,
        `model.zero_grad()`, `zero_grad(set_to_none=True)`, `p.grad = None`, or helper of the file that
        does one of these. A `zero_grad()` in an outer loop (once per epoch) does not count. The
        finding sits on the optimizer step.

        The optimizer is found by what made it, never by its name: a `torch.optim` (or bitsandbytes,
        transformers) optimizer, what `accelerator.prepare(...)` returns in its place, what this file's
        calls pass for a function's parameter. A scheduler's `step()` is not an optimizer step; a
        loop's only `X.step()` whose `X` is not known otherwise, beside a backward pass, is.

        ## Why is this bad?
        `backward()` adds to `.grad`; it does not overwrite it. Without zeroing, every step applies the
        sum of all gradients since the last zeroing, so the effective learning rate grows with the step
        count and the updates point in a stale direction. Training does not crash: the loss falls for a
        few steps, then plateaus, oscillates or diverges to `nan`, and the run looks like a bad choice of
        learning rate rather than a bug.

        ## Example
        ```python
        for batch in train_loader:
            loss = criterion(model(batch["x"]), batch["y"])
            loss.backward()
            optimizer.step()
        ```

        ## Use instead
        ```python
        for batch in train_loader:
            loss = criterion(model(batch["x"]), batch["y"])
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
        ```

        ## Fix safety
        Unsafe: the fix adds `optimizer.zero_grad()` right after the step, in the same block (so under
        an `if step % accumulation == 0:` it keeps gradient accumulation working). It changes every
        update after the first — which is the point — and code after the step that reads `.grad`
        (gradient-norm logging) then sees zeros.

        ## Error without the fix
        No error. The loss stalls or blows up, for example:
        ```
        epoch 1: loss 2.31 -> 1.87    epoch 2: loss 1.95 -> 4.12    epoch 3: loss nan
        ```
        """);

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

        var calls = SyntaxPath.DescendantsInScope(loop).OfType<Call>().ToList();
        var backward = calls.FirstOrDefault(TorchLoops.IsBackward);
        var step = backward is null ? null : TorchLoops.OptimizerSteps(calls, context).FirstOrDefault();
        if (backward is null || step is null)
        {
            return;
        }

        // Only the innermost loop that does both: an inner loop holding both is checked on its own.
        var inner = SyntaxPath.DescendantsInScope(loop).OfType<Stmt>().Where(s => s is For or While && !ReferenceEquals(s, loop));
        if (inner.Any(l => SyntaxPath.DescendantsInScope(l).OfType<Call>().ToList() is var innerCalls &&
                           innerCalls.Any(TorchLoops.IsBackward) && TorchLoops.OptimizerSteps(innerCalls, context).Count > 0))
        {
            return;
        }

        if (TorchLoops.ZeroesGradients(loop, model))
        {
            return;
        }

        var optimizer = TorchLoops.Stepped(step, context);
        context.Report(
            this,
            $"this loop calls `{Describe(backward, context)}` and `{context.Text(step.Func)}({(step.Args.Count == 1 && ReferenceEquals(step.Args[0], optimizer) ? context.Text(optimizer) : "")})` but never zeroes the gradients: each step applies the sum of all gradients so far",
            step,
            ZeroAfterStep(context, loop, step, optimizer));
    }

    /// <summary>`loss.backward()` as written when the receiver is a plain name, else just `backward()`.</summary>
    private static string Describe(Call backward, ScriptContext context) =>
        backward.Func is AttributeExpr { Value: Name or AttributeExpr } attribute && Python.Semantics.SemanticModel.DottedName(attribute.Value) is { } receiver
            ? $"{receiver}.backward()"
            : "backward()";

    /// <summary>`optimizer.zero_grad()` on the line after the step statement, with its indentation and the file's line ending.</summary>
    private static Fix? ZeroAfterStep(ScriptContext context, Stmt loop, Call step, Expr optimizer)
    {
        var statement = SyntaxPath.DescendantsInScope(loop).OfType<ExprStmt>().FirstOrDefault(s => ReferenceEquals(s.Value, step));
        if (statement is null)
        {
            return null;
        }

        var line = context.Source.GetLineIndex(statement.Start);
        var lineStart = context.Source.GetLineStart(line);
        var indent = context.Source.Text[lineStart..statement.Start];
        if (indent.Any(c => c is not (' ' or '\t')) || context.Source.GetLineIndex(statement.End) != line)
        {
            // Not alone at the start of its line (`a(); optimizer.step()`) or spread over lines: leave it to the author.
            return null;
        }

        var end = context.Source.GetLineEnd(line);
        var insertion = $"{CodeEdits.Newline(context)}{indent}{context.Text(optimizer)}.zero_grad()";
        return new Fix($"Add `{context.Text(optimizer)}.zero_grad()` after the step", Applicability.Unsafe, [context.Replace(new TextRange(end, end), insertion)]);
    }
}
