import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { askFixParams, AskFixResult, confirmDetail, editsFor, previewText, proposalItems, sameUri, staleReason } from '../../src/askFixModel';
import { Methods } from '../../src/protocol';
import { sample } from './samples';

const uri = 'file:///w/train.py';
const script = 'args = TrainingArguments(\n    evaluation_strategy="epoch",\n)\n';
const renameEdit = (version: number, u = uri) => ({
  documentChanges: [{ textDocument: { uri: u, version }, edits: [{ range: { start: { line: 1, character: 4 }, end: { line: 1, character: 23 } }, newText: 'eval_strategy' }] }],
});

// Proposals of every kind, in the order the sidecar lists them (safe, unsafe, explanations).
const answer: AskFixResult = {
  uri,
  version: 4,
  proposals: [
    { provider: 'rules', title: "Rename 'evaluation_strategy' to 'eval_strategy'", code: 'MLI501', applicability: 'safe', explanation: 'It was renamed.', edit: renameEdit(4) },
    { provider: 'llm', title: 'Rewrite the call', code: 'MLI501', applicability: 'unsafe', explanation: 'May change more.', edit: renameEdit(4) },
    { provider: 'rules', title: 'Set a seed', code: 'MLI505', applicability: 'display-only', explanation: 'Call set_seed.' },
  ],
};

describe('askFixParams', () => {
  it('sends a question only when there is one', () => {
    const range = { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } };
    assert.deepEqual(askFixParams(uri, range, undefined), { textDocument: { uri }, range });
    assert.deepEqual(askFixParams(uri, range, '  '), { textDocument: { uri }, range });
    assert.deepEqual(askFixParams(uri, range, ' use macro F1 '), { textDocument: { uri }, range, question: 'use macro F1' });
  });
});

describe('proposalItems', () => {
  it('lists the real answer as the sidecar sent it', () => {
    const real = sample(Methods.askFix);
    const items = proposalItems(real.proposals);
    assert.equal(items.length, 1);
    assert.equal(items[0]!.description, 'MLI501 · safe');
    assert.equal(staleReason(real, real.proposals[0], { version: real.version, isClosed: false }), undefined);
  });

  it('keeps the sidecar order and marks unsafe and display-only ones', () => {
    const items = proposalItems(answer.proposals);
    assert.deepEqual(items.map((i) => i.label), ["Rename 'evaluation_strategy' to 'eval_strategy'", '$(warning) Rewrite the call', '$(info) Set a seed']);
    assert.deepEqual(items.map((i) => i.description), ['MLI501 · safe', 'MLI501 · unsafe: may change behaviour', 'MLI505 · explanation only']);
    assert.equal(items[0]!.detail, 'It was renamed.');
  });
});

describe('the preview', () => {
  it('is the document with the edit applied', () => {
    const p = answer.proposals[1]!;
    assert.equal(previewText(script, p, uri), 'args = TrainingArguments(\n    eval_strategy="epoch",\n)\n');
  });

  it('matches the document however its URI is encoded, and names other files', () => {
    assert.ok(sameUri('file:///c%3A/w/train.py', 'file:///C:/w/train.py'));
    const both = { documentChanges: [...renameEdit(4, 'file:///w/train%2Epy').documentChanges, ...renameEdit(2, 'file:///w/other.py').documentChanges] };
    const { edits, otherFiles, versions } = editsFor(both, uri);
    assert.equal(edits.length, 1);
    assert.deepEqual(otherFiles, ['file:///w/other.py']);
    assert.deepEqual(versions, [4]);
  });
});

describe('staleReason', () => {
  const r = answer;
  const p = r.proposals[1]!;

  it('allows the version the edit was computed for', () => {
    assert.equal(staleReason(r, p, { version: 4, isClosed: false }), undefined);
  });

  it('refuses another version, a closed document and an edit naming another version', () => {
    assert.match(staleReason(r, p, { version: 5, isClosed: false })!, /changed \(version 4 → 5\)/);
    assert.match(staleReason(r, p, { version: 4, isClosed: true })!, /closed/);
    const odd = { ...p, edit: renameEdit(3) };
    assert.match(staleReason(r, odd, { version: 4, isClosed: false })!, /another version/);
  });
});

describe('confirmDetail', () => {
  it('warns first about an unsafe fix', () => {
    const [safe, unsafe] = answer.proposals;
    assert.match(confirmDetail(unsafe!, []), /^Unsafe fix.*\n\nMay change more\.$/s);
    assert.equal(confirmDetail(safe!, ['file:///w/x.py']), 'It was renamed.\n\nIt also changes: file:///w/x.py');
  });
});
