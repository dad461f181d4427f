using System.Runtime.CompilerServices;
using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Knowledge;

/// <summary>
/// The one import and alias resolution rules use: what an expression refers to as a canonical API
/// name (<see cref="Api"/>), whether a class — the library's, or one of this file derived from it
/// through its bases — is a kind of a known class, and which packages the file imports. Answers
/// are cached per semantic model (one check, one thread).
/// </summary>
public sealed class Symbols
{
    private const int MaxDepth = 16;

    private static readonly ConditionalWeakTable<SemanticModel, Symbols> Cache = new();

    private readonly Dictionary<string, string> _canonical = new(StringComparer.Ordinal);
    private readonly HashSet<string> _importedRoots = new(StringComparer.Ordinal);

    private Symbols(SemanticModel model)
    {
        Model = model;
        foreach (var scope in model.Scopes)
        {
            foreach (var bindings in scope.Bindings.Values)
            {
                foreach (var b in bindings)
                {
                    if (b.Kind is BindingKind.Import or BindingKind.FromImport && b.QualifiedName is { } q)
                    {
                        _importedRoots.Add(Root(q));
                    }
                }
            }
        }

        DoesMlWork = _importedRoots.Overlaps(Api.MlPackages);
    }

    public SemanticModel Model { get; }

    /// <summary>True when the file imports an ML library anywhere: rules stay silent on other files.</summary>
    public bool DoesMlWork { get; }

    public static Symbols Of(SemanticModel model) => Cache.GetValue(model, m => new Symbols(m));

    /// <summary>True when the file imports <paramref name="package"/> (or a submodule of it) anywhere.</summary>
    public bool Imports(string package) => _importedRoots.Contains(package);

    /// <summary>
    /// The canonical qualified name an expression refers to: the semantic model's resolution through
    /// imports and aliases, with a flat package's submodule path folded onto its top-level export
    /// (`transformers.trainer.Trainer` → `transformers.Trainer`) and the known re-exports applied.
    /// Local definitions resolve to their bare name; unknown values to null.
    /// </summary>
    public string? Canonical(Expr expr)
    {
        // Memoized by qualified name, not by expression: a file names a few hundred things and
        // asks about hundreds of thousands of expressions (a memo by expression was 16 MB at 1M lines).
        if (Model.ResolveQualifiedName(expr) is not { } qualified)
        {
            return null;
        }

        if (!_canonical.TryGetValue(qualified, out var name))
        {
            name = Canonicalize(qualified);
            _canonical[qualified] = name;
        }

        return name;
    }

    /// <summary>The canonical name of what a call calls, or null.</summary>
    public string? Callee(Call call) => Canonical(call.Func);

    /// <summary>The canonical form of a qualified name.</summary>
    public static string Canonicalize(string qualified)
    {
        if (Api.Aliases.TryGetValue(qualified, out var alias))
        {
            return alias;
        }

        var root = Root(qualified);
        if (root.Length == qualified.Length)
        {
            return qualified;
        }

        // Private modules re-export through their parent: `sklearn.metrics._classification.f1_score`.
        var parts = qualified.Split('.');
        if (parts.Skip(1).Any(p => p.StartsWith('_') && !p.StartsWith("__", StringComparison.Ordinal)))
        {
            parts = [.. parts.Where((p, i) => i == 0 || !p.StartsWith('_') || p.StartsWith("__", StringComparison.Ordinal))];
            qualified = string.Join('.', parts);
            if (Api.Aliases.TryGetValue(qualified, out var unprivate))
            {
                return unprivate;
            }
        }

        // `pkg.sub.mod.Name.method`: fold the module path before the first capitalised segment.
        var firstClass = Array.FindIndex(parts, 1, p => p.Length > 0 && char.IsUpper(p[0]));
        if (firstClass > 1 && Api.FlatPackages.Contains(root))
        {
            var folded = root + "." + string.Join('.', parts[firstClass..]);
            return Api.Aliases.TryGetValue(folded, out var again) ? again : folded;
        }

        // `transformers.trainer_utils.set_seed` style functions of flat packages: known aliases only.
        for (var i = parts.Length - 1; i > 1; i--)
        {
            var prefix = string.Join('.', parts[..i]);
            if (Api.Aliases.TryGetValue(prefix, out var mapped))
            {
                return mapped + "." + string.Join('.', parts[i..]);
            }
        }

        return qualified;
    }

    /// <summary>
    /// True when <paramref name="classExpr"/> names <paramref name="baseClass"/> or a class derived from it:
    /// a known library class (<see cref="Api.Classes"/>), or a class of this file whose bases are.
    /// </summary>
    public bool IsSubclass(Expr classExpr, string baseClass) => IsSubclass(classExpr, baseClass, 0);

    /// <summary>True when a class expression names a subclass of a model base: `nn.Module`, a pretrained model, a LightningModule.</summary>
    public bool IsModuleSubclass(Expr classExpr) =>
        IsSubclass(classExpr, Api.TorchModule) || IsSubclass(classExpr, Api.PreTrainedModel) || IsSubclass(classExpr, Api.LightningModule);

    /// <summary>True when the call constructs an instance of <paramref name="baseClass"/> or a subclass.</summary>
    public bool Constructs(Call call, string baseClass) => IsSubclass(call.Func, baseClass, 0);

    /// <summary>True when a canonical library class name is <paramref name="baseClass"/> or derives from it.</summary>
    public static bool IsKnownSubclass(string canonical, string baseClass)
    {
        for (var (name, depth) = ((string?)canonical, 0); name is not null && depth < MaxDepth; depth++)
        {
            if (name == baseClass)
            {
                return true;
            }

            name = Api.Classes.TryGetValue(name, out var parent) ? parent : null;
        }

        return false;
    }

    /// <summary>The class definition of this file a name refers to, or null.</summary>
    public ClassDef? LocalClass(Expr classExpr) =>
        classExpr is Name n && Model.ResolveName(n) is { Kind: BindingKind.ClassDefinition, Node: ClassDef cls } ? cls : null;

    private bool IsSubclass(Expr classExpr, string baseClass, int depth)
    {
        if (depth > MaxDepth)
        {
            return false;
        }

        if (LocalClass(classExpr) is { } local)
        {
            return local.Bases.Any(b => IsSubclass(b, baseClass, depth + 1));
        }

        return Canonical(classExpr) is { } name && IsKnownSubclass(name, baseClass);
    }

    private static string Root(string qualified)
    {
        var dot = qualified.IndexOf('.');
        return dot < 0 ? qualified : qualified[..dot];
    }
}
