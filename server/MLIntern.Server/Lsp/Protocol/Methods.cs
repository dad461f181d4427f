namespace MLIntern.Server.Lsp.Protocol;

/// <summary>Every JSON-RPC method name the server handles or sends: the one table of them.</summary>
internal static class Methods
{
    public const string Initialize = "initialize";
    public const string Initialized = "initialized";
    public const string Shutdown = "shutdown";
    public const string Exit = "exit";
    public const string SetTrace = "$/setTrace";
    public const string DidOpen = "textDocument/didOpen";
    public const string DidChange = "textDocument/didChange";
    public const string DidSave = "textDocument/didSave";
    public const string DidClose = "textDocument/didClose";
    public const string DidOpenNotebook = "notebookDocument/didOpen";
    public const string DidChangeNotebook = "notebookDocument/didChange";
    public const string DidSaveNotebook = "notebookDocument/didSave";
    public const string DidCloseNotebook = "notebookDocument/didClose";
    public const string CodeAction = "textDocument/codeAction";
    public const string PublishDiagnostics = "textDocument/publishDiagnostics";
    public const string DocumentDiagnostic = "textDocument/diagnostic";
    public const string DiagnosticRefresh = "workspace/diagnostic/refresh";
    public const string ExecuteCommand = "workspace/executeCommand";
    public const string DidChangeConfiguration = "workspace/didChangeConfiguration";
    public const string ApplyEdit = "workspace/applyEdit";
    public const string WorkspaceConfiguration = "workspace/configuration";
    public const string LogMessage = "window/logMessage";
    public const string ShowMessage = "window/showMessage";
    public const string WorkDoneProgressCreate = "window/workDoneProgress/create";
    public const string WorkDoneProgressCancel = "window/workDoneProgress/cancel";
    public const string Progress = "$/progress";

    /// <summary>The profile of the data set a file belongs to (see ProfileDatasetHandler).</summary>
    public const string ProfileDataset = "mlintern/profileDataset";

    /// <summary>Fix proposals for a cursor or selection, shown as a diff before anything is applied (see AskFixHandler).</summary>
    public const string AskFix = "mlintern/askFix";

    /// <summary>Training: plan, approve, start, exit, list, get (see TrainingHandlers) and the metrics notification (see MetricsWatcher).</summary>
    public const string GenerateScript = "mlintern/generateScript", PlanTraining = "mlintern/planTraining", ApproveRun = "mlintern/approveRun", StartRun = "mlintern/startRun", RunExited = "mlintern/runExited", CancelRun = "mlintern/cancelRun", ListRuns = "mlintern/listRuns", GetRun = "mlintern/getRun", Metrics = "mlintern/metrics";

    /// <summary>Data set research on the Hugging Face Hub (see SearchDatasetsHandler, DatasetInfoHandler, PlanDatasetDownloadHandler, DownloadDatasetHandler).</summary>
    public const string SearchDatasets = "mlintern/searchDatasets", DatasetInfo = "mlintern/datasetInfo", PlanDatasetDownload = "mlintern/planDatasetDownload", DownloadDataset = "mlintern/downloadDataset";

    /// <summary>Evaluation, model card, demo, repo-id check and publishing (one handler each: EvaluateRunHandler, …; see EvaluationHandlers).</summary>
    public const string EvaluateRun = "mlintern/evaluateRun", CreateCard = "mlintern/createCard", CreateDemo = "mlintern/createDemo", CheckRepoId = "mlintern/checkRepoId", PreflightPublish = "mlintern/preflightPublish", ApprovePublish = "mlintern/approvePublish", StartPublish = "mlintern/startPublish", PublishExited = "mlintern/publishExited";

    /// <summary>The intern's conversations (see AgentHandlers) and the agentEvent notification (see Agent/AgentHub).</summary>
    public const string AgentStart = "mlintern/agentStart", AgentRespond = "mlintern/agentRespond", AgentStep = "mlintern/agentStep", AgentCancel = "mlintern/agentCancel", AgentSessions = "mlintern/agentSessions", AgentSession = "mlintern/agentSession", AgentEvent = "mlintern/agentEvent";

    /// <summary>Blocks until cancelled; registered only when MLINTERN_TEST_HOOKS=1, for the cancellation test.</summary>
    public const string TestBlock = "mlintern/_test/block";

    /// <summary>A write that holds the queue until cancelled (logs "test write holds the queue" when it starts); MLINTERN_TEST_HOOKS=1 only, for the ordering tests.</summary>
    public const string TestBlockWrite = "mlintern/_test/blockWrite";
}

/// <summary>Commands for workspace/executeCommand. Prefixed "server" so they never collide with the extension's own.</summary>
internal static class ServerCommands
{
    /// <summary>Applies every safe fix in one document through workspace/applyEdit. Argument: the document URI.</summary>
    public const string FixAll = "mlintern.server.fixAll";

    /// <summary>
    /// Applies one quick fix through workspace/applyEdit. Argument: the fix's workspace edit. A client
    /// without codeActionLiteralSupport gets its quick fixes as this command (LSP: Command[]).
    /// </summary>
    public const string ApplyFix = "mlintern.server.applyFix";

    public static readonly string[] All = [FixAll, ApplyFix];
}

internal static class CodeActionKinds
{
    public const string QuickFix = "quickfix";
    public const string Source = "source";
    public const string SourceFixAll = "source.fixAll";
    public const string SourceFixAllMLIntern = "source.fixAll.mlintern";
}

/// <summary>JSON-RPC and LSP error codes the server answers with.</summary>
internal static class ErrorCodes
{
    public const int ParseError = -32700;
    public const int InternalError = -32603;
    /// <summary>LSP 3.17: the request was valid but failed (here: the client never answered our request).</summary>
    public const int RequestFailed = -32803;
    public const int InvalidParams = -32602;
    public const int InvalidRequest = -32600;
    public const int ServerNotInitialized = -32002;
    public const int RequestCancelled = -32800;
    public const int ContentModified = -32801;
    public const int ApprovalRefused = -32010;
}
