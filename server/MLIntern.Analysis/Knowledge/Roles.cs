using System.Runtime.CompilerServices;
using MLIntern.Analysis.Rules;
using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Knowledge;

/// <summary>
/// Which objects of a script are the model, a loss function and an optimizer, decided from data
/// flow — what made the object, what it is given to, what is done with it — never from what a
/// variable is called. A parameter takes the role of what this file's calls pass for it; when no
/// call says, what the function does with it (`m.parameters()`, `m.eval()`, `opt.zero_grad()`).
/// "Not known" is an answer: rules stay silent on it.
/// </summary>
public sealed class Roles
{
    private const int MaxDepth = 24;

    private static readonly ConditionalWeakTable<ScriptContext, Roles> Cache = new();

    /// <summary>Methods only a module has (a loss function's instance is a module too but is not used this way).</summary>
    private static readonly HashSet<string> ModuleOnlyMethods =
    [
        "parameters", "named_parameters", "modules", "named_modules", "children", "named_children", "generate",
        "get_input_embeddings", "gradient_checkpointing_enable", "resize_token_embeddings", "print_trainable_parameters",
        "save_pretrained", "push_to_hub",
    ];

    /// <summary>Methods of a module that return the module itself.</summary>
    private static readonly HashSet<string> SelfReturning = ["to", "cuda", "cpu", "half", "float", "double", "bfloat16", "eval", "train", "requires_grad_"];

    private readonly ScriptContext _context;
    private readonly SemanticModel _model;
    private readonly Symbols _symbols;
    private readonly Dictionary<Binding, bool?> _parameterModels = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<ClassDef> _deciding = new();
    private readonly Dictionary<FunctionDef, bool?> _returnsModel = new();

    private Roles(ScriptContext context)
    {
        _context = context;
        _model = context.Model;
        _symbols = Symbols.Of(context.Model);
    }

    public static Roles Of(ScriptContext context) => Cache.GetValue(context, c => new Roles(c));

    /// <summary>True when the expression holds a model (a network whose forward pass gives predictions), false when it is known not to be, null when not known.</summary>
    public bool? IsModel(Expr expr) => Model(expr, 0);

    /// <summary>
    /// The call that made the object an expression holds: through names' reaching values and the
    /// methods that return their receiver (`.to(device)`, `.eval()`); null when it is not a call's result.
    /// </summary>
    public Call? MadeBy(Expr expr)
    {
        Expr? value = expr;
        for (var depth = 0; depth < 8; depth++)
        {
            switch (value)
            {
                case Name name:
                    value = _model.ReachingValue(name);
                    continue;
                case Call { Func: AttributeExpr { Attr: var attr } method } when SelfReturning.Contains(attr):
                    value = method.Value;
                    continue;
                case Call call:
                    return call;
                default:
                    return null;
            }
        }

        return null;
    }

    /// <summary>
    /// For the call that makes a model: true when the script only runs what it made — every use of the
    /// name it is bound to is a forward call, `.eval()`, `.to(...)`, an attribute read — false when
    /// something may train it (given to a Trainer, an optimizer, a function, `.train()`), null when
    /// the model is not bound to a name of its own.
    /// </summary>
    public bool? OnlyRun(Call made)
    {
        // `teacher = AutoModel....from_pretrained(...).eval()` / `.to(device)`.
        Node current = made;
        while (_model.ParentOf(current) is AttributeExpr { Attr: var attr } a && SelfReturning.Contains(attr) && _model.ParentOf(a) is Call c && ReferenceEquals(c.Func, a))
        {
            if (attr == "train")
            {
                return false;
            }

            current = c;
        }

        if (_model.ParentOf(current) is not Assign { Targets: [Name target] } ||
            _model.ScopeAt(target.Start).GetBindings(target.Id).FirstOrDefault(b => ReferenceEquals(b.Node, target)) is not { } binding)
        {
            return null;
        }

        var runs = 0;
        foreach (var name in Rules.Loops.SyntaxPath.DescendantsOf(_model.Tree).OfType<Name>())
        {
            // A name resolves to the binding only if it spells it: the cheap test first.
            if (name.Id != target.Id || ReferenceEquals(name, target) || !ReferenceEquals(_model.ResolveName(name), binding))
            {
                continue;
            }

            switch (_model.ParentOf(name))
            {
                case Call call when ReferenceEquals(call.Func, name):
                    runs++; // a forward pass
                    continue;
                case AttributeExpr { Attr: var attr } a when _model.ParentOf(a) is Call c && ReferenceEquals(c.Func, a):
                    // Moving it, setting eval mode, freezing it (`requires_grad_(False)`) or generating is running it.
                    if (attr is "generate" || SelfReturning.Contains(attr) && attr is not ("train" or "requires_grad_") ||
                        attr is "requires_grad_" && c.Args.FirstOrDefault() is Constant { Value: false })
                    {
                        runs += attr is "generate" ? 1 : 0;
                        continue;
                    }

                    return false;
                case AttributeExpr:
                    continue; // `teacher.config.id2label`
                default:
                    return false;
            }
        }

        // A model made and never run says nothing about its use.
        return runs > 0 ? true : null;
    }

