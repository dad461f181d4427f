using System.Reflection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace MLIntern.Server.Mcp;

/// <summary>
/// `mlintern mcp`: ML Intern's read-only tools (<see cref="McpTools"/>) over the Model Context Protocol on
/// stdio, through the SDK's low-level server: the tool list and the calls are answered here, so every
/// argument is checked against the one parameter table before a tool runs.
/// </summary>
/// <remarks>
/// A tool that cannot answer (a bad argument, a path outside the workspace, an unknown rule, a file that
/// cannot be read) gives a tool result with <c>isError</c> and a message for the model; only a call to a tool
/// that does not exist is a JSON-RPC error. No call ends the process, and no error carries a stack or a .NET type.
/// </remarks>
internal sealed class McpServerHost(WorkspaceRoot workspace, ILoggerFactory loggers)
{
    private readonly ILogger _log = loggers.CreateLogger("Mcp");

    public static string Version { get; } =
        typeof(McpServerHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public McpServerOptions Options() => new()
    {
        ServerInfo = new Implementation { Name = "mlintern", Title = "ML Intern", Version = Version },
        ServerInstructions =
            "ML Intern's analyzers for ML training code and data, read-only. check_script finds the bugs that make training fail or lie " +
            "(data leakage, wrong metrics, evaluation on training data, label mistakes) in scripts, notebooks and data files; " +
            "inspect_dataset profiles a data set; estimate_plan gives a training run's compute and cost without starting it; " +
            "evaluate_run reports on a finished run; explain_rule gives a rule's page. Paths are relative to the workspace " + workspace.Folder + ".",
        Capabilities = new ServerCapabilities { Tools = new ToolsCapability { ListChanged = false } },
        Handlers = new McpServerHandlers
        {
            ListToolsHandler = (_, _) => ValueTask.FromResult(new ListToolsResult { Tools = [.. McpTools.All.Select(Describe)] }),
            CallToolHandler = (request, cancellationToken) => new ValueTask<CallToolResult>(CallAsync(request.Params, cancellationToken)),
        },
    };

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        await using var transport = new StdioServerTransport("mlintern", loggers);
        await using var server = McpServer.Create(transport, Options(), loggers);
        _log.LogInformation("mlintern mcp {Version} serving {Workspace}", Version, workspace.Folder);
        try
        {
            await server.RunAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        return 0;
    }

    private static Tool Describe(McpTool tool) => new()
    {
        Name = tool.Name,
        Title = tool.Title,
        Description = tool.Description,
        InputSchema = ToolParameter.Schema(tool.Parameters),
        Annotations = new ToolAnnotations { Title = tool.Title, ReadOnlyHint = true, DestructiveHint = false, IdempotentHint = true, OpenWorldHint = false },
    };

    internal async Task<CallToolResult> CallAsync(CallToolRequestParams? request, CancellationToken cancellationToken)
    {
        if (request is null || McpTools.Find(request.Name) is not { } tool)
        {
            var name = request?.Name ?? "";
            throw new McpProtocolException($"unknown tool '{(name.Length <= 64 ? name : name[..64] + "…")}' (tools: {string.Join(", ", McpTools.All.Select(t => t.Name))})", McpErrorCode.InvalidParams);
        }

        try
        {
            var arguments = new ToolArguments(tool.Parameters, request.Arguments, workspace);

            // The engine is synchronous and CPU-bound: off the transport's loop, so other calls and cancellations are read.
            var answer = await Task.Run(() => tool.Run(new ToolCall(arguments, workspace, _log, cancellationToken)), cancellationToken);
            return Result(Protocol.ProtocolJson.Write(answer), error: false);
        }
        catch (ToolError e)
        {
            _log.LogInformation("{Tool}: refused: {Message}", tool.Name, Secrets.Redact(e.Message));
            return Result(e.Message, error: true);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.LogWarning("{Tool}: {Message}", tool.Name, Secrets.Redact(e.Message));
            return Result($"{tool.Name}: cannot read: {e.Message}", error: true);
        }
        catch (Exception e)
        {
            // A bug: the client learns which tool failed, the log gets the rest.
            _log.LogError("{Tool} failed: {Error}", tool.Name, Secrets.Redact(e.ToString()));
            return Result($"{tool.Name} failed inside ML Intern; the server's log (stderr) has the details", error: true);
        }
    }

    /// <summary>Every answer and every message is redacted once more on its way out.</summary>
    private static CallToolResult Result(string text, bool error) => new()
    {
        Content = [new TextContentBlock { Text = Secrets.Redact(text) }],
        IsError = error,
    };
}
