// The one permitted stand-in of the end-to-end tests: an OpenAI-compatible chat endpoint on
// loopback (POST /v1/chat/completions). It answers from what it is sent (the scenario's function
// of the user message) and keeps every request, so a scenario can check what left the editor.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatRequest {
  readonly path: string;
  readonly model: string;
  readonly messages: { role: string; content: string }[];
}

export class FakeChatEndpoint {
  readonly requests: ChatRequest[] = [];
  private server: http.Server | undefined;

  constructor(private readonly answer: (userMessage: string) => string) {}

  /** Listens on 127.0.0.1 on a free port; returns the base URL a user would configure (…/v1). */
  async start(): Promise<string> {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { model: string; messages: { role: string; content: string }[] };
          this.requests.push({ path: req.url ?? '', model: body.model, messages: body.messages });
          const user = [...body.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
          const reply = {
            id: 'chatcmpl-e2e',
            object: 'chat.completion',
            created: Math.floor(Date.now() / 1000),
            model: body.model,
            choices: [{ index: 0, message: { role: 'assistant', content: this.answer(user) }, finish_reason: 'stop' }],
            usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
          };
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(reply));
        } catch (e) {
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: String(e) } }));
        }
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

/** The lines a prompt marks for change (`>  NNN | code`), as they are in the file. */
export function markedLines(userMessage: string): string[] {
  return userMessage
    .split('\n')
    .filter((l) => /^>\s*\d+ \| /.test(l))
    .map((l) => l.replace(/^>\s*\d+ \| /, ''));
}
