using System.Runtime.CompilerServices;

namespace MLIntern.Python.Syntax;

/// <summary>
/// Walks a syntax tree, children in CPython's field order (decorators after the body, as in ast). Override
/// <see cref="Visit"/> to see every node; call <see cref="VisitChildren"/> to descend.
/// Recursion depth is bounded by the parser's nesting cap.
/// </summary>
public abstract class SyntaxWalker
{
    public virtual void Visit(Node node) => VisitChildren(node);

    protected void VisitChildren(Node node)
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            // The parser caps tree depth; this only guards callers already deep in their own stack.
            return;
        }

        switch (node)
        {
            case Module n:
                VisitList(n.Body);
                break;
            case FunctionDef n:
                Visit(n.Args);
                VisitList(n.Body);
                VisitList(n.DecoratorList);
                if (n.Returns is not null)
                {
                    Visit(n.Returns);
                }

                VisitList(n.TypeParams);
                break;
            case ClassDef n:
                VisitList(n.Bases);
                VisitList(n.Keywords);
                VisitList(n.Body);
                VisitList(n.DecoratorList);
                VisitList(n.TypeParams);
                break;
            case Return n:
                if (n.Value is not null)
                {
                    Visit(n.Value);
                }
                break;
            case Delete n:
                VisitList(n.Targets);
                break;
            case Assign n:
                VisitList(n.Targets);
                Visit(n.Value);
                break;
            case TypeAlias n:
                Visit(n.Name);
                VisitList(n.TypeParams);
                Visit(n.Value);
                break;
            case AugAssign n:
                Visit(n.Target);
                Visit(n.Value);
                break;
            case AnnAssign n:
                Visit(n.Target);
                Visit(n.Annotation);
                if (n.Value is not null)
                {
                    Visit(n.Value);
                }
                break;
            case For n:
                Visit(n.Target);
                Visit(n.Iter);
                VisitList(n.Body);
                VisitList(n.OrElse);
                break;
            case While n:
                Visit(n.Test);
                VisitList(n.Body);
                VisitList(n.OrElse);
                break;
            case If n:
                Visit(n.Test);
                VisitList(n.Body);
                VisitList(n.OrElse);
                break;
            case With n:
                VisitList(n.Items);
                VisitList(n.Body);
                break;
            case Match n:
                Visit(n.Subject);
                VisitList(n.Cases);
                break;
            case Raise n:
                if (n.Exc is not null)
                {
                    Visit(n.Exc);
                }

                if (n.Cause is not null)
                {
                    Visit(n.Cause);
                }
                break;
            case Try n:
                VisitList(n.Body);
                VisitList(n.Handlers);
                VisitList(n.OrElse);
                VisitList(n.FinalBody);
                break;
            case AssertStmt n:
                Visit(n.Test);
                if (n.Msg is not null)
                {
                    Visit(n.Msg);
                }
                break;
            case Import n:
                VisitList(n.Names);
                break;
            case ImportFrom n:
                VisitList(n.Names);
                break;
            case ExprStmt n:
                Visit(n.Value);
                break;
            case ErrorStmt n:
                VisitList(n.Parsed);
                break;
            case BoolOp n:
                VisitList(n.Values);
                break;
            case NamedExpr n:
                Visit(n.Target);
                Visit(n.Value);
                break;
            case BinOp n:
                Visit(n.Left);
                Visit(n.Right);
                break;
            case UnaryOp n:
                Visit(n.Operand);
                break;
            case Lambda n:
                Visit(n.Args);
                Visit(n.Body);
                break;
            case IfExp n:
                Visit(n.Test);
                Visit(n.Body);
                Visit(n.OrElse);
                break;
            case Dict n:
                VisitList(n.Keys);
                VisitList(n.Values);
                break;
            case Set n:
                VisitList(n.Elts);
                break;
            case ListComp n:
                Visit(n.Elt);
                VisitList(n.Generators);
                break;
            case SetComp n:
                Visit(n.Elt);
                VisitList(n.Generators);
                break;
            case DictComp n:
                Visit(n.Key);
                Visit(n.Value);
                VisitList(n.Generators);
                break;
            case GeneratorExp n:
                Visit(n.Elt);
                VisitList(n.Generators);
                break;
            case Await n:
                Visit(n.Value);
                break;
            case Yield n:
                if (n.Value is not null)
                {
                    Visit(n.Value);
                }
                break;
            case YieldFrom n:
                Visit(n.Value);
                break;
            case Compare n:
                Visit(n.Left);
                VisitList(n.Comparators);
                break;
            case Call n:
                Visit(n.Func);
                VisitList(n.Args);
                VisitList(n.Keywords);
                break;
            case FormattedValue n:
                Visit(n.Value);
                if (n.FormatSpec is not null)
                {
                    Visit(n.FormatSpec);
                }
                break;
            case JoinedStr n:
                VisitList(n.Values);
                break;
            case AttributeExpr n:
                Visit(n.Value);
                break;
            case Subscript n:
                Visit(n.Value);
                Visit(n.Slice);
                break;
            case Starred n:
                Visit(n.Value);
                break;
            case List n:
                VisitList(n.Elts);
                break;
            case TupleExpr n:
                VisitList(n.Elts);
                break;
            case Slice n:
                if (n.Lower is not null)
                {
                    Visit(n.Lower);
                }

                if (n.Upper is not null)
                {
                    Visit(n.Upper);
                }

                if (n.Step is not null)
                {
                    Visit(n.Step);
                }
                break;
            case ErrorExpr n:
                VisitList(n.Parsed);
                break;
            case Comprehension n:
                Visit(n.Target);
                Visit(n.Iter);
                VisitList(n.Ifs);
                break;
            case ExceptHandler n:
                if (n.Type is not null)
                {
                    Visit(n.Type);
                }

                VisitList(n.Body);
                break;
            case Arguments n:
                VisitList(n.PosOnlyArgs);
                VisitList(n.Args);
                if (n.VarArg is not null)
                {
                    Visit(n.VarArg);
                }

                VisitList(n.KwOnlyArgs);
                VisitList(n.KwDefaults);
                if (n.KwArg is not null)
                {
                    Visit(n.KwArg);
                }

                VisitList(n.Defaults);
                break;
            case Arg n:
                if (n.Annotation is not null)
                {
                    Visit(n.Annotation);
                }
                break;
            case Keyword n:
                Visit(n.Value);
                break;
            case WithItem n:
                Visit(n.ContextExpr);
                if (n.OptionalVars is not null)
                {
                    Visit(n.OptionalVars);
                }
                break;
            case MatchCase n:
                Visit(n.Pattern);
                if (n.Guard is not null)
                {
                    Visit(n.Guard);
                }

                VisitList(n.Body);
                break;
            case MatchValue n:
                Visit(n.Value);
                break;
            case MatchSequence n:
                VisitList(n.Patterns);
                break;
            case MatchMapping n:
                VisitList(n.Keys);
                VisitList(n.Patterns);
                break;
            case MatchClass n:
                Visit(n.Cls);
                VisitList(n.Patterns);
                VisitList(n.KwdPatterns);
                break;
            case MatchAs n:
                if (n.Pattern is not null)
                {
                    Visit(n.Pattern);
                }
                break;
            case MatchOr n:
                VisitList(n.Patterns);
                break;
            case TypeVar n:
                if (n.Bound is not null)
                {
                    Visit(n.Bound);
                }
                break;
        }
    }

    private void VisitList<T>(List<T> list)
        where T : Node?
    {
        foreach (var item in list)
        {
            if (item is not null)
            {
                Visit(item);
            }
        }
    }
}
