using MLIntern.Analysis.Findings;
using MLIntern.Analysis.Rules.Loops;
using MLIntern.Analysis.Rules.Publishing;
using MLIntern.Python.Syntax;
using MLIntern.Python.Text;

namespace MLIntern.Analysis.Rules.Transformers;

/// <summary>MLI505: a script that trains a model and sets no seed anywhere.</summary>
public sealed class MissingSeed : ScriptRule
{
    public static readonly RuleInfo Rule = new(
        "MLI505",
        "missing-seed",
        Severity.Warning,
        "No seed set anywhere",
        """
        ## What it does
        Finds scripts that train — `trainer.train()` on a transformers or trl Trainer, `.fit(...)` on
        a randomized scikit-learn estimator (forests, boosting, MLPs, SGD), an XGBoost/LightGBM model,
        a Keras model or a Lightning `Trainer`, or a
        PyTorch loop with `backward()` and an optimizer step — where nothing sets a seed: no call to a
        seeding function (`transformers.set_seed`, `torch.manual_seed`, `random.seed`,
        `np.random.seed`, `seed_everything`, `keras.utils.set_random_seed`, or any function whose name
        says seed), no `seed=`/`random_state=` argument anywhere, and no Trainer `model_init=`. The
        finding sits on the first training call.

        Only training the file runs when it is run counts: its module-level code and the `__main__`
        block, the functions they call or hand on, the methods of classes they construct, the commands
        registered on an object they use (`@app.command()` of a typer app run by `app()`, a click group's). A module of
        definitions only (a library, a `train_utils.py`) is seeded by whoever calls it.

        ## Why is this bad?
        Weight initialisation, data shuffling, dropout and train/test splits all draw random numbers.
        Without a seed, two runs of the same script on the same data give different scores, so a
        change that "improved" the score by a point may be noise, and a bug report cannot be
        reproduced. A Trainer seeds itself (`seed=42`) — but only when it is created, after
        `from_pretrained` has drawn the new classification head's weights, so the starting point still
        changes from run to run.

        ## Example
        ```python
        model = AutoModelForSequenceClassification.from_pretrained("distilbert-base-uncased", num_labels=4)
        trainer = Trainer(model=model, args=args, train_dataset=train_ds)
        trainer.train()
        ```

        ## Use instead
        ```python
        import transformers

        transformers.set_seed(42)
        model = AutoModelForSequenceClassification.from_pretrained("distilbert-base-uncased", num_labels=4)
        ```

        ## Fix safety
        Unsafe: the fix calls `transformers.set_seed(42)` (which seeds `random`, NumPy and PyTorch) or,
        in a PyTorch script without transformers, `torch.manual_seed(42)`, right after the imports,
        adding the import when missing. Results become reproducible, and therefore different from
        earlier unseeded runs. No fix for scikit-learn or Keras scripts: pass `random_state=` to the
        estimator or call `keras.utils.set_random_seed` where the author prefers.

        ## Error without the fix
        No error: two runs report different numbers, for example `eval_f1: 0.812` and then
        `eval_f1: 0.795` for the same script and data.
        """);

    private const string SeedValue = "42";

    /// <summary>scikit-learn estimators whose fit draws random numbers (so `random_state=` matters).</summary>
    private static readonly HashSet<string> RandomizedEstimators =
    [
        "RandomForestClassifier", "RandomForestRegressor", "ExtraTreesClassifier", "ExtraTreesRegressor",
        "GradientBoostingClassifier", "GradientBoostingRegressor", "MLPClassifier", "MLPRegressor",
        "SGDClassifier", "SGDRegressor", "DecisionTreeClassifier", "DecisionTreeRegressor",
    ];

    private static readonly HashSet<string> SeedKeywords = ["seed", "random_state", "random_seed", "data_seed"];

    public override RuleInfo Info => Rule;

    public override FixAvailability FixAvailability => FixAvailability.Sometimes;

    public override void Finish(ScriptContext context)
    {
        var model = context.Model;
        if (FirstTraining(context) is not { } training || SetsSeed(context))
        {
            return;
        }

        context.Report(this, training.Message, training.Range, SeedFix(context, training.Kind));
    }

    private enum Kind
    {
        Transformers,
        Torch,
        Other,
    }

    private sealed record Training(TextRange Range, string Message, Kind Kind);

