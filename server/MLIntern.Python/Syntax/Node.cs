using MLIntern.Python.Text;

namespace MLIntern.Python.Syntax;

/// <summary>
/// A node of the syntax tree. The node types and their fields mirror CPython's <c>ast</c>
/// module (so a tree can be compared with CPython's), and every node has an exact range.
/// The node classes are generated from Nodes.schema (Nodes.g.cs); this base is written by hand.
/// </summary>
public abstract class Node
{
    // An offset is below 2^30 (a string holds fewer UTF-16 units): the two high bits of each offset
    // field are spare. Start's top bit is PackedFlag (an expression's IsParenthesized), End's top two
    // bits are PackedValue (an ExprContext). So Node has no field beyond its offsets and parent, and a
    // Name is 48 bytes, not 56 (a 1M-line script has 1.35M of them).
    private const int OffsetMask = 0x3FFF_FFFF;
    private int _start;
    private int _end;

    public sealed override bool Equals(object? obj) => ReferenceEquals(this, obj);

    // Nodes are equal only to themselves, and are keys of the semantic model's and the rules' maps.
    // The hash is made of the range: a field read, where the runtime's identity hash goes through a
    // call into the runtime (a tenth of a check's CPU time), and no field of its own (4 bytes a node,
    // 8 on most with the alignment). Nested nodes with one range (`f(x)` and its statement) share a
    // bucket; the range is set by the parser before any map holds the node.
    public sealed override int GetHashCode() => (int)((uint)Start * 0x9E3779B1u) ^ End;

    /// <summary>Start offset (UTF-16) in the source text.</summary>
    public int Start
    {
        get => _start & OffsetMask;
        set => _start = (_start & ~OffsetMask) | (value & OffsetMask);
    }

    /// <summary>End offset (UTF-16, exclusive) in the source text.</summary>
    public int End
    {
        get => _end & OffsetMask;
        set => _end = (_end & ~OffsetMask) | (value & OffsetMask);
    }

    /// <summary>A bool field of a node type kept in a spare bit (Nodes.schema's <c>packed</c>).</summary>
    private protected bool PackedFlag
    {
        get => _start < 0;
        set => _start = value ? _start | int.MinValue : _start & int.MaxValue;
    }

    /// <summary>An enum field (0-3) of a node type kept in two spare bits (Nodes.schema's <c>packed</c>).</summary>
    private protected int PackedValue
    {
        get => (int)((uint)_end >> 30);
        set => _end = (_end & OffsetMask) | ((value & 3) << 30);
    }

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
