import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  agentBodyHtml,
  AgentViewState,
  applyUnifiedDiff,
  approvalCardHtml,
  argumentsText,
  conversation,
  findLink,
  firstChangedLine,
  launches,
  linkTarget,
  mergeEvents,
  Offered,
  parseAgentMessage,
  parseUnifiedDiff,
  publishRunId,
  renderAgentHtml,
  toolCardHtml,
} from '../../src/agentModel';
import type { AgentEvent } from '../../src/protocol';
import { Methods } from '../../src/protocol';
import { sample } from './sidecarSamples';

// A session as the sidecar streams it: the prompt, text in pieces, the inspect and check cards,
// the training approval with the sidecar's real plan (planTraining's sample answer), the launch.
const plan = () => sample(Methods.planTraining);
const started = () => sample(Methods.startRun);
const S = 's-1';
let seq = 0;
const ev = (e: Omit<AgentEvent, 'sessionId' | 'seq' | 'time'>): AgentEvent => ({ sessionId: S, seq: ++seq, time: '2026-12-07T14:00:00Z', ...e });

function session(): AgentEvent[] {
  seq = 0;
  return [
    ev({ kind: 'user', text: 'a classifier for our support tickets in data/tickets.csv; <b>no</b> spending' }),
    ev({ kind: 'text', text: 'I will look at ' }),
    ev({ kind: 'text', text: 'the data first.' }),
    ev({ kind: 'toolCall', tool: { callId: 'c1', name: 'inspect_dataset', arguments: '{"path":"data/tickets.csv"}', title: 'Inspect data/tickets.csv' } }),
    ev({
      kind: 'toolResult',
      result: {
        callId: 'c1',
        name: 'inspect_dataset',
        ok: true,
        summary: '1,200 rows, 8 classes; 3 findings',
        links: [{ kind: 'finding', label: 'MLD004 near-duplicates', uri: 'file:///w/data/tickets.csv#L12', code: 'MLD004' }],
      },
    }),
    ev({ kind: 'toolCall', tool: { callId: 'c2', name: 'check_script', arguments: '{"path":"train.py"}', title: 'Check train.py' } }),
    ev({
      kind: 'toolResult',
      result: {
        callId: 'c2',
        name: 'check_script',
        ok: true,
        summary: '2 findings',
        links: [
          { kind: 'finding', label: 'MLI501 at line 40', uri: 'file:///w/train.py#L40', code: 'MLI501' },
          { kind: 'diff', label: 'Rename evaluation_strategy', uri: 'file:///w/train.py', code: '@@ -1,1 +1,1 @@\n-a\n+b\n' },
        ],
      },
    }),
    ev({ kind: 'toolCall', tool: { callId: 'c3', name: 'plan_training', arguments: '{"data":"data"}', title: 'Plan the baseline' } }),
    ev({ kind: 'approval', approval: { approvalId: 'a1', kind: 'training', title: 'Train the baseline?', plan: plan() } }),
  ];
}

const offered = (o: Partial<Offered> = {}): Offered => ({ stepIds: [], links: () => false, sessionIds: [], canStop: false, ...o });
const state = (events: AgentEvent[], more: Partial<AgentViewState> = {}): AgentViewState => ({ sessions: [], sessionId: S, events, answered: new Set(), ...more });

