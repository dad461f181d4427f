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
  isRepoId,
  parseCardResult,
  parseDemoResult,
  parseLanguages,
  parsePreflight,
  parseStartPublish,
  preflightMarkdown,
  publishDialog,
  publishTaskName,
  PublishRequest,
  repoIdProblem,
  runFromArgument,
  runPickItems,
  serveTask,
} from '../../src/releaseModel';
import type { RunSummary } from '../../src/trainingModel';

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
  it('accepts owner/name as the Hub does', () => {
    for (const ok of ['acme/ticket-intent', 'a/b', 'Org_1/model.v2', 'user/x-y_z.1']) assert.equal(isRepoId(ok), true, ok);
    for (const bad of ['', 'acme', 'acme/', '/name', 'a/b/c', '-a/b', 'a/b-', 'a/b.', 'a/b--c', 'a/b..c', 'a b/c', 'a/' + 'x'.repeat(97), 'acme/ticket intent']) assert.equal(isRepoId(bad), false, bad);
  });

  it('says why a repo id is refused', () => {
    assert.equal(repoIdProblem('acme/model'), undefined);
    assert.equal(repoIdProblem(' acme/model '), undefined);
    assert.match(repoIdProblem('')!, /owner\/name/);
    assert.match(repoIdProblem('acme')!, /owner\/name/);
    assert.match(repoIdProblem('a/b/c')!, /one slash/);
    assert.match(repoIdProblem('a/b--c')!, /no "--"/);
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
  const answer = {
    path: '/w/.mlintern/runs/r/model/README.md',
    modelFolder: '/w/.mlintern/runs/r/model',
    unfilled: ['license', 'language', 'datasets'],
    problems: [
      { severity: 'error', field: 'license', message: 'license is missing' },
      { severity: 'warning', field: 'library_name', message: "'mlintern' is not a library the Hub integrates" },
      { severity: 'error', field: 'license', message: 'unfilled: license' },
      { severity: 'error', field: 'language', message: 'unfilled: language' },
    ],
    valid: false,
  };

  it('lists the unfilled fields and the problems once, and offers to fill them in', () => {
    const card = parseCardResult(answer);
    assert.ok(card);
    const m = cardMessage(card);
    assert.equal(m.kind, 'warning');
    assert.match(m.message, /not ready to publish/);
    assert.match(m.message, /unfilled: license, language, datasets/);
    assert.match(m.message, /1 problem\(s\): license: license is missing/);
    assert.match(m.message, /warning: library_name/);
    assert.doesNotMatch(m.message, /unfilled: license'|license: unfilled/);
    assert.deepEqual(m.actions, [FillInAction]);
  });

  it('says a complete card passes', () => {
    const m = cardMessage(parseCardResult({ path: '/x/README.md', unfilled: [], problems: [], valid: true })!);
    assert.equal(m.kind, 'info');
    assert.deepEqual(m.actions, []);
    const warned = cardMessage(parseCardResult({ path: '/x/README.md', unfilled: [], problems: [{ severity: 'warning', field: 'library_name', message: 'w' }], valid: true })!);
    assert.equal(warned.kind, 'warning');
    assert.doesNotMatch(warned.message, /not ready/);
    assert.deepEqual(warned.actions, []);
  });

  it('refuses an answer without a path', () => {
    assert.equal(parseCardResult({ unfilled: [] }), undefined);
  });
});

describe('the demo', () => {
  it('reads the serve command and runs the resolved sidecar in place of "mlintern"', () => {
    const demo = parseDemoResult({
      folder: '/w/.mlintern/runs/r/space',
      files: ['/w/.mlintern/runs/r/space/app.py', '/w/.mlintern/runs/r/space/requirements.txt', '/w/.mlintern/runs/r/space/README.md'],
      unfilled: ['models', 'license'],
      serve: { command: 'mlintern', args: ['demo', '/w/.mlintern/runs/r', '--serve', '--port', '7860'], url: 'http://127.0.0.1:7860/' },
    });
    assert.ok(demo?.serve);
    assert.deepEqual(serveTask(demo.serve, '/ext/dist/server/mlintern'), { command: '/ext/dist/server/mlintern', args: ['demo', '/w/.mlintern/runs/r', '--serve', '--port', '7860'] });
    assert.equal(parseDemoResult({ folder: '/f', files: [], unfilled: [], serve: null })?.serve, undefined);
    assert.equal(parseDemoResult({ folder: '/f', serve: { command: 'x', args: [1], url: 'u' } })?.serve, undefined);
  });

  it('opens only a local URL', () => {
    assert.equal(isLocalUrl('http://127.0.0.1:7860/'), true);
    assert.equal(isLocalUrl('http://localhost:7860'), true);
    assert.equal(isLocalUrl('https://example.com/'), false);
    assert.equal(isLocalUrl('http://127.0.0.1.evil.com/'), false);
    assert.equal(isLocalUrl('file:///etc/passwd'), false);
  });
});

const passedPreflight = {
  repoId: 'acme/ticket-intent',
  repoType: 'model',
  private: true,
  folder: '/w/.mlintern/runs/r/model',
  files: [
    { path: 'README.md', size: 5638 },
    { path: 'model.bin', size: 186094 },
  ],
  totalBytes: 191732,
  problems: [],
  cardWarnings: [{ severity: 'warning', field: 'library_name', message: "'mlintern' is not a library the Hub integrates" }],
  fileListHash: '9d439db435c2aa',
  passed: true,
};

const request: PublishRequest = { workspaceFolder: '/w', runId: 'r', repoId: 'acme/ticket-intent', repoType: 'model', private: true };

describe('the publish preflight and approval', () => {
  it('reads the preflight and fails closed', () => {
    const p = parsePreflight(passedPreflight);
    assert.ok(p);
    assert.equal(p.passed, true);
    assert.equal(p.files.length, 2);
    assert.equal(parsePreflight({ ...passedPreflight, passed: undefined })?.passed, false);
    assert.equal(parsePreflight({ ...passedPreflight, problems: [{ kind: 'secret', message: 'x' }] })?.passed, false);
    assert.equal(parsePreflight({ ...passedPreflight, fileListHash: undefined }), undefined);
  });

  it('the approval modal names the repo, its visibility, every file with its size and the total', () => {
    const p = parsePreflight(passedPreflight)!;
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
    const pub = publishDialog(parsePreflight({ ...passedPreflight, private: false })!);
    assert.match(pub!.detail, /Visibility: public — anyone/);
  });

  it('approves only with the dialog\'s own button, and sends the hash that was shown', () => {
    const p = parsePreflight(passedPreflight)!;
    const d = publishDialog(p);
    assert.deepEqual(approvePublishParams(request, p, d, ApprovePublishAction), { ...request, fileListHash: '9d439db435c2aa' });
    assert.equal(approvePublishParams(request, p, d, undefined), undefined);
    assert.equal(approvePublishParams(request, p, d, 'Cancel'), undefined);
    assert.equal(approvePublishParams(request, p, undefined, ApprovePublishAction), undefined);
  });

  it('a failed preflight has no approval dialog; its blocked dialog says why and that nothing was uploaded', () => {
    const p = parsePreflight({
      ...passedPreflight,
      passed: false,
      problems: [
        { kind: 'card', message: 'unfilled: license', file: '/w/.mlintern/runs/r/model/README.md' },
        { kind: 'secret', message: 'Hugging Face token hf_Ab…(masked)', file: '/w/.mlintern/runs/r/model/notes.txt', line: 3 },
      ],
    })!;
    assert.equal(publishDialog(p), undefined);
    assert.equal(approvePublishParams(request, p, { message: '', detail: '', action: ApprovePublishAction }, ApprovePublishAction), undefined);
    const b = blockedDialog(p);
    assert.match(b.message, /Publish blocked: 2 problem\(s\).*Nothing was uploaded/);
    assert.match(b.detail, /card: unfilled: license \(README\.md\)/);
    assert.match(b.detail, /secret: .*\(notes\.txt:3\)/);
    assert.match(b.detail, /Files checked \(2, 187 KB\)/);
  });

  it('writes the preflight report as Markdown', () => {
    const md = preflightMarkdown(parsePreflight(passedPreflight)!);
    assert.match(md, /^# Publish preflight: model acme\/ticket-intent \(private\)/);
    assert.match(md, /\*\*Passed\.\*\*/);
    assert.match(md, /\| `README\.md` \| 5\.5 KB \(5,638 bytes\) \|/);
    assert.match(md, /\| `model\.bin` \| 182 KB \(186,094 bytes\) \|/);
    assert.match(md, /File list hash: `9d439db435c2aa`/);
    const blocked = preflightMarkdown(parsePreflight({ ...passedPreflight, passed: false, problems: [{ kind: 'personal-data', message: 'an e-mail address' }] })!);
    assert.match(blocked, /\*\*Blocked: 1 problem\(s\)\.\*\* Nothing was uploaded\./);
    assert.match(blocked, /## Problems/);
  });

  it('reads the upload command', () => {
    const s = parseStartPublish({ command: 'hf', args: ['upload', 'acme/ticket-intent', '/w/m', '--repo-type', 'model', '--private'], cwd: '/w/r', commandLine: 'hf upload acme/ticket-intent /w/m --repo-type model --private' });
    assert.equal(s?.command, 'hf');
    assert.equal(s?.args.length, 6);
    assert.equal(parseStartPublish({ command: 'hf', args: 'upload', cwd: '/' }), undefined);
    assert.equal(parseStartPublish({ command: 'hf', args: [], cwd: '/', approval: { id: 'pub-1' } })?.approvalId, 'pub-1');
    assert.equal(parseStartPublish({ command: 'hf', args: [], cwd: '/', approval: { id: 7 } })?.approvalId, undefined);
    assert.equal(publishTaskName({ repoType: 'model', repoId: 'acme/x' }), 'Publish model acme/x');
  });

  it('formats sizes', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(1023), '1023 B');
    assert.equal(formatBytes(1536), '1.5 KB');
    assert.equal(formatBytes(20 * 1024 * 1024), '20 MB');
    assert.equal(formatBytes(-1), '?');
  });
});
