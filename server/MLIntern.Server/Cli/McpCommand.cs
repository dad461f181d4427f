using System.CommandLine;
using MLIntern.Server.Logging;
using MLIntern.Server.Mcp;
using Microsoft.Extensions.Logging;

namespace MLIntern.Server.Cli;

/// <summary>`mlintern mcp [--workspace DIR]`: the MCP server on stdio (Copilot agent mode, other MCP clients).</summary>
internal static class McpCommand
{
    public static Command Create()
    {
        var workspace = new Option<string?>("--workspace") { Description = "The folder the tools read (default: the current folder); paths outside it are refused" };
        var logLevel = new Option<string>("--log-level") { Description = "trace, debug, info, warn or error (logs go to stderr)", DefaultValueFactory = _ => "info" };
        var command = new Command("mcp", "Run ML Intern's read-only tools as an MCP server on stdio (check, inspect, estimate a plan, evaluate a run, explain a rule).") { workspace, logLevel };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var folder = parse.GetValue(workspace) ?? Directory.GetCurrentDirectory();
            if (!Directory.Exists(folder))
            {
                Console.Error.WriteLine($"error: {folder}: no such folder");
                return Commands.Failure;
            }

            var root = new WorkspaceRoot(folder);

            // Paths in answers are shown relative to the current folder (as the CLI shows them): make it the workspace.
            Directory.SetCurrentDirectory(root.Folder);

            // Stdout carries MCP frames only (the SDK writes them to the standard output stream itself):
            // anything that writes to Console.Out by mistake goes to stderr.
            Console.SetOut(Console.Error);
            var level = new LogLevelSwitch { Minimum = LogLevelSwitch.Parse(parse.GetValue(logLevel)) ?? LogLevel.Information };
            // The SDK logs every request at info: its lines show at debug and below, its warnings always.
            using var loggers = LoggerFactory.Create(builder => builder
                .SetMinimumLevel(LogLevel.Trace)
                .AddFilter((category, logLevel) => category?.StartsWith("ModelContextProtocol", StringComparison.Ordinal) != true || logLevel >= LogLevel.Warning || level.Minimum <= LogLevel.Debug)
                .AddProvider(LogSinks.Stderr(level)));
            return await new McpServerHost(root, loggers).RunAsync(cancellationToken);
        });
        return command;
    }
}
