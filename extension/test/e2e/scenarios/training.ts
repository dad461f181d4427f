// Scenario training: "ML Intern: Launch Training…" on the sample. Declining the approval
// modal starts no task and creates no run folder; approving the built-in baseline runs it as
// a task in the integrated terminal, and the Metrics panel draws its curve and its eval table
// (one row per class of `mlintern inspect`); the Runs view lists the run. A standard-library
// Python script that prints Trainer-style log dicts shows its curve too (its estimate is
// unknown, so it needs the explicit override). "Smoke Test" runs the baseline as a smoke run;
// a budget set in the workspace settings makes the modal say "over budget" and offer only the
// override.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { descendants } from '../harness/processes';
import { Scenario, ScenarioContext } from '../harness/scenario';
import { packagedExtensionSetup, removeWorkspace } from '../harness/setup';
import { makeSampleWorkspace, sidecarJson } from '../harness/sidecar';
import { notYet, waitFor, WaitTimeoutError } from '../harness/wait';

let workspace = '';

const trainerLogsScript = `# Prints log dicts the way the Hugging Face Trainer does; standard library only.
import math
import time

for step in range(1, 9):
    print({'loss': round(1.2 * math.exp(-step / 4), 4), 'grad_norm': 1.0, 'learning_rate': 5e-05 * (1 - step / 10), 'epoch': step / 4}, flush=True)
    time.sleep(0.4)
print({'train_runtime': 3.2, 'train_samples_per_second': 10.0, 'train_loss': 0.5, 'epoch': 2.0}, flush=True)
`;

interface RunJson {
  readonly status: string;
  readonly exitCode?: number;
  readonly approval?: { readonly via?: string; readonly acceptedUnknownEstimate?: boolean };
}

function runFolders(): string[] {
  const dir = path.join(workspace, '.mlintern', 'runs');
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((d) => fs.statSync(path.join(dir, d)).isDirectory()) : [];
}

function readRun(id: string): RunJson | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(workspace, '.mlintern', 'runs', id, 'run.json'), 'utf8')) as RunJson;
  } catch {
    return undefined;
  }
}

/** `mlintern train --run …` processes under code-server: the tasks that run. */
function trainingProcesses(codeServerPid: number): string[] {
  return descendants(codeServerPid)
    .filter((p) => p.argv.includes('train') && p.argv.includes('--run'))
    .map((p) => `${p.pid}: ${p.argv.join(' ')}`);
}

async function chartPoints(frame: Frame, metric: string): Promise<number> {
  return frame.$$eval(`svg.metric-chart[data-metric="${metric}"] circle.pt`, (els) => els.length).catch(() => 0);
}

/**
 * Launch Training… → pick what runs → the approval modal; returns the modal's text. A Quick Pick
 * closes when something else takes the focus — here, a task from the step before that ends and
 * updates its terminal just as the picker opens — and then nothing follows; so a launch that shows
 * neither a picker nor a dialog is tried again, at most three times in all.
 */
async function launchUntilDialog(ctx: ScenarioContext, pick: RegExp, command = 'ML Intern: Launch Training…'): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await launchOnce(ctx, pick, command);
    } catch (e) {
      if (attempt >= 3 || !(e instanceof WaitTimeoutError)) throw e;
      ctx.note(`${command}: ${e.message}; trying again`);
    }
  }
}

async function launchOnce(ctx: ScenarioContext, pick: RegExp, command: string): Promise<string> {
  const wb = ctx.workbench;
  await wb.runCommand(command);
  await waitFor(`the "what should run" picker with ${pick}`, async () => ((await wb.pickIfOpen(pick, { timeoutMs: 5_000 })) ? true : notYet('no Quick Pick yet')), { timeoutMs: 20_000 });
  // The data set picker (shown when the workspace has more than one): tickets.csv.
  return waitFor('the approval dialog', async () => {
    await wb.pickIfOpen(/tickets\.csv/).catch(() => false);
    return wb.waitForDialog(/./, { timeoutMs: 2_000 }).catch(() => notYet('no dialog yet'));
  }, { timeoutMs: 25_000 });
}

