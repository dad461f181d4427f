using System.Globalization;
using System.Text;
using MLIntern.Training.Text;

namespace MLIntern.Training.Release;

/// <summary>A YAML syntax error with its 1-based line (within the front matter).</summary>
public sealed record YamlError(int Line, string Message);

/// <summary>
/// The YAML subset model cards and Space READMEs use, written and read without a library:
/// block mappings and sequences by indentation, sequences of mappings (<c>- key: value</c>),
/// flow sequences of scalars (<c>[a, b]</c>), plain, single- and double-quoted scalars, comments.
/// Values are <see cref="OrderedDictionary{TKey, TValue}"/> (string → value), <see cref="List{T}"/>,
/// string, double, bool or null. Reading never throws: it returns what it read and the errors.
/// Anchors, tags, multi-line scalars and flow mappings are reported as errors, not guessed.
/// </summary>
public static class MiniYaml
{
    public const int MaxDepth = 32;

    public static string Write(OrderedDictionary<string, object?> map)
    {
        var s = new StringBuilder();
        WriteMap(s, map, 0, false);
        return s.ToString();
    }

    private static void WriteMap(StringBuilder s, OrderedDictionary<string, object?> map, int indent, bool firstInlined)
    {
        var first = true;
        foreach (var (key, value) in map)
        {
            if (!(first && firstInlined))
            {
                s.Append(' ', indent);
            }

            first = false;
            s.Append(Scalar(key)).Append(':');
            switch (value)
            {
                case OrderedDictionary<string, object?> child:
                    s.Append('\n');
                    WriteMap(s, child, indent + 2, false);
                    break;
                case List<object?> list:
                    s.Append('\n');
                    WriteList(s, list, indent);
                    break;
                default:
                    s.Append(' ').Append(Scalar(value)).Append('\n');
                    break;
            }
        }
    }

    private static void WriteList(StringBuilder s, List<object?> list, int indent)
    {
        foreach (var item in list)
        {
            s.Append(' ', indent).Append("- ");
            if (item is OrderedDictionary<string, object?> map)
            {
                WriteMap(s, map, indent + 2, true);
            }
            else
            {
                s.Append(Scalar(item)).Append('\n');
            }
        }
    }

