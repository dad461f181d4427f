using MLIntern.Analysis.Findings;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Rules;

/// <summary>Whether a rule's findings come with a fix.</summary>
public enum FixAvailability
{
    None,
    Sometimes,
    Always,
}

/// <summary>
/// A check on a Python training script. One rule is one file whose documentation (<see cref="Info"/>)
/// is its user page. A rule names the node types it wants; the engine walks each file once and
/// hands every such node to every rule that asked. Rules query the semantic model, never the raw text.
/// Each file gets new instances (a public parameterless constructor is required), so a rule may keep
/// per-file state in fields between <see cref="Visit"/> and <see cref="Finish"/>.
/// </summary>
public abstract class ScriptRule
{
    public abstract RuleInfo Info { get; }

    public virtual FixAvailability FixAvailability => FixAvailability.None;

    /// <summary>
    /// True for a rule about any Python file (a syntax error, a secret); false, the default, for a rule
    /// about ML code, which runs only on files that import an ML library (<see cref="Knowledge.Symbols.DoesMlWork"/>).
    /// </summary>
    public virtual bool AnyFile => false;

    /// <summary>The exact node types <see cref="Visit"/> receives; empty for rules that only look at the whole file.</summary>
    public virtual IReadOnlyList<Type> NodeTypes => [];

    public virtual void Visit(Node node, ScriptContext context)
    {
    }

    /// <summary>Runs once after the walk, for checks about the file as a whole ("no seed anywhere").</summary>
    public virtual void Finish(ScriptContext context)
    {
    }
}
