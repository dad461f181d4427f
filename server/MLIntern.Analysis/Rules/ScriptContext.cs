using MLIntern.Analysis.Facts;
using MLIntern.Analysis.Findings;
using MLIntern.Python.Parsing;
using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;
using MLIntern.Python.Text;

namespace MLIntern.Analysis.Rules;

/// <summary>What a script rule sees: the parse, the semantic model, data set facts, and a way to report.</summary>
public sealed class ScriptContext
{
    private readonly List<Finding> _findings;
    private readonly DatasetLookup? _datasets;

    internal ScriptContext(ParseResult parse, SemanticModel model, DatasetLookup? datasets, List<Finding> findings)
    {
        Parse = parse;
        Model = model;
        _datasets = datasets;
        _findings = findings;
    }

    public ParseResult Parse { get; }

    public SourceText Source => Parse.Source;

    public SemanticModel Model { get; }

    /// <summary>The data set a path written in the script names, when the host can read it.</summary>
    public DatasetInfo? Dataset(string pathAsWritten)
    {
        // Several rules ask about the same file in one check; the host's answer involves the disk.
        if (_datasets is null)
        {
            return null;
        }

        if (!_datasetAnswers.TryGetValue(pathAsWritten, out var info))
        {
            info = _datasets(pathAsWritten);
            _datasetAnswers[pathAsWritten] = info;
        }

        return info;
    }

    private readonly Dictionary<string, DatasetInfo?> _datasetAnswers = new(StringComparer.Ordinal);

    public void Report(ScriptRule rule, string message, Node node, Fix? fix = null) => Report(rule, message, node.Range, fix);

    public void Report(ScriptRule rule, string message, TextRange range, Fix? fix = null) =>
        _findings.Add(new Finding(rule.Info.Code, rule.Info.DefaultSeverity, message, RangeOf(range), fix));

    /// <summary>1-based line/column range (UTF-16 columns) of a text range.</summary>
    public SourceRange RangeOf(TextRange range)
    {
        var (line, column) = Source.GetLineColumn(range.Start);
        var (endLine, endColumn) = Source.GetLineColumn(range.End);
        return new SourceRange(line, column, endLine, endColumn);
    }

    public TextEdit Replace(TextRange range, string newText) => new(RangeOf(range), newText);

    public string Text(Node node) => Source.GetText(node.Range);
}
