using MLIntern.Findings;
using MLIntern.Data.Profiling;

namespace MLIntern.Data.Checks;

/// <summary>MLD009: Unfilled template placeholders such as {{Order Number}}. This file holds the rule's page and its check.</summary>
public static class Placeholders
{
    public static readonly RuleInfo Rule = new(
        "MLD009",
        "unfilled-placeholder",
        Severity.Warning,
        "Unfilled template placeholders such as {{Order Number}}",
        """
        ## What it does
        Finds texts holding template slots that were never filled: `{{Order Number}}`, `{{Name}}`
        (two braces, up to 40 characters inside, no line break).

        ## Why is this bad?
        Real users never type `{{Order Number}}`. A model trained on slots learns the slot as a
        feature and meets real order numbers only in production.

        ## Example
        ```csv
        text,label
        cancel order {{Order Number}},cancel_order
        ```

        ## Use instead
        ```csv
        text,label
        cancel order 48213,cancel_order
        ```
        Fill slots with realistic values (varied, fake) before training.

        ## Fix safety
        No automatic fix: realistic fillers depend on the domain.

        ## Error without the fix
        Nothing fails: the model is worse on real inputs than the validation score says.
        """);

    /// <summary>Counts the rows with an unfilled placeholder in any text-like column (once per row), naming the first slot.</summary>
    internal sealed class Checker(DataPass pass) : IRowCheck
    {
        private readonly Tally _tally = new(pass.Options.MaxExamples);

        public void Row(in RowFacts row)
        {
            var file = row.File;
            for (var c = 0; c < file.TextLike.Length && c < row.Record.Count; c++)
            {
                if (!file.TextLike[c])
                {
                    continue;
                }

                var value = row.Record[c];
                if (!value.IsEmpty && PlaceholderScanner.TryFind(value, out var slotStart, out var slotLength))
                {
                    _tally.Add();
                    if (_tally.WantsExample)
                    {
                        var slot = System.Text.Encoding.UTF8.GetString(value.Slice(slotStart, slotLength)).Trim();
                        _tally.Example(new Example(file.SplitName, file.Path, row.Line, RowFacts.Preview(value), $"unfilled placeholder {{{{{slot}}}}} in '{file.Names[c]}'"));
                    }

                    return;
                }
            }
        }

        public CheckResult Finish() =>
            _tally.Result(Rule, $"{_tally.Count:N0} row(s) hold unfilled template placeholders such as {{{{Order Number}}}}");
    }
}

public static class PlaceholderScanner
{
    /// <summary>The first <c>{{Slot}}</c> in a text (the slot name, for messages), or null.</summary>
    public static string? Find(ReadOnlySpan<byte> text) =>
        TryFind(text, out var start, out var length) ? System.Text.Encoding.UTF8.GetString(text.Slice(start, length)).Trim() : null;

    /// <summary>Where the first <c>{{Slot}}</c>'s name sits; allocates nothing, as it runs on every text.</summary>
    public static bool TryFind(ReadOnlySpan<byte> text, out int start, out int length)
    {
        var offset = 0;
        for (var guard = 0; guard < 10_000 && offset < text.Length; guard++)
        {
            var open = text[offset..].IndexOf("{{"u8);
            if (open < 0)
            {
                break;
            }

            var inside = offset + open + 2;
            var rest = text[inside..];
            var close = rest.IndexOf("}}"u8);
            if (close < 0)
            {
                break;
            }

            var inner = rest[..close];
            if (close is > 0 and <= 40 && inner.IndexOfAny("\n\r{"u8) < 0 && !inner.Trim(" "u8).IsEmpty)
            {
                start = inside;
                length = close;
                return true;
            }

            offset = inside;
        }

        start = 0;
        length = 0;
        return false;
    }
}
