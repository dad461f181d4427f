using System.Reflection;
using Microsoft.Extensions.Logging;
using MLIntern.Server.Logging;
using MLIntern.Server.Lsp.Handlers;
using MLIntern.Server.Lsp.Protocol;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using StreamJsonRpc;

namespace MLIntern.Server.Lsp;

/// <summary>
/// The LSP host: StreamJsonRpc over a pair of streams (stdio in production, pipes in tests),
/// header-delimited framing, Newtonsoft.Json. It registers one handler per method, gates them by
/// the lifecycle, and turns every failure into a JSON-RPC error so the process lives on.
/// </summary>
internal sealed class LanguageServer : IClient
{
    private readonly JsonRpc _rpc;
    private readonly ServerState _state;
    private readonly RequestQueue _queue;
    private readonly ILogger _logger;
    private readonly JsonSerializer _serializer;

    public LanguageServer(Stream input, Stream output, LogLevelSwitch logLevel, bool testHooks, TimeSpan? clientRequestTimeout = null)
    {
        var formatter = new JsonMessageFormatter();
        MLIntern.Server.Protocol.ProtocolJson.Configure(formatter.JsonSerializer);
        _serializer = formatter.JsonSerializer;

        _rpc = new JsonRpc(new TolerantMessageHandler(output, input, formatter, () => _logger));
        _rpc.SynchronizationContext = new OrderedSynchronizationContext();

        var loggers = LoggerFactory.Create(b => b
            .SetMinimumLevel(LogLevel.Trace)
            .AddProvider(LogSinks.Stderr(logLevel))
            .AddProvider(LogSinks.Client(logLevel, SendLog)));
        _logger = loggers.CreateLogger("MLIntern.Server");
        _state = new ServerState(logLevel, loggers) { Client = this, TestHooks = testHooks, ClientRequestTimeout = clientRequestTimeout ?? TimeSpan.FromSeconds(60) };

        var store = new DocumentStore();
        _queue = new RequestQueue(store);
        var findings = new FindingsCache(_state, loggers.CreateLogger("MLIntern.Checks"));
        var diagnostics = new DiagnosticsPublisher(_state, store, findings, loggers.CreateLogger("MLIntern.Diagnostics"));

        var trainingLogger = loggers.CreateLogger("MLIntern.Training");
        var runApprovals = new ApprovalBook();
        var publishApprovals = new PublishApprovalBook();
        var watcher = new MetricsWatcher(() => _state.Client, trainingLogger);
        var agentLogger = loggers.CreateLogger("MLIntern.Agent");
        var agent = new Agent.AgentHub(
            new Agent.AgentServices(() => _state.Settings, runApprovals, publishApprovals, agentLogger) { Queue = _queue },
            () => _state.Settings,
            e => _ = _state.Client.NotifyAsync(Methods.AgentEvent, e).ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted),
            agentLogger);
        List<MethodHandler> handlers =
        [
            new InitializeHandler(_state, _logger),
            new InitializedHandler(_state, diagnostics, _logger),
            new ShutdownHandler(_state, _logger),
            new ExitHandler(_state),
            new SetTraceHandler(_logger),
            new DidChangeConfigurationHandler(_state, diagnostics, _logger),
            new DidOpenHandler(diagnostics, _logger),
            new DidChangeHandler(_state, diagnostics, _logger),
            new DidSaveHandler(diagnostics),
            new DidCloseHandler(diagnostics),
            new DidOpenNotebookHandler(diagnostics, _logger),
            new DidChangeNotebookHandler(diagnostics, _logger),
            new DidSaveNotebookHandler(diagnostics),
            new DidCloseNotebookHandler(diagnostics),
            new DocumentDiagnosticHandler(_state, findings, _serializer),
            new CodeActionHandler(_state, findings, _serializer),
            new ExecuteCommandHandler(_state, findings, _serializer, _logger),
            new AskFixHandler(_state, findings, [new Assist.RuleFixProvider(), new Assist.AssistantProvider(() => _state.Settings, loggers.CreateLogger("MLIntern.Assistant"))]),
            new ProfileDatasetHandler(_state, Engine.FileChecks.Datasets, loggers.CreateLogger("MLIntern.Data")),
            .. TrainingHandlers.Create(_state, Engine.FileChecks.Datasets, runApprovals, watcher, trainingLogger),
            .. EvaluationHandlers.Create(loggers.CreateLogger("MLIntern.Evaluation"), publishApprovals),
            .. AgentHandlers.Create(agent),
            new SearchDatasetsHandler(),
            new DatasetInfoHandler(),
            new PlanDatasetDownloadHandler(),
            new DownloadDatasetHandler(_state, loggers.CreateLogger("MLIntern.Hub")),
            new WorkDoneProgressCancelHandler(_state, _logger),
        ];
        if (testHooks)
        {
            handlers.Add(new TestBlockHandler());
            handlers.Add(new TestBlockWriteHandler(_logger));
        }

