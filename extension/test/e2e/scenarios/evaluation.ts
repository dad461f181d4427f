// Scenario evaluation: on the sample with its built-in baseline trained (`mlintern train --data data
// --approve` in setup), "ML Intern: Evaluate Run" opens the Evaluation panel: the leakage audit's
// alarm with the drop `mlintern evaluate --format json` computes ("macro-F1 1.000 → 0.xxx when no
// template is shared"), charts, and a confusion matrix that toggles to row-normalised. "Create Model
// Card" opens README.md with its YAML front matter and lists the unfilled fields; "Publish…" with
// them unfilled is blocked (nothing uploads); "Fill In…" completes the card; "Publish…" then shows the
// preflight's file list and the approval modal with every file, and Cancel there uploads nothing: no
// approval in run.json, no upload command logged, no publish terminal, no `hf` process. The Runs
// view's inline action evaluates again; "Create Demo" → "Serve Locally" runs the baseline's local demo
// as a task, and its page classifies a text in the browser.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { descendants } from '../harness/processes';
import { sidecarPath } from '../harness/paths';
import { Scenario, ScenarioContext } from '../harness/scenario';
import { packagedExtensionSetup, removeWorkspace } from '../harness/setup';
import { makeSampleWorkspace, sidecarJson } from '../harness/sidecar';
import { notYet, waitFor } from '../harness/wait';

let workspace = '';
let runId = '';

interface EvaluateJson {
  readonly metrics: { readonly macro: { readonly f1: number }; readonly labels: readonly string[] };
  readonly audit?: { readonly alarm: boolean; readonly templates?: { readonly baselineMacroF1: number; readonly groupSplitMacroF1: number } };
}

function runJson(): { publications?: unknown[] } {
  return JSON.parse(fs.readFileSync(path.join(workspace, '.mlintern', 'runs', runId, 'run.json'), 'utf8')) as { publications?: unknown[] };
}

/** What an upload would leave behind: an approval in run.json, the upload command in the log, a terminal, a process. */
async function uploadTraces(ctx: ScenarioContext): Promise<string[]> {
  const traces: string[] = [];
  const publications = runJson().publications ?? [];
  if (publications.length > 0) traces.push(`run.json records ${publications.length} publication(s)`);
  const log = ctx.codeServer.extensionLog('mlintern.mlintern', 'ML Intern');
  if (/Publishing: |Publish approved/.test(log)) traces.push('the log shows an approved publish / an upload command');
  const tabs = await ctx.page.locator('.part.panel .terminal-tabs-entry, .part.panel .single-terminal-tab, .part.panel .terminal-tab').allInnerTexts().catch(() => [] as string[]);
  if (tabs.some((t) => /Publish/.test(t))) traces.push(`a publish terminal: ${tabs.join(', ')}`);
  const hf = descendants(ctx.codeServer.pid).filter((p) => p.argv.some((a) => /(^|\/)hf$/.test(a)) || p.argv.includes('upload'));
  if (hf.length > 0) traces.push(`upload processes: ${hf.map((p) => p.argv.join(' ')).join('; ')}`);
  return traces;
}

async function evaluationFrame(ctx: ScenarioContext, selector: string): Promise<Frame> {
  return ctx.workbench.webviewFrame(`header[data-run-id="${runId}"][data-state="report"] ~ ${selector}`, { timeoutMs: 5_000 });
}

/** Publish… → repo id, type, visibility; returns the modal's text. */
async function publishUntilDialog(ctx: ScenarioContext, repoId: string): Promise<string> {
  const wb = ctx.workbench;
  await wb.runCommand('ML Intern: Publish…');
  await wb.fillInputBox(/Hugging Face repository/, repoId);
  await waitFor('the repository type picker', async () => ((await wb.pickIfOpen(/^Model/, { timeoutMs: 3_000 }).catch(() => false)) ? true : notYet('no picker')), { timeoutMs: 20_000 });
  await waitFor('the visibility picker', async () => ((await wb.pickIfOpen(/^Private/, { timeoutMs: 3_000 }).catch(() => false)) ? true : notYet('no picker')), { timeoutMs: 20_000 });
  return wb.waitForDialog(/Publish/, { timeoutMs: 60_000 });
}

