using MLIntern.Analysis.Findings;
using MLIntern.Analysis.Rules;
using MLIntern.Analysis.Rules.Syntax;

namespace MLIntern.Analysis.Tests;

public sealed class ScriptCheckerTests
{
    [Fact]
    public void Half_typed_code_still_gets_the_findings_of_what_parsed()
    {
        const string source = "from transformers import TrainingArguments\nargs = TrainingArguments(evaluation_strategy='epoch')\nmodel = Foo(\n";
        var findings = ScriptChecker.Check(source);
        Assert.Equal(2, Assert.Single(findings, f => f.Code == "MLI501").Range.Line);
        // The syntax error is reported too, once: the bracket never closed, not the parser's cascade at the end.
        var syntax = Assert.Single(findings, f => f.Code == "MLI000");
        Assert.Equal((3, 12), (syntax.Range.Line, syntax.Range.Column));
        Assert.Equal("SyntaxError: '(' was never closed", syntax.Message);
        Assert.All(ScriptChecker.Check("from transformers import TrainingArguments\nTrainingArguments(\"unclosed"), f => Assert.Equal("MLI000", f.Code));
        Assert.Empty(ScriptChecker.Check(""));
    }

    [Fact]
    public void Syntax_errors_are_findings_with_line_and_column_and_no_comment_silences_them()
    {
        var findings = ScriptChecker.Check("import torch\nif x  # noqa\n    pass\ny = (1,  # mlintern: ignore\n# mlintern: ignore-file\n");
        Assert.Equal(
            ["2:5 SyntaxError: expected ':'", "4:5 SyntaxError: '(' was never closed"],
            findings.Select(f => $"{f.Range.Line}:{f.Range.Column} {f.Message}"));
        Assert.All(findings, f => Assert.Equal(("MLI000", Severity.Error), (f.Code, f.Severity)));
        Assert.Equal(IndentationError(), Assert.Single(ScriptChecker.Check("def f():\nreturn 1\n")).Message);

        static string IndentationError() => "IndentationError: expected an indented block after function definition on line 1";
    }

    [Fact]
    public void Syntax_errors_are_capped_per_file()
    {
        var source = string.Concat(Enumerable.Repeat("x = = 1\n", InvalidSyntax.MaxPerFile + 50));
        var findings = ScriptChecker.Check(source);
        Assert.Equal(InvalidSyntax.MaxPerFile, findings.Count);
        Assert.Equal(1, findings[0].Range.Line);
    }

    [Fact]
    public void Only_the_caller_can_leave_out_invalid_syntax_a_selection_cannot()
    {
        var selection = new RuleSelection(["MLI5"], ["MLI000", "ALL"], new Dictionary<string, Severity>());
        Assert.True(selection.IsEnabled("MLI000"));
        Assert.False(selection.IsEnabled("MLI501"));
        Assert.Empty(ScriptChecker.Check("x = (", enabled: new HashSet<string> { "MLI501" }));
    }

    [Fact]
    public void Noqa_without_codes_silences_the_line_and_with_codes_only_those()
    {
        const string head = "from transformers import TrainingArguments\n";
        Assert.Empty(ScriptChecker.Check(head + "a = TrainingArguments(evaluation_strategy='e')  # noqa\n"));
        Assert.Single(ScriptChecker.Check(head + "a = TrainingArguments(evaluation_strategy='e')  # noqa: MLI999\n"));
    }

    [Fact]
    public void A_dict_passed_to_two_calls_is_reported_once()
    {
        const string source = "from transformers import TrainingArguments\ncfg = {'evaluation_strategy': 'epoch'}\na = TrainingArguments(**cfg)\nb = TrainingArguments(**cfg)\n";
        Assert.Equal(2, Assert.Single(ScriptChecker.Check(source)).Range.Line);
    }
}

public sealed class SuppressionAndSelectionTests
{
    private const string Head = "from transformers import TrainingArguments\n";
    private const string Bad = "a = TrainingArguments(evaluation_strategy='e')";

