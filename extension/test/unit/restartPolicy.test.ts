import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RestartPolicy } from '../../src/restartPolicy';

const minute = 60_000;
const noDelay = { firstDelayMs: 0, maxDelayMs: 0 };

describe('RestartPolicy', () => {
  it('restarts up to the cap within the window, then gives up with a reason', () => {
    const p = new RestartPolicy({ maxRestarts: 3, windowMs: 3 * minute, ...noDelay });
    assert.deepEqual(p.onCrash(0), { restart: true, attempt: 1, delayMs: 0 });
    assert.deepEqual(p.onCrash(1000), { restart: true, attempt: 2, delayMs: 0 });
    assert.deepEqual(p.onCrash(2000), { restart: true, attempt: 3, delayMs: 0 });
    const d = p.onCrash(3000);
    assert.equal(d.restart, false);
    assert.ok(!d.restart && /4 times in the last 3 minutes/.test(d.reason) && /Restart Server/.test(d.reason));
  });

  it('forgets crashes older than the window', () => {
    const p = new RestartPolicy({ maxRestarts: 2, windowMs: minute, ...noDelay });
    p.onCrash(0);
    p.onCrash(10);
    assert.deepEqual(p.onCrash(minute + 5), { restart: true, attempt: 2, delayMs: 0 });
  });

  it('starts over after a reset (a user restart)', () => {
    const p = new RestartPolicy({ maxRestarts: 1, windowMs: minute, ...noDelay });
    p.onCrash(0);
    assert.equal(p.onCrash(1).restart, false);
    p.reset();
    assert.deepEqual(p.onCrash(2), { restart: true, attempt: 1, delayMs: 0 });
  });

  it('defaults to 5 restarts in 3 minutes, waiting longer after each crash', () => {
    const p = new RestartPolicy();
    const delays = [1, 2, 3, 4, 5].map((i) => {
      const d = p.onCrash(i);
      assert.ok(d.restart && d.attempt === i);
      return d.delayMs;
    });
    assert.deepEqual(delays, [250, 500, 1000, 2000, 4000]);
    assert.equal(p.onCrash(6).restart, false);
  });

  it('caps the wait', () => {
    const p = new RestartPolicy({ maxRestarts: 10, windowMs: minute, firstDelayMs: 100, maxDelayMs: 300 });
    const delays = [1, 2, 3, 4].map((i) => {
      const d = p.onCrash(i);
      return d.restart ? d.delayMs : -1;
    });
    assert.deepEqual(delays, [100, 200, 300, 300]);
  });
});
