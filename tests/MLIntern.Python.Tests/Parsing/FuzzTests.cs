using System.Diagnostics;
using System.Text;
using MLIntern.Python.Lexing;
using MLIntern.Python.Parsing;
using MLIntern.Python.Syntax;
using MLIntern.Python.Tests.Differential;
using MLIntern.Python.Text;

namespace MLIntern.Python.Tests.Parsing;

/// <summary>
/// Parsing never throws, never hangs, and reports well-formed errors, whatever the input:
/// random token soup, random bytes, truncations and mutations of real files, pathological
/// nesting and huge lines. Seeds are fixed so a failure reproduces.
/// </summary>
public sealed class FuzzTests
{
    /// <summary>
    /// No single input may take longer than this: it catches quadratic blow-ups. It is generous
    /// because CI machines are shared; the largest inputs parse in well under a second.
    /// </summary>
    private static readonly TimeSpan PerInputBudget = TimeSpan.FromSeconds(30);

    /// <summary>A parse that never returns is caught by this watchdog, which names the input.</summary>
    private static readonly TimeSpan HangTimeout = TimeSpan.FromSeconds(120);

    private static readonly string[] Vocabulary =
    {
        "x", "y", "foo", "_", "match", "case", "type", "print", "self", "0", "1", "3.14", "0x1F", "1e10", "2j", "0o7", "0b1", "1_000",
        "'s'", "\"d\"", "'''t'''", "b'b'", "r'\\d'", "u'u'", "f'", "f\"", "'", "\"", "\"\"\"", "{", "}", "{x}", "{x!r}", "{x:>{w}}", "{x=}",
        "(", ")", "[", "]", ",", ":", ";", ".", "...", "=", "==", "!=", "<", ">", "<=", ">=", "+", "-", "*", "**", "/", "//", "%", "@",
        "|", "&", "^", "~", "<<", ">>", ":=", "->", "+=", "-=", "*=", "@=", "!", "\\", "#c", "\n", "\n", "\n", "    ", "\t", " ", " ", " ",
        "def", "class", "if", "elif", "else", "for", "while", "try", "except", "except*", "finally", "with", "as", "import", "from", "return",
        "yield", "await", "async", "lambda", "not", "and", "or", "in", "is", "None", "True", "False", "pass", "break", "continue", "raise",
        "global", "nonlocal", "del", "assert", "$", "?", "`", "\u00e9", "\u03bc", "\U0001F600", "\0", "\r", "\r\n", "\f",
    };

    [Fact]
    public void TokenSoupNeverBreaksTheParser()
    {
        var rng = new Random(20261128);
        int n = 0;
        var sb = new StringBuilder();
        for (int i = 0; i < 40_000; i++)
        {
            sb.Clear();
            int len = rng.Next(1, 60);
            for (int k = 0; k < len; k++)
            {
                sb.Append(Vocabulary[rng.Next(Vocabulary.Length)]);
                if (rng.Next(3) == 0)
                {
                    sb.Append(' ');
                }
            }

            Check(sb.ToString(), $"soup #{i}");
            n++;
        }

        Assert.Equal(40_000, n);
    }

    [Fact]
    public void RandomBytesNeverBreakTheParser()
    {
        var rng = new Random(7);
        for (int i = 0; i < 20_000; i++)
        {
            var bytes = new byte[rng.Next(0, 200)];
            rng.NextBytes(bytes);
            if (i % 2 == 0)
            {
                // Mostly printable ASCII, which gets further into the grammar.
                for (int k = 0; k < bytes.Length; k++)
                {
                    bytes[k] = (byte)(bytes[k] % 96 + 32 == 127 ? '\n' : bytes[k] % 96 + 32);
                }
            }

            CheckBytes(bytes, $"bytes #{i}");
        }
    }