    /// <summary>True when the expression holds an optimizer (torch.optim and the other libraries' optimizers), false when known not to be, null when not known.</summary>
    public bool? IsOptimizer(Expr expr) => Optimizer(expr, 0);

    private bool? Model(Expr expr, int depth)
    {
        if (depth > MaxDepth)
        {
            return null;
        }

        switch (expr)
        {
            case Name name:
                return NameModel(name, depth);
            case AttributeExpr { Value: Name self, Attr: var attr } when IsSelfOfMethod(self) is { } cls:
                return Any(AttributeValues(cls, attr).Select(v => Model(v, depth + 1)));
            case AttributeExpr { Attr: "module" } wrapped:
                // `ddp_model.module`: the model a wrapper holds.
                return Model(wrapped.Value, depth + 1);
            case Call call:
                return CallModel(call, depth);
            default:
                return null;
        }
    }

    private bool? NameModel(Name name, int depth)
    {
        if (_model.ResolveName(name) is not { } binding)
        {
            return null;
        }

        if (binding.Kind == BindingKind.Parameter)
        {
            return ParameterModel(binding, depth);
        }

        if (binding.Value is { } value && !ReferenceEquals(value, name))
        {
            return Model(value, depth + 1);
        }

        // `model, optimizer, loader = accelerator.prepare(net, opt, dl)`: each output is its input.
        if (UnpackedPrepare(binding, name) is { } input)
        {
            return Model(input, depth + 1);
        }

        return null;
    }

    private bool? ParameterModel(Binding parameter, int depth)
    {
        if (_parameterModels.TryGetValue(parameter, out var known))
        {
            return known;
        }

        _parameterModels[parameter] = null; // a recursive function asks again: not known
        bool? result = null;
        if (Code.ParameterArguments(_model, parameter) is { } arguments)
        {
            result = All(arguments.Select(a => Model(a, depth + 1)));
        }

        if (result is null && parameter.Node is Arg { Annotation: { } annotation } && IsModelClass(annotation) is { } annotated)
        {
            result = annotated;
        }

        result ??= UsedAsModule(parameter) || IsModuleSelf(parameter) ? true : null;
        _parameterModels[parameter] = result;
        return result;
    }

    /// <summary>True for the `self` of a method of a module class (an `nn.Module`/model/LightningModule subclass, or a class with `forward`): the module itself.</summary>
    private bool IsModuleSelf(Binding parameter) =>
        parameter.Node is Arg arg && parameter.Scope.Node is FunctionDef method &&
        method.Args.PosOnlyArgs.Concat(method.Args.Args).FirstOrDefault() is { } first && ReferenceEquals(first, arg) &&
        !method.DecoratorList.Any(d => d is Name { Id: "staticmethod" or "classmethod" }) &&
        _model.ParentOf(method) is ClassDef cls &&
        (cls.Body.Any(s => s is FunctionDef { Name: "forward" }) || cls.Bases.Any(Symbols.Of(_model).IsModuleSubclass));

    /// <summary>The function does to the parameter what only a module allows (`m.parameters()`, `m.eval()`, `m.state_dict()` given to save).</summary>
    private bool UsedAsModule(Binding parameter)
    {
        if (parameter.Scope.Node is not FunctionDef function)
        {
            return false;
        }

        foreach (var call in Rules.Loops.SyntaxPath.DescendantsOf(function).OfType<Call>())
        {
            if (call.Func is AttributeExpr { Value: Name receiver, Attr: var method } && ReferenceEquals(_model.ResolveName(receiver), parameter) &&
                (ModuleOnlyMethods.Contains(method) || method is "eval" && call.Args.Count == 0))
            {
                return true;
            }
        }

        return false;
    }

