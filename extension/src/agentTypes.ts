// TEMPORARY: the agent family's records as protocol.ts will have them once agent-core's records
// are merged (server/MLIntern.Server/Protocol/Agent.cs). Replaced by protocol.ts imports then.
import type { PlanTrainingResult, PreflightReport, StartRunResult, WorkspaceParams } from './protocol';

export type AgentMode = 'llm' | 'guided';
export type AgentSessionState = 'running' | 'waiting' | 'done' | 'cancelled' | 'failed';
export type AgentEventKind = 'user' | 'text' | 'toolCall' | 'toolResult' | 'approval' | 'nextSteps' | 'done' | 'error';
export type AgentApprovalKind = 'training' | 'publish' | 'download';
export type AgentLinkKind = 'finding' | 'diff' | 'plan' | 'run' | 'evaluation' | 'card' | 'file' | 'rule';

export interface AgentStartParams extends WorkspaceParams { prompt?: string; sessionId?: string }
export interface AgentStartResult { sessionId: string; mode: AgentMode }
export interface AgentSessionParams extends WorkspaceParams { sessionId?: string }
export interface AgentRespondParams extends AgentSessionParams { approvalId?: string; approved?: boolean; approvalToken?: string; answer?: string }
export interface AgentRespondResult { accepted: boolean; reason?: string }
export interface AgentStepParams extends AgentSessionParams { step?: string }
export interface AgentStepResult { accepted: boolean; reason?: string }
export interface AgentCancelResult { cancelled: boolean }
export interface AgentSessionSummary { id: string; title: string; mode: AgentMode; startedAt: string; updatedAt: string; state: AgentSessionState }
export interface AgentSessionsResult { sessions: AgentSessionSummary[] }
export interface AgentSessionResult { summary: AgentSessionSummary; events: AgentEvent[] }
export interface AgentToolCall { callId: string; name: string; arguments: string; title: string }
export interface AgentLink { kind: AgentLinkKind; label: string; uri?: string; runId?: string; code?: string }
export interface AgentToolResult { callId: string; name: string; ok: boolean; summary: string; links: AgentLink[]; launch?: StartRunResult }
export interface AgentApproval { approvalId: string; kind: AgentApprovalKind; title: string; plan?: PlanTrainingResult; preflight?: PreflightReport }
export interface AgentStep { id: string; title: string }
export interface AgentEvent {
  sessionId: string;
  seq: number;
  time: string;
  kind: AgentEventKind;
  text?: string;
  tool?: AgentToolCall;
  result?: AgentToolResult;
  approval?: AgentApproval;
  nextSteps?: AgentStep[];
}
