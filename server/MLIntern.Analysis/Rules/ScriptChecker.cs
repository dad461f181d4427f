using MLIntern.Analysis.Findings;
using MLIntern.Analysis.Rules.Transformers;

namespace MLIntern.Analysis.Rules;

/// <summary>Runs the script rules over one Python file. Pure: text in, findings out.</summary>
public static class ScriptChecker
{
    /// <summary>Every script rule, in code order. The one table of script rules.</summary>
    public static IReadOnlyList<IScriptRule> Rules { get; } =
    [
        new RenamedEvaluationStrategy(),
    ];

    public static IReadOnlyList<Finding> Check(string text, IReadOnlySet<string>? enabled = null)
    {
        var findings = new List<Finding>();
        var context = new ScriptContext(text, findings);
        foreach (var rule in Rules)
        {
            if (enabled is null || enabled.Contains(rule.Info.Code))
            {
                rule.Check(context);
            }
        }

        findings.Sort((a, b) => a.Range.Line != b.Range.Line ? a.Range.Line.CompareTo(b.Range.Line) : a.Range.Column.CompareTo(b.Range.Column));
        return findings;
    }
}