    private bool? CallModel(Call call, int depth)
    {
        // A function of this file: what it returns.
        if (call.Func is Name fn && _model.ResolveName(fn) is { Kind: BindingKind.FunctionDefinition, Node: FunctionDef function })
        {
            if (_returnsModel.TryGetValue(function, out var known))
            {
                return known;
            }

            _returnsModel[function] = null; // recursion: not known
            var answer = All(Rules.Loops.SyntaxPath.DescendantsInScope(function).OfType<Return>().Where(r => r.Value is not null).Select(r => Model(r.Value!, depth + 1)));
            _returnsModel[function] = answer;
            return answer;
        }

        var callee = _symbols.Callee(call);
        if (callee is null)
        {
            if (call.Func is AttributeExpr { Attr: var method } receiver && SelfReturning.Contains(method))
            {
                return Model(receiver.Value, depth + 1);
            }

            if (call.Func is AttributeExpr { Attr: "from_pretrained" } loader && IsModelClass(loader.Value) is { } loaded)
            {
                return loaded;
            }

            if (_symbols.LocalClass(call.Func) is { } local)
            {
                return IsModelClass(call.Func) ?? (local.Bases.Count == 0 ? false : null);
            }

            // `accelerator.prepare(model)` with one argument returns it.
            if (call.Func is AttributeExpr { Attr: "prepare" or "prepare_model" } && call.Args.Count == 1)
            {
                return Model(call.Args[0], depth + 1);
            }

            return null;
        }

        if (Api.ModelWrappers.Contains(callee))
        {
            return call.Args.Count > 0 ? Model(call.Args[0], depth + 1) : _model.GetArgument(call, "model") is { } wrapped ? Model(wrapped, depth + 1) : null;
        }

        if (callee.EndsWith(".from_pretrained", StringComparison.Ordinal) && call.Func is AttributeExpr pretrained)
        {
            return IsModelClass(pretrained.Value);
        }

        if (Api.IsModelFactory(callee))
        {
            return true;
        }

        // A library class: a module that is not a loss; a function of a library (F.cross_entropy, torch.argmax) is not a model.
        return IsModelClass(call.Func) ?? (Api.Classes.ContainsKey(callee) || callee.Contains('.') ? false : null);
    }

    /// <summary>
    /// True when a class expression names a model class (an `nn.Module` or pretrained model that is not a
    /// loss function, a tokenizer or a config), false when it names a known class that is not one.
    /// </summary>
    private bool? IsModelClass(Expr classExpr)
    {
        if (_symbols.LocalClass(classExpr) is { } local)
        {
            if (local.Bases.Any(b => _symbols.Canonical(b) is { } c && Api.IsLossClass(c)))
            {
                return false;
            }

            if (!_symbols.IsModuleSubclass(classExpr))
            {
                return local.Bases.All(b => _symbols.Canonical(b) is { } c && (Api.Classes.ContainsKey(c) || c is "object")) ? false : null;
            }

            // A module of this file that is called on another model's output is a loss function.
            if (!_deciding.Add(local))
            {
                return null;
            }

            try
            {
                return !ConsumesModelOutput(local);
            }
            finally
            {
                _deciding.Remove(local);
            }
        }

        if (_symbols.Canonical(classExpr) is not { } name)
        {
            return null;
        }

        if (Api.IsLossClass(name))
        {
            return false;
        }

        var last = name[(name.LastIndexOf('.') + 1)..];
        if (Api.NotModels.Contains(last) || Api.IsPreprocessorClass(last))
        {
            return false;
        }

        if (Symbols.IsKnownSubclass(name, Api.TorchModule) || Symbols.IsKnownSubclass(name, Api.PreTrainedModel) || Api.IsModelPackageClass(name) || Api.IsTorchLayerClass(name))
        {
            return true;
        }

        return Api.Classes.ContainsKey(name) ? false : null;
    }

