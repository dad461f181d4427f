using System.CommandLine;

namespace MLIntern.Server.Cli;

/// <summary>
/// The `mlintern` command line. Exit codes follow Ruff: 0 nothing found, 1 findings, 2 usage or IO error.
/// </summary>
internal static class Commands
{
    public const int Clean = 0;
    public const int Findings = 1;
    public const int Failure = 2;

    public static int Run(string[] args)
    {
        var root = new RootCommand("ML Intern: finds the bugs that make training fail or lie, in training scripts and their data sets.")
        {
            CheckCommand.Create(),
            InspectCommand.Create(),
            ServeCommand.Create(),
            McpCommand.Create(),
            SampleCommand.Create(),
            PlanCommand.Create(), TrainCommand.Create(), RunsCommand.Create(), GenerateCommand.Create(),
            EvaluateCommand.Create(), CardCommand.Create(), DemoCommand.Create(), PublishCommand.Create(),
            DatasetsCommand.Create(),
            AgentCommand.Create(),
            DebugCommand.Create(),
        };

        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
            {
                Console.Error.WriteLine($"error: {error.Message}");
            }

            Console.Error.WriteLine("Run 'mlintern --help' for usage.");
            return Failure;
        }

        try
        {
            return result.Invoke();
        }
        catch (Exception e)
        {
            // Last line of defence: a bug must still end with a message and the documented exit code.
            Console.Error.WriteLine($"mlintern: internal error: {e}");
            return Failure;
        }
    }
}
