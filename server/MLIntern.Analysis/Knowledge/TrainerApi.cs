using System.Runtime.CompilerServices;
using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;
using MLIntern.Python.Text;

namespace MLIntern.Analysis.Knowledge;

/// <summary>
/// What the Hugging Face training API looks like to the rules: Trainer and TrainingArguments
/// constructions (the classes and their subclasses come from <see cref="Api"/> through
/// <see cref="Symbols"/>), a Trainer's arguments by keyword or position, how a Trainer call reaches
/// its TrainingArguments and its compute_metrics function, and where a setting is written (a
/// keyword or a `**` dict key).
/// </summary>
public static class TrainerApi
{
    /// <summary>Trainer parameters in the order `transformers.Trainer.__init__` takes them positionally.</summary>
    private static readonly string[] Positional =
    [
        "model", "args", "data_collator", "train_dataset", "eval_dataset", "processing_class", "model_init", "compute_metrics",
    ];

    /// <summary>`setfit.Trainer`'s leading parameters, in order.</summary>
    private static readonly string[] SetFitPositional = ["model", "args", "train_dataset", "eval_dataset"];

    private static readonly ConditionalWeakTable<SemanticModel, List<Call>> Constructions = new();
    private static readonly ConditionalWeakTable<SemanticModel, List<Call>> AnyConstructions = new();

    /// <summary>True when the call constructs TrainingArguments or a subclass (trl's configs, sentence-transformers', the file's own).</summary>
    public static bool IsArgumentsCall(Call call, SemanticModel model) => Symbols.Of(model).Constructs(call, Api.TrainingArguments);

    /// <summary>True when the call constructs a transformers Trainer or a subclass (trl's, sentence-transformers', the file's own).</summary>
    public static bool IsTrainerCall(Call call, SemanticModel model) => Symbols.Of(model).Constructs(call, Api.Trainer);

    /// <summary>
    /// True for a trainer class's qualified name, or the name of a class of this file derived from one
    /// (`class WeightedTrainer(Trainer)` overriding compute_loss).
    /// </summary>
    public static bool IsTrainerClass(string qualifiedName, SemanticModel model)
    {
        if (Symbols.IsKnownSubclass(Symbols.Canonicalize(qualifiedName), Api.Trainer))
        {
            return true;
        }

        return !qualifiedName.Contains('.') &&
               model.GlobalScope.GetBindings(qualifiedName) is [{ Kind: BindingKind.ClassDefinition, Node: ClassDef cls }] &&
               cls.Bases.Any(b => Symbols.Of(model).IsSubclass(b, Api.Trainer));
    }

    /// <summary>A Trainer of transformers (or a relative, <see cref="IsTrainerClass"/>) or of SetFit: `train()` trains, `evaluate()` evaluates.</summary>
    public static bool IsAnyTrainerClass(string qualifiedName, SemanticModel model) =>
        IsTrainerClass(qualifiedName, model) || Symbols.IsKnownSubclass(Symbols.Canonicalize(qualifiedName), Api.SetFitTrainer);

    /// <summary>The call that made the object a method is called on (`Trainer(...).train()`, or a name's reaching value), or null.</summary>
    public static Call? MadeBy(SemanticModel model, Expr receiver) => receiver switch
    {
        Call call => call,
        Name name => model.ReachingValue(name) as Call,
        _ => null,
    };

    /// <summary>Every Trainer construction of the file, in source order.</summary>
    public static IReadOnlyList<Call> Of(SemanticModel model) => Constructions.GetValue(model, m =>
        Symbols.Of(m).DoesMlWork ? [.. m.Calls.Where(c => IsTrainerCall(c, m))] : []);

    /// <summary>Every Trainer construction of the file, transformers' (and relatives') and SetFit's, in source order.</summary>
    public static IReadOnlyList<Call> AnyOf(SemanticModel model) => AnyConstructions.GetValue(model, m =>
        Symbols.Of(m).DoesMlWork ? [.. m.Calls.Where(c => IsTrainerCall(c, m) || Symbols.Of(m).Constructs(c, Api.SetFitTrainer))] : []);

