// The one permitted stand-in of the end-to-end tests: an OpenAI-compatible chat endpoint on
// loopback (POST /v1/chat/completions). It answers from what it is sent — the scenario's function
// of the user message, or a scripted turn (text and tool calls) of the conversation so far — and
// keeps every request, so a scenario can check what left the editor. A request with
// `"stream": true` is answered as server-sent events the way OpenAI streams: text in small
// deltas, each tool call's arguments split across chunks, then `[DONE]`.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatMessage {
  readonly role: string;
  readonly content: string | null;
  readonly tool_calls?: readonly { id: string; type: string; function: { name: string; arguments: string } }[];
  readonly tool_call_id?: string;
}

export interface ChatRequest {
  readonly path: string;
  readonly model: string;
  readonly messages: ChatMessage[];
  readonly stream: boolean;
  /** The names of the tools offered (function tools). */
  readonly tools: string[];
}

/** One scripted answer: text, tool calls, or both (text first). */
export interface ChatTurn {
  readonly text?: string;
  readonly toolCalls?: readonly { readonly name: string; readonly arguments: Record<string, unknown> | string }[];
}

/** Answers a request from the conversation so far (e.g. by the number of tool results it carries). */
export type ChatScript = (request: ChatRequest) => ChatTurn;

export class FakeChatEndpoint {
  readonly requests: ChatRequest[] = [];
  private server: http.Server | undefined;
  private nextCall = 1;
  private readonly script: ChatScript;

  /** `answer`: the text for the last user message; or a script of turns. */
  constructor(answer: ((userMessage: string) => string) | { readonly script: ChatScript }) {
    this.script =
      typeof answer === 'function'
        ? (request) => ({ text: answer([...request.messages].reverse().find((m) => m.role === 'user')?.content ?? '') })
        : answer.script;
  }

  /** Listens on 127.0.0.1 on a free port; returns the base URL a user would configure (…/v1). */
  async start(): Promise<string> {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        let body: { model: string; messages: ChatMessage[]; stream?: boolean; tools?: { function?: { name?: string } }[]; stream_options?: { include_usage?: boolean } };
        let request: ChatRequest;
        let turn: ChatTurn;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          request = {
            path: req.url ?? '',
            model: body.model,
            messages: body.messages,
            stream: body.stream === true,
            tools: (body.tools ?? []).map((t) => t.function?.name ?? '').filter((n) => n !== ''),
          };
          this.requests.push(request);
          turn = this.script(request);
        } catch (e) {
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: String(e) } }));
          return;
        }
        const calls = (turn.toolCalls ?? []).map((c) => ({
          id: `call_e2e_${this.nextCall++}`,
          type: 'function',
          function: { name: c.name, arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments) },
        }));
        const finish = calls.length > 0 ? 'tool_calls' : 'stop';
        const created = Math.floor(Date.now() / 1000);
        if (!request.stream) {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              id: 'chatcmpl-e2e',
              object: 'chat.completion',
              created,
              model: body.model,
              choices: [{ index: 0, message: { role: 'assistant', content: turn.text ?? null, ...(calls.length > 0 ? { tool_calls: calls } : {}) }, finish_reason: finish }],
              usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
            }),
          );
          return;
        }
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
        const chunk = (delta: unknown, finishReason: string | null = null) =>
          `data: ${JSON.stringify({ id: 'chatcmpl-e2e', object: 'chat.completion.chunk', created, model: body.model, choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`;
        const events: string[] = [chunk({ role: 'assistant', content: '' })];
        for (const piece of pieces(turn.text ?? '', 12)) events.push(chunk({ content: piece }));
        calls.forEach((c, index) => {
          events.push(chunk({ tool_calls: [{ index, id: c.id, type: 'function', function: { name: c.function.name, arguments: '' } }] }));
          for (const piece of pieces(c.function.arguments, 7)) events.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
        });
        events.push(chunk({}, finish));
        if (body.stream_options?.include_usage) {
          events.push(`data: ${JSON.stringify({ id: 'chatcmpl-e2e', object: 'chat.completion.chunk', created, model: body.model, choices: [], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } })}\n\n`);
        }
        events.push('data: [DONE]\n\n');
        // Written a few at a time, so the client sees a stream, not one body.
        const write = (i: number) => {
          if (i >= events.length) {
            res.end();
            return;
          }
          res.write(events.slice(i, i + 3).join(''));
          setTimeout(() => write(i + 3), 5);
        };
        write(0);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** The tool results a conversation carries so far, by tool name (the tool_calls of the assistant messages they answer). */
export function toolResults(request: ChatRequest): { readonly name: string; readonly content: string }[] {
  const names = new Map<string, string>();
  for (const m of request.messages) for (const c of m.tool_calls ?? []) names.set(c.id, c.function.name);
  return request.messages.filter((m) => m.role === 'tool').map((m) => ({ name: names.get(m.tool_call_id ?? '') ?? '', content: m.content ?? '' }));
}

function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** The lines a prompt marks for change (`>  NNN | code`), as they are in the file. */
export function markedLines(userMessage: string): string[] {
  return userMessage
    .split('\n')
    .filter((l) => /^>\s*\d+ \| /.test(l))
    .map((l) => l.replace(/^>\s*\d+ \| /, ''));
}
