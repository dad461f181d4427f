using Microsoft.Extensions.Logging;
using MLIntern.Server.Assist;
using MLIntern.Server.Protocol;

namespace MLIntern.Server.Agent;

internal sealed class AgentLoop(AgentHub hub, AgentSession session, AssistantSettings? settings, ILogger logger)
{
    public Task RunAsync(CancellationToken cancellationToken)
    {
        session.Emit(AgentEventKind.Error, $"the LLM loop is not built yet ({settings?.Model}, {hub.MaxSteps})"); logger.LogWarning("agent loop missing");
        return Task.CompletedTask;
    }

    public Task ResumeApprovalAsync(AgentApproval approval, ApprovalAnswer answer, CancellationToken cancellationToken) => RunAsync(cancellationToken);
}
