import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineTail } from '../../src/stderrTail';

describe('LineTail', () => {
  it('keeps the last lines, oldest first', () => {
    const t = new LineTail(3);
    for (const l of ['a', 'b', 'c', 'd', 'e']) t.push(l);
    assert.deepEqual(t.take(), ['c', 'd', 'e']);
  });

  it('forgets what it handed out', () => {
    const t = new LineTail(3);
    t.push('x');
    assert.deepEqual(t.take(), ['x']);
    assert.deepEqual(t.take(), []);
  });
});
