namespace MLIntern.Analysis.Notebooks;

/// <summary>
/// A code cell's IPython-only syntax masked so the Python parser reads the rest: line magics
/// (<c>%pip install x</c>), shell escapes (<c>!ls</c>, <c>files = !ls</c>), help (<c>model?</c>,
/// <c>??model</c>) and cell magics (<c>%%time</c> runs Python below it; <c>%%bash</c> and other
/// languages mask the whole cell). A masked line keeps its line number and indentation, so every
/// other line keeps its positions: findings and fixes need no remapping within a cell.
/// </summary>
public static class IPythonSyntax
{
    /// <summary>Cell magics whose body is Python run by IPython; any other cell magic's body is another language.</summary>
    private static readonly HashSet<string> PythonBodyCellMagics = new(StringComparer.Ordinal)
    {
        "time", "timeit", "capture", "prun", "debug", "tensorflow_version", "memit", "mprun", "lprun", "snakeviz",
    };

    /// <summary>
    /// IPython's built-in line magics (what `%lsmagic` lists). A cell of one line may call one without
    /// its `%` — automagic: `pip install torch`, `cd data`, `ls -la` — unless the name is a Python
    /// variable; IPython applies it to one-line cells only.
    /// </summary>
    private static readonly HashSet<string> LineMagics = new(StringComparer.Ordinal)
    {
        "alias", "alias_magic", "autoawait", "autocall", "automagic", "autosave", "bookmark", "cat", "cd", "clear", "colors",
        "conda", "config", "cp", "debug", "dhist", "dirs", "doctest_mode", "ed", "edit", "env", "gui", "hist", "history",
        "killbgscripts", "ldir", "less", "lf", "lk", "ll", "load", "load_ext", "loadpy", "logoff", "logon", "logstart",
        "logstate", "logstop", "ls", "lsmagic", "lx", "macro", "magic", "mamba", "man", "matplotlib", "micromamba", "mkdir",
        "more", "mv", "notebook", "page", "pastebin", "pdb", "pdef", "pdoc", "pfile", "pinfo", "pinfo2", "pip", "popd",
        "pprint", "precision", "prun", "psearch", "psource", "pushd", "pwd", "pycat", "pylab", "quickref", "recall",
        "rehashx", "reload_ext", "rep", "rerun", "reset", "reset_selective", "rm", "rmdir", "run", "save", "sc", "set_env",
        "store", "sx", "system", "tb", "time", "timeit", "unalias", "unload_ext", "uv", "who", "who_ls", "whos", "xdel", "xmode",
    };

    /// <summary>
    /// The cell's text with IPython syntax masked, and the 1-based lines that were masked (an edit
    /// there would rewrite what the user wrote as a magic, so fixes do not touch them).
    /// </summary>
    public static (string Text, IReadOnlySet<int> MaskedLines) Mask(string source)
    {
        var lines = SplitKeepingEnds(source);
        var masked = new HashSet<int>();
        if (lines.Count == 0)
        {
            return (source, masked);
        }

        if (lines.Count == 1 && IsAutomagic(lines[0].Body))
        {
            var body = lines[0].Body;
            lines[0] = lines[0] with { Body = body[..(body.Length - body.TrimStart().Length)] + "pass" };
            masked.Add(1);
            return (Join(lines), masked);
        }

        var first = lines[0].Body.TrimStart();
        if (first.StartsWith("%%", StringComparison.Ordinal))
        {
            var name = MagicName(first.AsSpan(2));
            var all = !PythonBodyCellMagics.Contains(name);
            for (var i = 0; i < (all ? lines.Count : 1); i++)
            {
                lines[i] = lines[i] with { Body = "" };
                masked.Add(i + 1);
            }

            if (all)
            {
                return (Join(lines), masked);
            }
        }

        var scanner = new LogicalLineScanner();
        for (var i = 0; i < lines.Count; i++)
        {
            var body = lines[i].Body;
            if (scanner.AtLogicalLineStart && !masked.Contains(i + 1) && MaskedLine(body) is { } replacement)
            {
                lines[i] = lines[i] with { Body = replacement };
                masked.Add(i + 1);

                // A magic continued with a trailing backslash goes on over the next lines.
                while (body.EndsWith('\\') && i + 1 < lines.Count)
                {
                    i++;
                    body = lines[i].Body;
                    lines[i] = lines[i] with { Body = "" };
                    masked.Add(i + 1);
                }

                continue;
            }

            scanner.Scan(body);
        }

        return masked.Count == 0 ? (source, masked) : (Join(lines), masked);
    }

    /// <summary>What a logical line of IPython syntax becomes, or null when it is Python.</summary>
    private static string? MaskedLine(string line)
    {
        var indent = line.Length - line.TrimStart().Length;
        var text = line.AsSpan(indent).TrimEnd();
        if (text.IsEmpty || text[0] == '#')
        {
            return null;
        }

        var padding = line[..indent];
        if (text[0] is '%' or '!' || text[0] == '?')
        {
            // A statement of its own: `pass` keeps an indented block that held only the magic valid.
            return padding + "pass";
        }

        if (text[^1] == '?' && !text.Contains('#') && IsHelpTarget(text.TrimEnd('?')))
        {
            return padding + "pass";
        }

        // `files = !ls`, `out = %timeit -o f()`: the value is the shell's or the magic's.
        var equals = AssignmentOfMagic(text);
        if (equals >= 0)
        {
            return padding + text[..(equals + 1)].ToString() + " ...";
        }

        return null;
    }

