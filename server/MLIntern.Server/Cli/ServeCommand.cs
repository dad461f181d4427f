using System.CommandLine;
using MLIntern.Server.Logging;
using MLIntern.Server.Lsp;

namespace MLIntern.Server.Cli;

internal static class ServeCommand
{
    public static Command Create()
    {
        var logLevel = new Option<string>("--log-level") { Description = "trace, debug, info, warn or error (the editor can change it later)", DefaultValueFactory = _ => "info" };
        var command = new Command("serve", "Run the language server on stdio (used by the VS Code extension and other LSP clients).") { logLevel };
        command.SetAction(parse =>
        {
            var level = new LogLevelSwitch { Minimum = LogLevelSwitch.Parse(parse.GetValue(logLevel)) ?? Microsoft.Extensions.Logging.LogLevel.Information };
            var testHooks = Environment.GetEnvironmentVariable("MLINTERN_TEST_HOOKS") == "1";
            var stdout = Console.OpenStandardOutput();
            // Stdout carries the protocol only: anything that writes to Console.Out by mistake goes to stderr.
            Console.SetOut(Console.Error);
            var clientTimeout = testHooks && int.TryParse(Environment.GetEnvironmentVariable("MLINTERN_TEST_CLIENT_TIMEOUT_MS"), out var ms) && ms > 0
                ? TimeSpan.FromMilliseconds(ms)
                : (TimeSpan?)null;
            var server = new LanguageServer(Console.OpenStandardInput(), stdout, level, testHooks, clientTimeout);
            return server.RunAsync().GetAwaiter().GetResult();
        });
        return command;
    }
}