describe('conversation', () => {
  it('folds text deltas into one message, results into their call cards, and offers the trailing approval', () => {
    const c = conversation(session());
    assert.deepEqual(
      c.items.map((i) => i.kind),
      ['user', 'assistant', 'tool', 'tool', 'tool', 'approval'],
    );
    const assistant = c.items[1];
    assert.equal(assistant?.kind === 'assistant' && assistant.text, 'I will look at the data first.');
    const inspect = c.items[2];
    assert.equal(inspect?.kind === 'tool' && inspect.result?.summary, '1,200 rows, 8 classes; 3 findings');
    const planCard = c.items[4];
    assert.equal(planCard?.kind === 'tool' && planCard.result, undefined, 'the plan call has no result yet');
    assert.equal(c.pendingApproval?.approvalId, 'a1');
    assert.equal(c.phase, 'waiting');
  });

  it('an approval answered here, or followed by more work, is no longer pending', () => {
    const events = session();
    assert.equal(conversation(events, new Set(['a1'])).pendingApproval, undefined);
    assert.equal(conversation(events, new Set(['a1'])).phase, 'running');
    const later = [...events, ev({ kind: 'toolResult', result: { callId: 'c3', name: 'plan_training', ok: true, summary: 'started run r1', links: [{ kind: 'run', label: 'Run r1', runId: 'r1' }], launch: started() } })];
    const c = conversation(later);
    assert.equal(c.pendingApproval, undefined);
    const approval = c.items.find((i) => i.kind === 'approval');
    assert.equal(approval?.kind === 'approval' && approval.status, 'answered');
    assert.equal(c.phase, 'running');
  });

  it('only the last next steps are active, and only while nothing came after them', () => {
    seq = 0;
    const events = [
      ev({ kind: 'nextSteps', nextSteps: [{ id: 'inspect', title: 'Inspect the data set' }] }),
      ev({ kind: 'toolCall', tool: { callId: 'g1', name: 'inspect_dataset', arguments: '{}', title: 'Inspect' } }),
      ev({ kind: 'toolResult', result: { callId: 'g1', name: 'inspect_dataset', ok: true, summary: 'ok', links: [] } }),
      ev({ kind: 'nextSteps', nextSteps: [{ id: 'check', title: 'Check train.py' }, { id: 'plan', title: 'Plan the baseline' }] }),
    ];
    const c = conversation(events);
    assert.deepEqual(c.nextSteps.map((s) => s.id), ['check', 'plan']);
    assert.equal(c.phase, 'waiting');
    const steps = c.items.filter((i) => i.kind === 'steps');
    assert.deepEqual(steps.map((s) => s.kind === 'steps' && s.active), [false, true]);
    const html = agentBodyHtml(state(events));
    assert.match(html, /data-step="inspect" disabled/);
    assert.match(html, /data-step="check">Check train.py/);
  });

  it('done and error end the session', () => {
    seq = 0;
    assert.equal(conversation([ev({ kind: 'user', text: 'x' }), ev({ kind: 'done', text: 'All done.' })]).phase, 'finished');
    assert.equal(conversation([ev({ kind: 'error', text: 'the endpoint did not answer' })]).phase, 'finished');
    assert.equal(conversation([]).phase, 'idle');
  });

  it('merges resumed and live events by seq, each once, in order', () => {
    const events = session();
    const merged = mergeEvents(events.slice(0, 5), [events[6]!, events[4]!, events[5]!]);
    assert.deepEqual(merged.map((e) => e.seq), [1, 2, 3, 4, 5, 6, 7]);
  });

  it('finds launches and links among the events', () => {
    const events = [...session(), ev({ kind: 'toolResult', result: { callId: 'c3', name: 'plan_training', ok: true, summary: 'started', links: [], launch: started() } })];
    assert.deepEqual(launches(events).map((l) => l.launch.runId), [started().runId]);
    assert.equal(findLink(events, 'c2', 1)?.kind, 'diff');
    assert.equal(findLink(events, 'c2', 2), undefined);
    assert.equal(findLink(events, 'nope', 0), undefined);
  });
});

