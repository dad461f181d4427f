import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RestartPolicy } from '../../src/restartPolicy';

const minute = 60_000;

describe('RestartPolicy', () => {
  it('restarts up to the cap within the window, then gives up with a reason', () => {
    const p = new RestartPolicy({ maxRestarts: 3, windowMs: 3 * minute });
    assert.deepEqual(p.onCrash(0), { restart: true, attempt: 1 });
    assert.deepEqual(p.onCrash(1000), { restart: true, attempt: 2 });
    assert.deepEqual(p.onCrash(2000), { restart: true, attempt: 3 });
    const d = p.onCrash(3000);
    assert.equal(d.restart, false);
    assert.ok(!d.restart && /4 times in the last 3 minutes/.test(d.reason) && /Restart Server/.test(d.reason));
  });

  it('forgets crashes older than the window', () => {
    const p = new RestartPolicy({ maxRestarts: 2, windowMs: minute });
    p.onCrash(0);
    p.onCrash(10);
    assert.deepEqual(p.onCrash(minute + 5), { restart: true, attempt: 2 });
  });

  it('starts over after a reset (a user restart)', () => {
    const p = new RestartPolicy({ maxRestarts: 1, windowMs: minute });
    p.onCrash(0);
    assert.equal(p.onCrash(1).restart, false);
    p.reset();
    assert.deepEqual(p.onCrash(2), { restart: true, attempt: 1 });
  });

  it('defaults to 5 restarts in 3 minutes', () => {
    const p = new RestartPolicy();
    for (let i = 1; i <= 5; i++) assert.deepEqual(p.onCrash(i), { restart: true, attempt: i });
    assert.equal(p.onCrash(6).restart, false);
  });
});
