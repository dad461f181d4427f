using MLIntern.Analysis.Findings;
using MLIntern.Analysis.Rules.Loops;
using MLIntern.Analysis.Rules.Transformers;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Rules.Publishing;

/// <summary>MLI601: <c>push_to_hub=True</c> or a <c>.push_to_hub()</c> call: the script publishes without a review step.</summary>
public sealed class PushToHubWithoutReview : ScriptRule
{
    public static readonly RuleInfo Rule = new(
        "MLI601",
        "push-to-hub-without-review",
        Severity.Warning,
        "`push_to_hub=True`: publishing without a review step",
        """
        ## What it does
        Finds training scripts that publish on their own: `TrainingArguments(push_to_hub=True)`
        (also through a literal `**` dict, in trl's configs, and as a field default of the script's
        own TrainingArguments dataclass an `HfArgumentParser` fills), and `.push_to_hub(...)` called on a
        model, tokenizer, Trainer or data set from transformers, datasets, trl, peft or
        sentence-transformers, or `huggingface_hub.upload_folder(...)`/`upload_file(...)`. An explicit
        upload under an `if` (`if args.push_to_hub: trainer.push_to_hub()`) is left alone: someone
        decides when running the script. So is an explicit upload that comes after the script
        evaluated the model (`trainer.evaluate()`, `trainer.predict(...)`, a metric computed, a sentence-transformers evaluator called on the model): that is
        a publishing step of its own, after the results exist, not an upload of every checkpoint
        while training. An explicit upload before anything trains — or in a file that trains
        nothing (no Trainer `train()`, `fit()`, backward pass or optimizer step) — is not checked
        either: it publishes no run's results (a tokenizer built from a vocabulary, a hand-made adapter). In a notebook, where each cell is run by hand, an explicit upload in a
        cell after one that evaluated — or that trained a Trainer evaluating as it trains
        (`eval_dataset` and an `eval_strategy`, or Keras' `fit` with `validation_data`), whose
        output shows the figures — is such a step too.

        ## Why is this bad?
        With `push_to_hub=True` the Trainer uploads the model to the Hub every time it saves a
        checkpoint, and again at the end — before anyone has looked at the evaluation, the
        failure analysis or the model card. A model trained on the wrong split, with string labels
        mapped to `LABEL_0…`, or on data with personal information in it is public the moment
        the run starts. Publishing is a decision for a person who has seen the results.

        ## Example
        ```python
        args = TrainingArguments(output_dir="out", push_to_hub=True)
        ```

        ## Use instead
        ```python
        args = TrainingArguments(output_dir="out", push_to_hub=False)
        ```
        Then review the run and publish it explicitly (`mlintern publish`, or `trainer.push_to_hub()`
        in a separate step run by hand).

        ## Fix safety
        Unsafe: the fix sets `push_to_hub` to `False`, so the run no longer uploads anything — that
        is the point, but it changes what the script does. Explicit `.push_to_hub(...)` calls get no
        fix: where to put the review step is for the author to decide.

        ## Error without the fix
        No error: the run creates the repository (`<your user>/<output_dir>`, public unless it
        already exists as private) and uploads the model while it trains. Everyone with the link
        sees whatever the run produced, wrong labels and all.
        """);

    /// <summary>Libraries whose objects have a `push_to_hub` method that uploads to the Hub.</summary>
    private static readonly string[] HubLibraries = ["transformers.", "datasets.", "trl.", "peft.", "sentence_transformers.", "setfit.", "diffusers.", "timm."];

    private static readonly HashSet<string> UploadFunctions =
    [
        "huggingface_hub.upload_folder",
        "huggingface_hub.upload_file",
        "huggingface_hub.HfApi.upload_folder",
        "huggingface_hub.HfApi.upload_file",
    ];

    public override RuleInfo Info => Rule;

    public override FixAvailability FixAvailability => FixAvailability.Sometimes;

    public override IReadOnlyList<Type> NodeTypes => [typeof(Call), typeof(ClassDef)];

    public override void Visit(Node node, ScriptContext context)
    {
        var model = context.Model;
        if (node is ClassDef cls)
        {
            // The file's own TrainingArguments dataclass an HfArgumentParser fills: `push_to_hub: bool = True`.
            if (TrainerApi.IsParsedArgumentsClass(cls, model) && TrainerApi.FindSetting(cls, "push_to_hub", model) is { } field &&
                cls.Range.Contains(field.NameRange) && model.TryEvaluate(field.Value, out var set) && set is true)
            {
                var fix = new Fix("Set `push_to_hub` to False (the run no longer uploads; publish after review)", Applicability.Unsafe, [context.Replace(field.Value.Range, "False")]);
                context.Report(this, "`push_to_hub=True` uploads every checkpoint to the Hub while training, before anyone has reviewed the model; publish after review instead", field.NameRange, fix);
            }

            return;
        }

        var call = (Call)node;
        if (TrainerApi.IsArgumentsCall(call, model))
        {
            if (TrainerApi.FindSetting(call, "push_to_hub", model) is { } setting && model.TryEvaluate(setting.Value, out var on) && on is true)
            {
                var fix = new Fix("Set `push_to_hub=False` (the run no longer uploads; publish after review)", Applicability.Unsafe, [context.Replace(setting.Value.Range, "False")]);
                context.Report(this, "`push_to_hub=True` uploads every checkpoint to the Hub while training, before anyone has reviewed the model; publish after review instead", setting.NameRange, fix);
            }

            return;
        }

        var isPush = call.Func is AttributeExpr { Attr: "push_to_hub" } method && ValueOrigin.IsFrom(method.Value, model, HubLibraries);
        var isUpload = !isPush && (model.ResolveCallee(call) is { } callee
            ? UploadFunctions.Contains(callee)
            : call.Func is AttributeExpr { Attr: "upload_folder" or "upload_file" } upload && ValueOrigin.Of(upload.Value, model) == "huggingface_hub.HfApi");

        // An explicit upload under an `if` (`if args.push_to_hub:`) is a decision someone made when running the script.
        // An explicit upload before anything trains (or in a file that trains nothing) publishes what someone made by hand, not a run's results.
        if (!(isPush || isUpload) || SyntaxPath.AncestorsOf(model, call).Any(a => a is If or IfExp) || EvaluatedBefore(model, call) || !TrainedBefore(context, call) ||
            ReviewedInEarlierStep(context, call))
        {
            return;
        }

        if (isPush)
        {
            var pushed = ((AttributeExpr)call.Func).Value;
            var range = new Python.Text.TextRange(call.Func.End - "push_to_hub".Length, call.End);
            context.Report(this, $"`{context.Text(pushed)}.push_to_hub(...)` publishes from the training script, with no review of the results first; publish after review instead", range);
        }
        else
        {
            context.Report(this, "the training script uploads to the Hub itself, with no review of the results first; publish after review instead", call.Func);
        }
    }

