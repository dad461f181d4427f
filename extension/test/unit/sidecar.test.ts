import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Methods } from '../../src/protocol';
import { request } from '../../src/sidecar';

describe('request', () => {
  it('passes the token only when there is one (the client would send an undefined one as a second param)', async () => {
    const calls: unknown[][] = [];
    const client = { sendRequest: (...args: unknown[]) => (calls.push(args), Promise.resolve({ runs: [] })) };
    await request(client, Methods.listRuns, { workspaceFolder: '/w' });
    const token = { isCancellationRequested: false };
    await request(client, Methods.listRuns, { workspaceFolder: '/w' }, token);
    assert.deepEqual(calls, [['mlintern/listRuns', { workspaceFolder: '/w' }], ['mlintern/listRuns', { workspaceFolder: '/w' }, token]]);
  });
});
