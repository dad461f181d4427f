using MLIntern.Python.Syntax;

namespace MLIntern.Python.Semantics;

/// <summary>
/// One pass over the tree in evaluation order: opens scopes, records bindings (with the
/// block they are in and the offset they take effect) and every name load with its scope and block.
/// </summary>
internal sealed class SemanticBuilder : SyntaxWalker
{
    private readonly Module _tree;
    private readonly List<Scope> _scopes = new();
    // A name load's block (and through it its scope) is a field of the Name (Name.UseBlock); this map holds
    // only the loads whose field another model of the same tree already took (the first model keeps it).
    private Dictionary<Name, Block>? _otherUses;
    private readonly List<Call> _calls = new();
    private readonly Scope _global;
    private Scope _scope;
    private Block _block;
    private Stmt? _stmt;

    public SemanticBuilder(Module tree)
    {
        _tree = tree;
        _global = new Scope(ScopeKind.Module, tree, null);
        _scopes.Add(_global);
        _scope = _global;
        _block = new Block(_global);
    }

    public SemanticModel Build()
    {
        VisitBody(_tree.Body);
        return new SemanticModel(_tree, _global, _scopes, _otherUses, _calls);
    }

    private void VisitBody(NodeList<Stmt> body)
    {
        foreach (var s in body)
        {
            VisitStmt(s);
        }
    }

    private void InBlock(NodeList<Stmt> body)
    {
        var saved = _block;
        _block = new Block(saved, saved.Scope);
        VisitBody(body);
        _block = saved;
    }

    private Scope Open(ScopeKind kind, Node node)
    {
        var s = new Scope(kind, node, _scope);
        _scopes.Add(s);
        return s;
    }

    private Binding Bind(string name, BindingKind kind, Node node, int position, Expr? value = null, Scope? scope = null)
    {
        var target = scope ?? _scope;
        if (scope is null)
        {
            if (_scope.DeclaresGlobal(name))
            {
                target = _global;
            }
            else if (_scope.DeclaresNonlocal(name))
            {
                for (var p = _scope.Parent; p is not null; p = p.Parent)
                {
                    if (p.Kind is ScopeKind.Function or ScopeKind.Lambda && p.Bindings.ContainsKey(name))
                    {
                        target = p;
                        break;
                    }
                }
            }
        }

        // A binding made in another scope (global/nonlocal) is conditional there: it happens when the function runs.
        var block = ReferenceEquals(target, _scope) ? _block : new Block(new Block(target), target);
        var b = new Binding(name, kind, node, _stmt, position, block) { Value = value };
        target.Add(b);
        return b;
    }

    /// <summary>Binds the names of an assignment target; values are matched element-wise for tuple-to-tuple assignment.</summary>
    private void BindTarget(Expr target, BindingKind kind, Expr? value, int position)
    {
        switch (target)
        {
            case Name n:
                Bind(n.Id, kind, n, position, value);
                break;
            case TupleExpr t:
                BindElements(t.Elts, kind, value, position);
                break;
            case List l:
                BindElements(l.Elts, kind, value, position);
                break;
            case Starred s:
                BindTarget(s.Value, kind, null, position);
                break;
            case AttributeExpr a:
                Visit(a.Value);
                break;
            case Subscript sub:
                Visit(sub.Value);
                Visit(sub.Slice);
                break;
            default:
                Visit(target);
                break;
        }
    }

    private void BindElements(NodeList<Expr> elts, BindingKind kind, Expr? value, int position)
    {
        NodeList<Expr>? values = value switch
        {
            TupleExpr t when t.Elts.Count == elts.Count && !t.Elts.Any(e => e is Starred) => t.Elts,
            List l when l.Elts.Count == elts.Count && !l.Elts.Any(e => e is Starred) => l.Elts,
            _ => (NodeList<Expr>?)null,
        };
        for (int i = 0; i < elts.Count; i++)
        {
            BindTarget(elts[i], kind, values?[i], position);
        }
    }

