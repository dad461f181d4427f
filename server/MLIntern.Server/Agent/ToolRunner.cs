using MLIntern.Server.Protocol;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Agent;

/// <summary>
/// Every tool call, from the model or the guided workflow, passes here: the call is shown, its tool
/// looked up and its arguments validated (an unknown tool, malformed JSON or extra or missing
/// arguments are refused with a clear result and nothing runs), then the tool runs and its result is
/// shown; a launched run is followed to its end. What the model gets back is redacted and cut to fit.
/// </summary>
internal static class ToolRunner
{
    public sealed record Ran(ToolOutcome Outcome, string ForModel);

    public static async Task<Ran> RunAsync(AgentSession session, AgentServices services, string callId, string name, string arguments, CancellationToken cancellationToken)
    {
        var tool = AgentTools.Find(name);
        JObject parsed = [];
        var refusal = tool is null
            ? $"refused: there is no tool '{name}' (the tools are: {string.Join(", ", AgentTools.All.Select(t => t.Name))}); nothing was run."
            : AgentTools.Validate(tool, arguments, out parsed);
        session.Emit(AgentEventKind.ToolCall, tool: new AgentToolCall(callId, name, arguments, tool is null || refusal is not null ? name : AgentTools.Title(name, parsed)));
        if (refusal is not null)
        {
            var refused = ToolOutcome.Failed(refusal);
            session.Emit(AgentEventKind.ToolResult, result: new AgentToolResult(callId, name, false, refusal, []));
            return new Ran(refused, refusal);
        }

        ToolOutcome outcome;
        try
        {
            outcome = await tool!.Run(new ToolCall(session, services, callId, parsed, cancellationToken)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            session.Emit(AgentEventKind.ToolResult, result: new AgentToolResult(callId, name, false, "cancelled", []));
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            services.Logger.LogToolFailure(e, name);
            outcome = ToolOutcome.Failed(AgentTools.Error(e));
        }

        session.Emit(AgentEventKind.ToolResult, result: new AgentToolResult(callId, name, outcome.Ok, outcome.Summary, outcome.Links, outcome.Launch, outcome.Upload, outcome.RunId));
        var forModel = outcome.ForModel;
        if (outcome.Follow is { } follow)
        {
            var end = await follow(cancellationToken).ConfigureAwait(false);
            session.Emit(AgentEventKind.Text, end + "\n");
            forModel += "\n" + end;
        }

        return new Ran(outcome, AgentTools.Fit(forModel));
    }

    private static void LogToolFailure(this Microsoft.Extensions.Logging.ILogger logger, Exception e, string tool) =>
        Microsoft.Extensions.Logging.LoggerExtensions.LogWarning(logger, e, "agent tool {Tool} failed", tool);
}
