using System.Reflection;
using Microsoft.Extensions.Logging;
using MLIntern.Server.Lsp.Protocol;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Lsp.Handlers;

internal sealed class InitializeHandler(ServerState state, ILogger logger) : ChangeHandler<InitializeParams, InitializeResult>
{
    public override string Method => Methods.Initialize;

    public override bool IsLifecycle => true;

    public static string Version =>
        typeof(InitializeHandler).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    protected override Task<InitializeResult> HandleAsync(InitializeParams parameters, DocumentStore documents, CancellationToken cancellationToken)
    {
        if (state.Initialized)
        {
            throw new StreamJsonRpc.LocalRpcException("initialize was already received") { ErrorCode = ErrorCodes.InvalidRequest };
        }

        state.ClientCapabilities = parameters.Capabilities ?? [];
        state.ClientSupportsDocumentChanges =
            state.ClientCapabilities.SelectToken("workspace.workspaceEdit.documentChanges") is JValue { Value: true };
        state.ApplySettings(parameters.InitializationOptions);
        state.Initialized = true;
        logger.LogInformation(
            "initialize from {Client} {ClientVersion} (pid {Pid}); log level {Level}",
            parameters.ClientInfo?.Name ?? "unknown client",
            parameters.ClientInfo?.Version ?? "",
            parameters.ProcessId,
            state.LogLevel.Minimum);

        return Task.FromResult(new InitializeResult
        {
            ServerInfo = new ServerInfo { Name = "mlintern", Version = Version },
            Capabilities = new ServerCapabilities
            {
                PositionEncoding = "utf-16",
                TextDocumentSync = new TextDocumentSyncOptions { OpenClose = true, Change = 2, Save = new SaveOptions { IncludeText = false } },
                CodeActionProvider = new CodeActionOptions
                {
                    CodeActionKinds = [CodeActionKinds.QuickFix, CodeActionKinds.SourceFixAllMLIntern],
                },
                ExecuteCommandProvider = new ExecuteCommandOptions { Commands = ServerCommands.All },

                // Jupyter notebooks' Python cells arrive as notebookDocument/*, checked as one program.
                NotebookDocumentSync = new NotebookDocumentSyncOptions
                {
                    NotebookSelector = [new NotebookSelector { Notebook = new NotebookDocumentFilter { NotebookType = "jupyter-notebook" }, Cells = [new NotebookCellLanguage { Language = "python" }] }],
                    Save = true,
                },
            },
        });
    }
}

internal sealed class InitializedHandler(ILogger logger) : ChangeHandler<NoParams, object?>
{
    public override string Method => Methods.Initialized;

    protected override Task<object?> HandleAsync(NoParams parameters, DocumentStore documents, CancellationToken cancellationToken)
    {
        logger.LogDebug("client initialized");
        return Task.FromResult<object?>(null);
    }
}

internal sealed class ShutdownHandler(ServerState state, ILogger logger) : ChangeHandler<NoParams, object?>
{
    public override string Method => Methods.Shutdown;

    public override bool IsLifecycle => true;

    protected override Task<object?> HandleAsync(NoParams parameters, DocumentStore documents, CancellationToken cancellationToken)
    {
        state.ShutdownRequested = true;
        logger.LogInformation("shutdown requested");
        return Task.FromResult<object?>(null);
    }
}

/// <summary>exit: 0 after a shutdown request, 1 without one, as LSP specifies.</summary>
internal sealed class ExitHandler(ServerState state) : ChangeHandler<NoParams, object?>
{
    public override string Method => Methods.Exit;

    public override bool IsLifecycle => true;

    protected override Task<object?> HandleAsync(NoParams parameters, DocumentStore documents, CancellationToken cancellationToken)
    {
        state.RequestExit(state.ShutdownRequested ? 0 : 1);
        return Task.FromResult<object?>(null);
    }
}

internal sealed class SetTraceHandler(ILogger logger) : ChangeHandler<SetTraceParams, object?>
{
    public override string Method => Methods.SetTrace;

    protected override Task<object?> HandleAsync(SetTraceParams parameters, DocumentStore documents, CancellationToken cancellationToken)
    {
        logger.LogDebug("trace set to {Value}", parameters.Value);
        return Task.FromResult<object?>(null);
    }
}

/// <summary>New settings may change which rules apply and how loudly: every open document is checked again.</summary>
internal sealed class DidChangeConfigurationHandler(ServerState state, DiagnosticsPublisher diagnostics, ILogger logger) : ChangeHandler<DidChangeConfigurationParams, object?>
{
    public override string Method => Methods.DidChangeConfiguration;

    protected override Task<object?> HandleAsync(DidChangeConfigurationParams parameters, DocumentStore documents, CancellationToken cancellationToken)
    {
        state.ApplySettings(parameters.Settings);
        logger.LogInformation("settings changed; log level {Level}", state.LogLevel.Minimum);
        foreach (var document in documents.Current.Values)
        {
            // A new instance: the findings cache is keyed by instance, and the rules may differ now.
            var again = document with { };
            documents.Set(again);
            diagnostics.Schedule(again);
        }

        return Task.FromResult<object?>(null);
    }
}

/// <summary>Waits until cancelled (at most a minute). Registered only with MLINTERN_TEST_HOOKS=1, so tests can cancel a request that is surely still running.</summary>
internal sealed class TestBlockHandler : ReadHandler<NoParams, string>
{
    public override string Method => Methods.TestBlock;

    protected override async Task<string> HandleAsync(NoParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromMinutes(1), cancellationToken);
        return "not cancelled";
    }
}

/// <summary>
/// A write that holds the queue until cancelled (at most a minute), logging when it starts.
/// Registered only with MLINTERN_TEST_HOOKS=1, so tests can see what waits behind a write.
/// </summary>
internal sealed class TestBlockWriteHandler(ILogger logger) : WriteHandler<NoParams, string>
{
    public override string Method => Methods.TestBlockWrite;

    protected override async Task<string> HandleAsync(NoParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        logger.LogInformation("test write holds the queue");
        try
        {
            await Task.Delay(TimeSpan.FromMinutes(1), cancellationToken);
        }
        finally
        {
            logger.LogInformation("test write releases the queue");
        }

        return "not cancelled";
    }
}
