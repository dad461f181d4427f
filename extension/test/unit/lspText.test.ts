import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyTextEdits, lineStarts, OverlappingEditsError } from '../../src/lspText';

const at = (line: number, character: number) => ({ line, character });
const edit = (sl: number, sc: number, el: number, ec: number, newText: string) => ({ range: { start: at(sl, sc), end: at(el, ec) }, newText });

describe('applyTextEdits', () => {
  it('replaces a range on one line', () => {
    assert.equal(applyTextEdits('a = f(evaluation_strategy=1)\n', [edit(0, 6, 0, 25, 'eval_strategy')]), 'a = f(eval_strategy=1)\n');
  });

  it('applies several edits against the original text, in any order', () => {
    const text = 'one\ntwo\nthree\n';
    assert.equal(applyTextEdits(text, [edit(2, 0, 2, 5, '3'), edit(0, 0, 0, 3, '1')]), '1\ntwo\n3\n');
  });

  it('keeps CRLF and lone CR line breaks and counts lines across them', () => {
    assert.equal(applyTextEdits('x\r\ny\rz', [edit(1, 0, 1, 1, 'Y'), edit(2, 0, 2, 1, 'Z')]), 'x\r\nY\rZ');
    assert.deepEqual(lineStarts('x\r\ny\rz\n'), [0, 3, 5, 7]);
  });

  it('counts characters in UTF-16 code units, as LSP does', () => {
    assert.equal(applyTextEdits('s = "😀"; t = 1\n', [edit(0, 10, 0, 11, 'u')]), 's = "😀"; u = 1\n');
  });

  it('clamps positions past the end of a line or of the text', () => {
    assert.equal(applyTextEdits('ab\ncd', [edit(0, 99, 0, 99, '!')]), 'ab!\ncd');
    assert.equal(applyTextEdits('ab\ncd', [edit(9, 0, 9, 0, '\nef')]), 'ab\ncd\nef');
  });

  it('keeps two inserts at one place in their order', () => {
    assert.equal(applyTextEdits('x', [edit(0, 0, 0, 0, 'a'), edit(0, 0, 0, 0, 'b')]), 'abx');
  });

  it('refuses overlapping edits', () => {
    assert.throws(() => applyTextEdits('abcdef', [edit(0, 0, 0, 3, 'x'), edit(0, 2, 0, 4, 'y')]), OverlappingEditsError);
  });
});
