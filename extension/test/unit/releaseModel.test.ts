import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  approvePublishParams,
  ApprovePublishAction,
  askableFields,
  blockedDialog,
  cardMessage,
  FillInAction,
  formatBytes,
  isLocalUrl,
  parseLanguages,
  preflightMarkdown,
  publishDialog,
  publishTaskName,
  PublishRequest,
  runFromArgument,
  runPickItems,
  serveTask,
} from '../../src/releaseModel';
import { Methods, type CardResult, type PreflightReport } from '../../src/protocol';
import type { RunSummary } from '../../src/trainingModel';
import { sample } from './sidecarSamples';

const runs = [
  { id: '20261128-040000-aaaa', title: 'Built-in baseline on tickets.csv', status: 'running', runDir: '/w/.mlintern/runs/20261128-040000-aaaa' },
  { id: '20261128-033359-e0ba', title: 'Built-in baseline on data', status: 'succeeded', kind: 'baseline', runDir: '/w/.mlintern/runs/20261128-033359-e0ba' },
  { id: '20261127-010101-ffff', title: 'train.py', status: 'failed', exitCode: 1 },
  { id: '20261127-000000-smok', title: 'Smoke test', status: 'succeeded', smoke: true },
] as unknown as RunSummary[];

describe('picking a run', () => {
  it('offers the finished runs only', () => {
    const items = runPickItems(runs);
    assert.deepEqual(items.map((i) => i.run.id), ['20261128-033359-e0ba', '20261127-000000-smok']);
    assert.equal(items[0]!.description, '20261128-033359-e0ba · baseline');
    assert.equal(items[1]!.description, '20261127-000000-smok · smoke test');
  });

  it('takes the run a Runs view row or another command names', () => {
    assert.equal(runFromArgument(runs[1], []), runs[1]);
    assert.equal(runFromArgument('20261128-033359-e0ba', runs), runs[1]);
    assert.equal(runFromArgument('unknown-id', runs), 'unknown-id');
    assert.equal(runFromArgument(undefined, runs), undefined);
    assert.equal(runFromArgument({ id: 1 }, runs), undefined);
    assert.equal(runFromArgument('', runs), undefined);
  });
});

describe('repo ids and card fields', () => {
  it('takes the sidecar\'s word on repo ids (mlintern/checkRepoId; the rule is Preflight.RepoIdProblem)', () => {
    assert.deepEqual(sample(Methods.checkRepoId), { valid: true });
    const invalid = sample(Methods.checkRepoId, '-invalid');
    assert.equal(invalid.valid, false);
    assert.match(invalid.problem ?? '', /--/);
  });

  it('reads language codes', () => {
    assert.deepEqual(parseLanguages('en'), ['en']);
    assert.deepEqual(parseLanguages('en, de fr,en'), ['en', 'de', 'fr']);
    assert.deepEqual(parseLanguages('pt-BR'), ['pt-BR']);
    assert.equal(parseLanguages('English'), undefined);
    assert.equal(parseLanguages(''), undefined);
  });

  it('knows which unfilled fields it can ask for', () => {
    assert.deepEqual(askableFields(['license', 'language', 'datasets']), ['license', 'language', 'datasets']);
    assert.deepEqual(askableFields(['models', 'license', 'something-else']), ['models', 'license']);
    assert.deepEqual(askableFields([]), []);
  });
});

