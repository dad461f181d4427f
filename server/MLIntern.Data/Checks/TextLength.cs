using MLIntern.Findings;
using MLIntern.Data.Profiling;
using MLIntern.Data.Reading;

namespace MLIntern.Data.Checks;

/// <summary>MLD010: Empty or extremely long texts. This file holds the rule's page and its check.</summary>
public static class TextLength
{
    public static readonly RuleInfo Rule = new(
        "MLD010",
        "empty-or-very-long-text",
        Severity.Warning,
        "Empty or extremely long texts",
        """
        ## What it does
        Finds texts that are only whitespace, and texts longer than `max-text-chars` (default
        5,000 characters).

        ## Why is this bad?
        An empty text carries no signal; a very long one is truncated by the tokenizer (typically at
        512 tokens, about 2,000 characters), so its label may depend on the part the model never sees.

        ## Example
        ```csv
        text,label
        "   ",complaint
        ```

        ## Use instead
        Drop empty texts; split or summarise very long ones, or raise the model's maximum length.

        ## Fix safety
        No automatic fix: what to keep of a long text is a judgement.

        ## Error without the fix
        Nothing fails: the tokenizer silently truncates, or the model learns that blank means a class.
        """);

    /// <summary>Counts the texts that are only whitespace or longer than the limit.</summary>
    internal sealed class Checker(DataPass pass) : IRowCheck
    {
        private readonly Tally _tally = new(pass.Options.MaxExamples);

        public void Row(in RowFacts row)
        {
            if (!row.HasText)
            {
                return;
            }

            var trimmed = row.Trimmed;
            if (trimmed.IsEmpty)
            {
                _tally.Add();
                if (_tally.WantsExample)
                {
                    _tally.Example(row.Example("the text is only whitespace"));
                }

                return;
            }

            // Bytes bound characters from above: only a text with more bytes than the limit needs counting.
            var max = pass.Options.MaxTextChars;
            var chars = trimmed.Length > max ? Utf8Text.Utf16Length(trimmed) : trimmed.Length;
            if (chars > max)
            {
                _tally.Add();
                if (_tally.WantsExample)
                {
                    _tally.Example(row.Example($"the text is {chars:N0} characters long (more than {max:N0}); tokenizers cut it"));
                }
            }
        }

        public CheckResult Finish() =>
            _tally.Result(Rule, $"{_tally.Count:N0} text(s) are empty or longer than {pass.Options.MaxTextChars:N0} characters");
    }
}
