using System.Globalization;
using System.Numerics;
using System.Text;
using MLIntern.Python.Lexing;
using MLIntern.Python.Parsing;
using MLIntern.Python.Text;

namespace MLIntern.Python.Syntax;

/// <summary>
/// Writes our syntax tree as JSON in exactly the format of tools/cpython_ast_json.py, so a
/// plain comparison of the two outputs tells whether we agree with CPython's <c>ast</c>:
/// nodes as {"_type": ..., fields in CPython's _fields order, lineno, col_offset, end_lineno,
/// end_col_offset}; operators and contexts as strings; columns in UTF-8 bytes; a file with
/// errors as {"error": {"line": N, "message": ...}} (the first error).
/// The JSON is text written here by hand (no JSON library); the per-node part, AstJson.g.cs, is
/// generated from Nodes.schema with the node classes, so a field added to a node is dumped.
/// </summary>
public static partial class AstJson
{
    /// <summary>Parses the source and returns its JSON.</summary>
    public static string FromString(string source) => ToJson(Parser.Parse(source));

    /// <summary>Decodes a file's bytes as CPython would, parses them and returns the JSON.</summary>
    public static string FromBytes(byte[] bytes) => ToJson(Parser.Parse(SourceText.FromBytes(bytes)));

    public static string ToJson(ParseResult result)
    {
        var sb = new StringBuilder(result.Source.Length * 4 + 64);
        if (result.FirstError is { } e)
        {
            sb.Append("{\"error\":{\"line\":");
            // Encoding problems and NUL bytes are reported by CPython on "line 0" (before tokenizing).
            int line = e.Kind == SyntaxErrorKind.Encoding
                ? result.Source.DecodeError?.Line ?? 0
                : result.Source.GetLineIndex(Math.Min(e.Range.Start, result.Source.Length)) + 1;
            sb.Append(line);
            sb.Append(",\"message\":");
            WriteString(sb, e.Message);
            sb.Append("}}");
            return sb.ToString();
        }

        new Writer(sb, result.Source).Node(result.Tree);
        return sb.ToString();
    }

    private sealed partial class Writer
    {
        private readonly StringBuilder _sb;
        private readonly SourceText _src;

        public Writer(StringBuilder sb, SourceText src)
        {
            _sb = sb;
            _src = src;
        }

        private void Begin(string type)
        {
            _sb.Append("{\"_type\":\"").Append(type).Append('"');
        }

        private void Field(string name)
        {
            _sb.Append(",\"").Append(name).Append("\":");
        }

        private void EndWithPos(Node n)
        {
            var s = _src.GetLinePosition(n.Start);
            var e = _src.GetLinePosition(n.End);
            _sb.Append(",\"lineno\":").Append(s.Line + 1)
                .Append(",\"col_offset\":").Append(_src.GetUtf8Column(n.Start))
                .Append(",\"end_lineno\":").Append(e.Line + 1)
                .Append(",\"end_col_offset\":").Append(_src.GetUtf8Column(n.End))
                .Append('}');
        }

        private void Str(string? s)
        {
            if (s is null)
            {
                _sb.Append("null");
            }
            else
            {
                WriteString(_sb, s);
            }
        }

        private void Nodes<T>(NodeList<T> list)
            where T : Node?
        {
            _sb.Append('[');
            for (int i = 0; i < list.Count; i++)
            {
                if (i > 0)
                {
                    _sb.Append(',');
                }

                Node(list[i]);
            }

            _sb.Append(']');
        }

        private void Strings(NodeList<string> list)
        {
            _sb.Append('[');
            for (int i = 0; i < list.Count; i++)
            {
                if (i > 0)
                {
                    _sb.Append(',');
                }

                WriteString(_sb, list[i]);
            }

            _sb.Append(']');
        }

        private void Enums<T>(NodeList<T> list)
            where T : struct, Enum
        {
            _sb.Append('[');
            for (int i = 0; i < list.Count; i++)
            {
                if (i > 0)
                {
                    _sb.Append(',');
                }

                WriteString(_sb, list[i].ToString());
            }

            _sb.Append(']');
        }

        private void Value(object? v)
        {
            switch (v)
            {
                case null:
                    _sb.Append("null");
                    break;
                case bool b:
                    _sb.Append(b ? "true" : "false");
                    break;
                case string s:
                    WriteString(_sb, s);
                    break;
                case long l:
                    _sb.Append(l.ToString(CultureInfo.InvariantCulture));
                    break;
                case BigInteger bi:
                    _sb.Append(bi.ToString(CultureInfo.InvariantCulture));
                    break;
                case double d:
                    _sb.Append("{\"float\":\"").Append(FloatRepr(d)).Append("\"}");
                    break;
                case Complex c:
                    _sb.Append("{\"complex\":\"").Append(FloatRepr(c.Imaginary)).Append("\"}");
                    break;
                case byte[] bytes:
                    _sb.Append("{\"bytes\":\"").Append(Convert.ToHexStringLower(bytes)).Append("\"}");
                    break;
                case EllipsisValue:
                    _sb.Append("{\"ellipsis\":null}");
                    break;
                default:
                    WriteString(_sb, v.ToString() ?? "");
                    break;
            }
        }
    }

    /// <summary>Python's repr() of a float: shortest round-trip digits, scientific below 1e-4 and from 1e16.</summary>
    public static string FloatRepr(double d)
    {
        if (double.IsPositiveInfinity(d))
        {
            return "inf";
        }

        if (double.IsNegativeInfinity(d))
        {
            return "-inf";
        }

        if (double.IsNaN(d))
        {
            return "nan";
        }

        var r = d.ToString("R", CultureInfo.InvariantCulture);
        string sign = "";
        if (r.StartsWith('-'))
        {
            sign = "-";
            r = r.Substring(1);
        }

        int exp = 0;
        int ei = r.IndexOfAny(new[] { 'E', 'e' });
        if (ei >= 0)
        {
            exp = int.Parse(r.AsSpan(ei + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            r = r.Substring(0, ei);
        }

        int point = r.IndexOf('.');
        string digits = point >= 0 ? r.Remove(point, 1) : r;
        int decpt = (point >= 0 ? point : r.Length) + exp;
        int lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0')
        {
            lead++;
        }

        digits = digits.Substring(lead);
        decpt -= lead;
        digits = digits.TrimEnd('0');
        if (digits.Length == 0)
        {
            return sign + "0.0";
        }

        int x = decpt - 1;
        if (x < -4 || x >= 16)
        {
            var mant = digits.Length > 1 ? digits[0] + "." + digits.Substring(1) : digits;
            return sign + mant + "e" + (x < 0 ? "-" : "+") + Math.Abs(x).ToString("00", CultureInfo.InvariantCulture);
        }

        if (decpt <= 0)
        {
            return sign + "0." + new string('0', -decpt) + digits;
        }

        if (decpt >= digits.Length)
        {
            return sign + digits + new string('0', decpt - digits.Length) + ".0";
        }

        return sign + digits.Substring(0, decpt) + "." + digits.Substring(decpt);
    }

    /// <summary>A JSON string as Python's json.dumps writes it (ensure_ascii: everything outside ' '..'~' escaped).</summary>
    public static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < ' ' || c > '~')
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }
}
