using MLIntern.Analysis.Findings;
using MLIntern.Analysis.Rules;

namespace MLIntern.Analysis.Tests;

/// <summary>Behaviour of the publishing rules that a snapshot does not pin down: masking and the import the fix adds.</summary>
public sealed class PublishingRuleTests
{
    private const string Token = "hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ01234567";

    private static IReadOnlyList<Finding> Check(string source) => ScriptChecker.Check(source, enabled: new HashSet<string> { "MLI603" });

    [Fact]
    public void The_message_and_fix_never_contain_the_secret()
    {
        var finding = Assert.Single(Check($"from huggingface_hub import login\nlogin(token=\"{Token}\")\n"));
        Assert.DoesNotContain(Token, finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token[3..^4], finding.Message, StringComparison.Ordinal);
        Assert.Contains("hf_…4567", finding.Message, StringComparison.Ordinal);
        Assert.All(finding.Fix!.Edits, e => Assert.DoesNotContain(Token, e.NewText, StringComparison.Ordinal));
        Assert.DoesNotContain(Token, finding.Fix.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void The_fix_adds_import_os_after_the_docstring_and_future_imports_with_the_files_line_endings()
    {
        var source = $"\"\"\"Train.\"\"\"\r\nfrom __future__ import annotations\r\nfrom huggingface_hub import login\r\nlogin('{Token}')\r\n";
        var finding = Assert.Single(Check(source));
        var fixedText = Edits.Apply(source, finding.Fix!.Edits);
        Assert.Equal("\"\"\"Train.\"\"\"\r\nfrom __future__ import annotations\r\nimport os\r\nfrom huggingface_hub import login\r\nlogin(os.environ['HF_TOKEN'])\r\n", fixedText);
        Assert.Empty(ScriptChecker.Check(fixedText));
    }

    [Fact]
    public void The_fix_uses_the_name_os_is_imported_under_and_adds_nothing()
    {
        var source = $"import os as _os\nHF_TOKEN = \"{Token}\"\n";
        var finding = Assert.Single(Check(source));
        Assert.Equal("import os as _os\nHF_TOKEN = _os.environ[\"HF_TOKEN\"]\n", Edits.Apply(source, finding.Fix!.Edits));
    }

    [Fact]
    public void A_name_os_that_is_not_the_module_gets_no_fix()
    {
        var finding = Assert.Single(Check($"os = 'linux'\nHF_TOKEN = \"{Token}\"\n"));
        Assert.Null(finding.Fix);
    }
}

public sealed class MixedPrecisionRuleTests
{
    private static IReadOnlyList<Finding> Check(string source) => ScriptChecker.Check(source, enabled: new HashSet<string> { "MLI503" });

    [Theory]
    [InlineData("if not torch.cuda.is_available():\n    sys.exit('needs a GPU')\n")]
    [InlineData("if not torch.cuda.is_available():\n    raise SystemExit('needs a GPU')\n")]
    [InlineData("assert torch.cuda.is_available(), 'needs a GPU'\n")]
    public void A_script_that_stops_without_a_GPU_is_guarded(string guard)
    {
        var source = "import sys\nimport torch\nfrom transformers import TrainingArguments\n" + guard + "args = TrainingArguments('out', fp16=True)\n";
        Assert.Empty(Check(source));
    }

    [Fact]
    public void A_settings_dict_written_under_a_GPU_check_is_guarded()
    {
        const string source = "import torch\nfrom transformers import TrainingArguments\nif torch.cuda.is_available():\n    cfg = {'output_dir': 'out', 'fp16': True}\nargs = TrainingArguments(**cfg)\n";
        Assert.Empty(Check(source));
    }

    [Fact]
    public void The_fix_adds_import_torch_when_the_script_has_none()
    {
        const string source = "from transformers import TrainingArguments\nargs = TrainingArguments('out', bf16=True)\n";
        var finding = Assert.Single(Check(source));
        Assert.Equal(
            "import torch\nfrom transformers import TrainingArguments\nargs = TrainingArguments('out', bf16=torch.cuda.is_available() and torch.cuda.is_bf16_supported())\n",
            Edits.Apply(source, finding.Fix!.Edits));
    }
}