    private void VisitStmt(Stmt s)
    {
        var savedStmt = _stmt;
        _stmt = s;
        switch (s)
        {
            case FunctionDef f:
                VisitList(f.DecoratorList);
                VisitArgumentDefaults(f.Args, annotations: true);
                if (f.Returns is not null)
                {
                    Visit(f.Returns);
                }

                Bind(f.Name, BindingKind.FunctionDefinition, f, f.End);
                VisitFunctionBody(Open(ScopeKind.Function, f), f.Args, f.TypeParams, f.Body);
                break;
            case ClassDef c:
                VisitList(c.DecoratorList);
                VisitList(c.Bases);
                foreach (var k in c.Keywords)
                {
                    Visit(k.Value);
                }

                Bind(c.Name, BindingKind.ClassDefinition, c, c.End);
                {
                    var scope = Open(ScopeKind.Class, c);
                    var (savedScope, savedBlock) = (_scope, _block);
                    (_scope, _block) = (scope, new Block(scope));
                    foreach (var tp in c.TypeParams)
                    {
                        Bind(tp.Name, BindingKind.TypeParameter, tp, tp.End);
                    }

                    VisitBody(c.Body);
                    (_scope, _block) = (savedScope, savedBlock);
                }

                break;
            case Assign a:
                Visit(a.Value);
                foreach (var t in a.Targets)
                {
                    BindTarget(t, BindingKind.Assignment, a.Value, a.End);
                }

                break;
            case AnnAssign a:
                Visit(a.Annotation);
                if (a.Value is not null)
                {
                    Visit(a.Value);
                    BindTarget(a.Target, BindingKind.AnnotatedAssignment, a.Value, a.End);
                }
                else if (a.Target is not Name)
                {
                    BindTarget(a.Target, BindingKind.AnnotatedAssignment, null, a.End);
                }

                break;
            case AugAssign a:
                Visit(a.Value);
                if (a.Target is Name an)
                {
                    RecordUse(an);
                    Bind(an.Id, BindingKind.AugmentedAssignment, an, a.End);
                }
                else
                {
                    BindTarget(a.Target, BindingKind.AugmentedAssignment, null, a.End);
                }

                break;
            case For f:
                Visit(f.Iter);
                {
                    var saved = _block;
                    _block = new Block(saved, saved.Scope);
                    BindTarget(f.Target, BindingKind.ForTarget, null, f.Iter.End);
                    VisitBody(f.Body);
                    _block = saved;
                }

                InBlock(f.OrElse);
                break;
            case While w:
                Visit(w.Test);
                InBlock(w.Body);
                InBlock(w.OrElse);
                break;
            case If i:
                Visit(i.Test);
                InBlock(i.Body);
                InBlock(i.OrElse);
                break;
            case With w:
                foreach (var item in w.Items)
                {
                    Visit(item.ContextExpr);
                    if (item.OptionalVars is not null)
                    {
                        BindTarget(item.OptionalVars, BindingKind.WithTarget, null, item.End);
                    }
                }

                // The body of a with statement always runs: same block.
                VisitBody(w.Body);
                break;
            case Match m:
                Visit(m.Subject);
                foreach (var c in m.Cases)
                {
                    var saved = _block;
                    _block = new Block(saved, saved.Scope);
                    VisitPattern(c.Pattern);
                    if (c.Guard is not null)
                    {
                        Visit(c.Guard);
                    }

                    VisitBody(c.Body);
                    _block = saved;
                }

                break;
            case Try t:
                InBlock(t.Body);
                foreach (var h in t.Handlers)
                {
                    var saved = _block;
                    _block = new Block(saved, saved.Scope);
                    if (h.Type is not null)
                    {
                        Visit(h.Type);
                    }

                    if (h.Name is not null)
                    {
                        Bind(h.Name, BindingKind.ExceptHandler, h, h.Type?.End ?? h.Start);
                    }

                    VisitBody(h.Body);
                    _block = saved;
                }

                InBlock(t.OrElse);
                InBlock(t.FinalBody);
                break;
            case Import imp:
                foreach (var alias in imp.Names)
                {
                    if (alias.AsName is not null)
                    {
                        Bind(alias.AsName, BindingKind.Import, alias, imp.End).QualifiedName = alias.Name;
                    }
                    else
                    {
                        int dot = alias.Name.IndexOf('.');
                        var first = dot < 0 ? alias.Name : alias.Name.Substring(0, dot);
                        Bind(first, BindingKind.Import, alias, imp.End).QualifiedName = first;
                    }
                }

                break;
            case ImportFrom imp:
            {
                var module = new string('.', imp.Level) + (imp.Module ?? "");
                foreach (var alias in imp.Names)
                {
                    if (alias.Name == "*")
                    {
                        continue;
                    }

                    var qualified = module.Length == 0 || module.EndsWith('.') ? module + alias.Name : module + "." + alias.Name;
                    Bind(alias.AsName ?? alias.Name, BindingKind.FromImport, alias, imp.End).QualifiedName = qualified;
                }

                break;
            }

            case Global g:
                foreach (var n in g.Names)
                {
                    _scope.DeclareGlobal(n);
                    Bind(n, BindingKind.Declaration, g, g.End, scope: _scope);
                }

                break;
            case Nonlocal nl:
                foreach (var n in nl.Names)
                {
                    _scope.DeclareNonlocal(n);
                    Bind(n, BindingKind.Declaration, nl, nl.End, scope: _scope);
                }

                break;
            case Delete d:
                foreach (var t in d.Targets)
                {
                    if (t is Name dn)
                    {
                        Bind(dn.Id, BindingKind.Deletion, dn, d.End);
                    }
                    else
                    {
                        Visit(t);
                    }
                }

                break;
            case TypeAlias ta:
                Bind(ta.Name.Id, BindingKind.Assignment, ta.Name, ta.End, ta.Value);
                Visit(ta.Value);
                break;
            default:
                VisitChildren(s);
                break;
        }

        _stmt = savedStmt;
    }

