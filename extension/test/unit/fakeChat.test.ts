// The LLM stand-in of the end-to-end tests speaks OpenAI's chat completions as a client reads them:
// a streamed answer reassembles into the scripted text and tool calls, arguments split across chunks.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ChatRequest, FakeChatEndpoint, toolResults } from '../e2e/harness/fakeChat';

describe('FakeChatEndpoint', () => {
  const seen: ChatRequest[] = [];
  const endpoint = new FakeChatEndpoint({
    script: (r) => {
      seen.push(r);
      return toolResults(r).length === 0
        ? { text: 'Looking at the data set first.', toolCalls: [{ name: 'inspect_dataset', arguments: { path: 'data/tickets.csv' } }, { name: 'check_script', arguments: { path: 'train.py' } }] }
        : { text: `Got ${toolResults(r).map((t) => t.name).join(', ')}.` };
    },
  });
  let url = '';
  before(async () => {
    url = await endpoint.start();
  });
  after(() => endpoint.stop());

  const post = (body: unknown) => fetch(`${url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('streams text deltas and tool calls whose arguments arrive in pieces', async () => {
    const res = await post({ model: 'm', stream: true, messages: [{ role: 'user', content: 'go' }], tools: [{ type: 'function', function: { name: 'inspect_dataset' } }] });
    assert.equal(res.headers.get('content-type'), 'text/event-stream');
    const lines = (await res.text()).split('\n').filter((l) => l.startsWith('data: '));
    assert.equal(lines.at(-1), 'data: [DONE]');
    let text = '';
    const calls: { id?: string; name?: string; arguments: string }[] = [];
    let finish: string | null = null;
    let argumentChunks = 0;
    for (const line of lines.slice(0, -1)) {
      const chunk = JSON.parse(line.slice(6));
      const choice = chunk.choices[0];
      text += choice.delta.content ?? '';
      for (const c of choice.delta.tool_calls ?? []) {
        const call = (calls[c.index] ??= { arguments: '' });
        if (c.id) call.id = c.id;
        if (c.function?.name) call.name = c.function.name;
        if (c.function?.arguments) {
          call.arguments += c.function.arguments;
          argumentChunks++;
        }
      }
      finish = choice.finish_reason ?? finish;
    }
    assert.equal(text, 'Looking at the data set first.');
    assert.deepEqual(calls.map((c) => [c.name, JSON.parse(c.arguments)]), [['inspect_dataset', { path: 'data/tickets.csv' }], ['check_script', { path: 'train.py' }]]);
    assert.ok(argumentChunks > 2, 'the arguments come in several chunks');
    assert.notEqual(calls[0]!.id, calls[1]!.id);
    assert.equal(finish, 'tool_calls');
    assert.deepEqual(seen.at(-1)?.tools, ['inspect_dataset']);
  });

  it('answers without streaming, and reads the tool results the conversation carries', async () => {
    const res = await post({
      model: 'm',
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'x1', type: 'function', function: { name: 'inspect_dataset', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'x1', content: '1,200 rows' },
      ],
    });
    const body = (await res.json()) as { choices: { message: { content: string }; finish_reason: string }[] };
    assert.equal(body.choices[0]!.message.content, 'Got inspect_dataset.');
    assert.equal(body.choices[0]!.finish_reason, 'stop');
  });
});
