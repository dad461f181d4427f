using System.Text.RegularExpressions;
using MLIntern.Analysis.Findings;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Rules.Publishing;

/// <summary>MLI603: a Hugging Face token or an API key written into the script.</summary>
public sealed partial class HardcodedSecret : ScriptRule
{
    public static readonly RuleInfo Rule = new(
        "MLI603",
        "hardcoded-secret",
        Severity.Error,
        "A hard-coded Hugging Face token or API key",
        """
        ## What it does
        Finds secrets written into the script as string literals: tokens and keys known by their
        format — Hugging Face (`hf_…`, `api_org_…`), OpenAI (`sk-…`, `sk-proj-…`), Anthropic
        (`sk-ant-…`), GitHub (`ghp_…`, `github_pat_…`), AWS access key ids (`AKIA…`), Slack, Google —
        anywhere in a string, even inside a URL (`"https://…?token=hf_…"`), and secret-looking strings passed as `token=`,
        `use_auth_token=`, `hf_token=` or `api_key=`, passed to `huggingface_hub.login(...)`,
        assigned to names such as `HF_TOKEN` or `WANDB_API_KEY`, or put into `os.environ`.
        The finding never repeats the secret: it shows its prefix and last four characters. The formats
        are those of the one secret detector the publish preflight and every report, card and Space
        writer also use (which redact a secret as `[Hugging Face token: hf_****]`), so what this rule
        flags the preflight blocks.

        ## Why is this bad?
        A token in a script travels with it: into git history, into the notebook shared with a
        colleague, into the Space or model repository the script is uploaded to. Anyone who reads
        it can act as you on the Hub — push to your repositories, read your private models and
        data sets — until you revoke it. Hugging Face and GitHub scan public repositories and
        revoke leaked tokens, so the script also stops working the day it is published.

        ## Example
        ```python
        from huggingface_hub import login

        login(token="hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789")
        ```

        ## Use instead
        ```python
        import os

        from huggingface_hub import login

        login(token=os.environ["HF_TOKEN"])
        ```
        Or set `HF_TOKEN` in the environment (or run `huggingface-cli login` once) and drop the argument:
        the Hub libraries read it themselves.

        ## Fix safety
        Unsafe: the fix replaces the literal with `os.environ["HF_TOKEN"]` (or the variable the
        secret belongs to, such as `OPENAI_API_KEY`), adding `import os` when missing. The script
        then needs that variable set, and stops with `KeyError` where it is not. The secret also
        stays in the file's history: revoke it. No fix is offered for `os.environ["…"] = "…"`,
        where the assignment itself has to go.

        ## Error without the fix
        Nothing fails: the script runs and the secret leaks with it. After the Hub revokes a
        leaked token:
        ```
        huggingface_hub.errors.HfHubHTTPError: 401 Client Error: Unauthorized for url: https://huggingface.co/api/whoami-v2 (Invalid credentials in Authorization header)
        ```
        """);

    /// <summary>Keyword arguments that carry credentials, and the environment variable each usually comes from.</summary>
    private static readonly Dictionary<string, string> SecretKeywords = new(StringComparer.Ordinal)
    {
        ["token"] = "HF_TOKEN",
        ["use_auth_token"] = "HF_TOKEN",
        ["hf_token"] = "HF_TOKEN",
        ["hub_token"] = "HF_TOKEN",
        ["api_key"] = "API_KEY",
    };

    private static readonly HashSet<string> LoginFunctions =
    [
        "huggingface_hub.login",
        "huggingface_hub.interpreter_login",
        "huggingface_hub._login.login",
    ];

    private static readonly string[] Placeholders = ["your", "xxxx", "here", "example", "placeholder", "changeme", "dummy", "redacted", "<", "..."];

    public override RuleInfo Info => Rule;

    public override bool AnyFile => true;

    public override FixAvailability FixAvailability => FixAvailability.Sometimes;

    // Parents are dispatched before their children: an `os.environ[...] = "hf_…"` reported from its Assign
    // (without a fix) comes before the same literal reported from its Constant, and the engine keeps the first.
    public override IReadOnlyList<Type> NodeTypes => [typeof(Assign), typeof(AnnAssign), typeof(Call), typeof(Constant)];

    public override void Visit(Node node, ScriptContext context)
    {
        switch (node)
        {
            case Assign assign:
                foreach (var target in assign.Targets)
                {
                    CheckAssignment(target, assign.Value, context);
                }

                break;
            case AnnAssign { Value: { } value } annotated:
                CheckAssignment(annotated.Target, value, context);
                break;
            case Call call:
                CheckCall(call, context);
                break;
            case Constant { Value: string text } constant when KnownKind(text) is { } known:
                // The literal is replaced by the environment variable only when it is the secret and
                // nothing else (not a URL with a token in its query).
                var whole = known.Start == 0 && known.Length == text.Length && known.Kind.EnvironmentVariable is not null;
                Report(context, constant, known.Value(text), known.Kind.EnvironmentVariable ?? "the environment", known.Kind.Name, withFix: whole);
                break;
        }
    }

