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
        state.PositionEncoding = PositionEncodings.Negotiate(state.ClientCapabilities);
        state.ApplySettings(parameters.InitializationOptions);
        state.Initialized = true;
        logger.LogInformation(
            "initialize from {Client} {ClientVersion} (pid {Pid}); log level {Level}; positions in {Encoding}",
            parameters.ClientInfo?.Name ?? "unknown client",
            parameters.ClientInfo?.Version ?? "",
            parameters.ProcessId,
            state.LogLevel.Minimum,
            state.PositionEncoding.Name());

        return Task.FromResult(new InitializeResult
        {
            ServerInfo = new ServerInfo { Name = "mlintern", Version = Version },
            Capabilities = new ServerCapabilities
            {
                PositionEncoding = state.PositionEncoding.Name(),
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

                // Pull diagnostics only for a client that asks for them; every other client gets publishDiagnostics.
                DiagnosticProvider = state.ClientPullsDiagnostics
                    ? new DiagnosticOptions { Identifier = Convert.Source, InterFileDependencies = true, WorkspaceDiagnostics = false }
                    : null,
            },
        });
    }
}

/// <summary>
/// initialized: a client that sent no settings at initialize but answers workspace/configuration
/// (eglot, neovim, Helix) is asked for the "mlintern" section now.
/// </summary>
internal sealed class InitializedHandler(ServerState state, DiagnosticsPublisher diagnostics, ILogger logger) : ChangeHandler<NoParams, object?>
{
    public override string Method => Methods.Initialized;

    protected override async Task<object?> HandleAsync(NoParams parameters, DocumentStore documents, CancellationToken cancellationToken)
    {
        logger.LogDebug("client initialized");
        if (state.Settings is null && await SettingsPull.PullAsync(state, logger, cancellationToken))
        {
            SettingsPull.CheckAgain(documents, diagnostics);
        }

        return null;
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

/// <summary>
/// New settings may change which rules apply and how loudly: every open document is checked again.
/// The settings come in the notification ({settings: {mlintern: {...}}}, as VS Code sends them) or,
/// when it carries no "mlintern" object (null, {}: eglot, neovim, Helix) and the client answers
/// workspace/configuration, from a pull of the "mlintern" section.
/// </summary>
internal sealed class DidChangeConfigurationHandler(ServerState state, DiagnosticsPublisher diagnostics, ILogger logger) : ChangeHandler<DidChangeConfigurationParams, object?>
{
    public override string Method => Methods.DidChangeConfiguration;

    protected override async Task<object?> HandleAsync(DidChangeConfigurationParams parameters, DocumentStore documents, CancellationToken cancellationToken)
    {
        if (parameters.Settings is JObject pushed && pushed["mlintern"] is JObject)
        {
            state.ApplySettings(pushed);
        }
        else if (!await SettingsPull.PullAsync(state, logger, cancellationToken))
        {
            state.ApplySettings(parameters.Settings);
        }

        logger.LogInformation("settings changed; log level {Level}", state.LogLevel.Minimum);
        SettingsPull.CheckAgain(documents, diagnostics);
        return null;
    }
}

/// <summary>The server-side pull of the "mlintern" settings section (workspace/configuration).</summary>
internal static class SettingsPull
{
    /// <summary>How long a pull waits for the client; it runs in the ordered queue, so it must not wait long.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Asks the client for the "mlintern" section and applies the answer. False when the client does
    /// not take workspace/configuration, gave no object, or did not answer in time (logged once; after
    /// that the server stops asking and uses what is pushed).
    /// </summary>
    public static async Task<bool> PullAsync(ServerState state, ILogger logger, CancellationToken cancellationToken)
    {
        if (!state.ClientSupportsConfiguration || state.ConfigurationPullFailed)
        {
            return false;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var wait = state.ClientRequestTimeout < Timeout ? state.ClientRequestTimeout : Timeout;
        if (Timeout < state.ClientRequestTimeout)
        {
            deadline.CancelAfter(Timeout); // else the request's own timeout ends it, and logs it once
        }
        try
        {
            var answer = await state.Client.RequestAsync<JToken?>(
                Methods.WorkspaceConfiguration,
                new ConfigurationParams { Items = [new ConfigurationItem { Section = "mlintern" }] },
                deadline.Token).WaitAsync(deadline.Token).ConfigureAwait(false);
            if (answer is JArray { Count: > 0 } items && items[0] is JObject section)
            {
                state.ApplySettings(new JObject { ["mlintern"] = section });
                logger.LogDebug("settings pulled through workspace/configuration");
                return true;
            }

            logger.LogDebug("workspace/configuration answered no \"mlintern\" object; settings unchanged");
            return false;
        }
        catch (Exception e) when (e is OperationCanceledException or StreamJsonRpc.RemoteInvocationException or StreamJsonRpc.LocalRpcException or StreamJsonRpc.ConnectionLostException)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            if (!state.MarkConfigurationPullFailed())
            {
                return false; // another pull in flight timed out too and said so
            }

            if (e is ClientRequestTimeoutException)
            {
                // The request's own timeout already logged the warning.
                logger.LogInformation("settings come from didChangeConfiguration and initializationOptions from now on");
                return false;
            }

            logger.LogWarning("the client did not answer workspace/configuration ({Reason}); settings come from didChangeConfiguration and initializationOptions from now on", e is OperationCanceledException ? $"no answer within {wait.TotalSeconds:0.#} s" : e.Message);
            return false;
        }
    }

    /// <summary>Every open document checked again: a new instance, since the findings cache is keyed by instance and the rules may differ now.</summary>
    public static void CheckAgain(DocumentStore documents, DiagnosticsPublisher diagnostics)
    {
        foreach (var document in documents.Current.Values)
        {
            var again = document with { };
            documents.Set(again);
            diagnostics.Schedule(again);
        }
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
