using MLIntern.Analysis.Findings;
using MLIntern.Analysis.Rules;
using MLIntern.Python.Lexing;
using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;
using MLIntern.Python.Text;

namespace MLIntern.Analysis.Knowledge;

/// <summary>
/// The one edits module fixes write code with, in the file's own style: keywords added to a call
/// in its layout (one argument a line, trailing commas), a parameter's value set, imports added
/// where the file keeps them, the file's quote character and line ending.
/// </summary>
public static class CodeEdits
{
    /// <summary>
    /// Adds `name=value` arguments at the end of a call: `f(a)` → `f(a, k=v)`; a call written one
    /// argument per line gets one more line with the same indentation and the same trailing-comma habit.
    /// Null for a call still being typed (no closing parenthesis).
    /// </summary>
    public static TextEdit? AddKeyword(ScriptContext context, Call call, params string[] arguments)
    {
        if (call.Args is [GeneratorExp generator] && call.Keywords.Count == 0 && generator.End == call.End)
        {
            // `f(x for x in xs)`: the generator's range is the call's parentheses; it needs its own once another argument follows.
            return context.Replace(generator.Range, $"({context.Text(generator)}, {string.Join(", ", arguments)})");
        }

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
        var newline = Newline(context);
        var lines = string.Concat(arguments.Select(a => newline + indent + a + ","));
        if (trailingComma)
        {
            var at = afterLast + between.IndexOf(',') + 1;
            return context.Replace(new TextRange(at, at), lines);
        }

        return context.Replace(new TextRange(afterLast, afterLast), "," + lines[..^1]);
    }
    /// <summary>
    /// An edit that gives a call's parameter a value: replaces the value it already has (`random_state=None`,
    /// also inside a `**` dict literal), or appends the keyword when the call does not pass it. Null for a
    /// call still being typed.
    /// </summary>
    public static TextEdit? SetKeyword(ScriptContext context, Call call, string keyword, string valueText) =>
        context.Model.GetArgument(call, keyword) is { } existing
            ? context.Replace(existing.Range, valueText)
            : AddKeyword(context, call, $"{keyword}={valueText}");

    /// <summary>
    /// How to refer to <paramref name="module"/> (e.g. "os", or "np" for numpy) at module level, and the
    /// edit that adds `import module` when the file does not import it yet (null when it does).
    /// The import goes before the file's first import (after a docstring and `__future__` imports).
    /// Null when another binding of the module's name (a variable called `os`) would shadow it.
    /// </summary>
    public static (string Name, TextEdit? Edit)? Import(ScriptContext context, string module)
    {
        foreach (var (name, bindings) in context.Model.GlobalScope.Bindings)
        {
            if (bindings.Count == 1 && bindings[0] is { Kind: BindingKind.Import } b && b.QualifiedName == module)
            {
                return (name, null);
            }
        }

        if (context.Model.GlobalScope.Bindings.ContainsKey(module))
        {
            return null;
        }

        var at = InsertionOffset(context.Model.Tree);
        var lineStart = context.Source.GetLineStart(context.Source.GetLineIndex(at));
        return (module, context.Replace(new TextRange(lineStart, lineStart), $"import {module}{Newline(context)}"));
    }

    /// <summary>
    /// An edit that adds `import <paramref name="module"/> as <paramref name="alias"/>` on a line of its
    /// own before the file's first top-level import. The edit replaces that import's first keyword (rather
    /// than inserting at a point), so two fixes that both need the import overlap and a "fix all" pass
    /// takes only one of them. Null when the file has no top-level import to anchor on.
    /// </summary>
    public static TextEdit? ImportAs(ScriptContext context, string module, string alias)
    {
        foreach (var statement in context.Parse.Tree.Body)
        {
            if (statement is ImportFrom { Module: "__future__" })
            {
                continue;
            }

            if (statement is Python.Syntax.Import or ImportFrom)
            {
                var keyword = statement is Python.Syntax.Import ? "import" : "from";
                var range = new TextRange(statement.Start, statement.Start + keyword.Length);
                return context.Replace(range, $"import {module} as {alias}{Newline(context)}{keyword}");
            }
        }

        return null;
    }
    /// <summary>The quote character new strings should use: the file's majority style.</summary>
    public static char Quote(ScriptContext context) => context.Parse.Tokens.QuoteStyle == QuoteStyle.Single ? '\'' : '"';

    /// <summary>The quote character of an existing string literal, else the file's style.</summary>
    public static char QuoteOf(ScriptContext context, Expr? neighbour)
    {
        if (neighbour is Constant { Value: string })
        {
            var text = context.Text(neighbour);
            var at = text.IndexOfAny(['"', '\'']);
            if (at >= 0)
            {
                return text[at];
            }
        }

        return Quote(context);
    }

    /// <summary>The file's line break.</summary>
    public static string Newline(ScriptContext context) => context.Source.LineEnding switch
    {
        LineEnding.CarriageReturnLineFeed => "\r\n",
        LineEnding.CarriageReturn => "\r",
        _ => "\n",
    };

    private static int InsertionOffset(Module tree)
    {
        Stmt? afterPreamble = null;
        foreach (var statement in tree.Body)
        {
            if (statement is Python.Syntax.Import or ImportFrom { Module: not "__future__" })
            {
                return statement.Start;
            }

            var preamble = statement is ImportFrom { Module: "__future__" } || (ReferenceEquals(statement, tree.Body[0]) && statement is ExprStmt { Value: Constant { Value: string } });
            if (!preamble && afterPreamble is null)
            {
                afterPreamble = statement;
            }
        }

        return afterPreamble?.Start ?? (tree.Body.Count > 0 ? tree.Body[^1].End : 0);
    }
}