describe('the model card result', () => {
  // The sidecar's answer for a complete card, and the same card with fields left unfilled.
  const complete = (): CardResult => sample(Methods.createCard);
  const unfilled = (): CardResult => ({
    ...complete(),
    unfilled: ['license', 'language', 'datasets'],
    problems: [
      { severity: 'error', field: 'license', message: 'license is missing', unfilled: false },
      { severity: 'warning', field: 'library_name', message: "'mlintern' is not a library the Hub integrates", unfilled: false },
      { severity: 'error', field: 'license', message: 'unfilled: license', unfilled: true },
      { severity: 'error', field: 'language', message: 'unfilled: language', unfilled: true },
    ],
    valid: false,
    ready: false,
  });

  it('lists the unfilled fields and the problems once, and offers to fill them in', () => {
    const m = cardMessage(unfilled());
    assert.equal(m.kind, 'warning');
    assert.match(m.message, /not ready to publish/);
    assert.match(m.message, /unfilled: license, language, datasets/);
    assert.match(m.message, /1 problem\(s\): license: license is missing/);
    assert.match(m.message, /warning: library_name/);
    assert.doesNotMatch(m.message, /unfilled: license'|license: unfilled/);
    assert.deepEqual(m.actions, [FillInAction]);
  });

  it('says a complete card passes, and a warning alone does not make it unready', () => {
    assert.equal(complete().ready, true);
    const m = cardMessage({ ...complete(), problems: [] });
    assert.equal(m.kind, 'info');
    assert.deepEqual(m.actions, []);
    const warned = cardMessage({ ...complete(), problems: [{ severity: 'warning', field: 'library_name', message: 'w', unfilled: false }] });
    assert.equal(warned.kind, 'warning');
    assert.doesNotMatch(warned.message, /not ready/);
    assert.deepEqual(warned.actions, []);
  });
});

describe('the demo', () => {
  it('runs the resolved sidecar in place of "mlintern" to serve a baseline\'s demo', () => {
    const demo = sample(Methods.createDemo);
    assert.ok(demo.serve);
    assert.equal(demo.serve.command, 'mlintern');
    assert.deepEqual(serveTask(demo.serve, '/ext/dist/server/mlintern'), { command: '/ext/dist/server/mlintern', args: demo.serve.args });
    assert.equal(isLocalUrl(demo.serve.url), true);
  });

  it('opens only a local URL', () => {
    assert.equal(isLocalUrl('http://127.0.0.1:7860/'), true);
    assert.equal(isLocalUrl('http://localhost:7860'), true);
    assert.equal(isLocalUrl('https://example.com/'), false);
    assert.equal(isLocalUrl('http://127.0.0.1.evil.com/'), false);
    assert.equal(isLocalUrl('file:///etc/passwd'), false);
  });
});

// The sidecar's answer for the sample run's Space (passed), and one with a model card's files.
const spacePreflight = (): PreflightReport => sample(Methods.preflightPublish);
const passedPreflight: PreflightReport = {
  ...spacePreflight(),
  repoId: 'acme/ticket-intent',
  repoType: 'model',
  private: true,
  folder: '/w/.mlintern/runs/r/model',
  files: [
    { path: 'README.md', size: 5638 },
    { path: 'model.bin', size: 186094 },
  ],
  totalBytes: 191732,
  cardWarnings: [{ severity: 'warning', field: 'library_name', message: "'mlintern' is not a library the Hub integrates", unfilled: false }],
  fileListHash: '9d439db435c2aa',
};

const request: PublishRequest = { workspaceFolder: '/w', runId: 'r', repoId: 'acme/ticket-intent', repoType: 'model', private: true };

describe('the publish preflight and approval', () => {
  it('shows what the sidecar decided: a passed preflight, and one blocked by the repo id', () => {
    const p = spacePreflight();
    assert.equal(p.passed, true);
    assert.equal(p.repoIdValid, true);
    assert.ok(publishDialog(p)?.detail.includes(`Files to upload (${p.files.length}, `));
    const blocked = sample(Methods.preflightPublish, '-blocked');
    assert.deepEqual([blocked.passed, blocked.repoIdValid], [false, false]);
    assert.equal(publishDialog(blocked), undefined);
    assert.match(blockedDialog(blocked).detail, /repo-id: /);
  });

  it('the approval modal names the repo, its visibility, every file with its size and the total', () => {
    const p = passedPreflight;
    const d = publishDialog(p);
    assert.ok(d);
    assert.equal(d.action, ApprovePublishAction);
    assert.match(d.message, /Publish 2 file\(s\) to the private model acme\/ticket-intent/);
    assert.match(d.detail, /Repository: acme\/ticket-intent \(model\)/);
    assert.match(d.detail, /Visibility: private/);
    assert.match(d.detail, /README\.md — 5\.5 KB/);
    assert.match(d.detail, /model\.bin — 182 KB/);
    assert.match(d.detail, /Files to upload \(2, 187 KB in total\)/);
    assert.match(d.detail, /library_name/);
    const pub = publishDialog({ ...passedPreflight, private: false });
    assert.match(pub!.detail, /Visibility: public — anyone/);
  });

  it('approves only with the dialog\'s own button, and sends the hash that was shown', () => {
    const p = passedPreflight;
    const d = publishDialog(p);
    assert.deepEqual(approvePublishParams(request, p, d, ApprovePublishAction), { ...request, fileListHash: '9d439db435c2aa' });
    assert.equal(approvePublishParams(request, p, d, undefined), undefined);
    assert.equal(approvePublishParams(request, p, d, 'Cancel'), undefined);
    assert.equal(approvePublishParams(request, p, undefined, ApprovePublishAction), undefined);
  });

  it('a failed preflight has no approval dialog; its blocked dialog says why and that nothing was uploaded', () => {
    const p: PreflightReport = {
      ...passedPreflight,
      passed: false,
      problems: [
        { kind: 'card', message: 'unfilled: license', file: '/w/.mlintern/runs/r/model/README.md' },
        { kind: 'secret', message: 'Hugging Face token hf_Ab…(masked)', file: '/w/.mlintern/runs/r/model/notes.txt', line: 3 },
      ],
    };
    assert.equal(publishDialog(p), undefined);
    assert.equal(approvePublishParams(request, p, { message: '', detail: '', action: ApprovePublishAction }, ApprovePublishAction), undefined);
    const b = blockedDialog(p);
    assert.match(b.message, /Publish blocked: 2 problem\(s\).*Nothing was uploaded/);
    assert.match(b.detail, /card: unfilled: license \(README\.md\)/);
    assert.match(b.detail, /secret: .*\(notes\.txt:3\)/);
    assert.match(b.detail, /Files checked \(2, 187 KB\)/);
  });

  it('writes the preflight report as Markdown', () => {
    const md = preflightMarkdown(passedPreflight);
    assert.match(md, /^# Publish preflight: model acme\/ticket-intent \(private\)/);
    assert.match(md, /\*\*Passed\.\*\*/);
    assert.match(md, /\| `README\.md` \| 5\.5 KB \(5,638 bytes\) \|/);
    assert.match(md, /\| `model\.bin` \| 182 KB \(186,094 bytes\) \|/);
    assert.match(md, /File list hash: `9d439db435c2aa`/);
    const blocked = preflightMarkdown({ ...passedPreflight, passed: false, problems: [{ kind: 'personal-data', message: 'an e-mail address' }] });
    assert.match(blocked, /\*\*Blocked: 1 problem\(s\)\.\*\* Nothing was uploaded\./);
    assert.match(blocked, /## Problems/);
  });

  it('names the upload task after the repo the sidecar\'s start answer uploads to', () => {
    const started = sample(Methods.startPublish);
    assert.equal(started.command, 'hf');
    assert.equal(started.approval.status, 'uploading');
    assert.equal(publishTaskName(started.approval), `Publish ${started.approval.repoType} ${started.approval.repoId}`);
    assert.equal(sample(Methods.publishExited).approval.status, 'failed');
  });

  it('formats sizes', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(1023), '1023 B');
    assert.equal(formatBytes(1536), '1.5 KB');
    assert.equal(formatBytes(20 * 1024 * 1024), '20 MB');
    assert.equal(formatBytes(-1), '?');
  });
});
