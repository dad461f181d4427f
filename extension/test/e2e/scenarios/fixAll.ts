// Scenario fix-all: "ML Intern: Fix All Problems" on the sample's train.py removes every
// finding that has a safe fix and leaves the others. Which codes have safe fixes is learnt
// from the CLI (`check` before and `check --fix` after, on a copy), not hard-coded.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Scenario } from '../harness/scenario';
import { packagedExtensionSetup, removeWorkspace } from '../harness/setup';
import { CliFinding, makeSampleWorkspace, safeFixExpectation } from '../harness/sidecar';
import { notYet, waitFor } from '../harness/wait';

let workspace = '';

function codes(findings: readonly CliFinding[]): string[] {
  return [...new Set(findings.map((f) => f.code))].sort();
}

export const fixAll: Scenario = {
  name: 'fix-all',
  title: 'Fix All Problems applies the safe fixes and leaves the unsafe ones',

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
    const { fixed, left, line, fixedText } = await ctx.step('the CLI says which findings have safe fixes', () => {
      const { before, after, fixedText } = safeFixExpectation(workspace, 'train.py');
      const left = codes(after);
      const fixed = codes(before).filter((c) => !left.includes(c));
      ctx.note(`before: ${codes(before).join(' ') || '-'}; safe-fixed: ${fixed.join(' ') || '-'}; left: ${left.join(' ') || '-'}`);
      if (!fixed.includes('MLI501')) throw new Error(`expected MLI501 to have a safe fix; the CLI fixed ${fixed.join(', ') || 'nothing'}`);
      return { fixed, left, fixedText, line: before.find((f) => f.code === 'MLI501')!.line };
    });

    await ctx.step('open the sample folder and train.py', async () => {
      await wb.openFolder(ctx.codeServer.folderUrl(workspace));
      await wb.openFile('train.py');
      await wb.waitForStatusBar('ML Intern: running', { timeoutMs: 60_000 });
    });
    await ctx.step('every finding the CLI reports shows in the Problems panel', async () => {
      for (const code of [...fixed, ...left]) await wb.waitForProblem({ code, file: 'train.py' });
    });

    await ctx.step('ML Intern: Fix All Problems', async () => {
      await wb.openFile('train.py');
      await wb.runCommand('ML Intern: Fix All Problems');
      // The editor renders only the lines in view.
      await wb.goToLine(line);
      await wb.waitForEditorText('use eval_strategy', (t) => /\beval_strategy\s*=/.test(t) && !t.includes('evaluation_strategy'));
    });
    await ctx.step(`the safely fixed findings are gone (${fixed.join(' ')})`, async () => {
      for (const code of fixed) await wb.waitForNoProblem({ code, file: 'train.py' });
    });
    await ctx.step(`the others remain (${left.join(' ') || 'none'})`, async () => {
      for (const code of left) await wb.waitForProblem({ code, file: 'train.py' });
    });
    await ctx.step('save; the file on disk is what the CLI would have written', async () => {
      await wb.save();
      await waitFor(`${script} to be what "mlintern check --fix" writes`, () => {
        const text = fs.readFileSync(script, 'utf8');
        return text === fixedText ? true : notYet(text);
      });
    });
  },
};
