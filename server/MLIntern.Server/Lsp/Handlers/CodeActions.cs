using Microsoft.Extensions.Logging;
using MLIntern.Analysis.Findings;
using MLIntern.Server.Lsp.Protocol;

namespace MLIntern.Server.Lsp.Handlers;

/// <summary>
/// Quick fixes for the findings under the cursor, and "Fix all ML Intern problems"
/// (source.fixAll.mlintern) with every safe fix. Every edit names the document version it was
/// computed for, so the editor refuses it if the text moved on.
/// </summary>
internal sealed class CodeActionHandler(ServerState state, FindingsCache findings) : ReadHandler<CodeActionParams, List<CodeAction>>
{
    public const string FixAllTitle = "Fix all ML Intern problems";

    public override string Method => Methods.CodeAction;

    protected override Task<List<CodeAction>> HandleAsync(CodeActionParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        var actions = new List<CodeAction>();
        if (snapshot.Get(parameters.TextDocument.Uri) is not { } document)
        {
            return Task.FromResult(actions);
        }

        var all = findings.Get(document);
        cancellationToken.ThrowIfCancellationRequested();
        var only = parameters.Context.Only;

        if (Wants(only, CodeActionKinds.QuickFix))
        {
            var range = Convert.FromRange(parameters.Range);
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
                    Diagnostics = [Convert.ToDiagnostic(finding)],
                    IsPreferred = safe ? true : null,
                    Edit = Convert.ToWorkspaceEdit(document, fix.Edits, state.ClientSupportsDocumentChanges),
                });
            }
        }

        if (Wants(only, CodeActionKinds.SourceFixAllMLIntern) && FixAll.SafeEdits(all) is { Count: > 0 } edits)
        {
            actions.Add(new CodeAction
            {
                Title = FixAllTitle,
                Kind = CodeActionKinds.SourceFixAllMLIntern,
                Edit = Convert.ToWorkspaceEdit(document, edits, state.ClientSupportsDocumentChanges),
            });
        }

        return Task.FromResult(actions);
    }

    /// <summary>A kind is wanted when no filter is given or a filter entry is the kind or a parent of it ("source" covers "source.fixAll.mlintern").</summary>
    private static bool Wants(List<string>? only, string kind) =>
        only is null || only.Count == 0 || only.Any(o => kind == o || kind.StartsWith(o + ".", StringComparison.Ordinal));
}

internal static class FixAll
{
    /// <summary>The edits of every safe fix that can be applied together.</summary>
    public static List<MLIntern.Analysis.Findings.TextEdit> SafeEdits(IEnumerable<Finding> findings) =>
        [.. Edits.Select(findings, Applicability.Safe).SelectMany(f => f.Edits)];
}

/// <summary>workspace/executeCommand for the commands the server declared.</summary>
internal sealed class ExecuteCommandHandler(ServerState state, FindingsCache findings, ILogger logger) : ReadHandler<ExecuteCommandParams, object?>
{
    public override string Method => Methods.ExecuteCommand;

    protected override async Task<object?> HandleAsync(ExecuteCommandParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        switch (parameters.Command)
        {
            case ServerCommands.FixAll:
                var uri = parameters.Arguments?.FirstOrDefault()?.ToString();
                if (uri is null || snapshot.Get(uri) is not { } document)
                {
                    throw new StreamJsonRpc.LocalRpcException($"{ServerCommands.FixAll} needs the URI of an open document; got '{uri}'") { ErrorCode = ErrorCodes.InvalidParams };
                }

                var edits = FixAll.SafeEdits(findings.Get(document));
                if (edits.Count == 0)
                {
                    return new ApplyWorkspaceEditResult { Applied = false, FailureReason = "no safe fixes" };
                }

                logger.LogInformation("applying {Count} safe fix edit(s) to {Uri} v{Version}", edits.Count, uri, document.Version);
                return await state.Client.RequestAsync<ApplyWorkspaceEditResult>(
                    Methods.ApplyEdit,
                    new ApplyWorkspaceEditParams { Label = CodeActionHandler.FixAllTitle, Edit = Convert.ToWorkspaceEdit(document, edits, state.ClientSupportsDocumentChanges) },
                    cancellationToken);
            default:
                throw new StreamJsonRpc.LocalRpcException($"unknown command '{parameters.Command}'; known: {string.Join(", ", ServerCommands.All)}") { ErrorCode = ErrorCodes.InvalidParams };
        }
    }
}
