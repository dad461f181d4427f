using Microsoft.Extensions.Logging;
using MLIntern.Analysis.Findings;
using MLIntern.Server.Lsp.Protocol;

namespace MLIntern.Server.Lsp.Handlers;

/// <summary>
/// Quick fixes for the findings under the cursor, and "Fix all ML Intern problems"
/// (source.fixAll.mlintern) with every safe fix. Every edit names the document version it was
/// computed for, so the editor refuses it if the text moved on.
/// </summary>
internal sealed class CodeActionHandler(ServerState state, FindingsCache findings, Newtonsoft.Json.JsonSerializer serializer) : ReadHandler<CodeActionParams, List<object>>
{
    public const string FixAllTitle = "Fix all ML Intern problems";

    public override string Method => Methods.CodeAction;

    protected override Task<List<object>> HandleAsync(CodeActionParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        var actions = Actions(parameters, snapshot, cancellationToken);
        return Task.FromResult(state.ClientSupportsCodeActionLiterals ? [.. actions] : actions.Select(AsCommand).ToList());
    }

    /// <summary>
    /// A code action as a Command, for a client without codeActionLiteralSupport: fix-all is the
    /// server's fixAll command on the document, a quick fix the applyFix command carrying its edit.
    /// </summary>
    private object AsCommand(CodeAction action) => action.Kind == CodeActionKinds.SourceFixAllMLIntern
        ? new Command { Title = action.Title, Name = ServerCommands.FixAll, Arguments = [DocumentOf(action.Edit)] }
        : new Command { Title = action.Title, Name = ServerCommands.ApplyFix, Arguments = [Newtonsoft.Json.Linq.JToken.FromObject(action.Edit!, serializer)] };

    private static string DocumentOf(WorkspaceEdit? edit) =>
        edit?.DocumentChanges?.FirstOrDefault()?.TextDocument.Uri ?? edit?.Changes?.Keys.FirstOrDefault() ?? "";

    private List<CodeAction> Actions(CodeActionParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        var actions = new List<CodeAction>();
        if (snapshot.Get(parameters.TextDocument.Uri) is not { } document)
        {
            return actions;
        }

        if (snapshot.NotebookOf(document.Uri) is { } notebook && notebook.IndexOf(document.Uri) is > 0 and var cell)
        {
            return CellActions(findings.Get(notebook), cell, document, parameters);
        }

        var all = findings.Get(document);
        cancellationToken.ThrowIfCancellationRequested();
        var only = parameters.Context.Only;

        if (Wants(only, CodeActionKinds.QuickFix))
        {
            var positions = document.Positions(state.PositionEncoding);
            var range = Convert.FromRange(parameters.Range, positions);
            foreach (var finding in all)
            {
                if (finding.Fix is not { Applicability: not Applicability.DisplayOnly } fix || !finding.Range.Intersects(range))
                {
                    continue;
                }

                var safe = fix.Applicability == Applicability.Safe;
                actions.Add(new CodeAction
                {
                    Title = safe ? $"{fix.Title} ({finding.Code})" : $"{fix.Title} ({finding.Code}, unsafe: may change behaviour)",
                    Kind = CodeActionKinds.QuickFix,
                    Diagnostics = [Convert.ToDiagnostic(finding, positions)],
                    IsPreferred = safe ? true : null,
                    Edit = Convert.ToWorkspaceEdit(document, fix.Edits, state.ClientSupportsDocumentChanges, state.PositionEncoding),
                });
            }
        }

        if (Wants(only, CodeActionKinds.SourceFixAllMLIntern) && FixAll.SafeEdits(all) is { Count: > 0 } edits)
        {
            actions.Add(new CodeAction
            {
                Title = FixAllTitle,
                Kind = CodeActionKinds.SourceFixAllMLIntern,
                Edit = Convert.ToWorkspaceEdit(document, edits, state.ClientSupportsDocumentChanges, state.PositionEncoding),
            });
        }

        return actions;
    }

