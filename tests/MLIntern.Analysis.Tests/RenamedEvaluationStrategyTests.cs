using MLIntern.Analysis.Findings;
using MLIntern.Analysis.Rules;

namespace MLIntern.Analysis.Tests;

public sealed class RenamedEvaluationStrategyTests
{
    private static IReadOnlyList<Finding> Check(string source) => ScriptChecker.Check(source);

    [Fact]
    public void Flags_the_keyword_and_offers_a_safe_rename()
    {
        const string source = "from transformers import TrainingArguments\nargs = TrainingArguments(output_dir='o', evaluation_strategy='epoch')\n";
        var finding = Assert.Single(Check(source));
        Assert.Equal("MLI501", finding.Code);
        Assert.Equal(new SourceRange(2, 42, 2, 61), finding.Range);
        var fix = Assert.IsType<Fix>(finding.Fix);
        Assert.Equal(Applicability.Safe, fix.Applicability);
        var edit = Assert.Single(fix.Edits);
        Assert.Equal("eval_strategy", edit.NewText);
        Assert.Equal(finding.Range, edit.Range);
    }

    [Theory]
    [InlineData("import transformers as tf\nargs = tf.TrainingArguments(\n    'o',\n    evaluation_strategy = \"steps\",\n)\n", 4)]
    [InlineData("from transformers import Seq2SeqTrainingArguments\na = Seq2SeqTrainingArguments(output_dir=f'{x}', evaluation_strategy='no')\n", 2)]
    public void Flags_attribute_calls_and_seq2seq(string source, int line) =>
        Assert.Equal(line, Assert.Single(Check(source)).Range.Line);

    [Theory]
    [InlineData("args = TrainingArguments(output_dir='o', eval_strategy='epoch')\n")]
    [InlineData("# TrainingArguments(evaluation_strategy='epoch')\n")]
    [InlineData("s = \"TrainingArguments(evaluation_strategy='epoch')\"\n")]
    [InlineData("doc = '''\nTrainingArguments(evaluation_strategy='epoch')\n'''\n")]
    [InlineData("args = TrainingArguments(output_dir=dict(evaluation_strategy='epoch'))\n")]
    [InlineData("args = TrainingArguments(x == evaluation_strategy)\n")]
    [InlineData("args = MyArguments(evaluation_strategy='epoch')\n")]
    [InlineData("print(evaluation_strategy='epoch')\n")]
    public void Leaves_other_code_alone(string source) => Assert.Empty(Check(source));

    [Fact]
    public void No_fix_when_the_new_name_is_already_passed()
    {
        var finding = Assert.Single(Check("a = TrainingArguments(eval_strategy='epoch', evaluation_strategy='epoch')\n"));
        Assert.Null(finding.Fix);
    }

    [Fact]
    public void Half_typed_code_does_not_throw()
    {
        Assert.Single(Check("args = TrainingArguments(evaluation_strategy='epoch', "));
        Assert.Empty(Check("args = TrainingArguments(\"unclosed"));
        Assert.Empty(Check("TrainingArguments("));
    }
}