export const training: Scenario = {
  name: 'training',
  title: 'Launch Training: approval gate, the baseline in a terminal task, live curve and eval table, Runs view, a script with Trainer logs, a generated script',

  setup() {
    workspace = makeSampleWorkspace();
    fs.writeFileSync(path.join(workspace, 'trainer_logs.py'), trainerLogsScript);
    if (process.env.MLINTERN_E2E_SIDECAR) {
      // Starting the first terminal makes code-server re-read settings with its remote machine
      // settings, after which the user's machine-overridable value was seen as unset (and the
      // bundled sidecar started): the workspace's own value stays.
      fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
      fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'mlintern.server.path': process.env.MLINTERN_E2E_SIDECAR }, null, 2));
    }
    return packagedExtensionSetup({ 'markdown.preview.openMarkdownLinks': 'inPreview' });
  },

  cleanup(passed) {
    removeWorkspace(workspace, passed);
  },

  async run(ctx) {
    const wb = ctx.workbench;
    const page = ctx.page;
    const csv = path.join(workspace, 'data', 'tickets.csv');
    const classes = await ctx.step('mlintern inspect says how many classes the sample has', () => {
      const profile = sidecarJson<{ labels?: { counts: unknown[] } | null }>(['inspect', csv, '--format', 'json'], workspace);
      const n = profile.labels?.counts.length ?? 0;
      if (n < 2) throw new Error(`the sample should have classes; inspect found ${n}`);
      ctx.note(`${n} classes`);
      return n;
    });

    await ctx.step('open the sample folder; the sidecar runs', async () => {
      await wb.openFolder(ctx.codeServer.folderUrl(workspace));
      await wb.waitForStatusBar('ML Intern: running', { timeoutMs: 60_000 });
    });

    await ctx.step('Launch Training… → built-in baseline: the modal shows the plan figures', async () => {
      const text = await launchUntilDialog(ctx, /Built-in baseline/);
      for (const figure of ['Steps:', 'FLOPs:', 'Time:', 'Cost:', 'Budget:']) if (!text.includes(figure)) throw new Error(`the dialog lacks "${figure}":\n${text}`);
      if (!/Run Built-in baseline on tickets\.csv\?/.test(text)) throw new Error(`unexpected dialog:\n${text}`);
      ctx.note(text.split('\n').filter((l) => /^(Steps|FLOPs|Time|Cost|Budget):/.test(l)).join(' | '));
    });

    await ctx.step('Cancel: nothing runs — no task, no run folder', async () => {
      await wb.clickDialogButton('Cancel');
      await wb.waitForNotification(/not started/);
      const folders = runFolders();
      const processes = trainingProcesses(ctx.codeServer.pid);
      if (folders.length > 0 || processes.length > 0) throw new Error(`declining started something: run folders ${folders.join(', ')}; processes ${processes.join('; ')}`);
    });

    const baselineRun = await ctx.step('Launch Training… again and "Approve and Run": a run folder and a task in the terminal', async () => {
      await launchUntilDialog(ctx, /Built-in baseline/);
      await wb.clickDialogButton('Approve and Run');
      const id = await waitFor('one run folder', () => {
        const f = runFolders();
        return f.length === 1 ? f[0]! : notYet(f);
      }, { timeoutMs: 30_000 });
      await waitFor('the baseline\'s output in the integrated terminal', async () => {
        const text = (await page.locator('.xterm-rows').allInnerTexts().catch(() => [] as string[])).join('\n').replace(/\u00a0/g, ' ');
        return /training the baseline on|epoch \d+: loss/.test(text) ? true : notYet(text.slice(-300));
      }, { timeoutMs: 60_000 });
      ctx.note(`run ${id}`);
      return id;
    });

    await ctx.step('the run ends with exit code 0, recorded with the editor\'s approval', async () => {
      const run = await waitFor('run.json to say succeeded', () => {
        const r = readRun(baselineRun);
        return r?.status === 'succeeded' ? r : notYet(r);
      }, { timeoutMs: 120_000 });
      if (run.exitCode !== 0 || run.approval?.via !== 'editor dialog') throw new Error(`run.json: ${JSON.stringify(run)}`);
    });

    await ctx.step(`the Metrics panel draws the loss curve and the eval table has ${classes} rows`, async () => {
      await waitFor(`a loss curve and ${classes} class rows`, async () => {
        const frame = await wb.webviewFrame('svg.metric-chart', { timeoutMs: 5_000 }).catch(() => undefined);
        if (!frame) return notYet('no Metrics panel with a chart');
        const seen = { loss: await chartPoints(frame, 'loss'), rows: await frame.$$eval('table.eval-table tr.class-row', (els) => els.length).catch(() => 0) };
        return seen.loss > 0 && seen.rows === classes ? seen : notYet(seen);
      }, { timeoutMs: 60_000 }).then((seen) => ctx.note(`${seen.loss} loss points, ${seen.rows} class rows`));
    });

    await ctx.step('the Runs view lists the run as succeeded', async () => {
      await wb.openViewContainer('ML Intern');
      await waitFor('the run in the Runs view', async () => {
        const labels = await page.locator('.part.sidebar .monaco-list-row').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? e.textContent ?? ''));
        const row = labels.find((l) => /Built-in baseline/.test(l));
        return row && /succeeded/.test(row) ? true : notYet(labels);
      }, { timeoutMs: 30_000 });
    });

    const scriptRun = await ctx.step('Launch Training… → trainer_logs.py: the unknown estimate needs the explicit override', async () => {
      const text = await launchUntilDialog(ctx, /trainer_logs\.py/);
      if (!/estimate is unknown/.test(text)) throw new Error(`expected the unknown-estimate dialog:\n${text}`);
      await wb.clickDialogButton('Run without an estimate');
      return waitFor('a second run folder', () => {
        const f = runFolders().filter((d) => d !== baselineRun);
        return f.length === 1 ? f[0]! : notYet(f);
      }, { timeoutMs: 30_000 });
    });

    await ctx.step('the script\'s printed Trainer logs become its loss curve', async () => {
      await waitFor('the script run\'s loss curve with 8 points', async () => {
        const frame = await wb.webviewFrame(`header[data-run-id="${scriptRun}"]`, { timeoutMs: 5_000 }).catch(() => undefined);
        if (!frame) return notYet('the Metrics panel does not show the script run');
        const n = await chartPoints(frame, 'loss');
        return n >= 8 ? n : notYet(n);
      }, { timeoutMs: 90_000 }).then((n) => ctx.note(`${n} loss points`));
      const run = await waitFor('the script run to succeed', () => {
        const r = readRun(scriptRun);
        return r?.status === 'succeeded' ? r : notYet(r);
      }, { timeoutMs: 60_000 });
      if (run.approval?.acceptedUnknownEstimate !== true) throw new Error(`the override is not recorded: ${JSON.stringify(run.approval)}`);
    });

    await ctx.step('Launch Training… → Generate a training script: the editor creates train_tickets.py from the sidecar\'s text, opens it and plans it; Cancel runs nothing', async () => {
      const before = runFolders();
      const script = path.join(workspace, 'train_tickets.py');
      if (fs.existsSync(script)) throw new Error(`${script} exists before it was generated`);
      const text = await launchUntilDialog(ctx, /Generate a training script/);
      if (!/train_tickets\.py/.test(text)) throw new Error(`the dialog should plan the generated script:\n${text}`);
      const written = fs.existsSync(script) ? fs.readFileSync(script, 'utf8') : '';
      if (!/Trainer\(/.test(written) || !/data\/tickets\.csv/.test(written)) throw new Error(`the generated script on disk is not a Trainer script for data/tickets.csv:\n${written.slice(0, 400)}`);
      await wb.clickDialogButton('Cancel');
      await wb.waitForNotification(/not started/);
      // Opened in an editor tab (the plan's preview, opened after it, is the active one).
      await waitFor('an editor tab for train_tickets.py', async () => {
        const tabs = await page.locator('.tabs-container .tab').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? e.textContent ?? ''));
        return tabs.some((t) => /train_tickets\.py/.test(t)) ? true : notYet(tabs);
      }, { timeoutMs: 10_000 });
      const after = runFolders().filter((d) => !before.includes(d));
      if (after.length > 0) throw new Error(`declining created ${after.join(', ')}`);
      // Leave the workbench as the next steps expect it: no extra editors.
      await wb.runCommand('View: Close All Editors');
    });

    await ctx.step('Smoke Test → built-in baseline: approved, it runs as a smoke run', async () => {
      const before = runFolders();
      const text = await launchUntilDialog(ctx, /Built-in baseline/, 'ML Intern: Smoke Test');
      if (!/Run Smoke test: Built-in baseline/.test(text)) throw new Error(`unexpected dialog:\n${text}`);
      await wb.clickDialogButton('Approve and Run');
      const id = await waitFor('a new run folder', () => {
        const f = runFolders().filter((d) => !before.includes(d));
        return f.length === 1 ? f[0]! : notYet(f);
      }, { timeoutMs: 30_000 });
      const run = await waitFor('the smoke run to succeed', () => {
        const r = readRun(id) as (RunJson & { smoke?: boolean }) | undefined;
        return r?.status === 'succeeded' ? r : notYet(r);
      }, { timeoutMs: 60_000 });
      if (run.smoke !== true) throw new Error(`run.json does not say smoke: ${JSON.stringify(run)}`);
    });

    // A budget far below any estimate: the baseline's estimate comes from this machine's measured speed
    // (milliseconds for the sample), so a budget of a fixed small size is not reliably exceeded.
    await ctx.step('a budget of 1e-12 h (workspace setting): the modal says over budget; Cancel runs nothing', async () => {
      const before = runFolders();
      const settingsFile = path.join(workspace, '.vscode', 'settings.json');
      const current = fs.existsSync(settingsFile) ? (JSON.parse(fs.readFileSync(settingsFile, 'utf8')) as Record<string, unknown>) : {};
      fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
      fs.writeFileSync(settingsFile, JSON.stringify({ ...current, 'mlintern.compute.maxHours': 1e-12 }, null, 2));
      // The setting reaches the sidecar as didChangeConfiguration; plan until the plan says so.
      const text = await waitFor('an over-budget dialog', async () => {
        const t = await launchUntilDialog(ctx, /Built-in baseline/);
        if (/Over budget/.test(t)) return t;
        await wb.clickDialogButton('Cancel');
        return notYet(t);
      }, { timeoutMs: 60_000 });
      if (!/MLI602/.test(text) || !/Override budget and run/.test(text)) throw new Error(`the dialog should name MLI602 and offer only the override:\n${text}`);
      if (/Approve and Run/.test(text)) throw new Error(`an over-budget plan offers a plain approval:\n${text}`);
      await wb.clickDialogButton('Cancel');
      await wb.waitForNotification(/not started/);
      const after = runFolders().filter((d) => !before.includes(d));
      if (after.length > 0) throw new Error(`declining created ${after.join(', ')}`);
    });
  },
};
