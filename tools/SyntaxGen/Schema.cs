namespace MLIntern.SyntaxGen;

/// <summary>A node schema (the format is described at the top of Nodes.schema).</summary>
public sealed record Schema(IReadOnlyList<EnumDecl> Enums, IReadOnlyList<NodeDecl> Nodes)
{
    /// <summary>The scalar types a field may have besides node types and enums.</summary>
    private static readonly HashSet<string> Scalars = ["string", "int", "bool", "object"];

    public NodeDecl? Find(string name) => Nodes.FirstOrDefault(n => n.Name == name);

    public bool IsNode(string typeName) => typeName == "Node" || Find(typeName) is not null;

    public IEnumerable<NodeDecl> Concrete => Nodes.Where(n => !n.IsAbstract);

    /// <summary>The field's own declaration when it is inherited, else the field itself.</summary>
    public FieldDecl Resolve(NodeDecl node, FieldDecl field)
    {
        if (!field.Inherited)
        {
            return field;
        }

        for (var b = Find(node.Base); b is not null; b = Find(b.Base))
        {
            if (b.Fields.FirstOrDefault(f => f.Property == field.Property && !f.Inherited) is { } own)
            {
                return own with { AstName = field.AstName, Inherited = true };
            }
        }

        throw new FormatException($"{node.Name}.{field.Property} is marked inherited but no base declares it");
    }

    /// <summary>Reads a schema; a mistake in it is a <see cref="FormatException"/> naming the line.</summary>
    public static Schema Parse(string text)
    {
        var enums = new List<EnumDecl>();
        var nodes = new List<NodeDecl>();
        var doc = new List<string>();
        NodeDecl? current = null;
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var raw = lines[i];
            var line = raw.Trim();
            int lineNo = i + 1;
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith("///", StringComparison.Ordinal))
            {
                doc.Add(line[3..].Trim());
                continue;
            }

            bool indented = raw.Length > 0 && char.IsWhiteSpace(raw[0]);
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (indented)
            {
                if (current is null)
                {
                    throw Error(lineNo, "a field outside a node");
                }

                current.Fields.Add(ParseField(words, lineNo, TakeDoc(doc)));
                continue;
            }

