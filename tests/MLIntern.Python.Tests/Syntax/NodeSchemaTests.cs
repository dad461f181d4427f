using System.Collections;
using System.Reflection;
using MLIntern.Python.Syntax;
using MLIntern.SyntaxGen;

namespace MLIntern.Python.Tests.Syntax;

/// <summary>
/// The node classes, the walker and the AST dump are generated from Syntax/Nodes.schema by
/// tools/SyntaxGen. These tests hold the committed files to the schema and the walker to every child
/// field the schema declares. Set MLINTERN_UPDATE_SYNTAX=1 to rewrite the generated files (the same as
/// `dotnet run --project tools/SyntaxGen`), then review them with git diff.
/// </summary>
public sealed class NodeSchemaTests
{
    private static readonly string Folder = Path.Combine(RepoRoot(), Generator.SyntaxFolder);

    private static readonly Schema Schema = Schema.Parse(File.ReadAllText(Path.Combine(Folder, Generator.SchemaFile)));

    private static readonly Assembly Python = typeof(Node).Assembly;

    public static TheoryData<string> ConcreteNodes() => [.. Schema.Concrete.Select(n => n.Name)];

    [Fact]
    public void Generated_files_are_what_the_schema_gives()
    {
        var generated = Generator.Generate(File.ReadAllText(Path.Combine(Folder, Generator.SchemaFile)));
        Assert.Equal(3, generated.Count);
        foreach (var (name, text) in generated)
        {
            var path = Path.Combine(Folder, name);
            if (Environment.GetEnvironmentVariable("MLINTERN_UPDATE_SYNTAX") == "1")
            {
                File.WriteAllText(path, text);
            }

            Assert.True(File.Exists(path), $"{path} is missing: run `dotnet run --project tools/SyntaxGen`");
            Assert.True(
                File.ReadAllText(path) == text,
                $"{name} is not what Nodes.schema gives (the schema changed, or the file was edited): run `dotnet run --project tools/SyntaxGen` (or set MLINTERN_UPDATE_SYNTAX=1) and commit the result");
        }
    }

    [Fact]
    public void Every_node_class_is_in_the_schema_with_its_properties()
    {
        var classes = Python.GetTypes().Where(t => t.IsSubclassOf(typeof(Node))).Select(t => t.Name).Order().ToList();
        Assert.Equal(Schema.Nodes.Select(n => n.Name).Order().ToList(), classes);
        foreach (var n in Schema.Nodes)
        {
            var declared = ClassOf(n.Name).GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Select(p => p.Name).Order().ToList();
            var expected = n.Fields.Where(f => !f.IsConstant && !f.Inherited).Select(f => f.Property!).Order().ToList();
            Assert.Equal(expected, declared);
        }
    }

    /// <summary>
    /// Each child field of the node gets a child of its own; walking the node must visit all of them,
    /// once each, in the schema's (CPython's) field order.
    /// </summary>
    [Theory]
    [MemberData(nameof(ConcreteNodes))]
    public void The_walker_visits_every_child_field_in_order(string nodeName)
    {
        var decl = Schema.Find(nodeName)!;
        var node = (Node)Activator.CreateInstance(ClassOf(nodeName))!;
        var children = new List<(string Field, Node Child)>();
        foreach (var field in decl.Fields.Where(f => !f.IsConstant).Select(f => Schema.Resolve(decl, f)).Where(f => Schema.IsNode(f.Type)))
        {
            var property = node.GetType().GetProperty(field.Property!)!;
            // Two items in a list, so a walker that visits only the first is caught too.
            var items = new List<Node>();
            for (int i = 0; i < (field.IsList ? 2 : 1); i++)
            {
                var child = Instance(field.Type);
                children.Add((field.Property!, child));
                items.Add(child);
            }

            if (field.IsList)
            {
                // A NodeList<T> over a T[] of the two children.
                var array = Array.CreateInstance(property.PropertyType.GetGenericArguments()[0], items.Count);
                ((IList)items).CopyTo(array, 0);
                property.SetValue(node, Activator.CreateInstance(property.PropertyType, array));
            }
            else
            {
                property.SetValue(node, items[0]);
            }
        }

        var walker = new OneLevel(node);
        walker.Visit(node);
        var missed = children.Where(c => !walker.Seen.Contains(c.Child)).Select(c => c.Field).Distinct().ToList();
        Assert.True(missed.Count == 0, $"the walker does not visit {nodeName}.{string.Join(", ", missed)}");
        Assert.Equal(children.Select(c => c.Child), walker.Seen);
    }