    private void VisitArgumentDefaults(Arguments args, bool annotations)
    {
        VisitList(args.Defaults);
        foreach (var d in args.KwDefaults)
        {
            if (d is not null)
            {
                Visit(d);
            }
        }

        if (!annotations)
        {
            return;
        }

        foreach (var a in args.PosOnlyArgs.Concat(args.Args).Concat(args.KwOnlyArgs))
        {
            if (a.Annotation is not null)
            {
                Visit(a.Annotation);
            }
        }

        if (args.VarArg?.Annotation is { } va)
        {
            Visit(va);
        }

        if (args.KwArg?.Annotation is { } ka)
        {
            Visit(ka);
        }
    }

    private void VisitFunctionBody(Scope scope, Arguments args, NodeList<TypeParam> typeParams, NodeList<Stmt>? body, Expr? lambdaBody = null)
    {
        var (savedScope, savedBlock, savedStmt) = (_scope, _block, _stmt);
        (_scope, _block) = (scope, new Block(scope));
        if (lambdaBody is not null)
        {
            _stmt = null;
        }

        foreach (var tp in typeParams)
        {
            Bind(tp.Name, BindingKind.TypeParameter, tp, tp.End);
        }

        foreach (var a in args.PosOnlyArgs.Concat(args.Args).Concat(args.KwOnlyArgs))
        {
            Bind(a.Name, BindingKind.Parameter, a, scope.Node.Start);
        }

        if (args.VarArg is not null)
        {
            Bind(args.VarArg.Name, BindingKind.Parameter, args.VarArg, scope.Node.Start);
        }

        if (args.KwArg is not null)
        {
            Bind(args.KwArg.Name, BindingKind.Parameter, args.KwArg, scope.Node.Start);
        }

        if (body is { } statements)
        {
            VisitBody(statements);
        }

        if (lambdaBody is not null)
        {
            Visit(lambdaBody);
        }

        (_scope, _block, _stmt) = (savedScope, savedBlock, savedStmt);
    }

