// TEMPORARY: typed requests of the agent family until protocol.ts has them (agent-core's records).
import type { RequestSender } from './sidecar';
import type {
  AgentCancelResult,
  AgentRespondParams,
  AgentRespondResult,
  AgentSessionParams,
  AgentSessionResult,
  AgentSessionsResult,
  AgentStartParams,
  AgentStartResult,
  AgentStepParams,
  AgentStepResult,
} from './agentTypes';
import type { WorkspaceParams } from './protocol';

export const AgentMethods = {
  agentStart: 'mlintern/agentStart',
  agentRespond: 'mlintern/agentRespond',
  agentStep: 'mlintern/agentStep',
  agentCancel: 'mlintern/agentCancel',
  agentSessions: 'mlintern/agentSessions',
  agentSession: 'mlintern/agentSession',
  agentEvent: 'mlintern/agentEvent',
} as const;

interface AgentRequests {
  'mlintern/agentStart': { params: AgentStartParams; result: AgentStartResult };
  'mlintern/agentRespond': { params: AgentRespondParams; result: AgentRespondResult };
  'mlintern/agentStep': { params: AgentStepParams; result: AgentStepResult };
  'mlintern/agentCancel': { params: AgentSessionParams; result: AgentCancelResult };
  'mlintern/agentSessions': { params: WorkspaceParams; result: AgentSessionsResult };
  'mlintern/agentSession': { params: AgentSessionParams; result: AgentSessionResult };
}

export function agentRequest<M extends keyof AgentRequests>(client: RequestSender, method: M, params: AgentRequests[M]['params']): Promise<AgentRequests[M]['result']> {
  return client.sendRequest(method, params) as Promise<AgentRequests[M]['result']>;
}
