using MLIntern.Analysis.Findings;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Engine;

/// <summary>
/// Which rules apply to a file: `select`, `ignore` and `[tool.mlintern.severity]` from the nearest
/// pyproject.toml, then the editor's settings (`mlintern.select`, `mlintern.ignore`,
/// `mlintern.severity`) on top, as Ruff's editor integration does by default. Bad values are
/// reported as problems naming the file, and skipped.
/// </summary>
internal static class RuleSettings
{
    public static RuleSelection For(string? path, JObject? editor, List<string>? problems = null)
    {
        var select = new List<string> { "ALL" };
        var ignore = new List<string>();
        var severities = new Dictionary<string, Severity>(StringComparer.OrdinalIgnoreCase);

        if (path is not null && Pyproject.Find(path) is { } pyproject)
        {
            try
            {
                var tables = Toml.Parse(File.ReadAllText(pyproject));
                if (tables.TryGetValue("tool.mlintern", out var table))
                {
                    Read(table.GetValueOrDefault("select"), select, $"{pyproject}: select", problems);
                    Read(table.GetValueOrDefault("ignore"), ignore, $"{pyproject}: ignore", problems);
                }

                if (tables.TryGetValue("tool.mlintern.severity", out var levels))
                {
                    foreach (var (code, value) in levels)
                    {
                        AddSeverity(severities, code, value as string, $"{pyproject}: severity.{code}", problems);
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems?.Add($"{pyproject}: {e.Message}");
            }
        }

        if (editor is not null)
        {
            if (editor["select"] is JArray { Count: > 0 } s)
            {
                select = [.. s.Values<string>().OfType<string>()];
            }

            if (editor["ignore"] is JArray { Count: > 0 } i)
            {
                ignore.AddRange(i.Values<string>().OfType<string>());
            }

            if (editor["severity"] is JObject levels)
            {
                foreach (var property in levels.Properties())
                {
                    AddSeverity(severities, property.Name, (string?)property.Value, $"setting mlintern.severity.{property.Name}", problems);
                }
            }
        }

        return new RuleSelection(select, ignore, severities);
    }

    private static void Read(object? value, List<string> into, string where, List<string>? problems)
    {
        switch (value)
        {
            case null:
                return;
            case List<object> items:
                into.Clear();
                into.AddRange(items.OfType<string>());
                return;
            case string single:
                into.Clear();
                into.Add(single);
                return;
            default:
                problems?.Add($"{where}: expected a list of rule codes");
                return;
        }
    }

    private static void AddSeverity(Dictionary<string, Severity> into, string code, string? value, string where, List<string>? problems)
    {
        if (value is not null && RuleSelection.ParseSeverity(value) is { } severity)
        {
            into[code] = severity;
        }
        else
        {
            problems?.Add($"{where}: '{value}' is not error, warning, info or hint");
        }
    }
}
