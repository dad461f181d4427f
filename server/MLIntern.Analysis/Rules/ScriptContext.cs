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

    internal ScriptContext(ParseResult parse, SemanticModel model, DatasetLookup? datasets, List<Finding> findings, IReadOnlyList<int>? steps = null)
    {
        Parse = parse;
        Model = model;
        _datasets = datasets;
        _findings = findings;
        _steps = steps ?? [];
    }

    private readonly IReadOnlyList<int> _steps;

    /// <summary>True when the file runs in steps a person starts one by one (a notebook's cells), not as one script.</summary>
    public bool RunsInSteps => _steps.Count > 0;

    /// <summary>
    /// Which step a node is in: 0 for a script (one step), else the 1-based index of the notebook
    /// cell it is in. A later step is run by hand after the earlier ones finished and showed their output.
    /// </summary>
    public int StepOf(Node node)
    {
        if (_steps.Count == 0)
        {
            return 0;
        }

        var line = Source.GetLineIndex(node.Start) + 1;
        var step = 0;
        while (step < _steps.Count && _steps[step] <= line)
        {
            step++;
        }

        return step;
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
