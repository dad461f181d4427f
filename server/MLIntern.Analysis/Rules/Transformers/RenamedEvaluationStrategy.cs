using MLIntern.Analysis.Findings;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Rules.Transformers;

/// <summary>MLI501: <c>TrainingArguments(evaluation_strategy=…)</c>, an argument transformers renamed to <c>eval_strategy</c>.</summary>
public sealed class RenamedEvaluationStrategy : ScriptRule
{
    public static readonly RuleInfo Rule = new(
        "MLI501",
        "renamed-evaluation-strategy",
        Severity.Error,
        "`TrainingArguments(evaluation_strategy=…)`: the argument was renamed `eval_strategy`",
        """
        ## What it does
        Finds `evaluation_strategy` passed to `transformers.TrainingArguments` or a class built on
        it (`Seq2SeqTrainingArguments`, trl's configs, sentence-transformers' arguments, a subclass
        in the script), as a keyword or as a key of a mapping unpacked with `**`: a dict literal, a
        `dict(...)` call, through names, or nested in a config dict (`**CONFIG["training"]`).

        ## Why is this bad?
        transformers renamed the argument to `eval_strategy` (deprecated in 4.41, then removed).
        On a current transformers the script stops before training starts; on an older one it
        only warns, so the same script behaves differently depending on the installed version.

        ## Example
        ```python
        args = TrainingArguments(output_dir="out", evaluation_strategy="epoch")
        ```

        ## Use instead
        ```python
        args = TrainingArguments(output_dir="out", eval_strategy="epoch")
        ```

        ## Fix safety
        Safe: the new name is the same parameter, so renaming the keyword changes nothing else.
        No fix is offered when the call already passes `eval_strategy` too.

        ## Error without the fix
        ```
        TypeError: TrainingArguments.__init__() got an unexpected keyword argument 'evaluation_strategy'
        ```
        """);

    private const string OldName = "evaluation_strategy";
    private const string NewName = "eval_strategy";

    public override RuleInfo Info => Rule;

    public override FixAvailability FixAvailability => FixAvailability.Sometimes;

    public override IReadOnlyList<Type> NodeTypes => [typeof(Call)];

    public override void Visit(Node node, ScriptContext context)
    {
        var call = (Call)node;
        if (!TrainerApi.IsArgumentsCall(call, context.Model))
        {
            return;
        }

        var hasNew = context.Model.HasArgument(call, NewName);
        foreach (var keyword in call.Keywords)
        {
            if (keyword.Arg == OldName)
            {
                var name = new Python.Text.TextRange(keyword.Start, keyword.Start + OldName.Length);
                Report(context, name, hasNew ? null : NewName);
            }
            else if (keyword.Arg is null && TrainerApi.FindUnpacked(keyword.Value, OldName, context.Model) is { } setting)
            {
                // `**{"evaluation_strategy": ...}`, `**cfg`, `**CONFIG["training"]`: fix the key's string (keeping its quotes) or the `dict(...)` keyword.
                var key = setting.DictKey;
                var quote = key is null ? '\0' : context.Text(key)[0];
                var replacement = key is null ? NewName : quote is '"' or '\'' ? $"{quote}{NewName}{quote}" : null;
                Report(context, setting.NameRange, hasNew ? null : replacement);
            }
        }
    }

    private void Report(ScriptContext context, Python.Text.TextRange range, string? replacement)
    {
        var fix = replacement is null
            ? null
            : new Fix($"Rename '{OldName}' to '{NewName}'", Applicability.Safe, [context.Replace(range, replacement)]);
        context.Report(this, $"`{OldName}` was renamed `{NewName}` in transformers; current versions reject it", range, fix);
    }
}