            current = null;
            switch (words[0])
            {
                case "enum":
                    {
                        var colon = line.IndexOf(':', StringComparison.Ordinal);
                        if (colon < 0)
                        {
                            throw Error(lineNo, "an enum is `enum Name: A B C`");
                        }

                        var name = line[4..colon].Trim();
                        var members = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                        enums.Add(new EnumDecl(name, members, TakeDoc(doc)));
                        break;
                    }

                case "abstract":
                case "node":
                    current = ParseNode(words, lineNo, TakeDoc(doc));
                    if (nodes.Any(n => n.Name == current.Name))
                    {
                        throw Error(lineNo, $"{current.Name} is declared twice");
                    }

                    nodes.Add(current);
                    break;
                default:
                    throw Error(lineNo, $"unknown declaration '{words[0]}'");
            }
        }

        var schema = new Schema(enums, nodes);
        schema.Validate();
        return schema;
    }

    private static NodeDecl ParseNode(string[] w, int lineNo, string? doc)
    {
        // abstract Name : Base | node Name : Base [= Ast [| Other when Prop]] [nopos]
        if (w.Length < 4 || w[2] != ":")
        {
            throw Error(lineNo, $"expected `{w[0]} Name : Base`");
        }

        bool isAbstract = w[0] == "abstract";
        string ast = w[1];
        string? altAst = null;
        string? altWhen = null;
        bool noPos = false;
        int k = 4;
        if (k < w.Length && w[k] == "=")
        {
            if (isAbstract || k + 1 >= w.Length)
            {
                throw Error(lineNo, "`= AstName` needs a name, on a node");
            }

            ast = w[k + 1];
            k += 2;
            if (k < w.Length && w[k] == "|")
            {
                if (k + 3 >= w.Length || w[k + 2] != "when")
                {
                    throw Error(lineNo, "expected `| OtherAstName when BoolProperty`");
                }

                altAst = w[k + 1];
                altWhen = w[k + 3];
                k += 4;
            }
        }

        if (k < w.Length && w[k] == "nopos")
        {
            noPos = true;
            k++;
        }

        if (k != w.Length)
        {
            throw Error(lineNo, $"unexpected '{w[k]}'");
        }

        return new NodeDecl(w[1], w[3], isAbstract, ast, altAst, altWhen, noPos, doc, []);
    }

    private static FieldDecl ParseField(string[] w, int lineNo, string? doc)
    {
        if (w[0] == "=")
        {
            if (w.Length != 3)
            {
                throw Error(lineNo, "a constant field is `= field json`");
            }

            return new FieldDecl(null, "", false, false, false, w[1], w[2], false, doc);
        }

        bool packed = w.Length == 4 && w[3] == "packed";
        if (w.Length != 3 && !packed)
        {
            throw Error(lineNo, "a field is `Property Type field [packed]` (`-` for no CPython field)");
        }

        string? astName = w[2] == "-" ? null : w[2];
        if (w[1] == "inherited")
        {
            return new FieldDecl(w[0], "", false, false, false, astName, null, true, doc);
        }

        var type = w[1];
        bool isList = type.EndsWith("[]", StringComparison.Ordinal);
        if (isList)
        {
            type = type[..^2];
        }

        bool optional = type.EndsWith('?');
        if (optional)
        {
            type = type[..^1];
        }

        // `T?[]` is a list whose items may be null; `T[]?` is not a thing.
        if (packed && (isList || optional))
        {
            throw Error(lineNo, "a packed field is a bool or a small enum");
        }

        return new FieldDecl(w[0], type, optional && !isList, isList, optional && isList, astName, null, false, doc, packed);
    }

    private void Validate()
    {
        foreach (var n in Nodes)
        {
            if (n.Base != "Node" && Find(n.Base) is not { IsAbstract: true })
            {
                throw new FormatException($"{n.Name}: base {n.Base} is not Node or an abstract node");
            }

            foreach (var f in n.Fields)
            {
                if (f.IsConstant)
                {
                    continue;
                }

                var r = Resolve(n, f);
                if (!Scalars.Contains(r.Type) && !IsNode(r.Type) && !Enums.Any(e => e.Name == r.Type))
                {
                    throw new FormatException($"{n.Name}.{f.Property}: unknown type {r.Type}");
                }

                if (n.IsAbstract && f.AstName is not null)
                {
                    throw new FormatException($"{n.Name}.{f.Property}: an abstract node's field gets its CPython name where a node lists it as inherited");
                }
            }

            if (n.AltWhen is { } when && n.Fields.FirstOrDefault(f => f.Property == when) is not { Type: "bool" })
            {
                throw new FormatException($"{n.Name}: `when {when}` names no bool field");
            }
        }
    }

    private static string? TakeDoc(List<string> doc)
    {
        if (doc.Count == 0)
        {
            return null;
        }

        var text = string.Join(" ", doc);
        doc.Clear();
        return text;
    }

    private static FormatException Error(int line, string message) => new($"Nodes.schema line {line}: {message}");
}

/// <summary>An enum: its members in order.</summary>
public sealed record EnumDecl(string Name, IReadOnlyList<string> Members, string? Doc);

/// <summary>A node class; <see cref="AstName"/> is its CPython class, <see cref="AltAstName"/> the one it is when <see cref="AltWhen"/> holds.</summary>
public sealed record NodeDecl(
    string Name,
    string Base,
    bool IsAbstract,
    string AstName,
    string? AltAstName,
    string? AltWhen,
    bool NoPosition,
    string? Doc,
    List<FieldDecl> Fields);

/// <summary>
/// A field. <see cref="Property"/> is null for a constant CPython field (<see cref="ConstantJson"/>);
/// <see cref="AstName"/> is null for a property CPython does not have.
/// </summary>
public sealed record FieldDecl(
    string? Property,
    string Type,
    bool IsOptional,
    bool IsList,
    bool ItemsOptional,
    string? AstName,
    string? ConstantJson,
    bool Inherited,
    string? Doc,
    bool Packed = false)
{
    public bool IsConstant => Property is null;
}
