// Scenario 2: what a user sees when the sidecar cannot run, and that fixing the setting
// brings it back without reloading the window.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultVsix, requireFile } from '../harness/paths';
import { Scenario } from '../harness/scenario';
import { makeSampleWorkspace } from '../harness/sidecar';

let workspace = '';
const missing = '/nonexistent/mlintern';

export const sidecarErrors: Scenario = {
  name: 'sidecar-errors',
  title: 'a wrong mlintern.server.path shows an error; correcting it starts the sidecar',

  setup() {
    const vsix = requireFile(defaultVsix(), 'run "npm run package" (or set MLINTERN_E2E_VSIX)');
    workspace = makeSampleWorkspace();
    return { extensions: [vsix], settings: { 'mlintern.server.path': missing } };
  },

  cleanup(passed) {
    if (passed && workspace) fs.rmSync(workspace, { recursive: true, force: true });
  },

  async run(ctx) {
    const wb = ctx.workbench;
    await ctx.step('open the sample folder and train.py', async () => {
      await wb.openFolder(ctx.codeServer.folderUrl(workspace));
      await wb.openFile('train.py');
    });
    await ctx.step('the status bar shows the error and a notification names the path', async () => {
      await wb.waitForStatusBar('ML Intern: error');
      await wb.waitForNotification(new RegExp(`sidecar was not found.*${missing.replace(/\//g, '\\/')}`));
    });
    await ctx.step('point mlintern.server.path at the installed sidecar; it starts', async () => {
      const installed = fs.readdirSync(ctx.codeServer.extensionsDir).find((d) => d.startsWith('mlintern.mlintern-'));
      if (!installed) throw new Error(`the extension is not in ${ctx.codeServer.extensionsDir}`);
      const sidecar = path.join(ctx.codeServer.extensionsDir, installed, 'dist', 'server', 'mlintern');
      const value = process.env.MLINTERN_E2E_SIDECAR ?? sidecar;
      await wb.setUserSetting('mlintern.server.path', value, () => ctx.codeServer.savedSetting('mlintern.server.path') === value);
      await wb.waitForStatusBar('ML Intern: running');
    });
    await ctx.step('train.py gets its diagnostic', () => wb.waitForProblem({ code: 'MLI501', file: 'train.py' }));
  },
};