    /// <summary>A scalar as YAML: numbers and booleans plain; strings plain when they cannot be misread, else double-quoted.</summary>
    public static string Scalar(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        string text => NeedsQuotes(text) ? DoubleQuoted.Of(text) : text,
        _ => DoubleQuoted.Of(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
    };

    private static bool NeedsQuotes(string text) =>
        text.Length == 0
        || text != text.Trim()
        || "-?:,[]{}#&*!|>'\"%@`".Contains(text[0], StringComparison.Ordinal)
        || text.Contains(": ", StringComparison.Ordinal) || text.Contains(" #", StringComparison.Ordinal) || text.EndsWith(':')
        || text.Any(c => char.IsControl(c))
        || ParsePlain(text) is not string;

    private sealed record Line(int Number, int Indent, string Text);

    public static (OrderedDictionary<string, object?> Value, IReadOnlyList<YamlError> Errors) Read(string yaml)
    {
        var errors = new List<YamlError>();
        var lines = new List<Line>();
        var number = 0;
        foreach (var raw in yaml.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            number++;
            var text = StripComment(raw).TrimEnd();
            if (text.Trim().Length == 0)
            {
                continue;
            }

            if (text.Contains('\t', StringComparison.Ordinal) && text.TrimStart(' ').StartsWith('\t'))
            {
                errors.Add(new YamlError(number, "tab used for indentation"));
                continue;
            }

            var indent = text.Length - text.TrimStart(' ').Length;
            lines.Add(new Line(number, indent, text[indent..]));
        }

        var position = 0;
        var result = lines.Count == 0 ? new OrderedDictionary<string, object?>() : ReadBlock(lines, ref position, lines[0].Indent, errors, 0) as OrderedDictionary<string, object?>;
        if (result is null)
        {
            errors.Add(new YamlError(lines[0].Number, "the front matter is not a mapping"));
            result = [];
        }

        if (position < lines.Count)
        {
            errors.Add(new YamlError(lines[position].Number, "unexpected indentation"));
        }

        return (result, errors);
    }

    private static object? ReadBlock(List<Line> lines, ref int i, int indent, List<YamlError> errors, int depth)
    {
        if (depth > MaxDepth)
        {
            errors.Add(new YamlError(lines[i].Number, $"nested deeper than {MaxDepth} levels"));
            i = lines.Count;
            return null;
        }

        if (lines[i].Text.StartsWith("- ", StringComparison.Ordinal) || lines[i].Text == "-")
        {
            var list = new List<object?>();
            while (i < lines.Count && lines[i].Indent == indent && (lines[i].Text.StartsWith("- ", StringComparison.Ordinal) || lines[i].Text == "-"))
            {
                var line = lines[i];
                var rest = line.Text.Length > 1 ? line.Text[2..].TrimStart() : "";
                var restIndent = indent + (line.Text.Length - rest.Length);
                if (rest.Length == 0)
                {
                    i++;
                    list.Add(i < lines.Count && lines[i].Indent > indent ? ReadBlock(lines, ref i, lines[i].Indent, errors, depth + 1) : null);
                }
                else if (KeyOf(rest) is not null)
                {
                    // "- key: value" starts a mapping whose other keys sit at the column of "key".
                    lines[i] = new Line(line.Number, restIndent, rest);
                    list.Add(ReadBlock(lines, ref i, restIndent, errors, depth + 1));
                }
                else
                {
                    list.Add(ParseValue(rest, line.Number, errors));
                    i++;
                }
            }

            return list;
        }

        var map = new OrderedDictionary<string, object?>();
        while (i < lines.Count && lines[i].Indent == indent)
        {
            var line = lines[i];
            if (line.Text.StartsWith("- ", StringComparison.Ordinal))
            {
                errors.Add(new YamlError(line.Number, "a sequence item where a key was expected"));
                i++;
                continue;
            }

            if (KeyOf(line.Text) is not { } split)
            {
                errors.Add(new YamlError(line.Number, $"expected 'key: value', got '{line.Text}'"));
                i++;
                continue;
            }

            var key = ParseValue(split.Key, line.Number, errors) is string k ? k : split.Key;
            if (map.ContainsKey(key))
            {
                errors.Add(new YamlError(line.Number, $"duplicate key '{key}'"));
            }

            i++;
            object? value;
            if (split.Value.Length > 0)
            {
                value = ParseValue(split.Value, line.Number, errors);
            }
            else if (i < lines.Count && (lines[i].Indent > indent || (lines[i].Indent == indent && lines[i].Text.StartsWith('-'))))
            {
                value = ReadBlock(lines, ref i, lines[i].Indent, errors, depth + 1);
            }
            else
            {
                value = null;
            }

            map[key] = value;
        }

        if (i < lines.Count && lines[i].Indent > indent)
        {
            errors.Add(new YamlError(lines[i].Number, "unexpected indentation"));
            while (i < lines.Count && lines[i].Indent > indent)
            {
                i++;
            }
        }

        return map;
    }

    /// <summary>Splits "key: value" (the colon outside quotes, followed by a space or the end); null when it is not a key.</summary>
    private static (string Key, string Value)? KeyOf(string text)
    {
        var quote = '\0';
        for (var c = 0; c < text.Length; c++)
        {
            var ch = text[c];
            if (quote != '\0')
            {
                if (ch == quote)
                {
                    quote = '\0';
                }
                else if (ch == '\\' && quote == '"')
                {
                    c++;
                }

                continue;
            }

            if (c == 0 && ch is '"' or '\'')
            {
                quote = ch;
                continue;
            }

            if (ch == ':' && (c + 1 == text.Length || text[c + 1] == ' '))
            {
                return (text[..c].Trim(), text[(c + 1)..].Trim());
            }

            if (ch is '[' or '{' && c == 0)
            {
                return null;
            }
        }

        return null;
    }

    private static string StripComment(string line)
    {
        var quote = '\0';
        for (var c = 0; c < line.Length; c++)
        {
            var ch = line[c];
            if (quote != '\0')
            {
                if (ch == quote)
                {
                    quote = '\0';
                }
                else if (ch == '\\' && quote == '"')
                {
                    c++;
                }
            }
            else if (ch is '"' or '\'')
            {
                quote = ch;
            }
            else if (ch == '#' && (c == 0 || line[c - 1] == ' '))
            {
                return line[..c];
            }
        }

        return line;
    }

    private static object? ParseValue(string text, int line, List<YamlError> errors)
    {
        text = text.Trim();
        if (text.StartsWith('"'))
        {
            return ReadDoubleQuoted(text, line, errors);
        }

        if (text.StartsWith('\''))
        {
            if (text.Length < 2 || !text.EndsWith('\''))
            {
                errors.Add(new YamlError(line, "unclosed single quote"));
                return text;
            }

            return text[1..^1].Replace("''", "'", StringComparison.Ordinal);
        }

        if (text.StartsWith('['))
        {
            if (!text.EndsWith(']'))
            {
                errors.Add(new YamlError(line, "unclosed flow sequence"));
                return new List<object?>();
            }

            var inner = text[1..^1].Trim();
            return inner.Length == 0 ? new List<object?>() : inner.Split(',').Select(part => ParseValue(part, line, errors)).ToList();
        }

        if (text[0] is '{' or '&' or '*' or '!' or '|' or '>')
        {
            errors.Add(new YamlError(line, $"'{text[0]}' (flow mapping, anchor, alias, tag or block scalar) is not supported in card metadata"));
            return text;
        }

        return ParsePlain(text);
    }

    private static object? ParsePlain(string text)
    {
        switch (text)
        {
            case "null" or "~" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return true;
            case "false" or "False" or "FALSE":
                return false;
        }

        if (text.Length > 0 && (char.IsAsciiDigit(text[0]) || text[0] is '-' or '+' or '.')
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            && !text.Contains(',', StringComparison.Ordinal))
        {
            return number;
        }

        return text;
    }

    private static string ReadDoubleQuoted(string text, int line, List<YamlError> errors)
    {
        var s = new StringBuilder();
        for (var c = 1; c < text.Length; c++)
        {
            var ch = text[c];
            if (ch == '"')
            {
                if (c != text.Length - 1)
                {
                    errors.Add(new YamlError(line, "text after a closing quote"));
                }

                return s.ToString();
            }

            if (ch == '\\' && c + 1 < text.Length)
            {
                var next = text[++c];
                switch (next)
                {
                    case 'n': s.Append('\n'); break;
                    case 't': s.Append('\t'); break;
                    case 'r': s.Append('\r'); break;
                    case '"': s.Append('"'); break;
                    case '\\': s.Append('\\'); break;
                    case '/': s.Append('/'); break;
                    case 'u' when c + 4 < text.Length && int.TryParse(text.AsSpan(c + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code):
                        s.Append((char)code);
                        c += 4;
                        break;
                    default:
                        errors.Add(new YamlError(line, $"unknown escape '\\{next}'"));
                        break;
                }

                continue;
            }

            s.Append(ch);
        }

        errors.Add(new YamlError(line, "unclosed double quote"));
        return s.ToString();
    }

    /// <summary>Splits a README into its front matter (between the first two '---' lines) and the body; null front matter when there is none.</summary>
    public static (string? FrontMatter, string Body, int BodyLine) SplitFrontMatter(string readme)
    {
        var text = readme.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (!text.StartsWith("---\n", StringComparison.Ordinal))
        {
            return (null, text, 1);
        }

        var end = text.IndexOf("\n---\n", 3, StringComparison.Ordinal);
        if (end < 0)
        {
            return text.EndsWith("\n---", StringComparison.Ordinal) ? (text[4..^4], "", text.Count(c => c == '\n') + 1) : (null, text, 1);
        }

        var front = text[4..(end + 1)];
        return (front, text[(end + 5)..], front.Count(c => c == '\n') + 3);
    }
}
