using MLIntern.Analysis.Findings;
using MLIntern.Analysis.Rules.Metrics;
using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Rules.Splits;

/// <summary>MLI301: the data a model is evaluated on is the data it was trained on.</summary>
public sealed class EvaluatedOnTrainingSet : ScriptRule
{
    public static readonly RuleInfo Rule = new(
        "MLI301",
        "eval-set-is-train-set",
        Severity.Error,
        "the evaluation set is the training set",
        """
        ## What it does
        Finds evaluation on the training data:
        - a Hugging Face `Trainer` (transformers', trl's, sentence-transformers' or SetFit's) whose
          `eval_dataset` is its `train_dataset` (the same name, a copy of it, or the same `["train"]`
          split of the same data set);
        - a scikit-learn estimator fitted with labels (`.fit(X, y)`) whose only evaluations (`.score(X, y)`,
          or `.predict(X)` handed to a `sklearn.metrics` function) use the very `X` it was fitted on.
          Unsupervised fits (`KMeans().fit(X)`) are scored on their own data by design and are not checked;
        - a PyTorch loop that scores the model (calls it and takes a number out: `.item()`, `argmax`, a
          metric; no backward) over the very data a training loop of the file iterates (the same loader,
          through `enumerate`/`tqdm`), when no scoring loop runs over other data.

        Only a Trainer the file builds when it is run counts (its module-level code, `__main__` block and
        the functions they reach, commands registered on an object they use — `@app.command()` with `app()`): the Trainers of a test suite's or a library's functions are built by
        their caller, on data of its choosing (a unit test trains and evaluates on one tiny set on purpose).

        Names are followed through their reaching definitions, so `eval_ds = train_ds` counts as the
        training set. An estimator that is also evaluated on other data (a train score printed beside
        the test score) is not flagged.

        ## Why is this bad?
        A model scores well on the examples it has memorised. Every evaluation then measures
        memorisation rather than generalisation: the reported accuracy is inflated, early stopping and
        `load_best_model_at_end` keep the most over-fitted checkpoint, and nothing warns that the
        model fails on new data.

        ## Example
        ```python
        trainer = Trainer(model=model, args=args, train_dataset=train_ds, eval_dataset=train_ds)
        ```

        ## Use instead
        ```python
        trainer = Trainer(model=model, args=args, train_dataset=train_ds, eval_dataset=val_ds)
        ```

        ## Fix safety
        No fix: which held-out split to evaluate on (and whether one exists yet) is the user's decision.

        ## Error without the fix
        No error: the evaluation reports near-perfect numbers (an `eval_accuracy` that climbs towards
        1.0 as `eval_loss` falls with the training loss), and the model does much worse on new data.
        """);

    private static readonly HashSet<string> Evaluations = ["score", "predict", "predict_proba", "decision_function"];

    public override RuleInfo Info => Rule;

    public override void Finish(ScriptContext context)
    {
        var model = context.Model;
        var runs = RunPath.Of(model);
        foreach (var trainer in TrainerApi.AnyOf(model))
        {
            // A Trainer built only in functions no code of the file runs (a test suite's, a library's) gets its data from its caller.
            if (runs.Runs(trainer) && TrainerApi.Argument(model, trainer, "train_dataset") is { } train &&
                TrainerApi.Argument(model, trainer, "eval_dataset") is { } eval &&
                SplitFacts.SameData(model, train, eval))
            {
                context.Report(
                    this,
                    $"`eval_dataset` is the training set (`{context.Text(train)}`): every evaluation, and the checkpoint kept as best, scores examples the model trained on",
                    eval);
            }
        }

        if (Symbols.Of(model).Imports("sklearn"))
        {
            CheckEstimators(context);
        }

        if (Symbols.Of(model).Imports("torch"))
        {
            CheckTorchLoops(context);
        }
    }

