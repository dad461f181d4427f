using MLIntern.Analysis.Rules;

namespace MLIntern.Analysis.Tests;

public sealed class ScriptCheckerTests
{
    [Fact]
    public void Half_typed_code_still_gets_the_findings_of_what_parsed()
    {
        const string source = "from transformers import TrainingArguments\nargs = TrainingArguments(evaluation_strategy='epoch')\nmodel = Foo(\n";
        Assert.Equal(2, Assert.Single(ScriptChecker.Check(source)).Range.Line);
        Assert.Empty(ScriptChecker.Check("from transformers import TrainingArguments\nTrainingArguments(\"unclosed"));
        Assert.Empty(ScriptChecker.Check(""));
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