    [Theory]
    [InlineData("  # mlintern: ignore", 0)]
    [InlineData("  # mlintern: ignore[MLI501]", 0)]
    [InlineData("  # mlintern: ignore[MLI203, MLI501]", 0)]
    [InlineData("  # mlintern: ignore[MLI203]", 1)]
    [InlineData("  # noqa: MLI501", 0)]
    [InlineData("  # noqa", 0)]
    [InlineData("  # NOQA:MLI501", 0)]
    [InlineData("  # noqa: MLI203, MLI501", 0)]
    [InlineData("  # noqa: MLI203 MLI501", 0)]
    [InlineData("  # noqa: MLI501 the old name is what this pinned version takes", 0)]
    [InlineData("  # the old name on purpose # noqa: MLI501", 0)]
    [InlineData("  # noqa: MLI203", 1)]
    [InlineData("  #noqa:MLI501", 0)]
    [InlineData("  #NoQA", 0)]
    [InlineData("  # data from the Canoqa archive", 1)]
    [InlineData("  # data from the Canoqa archive: MLI501", 1)]
    [InlineData("  # see noqa below", 1)]
    [InlineData("  # noqa:", 1)]
    [InlineData("  # noqa: please", 1)]
    [InlineData("  # noqanot", 1)]
    [InlineData("  # some other comment", 1)]
    public void Line_suppressions(string comment, int expected) =>
        Assert.Equal(expected, ScriptChecker.Check(Head + Bad + comment + "\n").Count);

    [Theory]
    [InlineData("# mlintern: ignore-file\n", 0)]
    [InlineData("# mlintern: ignore-file[MLI501]\n", 0)]
    [InlineData("# mlintern: ignore-file[MLI101]\n", 1)]
    public void File_suppressions(string header, int expected) =>
        Assert.Equal(expected, ScriptChecker.Check(header + Head + Bad + "\n" + Bad + "\n").Count == 0 ? 0 : 1);

    [Fact]
    public void Selection_by_prefix_ignore_wins_and_longest_severity_key_wins()
    {
        var selection = new MLIntern.Analysis.Findings.RuleSelection(
            ["MLI5", "MLD"],
            ["MLI502"],
            new Dictionary<string, MLIntern.Findings.Severity> { ["MLI"] = MLIntern.Findings.Severity.Hint, ["MLI501"] = MLIntern.Findings.Severity.Warning });
        Assert.True(selection.IsEnabled("MLI501"));
        Assert.False(selection.IsEnabled("MLI502"));
        Assert.False(selection.IsEnabled("MLI101"));
        Assert.True(selection.IsEnabled("MLD012"));
        Assert.Equal(MLIntern.Findings.Severity.Warning, selection.SeverityOf("MLI501", MLIntern.Findings.Severity.Error));
        Assert.Equal(MLIntern.Findings.Severity.Hint, selection.SeverityOf("MLI503", MLIntern.Findings.Severity.Error));
        Assert.Equal(MLIntern.Findings.Severity.Error, selection.SeverityOf("MLD012", MLIntern.Findings.Severity.Error));
    }
}

public sealed class RuleFailureTests
{
    /// <summary>Reports one finding per call, then throws on the second call it sees.</summary>
    public sealed class ThrowsOnSecondCall : ScriptRule
    {
        private int _calls;

        public override MLIntern.Findings.RuleInfo Info { get; } = new("MLI999", "throws", MLIntern.Findings.Severity.Error, "test rule", "");

        public override IReadOnlyList<Type> NodeTypes => [typeof(MLIntern.Python.Syntax.Call)];

        public override void Visit(MLIntern.Python.Syntax.Node node, ScriptContext context)
        {
            context.Report(this, "seen", node);
            if (++_calls == 2)
            {
                throw new InvalidOperationException("boom");
            }
        }
    }

    [Fact]
    public void A_rule_that_throws_loses_its_findings_and_the_others_keep_theirs()
    {
        const string source = "from transformers import TrainingArguments\nTrainingArguments(evaluation_strategy='e')\nprint(1)\nprint(2)\n";
        var failures = new List<string>();
        var findings = ScriptChecker.Check(
            MLIntern.Python.Parsing.Parser.Parse(source),
            [new ThrowsOnSecondCall(), new MLIntern.Analysis.Rules.Transformers.RenamedEvaluationStrategy()],
            null,
            null,
            (code, e) => failures.Add($"{code}: {e.Message}"));
        Assert.Equal(["MLI999: boom"], failures);
        Assert.Equal("MLI501", Assert.Single(findings).Code);
    }
}
