using MLIntern.Server.Protocol;

namespace MLIntern.Server.Agent;

internal sealed class GuidedWorkflow(AgentHub hub, AgentSession session, bool auto)
{
    public Task StartAsync(string prompt, CancellationToken cancellationToken)
    {
        session.Emit(AgentEventKind.Error, $"the guided workflow is not built yet ({auto}, {hub.MaxSteps})");
        return Task.CompletedTask;
    }

    public Task StepAsync(string step, CancellationToken cancellationToken) => StartAsync(step, cancellationToken);

    public Task ResumeApprovalAsync(AgentApproval approval, ApprovalAnswer answer, CancellationToken cancellationToken) => StartAsync("", cancellationToken);
}
