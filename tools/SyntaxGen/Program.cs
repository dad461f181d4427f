using MLIntern.SyntaxGen;

// `dotnet run --project tools/SyntaxGen [repo-root]`: reads server/MLIntern.Python/Syntax/Nodes.schema and
// writes the generated files beside it. The root defaults to the first folder upward holding MLIntern.sln.
var root = args.Length > 0 ? args[0] : FindRoot(Directory.GetCurrentDirectory());
if (root is null)
{
    Console.Error.WriteLine("syntaxgen: no MLIntern.sln here or above; pass the repository root");
    return 2;
}

var folder = Path.Combine(root, Generator.SyntaxFolder);
try
{
    foreach (var (name, text) in Generator.Generate(File.ReadAllText(Path.Combine(folder, Generator.SchemaFile))))
    {
        var path = Path.Combine(folder, name);
        bool same = File.Exists(path) && File.ReadAllText(path) == text;
        if (!same)
        {
            File.WriteAllText(path, text);
        }

        Console.WriteLine($"{(same ? "unchanged" : "wrote")} {Path.Combine(Generator.SyntaxFolder, name)}");
    }
}
catch (FormatException e)
{
    Console.Error.WriteLine($"syntaxgen: {e.Message}");
    return 1;
}

return 0;

static string? FindRoot(string dir)
{
    for (var d = new DirectoryInfo(dir); d is not null; d = d.Parent)
    {
        if (File.Exists(Path.Combine(d.FullName, "MLIntern.sln")))
        {
            return d.FullName;
        }
    }

    return null;
}
