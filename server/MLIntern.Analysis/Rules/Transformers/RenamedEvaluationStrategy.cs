using MLIntern.Analysis.Findings;
using MLIntern.Analysis.Text;

namespace MLIntern.Analysis.Rules.Transformers;

/// <summary>MLI501: <c>TrainingArguments(evaluation_strategy=…)</c>, an argument transformers renamed to <c>eval_strategy</c>.</summary>
public sealed class RenamedEvaluationStrategy : IScriptRule
{
    public static readonly RuleInfo Rule = new(
        "MLI501",
        "renamed-evaluation-strategy",
        Severity.Error,
        "`TrainingArguments(evaluation_strategy=…)`: the argument was renamed `eval_strategy`",
        """
        ## What it does
        Finds `evaluation_strategy=` passed to `transformers.TrainingArguments` (or
        `Seq2SeqTrainingArguments`).

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

    private static readonly HashSet<string> Callees = ["TrainingArguments", "Seq2SeqTrainingArguments"];

    public RuleInfo Info => Rule;

    public void Check(ScriptContext context)
    {
        foreach (var call in KeywordScanner.Calls(context.Text, Callees))
        {
            var old = call.Keywords.FirstOrDefault(k => context.Text.AsSpan(k.Start, k.Length).SequenceEqual("evaluation_strategy"));
            if (old.Length == 0)
            {
                continue;
            }

            var hasNew = call.Keywords.Any(k => context.Text.AsSpan(k.Start, k.Length).SequenceEqual("eval_strategy"));
            var fix = hasNew
                ? null
                : new Fix(
                    "Rename 'evaluation_strategy' to 'eval_strategy'",
                    Applicability.Safe,
                    [new TextEdit(context.RangeOf(old), "eval_strategy")]);
            context.Report(Rule, "`evaluation_strategy` was renamed `eval_strategy` in transformers; current versions reject it", old, fix);
        }
    }
}