    [Fact]
    public void TruncationsAndMutationsOfRealFilesNeverBreakTheParser()
    {
        var corpus = RealSources();
        var rng = new Random(42);
        int count = 0;
        for (int i = 0; i < 25_000; i++)
        {
            var text = corpus[rng.Next(corpus.Count)];
            int start = rng.Next(Math.Max(1, text.Length - 1500));
            var window = text.Substring(start, Math.Min(1500, text.Length - start));
            Check(window.Substring(0, rng.Next(window.Length + 1)), $"truncation #{i}");
            count++;
        }

        string[] inserts = { "(", ")", "[", "]", "{", "}", ":", "\n", "    ", "'", "\"", "f'{", "\\", "#", ",", "=", "def ", "*", "lambda ", "\t", "}" };
        for (int i = 0; i < 40_000; i++)
        {
            var text = corpus[rng.Next(corpus.Count)];
            int start = rng.Next(Math.Max(1, text.Length - 1200));
            var sb = new StringBuilder(text.Substring(start, Math.Min(1200, text.Length - start)));
            int edits = rng.Next(1, 4);
            for (int e = 0; e < edits && sb.Length > 0; e++)
            {
                int at = rng.Next(sb.Length);
                switch (rng.Next(4))
                {
                    case 0:
                        sb.Remove(at, Math.Min(rng.Next(1, 6), sb.Length - at));
                        break;
                    case 1:
                        sb.Insert(at, inserts[rng.Next(inserts.Length)]);
                        break;
                    case 2:
                        sb[at] = (char)rng.Next(32, 127);
                        break;
                    default:
                        int from = rng.Next(sb.Length);
                        int len = Math.Min(rng.Next(1, 40), sb.Length - from);
                        sb.Insert(at, sb.ToString(from, len));
                        break;
                }
            }

            Check(sb.ToString(), $"mutation #{i}");
            count++;
        }

        Assert.Equal(65_000, count);
    }

    [Theory]
    [InlineData("(", ")", "x")]
    [InlineData("[", "]", "x")]
    [InlineData("{", "}", "x")]
    [InlineData("-(", ")", "x")]
    [InlineData("f(", ")", "x")]
    [InlineData("not ", "", "x")]
    [InlineData("-", "", "x")]
    [InlineData("lambda: ", "", "x")]
    [InlineData("x if y else ", "", "z")]
    [InlineData("a.", "", "b")]
    [InlineData("a[", "]", "0")]
    [InlineData("f'{", "}'", "x")]
    [InlineData("await ", "", "x")]
    [InlineData("x ** ", "", "y")]
    public void PathologicalNestingIsAnErrorNotACrash(string open, string close, string inner)
    {
        foreach (int depth in new[] { 100, 300, 5_000, 100_000 })
        {
            var sb = new StringBuilder(depth * (open.Length + close.Length) + 8);
            for (int k = 0; k < depth; k++)
            {
                sb.Append(open);
            }

            sb.Append(inner);
            for (int k = 0; k < depth; k++)
            {
                sb.Append(close);
            }

            var result = Check(sb.ToString(), $"{open}…{close} x{depth}");
            if (depth >= 300 && open is "(" or "[" or "{" or "-(" or "f(")
            {
                Assert.True(result.HasErrors, $"{depth} nested {open} must be an error (CPython allows 200)");
            }
        }
    }

    [Fact]
    public void LongChainsAreCappedLikeCPythonInsteadOfOverflowing()
    {
        // CPython refuses trees a few thousand levels deep ("too complex"); so do we, past
        // Parser.MaxTreeDepth, and without recursing once per link of the chain.
        Assert.False(Check("x = " + string.Join("+", Enumerable.Repeat("a", 900)) + "\n", "900 a+a+…").HasErrors);
        Assert.True(Check("x = " + string.Join("+", Enumerable.Repeat("a", 200_000)) + "\n", "200k a+a+…").HasErrors);
        Assert.False(Check("x = a" + string.Concat(Enumerable.Repeat(".b()", 400)) + "\n", "400 .b()").HasErrors);
        Assert.True(Check("x = a" + string.Concat(Enumerable.Repeat(".b()", 50_000)) + "\n", "50k .b()").HasErrors);
        Assert.True(Check("x = " + string.Concat(Enumerable.Repeat("-", 100_000)) + "a\n", "100k unary minus").HasErrors);

        // Comparisons and boolean operators are flat nodes: any length is fine.
        Assert.False(Check("x = " + string.Join(" < ", Enumerable.Repeat("a", 50_000)) + "\n", "a<a<…").HasErrors);
        Assert.False(Check("x = " + string.Join(" or ", Enumerable.Repeat("a", 50_000)) + "\n", "a or a…").HasErrors);
    }

