using MLIntern.Analysis.Findings;
using MLIntern.Analysis.Rules;

namespace MLIntern.Analysis.Tests;

/// <summary>Tokenizer rules (MLI401–402) where the file around the call decides.</summary>
public sealed class TokenizerRuleTests
{
    private static IReadOnlyList<Finding> Check(string code, string source) => ScriptChecker.Check(source, null, new HashSet<string> { code });

    [Fact]
    public void Language_model_scripts_that_chunk_texts_after_tokenizing_are_not_checked()
    {
        const string source = """
            from transformers import AutoModelForCausalLM, AutoTokenizer
            tokenizer = AutoTokenizer.from_pretrained("gpt2")
            model = AutoModelForCausalLM.from_pretrained("gpt2")
            def tokenize(examples):
                return tokenizer(examples["text"])

            """;
        Assert.Empty(Check("MLI401", source));
        Assert.Single(Check("MLI401", source.Replace("AutoModelForCausalLM", "AutoModelForSequenceClassification")));
    }
}

public sealed class CheckpointMismatchTests
{
    private static IReadOnlyList<Finding> Check(string source) => ScriptChecker.Check(source, null, new HashSet<string> { "MLI402" });

    [Theory]
    [InlineData("distilbert-base-uncased", "distilbert/distilbert-base-uncased")]
    [InlineData("bert-base-uncased", "bert-large-uncased")]
    [InlineData("distilbert-base-uncased", "bert-base-uncased")]
    [InlineData("gpt2", "distilgpt2")]
    [InlineData("bert-base-uncased", "./out/best")]
    [InlineData("bert-base-uncased", "out/checkpoint-500")]
    [InlineData("roberta-base", "ROBERTA-BASE")]
    public void The_same_model_or_a_local_folder_is_not_flagged(string tokenizer, string model)
    {
        Assert.Empty(Check($"from transformers import AutoTokenizer, AutoModel\nt = AutoTokenizer.from_pretrained('{tokenizer}')\nm = AutoModel.from_pretrained('{model}')\n"));
    }

    [Fact]
    public void Several_models_or_an_unknown_checkpoint_are_not_flagged()
    {
        const string two = "import transformers as tf\nt = tf.AutoTokenizer.from_pretrained('bert-base-uncased')\nteacher = tf.AutoModel.from_pretrained('bert-large-cased')\nstudent = tf.AutoModel.from_pretrained('roberta-base')\n";
        Assert.Empty(Check(two));
        const string unknown = "import sys\nimport transformers as tf\nt = tf.AutoTokenizer.from_pretrained(sys.argv[1])\nm = tf.AutoModel.from_pretrained('roberta-base')\n";
        Assert.Empty(Check(unknown));
    }

    [Fact]
    public void Literal_checkpoints_get_a_fix_that_copies_the_models_literal()
    {
        const string source = "import transformers as tf\nt = tf.AutoTokenizer.from_pretrained('roberta-base')\nm = tf.AutoModelForSequenceClassification.from_pretrained(\"bert-base-uncased\")\n";
        var finding = Assert.Single(Check(source));
        Assert.Contains("t = tf.AutoTokenizer.from_pretrained(\"bert-base-uncased\")", Edits.Apply(source, finding.Fix!.Edits));
    }
}