    private static Training? FirstTraining(ScriptContext context)
    {
        var model = context.Model;
        var torch = Symbols.Of(model).Imports("torch");
        var runs = RunPath.Of(model);
        foreach (var node in SyntaxPath.DescendantsOf(model.Tree))
        {
            if (node is not (Call { Func: AttributeExpr { Attr: "train" or "fit" } } or For or While) || !runs.Runs(node))
            {
                // Only training the file runs when it is run: a library module's loop is seeded by its caller.
                continue;
            }

            switch (node)
            {
                case Call { Func: AttributeExpr { Attr: "train" } train } call when ValueOrigin.Of(train.Value, model) is { } origin && TrainerApi.IsTrainerClass(origin, model):
                    if (TrainerApi.MadeBy(model, train.Value) is { } trainer && model.HasArgument(trainer, "model_init"))
                    {
                        // The Trainer seeds before it calls model_init: the model is reproducible.
                        continue;
                    }

                    return new Training(call.Range, $"`{context.Text(call)}` trains with no seed set anywhere in the script: the Trainer seeds itself only when it is created, after `from_pretrained` has drawn the new head's random weights, so each run starts from different weights", Kind.Transformers);
                case Call { Func: AttributeExpr { Attr: "fit" } fit } call when ValueOrigin.Of(fit.Value, model) is { } origin && IsRandomizedFit(origin):
                    return new Training(call.Range, $"`{context.Text(fit)}(...)` trains a randomized model with no seed set anywhere in the script: each run gives a different model and different scores", Kind.Other);
                case For or While when torch && IsTorchTrainingLoop((Stmt)node, context):
                    var header = node is For f ? new TextRange(f.Start, f.Iter.End) : new TextRange(node.Start, ((While)node).Test.End);
                    return new Training(header, "this training loop runs with no seed set anywhere in the script: weight initialisation, shuffling and dropout differ between runs, and so do the scores", Kind.Torch);
            }
        }

        return null;
    }

    private static bool IsRandomizedFit(string origin) =>
        (origin.StartsWith("sklearn.", StringComparison.Ordinal) && RandomizedEstimators.Contains(origin[(origin.LastIndexOf('.') + 1)..]))
        || origin.StartsWith("keras.", StringComparison.Ordinal) || origin.StartsWith("tensorflow.keras.", StringComparison.Ordinal)
        || origin.StartsWith("xgboost.", StringComparison.Ordinal) || origin.StartsWith("lightgbm.", StringComparison.Ordinal)
        || origin is "lightning.Trainer" or "lightning.pytorch.Trainer" or "pytorch_lightning.Trainer";

    private static bool IsTorchTrainingLoop(Stmt loop, ScriptContext context)
    {
        var calls = SyntaxPath.DescendantsInScope(loop).OfType<Call>().ToList();
        return calls.Any(TorchLoops.IsBackward) && TorchLoops.OptimizerSteps(calls, context).Count > 0;
    }

    /// <summary>Any call to a function whose name says seed, any non-None `seed=`/`random_state=` argument.</summary>
    private static bool SetsSeed(ScriptContext context)
    {
        var model = context.Model;
        foreach (var call in model.Calls)
        {
            var name = call.Func switch
            {
                Name n => n.Id,
                AttributeExpr a => a.Attr,
                _ => null,
            };
            if (name is not null && (name.Contains("seed", StringComparison.OrdinalIgnoreCase) || name == "enable_full_determinism"
                || (name == "default_rng" && call.Args.Count > 0)))
            {
                return true;
            }

            if (call.Keywords.Any(k => k.Arg is { } arg && SeedKeywords.Contains(arg) && k.Value is not Constant { Value: null }))
            {
                return true;
            }

            // `TrainingArguments(**cfg)` with `"seed": 42` in the dict.
            if (call.Keywords.Any(k => k.Arg is null) && SeedKeywords.Any(s => model.GetArgument(call, s) is { } v && v is not Constant { Value: null }))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>`transformers.set_seed(42)` or `torch.manual_seed(42)` on its own line after the file's leading imports.</summary>
    private static Fix? SeedFix(ScriptContext context, Kind kind)
    {
        var (module, function) = kind switch
        {
            Kind.Transformers => ("transformers", "set_seed"),
            Kind.Torch when context.Model.GlobalScope.Bindings.Values.SelectMany(b => b).Any(b => b.QualifiedName is { } q && q.StartsWith("transformers", StringComparison.Ordinal)) => ("transformers", "set_seed"),
            Kind.Torch => ("torch", "manual_seed"),
            _ => (null, null),
        };
        var body = context.Model.Tree.Body;
        var lastImport = body.TakeWhile(s => s is Import or ImportFrom || (ReferenceEquals(s, body[0]) && s is ExprStmt { Value: Constant { Value: string } })).LastOrDefault(s => s is Import or ImportFrom);
        if (module is null || lastImport is null || CodeEdits.Import(context, module) is not var (name, importEdit))
        {
            return null;
        }

        var line = context.Source.GetLineIndex(lastImport.End);
        var end = context.Source.GetLineEnd(line);
        var newline = CodeEdits.Newline(context);
        var edits = new List<TextEdit> { context.Replace(new TextRange(end, end), $"{newline}{newline}{name}.{function}({SeedValue})") };
        if (importEdit is not null)
        {
            edits.Insert(0, importEdit);
        }

        return new Fix($"Seed everything after the imports: `{name}.{function}({SeedValue})` (runs become reproducible, and differ from earlier ones)", Applicability.Unsafe, edits);
    }
}
