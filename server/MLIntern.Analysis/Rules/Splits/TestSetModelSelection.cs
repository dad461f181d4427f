using MLIntern.Analysis.Findings;
using MLIntern.Analysis.Rules.Metrics;
using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Rules.Splits;

/// <summary>MLI302: the test split chooses the model (best checkpoint, early stopping, best of a loop) and then is reported as its score.</summary>
public sealed class TestSetModelSelection : ScriptRule
{
    public static readonly RuleInfo Rule = new(
        "MLI302",
        "test-set-used-for-model-selection",
        Severity.Warning,
        "the test split is used for model selection and then reported as the final score",
        """
        ## What it does
        Finds a test split that both chooses the model and is reported as its score:
        - a `Trainer` whose `eval_dataset` is the test split the data set itself holds out (the `test`
          split of `load_dataset(...)` or of `data_files={"test": ...}`, `split="test"`, a `test.csv`
          read directly) with `load_best_model_at_end=True` (in the TrainingArguments call, or a field
          default of the script's own TrainingArguments dataclass an `HfArgumentParser` fills) or an
          `EarlyStoppingCallback`, followed by
          `trainer.evaluate()` (or `evaluate`/`predict` on that same split);
        - a loop that keeps the best score measured on test data (`if acc > best_acc: best_acc = acc`)
          — the data set's test split, or the part the script's only `train_test_split` holds out —
          and uses that best score after the loop.

        Which data is the test split is decided by where it came from, never by a name or a key: a
        split carved from the training data is validation even when its key is `"test"`
        (`ds["train"].train_test_split()["test"]`), and evaluating on validation is what it is for.

        ## Why is this bad?
        Picking the checkpoint, the epoch or the hyperparameters that score best on a set makes that
        set part of training: the chosen score is the maximum over many tries and is biased upward.
        Reporting it as the final test score overstates how well the model does on new data — the
        more tries, the bigger the gap.

        ## Example
        ```python
        args = TrainingArguments("out", eval_strategy="epoch", save_strategy="epoch", load_best_model_at_end=True)
        trainer = Trainer(model=model, args=args, train_dataset=ds["train"], eval_dataset=ds["test"])
        trainer.train()
        print(trainer.evaluate())
        ```

        ## Use instead
        ```python
        split = ds["train"].train_test_split(test_size=0.1, seed=42)
        trainer = Trainer(model=model, args=args, train_dataset=split["train"], eval_dataset=split["test"])
        trainer.train()
        print(trainer.evaluate(ds["test"]))   # the test split, used once
        ```

        ## Fix safety
        No fix: carving a validation split out of the training data changes the data the model trains on,
        which is the user's decision.

        ## Error without the fix
        No error: the reported test score is optimistic. It is the best of every checkpoint (or every
        configuration) tried, so it is typically a point or more above what the same model scores on
        data it has never been selected on.
        """);

    public override RuleInfo Info => Rule;

    public override IReadOnlyList<Type> NodeTypes => [typeof(For), typeof(While)];

    public override void Visit(Node node, ScriptContext context)
    {
        if (Symbols.Of(context.Model).DoesMlWork)
        {
            CheckLoop((Stmt)node, context);
        }
    }

    public override void Finish(ScriptContext context)
    {
        var model = context.Model;
        foreach (var trainer in TrainerApi.Of(model))
        {
            if (TrainerApi.Argument(model, trainer, "eval_dataset") is not { } eval ||
                DataRoles.Of(context).RoleOf(eval) is not { Role: SplitRole.Test, HeldOutAtSource: true, Evidence: var evidence } ||
                Selection(model, trainer) is not { } selection ||
                FinalReport(model, trainer, eval) is not { } report)
            {
                continue;
            }

            var line = context.Source.GetLineColumn(report.Start).Line;
            context.Report(
                this,
                $"The test split ({evidence}) picks the model ({selection}) and is then reported as its score (line {line}): the score is biased upward; select on a validation split",
                eval);
        }
    }

    /// <summary>How the Trainer selects on its eval set: `load_best_model_at_end=True` or an early-stopping callback.</summary>
    private static string? Selection(SemanticModel model, Call trainer)
    {
        if (TrainerApi.TrainingArguments(model, trainer) is { } args &&
            TrainerApi.FindSetting(args, "load_best_model_at_end", model) is { } best && model.TryEvaluate(best.Value, out var value) && value is true)
        {
            return "`load_best_model_at_end=True`";
        }

        if (TrainerApi.Argument(model, trainer, "callbacks") is { } callbacks &&
            Code.Unalias(model, callbacks) is List or TupleExpr &&
            Elements(Code.Unalias(model, callbacks)).Any(c => c is Call call && model.ResolveCallee(call) is "transformers.EarlyStoppingCallback" or "transformers.trainer_callback.EarlyStoppingCallback"))
        {
            return "`EarlyStoppingCallback`";
        }

        return null;
    }

    private static IEnumerable<Expr> Elements(Expr expr) => expr switch
    {
        List l => l.Elts,
        TupleExpr t => t.Elts,
        _ => [],
    };

