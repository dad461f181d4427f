// Scenario 1 (foundation): the packaged extension in a real VS Code finds a malformed CSV
// row and a renamed TrainingArguments parameter in the sample project, fixes the latter
// with its Quick Fix, and survives a restart from the palette and a killed sidecar.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Scenario } from '../harness/scenario';
import { packagedExtensionSetup, removeWorkspace } from '../harness/setup';
import { killProcess, makeSampleWorkspace, waitForSidecarExit, waitForSidecarProcess } from '../harness/sidecar';
import { firstRaggedLine } from '../harness/csv';
import { waitFor } from '../harness/wait';

const quickFixTitle = "Rename 'evaluation_strategy' to 'eval_strategy'";
const running = 'ML Intern: running';

let workspace = '';

export const foundation: Scenario = {
  name: 'foundation',
  title: 'diagnostics, a Quick Fix, a restart and a killed sidecar in the sample project',

  setup() {
    workspace = makeSampleWorkspace();
    return packagedExtensionSetup();
  },

  cleanup(passed) {
    removeWorkspace(workspace, passed);
  },

  async run(ctx) {
    const wb = ctx.workbench;
    const csv = path.join(workspace, 'data', 'tickets.csv');
    const script = path.join(workspace, 'train.py');
    const ragged = await ctx.step('sample project has a ragged CSV row', async () => {
      const line = firstRaggedLine(fs.readFileSync(csv, 'utf8'));
      if (!line) throw new Error(`${csv} has no ragged row; "mlintern sample" should write one`);
      if (!fs.readFileSync(script, 'utf8').includes('evaluation_strategy=')) throw new Error(`${script} has no evaluation_strategy=`);
      return line;
    });

    await ctx.step('open the sample folder', () => wb.openFolder(ctx.codeServer.folderUrl(workspace)));
    await ctx.step('open data/tickets.csv; the sidecar starts', async () => {
      await wb.openFile('data/tickets.csv');
      await wb.waitForStatusBar(running, { timeoutMs: 60_000 });
    });
    await ctx.step(`MLD012 appears on line ${ragged}`, () => wb.waitForProblem({ code: 'MLD012', file: 'tickets.csv', line: ragged }));
    await ctx.step('click the status bar item; the ML Intern log shows', async () => {
      await wb.clickStatusBar('ML Intern:');
      // The channel follows its end: the sidecar's own log lines about the opened file show.
      await wb.waitForOutput('show the sidecar logging about tickets.csv', (t) => t.includes('tickets.csv') && !t.includes('[error]'));
      await wb.showProblems();
    });

    await ctx.step('open train.py; MLI501 appears', async () => {
      await wb.openFile('train.py');
      await wb.waitForProblem({ code: 'MLI501', file: 'train.py' });
    });
    await ctx.step('apply the Quick Fix', () => wb.applyQuickFix({ code: 'MLI501', file: 'train.py' }, quickFixTitle));
    await ctx.step('the editor has eval_strategy and MLI501 is gone', async () => {
      await wb.waitForEditorText('use eval_strategy', (t) => /\beval_strategy\s*=/.test(t) && !t.includes('evaluation_strategy'));
      await wb.waitForNoProblem({ code: 'MLI501' });
    });
    await ctx.step('save; the file on disk has eval_strategy', async () => {
      await wb.save();
      await waitFor(`${script} to contain eval_strategy=`, () => {
        const text = fs.readFileSync(script, 'utf8');
        return /\beval_strategy\s*=/.test(text) && !text.includes('evaluation_strategy');
      });
    });

    const firstPid = await waitForSidecarProcess(ctx.codeServer.pid);
    await ctx.step('ML Intern: Restart Server from the palette', async () => {
      await wb.runCommand('ML Intern: Restart Server');
      await waitForSidecarExit(firstPid);
      await wb.waitForStatusBar(running);
    });
    const secondPid = await ctx.step('a new sidecar runs and the diagnostics come back', async () => {
      const pid = await waitForSidecarProcess(ctx.codeServer.pid, firstPid);
      await wb.waitForProblem({ code: 'MLD012', file: 'tickets.csv', line: ragged });
      await wb.waitForNoProblem({ code: 'MLI501' });
      return pid;
    });

    await ctx.step(`kill the sidecar (pid ${secondPid}); the extension restarts it`, async () => {
      killProcess(secondPid);
      await waitForSidecarExit(secondPid);
      await waitForSidecarProcess(ctx.codeServer.pid, secondPid);
      await wb.waitForStatusBar(running);
    });
    await ctx.step('after the crash the documents are re-synced: a new ragged row is found', async () => {
      await wb.openFile('data/tickets.csv');
      // Type a one-field row after the last line of the (unsaved, unchanged) file.
      const text = fs.readFileSync(csv, 'utf8');
      const lines = text.split('\n');
      const endsWithNewline = text.endsWith('\n');
      const last = endsWithNewline ? lines.length : lines.length;
      const column = endsWithNewline ? 1 : lines[lines.length - 1]!.length + 1;
      await wb.typeAt(last, column, endsWithNewline ? 'oops' : '\noops');
      const added = endsWithNewline ? last : last + 1;
      await wb.waitForProblem({ code: 'MLD012', file: 'tickets.csv', line: added });
      await wb.waitForProblem({ code: 'MLD012', file: 'tickets.csv', line: ragged });
    });
  },
};
