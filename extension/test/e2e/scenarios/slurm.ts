// Scenario slurm: "ML Intern: Launch Training…" on the sample with a Slurm target configured in
// pyproject.toml. After the plan, the editor asks where it runs (this machine or the target the
// sidecar listed); on the target the approval shows the sbatch script and the cost ceiling, and
// approving submits the built-in baseline to the local single-node Slurm (scripts/slurm-local.sh,
// started here when it is not running). The task follows the job; the run succeeds with its job
// recorded (COMPLETED), and the Runs view shows it succeeded with its Slurm job.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Scenario } from '../harness/scenario';
import { packagedExtensionSetup, removeWorkspace } from '../harness/setup';
import { makeSampleWorkspace } from '../harness/sidecar';
import { notYet, waitFor } from '../harness/wait';

let workspace = '';

interface RunJson {
  readonly status: string;
  readonly exitCode?: number;
  readonly remote?: { readonly target: string; readonly jobId: string; readonly state?: string };
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

/** The repository's scripts/slurm-local.sh: status, and start when the cluster is not up. */
function ensureSlurm(): void {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'scripts', 'slurm-local.sh'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('scripts/slurm-local.sh not found');
    dir = up;
  }
  const script = path.join(dir, 'scripts', 'slurm-local.sh');
  try {
    execFileSync('bash', [script, 'status'], { stdio: 'pipe' });
  } catch {
    try {
      execFileSync('bash', [script, 'start'], { stdio: 'pipe', timeout: 600_000 });
    } catch (e) {
      throw new Error(`Slurm is not running and could not be started; run scripts/slurm-local.sh start (as root): ${String(e)}`);
    }
  }
}

export const slurm: Scenario = {
  name: 'slurm',
  title: 'Launch Training on Slurm: the target picker, the sbatch script and ceiling in the approval, a real job, the run succeeded in the Runs view',

  setup() {
    ensureSlurm();
    workspace = makeSampleWorkspace();
    fs.writeFileSync(
      path.join(workspace, 'pyproject.toml'),
      '[tool.mlintern.compute.targets.local-slurm]\nkind = "slurm"\npartition = "debug"\ncpus = 1\ntime = "0:05:00"\nprice-per-node-hour = 0.5\n',
    );
    if (process.env.MLINTERN_E2E_SIDECAR) {
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

    await ctx.step('open the sample folder; the sidecar runs', async () => {
      await wb.openFolder(ctx.codeServer.folderUrl(workspace));
      await wb.waitForStatusBar('ML Intern: running', { timeoutMs: 60_000 });
    });

    const text = await ctx.step('Launch Training… → built-in baseline → "Where should it run?" → local-slurm: the modal shows the sbatch script and the ceiling', async () => {
      await wb.runCommand('ML Intern: Launch Training…');
      await waitFor('the "what should run" picker', async () => ((await wb.pickIfOpen(/Built-in baseline/, { timeoutMs: 5_000 })) ? true : notYet('no Quick Pick yet')), { timeoutMs: 20_000 });
      let pickedTarget = false;
      const dialog = await waitFor('the approval dialog for the Slurm plan', async () => {
        await wb.pickIfOpen(/tickets\.csv/, { timeoutMs: 500 }).catch(() => false);
        if (!pickedTarget) pickedTarget = await wb.pickIfOpen(/local-slurm/, { timeoutMs: 1_000 }).catch(() => false);
        return pickedTarget ? wb.waitForDialog(/./, { timeoutMs: 2_000 }).catch(() => notYet('no dialog yet')) : notYet('no target picker yet');
      }, { timeoutMs: 60_000 });
      for (const expected of ['Cost ceiling:', 'Time limit: --time=00:05:00', '#SBATCH --partition=debug', '--in-job']) {
        if (!dialog.includes(expected)) throw new Error(`the dialog lacks "${expected}":\n${dialog}`);
      }
      ctx.note(dialog.split('\n').filter((l) => /^(Target|Price|Time limit|Cost ceiling):/.test(l)).join(' | '));
      return dialog;
    });

    const runId = await ctx.step('"Approve and Run": a run folder, submitted to Slurm', async () => {
      if (!/Approve and Run/.test(text)) throw new Error(`expected a plain approval:\n${text}`);
      await wb.clickDialogButton('Approve and Run');
      const id = await waitFor('one run folder', () => {
        const f = runFolders();
        return f.length === 1 ? f[0]! : notYet(f);
      }, { timeoutMs: 30_000 });
      await waitFor('the Slurm job in the terminal', async () => {
        const t = (await page.locator('.xterm-rows').allInnerTexts().catch(() => [] as string[])).join('\n').replace(/\u00a0/g, ' ');
        return /submitted to slurm as job \d+/.test(t) ? true : notYet(t.slice(-300));
      }, { timeoutMs: 60_000 });
      return id;
    });

    await ctx.step('the job completes: run.json says succeeded with the job COMPLETED', async () => {
      const run = await waitFor('run.json to say succeeded', () => {
        const r = readRun(runId);
        return r?.status === 'succeeded' || r?.status === 'failed' ? r : notYet(r);
      }, { timeoutMs: 120_000 });
      if (run.status !== 'succeeded' || run.remote?.target !== 'slurm' || run.remote.state !== 'COMPLETED' || run.exitCode !== 0) throw new Error(`run.json: ${JSON.stringify(run)}`);
      if (!fs.existsSync(path.join(workspace, '.mlintern', 'runs', runId, 'eval.json'))) throw new Error('the job wrote no eval.json');
      ctx.note(`run ${runId}: slurm job ${run.remote.jobId}`);
    });

    await ctx.step('the Runs view lists the run as succeeded, with its Slurm job', async () => {
      await wb.openViewContainer('ML Intern');
      await waitFor('the run in the Runs view', async () => {
        const labels = await page.locator('.part.sidebar .monaco-list-row').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? e.textContent ?? ''));
        const row = labels.find((l) => /Built-in baseline/.test(l));
        return row && /succeeded/.test(row) && /slurm job \d+ COMPLETED/.test(row) ? true : notYet(labels);
      }, { timeoutMs: 30_000 });
    });
  },
};
