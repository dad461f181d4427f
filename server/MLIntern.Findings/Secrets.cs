using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace MLIntern.Findings;

/// <summary>
/// A kind of secret: its name in messages, the start every one of them shows, the environment variable it
/// belongs in, and whether it is known by its shape alone (a token format) rather than by the name it is
/// assigned to (`password = "…"`, which in a script's string literal is usually an example in a docstring).
/// </summary>
public sealed record SecretKind(string Name, string Prefix, string? EnvironmentVariable, bool ByShape = true);

/// <summary>A secret found in a text: its kind and where it is (the secret itself, not the name it was assigned to).</summary>
public readonly record struct SecretMatch(SecretKind Kind, int Start, int Length)
{
    public string Value(string text) => text.Substring(Start, Length);
}

/// <summary>
/// The one secret detector. The hard-coded-secret rule (MLI603), the publish preflight and every
/// writer of reports, cards, Space files, predictions, profiles and assistant prompts ask it, so
/// what one of them calls a secret the others do too.
///
/// Formats (as the issuers publish them and secret scanners match them):
/// - Hugging Face user access token: `hf_` + 34 letters (older tokens also digits; 30 or more taken);
///   organization API token: `api_org_` + 34 letters.
/// - OpenAI: `sk-` + 48 letters and digits (legacy user keys, with "T3BlbkFJ" in the middle), or
///   `sk-proj-` / `sk-svcacct-` / `sk-admin-` + about 150 characters of letters, digits, `_` and `-`.
/// - Anthropic: `sk-ant-api03-` (or `sk-ant-admin01-`) + 95 characters of letters, digits, `_`, `-` (108 in all).
/// - GitHub: `ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` + 36 letters and digits (the last six a checksum);
///   fine-grained `github_pat_` + 22, `_`, 59.
/// - AWS: access key id `AKIA` (long-term) / `ASIA` (temporary) + 16 upper-case letters and digits
///   (base32); the secret access key is 40 characters of base64 (`A-Za-z0-9/+`), recognised when it is
///   named (`aws_secret_access_key = …`) or follows an access key id within a line or two.
/// - Weights &amp; Biases: a 40-digit lower-case hex API key, recognised only where W&amp;B is named
///   (`WANDB_API_KEY=…`, `wandb.login(key=…)`, `wandb login …`): 40 hex digits alone are a git commit.
/// - Slack (`xoxb-`, `xoxp-`…), Google API keys (`AIza` + 35), PEM private keys, and a quoted value of
///   12 or more characters assigned to a name such as `password`, `api_key`, `secret_key`, `auth_token`.
///
/// No word boundary is assumed before a token: `?token%3Dhf_…`, `x=hf_…`, a token inside a URL or glued
/// to other text is found. False positives are kept low by the formats' alphabets and lengths instead:
/// a token's random part must mix character classes (upper, lower, digits), which words, identifiers,
/// placeholders (`hf_xxxx…`) and hashes do not.
/// </summary>
public static partial class Secrets
{
    public static readonly SecretKind HuggingFaceToken = new("Hugging Face token", "hf_", "HF_TOKEN");
    public static readonly SecretKind HuggingFaceOrgToken = new("Hugging Face organization token", "api_org_", "HF_TOKEN");
    public static readonly SecretKind OpenAiKey = new("OpenAI API key", "sk-", "OPENAI_API_KEY");
    public static readonly SecretKind AnthropicKey = new("Anthropic API key", "sk-ant-", "ANTHROPIC_API_KEY");
    public static readonly SecretKind GitHubToken = new("GitHub token", "gh", "GITHUB_TOKEN");
    public static readonly SecretKind AwsAccessKeyId = new("AWS access key id", "AKIA", "AWS_ACCESS_KEY_ID");
    public static readonly SecretKind AwsSecretKey = new("AWS secret access key", "", "AWS_SECRET_ACCESS_KEY");
    public static readonly SecretKind WandbKey = new("Weights & Biases API key", "", "WANDB_API_KEY");
    public static readonly SecretKind SlackToken = new("Slack token", "xox", "SLACK_TOKEN");
    public static readonly SecretKind GoogleKey = new("Google API key", "AIza", "GOOGLE_API_KEY");
    public static readonly SecretKind PrivateKey = new("private key", "-----BEGIN", null);
    public static readonly SecretKind AssignedSecret = new("hard-coded key, token or password", "", null, ByShape: false);

    /// <summary>Every kind, most specific first: where two overlap, the earlier one is reported.</summary>
    public static IReadOnlyList<SecretKind> Kinds { get; } =
        [AnthropicKey, HuggingFaceToken, HuggingFaceOrgToken, OpenAiKey, GitHubToken, AwsAccessKeyId, AwsSecretKey, WandbKey, SlackToken, GoogleKey, PrivateKey, AssignedSecret];

