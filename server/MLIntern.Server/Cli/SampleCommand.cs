using System.CommandLine;
using MLIntern.Server.Samples;

namespace MLIntern.Server.Cli;

internal static class SampleCommand
{
    public static Command Create()
    {
        var directory = new Argument<string>("DIR") { Description = "Folder to write the sample project into (created; must be empty unless --force)" };
        var force = new Option<bool>("--force") { Description = "Overwrite the sample's files in a folder that is not empty" };
        var seed = new Option<int>("--seed") { Description = "Seed of the generated data set", DefaultValueFactory = _ => 7 };
        var command = new Command("sample", "Write a sample support-ticket classification project (data set + training script with bugs).") { directory, force, seed };
        command.SetAction(parse => Run(parse.GetValue(directory)!, parse.GetValue(force), parse.GetValue(seed), Console.Out, Console.Error));
        return command;
    }

    public static int Run(string directory, bool force, int seed, TextWriter output, TextWriter errors)
    {
        try
        {
            if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any() && !force)
            {
                errors.WriteLine($"error: {directory} is not empty; nothing was written (use --force to overwrite the sample's files)");
                return Commands.Failure;
            }

            var project = SupportTickets.Generate(seed);
            foreach (var (relative, content) in project.Files)
            {
                var path = Path.Combine(directory, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                State.AtomicFile.WriteAllText(path, content);
            }

            output.WriteLine($"Wrote the sample project to {directory}: {string.Join(", ", project.Files.Keys.Order(StringComparer.Ordinal))}");
            return Commands.Clean;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.WriteLine($"error: {directory}: {e.Message}");
            return Commands.Failure;
        }
    }
}