    private void CheckAssignment(Expr target, Expr value, ScriptContext context)
    {
        if (value is not Constant { Value: string text } literal || !LooksSecret(text))
        {
            return;
        }

        switch (target)
        {
            case Name name when SecretName().IsMatch(name.Id):
                Report(context, literal, text, EnvironmentName(name.Id, text), Label(text), withFix: true);
                break;
            case AttributeExpr attribute when SecretName().IsMatch(attribute.Attr):
                Report(context, literal, text, EnvironmentName(attribute.Attr, text), Label(text), withFix: true);
                break;
            case Subscript subscript when context.Model.ResolveQualifiedName(subscript.Value) == "os.environ"
                                          && context.Model.EvaluateString(subscript.Slice) is { } variable && SecretName().IsMatch(variable):
                Report(context, literal, text, variable, Label(text), withFix: false);
                break;
        }
    }

    private void CheckCall(Call call, ScriptContext context)
    {
        // The callee is resolved only for a call that passes a string literal where these two look:
        // most calls of a file pass none, and resolving each one's callee was most of this rule's time.
        if (context.Model.GetArgument(call, "token", 0) is Constant { Value: string token } literal && LooksSecret(token)
            && context.Model.ResolveCallee(call) is { } login && LoginFunctions.Contains(login))
        {
            Report(context, literal, token, EnvironmentName("HF_TOKEN", token), Label(token), withFix: true);
        }

        if (call.Args.Count >= 2 && call.Args[1] is Constant { Value: string value } set
            && context.Model.ResolveCallee(call) is "os.environ.setdefault" or "os.putenv"
            && context.Model.EvaluateString(call.Args[0]) is { } variable && SecretName().IsMatch(variable)
            && LooksSecret(value))
        {
            Report(context, set, value, variable, Label(value), withFix: false);
        }

        foreach (var keyword in call.Keywords)
        {
            if (keyword.Arg is { } name && SecretKeywords.TryGetValue(name, out var variable2)
                && keyword.Value is Constant { Value: string secret } value2 && LooksSecret(secret))
            {
                Report(context, value2, secret, KnownKind(secret)?.Kind.EnvironmentVariable ?? variable2, Label(secret), withFix: true);
            }
        }
    }

    private void Report(ScriptContext context, Constant literal, string secret, string variable, string label, bool withFix)
    {
        Fix? fix = null;
        if (withFix && CodeEdits.Import(context, "os") is var (os, importEdit))
        {
            var source = context.Text(literal);
            var quote = source[source.IndexOfAny(['"', '\''])];
            var edits = new List<TextEdit> { context.Replace(literal.Range, $"{os}.environ[{quote}{variable}{quote}]") };
            if (importEdit is not null)
            {
                edits.Insert(0, importEdit);
            }

            fix = new Fix($"Read it from the environment: {os}.environ[\"{variable}\"] (the script then needs {variable} set; revoke the leaked secret)", Applicability.Unsafe, edits);
        }

        var advice = withFix
            ? $"read it from the environment ({variable}) instead"
            : $"set {variable} outside the script instead";
        context.Report(this, $"Hard-coded {label} `{Mask(secret)}`: anyone with the file can use it; {advice} and revoke this one", literal, fix);
    }

    /// <summary>A secret recognizable by its shape alone (the one detector, <see cref="Secrets"/>), anywhere in the text.</summary>
    private static SecretMatch? KnownKind(string text)
    {
        foreach (var match in Secrets.Find(text))
        {
            if (match.Kind.ByShape)
            {
                return match;
            }
        }

        return null;
    }

    private static string Label(string text) => KnownKind(text)?.Kind.Name ?? "secret";

    /// <summary>The variable a secret assigned to <paramref name="name"/> belongs in: its own shape's, else the name in upper case.</summary>
    private static string EnvironmentName(string name, string text) => KnownKind(text)?.Kind.EnvironmentVariable ?? name.ToUpperInvariant();

    /// <summary>A long, space-free token with letters and digits that is not a placeholder such as "hf_your_token_here".</summary>
    private static bool LooksSecret(string text)
    {
        if (KnownKind(text) is not null)
        {
            return true;
        }

        if (text.Length is < 20 or > 300 || !SecretCharacters().IsMatch(text) || !text.Any(char.IsDigit) || !text.Any(char.IsLetter))
        {
            return false;
        }

        return !Placeholders.Any(p => text.Contains(p, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The secret's known prefix and last four characters, never more: `hf_…wxyz`.</summary>
    internal static string Mask(string secret) =>
        KnownKind(secret) is { } known ? Secrets.Mask(known.Kind, known.Value(secret)) : Secrets.Mask(Secrets.AssignedSecret, secret);

    [GeneratedRegex("^[A-Za-z0-9_\\-.=+/:]+$")]
    private static partial Regex SecretCharacters();

    [GeneratedRegex("(?i)(^|_)(token|api_?key|secret|secret_?key|access_?key)$")]
    private static partial Regex SecretName();
}
