namespace MLIntern.Analysis.Text;

/// <summary>
/// A call found by <see cref="KeywordScanner"/>: where the callee's name is and the names of the
/// keyword arguments written directly inside its parentheses.
/// </summary>
public readonly record struct ScannedCall(Span Callee, IReadOnlyList<Span> Keywords);

/// <summary>
/// Finds calls to given names and their keyword arguments by reading Python tokens: it skips
/// strings (all prefixes, triple quotes) and comments and tracks bracket depth, so text inside a
/// string or a nested call never counts. Interim: script rules move to the semantic model of
/// MLIntern.Python once it lands (issue 3), and this type goes away with that change.
/// </summary>
public static class KeywordScanner
{
    public static IEnumerable<ScannedCall> Calls(string text, IReadOnlySet<string> names)
    {
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '#')
            {
                i = SkipComment(text, i);
            }
            else if (IsStringStart(text, i, out var quoteAt))
            {
                i = SkipString(text, quoteAt);
            }
            else if (IsIdentifierStart(c))
            {
                var start = i;
                while (i < text.Length && IsIdentifierPart(text[i]))
                {
                    i++;
                }

                var name = text.AsSpan(start, i - start);
                var after = SkipBlanks(text, i);
                if (after < text.Length && text[after] == '(' && Contains(names, name))
                {
                    yield return new ScannedCall(new Span(start, i), KeywordsOf(text, after));
                }
            }
            else
            {
                i++;
            }
        }
    }

    private static bool Contains(IReadOnlySet<string> names, ReadOnlySpan<char> name)
    {
        foreach (var n in names)
        {
            if (name.SequenceEqual(n))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Keyword names at depth one of the call whose '(' is at <paramref name="open"/>.</summary>
    private static List<Span> KeywordsOf(string text, int open)
    {
        var keywords = new List<Span>();
        var depth = 0;
        var i = open;
        var expectArgument = true;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '#')
            {
                i = SkipComment(text, i);
                continue;
            }

            if (IsStringStart(text, i, out var quoteAt))
            {
                i = SkipString(text, quoteAt);
                expectArgument = false;
                continue;
            }

            switch (c)
            {
                case '(' or '[' or '{':
                    depth++;
                    expectArgument = depth == 1;
                    i++;
                    continue;
                case ')' or ']' or '}':
                    depth--;
                    i++;
                    if (depth == 0)
                    {
                        return keywords;
                    }

                    continue;
                case ',':
                    expectArgument = depth == 1;
                    i++;
                    continue;
            }

            if (depth == 1 && expectArgument && IsIdentifierStart(c))
            {
                var start = i;
                while (i < text.Length && IsIdentifierPart(text[i]))
                {
                    i++;
                }

                var eq = SkipBlanks(text, i);
                if (eq < text.Length && text[eq] == '=' && (eq + 1 >= text.Length || text[eq + 1] != '='))
                {
                    keywords.Add(new Span(start, i));
                }

                expectArgument = false;
                continue;
            }

            if (!char.IsWhiteSpace(c) && c != '\\')
            {
                expectArgument = false;
            }

            i++;
        }

        return keywords;
    }

    private static int SkipBlanks(string text, int i)
    {
        while (i < text.Length && (text[i] is ' ' or '\t' or '\f'))
        {
            i++;
        }

        return i;
    }

    private static int SkipComment(string text, int i)
    {
        while (i < text.Length && text[i] != '\n' && text[i] != '\r')
        {
            i++;
        }

        return i;
    }

    /// <summary>A string starts at a quote or at a prefix of up to two letters (r, b, u, f, rb, fr…) before one.</summary>
    private static bool IsStringStart(string text, int i, out int quoteAt)
    {
        quoteAt = i;
        if (i > 0 && IsIdentifierPart(text[i - 1]))
        {
            return false;
        }

        var j = i;
        while (j < text.Length && j - i < 2 && "rRbBuUfF".Contains(text[j], StringComparison.Ordinal))
        {
            j++;
        }

        if (j < text.Length && (text[j] == '"' || text[j] == '\''))
        {
            quoteAt = j;
            return true;
        }

        return false;
    }

    private static int SkipString(string text, int q)
    {
        var quote = text[q];
        var triple = q + 2 < text.Length && text[q + 1] == quote && text[q + 2] == quote;
        var i = q + (triple ? 3 : 1);
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\\')
            {
                i += 2;
                continue;
            }

            if (c == quote)
            {
                if (!triple)
                {
                    return i + 1;
                }

                if (i + 2 < text.Length && text[i + 1] == quote && text[i + 2] == quote)
                {
                    return i + 3;
                }
            }
            else if (!triple && (c == '\n' || c == '\r'))
            {
                return i;
            }

            i++;
        }

        return text.Length;
    }

    private static bool IsIdentifierStart(char c) => char.IsLetter(c) || c == '_';

    private static bool IsIdentifierPart(char c) => char.IsLetterOrDigit(c) || c == '_';
}
