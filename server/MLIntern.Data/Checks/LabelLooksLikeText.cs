using MLIntern.Findings;
using MLIntern.Data.Profiling;

namespace MLIntern.Data.Checks;

/// <summary>MLD011: The label column looks like free text or IDs (too many classes). This file holds the rule's page and its check.</summary>
public static class LabelLooksLikeText
{
    public static readonly RuleInfo Rule = new(
        "MLD011",
        "label-column-is-free-text",
        Severity.Error,
        "The label column looks like free text or IDs (too many classes)",
        """
        ## What it does
        Reports a label column with more than `max-label-classes` (default 200) distinct values, or
        one where more than half the rows have a value of their own (with at least 50 rows), or whose
        values read as text (several words on average) or as IDs.

        ## Why is this bad?
        Such a column is not a set of classes: the wrong column was taken as the label (an ID, the
        response text), so the model is set up with thousands of outputs and learns nothing.

        ## Example
        ```csv
        id,text,response
        1,where is my order,Your order ships tomorrow
        ```

        ## Use instead
        Name the real label column (`--label-column intent`, or `label-column` under
        `[tool.mlintern]` in pyproject.toml), or add one.

        ## Fix safety
        No automatic fix: which column is the label is the owner's decision.

        ## Error without the fix
        ```
        RuntimeError: CUDA error: device-side assert triggered (a label id is outside num_labels)
        ```
        """);

    /// <summary>Judges the label column from its statistics once the pass is over.</summary>
    internal sealed class Checker(DataPass pass) : IDataCheck
    {
        public CheckResult Finish()
        {
            if (pass.Roles?.Label is not { Column: { } column } label || pass.LabelColumn is not { } profile)
            {
                return new CheckResult(Rule.Code, Rule.Name, Rule.DefaultSeverity, 0, false, "no label column", pass.Home, []);
            }

            var options = pass.Options;
            var present = profile.Present;
            var classes = profile.DistinctCount;
            var type = profile.Type;
            string? reason = null;
            if (classes > options.MaxLabelClasses)
            {
                reason = $"{classes:N0} distinct values (more than {options.MaxLabelClasses:N0})";
            }
            else if (present >= 50 && classes > present / 2)
            {
                reason = $"{classes:N0} distinct values in {present:N0} rows";
            }
            else if (type is "text" or "id" && present >= 20)
            {
                reason = $"its values read as {(type == "id" ? "IDs" : "free text")}";
            }

            var chosen = label.Source switch { "setting" => "set in settings", "name" => "chosen by its name", _ => "guessed from its values" };
            return new CheckResult(Rule.Code, Rule.Name, Rule.DefaultSeverity, reason is null ? 0 : 1, false,
                reason is null ? $"'{column}' has {classes:N0} classes" : $"the label column '{column}' ({chosen}) does not look like classes: {reason}",
                pass.Home, []);
        }
    }
}
