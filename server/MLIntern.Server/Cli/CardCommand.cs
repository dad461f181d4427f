using System.CommandLine;
using MLIntern.Server.Evaluate;
using MLIntern.Server.Release;

namespace MLIntern.Server.Cli;

/// <summary>
/// `mlintern card RUN [--license ID] [--language CODE]... [--dataset-id ID] [--author NAME]`: writes
/// the model card README.md into the run's model folder, prints the validator's problems and the
/// unfilled fields on stderr and the card's path as the last line. Exit 0 when the card is
/// complete and valid, 1 when fields are unfilled or invalid (the card is still written), 2 on error.
/// </summary>
internal static class CardCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("RUN") { Description = "A run folder, or a run id under .mlintern/runs/" };
        var license = new Option<string?>("--license") { Description = "The license (a Hub identifier such as apache-2.0 or mit)" };
        var language = new Option<string[]>("--language") { Description = "A language code of the texts (ISO 639-1, e.g. en); repeatable", AllowMultipleArgumentsPerToken = true };
        var dataset = new Option<string?>("--dataset-id") { Description = "The data set's Hub id (user/name), when it is on the Hub" };
        var author = new Option<string?>("--author") { Description = "Who developed the model (default: the current user)" };
        var name = new Option<string?>("--model-name") { Description = "The model's name in model-index (default: data set, kind and run id)" };
        var workspace = new Option<string?>("--workspace") { Description = "The workspace folder holding .mlintern/ (default: the current folder and its parents)" };
        var command = new Command("card", "Write the Hugging Face model card (README.md) for a run into its model folder.") { run, license, language, dataset, author, name, workspace };
        command.SetAction((parse, cancellationToken) => Task.FromResult(Run(
            parse.GetValue(run)!,
            parse.GetValue(workspace),
            new CardOptions(parse.GetValue(license), parse.GetValue(language) is { Length: > 0 } l ? l : null, parse.GetValue(dataset), parse.GetValue(author) ?? Environment.UserName, parse.GetValue(name)),
            Console.Out,
            Console.Error,
            cancellationToken)));
        return command;
    }

    public static int Run(string run, string? workspace, CardOptions options, TextWriter output, TextWriter errors, CancellationToken cancellationToken = default)
    {
        CardResult result;
        try
        {
            result = CardWriter.Write(RunContext.Resolve(run, workspace), options, cancellationToken);
        }
        catch (Exception e) when (e is RunNotFoundException or PredictionsException or IOException or UnauthorizedAccessException)
        {
            errors.WriteLine($"error: {e.Message}");
            return Commands.Failure;
        }

        foreach (var problem in result.Problems)
        {
            errors.WriteLine($"{problem.Severity}: {result.Path}: {problem.Field}: {problem.Message}");
        }

        if (result.Unfilled.Count > 0)
        {
            errors.WriteLine($"unfilled: {string.Join(", ", result.Unfilled)} — pass --license, --language, --dataset-id, --author or edit the card before publishing");
        }

        output.WriteLine(result.Path);
        return result.Problems.Any(p => p.Severity == Training.Release.CardProblem.Error) ? Commands.Findings : Commands.Clean;
    }
}
