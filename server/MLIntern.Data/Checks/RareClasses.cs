using MLIntern.Findings;
using MLIntern.Data.Profiling;

namespace MLIntern.Data.Checks;

/// <summary>MLD006: Classes with fewer than 10 examples. This file holds the rule's page and its check.</summary>
public static class RareClasses
{
    public static readonly RuleInfo Rule = new(
        "MLD006",
        "too-few-examples-per-class",
        Severity.Warning,
        "Classes with fewer than 10 examples",
        """
        ## What it does
        Lists the classes with fewer than `min-class-examples` (default 10) rows, with the line of
        one of them.

        ## Why is this bad?
        A class with a handful of examples cannot be learned or measured: after a split the test set
        holds one or none of them, and a stratified split fails outright.

        ## Example
        ```
        check_cancellation_fee: 6 rows
        ```

        ## Use instead
        Collect more examples, merge the class into a related one, or drop it.

        ## Fix safety
        No automatic fix: merging or dropping a class changes the task.

        ## Error without the fix
        ```
        ValueError: The least populated class in y has only 1 member, which is too few. The minimum number of groups for any class cannot be less than 2.
        ```
        """);

    /// <summary>Lists the small classes of the label table once the pass is over, each at the line it was first seen.</summary>
    internal sealed class Checker(DataPass pass) : IDataCheck
    {
        public CheckResult Finish()
        {
            var labels = pass.Labels;
            var options = pass.Options;
            var rare = labels.Names.Select((name, id) => (Name: name, Id: id, Count: labels.Total(id))).Where(c => c.Count < options.MinClassExamples).OrderBy(c => c.Count).ToList();
            var examples = rare.Take(options.MaxExamples).Select(c => new Example("", labels.First[c.Id].Path, labels.First[c.Id].Line, "", $"class '{c.Name}' has only {c.Count} example(s) (fewer than {options.MinClassExamples})")).ToList();
            var message = rare.Count == 0 ? $"every class has at least {options.MinClassExamples} examples"
                : $"{rare.Count} class(es) have fewer than {options.MinClassExamples} examples: {string.Join(", ", rare.Take(5).Select(c => $"'{c.Name}' ({c.Count})"))}";

            // With classes left uncounted (too many of them) "rare" means nothing: that is MLD011's finding.
            var count = labels.Complete && labels.Names.Count <= options.MaxLabelClasses ? rare.Count : 0;
            return new CheckResult(Rule.Code, Rule.Name, Rule.DefaultSeverity, count, false, message, pass.Home, examples);
        }
    }
}
