using MLIntern.Python.Text;

namespace MLIntern.Python.Syntax;

/// <summary>
/// A node of the syntax tree. The node types and their fields mirror CPython's <c>ast</c>
/// module (so a tree can be compared with CPython's), and every node has an exact range.
/// The node classes are generated from Nodes.schema (Nodes.g.cs); this base is written by hand.
/// </summary>
public abstract class Node
{
    [ThreadStatic]
    private static int t_made;

    // A number the node gets when it is made: its hash code. Nodes are equal only to themselves, and
    // are keys of the semantic model's and the rules' maps; hashing by this number costs a field read,
    // where the runtime's identity hash stores one in the object's header, through a call into the
    // runtime, the first time each node is hashed (a tenth of a check's CPU time).
    private readonly int _hash = ++t_made;

    public sealed override bool Equals(object? obj) => ReferenceEquals(this, obj);

    public sealed override int GetHashCode() => _hash;

    /// <summary>Start offset (UTF-16) in the source text.</summary>
    public int Start { get; set; }

    /// <summary>End offset (UTF-16, exclusive) in the source text.</summary>
    public int End { get; set; }

    public TextRange Range => new(Start, End);

    /// <summary>
    /// The node that contains this one, once <see cref="Semantics.SemanticModel.ParentOf"/> has linked
    /// the tree (null before, and for the module). A field rather than a map from node to parent:
    /// the map cost 30 bytes a node more, 150 MB for a 1M-line script.
    /// </summary>
    internal Node? Parent;
}

/// <summary>The value of the literal <c>...</c>.</summary>
public sealed class EllipsisValue
{
    public static readonly EllipsisValue Instance = new();

    private EllipsisValue()
    {
    }

    public override string ToString() => "Ellipsis";
}