    private void VisitPattern(Pattern p)
    {
        switch (p)
        {
            case MatchAs a:
                if (a.Pattern is not null)
                {
                    VisitPattern(a.Pattern);
                }

                if (a.Name is not null)
                {
                    Bind(a.Name, BindingKind.MatchCapture, a, a.End);
                }

                break;
            case MatchStar s when s.Name is not null:
                Bind(s.Name, BindingKind.MatchCapture, s, s.End);
                break;
            case MatchMapping m:
                VisitList(m.Keys);
                foreach (var sub in m.Patterns)
                {
                    VisitPattern(sub);
                }

                if (m.Rest is not null)
                {
                    Bind(m.Rest, BindingKind.MatchCapture, m, m.End);
                }

                break;
            case MatchClass c:
                Visit(c.Cls);
                foreach (var sub in c.Patterns.Concat(c.KwdPatterns))
                {
                    VisitPattern(sub);
                }

                break;
            case MatchSequence s:
                foreach (var sub in s.Patterns)
                {
                    VisitPattern(sub);
                }

                break;
            case MatchOr o:
                foreach (var sub in o.Patterns)
                {
                    VisitPattern(sub);
                }

                break;
            case MatchValue v:
                Visit(v.Value);
                break;
        }
    }

    private void RecordUse(Name n)
    {
        if (n.UseBlock is null || ReferenceEquals(n.UseBlock.Scope.Root, _global))
        {
            n.UseBlock = _block;
        }
        else
        {
            (_otherUses ??= new Dictionary<Name, Block>())[n] = _block;
        }
    }

    public override void Visit(Node node)
    {
        switch (node)
        {
            case Stmt s:
                VisitStmt(s);
                return;
            case Name { Ctx: ExprContext.Load } n:
                RecordUse(n);
                return;
            case Name { Ctx: ExprContext.Store } n:
                Bind(n.Id, BindingKind.Assignment, n, n.End);
                return;
            case NamedExpr ne:
            {
                Visit(ne.Value);
                if (ne.Target is Name t)
                {
                    // The walrus binds in the nearest scope that is not a comprehension.
                    var scope = _scope;
                    while (scope.Kind == ScopeKind.Comprehension && scope.Parent is not null)
                    {
                        scope = scope.Parent;
                    }

                    if (ReferenceEquals(scope, _scope))
                    {
                        Bind(t.Id, BindingKind.NamedExpression, t, ne.End, ne.Value);
                    }
                    else
                    {
                        scope.Add(new Binding(t.Id, BindingKind.NamedExpression, t, _stmt, ne.End, new Block(new Block(scope), scope)) { Value = ne.Value });
                    }
                }

                return;
            }

            case Call c:
                _calls.Add(c);
                VisitChildren(c);
                return;
            case Lambda l:
                VisitArgumentDefaults(l.Args, annotations: false);
                VisitFunctionBody(Open(ScopeKind.Lambda, l), l.Args, new List<TypeParam>(), null, l.Body);
                return;
            case ListComp lc:
                VisitComprehension(lc, lc.Generators, lc.Elt, null);
                return;
            case SetComp sc:
                VisitComprehension(sc, sc.Generators, sc.Elt, null);
                return;
            case GeneratorExp ge:
                VisitComprehension(ge, ge.Generators, ge.Elt, null);
                return;
            case DictComp dc:
                VisitComprehension(dc, dc.Generators, dc.Key, dc.Value);
                return;
        }

        base.Visit(node);
    }

    private void VisitComprehension(Expr node, NodeList<Comprehension> generators, Expr elt, Expr? value)
    {
        if (generators.Count > 0)
        {
            // The first iterable is evaluated in the enclosing scope.
            Visit(generators[0].Iter);
        }

        var scope = Open(ScopeKind.Comprehension, node);
        var (savedScope, savedBlock) = (_scope, _block);
        (_scope, _block) = (scope, new Block(scope));
        for (int i = 0; i < generators.Count; i++)
        {
            var g = generators[i];
            if (i > 0)
            {
                Visit(g.Iter);
            }

            BindTarget(g.Target, BindingKind.ComprehensionTarget, null, g.Iter.End);
            VisitList(g.Ifs);
        }

        Visit(elt);
        if (value is not null)
        {
            Visit(value);
        }

        (_scope, _block) = (savedScope, savedBlock);
    }

    private void VisitList<T>(NodeList<T> list)
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