    /// <summary>An instance of the class is called, somewhere in the file, with what another model returned.</summary>
    private bool ConsumesModelOutput(ClassDef cls)
    {
        foreach (var construction in _model.Calls.Where(c => ReferenceEquals(_symbols.LocalClass(c.Func), cls)))
        {
            if (_model.ParentOf(construction) is not Assign { Targets: [Name target] } || _model.ResolveName(target) is not { } instance)
            {
                continue;
            }

            foreach (var use in _model.Calls.Where(c => c.Func is Name n && ReferenceEquals(_model.ResolveName(n), instance)))
            {
                foreach (var argument in use.Args)
                {
                    var produced = argument is Name a && _model.ReachingValue(a) is { } made ? made : argument;
                    if (CallsModel(produced))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>`net(x)`, `net(x).logits`, `net(x)[0]` where `net` is known to be a model.</summary>
    private bool CallsModel(Expr produced)
    {
        while (produced is AttributeExpr or Subscript)
        {
            produced = produced is AttributeExpr a ? a.Value : ((Subscript)produced).Value;
        }

        return produced is Call { Func: Name or AttributeExpr } call && Model(call.Func, MaxDepth / 2) == true;
    }

    private bool? Optimizer(Expr expr, int depth)
    {
        if (depth > MaxDepth)
        {
            return null;
        }

        switch (expr)
        {
            case Name name when _model.ResolveName(name) is { } binding:
                if (binding.Kind == BindingKind.Parameter)
                {
                    return Code.ParameterArguments(_model, binding) is { } arguments
                        ? All(arguments.Select(a => Optimizer(a, depth + 1)))
                        : UsedAsOptimizer(binding) ? true : null;
                }

                if (binding.Value is { } value && !ReferenceEquals(value, name))
                {
                    return Optimizer(value, depth + 1);
                }

                return UnpackedPrepare(binding, name) is { } input ? Optimizer(input, depth + 1) : null;
            case AttributeExpr { Value: Name self, Attr: var attr } when IsSelfOfMethod(self) is { } cls:
                return Any(AttributeValues(cls, attr).Select(v => Optimizer(v, depth + 1)));
            case Call call:
                if (_symbols.Callee(call) is { } callee)
                {
                    if (Symbols.IsKnownSubclass(callee, Api.TorchOptimizer) || callee.StartsWith("torch.optim.", StringComparison.Ordinal) &&
                        !callee.StartsWith("torch.optim.lr_scheduler.", StringComparison.Ordinal) && !callee.StartsWith("torch.optim.swa_utils.", StringComparison.Ordinal))
                    {
                        return true;
                    }

                    return Api.OtherOptimizers.Contains(callee) || callee.StartsWith("bitsandbytes.optim.", StringComparison.Ordinal) ? true : false;
                }

                if (_symbols.LocalClass(call.Func) is not null)
                {
                    return _symbols.IsSubclass(call.Func, Api.TorchOptimizer);
                }

                if (call.Func is AttributeExpr { Attr: "prepare" or "prepare_optimizer" } && call.Args.Count == 1)
                {
                    return Optimizer(call.Args[0], depth + 1);
                }

                return null;
            default:
                return null;
        }
    }

    /// <summary>The function zeroes the parameter's gradients or reads its parameter groups: only an optimizer does both jobs.</summary>
    private static bool UsedAsOptimizer(Binding parameter) =>
        parameter.Scope.Node is FunctionDef function && Rules.Loops.SyntaxPath.DescendantsOf(function).OfType<AttributeExpr>()
            .Any(a => a is { Value: Name receiver, Attr: "param_groups" or "zero_grad" } && receiver.Id == parameter.Name);

    /// <summary>For `a, b = accelerator.prepare(x, y)` (or `fabric.setup(...)`), the input at the position of <paramref name="target"/>.</summary>
    private Expr? UnpackedPrepare(Binding binding, Name target)
    {
        if (binding.Statement is not Assign { Targets: [var targets and (TupleExpr or List)], Value: Call { Func: AttributeExpr { Attr: "prepare" or "setup" } } prepare } ||
            prepare.Args.Any(a => a is Starred))
        {
            return null;
        }

        var elts = targets is TupleExpr t ? t.Elts : ((List)targets).Elts;
        var index = elts.FindIndex(e => ReferenceEquals(e, target) || e is Name n && n.Id == target.Id);
        return index >= 0 && index < prepare.Args.Count && elts.Count == prepare.Args.Count ? prepare.Args[index] : null;
    }

    /// <summary>The class whose method `self` is the first parameter of, or null.</summary>
    private ClassDef? IsSelfOfMethod(Name self) => Code.SelfClass(_model, self);

    /// <summary>What the class's methods assign to `self.attr`.</summary>
    private IEnumerable<Expr> AttributeValues(ClassDef cls, string attr) => Code.SelfAttributeValues(_model, cls, attr);

    /// <summary>True when all are true, false when all are false, else not known.</summary>
    private static bool? All(IEnumerable<bool?> answers)
    {
        var list = answers.ToList();
        return list.Count == 0 ? null : list.All(a => a == true) ? true : list.All(a => a == false) ? false : null;
    }

    /// <summary>True when any is true, false when all are false, else not known.</summary>
    private static bool? Any(IEnumerable<bool?> answers)
    {
        var list = answers.ToList();
        return list.Any(a => a == true) ? true : list.Count > 0 && list.All(a => a == false) ? false : null;
    }
}