    /// <summary>
    /// True when something trains before the upload: earlier in the same function (or at module
    /// level), or anywhere in another function, whose order against the upload is not known.
    /// </summary>
    private static bool TrainedBefore(ScriptContext context, Call upload)
    {
        var model = context.Model;
        var function = SyntaxPath.AncestorsOf(model, upload).OfType<FunctionDef>().LastOrDefault();
        return TorchLoops.TrainingCalls(context).Any(t =>
            t.Start < upload.Start || !ReferenceEquals(SyntaxPath.AncestorsOf(model, t).OfType<FunctionDef>().LastOrDefault(), function));
    }

    /// <summary>
    /// In a notebook: an upload in a cell after one that evaluated — `evaluate()`/`predict()`, a
    /// metric, or a Trainer with an `eval_dataset` trained there (its output shows the evaluation) —
    /// is run by hand by someone who saw the results.
    /// </summary>
    private static bool ReviewedInEarlierStep(ScriptContext context, Call upload)
    {
        if (!context.RunsInSteps)
        {
            return false;
        }

        var model = context.Model;
        var step = context.StepOf(upload);
        return model.Calls.Any(c => context.StepOf(c) < step && (Evaluates(model, c) || TrainsWithEvaluation(model, c)));
    }

    /// <summary>`trainer.train()` of a Trainer given an `eval_dataset` whose arguments evaluate during training (`eval_strategy` other than "no"), or a Keras `fit` with validation data.</summary>
    private static bool TrainsWithEvaluation(Python.Semantics.SemanticModel model, Call call)
    {
        // Keras: `model.fit(..., validation_data=...)` prints the validation figures of every epoch.
        if (call.Func is AttributeExpr { Attr: "fit" } && (model.HasArgument(call, "validation_data") || model.HasArgument(call, "validation_split")))
        {
            return true;
        }

        if (call.Func is not AttributeExpr { Attr: "train" } train)
        {
            return false;
        }

        if (TrainerApi.MadeBy(model, Code.Unalias(model, train.Value)) is not { } trainer || !TrainerApi.IsTrainerCall(trainer, model) || TrainerApi.Argument(model, trainer, "eval_dataset") is null ||
            TrainerApi.TrainingArguments(model, trainer) is not { } arguments)
        {
            return false;
        }

        var strategy = TrainerApi.FindSetting(arguments, "eval_strategy", model) ?? TrainerApi.FindSetting(arguments, "evaluation_strategy", model);
        return strategy is not null && model.TryEvaluate(strategy.Value, out var value) && value is string s && s != "no";
    }

    private static bool Evaluates(Python.Semantics.SemanticModel model, Call c) =>
        c.Func is AttributeExpr { Attr: "evaluate" or "predict" } m && ValueOrigin.Of(m.Value, model) is { } origin && TrainerApi.IsAnyTrainerClass(origin, model)
        || Metrics.MetricCalls.ComputesAMetric(model, c)
        || c.Func is Name evaluator && model.ReachingValue(evaluator) is Call made && MakesEvaluator(model, made, 0);

    /// <summary>A call that builds a sentence-transformers evaluator: its constructor, or a helper of the file returning one.</summary>
    private static bool MakesEvaluator(Python.Semantics.SemanticModel model, Call call, int depth)
    {
        if (model.ResolveCallee(call) is { } callee && Api.IsEvaluatorClass(callee))
        {
            return true;
        }

        var returned = depth < 3 && Code.LocalFunction(model, call) is { } helper ? Code.SingleReturn(helper) : null;
        if (returned is Name local)
        {
            returned = model.ReachingValue(local);
        }

        return returned is Call inner && MakesEvaluator(model, inner, depth + 1);
    }

    /// <summary>True when the script evaluates a model before this call: `trainer.evaluate()`/`predict()` of a Trainer, a metric, or a sentence-transformers evaluator called on the model.</summary>
    private static bool EvaluatedBefore(Python.Semantics.SemanticModel model, Call upload) =>
        model.Calls.Any(c => c.End <= upload.Start && Evaluates(model, c));
}
