using System.Globalization;
using System.Text;

namespace MLIntern.Server.Engine;

/// <summary>
/// The subset of TOML that pyproject.toml settings use: tables (`[tool.mlintern]`,
/// `[tool.mlintern.severity]`), keys (bare or quoted), strings, numbers, booleans and arrays of
/// them (on one line or several), and comments. Anything else is skipped, never an error, so an
/// unusual pyproject.toml cannot stop the checks. Values are string, double, bool or List&lt;object&gt;.
/// </summary>
internal static class Toml
{
    private const int MaxLines = 100_000;

    public static Dictionary<string, Dictionary<string, object>> Parse(string text)
    {
        var tables = new Dictionary<string, Dictionary<string, object>>(StringComparer.Ordinal) { [""] = new(StringComparer.Ordinal) };
        var current = tables[""];
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length && i < MaxLines; i++)
        {
            var line = StripComment(lines[i]).Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('['))
            {
                var name = line.TrimStart('[').TrimEnd(']').Trim();
                name = string.Join('.', name.Split('.').Select(p => p.Trim().Trim('"', '\'')));
                current = tables.TryGetValue(name, out var existing) ? existing : tables[name] = new(StringComparer.Ordinal);
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var key = line[..equals].Trim().Trim('"', '\'');
            var value = line[(equals + 1)..].Trim();
            // An array may continue on the next lines until its brackets balance.
            while (value.StartsWith('[') && Depth(value) > 0 && i + 1 < lines.Length && i + 1 < MaxLines)
            {
                value += " " + StripComment(lines[++i]).Trim();
            }

            if (ParseValue(value) is { } parsed)
            {
                current[key] = parsed;
            }
        }

        return tables;
    }

    private static object? ParseValue(string value)
    {
        if (value.Length == 0)
        {
            return null;
        }

        if (value[0] is '"' or '\'')
        {
            var end = value.IndexOf(value[0], 1);
            return end > 0 ? value[1..end] : value[1..];
        }

        if (value[0] == '[')
        {
            var items = new List<object>();
            var inner = value.TrimStart('[');
            var close = inner.LastIndexOf(']');
            inner = close >= 0 ? inner[..close] : inner;
            foreach (var part in SplitTopLevel(inner))
            {
                if (ParseValue(part.Trim()) is { } item)
                {
                    items.Add(item);
                }
            }

            return items;
        }

        if (value is "true" or "false")
        {
            return value == "true";
        }

        return double.TryParse(value.Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        foreach (var (index, c) in Unquoted(text))
        {
            depth += c == '[' ? 1 : c == ']' ? -1 : 0;
            if (c == ',' && depth == 0)
            {
                yield return text[start..index];
                start = index + 1;
            }
        }

        if (text[start..].Trim().Length > 0)
        {
            yield return text[start..];
        }
    }

    private static int Depth(string value) => Unquoted(value).Sum(p => p.Char == '[' ? 1 : p.Char == ']' ? -1 : 0);

    /// <summary>The line without a trailing `# comment` (a `#` inside quotes is kept).</summary>
    private static string StripComment(string line)
    {
        foreach (var (index, c) in Unquoted(line))
        {
            if (c == '#')
            {
                return line[..index];
            }
        }

        return line;
    }

    /// <summary>The characters of a line that stand outside '…' and "…" strings, with their index.</summary>
    private static IEnumerable<(int Index, char Char)> Unquoted(string text)
    {
        var quote = '\0';
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0')
            {
                quote = c == quote ? '\0' : quote;
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else
            {
                yield return (i, c);
            }
        }
    }
}