export const evaluation: Scenario = {
  name: 'evaluation',
  title: 'Evaluate Run (the audit\'s drop, charts), Create Model Card (front matter, Fill In…), Publish… blocked, then cancelled at the approval modal',

  setup() {
    workspace = makeSampleWorkspace();
    const r = spawnSync(sidecarPath(), ['train', '--data', 'data', '--approve'], { cwd: workspace, encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`mlintern train failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    const runs = fs.readdirSync(path.join(workspace, '.mlintern', 'runs'));
    if (runs.length !== 1) throw new Error(`expected one run folder, found ${runs.join(', ')}`);
    runId = runs[0]!;
    if (process.env.MLINTERN_E2E_SIDECAR) {
      fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
      fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'mlintern.server.path': process.env.MLINTERN_E2E_SIDECAR }, null, 2));
    }
    return packagedExtensionSetup();
  },

  cleanup(passed) {
    removeWorkspace(workspace, passed);
  },

  async run(ctx) {
    const wb = ctx.workbench;
    const page = ctx.page;

    const expected = await ctx.step('mlintern evaluate --format json: the audit\'s figures to expect', () => {
      const report = sidecarJson<EvaluateJson>(['evaluate', runId, '--format', 'json'], workspace);
      const t = report.audit?.templates;
      if (!report.audit?.alarm || !t) throw new Error(`the sample's run should raise the audit with a template drop: ${JSON.stringify(report.audit)?.slice(0, 500)}`);
      const drop = `macro-F1 ${t.baselineMacroF1.toFixed(3)} → ${t.groupSplitMacroF1.toFixed(3)} when no template is shared between train and test`;
      ctx.note(`run ${runId}: ${drop}; ${report.metrics.labels.length} labels`);
      return { drop, labels: report.metrics.labels.length };
    });

    await ctx.step('open the sample folder; the sidecar runs', async () => {
      await wb.openFolder(ctx.codeServer.folderUrl(workspace));
      await wb.waitForStatusBar('ML Intern: running', { timeoutMs: 60_000 });
    });

    await ctx.step('Evaluate Run: the Evaluation panel shows the audit alarm with the drop, and charts', async () => {
      await wb.runCommand('ML Intern: Evaluate Run');
      const seen = await waitFor('the Evaluation panel with the audit alarm', async () => {
        const frame = await evaluationFrame(ctx, 'section.audit[data-audit="alarm"]').catch(() => undefined);
        if (!frame) return notYet('no Evaluation panel with an audit alarm yet');
        const drop = (await frame.$eval('section.audit p.drop', (e) => (e as HTMLElement).innerText).catch(() => '')).replace(/\u00a0/g, ' ');
        const charts = await frame.$$eval('svg.eval-chart', (els) => els.map((e) => e.getAttribute('data-chart')));
        const rows = await frame.$$eval('table.per-class tr.class-row', (els) => els.length);
        return drop.includes(expected.drop) && charts.includes('drop') && charts.includes('per-class-f1') ? { drop, charts, rows } : notYet({ drop, charts, rows });
      }, { timeoutMs: 60_000 });
      if (seen.rows !== expected.labels) throw new Error(`${seen.rows} per-class rows, expected ${expected.labels}`);
      ctx.note(`"${seen.drop}"; charts: ${seen.charts.join(', ')}`);
    });

    await ctx.step('the confusion matrix toggles to row-normalised', async () => {
      const frame = await evaluationFrame(ctx, 'section[data-section="confusion"]');
      await frame.click('button[data-cm="normalized"]');
      await waitFor('the row-normalised matrix to show', async () => {
        const visible = await frame.$$eval('table.confusion', (els) => els.filter((e) => !(e as HTMLElement).hidden).map((e) => e.getAttribute('data-mode')));
        return visible.length === 1 && visible[0] === 'normalized' ? true : notYet(visible);
      });
      await frame.$eval('section[data-section="confusion"]', (e) => e.scrollIntoView());
    });

    await ctx.step('Create Model Card: README.md opens with its YAML front matter; the unfilled fields are listed', async () => {
      await wb.runCommand('ML Intern: Create Model Card');
      await wb.waitForActiveEditor('README.md', { timeoutMs: 30_000 });
      await wb.waitForEditorText('start with the model card\'s front matter', (t) => /^---\n/.test(t) && /library_name: mlintern/.test(t) && /model-index:/.test(t), { timeoutMs: 20_000 });
      const warning = await wb.waitForNotification(/model card written.*unfilled: license, language, datasets/, { timeoutMs: 20_000 });
      ctx.note(warning.slice(0, 200));
    });

    await ctx.step('Publish… with the card unfilled: the preflight blocks it and says why; nothing uploads', async () => {
      const text = await publishUntilDialog(ctx, 'acme/ticket-intent');
      if (!/Publish blocked/.test(text) || !/unfilled/.test(text) || !/Nothing was uploaded/.test(text)) throw new Error(`expected the blocked dialog:\n${text}`);
      if (/Approve and Publish/.test(text)) throw new Error(`a blocked preflight offers approval:\n${text}`);
      await wb.clickDialogButton('Cancel');
      const traces = await uploadTraces(ctx);
      if (traces.length > 0) throw new Error(`a blocked publish left traces: ${traces.join('; ')}`);
    });

    await ctx.step('Create Model Card → Fill In… (license, language, data set): the card is complete', async () => {
      // The first Create Model Card's warning is still open (its flow waits on it): cleared, so the one answered is this run's.
      await wb.runCommand('Notifications: Clear All Notifications');
      await wb.runCommand('ML Intern: Create Model Card');
      await wb.clickNotificationButton(/unfilled: license, language, datasets/, 'Fill In…', { timeoutMs: 30_000 });
      await waitFor('the license picker', async () => ((await wb.pickIfOpen(/^mit/, { timeoutMs: 3_000 }).catch(() => false)) ? true : notYet('no picker')), { timeoutMs: 20_000 });
      await wb.fillInputBox(/Language/, 'en');
      await wb.fillInputBox(/data set on the Hub/, 'acme/support-tickets');
      await wb.waitForActiveEditor('README.md', { timeoutMs: 30_000 });
      await wb.waitForEditorText('have license: mit and the data set', (t) => /license: mit/.test(t) && /acme\/support-tickets/.test(t), { timeoutMs: 30_000 });
      const card = fs.readFileSync(path.join(workspace, '.mlintern', 'runs', runId, 'model', 'README.md'), 'utf8');
      if (/mlintern:unfilled [a-z]/.test(card)) throw new Error(`the card still lists unfilled fields: ${/<!-- mlintern:unfilled[^>]*>/.exec(card)?.[0]}`);
    });

    await ctx.step('Publish…: the preflight lists the files; the approval modal names repo, visibility and every file', async () => {
      const text = await publishUntilDialog(ctx, 'acme/ticket-intent');
      for (const needed of [/acme\/ticket-intent/, /Visibility: private/, /README\.md — /, /model\.bin — /, /Files to upload \(2, .* in total\)/]) {
        if (!needed.test(text)) throw new Error(`the approval dialog lacks ${needed}:\n${text}`);
      }
      if (!/Approve and Publish/.test(text)) throw new Error(`no approving button:\n${text}`);
      // The preflight report opened beside the editor lists the same files.
      const report = await waitFor('the preflight report editor', async () => {
        const tabs = await page.locator('.tabs-container .tab').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
        return tabs.find((t) => /acme_ticket-intent-model-preflight\.md/.test(t)) ?? notYet(tabs);
      }, { timeoutMs: 20_000 });
      ctx.note(`${report}; dialog: ${text.split('\n').filter((l) => / — /.test(l)).join(' | ')}`);
    });

    await ctx.step('Cancel at the approval modal: nothing is approved, no upload command runs', async () => {
      await wb.clickDialogButton('Cancel');
      await wb.waitForNotification(/not published/);
      const traces = await uploadTraces(ctx);
      if (traces.length > 0) throw new Error(`cancelling left traces of an upload: ${traces.join('; ')}`);
    });

    await ctx.step('the Runs view: the run\'s inline "Evaluate Run" action evaluates it again', async () => {
      const evaluations = () => (ctx.codeServer.extensionLog('mlintern.mlintern', 'ML Intern').match(new RegExp(`Evaluated run ${runId}`, 'g')) ?? []).length;
      const before = evaluations();
      await wb.openViewContainer('ML Intern');
      const row = page.locator('.part.sidebar .monaco-list-row').filter({ hasText: /Built-in baseline/ }).first();
      await row.waitFor({ state: 'visible', timeout: 30_000 });
      await row.hover();
      await row.locator('.actions .action-label[aria-label^="Evaluate Run"]').first().click();
      await waitFor('one more evaluation in the log', () => (evaluations() > before ? true : notYet(evaluations())), { timeoutMs: 30_000 });
      await evaluationFrame(ctx, 'section.audit[data-audit="alarm"]');
    });

    await ctx.step('Create Demo → Serve Locally: the baseline\'s demo runs as a task and classifies a text in the browser', async () => {
      await wb.runCommand('ML Intern: Create Demo');
      await wb.waitForActiveEditor('app.py', { timeoutMs: 30_000 });
      await wb.clickNotificationButton(/demo written to .*space/, 'Serve Locally', { timeoutMs: 30_000 });
      const url = (await wb.waitForNotification(/the demo is starting at http:\/\/127\.0\.0\.1:\d+\//, { timeoutMs: 30_000 })).match(/http:\/\/127\.0\.0\.1:\d+\//)![0];
      const servers = () => descendants(ctx.codeServer.pid).filter((p) => p.argv.includes('demo') && p.argv.includes('--serve'));
      await waitFor('the demo server process under code-server', () => (servers().length === 1 ? true : notYet(servers().map((p) => p.argv.join(' ')))), { timeoutMs: 30_000 });
      const demo = await page.context().newPage();
      try {
        await waitFor(`${url} to answer`, async () => ((await demo.goto(url).then((r) => r?.ok()).catch(() => false)) ? true : notYet('not yet')), { timeoutMs: 30_000 });
        await demo.fill('#text', 'I want to cancel my order');
        await demo.click('#go');
        const label = await waitFor('a label and its scores', async () => {
          const text = (await demo.locator('#label').innerText()).trim();
          const rows = await demo.locator('#scores .row').count();
          return text.startsWith('→') && rows > 0 ? `${text} (${rows} scores)` : notYet({ text, rows });
        }, { timeoutMs: 15_000 });
        await demo.screenshot({ path: path.join(ctx.artifactsDir, 'demo-page.png') });
        ctx.note(`${url}: ${label}`);
        if (!/cancel_order/.test(label)) throw new Error(`"I want to cancel my order" was classified ${label}`);
      } finally {
        await demo.close();
        // The scenario started this server (through the task); it ends it.
        for (const p of servers()) process.kill(p.pid, 'SIGTERM');
      }
    });
  },
};