    [Fact]
    public void The_walker_reaches_a_type_parameter_default()
    {
        // `T = int` (PEP 696): a default is an expression like any other, and rules see the names in it.
        var parse = MLIntern.Python.Parsing.Parser.Parse("def f[T = int, *Ts = *tuple[int], **P = [str]](): pass\n");
        var walker = new Names();
        walker.Visit(parse.Tree);
        Assert.Equal(["int", "tuple", "int", "str"], walker.Ids);
    }

    [Fact]
    public void Packed_fields_and_the_offsets_they_share_bits_with_do_not_disturb_each_other()
    {
        var name = new Name { Id = "x", Start = 0x3FFF_FFFE, End = 0x3FFF_FFFF, Ctx = ExprContext.Del, IsParenthesized = true };
        Assert.Equal((0x3FFF_FFFE, 0x3FFF_FFFF, ExprContext.Del, true), (name.Start, name.End, name.Ctx, name.IsParenthesized));
        name.Start = 5;
        name.End = 7;
        Assert.Equal((5, 7, ExprContext.Del, true), (name.Start, name.End, name.Ctx, name.IsParenthesized));
        name.Ctx = ExprContext.Store;
        name.IsParenthesized = false;
        Assert.Equal((5, 7, ExprContext.Store, false), (name.Start, name.End, name.Ctx, name.IsParenthesized));
        Assert.Equal(new Name { Start = 5, End = 7 }.GetHashCode(), name.GetHashCode());
        Assert.NotEqual(new Name { Start = 5, End = 7 }, name);
    }

    [Fact]
    public void A_name_is_48_bytes_and_a_constant_48()
    {
        // A 1M-line script has 1.35M names and 0.5M constants: 8 bytes each is 15 MB.
        var names = new Node[1000];
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = new Name();
        }

        var middle = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = new Constant();
        }

        var after = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(48, (middle - before) / names.Length);
        Assert.Equal(48, (after - middle) / names.Length);
    }

    [Theory]
    [InlineData("node A : Node\n  X Nope x\n", "A.X: unknown type Nope")]
    [InlineData("node A : Node\n\nnode A : Node\n", "line 3: A is declared twice")]
    [InlineData("node A : Missing\n", "A: base Missing")]
    [InlineData("node A : Node\n  X inherited x\n", "A.X is marked inherited")]
    [InlineData("node A : Node = B | C when D\n  D int -\n", "`when D` names no bool field")]
    [InlineData("  X int x\n", "line 1: a field outside a node")]
    public void A_mistake_in_the_schema_is_named(string schema, string message)
    {
        var e = Assert.Throws<FormatException>(() => Schema.Parse(schema));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    private static Type ClassOf(string name) => Python.GetType("MLIntern.Python.Syntax." + name, throwOnError: true)!;

    /// <summary>A fresh node of the first concrete class (in schema order) that fits a field of this type.</summary>
    private static Node Instance(string fieldType)
    {
        var wanted = fieldType == "Node" ? typeof(Node) : ClassOf(fieldType);
        var concrete = Schema.Concrete.Select(n => ClassOf(n.Name)).First(wanted.IsAssignableFrom);
        return (Node)Activator.CreateInstance(concrete)!;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MLIntern.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("no MLIntern.sln above " + AppContext.BaseDirectory);
    }

    /// <summary>Records the root's children and does not descend into them.</summary>
    private sealed class OneLevel(Node root) : SyntaxWalker
    {
        public List<Node> Seen { get; } = new();

        public override void Visit(Node node)
        {
            if (ReferenceEquals(node, root))
            {
                VisitChildren(node);
            }
            else
            {
                Seen.Add(node);
            }
        }
    }

    private sealed class Names : SyntaxWalker
    {
        public List<string> Ids { get; } = new();

        public override void Visit(Node node)
        {
            if (node is Name n)
            {
                Ids.Add(n.Id);
            }

            VisitChildren(node);
        }
    }
}
