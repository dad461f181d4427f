using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Lsp.Protocol;

// The subset of LSP 3.17 the server speaks. Property names are camel-cased by the serializer;
// null members are omitted.

internal sealed class Position
{
    public int Line { get; set; }

    public int Character { get; set; }
}

internal sealed class Range
{
    public Position Start { get; set; } = new();

    public Position End { get; set; } = new();
}

internal sealed class TextDocumentIdentifier
{
    public string Uri { get; set; } = "";
}

internal sealed class VersionedTextDocumentIdentifier
{
    public string Uri { get; set; } = "";

    public int Version { get; set; }
}

internal sealed class OptionalVersionedTextDocumentIdentifier
{
    public string Uri { get; set; } = "";

    [JsonProperty(NullValueHandling = NullValueHandling.Include)]
    public int? Version { get; set; }
}

internal sealed class TextDocumentItem
{
    public string Uri { get; set; } = "";

    public string LanguageId { get; set; } = "";

    public int Version { get; set; }

    public string Text { get; set; } = "";
}

internal sealed class ClientInfo
{
    public string Name { get; set; } = "";

    public string? Version { get; set; }
}

internal sealed class InitializeParams
{
    public int? ProcessId { get; set; }

    public ClientInfo? ClientInfo { get; set; }

    public string? RootUri { get; set; }

    public JToken? InitializationOptions { get; set; }

    public JObject? Capabilities { get; set; }

    public string? Trace { get; set; }
}

internal sealed class InitializeResult
{
    public ServerCapabilities Capabilities { get; set; } = new();

    public ServerInfo ServerInfo { get; set; } = new();
}

internal sealed class ServerInfo
{
    public string Name { get; set; } = "";

    public string? Version { get; set; }
}

internal sealed class ServerCapabilities
{
    public string? PositionEncoding { get; set; }

    public TextDocumentSyncOptions? TextDocumentSync { get; set; }

    public CodeActionOptions? CodeActionProvider { get; set; }

    public ExecuteCommandOptions? ExecuteCommandProvider { get; set; }

    public NotebookDocumentSyncOptions? NotebookDocumentSync { get; set; }

    /// <summary>Pull diagnostics: declared only to a client with textDocument.diagnostic.</summary>
    public DiagnosticOptions? DiagnosticProvider { get; set; }
}

internal sealed class DiagnosticOptions
{
    public string Identifier { get; set; } = "";

    public bool InterFileDependencies { get; set; }

    public bool WorkspaceDiagnostics { get; set; }
}

internal sealed class DocumentDiagnosticParams
{
    public TextDocumentIdentifier TextDocument { get; set; } = new();

    public string? Identifier { get; set; }

    public string? PreviousResultId { get; set; }
}

/// <summary>A full report (items) or, when the client's previousResultId is still right, an unchanged one (no items).</summary>
internal sealed class DocumentDiagnosticReport
{
    public string Kind { get; set; } = "full";

    public string? ResultId { get; set; }

    public List<Diagnostic>? Items { get; set; }
}

/// <summary>Which notebooks' cells the client syncs as notebookDocument/* (LSP 3.17).</summary>
internal sealed class NotebookDocumentSyncOptions
{
    public List<NotebookSelector> NotebookSelector { get; set; } = [];

    public bool Save { get; set; }
}

internal sealed class NotebookSelector
{
    public NotebookDocumentFilter? Notebook { get; set; }

    public List<NotebookCellLanguage>? Cells { get; set; }
}

internal sealed class NotebookDocumentFilter
{
    public string? NotebookType { get; set; }

    public string? Scheme { get; set; }

    public string? Pattern { get; set; }
}

internal sealed class NotebookCellLanguage
{
    public string Language { get; set; } = "";
}

internal sealed class NotebookDocument
{
    public string Uri { get; set; } = "";

    public string NotebookType { get; set; } = "";

    public int Version { get; set; }

    public List<NotebookCell> Cells { get; set; } = [];
}

internal static class NotebookCellKind
{
    public const int Markup = 1;
    public const int Code = 2;
}

internal sealed class NotebookCell
{
    /// <summary>1 markup, 2 code (<see cref="NotebookCellKind"/>).</summary>
    public int Kind { get; set; }

    /// <summary>The URI of the cell's text document.</summary>
    public string Document { get; set; } = "";
}

internal sealed class NotebookDocumentIdentifier
{
    public string Uri { get; set; } = "";
}

internal sealed class VersionedNotebookDocumentIdentifier
{
    public string Uri { get; set; } = "";

    public int Version { get; set; }
}

internal sealed class DidOpenNotebookDocumentParams
{
    public NotebookDocument NotebookDocument { get; set; } = new();

    public List<TextDocumentItem> CellTextDocuments { get; set; } = [];
}

internal sealed class DidChangeNotebookDocumentParams
{
    public VersionedNotebookDocumentIdentifier NotebookDocument { get; set; } = new();

    public NotebookDocumentChangeEvent Change { get; set; } = new();
}

internal sealed class NotebookDocumentChangeEvent
{
    public NotebookCellsChange? Cells { get; set; }
}

internal sealed class NotebookCellsChange
{
    public NotebookCellStructureChange? Structure { get; set; }

    /// <summary>Cells whose kind or metadata changed.</summary>
    public List<NotebookCell>? Data { get; set; }

    public List<NotebookCellTextContentChange>? TextContent { get; set; }
}

internal sealed class NotebookCellStructureChange
{
    public NotebookCellArrayChange Array { get; set; } = new();

