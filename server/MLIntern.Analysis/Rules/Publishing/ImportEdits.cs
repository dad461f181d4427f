using MLIntern.Analysis.Findings;
using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;
using MLIntern.Python.Text;

namespace MLIntern.Analysis.Rules.Publishing;

/// <summary>
/// Fix helpers that write code in the file's own style: the name a module is imported under
/// (adding the import when it is missing), and the file's line ending.
/// </summary>
public static class ImportEdits
{
    /// <summary>
    /// How to refer to <paramref name="module"/> (e.g. "os", or "np" for numpy) at module level, and the
    /// edit that adds `import module` when the file does not import it yet (null when it does).
    /// The import goes before the file's first import (after a docstring and `__future__` imports).
    /// Null when another binding of the module's name (a variable called `os`) would shadow it.
    /// </summary>
    public static (string Name, TextEdit? Edit)? Module(ScriptContext context, string module)
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

    /// <summary>The file's line break as text.</summary>
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
            if (statement is Import or ImportFrom { Module: not "__future__" })
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
