namespace MLIntern.Analysis.Findings;

/// <summary>
/// Which rules run and how loudly, as a project or the editor configures it: `select` and `ignore`
/// take codes or prefixes ("MLI2" covers MLI201–MLI203; "ALL" everything), `severity` overrides a
/// code's default. Ignore wins over select; the longest matching severity key wins. MLI000 (a syntax
/// error) is always enabled: a file Python refuses to run is never reported clean.
/// </summary>
public sealed record RuleSelection(IReadOnlyList<string> Select, IReadOnlyList<string> Ignore, IReadOnlyDictionary<string, Severity> Severities)
{
    public static readonly RuleSelection Default = new(["ALL"], [], new Dictionary<string, Severity>());

    /// <summary>The code no selection turns off: invalid syntax.</summary>
    public const string AlwaysEnabled = "MLI000";

    public bool IsEnabled(string code) =>
        code == AlwaysEnabled || (Select.Any(p => Matches(p, code)) && !Ignore.Any(p => Matches(p, code)));

    public Severity SeverityOf(string code, Severity fallback)
    {
        var best = Severities.Where(kv => Matches(kv.Key, code)).OrderByDescending(kv => kv.Key.Length).FirstOrDefault();
        return best.Key is null ? fallback : best.Value;
    }

    /// <summary>The findings of enabled rules, with severities overridden.</summary>
    public IReadOnlyList<Finding> Apply(IEnumerable<Finding> findings) =>
        [.. findings.Where(f => IsEnabled(f.Code)).Select(f => SeverityOf(f.Code, f.Severity) is var s && s != f.Severity ? f with { Severity = s } : f)];

    private static bool Matches(string pattern, string code) =>
        pattern.Equals("ALL", StringComparison.OrdinalIgnoreCase) || code.StartsWith(pattern, StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses "error", "warning", "info"/"information", "hint"; null for anything else.</summary>
    public static Severity? ParseSeverity(string value) => value.Trim().ToLowerInvariant() switch
    {
        "error" => Severity.Error,
        "warning" or "warn" => Severity.Warning,
        "info" or "information" => Severity.Information,
        "hint" => Severity.Hint,
        _ => null,
    };
}