        agent.Services.Register(handlers);
        Handlers = handlers;
        var invoke = typeof(Endpoint).GetMethod(nameof(Endpoint.InvokeAsync))!;
        foreach (var handler in handlers)
        {
            _rpc.AddLocalRpcMethod(invoke, new Endpoint(this, handler), new JsonRpcMethodAttribute(handler.Method) { UseSingleObjectParameterDeserialization = true });
        }

        _rpc.Disconnected += (_, e) => _logger.LogInformation("connection closed: {Reason} {Description}", e.Reason, e.Description);
    }

    /// <summary>Every method this server answers (what the contract tests compare with Protocol/Contract.cs).</summary>
    internal IReadOnlyList<MethodHandler> Handlers { get; }

    /// <summary>Serves until exit or until the client closes the stream. Returns the process exit code.</summary>
    public async Task<int> RunAsync()
    {
        _rpc.StartListening();
        _logger.LogInformation("mlintern {Version} serving LSP on stdio (pid {Pid})", InitializeHandler.Version, Environment.ProcessId);
        var finished = await Task.WhenAny(_state.Exit, _rpc.Completion.ContinueWith(_ => _state.ShutdownRequested ? 0 : 1, TaskScheduler.Default));
        var code = await finished;
        _queue.Complete();
        _rpc.Dispose();
        return code;
    }

    Task IClient.NotifyAsync(string method, object parameters) => _rpc.NotifyWithParameterObjectAsync(method, parameters);

    /// <summary>
    /// A request to the client. It ends when the answer comes, when <paramref name="cancellationToken"/>
    /// is cancelled (the client's $/cancelRequest of the request that asked) or after
    /// <see cref="ServerState.ClientRequestTimeout"/> with RequestFailed; a late answer is then ignored.
    /// </summary>
    async Task<T> IClient.RequestAsync<T>(string method, object parameters, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_state.ClientRequestTimeout);
        try
        {
            return await _rpc.InvokeWithParameterObjectAsync<T>(method, parameters, deadline.Token).WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && deadline.IsCancellationRequested)
        {
            _logger.LogWarning("the client did not answer {Method} within {Seconds} s", method, _state.ClientRequestTimeout.TotalSeconds);
            throw new ClientRequestTimeoutException($"the client did not answer {method} within {_state.ClientRequestTimeout.TotalSeconds:0.#} s");
        }
    }

    private void SendLog(int type, string message)
    {
        if (_rpc.IsDisposed)
        {
            return;
        }

        _ = _rpc.NotifyWithParameterObjectAsync(Methods.LogMessage, new LogMessageParams { Type = type, Message = message })
            .ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
    }

    /// <summary>The object StreamJsonRpc calls for one method: lifecycle gate, parameter binding, error mapping.</summary>
    private sealed class Endpoint(LanguageServer server, MethodHandler handler)
    {
        public async Task<object?> InvokeAsync(JToken? parameters = null, CancellationToken cancellationToken = default)
        {
            var state = server._state;
            if (!handler.IsLifecycle && !state.Initialized)
            {
                throw new LocalRpcException($"'{handler.Method}' before initialize") { ErrorCode = ErrorCodes.ServerNotInitialized };
            }

            if (state.ShutdownRequested && handler.Method != Methods.Exit)
            {
                throw new LocalRpcException($"'{handler.Method}' after shutdown") { ErrorCode = ErrorCodes.InvalidRequest };
            }

            object? typed;
            try
            {
                typed = parameters is null || parameters.Type == JTokenType.Null
                    ? Activator.CreateInstance(handler.ParamsType)
                    : parameters.ToObject(handler.ParamsType, server._serializer);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // JsonException, or an OverflowException for 2^64 in an int: either way the params do not bind. Newtonsoft's
                // message names our .NET types and quotes the value (which may be a secret): the client and the log get the path.
                var path = e switch { JsonSerializationException s => s.Path, JsonReaderException r => r.Path, _ => null };
                var where = string.IsNullOrEmpty(path) ? "the params do not have the shape it takes" : $"the value at '{path}' has the wrong type or is out of range";
                server._logger.LogWarning("invalid params for {Method}: {Where} ({Kind})", handler.Method, where, e.GetType().Name);
                throw MLIntern.Server.Protocol.ErrorReasons.Error(ErrorCodes.InvalidParams, MLIntern.Server.Protocol.ErrorReasons.InvalidParams, $"invalid params for '{handler.Method}': {where}");
            }

            try
            {
                return await handler.EnqueueAsync(server._queue, typed, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                server._logger.LogDebug("{Method} cancelled", handler.Method);
                throw;
            }
            catch (LocalRpcException)
            {
                throw;
            }
            catch (Exception e)
            {
                server._logger.LogError(e, "{Method} failed", handler.Method);
                throw new LocalRpcException($"'{handler.Method}' failed: {e.Message}") { ErrorCode = ErrorCodes.InternalError };
            }
        }
    }
}

/// <summary>A request to the client that got no answer within <see cref="ServerState.ClientRequestTimeout"/>; the warning is already logged.</summary>
public sealed class ClientRequestTimeoutException : LocalRpcException
{
    public ClientRequestTimeoutException(string message)
        : base(message)
    {
        ErrorCode = ErrorCodes.RequestFailed;
    }
}
