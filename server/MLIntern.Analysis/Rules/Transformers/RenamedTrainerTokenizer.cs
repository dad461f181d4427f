using MLIntern.Analysis.Findings;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Rules.Transformers;

/// <summary>MLI502: <c>Trainer(tokenizer=…)</c>, an argument transformers renamed to <c>processing_class</c>.</summary>
public sealed class RenamedTrainerTokenizer : ScriptRule
{
    public static readonly RuleInfo Rule = new(
        "MLI502",
        "renamed-trainer-tokenizer",
        Severity.Error,
        "`Trainer(tokenizer=…)`: the argument was renamed `processing_class`",
        """
        ## What it does
        Finds `tokenizer` passed to `transformers.Trainer`, `Seq2SeqTrainer` or one of trl's
        trainers (`SFTTrainer`, `DPOTrainer`, …), as a keyword or as a key of a literal dict
        passed with `**`.

        ## Why is this bad?
        transformers renamed the argument to `processing_class` in 4.46 (it also takes image
        processors, feature extractors and processors) and removed the old name in 5.0; trl's
        trainers followed. On a current version the script stops before training starts; on an
        older one it only warns, so the same script works or fails depending on the installed
        version.

        ## Example
        ```python
        trainer = Trainer(model=model, args=args, train_dataset=train_ds, tokenizer=tokenizer)
        ```

        ## Use instead
        ```python
        trainer = Trainer(model=model, args=args, train_dataset=train_ds, processing_class=tokenizer)
        ```

        ## Fix safety
        Safe: the new name is the same parameter, so renaming the keyword changes nothing else.
        No fix is offered when the call already passes `processing_class` too.

        ## Error without the fix
        ```
        TypeError: Trainer.__init__() got an unexpected keyword argument 'tokenizer'
        ```
        On transformers 4.46 up to 5.0 a warning instead:
        ```
        FutureWarning: `tokenizer` is deprecated and will be removed in version 5.0.0 for `Trainer.__init__`. Use `processing_class` instead.
        ```
        """);

    private const string OldName = "tokenizer";
    private const string NewName = "processing_class";

    public override RuleInfo Info => Rule;

    public override FixAvailability FixAvailability => FixAvailability.Sometimes;

    public override IReadOnlyList<Type> NodeTypes => [typeof(Call)];

    public override void Visit(Node node, ScriptContext context)
    {
        var call = (Call)node;
        if (!TrainerApi.IsTrainerCall(call, context.Model) || TrainerApi.FindSetting(call, OldName, context.Model) is not { } setting)
        {
            return;
        }

        Fix? fix = null;
        if (!context.Model.HasArgument(call, NewName))
        {
            // A dict key keeps its own quotes; a keyword is a bare name.
            var replacement = setting.DictKey is { } key ? $"{context.Text(key)[0]}{NewName}{context.Text(key)[0]}" : NewName;
            fix = new Fix($"Rename '{OldName}' to '{NewName}'", Applicability.Safe, [context.Replace(setting.NameRange, replacement)]);
        }

        context.Report(this, $"`{OldName}` was renamed `{NewName}` in transformers; current versions reject it", setting.NameRange, fix);
    }
}
