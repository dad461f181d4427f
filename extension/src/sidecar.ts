// Typed requests to the sidecar: the method decides the params and the answer, from the generated
// protocol.ts (server/MLIntern.Server/Protocol is the source). No vscode import: unit tests use it.
import type { ErrorReason, Method, ParamsOf, ResultOf } from './protocol';

/** What a request needs of a language client (vscode-languageclient's LanguageClient has it). */
export interface RequestSender {
  sendRequest(method: string, params: unknown, token?: unknown): Promise<unknown>;
}

/** Sends `method` with its typed params; the answer is the method's result type. */
export function request<M extends Method>(client: RequestSender, method: M, params: ParamsOf<M>, token?: unknown): Promise<ResultOf<M>> {
  // vscode-languageclient sends every argument after the method as a param unless the last is a
  // cancellation token: an undefined token would make the params an array [params, null].
  return (token === undefined ? client.sendRequest(method, params) : client.sendRequest(method, params, token)) as Promise<ResultOf<M>>;
}

/** The machine-readable reason of a sidecar error (`error.data.reason`), if it has one. */
export function errorReason(error: unknown): ErrorReason | undefined {
  const data = (error as { data?: unknown } | null | undefined)?.data;
  const reason = (data as { reason?: unknown } | null | undefined)?.reason;
  return typeof reason === 'string' ? (reason as ErrorReason) : undefined;
}