    private sealed record Pattern(SecretKind Kind, Regex Regex, int MinRandom);

    // Each regex's group "s" (or the whole match) is the secret; MinRandom is the length of the run of
    // letters and digits that must mix character classes (0: the format itself is distinctive enough).
    private static readonly Pattern[] Patterns =
    [
        new(AnthropicKey, AnthropicPattern(), 20),
        new(HuggingFaceToken, HuggingFacePattern(), 30),
        new(HuggingFaceOrgToken, HuggingFaceOrgPattern(), 30),
        new(OpenAiKey, OpenAiPattern(), 20),
        new(GitHubToken, GitHubPattern(), 20),
        new(AwsAccessKeyId, AwsAccessKeyPattern(), 0),
        new(AwsSecretKey, AwsNamedSecretPattern(), 20),
        new(WandbKey, WandbPattern(), 0),
        new(SlackToken, SlackPattern(), 0),
        new(GoogleKey, GooglePattern(), 0),
        new(PrivateKey, PrivateKeyPattern(), 0),
        new(AssignedSecret, AssignmentPattern(), 0),
    ];

    // A text with none of these (case-insensitively) holds no secret: most texts are rejected by one vectorised search.
    private static readonly SearchValues<string> Anchors = SearchValues.Create(
        ["hf_", "api_org_", "sk-", "gho_", "ghp_", "ghu_", "ghs_", "ghr_", "github_pat_", "akia", "asia", "wandb", "xox", "aiza", "-----begin", "key", "token", "passw", "secret"],
        StringComparison.OrdinalIgnoreCase);

    /// <summary>The secrets in <paramref name="text"/>, in order, none overlapping.</summary>
    public static IReadOnlyList<SecretMatch> Find(string text)
    {
        if (string.IsNullOrEmpty(text) || !text.AsSpan().ContainsAny(Anchors))
        {
            return [];
        }

        var found = new List<SecretMatch>();
        foreach (var pattern in Patterns)
        {
            for (var m = pattern.Regex.Match(text); m.Success; m = m.NextMatch())
            {
                var group = m.Groups["s"].Success ? m.Groups["s"] : (Capture)m;
                var secret = text.AsSpan(group.Index, group.Length);
                if (pattern.MinRandom == 0 ? Distinct(secret) >= 8 : MixesClasses(secret, pattern.MinRandom))
                {
                    Add(found, new SecretMatch(pattern.Kind, group.Index, group.Length));
                }
            }
        }

        // An AWS secret access key is 40 characters of base64 with nothing to name it but the access key id before it.
        foreach (var id in found.Where(f => f.Kind == AwsAccessKeyId).ToList())
        {
            var from = id.Start + id.Length;
            var window = text.AsSpan(from, Math.Min(160, text.Length - from)).ToString();
            foreach (Match m in Base64Run().Matches(window))
            {
                if (HasAll(m.ValueSpan))
                {
                    Add(found, new SecretMatch(AwsSecretKey, from + m.Index, m.Length));
                }
            }
        }

        found.Sort((a, b) => a.Start.CompareTo(b.Start));
        return found;
    }

    public static bool Contains(string text) => Find(text).Count > 0;

    /// <summary>
    /// The text with every secret replaced by its kind and its prefix: `[Hugging Face token: hf_****]`.
    /// The replacement holds no secret and is not itself one, so redacting twice changes nothing.
    /// </summary>
    public static string Redact(string text)
    {
        var found = Find(text);
        if (found.Count == 0)
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        var at = 0;
        foreach (var match in found)
        {
            result.Append(text, at, match.Start - at).Append(Redacted(match.Kind, match.Value(text)));
            at = match.Start + match.Length;
        }

        return result.Append(text, at, text.Length - at).ToString();
    }

    /// <summary>Each text redacted; the same list when none holds a secret.</summary>
    public static IReadOnlyList<string> Redact(IReadOnlyList<string> texts) =>
        texts.Any(Contains) ? [.. texts.Select(Redact)] : texts;

    /// <summary>What stands in a written file for a secret of this kind.</summary>
    public static string Redacted(SecretKind kind, string secret) => $"[{kind.Name}: {ShownPrefix(kind, secret)}****]";

    /// <summary>The secret's known prefix and last four characters, never more: `hf_…wxyz`. For a message that helps find it.</summary>
    public static string Mask(SecretKind kind, string secret)
    {
        var prefix = ShownPrefix(kind, secret);
        return secret.Length < 16 ? prefix + "…" : $"{prefix}…{secret[^4..]}";
    }