    public List<TextDocumentItem>? DidOpen { get; set; }

    public List<TextDocumentIdentifier>? DidClose { get; set; }
}

internal sealed class NotebookCellArrayChange
{
    public int Start { get; set; }

    public int DeleteCount { get; set; }

    public List<NotebookCell>? Cells { get; set; }
}

internal sealed class NotebookCellTextContentChange
{
    public VersionedTextDocumentIdentifier Document { get; set; } = new();

    public List<TextDocumentContentChangeEvent> Changes { get; set; } = [];
}

internal sealed class DidSaveNotebookDocumentParams
{
    public NotebookDocumentIdentifier NotebookDocument { get; set; } = new();
}

internal sealed class DidCloseNotebookDocumentParams
{
    public NotebookDocumentIdentifier NotebookDocument { get; set; } = new();

    public List<TextDocumentIdentifier> CellTextDocuments { get; set; } = [];
}

internal sealed class TextDocumentSyncOptions
{
    public bool OpenClose { get; set; }

    /// <summary>0 none, 1 full, 2 incremental.</summary>
    public int Change { get; set; }

    public SaveOptions? Save { get; set; }
}

internal sealed class SaveOptions
{
    public bool IncludeText { get; set; }
}

internal sealed class CodeActionOptions
{
    public string[] CodeActionKinds { get; set; } = [];

    public bool ResolveProvider { get; set; }
}

internal sealed class ExecuteCommandOptions
{
    public string[] Commands { get; set; } = [];
}

internal sealed class DidOpenTextDocumentParams
{
    public TextDocumentItem TextDocument { get; set; } = new();
}

internal sealed class TextDocumentContentChangeEvent
{
    /// <summary>Null for a change that replaces the whole document.</summary>
    public Range? Range { get; set; }

    public string Text { get; set; } = "";
}

internal sealed class DidChangeTextDocumentParams
{
    public VersionedTextDocumentIdentifier TextDocument { get; set; } = new();

    public List<TextDocumentContentChangeEvent> ContentChanges { get; set; } = [];
}

internal sealed class DidSaveTextDocumentParams
{
    public TextDocumentIdentifier TextDocument { get; set; } = new();
}

internal sealed class DidCloseTextDocumentParams
{
    public TextDocumentIdentifier TextDocument { get; set; } = new();
}

internal sealed class DidChangeConfigurationParams
{
    public JToken? Settings { get; set; }
}

internal sealed class ConfigurationParams
{
    public List<ConfigurationItem> Items { get; set; } = [];
}

internal sealed class ConfigurationItem
{
    public string? ScopeUri { get; set; }

    public string? Section { get; set; }
}

internal sealed class SetTraceParams
{
    public string Value { get; set; } = "off";
}

internal sealed class CodeDescription
{
    public string Href { get; set; } = "";
}

internal sealed class Diagnostic
{
    public Range Range { get; set; } = new();

    /// <summary>1 error, 2 warning, 3 information, 4 hint.</summary>
    public int Severity { get; set; }

    public string? Code { get; set; }

    public CodeDescription? CodeDescription { get; set; }

    public string? Source { get; set; }

    public string Message { get; set; } = "";
}

internal sealed class PublishDiagnosticsParams
{
    public string Uri { get; set; } = "";

    public int? Version { get; set; }

    public List<Diagnostic> Diagnostics { get; set; } = [];
}

internal sealed class CodeActionContext
{
    public List<Diagnostic> Diagnostics { get; set; } = [];

    public List<string>? Only { get; set; }
}

internal sealed class CodeActionParams
{
    public TextDocumentIdentifier TextDocument { get; set; } = new();

    public Range Range { get; set; } = new();

    public CodeActionContext Context { get; set; } = new();
}

internal sealed class TextEdit
{
    public Range Range { get; set; } = new();

    public string NewText { get; set; } = "";
}

internal sealed class TextDocumentEdit
{
    public OptionalVersionedTextDocumentIdentifier TextDocument { get; set; } = new();

    public List<TextEdit> Edits { get; set; } = [];
}

internal sealed class WorkspaceEdit
{
    public Dictionary<string, List<TextEdit>>? Changes { get; set; }

    public List<TextDocumentEdit>? DocumentChanges { get; set; }
}

internal sealed class CodeAction
{
    public string Title { get; set; } = "";

    public string? Kind { get; set; }

    public List<Diagnostic>? Diagnostics { get; set; }

    public bool? IsPreferred { get; set; }

    public WorkspaceEdit? Edit { get; set; }
}

/// <summary>LSP's Command: what a code action is for a client without codeActionLiteralSupport.</summary>
internal sealed class Command
{
    public string Title { get; set; } = "";

    [JsonProperty("command")]
    public string Name { get; set; } = "";

    public JArray? Arguments { get; set; }
}

internal sealed class ExecuteCommandParams
{
    public string Command { get; set; } = "";

    public JArray? Arguments { get; set; }
}

internal sealed class ApplyWorkspaceEditParams
{
    public string? Label { get; set; }

    public WorkspaceEdit Edit { get; set; } = new();
}

internal sealed class ApplyWorkspaceEditResult
{
    public bool Applied { get; set; }

    public string? FailureReason { get; set; }
}

internal sealed class LogMessageParams
{
    /// <summary>1 error, 2 warning, 3 info, 4 log, 5 debug.</summary>
    public int Type { get; set; }

    public string Message { get; set; } = "";
}
