using MLIntern.Analysis.Findings;
using MLIntern.Python.Syntax;
using MLIntern.Python.Text;

namespace MLIntern.Analysis.Rules.Models;

/// <summary>Edits that add arguments to a call in the call's own layout.</summary>
public static class KeywordEdits
{
    /// <summary>
    /// Adds `name=value` arguments at the end of a call: `f(a)` → `f(a, k=v)`; a call written one
    /// argument per line gets one more line with the same indentation and the same trailing-comma habit.
    /// Null for a call still being typed (no closing parenthesis).
    /// </summary>
    public static TextEdit? Add(ScriptContext context, Call call, params string[] arguments)
    {
        var text = context.Source.Text;
        var last = call.Args.Cast<Node>().Concat(call.Keywords).OrderBy(n => n.End).LastOrDefault();
        var close = call.End - 1;
        if (close < 0 || close >= text.Length || text[close] != ')' || last is not null && last.End > close)
        {
            return null;
        }

        if (last is null)
        {
            return context.Replace(new TextRange(close, close), string.Join(", ", arguments));
        }

        // A starred or keyword argument ends at its value; a parenthesized one before its ')'.
        var afterLast = last.End;
        while (afterLast < close && text[afterLast] == ')')
        {
            afterLast++;
        }

        var between = text[afterLast..close];
        var trailingComma = between.TrimStart().StartsWith(',');
        var lastLine = context.Source.GetLineIndex(last.Start);
        var multiline = context.Source.GetLineIndex(call.Func.End) != lastLine && context.Source.GetLineIndex(close) != lastLine;
        if (!multiline)
        {
            var insert = trailingComma ? afterLast + between.IndexOf(',') + 1 : afterLast;
            var prefix = trailingComma ? " " : ", ";
            return context.Replace(new TextRange(insert, insert), prefix + string.Join(", ", arguments));
        }

        var lineStart = context.Source.GetLineStart(lastLine);
        var indent = text[lineStart..last.Start];
        indent = indent[..(indent.Length - indent.TrimStart().Length)];
        var newline = context.Source.LineEnding switch
        {
            LineEnding.CarriageReturnLineFeed => "\r\n",
            LineEnding.CarriageReturn => "\r",
            _ => "\n",
        };
        var lines = string.Concat(arguments.Select(a => newline + indent + a + ","));
        if (trailingComma)
        {
            var at = afterLast + between.IndexOf(',') + 1;
            return context.Replace(new TextRange(at, at), lines);
        }

        return context.Replace(new TextRange(afterLast, afterLast), "," + lines[..^1]);
    }
}
