using MLIntern.Analysis.Findings;
using MLIntern.Python.Lexing;
using MLIntern.Python.Text;

namespace MLIntern.Analysis.Rules.Syntax;

/// <summary>MLI000: a syntax error the parser found; Python would refuse to run the file.</summary>
public sealed class InvalidSyntax : ScriptRule
{
    /// <summary>At most this many syntax errors are reported per file: past the first few, most are the parser's recovery, not new mistakes.</summary>
    public const int MaxPerFile = 100;

    public static readonly RuleInfo Rule = new(
        "MLI000",
        "invalid-syntax",
        Severity.Error,
        "The file is not valid Python 3.13: Python would refuse to run it",
        """
        ## What it does
        Reports each syntax error ML Intern's Python 3.13 parser finds (unclosed brackets,
        unterminated strings, bad indentation, a missing `:`, an undecodable byte, …), at its
        line and column. The file's bytes are decoded as Python decodes them: a UTF-8 byte order
        mark, else the PEP 263 coding declaration on one of the first two lines, else UTF-8.
        At most 100 syntax errors are reported per file.

        The other rules still check what parsed, but a file with a syntax error is never
        reported as clean.

        In a Jupyter notebook each code cell is compiled on its own when it runs, so the error
        is reported in its cell, and a cell that does not parse is left out of the notebook's
        other checks while the rest are checked as one program. IPython's own syntax — `%magic`
        and `%%cell` magics, `!shell` lines, `name?` help, and a one-line cell that calls a line magic
        without its `%` (`pip install torch`: IPython's automagic) — is not an error there. A notebook file that is
        not valid JSON or nbformat is one finding at the line of the file where reading stopped.

        ## Why is this bad?
        Python compiles the whole file before running any of it: one syntax error anywhere and
        the script does nothing at all — not even the imports at the top. In a training job the
        error appears only after the job was queued and the machine was started, and a check
        that quietly skipped the broken part would report the file as fine.

        ## Example
        ```python
        args = TrainingArguments(
            output_dir="out",
            num_train_epochs=3
        trainer = Trainer(model=model, args=args)
        ```

        ## Use instead
        ```python
        args = TrainingArguments(
            output_dir="out",
            num_train_epochs=3,
        )
        trainer = Trainer(model=model, args=args)
        ```

        ## Fix safety
        No fix is offered: which code was meant is for you to say.

        This rule cannot be silenced: a `# noqa` or `# mlintern: ignore` comment does not
        cover it, and `select`/`ignore` in `[tool.mlintern]` do not turn it off (its severity
        can still be set).

        ## Error without the fix
        ```
        SyntaxError: '(' was never closed
        ```
        """);

    public override RuleInfo Info => Rule;

    public override bool AnyFile => true;

    public override void Finish(ScriptContext context)
    {
        var source = context.Source;
        var errors = context.Parse.Errors;
        // Where the lexer closed an unclosed bracket, the parser then trips over the line break;
        // a bracket still open at the end of the file leaves the parser wanting more there. The
        // unclosed bracket is the mistake, reported once.
        var recovered = errors.Where(e => e.RecoveredAt >= 0).Select(e => e.RecoveredAt).ToHashSet();
        var tokens = context.Parse.Tokens.Tokens;
        var openAtEnd = errors.Any(e => e.Kind == SyntaxErrorKind.UnclosedBracket && e.RecoveredAt < 0);
        var codeEnd = openAtEnd ? EndOfCode(tokens) : int.MaxValue;
        var lexical = context.Parse.Tokens.Errors.ToHashSet(ReferenceEqualityComparer.Instance);
        var shown = errors.Where(e => lexical.Contains(e) || (!recovered.Contains(e.Range.Start) && e.Range.Start < codeEnd));
        foreach (var error in shown.Take(MaxPerFile))
        {
            var start = Math.Clamp(error.Range.Start, 0, source.Length);
            var end = Math.Clamp(error.Range.End, start, source.Length);
            if (EndOfLineBefore(tokens, source, start) is { } at)
            {
                start = end = at;
            }

            context.Report(this, $"{Exception(error.Kind)}: {error.Message}", new TextRange(start, end));
        }
    }

    /// <summary>Where the last token that is code ends (comments, line breaks and indentation are not).</summary>
    private static int EndOfCode(ReadOnlySpan<Token> tokens)
    {
        for (int i = tokens.Length - 1; i >= 0; i--)
        {
            if (!tokens[i].IsTrivia && tokens[i].Kind is not (TokenKind.Newline or TokenKind.Indent or TokenKind.Dedent or TokenKind.EndOfFile))
            {
                return tokens[i].End;
            }
        }

        return 0;
    }

    /// <summary>
    /// An error met at the end of a logical line ("expected ':'") points where the line's code
    /// ends, as Python's message does, not past a comment that follows it. Null when the error
    /// is not at a line break.
    /// </summary>
    private static int? EndOfLineBefore(ReadOnlySpan<Token> tokens, SourceText source, int offset)
    {
        int lo = 0, hi = tokens.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (tokens[mid].Start < offset)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        if (lo >= tokens.Length || tokens[lo].Start != offset || tokens[lo].Kind != TokenKind.Newline)
        {
            return null;
        }

        for (int i = lo - 1; i >= 0; i--)
        {
            if (!tokens[i].IsTrivia)
            {
                return source.GetLineIndex(tokens[i].End) == source.GetLineIndex(offset) ? tokens[i].End : null;
            }
        }

        return null;
    }

    /// <summary>The exception Python raises for an error of this kind.</summary>
    private static string Exception(SyntaxErrorKind kind) => kind switch
    {
        SyntaxErrorKind.Indentation => "IndentationError",
        SyntaxErrorKind.TabError => "TabError",
        _ => "SyntaxError",
    };
}
