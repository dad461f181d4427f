using System.CommandLine;
using MLIntern.Python.Syntax;

namespace MLIntern.Server.Cli;

/// <summary>
/// `mlintern debug ast FILE`: our syntax tree as JSON, in the format of
/// tools/cpython_ast_json.py, so the two can be compared on any file.
/// </summary>
internal static class DebugAstCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "The Python file to parse" };
        var command = new Command("ast", "Print the file's syntax tree as JSON (the format of tools/cpython_ast_json.py).") { file };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"mlintern: {path}: {e.Message}");
                return Commands.Failure;
            }

            var json = AstJson.FromBytes(bytes);
            Console.Out.WriteLine(json);
            return json.StartsWith("{\"error\":", StringComparison.Ordinal) ? Commands.Findings : Commands.Clean;
        });
        return command;
    }
}
