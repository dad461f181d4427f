namespace MLIntern.Findings;

/// <summary>
/// What a rule is, independent of any file: its code, its name (the bad pattern, Ruff style),
/// its default severity, a one-line summary and its documentation page in Markdown.
/// The page has fixed headings: What it does, Why is this bad?, Example, Use instead,
/// Fix safety, and the error users see without the fix.
/// </summary>
public sealed record RuleInfo(string Code, string Name, Severity DefaultSeverity, string Summary, string Documentation)
{
    /// <summary>Where the rule's page is published; diagnostics link to it.</summary>
    public string HelpUri => $"https://github.com/mlintern/mlintern/blob/main/docs/rules/{Code}.md";
}
