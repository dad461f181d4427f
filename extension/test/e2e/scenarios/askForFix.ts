// Scenario ask-for-fix: with the cursor on MLI501, "ML Intern: Ask for a Fix" opens a diff
// of the proposed change and asks before applying; Cancel changes nothing, Apply changes
// the file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Scenario } from '../harness/scenario';
import { packagedExtensionSetup, removeWorkspace } from '../harness/setup';
import { makeSampleWorkspace } from '../harness/sidecar';
import { notYet, waitFor } from '../harness/wait';
import { Workbench } from '../harness/workbench';

let workspace = '';
const fixed = (t: string) => /\beval_strategy\s*=/.test(t) && !t.includes('evaluation_strategy');

/** Runs the command on the MLI501 finding and waits for the diff (picking the rename if several fixes are offered). */
async function askAtMli501(wb: Workbench): Promise<void> {
  await wb.revealProblem({ code: 'MLI501', file: 'train.py' });
  await wb.runCommand('ML Intern: Ask for a Fix');
  await waitFor('the diff preview (or a choice of fixes)', async () => {
    if (await wb.isDiffEditorOpen()) return true;
    return (await wb.pickIfOpen(/eval_strategy/)) ? notYet('picked a fix') : notYet('neither');
  }, { timeoutMs: 30_000, intervalMs: 300 });
  await wb.waitForDiffEditor('has eval_strategy', fixed);
}

export const askForFix: Scenario = {
  name: 'ask-for-fix',
  title: 'Ask for a Fix shows a diff and applies the fix only when accepted',

  setup() {
    workspace = makeSampleWorkspace();
    return packagedExtensionSetup();
  },

  cleanup(passed) {
    removeWorkspace(workspace, passed);
  },

  async run(ctx) {
    const wb = ctx.workbench;
    const script = path.join(workspace, 'train.py');
    await ctx.step('open the sample folder and train.py; MLI501 appears', async () => {
      await wb.openFolder(ctx.codeServer.folderUrl(workspace));
      await wb.openFile('train.py');
      await wb.waitForStatusBar('ML Intern: running', { timeoutMs: 60_000 });
      await wb.waitForProblem({ code: 'MLI501', file: 'train.py' });
    });

    await ctx.step('Ask for a Fix on MLI501: the diff shows eval_strategy', () => askAtMli501(wb));
    await ctx.step('the dialog asks "Apply this fix?" with the explanation; Cancel', async () => {
      const text = await wb.waitForDialog(/Apply this fix\?/);
      if (!/renamed/i.test(text)) throw new Error(`the dialog does not explain the fix: ${text}`);
      await wb.clickDialogButton('Cancel');
    });
    await ctx.step('after Cancel the diff is closed and train.py is unchanged', async () => {
      await waitFor('the diff editor to close', async () => !(await wb.isDiffEditorOpen()));
      await wb.waitForActiveEditor('train.py');
      const text = await wb.editorText();
      if (!text.includes('evaluation_strategy')) throw new Error(`train.py changed without approval:\n${text}`);
      await wb.waitForProblem({ code: 'MLI501', file: 'train.py' });
    });

    await ctx.step('Ask for a Fix again: the diff shows eval_strategy', () => askAtMli501(wb));
    await ctx.step('Apply', async () => {
      await wb.waitForDialog(/Apply this fix\?/);
      await wb.clickDialogButton('Apply');
    });
    await ctx.step('train.py has eval_strategy, the diff is closed and MLI501 is gone', async () => {
      await waitFor('the diff editor to close', async () => !(await wb.isDiffEditorOpen()));
      await wb.waitForActiveEditor('train.py');
      await wb.waitForEditorText('use eval_strategy', fixed);
      await wb.waitForNoProblem({ code: 'MLI501' });
    });
    await ctx.step('save; the file on disk has eval_strategy', async () => {
      await wb.save();
      await waitFor(`${script} to contain eval_strategy=`, () => fixed(fs.readFileSync(script, 'utf8')));
    });
  },
};
