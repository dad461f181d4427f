using System.Text;

namespace MLIntern.Training.Text;

/// <summary>
/// Text in double quotes with backslash escapes (<c>\"</c>, <c>\\</c>, <c>\n</c>, <c>\r</c>, <c>\t</c>,
/// <c>\uHHHH</c> for other control characters; everything else as is). The same spelling is a Python
/// string literal and a YAML double-quoted scalar, so the generated scripts, Spaces and cards share it.
/// </summary>
public static class DoubleQuoted
{
    public static string Of(string text)
    {
        var s = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            s.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return s.Append('"').ToString();
    }
}
