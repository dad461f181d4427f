using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Rules.Loops;

/// <summary>
/// Tree questions the syntax tree (which has no parent links) does not answer directly: the
/// nodes enclosing a node, and the nodes of a subtree.
/// </summary>
public static class SyntaxPath
{
    /// <summary>The nodes that contain <paramref name="target"/>, outermost first, without the target itself (the model's parent links).</summary>
    public static IReadOnlyList<Node> AncestorsOf(SemanticModel model, Node target) => [.. model.Ancestors(target).Reverse()];

    /// <summary>Every node of the subtree under <paramref name="root"/> (the root included), in walk order.</summary>
    /// <remarks>A whole module is walked afresh each time and not kept: its list was the tree's size again in
    /// references (26 MB at 1M lines, and as much again while it grew), for a few rules that mostly stop early.</remarks>
    public static IEnumerable<Node> DescendantsOf(Node root) => root is Module ? Walk(root) : All.GetValue(root, r => Collect(r, null));

    /// <summary>
    /// The nodes under <paramref name="root"/>, not descending into nested function, lambda and class
    /// bodies (code that does not run where it is written).
    /// </summary>
    public static IEnumerable<Node> DescendantsInScope(Node root) => InScope.GetValue(root, r => Collect(r, r));

    /// <summary>
    /// What <see cref="DescendantsInScope"/> answers, walked afresh and not kept: for a walk over every
    /// statement of a file once (<see cref="Knowledge.RunPath"/>), where keeping each statement's list
    /// would hold the whole tree a second time (140 MB for a 1M-line script) for no second reader.
    /// </summary>
    public static Node[] DescendantsInScopeOnce(Node root) => Collect(root, root);

    // Several rules ask for the same subtrees (the whole module, each loop and function) in one check:
    // each is walked once per tree. The trees never change, and the lists die with them.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Node, Node[]> All = new();
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Node, Node[]> InScope = new();

    private static Node[] Collect(Node root, Node? scopeRoot)
    {
        var collector = new Collector(scopeRoot);
        collector.Visit(root);
        return [.. collector.Nodes];
    }

    /// <summary>The calls under <paramref name="root"/> (same scope) whose callee resolves to one of <paramref name="names"/>.</summary>
    public static bool CallsAny(Node root, SemanticModel model, IReadOnlySet<string> names) =>
        DescendantsInScope(root).OfType<Call>().Any(c => model.ResolveCallee(c) is { } q && names.Contains(q));

    // Pre-order in field order, as Collect: a node, then its children's subtrees in turn.
    private static IEnumerable<Node> Walk(Node root)
    {
        var pending = new Stack<Node>();
        var children = new ChildCollector();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            yield return node;
            children.Collect(node);
            for (var i = children.Nodes.Count - 1; i >= 0; i--)
            {
                pending.Push(children.Nodes[i]);
            }
        }
    }

    private sealed class ChildCollector : SyntaxWalker
    {
        public List<Node> Nodes { get; } = [];

        public void Collect(Node node)
        {
            Nodes.Clear();
            VisitChildren(node);
        }

        public override void Visit(Node node) => Nodes.Add(node);
    }

    private sealed class Collector(Node? scopeRoot) : SyntaxWalker
    {
        public List<Node> Nodes { get; } = [];

        public override void Visit(Node node)
        {
            Nodes.Add(node);
            if (scopeRoot is not null && !ReferenceEquals(node, scopeRoot) && node is FunctionDef or Lambda or ClassDef)
            {
                return;
            }

            VisitChildren(node);
        }
    }
}
