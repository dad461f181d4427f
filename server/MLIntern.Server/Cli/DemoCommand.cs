using System.CommandLine;
using MLIntern.Server.Evaluate;
using MLIntern.Server.Release;

namespace MLIntern.Server.Cli;

/// <summary>
/// `mlintern demo RUN [--model-id ID] [--license ID]`: writes a Gradio Space into `&lt;run&gt;/space/`
/// and prints its folder. `mlintern demo RUN --serve [--port N]`: serves the built-in baseline's
/// model on http://127.0.0.1:N/ until Ctrl+C.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("RUN") { Description = "A run folder, or a run id under .mlintern/runs/" };
        var modelId = new Option<string?>("--model-id") { Description = "The model's Hub id (user/name) the Space loads" };
        var license = new Option<string?>("--license") { Description = "The Space's license (a Hub identifier)" };
        var sdkVersion = new Option<string?>("--sdk-version") { Description = $"The Gradio version the Space runs (default {Training.Release.GradioSpace.DefaultSdkVersion})" };
        var serve = new Option<bool>("--serve") { Description = "Serve the built-in baseline model locally instead (a page and a JSON endpoint on 127.0.0.1)" };
        var port = new Option<int>("--port") { Description = "The port for --serve (default 7860; 0 picks a free one)", DefaultValueFactory = _ => 7860 };
        var workspace = new Option<string?>("--workspace") { Description = "The workspace folder holding .mlintern/ (default: the current folder and its parents)" };
        var command = new Command("demo", "Write a Gradio Space for a run, or serve the built-in baseline's model locally (--serve).") { run, modelId, license, sdkVersion, serve, port, workspace };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(serve))
            {
                return await ServeAsync(parse.GetValue(run)!, parse.GetValue(workspace), parse.GetValue(port), Console.Out, Console.Error, cancellationToken);
            }

            return Write(parse.GetValue(run)!, parse.GetValue(workspace), parse.GetValue(modelId), parse.GetValue(license), parse.GetValue(sdkVersion), Console.Out, Console.Error);
        });
        return command;
    }

    public static int Write(string run, string? workspace, string? modelId, string? license, string? sdkVersion, TextWriter output, TextWriter errors)
    {
        SpaceResult result;
        try
        {
            result = SpaceWriter.Write(RunContext.Resolve(run, workspace), modelId, license, sdkVersion);
        }
        catch (Exception e) when (e is RunNotFoundException or PredictionsException or IOException or UnauthorizedAccessException)
        {
            errors.WriteLine($"error: {e.Message}");
            return Commands.Failure;
        }

        if (result.Unfilled.Count > 0)
        {
            errors.WriteLine($"unfilled: {string.Join(", ", result.Unfilled)} — pass --model-id and --license before publishing the Space");
        }

        output.WriteLine(result.Folder);
        return Commands.Clean;
    }

    public static async Task<int> ServeAsync(string run, string? workspace, int port, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        RunContext context;
        DemoModel model;
        try
        {
            context = RunContext.Resolve(run, workspace);
            var path = Path.Combine(context.Folder, "model.bin");
            if (!File.Exists(path))
            {
                errors.WriteLine($"error: {path}: not found — --serve serves the built-in baseline's model; for a transformers model, write the Gradio Space (mlintern demo RUN) and run its app.py");
                return Commands.Failure;
            }

            await using var stream = File.OpenRead(path);
            model = DemoModel.Load(stream);
        }
        catch (Exception e) when (e is RunNotFoundException or IOException or UnauthorizedAccessException or InvalidDataException)
        {
            errors.WriteLine($"error: {e.Message}");
            return Commands.Failure;
        }

        using var owned = model;
        DemoServer server;
        try
        {
            server = await DemoServer.StartAsync(model, $"Run {context.Id ?? context.Folder}", port, cancellationToken);
        }
        catch (IOException e)
        {
            errors.WriteLine($"error: cannot listen on 127.0.0.1:{port}: {e.Message}");
            return Commands.Failure;
        }

        await using (server)
        {
            output.WriteLine($"serving the {model.Kind} model of {context.Id ?? context.Folder} on {server.Address} (Ctrl+C to stop)");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return Commands.Clean;
    }
}