    [Fact]
    public void HugeLinesAndDeepIndentationAreHandled()
    {
        Assert.False(Check("x = '" + new string('a', 2_000_000) + "'\n", "2 MB string").HasErrors);
        Assert.False(Check("x = [" + string.Concat(Enumerable.Repeat("1, ", 300_000)) + "]\n", "long list").HasErrors);
        Assert.True(Check(new string('(', 300_000), "300k open parens").HasErrors);
        var sb = new StringBuilder();
        for (int k = 0; k < 150; k++)
        {
            sb.Append(' ', k).Append("if x:\n");
        }

        sb.Append(' ', 150).Append("pass\n");
        Assert.True(Check(sb.ToString(), "150 indentation levels").HasErrors);
    }

    private static List<string> RealSources()
    {
        var lib = CPythonCorpus.StdlibFolder("3.13");
        Assert.True(lib is not null, "the CPython 3.13 standard library (pyenv) provides the real files to mutate");
        var files = CPythonCorpus.StdlibFiles(lib!);
        var rng = new Random(1);
        return Enumerable.Range(0, 300).Select(_ => File.ReadAllText(files[rng.Next(files.Count)])).Where(t => t.Length > 0).ToList();
    }

    private static ParseResult CheckBytes(byte[] bytes, string what)
    {
        var sw = Stopwatch.StartNew();
        var source = SourceText.FromBytes(bytes);
        var result = Parser.Parse(source);
        Verify(result, what, sw.Elapsed);
        return result;
    }

    private static ParseResult Check(string text, string what)
    {
        var sw = Stopwatch.StartNew();
        ParseResult result;
        try
        {
            var task = Task.Run(() => Parser.Parse(text));
            if (!task.Wait(HangTimeout))
            {
                throw new Xunit.Sdk.XunitException($"{what}: no result after {HangTimeout.TotalSeconds} s (a hang)\ninput: {Escape(text)}");
            }

            result = task.Result;
        }
        catch (AggregateException e) when (e.InnerException is not null)
        {
            throw new Xunit.Sdk.XunitException($"{what}: {e.InnerException.GetType().Name}: {e.InnerException.Message}\ninput: {Escape(text)}\n{e.InnerException.StackTrace}");
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new Xunit.Sdk.XunitException($"{what}: {e.GetType().Name}: {e.Message}\ninput: {Escape(text)}\n{e.StackTrace}");
        }

        Verify(result, what, sw.Elapsed);
        return result;
    }

    private static void Verify(ParseResult result, string what, TimeSpan elapsed)
    {
        int length = result.Source.Length;
        if (elapsed > PerInputBudget)
        {
            throw new Xunit.Sdk.XunitException($"{what}: took {elapsed.TotalMilliseconds:F0} ms (budget {PerInputBudget.TotalMilliseconds} ms)\ninput: {Escape(result.Source.Text)}");
        }

        foreach (var e in result.Errors)
        {
            if (e.Range.Start < 0 || e.Range.End > length || e.Range.Start > e.Range.End || string.IsNullOrEmpty(e.Message))
            {
                throw new Xunit.Sdk.XunitException($"{what}: malformed error {e}\ninput: {Escape(result.Source.Text)}");
            }
        }

        int prev = 0;
        foreach (var t in result.Tokens.Tokens)
        {
            if (t.Start < prev || t.End < t.Start || t.End > length)
            {
                throw new Xunit.Sdk.XunitException($"{what}: token {t} out of order or outside the text (length {length})\ninput: {Escape(result.Source.Text)}");
            }

            prev = t.Start;
        }

        if (result.Tokens.Count == 0 || result.Tokens.Tokens[^1].Kind != TokenKind.EndOfFile)
        {
            throw new Xunit.Sdk.XunitException($"{what}: the token stream must end with EndOfFile");
        }

        if (length < 200_000)
        {
            new RangeChecker(length, what, result.Source.Text).Visit(result.Tree);
        }
    }

    private static string Escape(string s) => s.Length > 400 ? s.Substring(0, 400).Replace("\n", "\\n") + "…" : s.Replace("\n", "\\n");

    private sealed class RangeChecker : SyntaxWalker
    {
        private readonly int _length;
        private readonly string _what;
        private readonly string _text;

        public RangeChecker(int length, string what, string text)
        {
            _length = length;
            _what = what;
            _text = text;
        }

        public override void Visit(Node node)
        {
            if (node.Start < 0 || node.End > _length || node.Start > node.End)
            {
                throw new Xunit.Sdk.XunitException($"{_what}: {node.GetType().Name} has range {node.Range} outside the text (length {_length})\ninput: {Escape(_text)}");
            }

            base.Visit(node);
        }
    }
}
