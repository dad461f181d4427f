import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { presentStatus, ServerState } from '../../src/status';

const states: ServerState[] = ['starting', 'running', 'stopped', 'error'];

describe('presentStatus', () => {
  it('names the state in the accessibility label the e2e tests read', () => {
    for (const s of states) assert.equal(presentStatus(s).accessibilityLabel, `ML Intern: ${s}`);
  });

  it('shows a distinct icon per state', () => {
    const icons = states.map((s) => /^\$\([^)]+\)/.exec(presentStatus(s).text)?.[0]);
    assert.equal(new Set(icons).size, states.length);
    assert.match(presentStatus('starting').text, /~spin/);
  });

  it('highlights only the states that need attention', () => {
    assert.equal(presentStatus('running').backgroundColor, undefined);
    assert.equal(presentStatus('starting').backgroundColor, undefined);
    assert.equal(presentStatus('error').backgroundColor, 'statusBarItem.errorBackground');
    assert.equal(presentStatus('stopped').backgroundColor, 'statusBarItem.warningBackground');
  });

  it('puts the detail in the tooltip and tells how to recover', () => {
    const p = presentStatus('error', 'mlintern: not found');
    assert.match(p.tooltip, /mlintern: not found/);
    assert.match(p.tooltip, /Restart Server/);
    assert.match(p.tooltip, /logs/);
  });
});