    /// <summary>`trainer.evaluate()` (on the eval set) or `trainer.evaluate(X)` / `trainer.predict(X)` on the same split, after construction.</summary>
    private static Call? FinalReport(SemanticModel model, Call trainer, Expr eval)
    {
        if (TrainerApi.BoundTo(model, trainer) is not { } binding)
        {
            return null;
        }

        foreach (var call in model.Calls)
        {
            if (call.Start < trainer.End || call.Func is not AttributeExpr { Value: Name receiver, Attr: "evaluate" or "predict" } method ||
                !ReferenceEquals(model.ResolveName(receiver), binding))
            {
                continue;
            }

            var data = method.Attr == "evaluate" ? model.GetArgument(call, "eval_dataset", 0) : model.GetArgument(call, "test_dataset", 0);
            if (data is null ? method.Attr == "evaluate" && !call.Keywords.Any(k => k.Arg is null) : SplitFacts.SameData(model, data, eval))
            {
                return call;
            }
        }

        return null;
    }

    /// <summary>
    /// A loop that keeps the best test score: `if score > best: best = score` in its body, `score`
    /// measured on a test split in the loop, and `best` read after the loop.
    /// </summary>
    private void CheckLoop(Stmt loop, ScriptContext context)
    {
        var model = context.Model;
        var body = loop switch
        {
            For f => f.Body,
            While w => w.Body,
            _ => [],
        };
        foreach (var test in Ifs(body, 0))
        {
            if (test.Test is not Compare { Ops: [CmpOperator.Gt or CmpOperator.GtE or CmpOperator.Lt or CmpOperator.LtE], Left: Name left, Comparators: [Name right] } compare)
            {
                continue;
            }

            foreach (var (score, best) in new[] { (left, right), (right, left) })
            {
                if (!AssignsFrom(test.Body, best.Id, score.Id) ||
                    model.ResolveName(score) is not { Value: Call measured } scoreBinding || scoreBinding.Statement is null ||
                    scoreBinding.Statement.Start < loop.Start || scoreBinding.Statement.End > loop.End ||
                    TestEvidence(context, measured, 0) is not { } evidence || !ReadAfter(model, best, loop))
                {
                    continue;
                }

                context.Report(
                    this,
                    $"The loop keeps the best `{score.Id}` measured on the test split ({evidence}) and reports `{best.Id}` after it: the best of many tries on the test set is biased upward; select on a validation split",
                    compare);
                break;
            }
        }
    }

    /// <summary>The `if` statements of a loop body, through nested blocks but not into nested functions or loops' own checks.</summary>
    private static IEnumerable<If> Ifs(NodeList<Stmt> body, int depth)
    {
        if (depth > 8)
        {
            yield break;
        }

        foreach (var statement in body)
        {
            var nested = statement switch
            {
                If i => (NodeList<Stmt>?)i.Body.Concat(i.OrElse).ToList(),
                With w => w.Body,
                Try t => t.Body.Concat(t.OrElse).ToList(),
                _ => null,
            };
            if (statement is If found)
            {
                yield return found;
            }

            if (nested is not null)
            {
                foreach (var inner in Ifs(nested.Value, depth + 1))
                {
                    yield return inner;
                }
            }
        }
    }

    /// <summary>True when a block assigns `target = source` (also as one element of a tuple assignment).</summary>
    private static bool AssignsFrom(NodeList<Stmt> body, string target, string source) => body.OfType<Assign>().Any(a => a.Targets.Any(t => t switch
    {
        Name n => n.Id == target && a.Value is Name v && v.Id == source,
        TupleExpr tt when a.Value is TupleExpr values && values.Elts.Count == tt.Elts.Count =>
            tt.Elts.Select((e, i) => e is Name n && n.Id == target && values.Elts[i] is Name v && v.Id == source).Any(x => x),
        _ => false,
    }));

    /// <summary>The test split a measurement reads (an argument of the call, or of a call inside it), else null.</summary>
    private static string? TestEvidence(ScriptContext context, Call call, int depth)
    {
        if (depth > 4)
        {
            return null;
        }

        foreach (var argument in call.Args.Concat(call.Keywords.Select(k => k.Value)))
        {
            if (argument is Call inner && TestEvidence(context, inner, depth + 1) is { } nested)
            {
                return nested;
            }

            if (argument is not Call && DataRoles.Of(context).RoleOf(argument) is { Role: SplitRole.Test, Evidence: var evidence })
            {
                return evidence;
            }
        }

        // `clf.score(X_test, y_test)` was handled above; `model.evaluate(test_loader)` too. A method of a test split (`test_ds.evaluate()`) is not a measurement we know.
        return null;
    }

    /// <summary>True when the best score's name is read after the loop, in the loop's scope.</summary>
    private static bool ReadAfter(SemanticModel model, Name best, Stmt loop)
    {
        var bindings = model.ResolveName(best) is { } b ? b.Scope.GetBindings(best.Id) : [];
        return bindings.Count > 0 && UsesAfter(model.Tree, best.Id, loop.End).Any(n => model.ResolveName(n) is { } r && bindings.Contains(r));
    }

    private static IEnumerable<Name> UsesAfter(Module tree, string id, int offset)
    {
        var collector = new NameCollector(id, offset);
        collector.Visit(tree);
        return collector.Found;
    }

    private sealed class NameCollector(string id, int offset) : SyntaxWalker
    {
        public List<Name> Found { get; } = [];

        public override void Visit(Node node)
        {
            if (node.End <= offset)
            {
                return;
            }

            if (node is Name { Ctx: ExprContext.Load } n && n.Id == id && n.Start >= offset)
            {
                Found.Add(n);
            }

            VisitChildren(node);
        }
    }
}
