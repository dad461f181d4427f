using System.Text;
using MLIntern.Findings;
using MLIntern.Analysis.Rules;
using MLIntern.Training.Release;

namespace MLIntern.Training.Tests;

/// <summary>The one secret detector: each issuer's format, found with no word boundary before it, near misses left alone, and the rule and the preflight agreeing because they ask it.</summary>
public sealed class SecretsTests
{
    private static readonly Random Seeded = new(5);

    private static string Of(string alphabet, int n) => new([.. Enumerable.Range(0, n).Select(_ => alphabet[Seeded.Next(alphabet.Length)])]);

    private const string Letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const string Alnum = Letters + "0123456789";

    /// <summary>(kind, secret, the text it sits in): made up in each published format.</summary>
    public static TheoryData<string, string, string> Planted()
    {
        var hf = "hf_" + Of(Letters, 34);
        var org = "api_org_" + Of(Letters, 34);
        var openai = "sk-" + Of(Alnum, 20) + "T3BlbkFJ" + Of(Alnum, 20);
        var project = "sk-proj-" + Of(Alnum + "-_", 140) + "T3BlbkFJ" + Of(Alnum, 8);
        var anthropic = "sk-ant-api03-" + Of(Alnum + "-_", 93) + "AA";
        var ghp = "ghp_" + Of(Alnum, 36);
        var ghr = "ghr_" + Of(Alnum, 36);
        var pat = "github_pat_" + Of(Alnum, 22) + "_" + Of(Alnum, 59);
        var akia = "AKIA" + Of("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
        var asia = "ASIA" + Of("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
        var awsSecret = Of(Alnum, 20) + "/" + Of(Alnum + "+", 19);
        var wandb = Of("0123456789abcdef", 40);
        return new()
        {
            { "Hugging Face token", hf, $"https://huggingface.co/api?token%3D{hf}&x=1" },
            { "Hugging Face token", hf, $"x={hf}" },
            { "Hugging Face token", hf, $"pasted{hf}, here" },
            { "Hugging Face organization token", org, $"\"{org}\"" },
            { "OpenAI API key", openai, $"Authorization: Bearer {openai}" },
            { "OpenAI API key", project, $"key%3D{project}" },
            { "Anthropic API key", anthropic, $"ANTHROPIC_API_KEY={anthropic}" },
            { "GitHub token", ghp, $"https://{ghp}@github.com/acme/x.git" },
            { "GitHub token", ghr, $"'{ghr}'" },
            { "GitHub token", pat, $"token={pat}" },
            { "AWS access key id", akia, $"id={akia}" },
            { "AWS access key id", asia, $"{asia}:temp" },
            { "AWS secret access key", awsSecret, $"aws_secret_access_key = {awsSecret}" },
            { "AWS secret access key", awsSecret, $"{akia} {awsSecret}" },
            { "Weights & Biases API key", wandb, $"WANDB_API_KEY={wandb}" },
            { "Weights & Biases API key", wandb, $"wandb.login(key=\"{wandb}\")" },
        };
    }

    [Theory]
    [MemberData(nameof(Planted))]
    public void Each_format_is_found_with_no_word_boundary_before_it_and_redacted(string kind, string secret, string text)
    {
        var found = Secrets.Find(text);
        Assert.Contains(found, f => f.Kind.Name == kind && f.Value(text) == secret);
        var redacted = Secrets.Redact(text);
        Assert.DoesNotContain(secret, redacted, StringComparison.Ordinal);
        Assert.DoesNotContain(secret[^12..], redacted, StringComparison.Ordinal);
        Assert.Contains($"[{kind}: ", redacted, StringComparison.Ordinal);
        Assert.Equal(redacted, Secrets.Redact(redacted));
    }

    [Theory]
    [InlineData("hf_your_token_here")]
    [InlineData("hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")]
    [InlineData("a task-management-system-for-everyone-and-more")]
    [InlineData("risk-internationalizationstandardization")]
    [InlineData("self_attention_with_rotary_embeddings_and_more_layers")]
    [InlineData("revision = \"a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0\"")]
    [InlineData("AKIAXXXXXXXXXXXXXXXX")]
    [InlineData("tokens look like hf_ followed by letters")]
    [InlineData("see https://github.com/huggingface/transformers/blob/main/README.md")]
    [InlineData("sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    public void Near_misses_are_not_secrets(string text) => Assert.Empty(Secrets.Find(text));

    [Fact]
    public void A_private_key_is_redacted_whole()
    {
        var body = Of(Alnum, 64);
        var text = $"key:\n-----BEGIN OPENSSH PRIVATE KEY-----\n{body}\n-----END OPENSSH PRIVATE KEY-----\ndone";
        var redacted = Secrets.Redact(text);
        Assert.DoesNotContain(body, redacted, StringComparison.Ordinal);
        Assert.EndsWith("\ndone", redacted, StringComparison.Ordinal);
    }

    /// <summary>
    /// The rule reads a string literal, the preflight a file: given the same text, both report a secret
    /// or neither does, under the same kind's name. On main they were two detectors and disagreed on
    /// `?token%3Dhf_…` (the preflight's `\b` missed it) and on every GitHub and AWS key (the rule knew none).
    /// </summary>
    [Theory]
    [MemberData(nameof(Planted))]
    public void The_rule_and_the_preflight_agree_because_they_are_one_detector(string kind, string secret, string text)
    {
        Assert.NotEmpty(secret);
        var (ruleKind, preflightKind) = BothOn(text);
        Assert.Equal(kind.Split(' ')[0], preflightKind?.Split(' ')[0]);
        Assert.Equal(preflightKind, ruleKind);
    }

    [Theory]
    [InlineData("hf_your_token_here")]
    [InlineData("a task-management-system-for-everyone-and-more")]
    [InlineData("see https://github.com/huggingface/transformers/blob/main/README.md")]
    [InlineData("AKIAXXXXXXXXXXXXXXXX")]
    public void Neither_flags_a_near_miss(string text) => Assert.Equal((null, null), BothOn(text));

    /// <summary>The kind each names for `note = "&lt;text&gt;"` in a script and for the text in a file to upload (null: nothing found).</summary>
    private static (string? Rule, string? Preflight) BothOn(string text)
    {
        var literal = text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
        var findings = ScriptChecker.Check($"note = \"{literal}\"\n", enabled: new HashSet<string> { "MLI603" });
        var rule = findings.Count == 0 ? null : findings[0].Message["Hard-coded ".Length..findings[0].Message.IndexOf(" `", StringComparison.Ordinal)];

        var bytes = Encoding.UTF8.GetBytes(text + "\n");
        var file = new UploadFile("notes.txt", bytes.Length, bytes, Preflight.Sha256(bytes));
        var problems = Preflight.Check("acme/x", Preflight.ModelType, true, "/m", [file]).Problems.Where(p => p.Kind == "secret").ToList();
        var preflight = problems.Count == 0 ? null : problems[0].Message[..problems[0].Message.IndexOf(": ", StringComparison.Ordinal)];
        return (rule, preflight);
    }
}
