using MLIntern.Analysis.Findings;

namespace MLIntern.Analysis.Rules;

/// <summary>A check on a Python training script. One rule is one file whose documentation is its user page.</summary>
public interface IScriptRule
{
    RuleInfo Info { get; }

    void Check(ScriptContext context);
}

/// <summary>What a script rule sees: the file's text and a way to report. Gathered before the rule runs.</summary>
public sealed class ScriptContext
{
    private readonly List<Finding> _findings;

    internal ScriptContext(string text, List<Finding> findings)
    {
        Text = text;
        _findings = findings;
    }

    public string Text { get; }

    public void Report(RuleInfo rule, string message, Text.Span span, Fix? fix = null) =>
        _findings.Add(new Finding(rule.Code, rule.DefaultSeverity, message, Lines.Range(span), fix));

    internal Text.LineMap Lines => _lines ??= new Text.LineMap(Text);

    private Text.LineMap? _lines;

    public SourceRange RangeOf(Text.Span span) => Lines.Range(span);
}