    /// <summary>
    /// A line magic called without `%`: its name, blanks, then arguments that are not an assignment
    /// (`pip = 3`, `ls, x = …` are Python, as IPython decides) — and the line is not Python, so a magic's
    /// name used as a variable (`time - start`) stays Python.
    /// </summary>
    private static bool IsAutomagic(string line)
    {
        var text = line.TrimStart();
        var name = MagicName(text);
        if (name.Length == 0 || !LineMagics.Contains(name) || text.Length == name.Length || text[name.Length] is not (' ' or '\t'))
        {
            return false;
        }

        var rest = text.AsSpan(name.Length).TrimStart();
        return !rest.IsEmpty && rest[0] is not ('=' or ',' or '#') && MLIntern.Python.Parsing.Parser.Parse(line).Errors.Count > 0;
    }

    /// <summary>`name`, `obj.attr`, `np.*load*`: what IPython's `?` shows help for.</summary>
    private static bool IsHelpTarget(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!(char.IsLetterOrDigit(c) || c is '_' or '.' or '*'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The offset of the `=` in `target = %magic` / `target = !cmd`, or -1.</summary>
    private static int AssignmentOfMagic(ReadOnlySpan<char> text)
    {
        var equals = text.IndexOf('=');
        if (equals <= 0 || equals + 1 >= text.Length || text[equals + 1] == '=' || text[equals - 1] is '!' or '<' or '>' or '=')
        {
            return -1;
        }

        foreach (var c in text[..equals])
        {
            if (!(char.IsLetterOrDigit(c) || c is '_' or '.' or ',' or ' ' or '\t' or '[' or ']' or '(' or ')' or '*'))
            {
                return -1;
            }
        }

        var value = text[(equals + 1)..].TrimStart();
        return value.Length > 0 && value[0] is '!' or '%' ? equals : -1;
    }

    private static string MagicName(ReadOnlySpan<char> text)
    {
        var end = 0;
        while (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] == '_'))
        {
            end++;
        }

        return text[..end].ToString();
    }

    private readonly record struct Line(string Body, string End);

    private static List<Line> SplitKeepingEnds(string source)
    {
        var lines = new List<Line>();
        var start = 0;
        for (var i = 0; i < source.Length; i++)
        {
            if (source[i] is '\n' or '\r')
            {
                var endLength = source[i] == '\r' && i + 1 < source.Length && source[i + 1] == '\n' ? 2 : 1;
                lines.Add(new Line(source[start..i], source.Substring(i, endLength)));
                i += endLength - 1;
                start = i + 1;
            }
        }

        if (start < source.Length)
        {
            lines.Add(new Line(source[start..], ""));
        }

        return lines;
    }

    private static string Join(List<Line> lines) => string.Concat(lines.Select(l => l.Body + l.End));

    /// <summary>
    /// Tracks strings, brackets and backslash continuations line by line, so a `%` or `!` inside a
    /// triple-quoted string or an open call is not taken for a magic.
    /// </summary>
    private sealed class LogicalLineScanner
    {
        private int _depth;
        private string? _tripleQuote;
        private bool _continued;

        public bool AtLogicalLineStart => _depth == 0 && _tripleQuote is null && !_continued;

        public void Scan(string line)
        {
            _continued = false;
            var i = 0;
            while (i < line.Length)
            {
                if (_tripleQuote is not null)
                {
                    var close = line.IndexOf(_tripleQuote, i, StringComparison.Ordinal);
                    while (close > 0 && IsEscaped(line, close))
                    {
                        close = line.IndexOf(_tripleQuote, close + 1, StringComparison.Ordinal);
                    }

                    if (close < 0)
                    {
                        return;
                    }

                    i = close + 3;
                    _tripleQuote = null;
                    continue;
                }

                var c = line[i];
                if (c == '#')
                {
                    return;
                }

                if (c is '"' or '\'')
                {
                    var triple = new string(c, 3);
                    if (string.CompareOrdinal(line, i, triple, 0, 3) == 0)
                    {
                        _tripleQuote = triple;
                        i += 3;
                        continue;
                    }

                    // A one-line string ends on this line (or the line is broken; the parser says so).
                    i++;
                    while (i < line.Length && line[i] != c)
                    {
                        i += line[i] == '\\' ? 2 : 1;
                    }

                    i++;
                    continue;
                }

                if (c is '(' or '[' or '{')
                {
                    _depth++;
                }
                else if (c is ')' or ']' or '}')
                {
                    _depth = Math.Max(0, _depth - 1);
                }
                else if (c == '\\' && i == line.Length - 1)
                {
                    _continued = true;
                }

                i++;
            }
        }

        private static bool IsEscaped(string line, int index)
        {
            var backslashes = 0;
            for (var j = index - 1; j >= 0 && line[j] == '\\'; j--)
            {
                backslashes++;
            }

            return backslashes % 2 == 1;
        }
    }
}