    /// <summary>
    /// A Trainer argument by keyword, by its position (`transformers.Trainer`'s, or `setfit.Trainer`'s
    /// for a SetFit trainer), or through a literal `**` dict.
    /// </summary>
    public static Expr? Argument(SemanticModel model, Call trainer, string parameter) =>
        model.GetArgument(trainer, parameter, Array.IndexOf(IsTrainerCall(trainer, model) ? Positional : SetFitPositional, parameter));

    /// <summary>The arguments a Trainer's `args=` are (<see cref="ArgumentsOf"/>): a TrainingArguments call or the file's parsed arguments class, else null.</summary>
    public static Node? TrainingArguments(SemanticModel model, Call trainer) => ArgumentsOf(trainer, model);

    /// <summary>The name a Trainer construction is assigned to (`trainer = Trainer(...)`), else null.</summary>
    public static Binding? BoundTo(SemanticModel model, Call trainer)
    {
        foreach (var scope in model.Scopes)
        {
            foreach (var bindings in scope.Bindings.Values)
            {
                foreach (var b in bindings)
                {
                    if (ReferenceEquals(b.Value, trainer) && b.Kind == BindingKind.Assignment)
                    {
                        return b;
                    }
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The arguments a Trainer call gets as `args=` (or second positional): the TrainingArguments call, inline or
    /// through a name, or — for arguments an `HfArgumentParser` parses into the file's own TrainingArguments
    /// subclass (`model_args, training_args = parser.parse_args_into_dataclasses()`) — that class, whose field
    /// defaults are the settings. Read its settings with <see cref="FindSetting(Node, string, SemanticModel)"/>.
    /// </summary>
    public static Node? ArgumentsOf(Call trainer, SemanticModel model)
    {
        var args = model.GetArgument(trainer, "args", 1);
        if (args is null)
        {
            return null;
        }

        if (Unalias(model, args) is Call call && IsArgumentsCall(call, model))
        {
            return call;
        }

        return args is Name name && ParsedInto(model, name) is { } cls && IsArgumentsClass(cls, model) ? cls : null;
    }

    /// <summary>True for a class of this file derived from TrainingArguments (by its bases, through the file's classes).</summary>
    public static bool IsArgumentsClass(ClassDef cls, SemanticModel model) => cls.Bases.Any(b => Symbols.Of(model).IsSubclass(b, Api.TrainingArguments));

    /// <summary>
    /// True for a TrainingArguments subclass of this file that running code hands to a parser
    /// (`HfArgumentParser((ModelArguments, MyTrainingArguments))`) and never constructs itself: its field
    /// defaults are the run's settings, and a rule reads them on the class. A class the file constructs is read
    /// at the construction (whose settings fall back to the defaults); one nothing uses (a library's) is not a run's.
    /// </summary>
    public static bool IsParsedArgumentsClass(ClassDef cls, SemanticModel model)
    {
        if (!IsArgumentsClass(cls, model))
        {
            return false;
        }

        var symbols = Symbols.Of(model);
        var handed = false;
        foreach (var call in model.Calls)
        {
            if (ReferenceEquals(symbols.LocalClass(call.Func), cls))
            {
                return false;
            }

            handed = handed || (IsParser(call, model) && Rules.Loops.SyntaxPath.DescendantsOf(call).OfType<Name>().Any(n => ReferenceEquals(symbols.LocalClass(n), cls)) && RunPath.Of(model).Runs(call));
        }

        return handed;
    }

    private static bool IsParser(Call call, SemanticModel model) => Symbols.Of(model).Callee(call) is "transformers.HfArgumentParser";

    /// <summary>
    /// The class of this file a name holds when it is one of the dataclasses an `HfArgumentParser` parsed:
    /// unpacked from `parser.parse_args_into_dataclasses()` (or `parse_dict`, `parse_json_file`, `parse_yaml_file`)
    /// by position, or taken from it by a constant index. Null otherwise.
    /// </summary>
    private static ClassDef? ParsedInto(SemanticModel model, Name name)
    {
        if (model.ResolveName(name) is not { Statement: Assign assign } binding || assign.Targets.Count != 1)
        {
            return null;
        }

        var (parse, index) = (assign.Targets[0], assign.Value) switch
        {
            (TupleExpr or List, Call c) => (c, Elements(assign.Targets[0]).FindIndex(e => e is Name t && t.Start == binding.Node.Start)),
            (Name, Subscript { Value: Call c, Slice: Constant { Value: long i } }) => (c, (int)i),
            _ => (null, -1),
        };
        if (parse?.Func is not AttributeExpr { Attr: "parse_args_into_dataclasses" or "parse_dict" or "parse_json_file" or "parse_yaml_file" } method || index < 0)
        {
            return null;
        }

        var parser = Unalias(model, method.Value) as Call;
        if (parser is null || !IsParser(parser, model) || model.GetArgument(parser, "dataclass_types", 0) is not { } types)
        {
            return null;
        }

        var classes = types is TupleExpr or List ? Elements(types) : [types];
        return index < classes.Count ? Symbols.Of(model).LocalClass(classes[index]) : null;
    }

    private static List<Expr> Elements(Expr expr) => expr switch
    {
        TupleExpr t => [.. t.Elts],
        List l => [.. l.Elts],
        _ => [],
    };

    /// <summary>
    /// A setting of a Trainer's arguments (<see cref="ArgumentsOf"/>): written in the TrainingArguments call
    /// (<see cref="FindSetting(Call, string, SemanticModel)"/>), or a field default of the file's arguments class.
    /// </summary>
    public static Setting? FindSetting(Node arguments, string name, SemanticModel model) => arguments switch
    {
        Call call => FindSetting(call, name, model),
        ClassDef cls => FieldDefault(cls, name, model, 0),
        _ => null,
    };

    /// <summary>
    /// The default a dataclass of this file gives a field (`fp16: bool = True`, `field(default=True)`), its own
    /// or its local bases', with the field's name as the place; null when it declares none (or `default_factory`).
    /// </summary>
    public static Setting? FieldDefault(ClassDef cls, string name, SemanticModel model, int depth)
    {
        if (depth > 8)
        {
            return null;
        }

        for (var i = cls.Body.Count - 1; i >= 0; i--)
        {
            if (cls.Body[i] is AnnAssign { Target: Name target, Value: { } value } && target.Id == name)
            {
                if (value is Call field && Symbols.Of(model).Callee(field) is "dataclasses.field")
                {
                    return field.Keywords.FirstOrDefault(k => k.Arg == "default") is { } d ? new Setting(target.Range, d.Value, null, InClass: true) : null;
                }

                return new Setting(target.Range, value, null, InClass: true);
            }
        }

        foreach (var baseClass in cls.Bases)
        {
            if (Symbols.Of(model).LocalClass(baseClass) is { } parent && FieldDefault(parent, name, model, depth + 1) is { } inherited)
            {
                return inherited;
            }
        }

        return null;
    }

    private static Expr Unalias(SemanticModel model, Expr expr)
    {
        for (var depth = 0; depth < 16 && expr is Name n && model.ReachingValue(n) is { } value && !ReferenceEquals(value, n); depth++)
        {
            expr = value;
        }

        return expr;
    }

    /// <summary>The module- or function-level `def` passed as `compute_metrics=`, or null when it is a lambda, a factory call, or unknown.</summary>
    public static FunctionDef? ComputeMetricsOf(Call trainer, SemanticModel model) =>
        model.GetArgument(trainer, "compute_metrics") is Name name && model.ResolveName(name) is { Kind: BindingKind.FunctionDefinition, Node: FunctionDef def }
            ? def
            : null;

    /// <summary>
    /// Where a setting is written in a call: the keyword's name (`fp16=`) or the string key of a
    /// literal dict unpacked with `**` (directly or through a name), with the value next to it.
    /// Null when the call does not name it explicitly.
    /// </summary>
    public static Setting? FindSetting(Call call, string name, SemanticModel model)
    {
        foreach (var keyword in call.Keywords)
        {
            if (keyword.Arg == name)
            {
                return new Setting(new TextRange(keyword.Start, keyword.Start + name.Length), keyword.Value, null);
            }
        }

        for (var i = call.Keywords.Count - 1; i >= 0; i--)
        {
            if (call.Keywords[i].Arg is null && FindInDict(call.Keywords[i].Value, name, model, 0) is { } found)
            {
                return found;
            }
        }

        // A construction of the file's own dataclass (`MyTrainingArguments(output_dir=...)`) keeps the defaults it declares.
        return call.Keywords.Any(k => k.Arg is null) || Symbols.Of(model).LocalClass(call.Func) is not { } cls ? null : FieldDefault(cls, name, model, 0);
    }

    /// <summary>Where a setting is written in a mapping unpacked with `**` (a dict literal, `dict(...)`, through names and constant keys), or null.</summary>
    public static Setting? FindUnpacked(Expr mapping, string name, SemanticModel model) => FindInDict(mapping, name, model, 0);

    private static Setting? FindInDict(Expr mapping, string name, SemanticModel model, int depth)
    {
        if (depth > 8 || Mapping(mapping, model, depth) is not { } resolved)
        {
            return null;
        }

        switch (resolved)
        {
            case Dict dict:
                for (var i = dict.Keys.Count - 1; i >= 0; i--)
                {
                    if (dict.Keys[i] is Constant { Value: string s } key && s == name)
                    {
                        return new Setting(key.Range, dict.Values[i], key);
                    }

                    if (dict.Keys[i] is null && FindInDict(dict.Values[i], name, model, depth + 1) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case Call call:
                // `dict(output_dir="out", fp16=True)`, also `dict(base, fp16=True)`.
                for (var i = call.Keywords.Count - 1; i >= 0; i--)
                {
                    var keyword = call.Keywords[i];
                    if (keyword.Arg == name)
                    {
                        return new Setting(new TextRange(keyword.Start, keyword.Start + name.Length), keyword.Value, null);
                    }

                    if (keyword.Arg is null && FindInDict(keyword.Value, name, model, depth + 1) is { } inner)
                    {
                        return inner;
                    }
                }

                return call.Args is [var first] ? FindInDict(first, name, model, depth + 1) : null;
            default:
                return null;
        }
    }

    /// <summary>
    /// The dict literal or `dict(...)` call an expression holds: directly, through a name's reaching
    /// value, a parameter's default or the argument of the function's one call, or as the value of a
    /// constant key of another mapping (`CONFIG["training"]`). Null otherwise.
    /// </summary>
    private static Expr? Mapping(Expr expr, SemanticModel model, int depth)
    {
        for (; depth <= 8; depth++)
        {
            switch (expr)
            {
                case Dict:
                    return expr;
                case Call call when Code.IsBuiltinCall(model, call, "dict") && call.Args.Count <= 1:
                    return call;
                case Name n when model.ReachingValue(n) is { } value && !ReferenceEquals(value, n):
                    expr = value;
                    continue;
                case Name n when Code.ParameterDefault(model, n) is { } fallback:
                    // `def main(cfg=CONFIG)` called as `main()`: the default is the mapping.
                    expr = fallback;
                    continue;
                case Name n when Code.ParameterArguments(model, n) is [var passed]:
                    // `def run(cfg): ...` called once, as `run(CONFIG)`: the argument is the mapping.
                    expr = passed;
                    continue;
                case Subscript { Value: var outer, Slice: var slice } when model.EvaluateString(slice) is { } key &&
                                                                          FindInDict(outer, key, model, depth + 1) is { } entry:
                    expr = entry.Value;
                    continue;
                default:
                    return null;
            }
        }

        return null;
    }
}

/// <summary>
/// A setting as written: the range of its name (keyword, dict key or a dataclass field's name), its value, the
/// dict key node when it is one, and whether it is a field default of a class (<see cref="TrainerApi.FieldDefault"/>).
/// </summary>
public sealed record Setting(TextRange NameRange, Expr Value, Constant? DictKey, bool InClass = false);