    /// <summary>
    /// A notebook cell's actions: its findings' quick fixes and a fix-all of its safe fixes, each
    /// a versioned edit of the cells it changes (an added import goes to the first code cell).
    /// </summary>
    private List<CodeAction> CellActions(NotebookFindings notebook, int cell, Document cellDocument, CodeActionParams parameters)
    {
        var actions = new List<CodeAction>();
        var only = parameters.Context.Only;
        if (Wants(only, CodeActionKinds.QuickFix))
        {
            var positions = cellDocument.Positions(state.PositionEncoding);
            var range = Convert.FromRange(parameters.Range, positions);
            foreach (var (found, shown) in notebook.InCell(cell))
            {
                if (found.Fix is not { Applicability: not Applicability.DisplayOnly } fix || !shown.Range.Intersects(range) ||
                    notebook.ToWorkspaceEdit(fix.Edits, state.ClientSupportsDocumentChanges, state.PositionEncoding) is not { } edit)
                {
                    continue;
                }

                var safe = fix.Applicability == Applicability.Safe;
                actions.Add(new CodeAction
                {
                    Title = safe ? $"{fix.Title} ({found.Code})" : $"{fix.Title} ({found.Code}, unsafe: may change behaviour)",
                    Kind = CodeActionKinds.QuickFix,
                    Diagnostics = [Convert.ToDiagnostic(shown, positions)],
                    IsPreferred = safe ? true : null,
                    Edit = edit,
                });
            }
        }

        if (Wants(only, CodeActionKinds.SourceFixAllMLIntern) && notebook.SafeEdits(cell) is { Count: > 0 } edits &&
            notebook.ToWorkspaceEdit(edits, state.ClientSupportsDocumentChanges, state.PositionEncoding) is { } all)
        {
            actions.Add(new CodeAction { Title = FixAllTitle, Kind = CodeActionKinds.SourceFixAllMLIntern, Edit = all });
        }

        return actions;
    }

    /// <summary>A kind is wanted when no filter is given or a filter entry is the kind or a parent of it ("source" covers "source.fixAll.mlintern").</summary>
    private static bool Wants(List<string>? only, string kind) =>
        only is null || only.Count == 0 || only.Any(o => kind == o || kind.StartsWith(o + ".", StringComparison.Ordinal));
}

internal static class FixAll
{
    /// <summary>The edits of every safe fix that can be applied together.</summary>
    public static List<MLIntern.Findings.TextEdit> SafeEdits(IEnumerable<Finding> findings) =>
        [.. Edits.Select(findings, Applicability.Safe).SelectMany(f => f.Edits)];
}

/// <summary>workspace/executeCommand for the commands the server declared.</summary>
internal sealed class ExecuteCommandHandler(ServerState state, FindingsCache findings, Newtonsoft.Json.JsonSerializer serializer, ILogger logger) : ReadHandler<ExecuteCommandParams, object?>
{
    public override string Method => Methods.ExecuteCommand;

    protected override async Task<object?> HandleAsync(ExecuteCommandParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        switch (parameters.Command)
        {
            case ServerCommands.FixAll:
                var uri = parameters.Arguments?.FirstOrDefault()?.ToString();
                WorkspaceEdit? edit;
                int count;
                if (uri is not null && snapshot.NotebookOf(uri) is { } notebook)
                {
                    // A cell: that cell's safe fixes; the notebook itself: every cell's.
                    var result = findings.Get(notebook);
                    var cellEdits = result.SafeEdits(notebook.IndexOf(uri));
                    count = cellEdits.Count;
                    edit = count == 0 ? null : result.ToWorkspaceEdit(cellEdits, state.ClientSupportsDocumentChanges, state.PositionEncoding);
                }
                else if (uri is not null && snapshot.Get(uri) is { } document)
                {
                    var edits = FixAll.SafeEdits(findings.Get(document));
                    count = edits.Count;
                    edit = count == 0 ? null : Convert.ToWorkspaceEdit(document, edits, state.ClientSupportsDocumentChanges, state.PositionEncoding);
                }
                else
                {
                    throw new StreamJsonRpc.LocalRpcException($"{ServerCommands.FixAll} needs the URI of an open document or notebook; got '{uri}'") { ErrorCode = ErrorCodes.InvalidParams };
                }

                if (edit is null)
                {
                    return new ApplyWorkspaceEditResult { Applied = false, FailureReason = "no safe fixes" };
                }

                logger.LogInformation("applying {Count} safe fix edit(s) to {Uri}", count, uri);
                return await state.Client.RequestAsync<ApplyWorkspaceEditResult>(
                    Methods.ApplyEdit,
                    new ApplyWorkspaceEditParams { Label = CodeActionHandler.FixAllTitle, Edit = edit },
                    cancellationToken);
            case ServerCommands.ApplyFix:
                if (parameters.Arguments?.FirstOrDefault() is not Newtonsoft.Json.Linq.JObject given ||
                    given.ToObject<WorkspaceEdit>(serializer) is not { } fixEdit || (fixEdit.Changes is null && fixEdit.DocumentChanges is null))
                {
                    throw new StreamJsonRpc.LocalRpcException($"{ServerCommands.ApplyFix} needs a workspace edit as its argument") { ErrorCode = ErrorCodes.InvalidParams };
                }

                return await state.Client.RequestAsync<ApplyWorkspaceEditResult>(
                    Methods.ApplyEdit,
                    new ApplyWorkspaceEditParams { Label = "ML Intern quick fix", Edit = fixEdit },
                    cancellationToken);
            default:
                throw new StreamJsonRpc.LocalRpcException($"unknown command '{parameters.Command}'; known: {string.Join(", ", ServerCommands.All)}") { ErrorCode = ErrorCodes.InvalidParams };
        }
    }
}