    /// <summary>
    /// PyTorch: loops that score the model (a model call and a prediction checked, `.item()`, a metric; no
    /// backward) only over the data a training loop (backward and an optimizer step) of the file iterates.
    /// </summary>
    private void CheckTorchLoops(ScriptContext context)
    {
        var model = context.Model;
        var runs = RunPath.Of(model);
        var roles = Roles.Of(context);
        var trained = new List<Expr>();
        var scored = new List<(For Loop, Expr Data)>();
        foreach (var loop in Loops.SyntaxPath.DescendantsOf(model.Tree).OfType<For>())
        {
            if (!runs.Runs(loop))
            {
                continue;
            }

            var calls = Loops.SyntaxPath.DescendantsInScope(loop).OfType<Call>().ToList();
            var data = Iterated(model, loop.Iter);
            if (calls.Any(Loops.TorchLoops.IsBackward) && calls.Any(c => Loops.TorchLoops.SteppedOptimizer(c, context) is not null))
            {
                trained.Add(data);
            }
            else if (calls.Any(c => roles.IsModel(c.Func) == true) &&
                     calls.Any(c => c.Func is AttributeExpr { Attr: "item" or "argmax" or "add_batch" } || Metrics.MetricCalls.ComputesAMetric(model, c)))
            {
                scored.Add((loop, data));
            }
        }

        // Scored also on other data (a train accuracy printed beside the validation one): not flagged.
        if (trained.Count == 0 || scored.Count == 0 || !scored.All(e => trained.Any(t => SplitFacts.SameData(model, t, e.Data))))
        {
            return;
        }

        foreach (var (loop, data) in scored)
        {
            context.Report(
                this,
                $"this loop scores the model on `{context.Text(data)}`, the data the training loop trains on: the accuracy measures memorisation, not how the model does on new data",
                new Python.Text.TextRange(loop.Start, loop.Iter.End));
        }
    }

    /// <summary>What a loop iterates, without `enumerate(...)`, `tqdm(...)` and the like around it.</summary>
    private static Expr Iterated(Python.Semantics.SemanticModel model, Expr iter)
    {
        while (iter is Call { Args: [var inner, ..] } wrapper &&
               (Symbols.Of(model).Canonical(wrapper.Func) is "enumerate" || Symbols.Of(model).Canonical(wrapper.Func)?.StartsWith("tqdm", StringComparison.Ordinal) == true))
        {
            iter = inner;
        }

        return iter;
    }

    /// <summary>scikit-learn: an estimator evaluated only on the data it was fitted on.</summary>
    private void CheckEstimators(ScriptContext context)
    {
        var model = context.Model;
        var fits = new Dictionary<Binding, Expr?>();
        var evaluations = new Dictionary<Binding, List<Expr>>();
        foreach (var call in model.Calls)
        {
            if (call.Func is not AttributeExpr { Value: Name receiver } method || Estimator(model, receiver) is not { } estimator)
            {
                continue;
            }

            if (method.Attr == "fit" && model.GetArgument(call, "X", 0) is { } fitted)
            {
                // Only supervised fits (with `y`): a clustering or a PCA is scored on its own data by design.
                if (model.GetArgument(call, "y", 1) is null or Constant { Value: null })
                {
                    continue;
                }

                // A second fit on other data makes "the" training data unknown.
                fits[estimator] = fits.TryGetValue(estimator, out var before) && (before is null || !SplitFacts.SameData(model, before, fitted)) ? null : fitted;
            }
            else if (Evaluations.Contains(method.Attr) && model.GetArgument(call, "X", 0) is { } evaluated &&
                     (method.Attr == "score" || FeedsMetric(model, call)))
            {
                (evaluations.TryGetValue(estimator, out var list) ? list : evaluations[estimator] = []).Add(evaluated);
            }
        }

        foreach (var (estimator, data) in evaluations)
        {
            if (fits.TryGetValue(estimator, out var fitted) && fitted is not null && data.All(d => SplitFacts.SameData(model, d, fitted)))
            {
                foreach (var d in data)
                {
                    context.Report(
                        this,
                        $"`{estimator.Name}` is evaluated on `{context.Text(d)}`, the data it was fitted on: the score measures memorisation, not generalisation",
                        d);
                }
            }
        }
    }

    /// <summary>The binding of a name made by a scikit-learn estimator constructor (`clf = LogisticRegression()`), else null.</summary>
    private static Binding? Estimator(SemanticModel model, Name receiver)
    {
        var binding = Code.SingleAssignment(model, receiver);
        return binding?.Value is Call make && model.ResolveCallee(make) is { } callee && callee.StartsWith("sklearn.", StringComparison.Ordinal)
            ? binding
            : null;
    }

    /// <summary>True when the call's result reaches a `sklearn.metrics` call, directly or through a name.</summary>
    private static bool FeedsMetric(SemanticModel model, Call prediction)
    {
        foreach (var call in model.Calls)
        {
            if (model.ResolveCallee(call) is { } callee && callee.StartsWith("sklearn.metrics.", StringComparison.Ordinal) &&
                call.Args.Concat(call.Keywords.Select(k => k.Value)).Any(a => ReferenceEquals(Code.Unalias(model, a), prediction)))
            {
                return true;
            }
        }

        return false;
    }
}