describe('the page', () => {
  it('escapes what the user and the model wrote, and shows one card per tool call with its links', () => {
    const html = agentBodyHtml(state(session()));
    assert.ok(!html.includes('<b>no</b>'));
    assert.match(html, /&lt;b&gt;no&lt;\/b&gt; spending/);
    assert.equal((html.match(/data-kind="tool"/g) ?? []).length, 3);
    assert.match(html, /data-tool="inspect_dataset"[^>]*data-state="ok"/);
    assert.match(html, /data-tool="plan_training"[^>]*data-state="running"/);
    assert.match(html, /data-open-call="c2" data-open-index="1"[^>]*>Rename evaluation_strategy/);
    assert.match(html, /&quot;path&quot;: &quot;data\/tickets.csv&quot;/);
  });

  it('the approval card shows the plan\'s figures and Approve / Reject while pending', () => {
    const p = plan();
    const pending = approvalCardHtml({ approvalId: 'a1', kind: 'training', title: 'Train the baseline?', plan: p }, 'pending');
    assert.match(pending, /data-approve="a1"/);
    assert.match(pending, /data-reject="a1"/);
    for (const line of p.approvalPrompt.figureLines) assert.ok(pending.includes(line.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')), line);
    const answered = approvalCardHtml({ approvalId: 'a1', kind: 'training', title: 'Train the baseline?', plan: p }, 'answered');
    assert.ok(!answered.includes('data-approve'));
  });

  it('a publish approval card names the repository, and says when its preflight is blocked', () => {
    const blocked = sample(Methods.preflightPublish, '-blocked');
    const html = approvalCardHtml({ approvalId: 'p1', kind: 'publish', title: 'Publish?', preflight: blocked }, 'pending');
    assert.ok(html.includes(blocked.repoId));
    assert.match(html, /preflight is blocked/);
  });

  it('a download approval card names the data set, its files, size and license (the plan the sidecar made)', () => {
    const d = sample(Methods.planDatasetDownload);
    const html = approvalCardHtml({ approvalId: 'd1', kind: 'download', title: `Download ${d.id}`, download: d }, 'pending');
    assert.ok(html.includes(`${d.id}: ${d.files.length} Parquet file(s)`));
    assert.ok(html.includes(`license ${d.license ?? 'unknown'}`));
    assert.ok(html.includes('data-approve="d1"'));
  });

  it('a running session offers Stop; a finished one does not; the mode is shown', () => {
    seq = 0;
    const running = [ev({ kind: 'user', text: 'go' }), ev({ kind: 'toolCall', tool: { callId: 'x', name: 'inspect_dataset', arguments: '{}', title: 'Inspect' } })];
    assert.match(agentBodyHtml(state(running, { mode: 'llm' })), /data-stop/);
    assert.match(agentBodyHtml(state(running, { mode: 'guided' })), /data-mode="guided"/);
    assert.ok(!agentBodyHtml(state([...running, ev({ kind: 'done' })])).includes('data-stop'));
  });

  it('the whole page has the nonce CSP, the composer and #root with its seq', () => {
    const html = renderAgentHtml(state([]), { cspSource: 'vscode-webview:', nonce: 'N0nce' }, 7);
    assert.match(html, /script-src 'nonce-N0nce'/);
    assert.match(html, /<div id="root" data-seq="7">/);
    assert.match(html, /<textarea id="prompt"/);
    assert.match(html, /data-state="empty"/);
  });

  it('the session picker lists the sessions, the shown one selected', () => {
    const sessions = [
      { id: 's-2', title: 'Second <x>', mode: 'guided' as const, startedAt: '', updatedAt: '', state: 'done' as const },
      { id: S, title: 'First', mode: 'llm' as const, startedAt: '', updatedAt: '', state: 'waiting' as const },
    ];
    const html = agentBodyHtml(state(session(), { sessions }));
    assert.match(html, /<option value="s-1" selected>First · waiting/);
    assert.match(html, /Second &lt;x&gt;/);
    assert.match(agentBodyHtml(state([], { sessions, sessionId: undefined })), /<option value="" selected>New conversation/);
  });

  it('a tool card shows arguments that are not JSON as they are, and a failed result as failed', () => {
    assert.equal(argumentsText('{"a":1}'), '{\n  "a": 1\n}');
    assert.equal(argumentsText('{broken'), '{broken');
    assert.equal(argumentsText('{}'), '');
    const html = toolCardHtml({ callId: 'c', name: 'train', arguments: '{broken', title: 'Train' }, { callId: 'c', name: 'train', ok: false, summary: 'refused: unknown argument "gpu"', links: [] });
    assert.match(html, /data-state="failed"/);
    assert.match(html, /\{broken/);
  });
});

describe('page messages', () => {
  it('accepts a message only for what the view offers now', () => {
    const o = offered({ pendingApprovalId: 'a1', stepIds: ['plan'], links: (c, i) => c === 'c2' && i === 1, sessionIds: ['s-1'], canStop: true });
    assert.deepEqual(parseAgentMessage({ type: 'send', text: '  hi  ' }, o), { type: 'send', text: 'hi' });
    assert.equal(parseAgentMessage({ type: 'send', text: '   ' }, o), undefined);
    assert.equal(parseAgentMessage({ type: 'send', text: 'x'.repeat(20_001) }, o), undefined);
    assert.deepEqual(parseAgentMessage({ type: 'approve', approvalId: 'a1' }, o), { type: 'approve', approvalId: 'a1' });
    assert.equal(parseAgentMessage({ type: 'approve', approvalId: 'a0' }, o), undefined, 'an approval that is not pending');
    assert.deepEqual(parseAgentMessage({ type: 'reject', approvalId: 'a1' }, o), { type: 'reject', approvalId: 'a1' });
    assert.deepEqual(parseAgentMessage({ type: 'step', step: 'plan' }, o), { type: 'step', step: 'plan' });
    assert.equal(parseAgentMessage({ type: 'step', step: 'publish' }, o), undefined, 'a step not offered');
    assert.deepEqual(parseAgentMessage({ type: 'open', callId: 'c2', index: 1 }, o), { type: 'open', callId: 'c2', index: 1 });
    assert.equal(parseAgentMessage({ type: 'open', callId: 'c2', index: 1.5 }, o), undefined);
    assert.equal(parseAgentMessage({ type: 'open', callId: 'c2', index: 0 }, o), undefined);
    assert.deepEqual(parseAgentMessage({ type: 'stop' }, o), { type: 'stop' });
    assert.equal(parseAgentMessage({ type: 'stop' }, offered()), undefined, 'nothing to stop');
    assert.deepEqual(parseAgentMessage({ type: 'session', sessionId: 's-1' }, o), { type: 'session', sessionId: 's-1' });
    assert.equal(parseAgentMessage({ type: 'session', sessionId: '../x' }, o), undefined);
    assert.equal(parseAgentMessage({ type: 'run', command: 'rm -rf /' }, o), undefined);
    assert.equal(parseAgentMessage('approve', o), undefined);
    assert.equal(parseAgentMessage(null, o), undefined);
  });
});

describe('links', () => {
  it('reads a line from the fragment', () => {
    assert.deepEqual(linkTarget('file:///w/train.py#L40'), { uri: 'file:///w/train.py', line: 40 });
    assert.deepEqual(linkTarget('file:///w/train.py#L40-L42'), { uri: 'file:///w/train.py', line: 40 });
    assert.deepEqual(linkTarget('file:///w/train.py#7'), { uri: 'file:///w/train.py', line: 7 });
    assert.deepEqual(linkTarget('file:///w/train.py'), { uri: 'file:///w/train.py' });
    assert.deepEqual(linkTarget('file:///w/train.py#L0'), { uri: 'file:///w/train.py', line: undefined });
  });

  it('a publish approval is for the run its tool call names, else the run folder of its preflight', () => {
    seq = 0;
    const preflight = { ...sample(Methods.preflightPublish), folder: '/w/.mlintern/runs/r-folder/model' };
    const approval = { approvalId: 'p1', kind: 'publish' as const, title: 'Publish?', preflight };
    const withCall = [ev({ kind: 'toolCall', tool: { callId: 'c', name: 'publish', arguments: '{"runId":"r-args","repoId":"o/n"}', title: 'Publish' } }), ev({ kind: 'approval', approval })];
    assert.equal(publishRunId(withCall, approval), 'r-args');
    assert.equal(publishRunId([ev({ kind: 'approval', approval })], approval), 'r-folder');
  });
});

describe('unified diffs', () => {
  const text = ['import x', 'args = TrainingArguments(', '    evaluation_strategy="epoch",', ')', 'trainer.train()', ''].join('\n');
  const diff = ['--- a/train.py', '+++ b/train.py', '@@ -2,3 +2,3 @@', ' args = TrainingArguments(', '-    evaluation_strategy="epoch",', '+    eval_strategy="epoch",', ' )', ''].join('\n');

  it('applies a hunk where its context is, and says where it changes', () => {
    const applied = applyUnifiedDiff(text, diff);
    assert.ok('text' in applied);
    assert.equal(applied.text, text.replace('evaluation_strategy', 'eval_strategy'));
    assert.equal(firstChangedLine(diff), 2);
  });

  it('refuses a diff whose lines are no longer the file\'s', () => {
    const moved = applyUnifiedDiff(text.replace('"epoch"', '"steps"'), diff);
    assert.ok('problem' in moved);
    assert.match(moved.problem, /changed since/);
    assert.ok('problem' in applyUnifiedDiff(text, 'not a diff'));
    assert.equal(parseUnifiedDiff('@@ -1,2 +1,2 @@\n-only one line\n'), undefined, 'a hunk shorter than its header says');
  });

  it('keeps CRLF line ends, inserts at the start and applies several hunks in order', () => {
    const crlf = 'a\r\nb\r\nc\r\n';
    const r1 = applyUnifiedDiff(crlf, '@@ -2 +2 @@\n-b\n+B\n');
    assert.ok('text' in r1);
    assert.equal(r1.text, 'a\r\nB\r\nc\r\n');
    const r2 = applyUnifiedDiff('a\nb\n', '@@ -0,0 +1,1 @@\n+import os\n');
    assert.ok('text' in r2);
    assert.equal(r2.text, 'import os\na\nb\n');
    const r3 = applyUnifiedDiff('1\n2\n3\n4\n5\n', '@@ -1 +1 @@\n-1\n+one\n@@ -5 +5 @@\n-5\n+five\n');
    assert.ok('text' in r3);
    assert.equal(r3.text, 'one\n2\n3\n4\nfive\n');
  });
});

// The sidecar's real session, as mlintern/agentSession answered it (tests/MLIntern.Server.Tests/AgentSampleTests.cs):
// the guided workflow on the sample up to the training approval, then after the editor's approval.
describe('a real guided session', () => {
  const waiting = () => sample(Methods.agentSession, '-waiting');
  const launched = () => sample(Methods.agentSession, '-launched');

  it('waits for the training approval with the plan, each tool call a card with its result', () => {
    const s = waiting();
    const c = conversation(s.events);
    assert.equal(c.phase, 'waiting');
    assert.equal(c.pendingApproval?.kind, 'training');
    assert.ok(c.pendingApproval?.plan?.approvalPrompt.action);
    const tools = c.items.filter((i) => i.kind === 'tool');
    assert.ok(tools.length >= 3);
    const unfinished = tools.filter((t) => t.kind === 'tool' && !t.result).map((t) => t.kind === 'tool' && t.call.name);
    assert.deepEqual(unfinished, ['launch_training'], 'only the call waiting for the approval has no result');
    const html = agentBodyHtml(state(s.events, { sessionId: s.summary.id, mode: s.summary.mode }));
    assert.match(html, /data-tool="inspect_dataset"[^>]*data-state="ok"/);
    assert.match(html, /data-tool="check_script"/);
    assert.match(html, new RegExp(`data-approve="${c.pendingApproval!.approvalId}"`));
    assert.match(html, /data-mode="guided"/);
  });

  it('every link of its cards is one the page may open, and nothing else', () => {
    const s = waiting();
    const events = s.events;
    const results = events.flatMap((e) => (e.kind === 'toolResult' && e.result ? [e.result] : []));
    assert.ok(results.some((r) => r.links.length > 0));
    const o = offered({ links: (callId, index) => findLink(events, callId, index) !== undefined, pendingApprovalId: conversation(events).pendingApproval?.approvalId });
    for (const r of results) {
      r.links.forEach((l, i) => {
        assert.deepEqual(parseAgentMessage({ type: 'open', callId: r.callId, index: i }, o), { type: 'open', callId: r.callId, index: i });
        if (l.kind === 'finding') assert.ok(linkTarget(l.uri!).line! >= 1, `a finding link has its line: ${l.uri}`);
      });
      assert.equal(parseAgentMessage({ type: 'open', callId: r.callId, index: r.links.length }, o), undefined);
    }
    const diff = results.flatMap((r) => r.links).find((l) => l.kind === 'diff');
    if (diff) assert.ok(parseUnifiedDiff(diff.code ?? ''), 'the proposed fix is a unified diff the view can apply');
  });

  it('after the approval the launch is there to run once, and the approval is no longer offered', () => {
    const s = launched();
    const c = conversation(s.events);
    assert.equal(c.pendingApproval, undefined);
    const runs = launches(s.events);
    assert.equal(runs.length, 1);
    assert.ok(runs[0]!.launch.task.args.includes('--run'));
    assert.ok(!agentBodyHtml(state(s.events)).includes('data-approve='));
  });
});