    private static string ShownPrefix(SecretKind kind, string secret) =>
        kind == GitHubToken ? secret[..(secret.IndexOf('_') + 1)]
        : kind == AwsAccessKeyId ? secret[..4]
        : secret.StartsWith(kind.Prefix, StringComparison.Ordinal) ? kind.Prefix : "";

    private static void Add(List<SecretMatch> found, SecretMatch match)
    {
        foreach (var f in found)
        {
            if (match.Start < f.Start + f.Length && f.Start < match.Start + match.Length)
            {
                return;
            }
        }

        found.Add(match);
    }

    /// <summary>A run of at least <paramref name="length"/> letters and digits with two of upper case, lower case and digits: random, not a word or a placeholder.</summary>
    private static bool MixesClasses(ReadOnlySpan<char> secret, int length)
    {
        var run = 0;
        int upper = 0, lower = 0, digit = 0;
        for (var i = 0; i <= secret.Length; i++)
        {
            var c = i < secret.Length ? secret[i] : '\0';
            if (char.IsAsciiLetterOrDigit(c))
            {
                run++;
                upper += char.IsAsciiLetterUpper(c) ? 1 : 0;
                lower += char.IsAsciiLetterLower(c) ? 1 : 0;
                digit += char.IsAsciiDigit(c) ? 1 : 0;
                continue;
            }

            if (run >= length && (upper > 0 ? 1 : 0) + (lower > 0 ? 1 : 0) + (digit > 0 ? 1 : 0) >= 2)
            {
                return true;
            }

            run = upper = lower = digit = 0;
        }

        return false;
    }

    /// <summary>How many different characters: a placeholder such as `AKIAXXXXXXXXXXXXXXXX` has few.</summary>
    private static int Distinct(ReadOnlySpan<char> text)
    {
        Span<bool> seen = stackalloc bool[128];
        var count = 0;
        foreach (var c in text)
        {
            if (c < 128 && !seen[c])
            {
                seen[c] = true;
                count++;
            }
        }

        return count;
    }

    private static bool HasAll(ReadOnlySpan<char> text) =>
        text.ContainsAnyInRange('A', 'Z') && text.ContainsAnyInRange('a', 'z') && (text.ContainsAnyInRange('0', '9') || text.ContainsAny('/', '+'));

    [GeneratedRegex(@"sk-ant-(?:[a-z]+\d\d-)?[A-Za-z0-9_\-]{20,}")]
    private static partial Regex AnthropicPattern();

    [GeneratedRegex(@"hf_[A-Za-z0-9]{30,}")]
    private static partial Regex HuggingFacePattern();

    [GeneratedRegex(@"api_org_[A-Za-z0-9]{30,}")]
    private static partial Regex HuggingFaceOrgPattern();

    [GeneratedRegex(@"sk-(?:(?:proj|svcacct|admin|None)-)?[A-Za-z0-9_\-]{20,}")]
    private static partial Regex OpenAiPattern();

    [GeneratedRegex(@"gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9]{20,}_[A-Za-z0-9]{30,}")]
    private static partial Regex GitHubPattern();

    [GeneratedRegex(@"(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])")]
    private static partial Regex AwsAccessKeyPattern();

    [GeneratedRegex(@"(?i:aws_?secret_?access_?key|aws_?secret_?key|secret_?access_?key)[""']?\s*[:=]\s*[""']?(?<s>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])")]
    private static partial Regex AwsNamedSecretPattern();

    [GeneratedRegex(@"(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")]
    private static partial Regex Base64Run();

    [GeneratedRegex(@"(?i:wandb)[^\n]{0,40}?(?<![0-9a-f])(?<s>[0-9a-f]{40})(?![0-9a-f])")]
    private static partial Regex WandbPattern();

    [GeneratedRegex(@"xox[abprs]-[A-Za-z0-9-]{10,}")]
    private static partial Regex SlackPattern();

    [GeneratedRegex(@"AIza[0-9A-Za-z_\-]{35}")]
    private static partial Regex GooglePattern();

    // The whole block, so that redacting it leaves none of the key (an unterminated block runs to the end of the text).
    [GeneratedRegex(@"-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----(?:[\s\S]*?-----END (?:[A-Z]+ )?PRIVATE KEY-----|[\s\S]*)")]
    private static partial Regex PrivateKeyPattern();

    [GeneratedRegex(@"(?i:api[_-]?key|secret[_-]?key|access[_-]?token|auth[_-]?token|password|passwd)[""']?\s*[:=]\s*[""'](?<s>[^""'\s]{12,})[""']")]
    private static partial Regex AssignmentPattern();
}
