namespace MLIntern.Python.Syntax;

public sealed partial class Name
{
    /// <summary>
    /// For a name load: the block (and through it the scope) it is evaluated in, set by the first
    /// semantic model built over the tree. A field rather than the model's map from Name to use:
    /// the map cost ~36 bytes a load (45 MB for a 1M-line script), the field 8 bytes a Name.
    /// </summary>
    internal Semantics.Block? UseBlock;
}
