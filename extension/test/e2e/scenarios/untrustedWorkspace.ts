// Scenario 3: in an untrusted workspace (Restricted Mode) ML Intern still checks files, and a
// workspace's own "mlintern.server.path" cannot choose which program runs, and Publish… (it runs an
// upload command) is refused before it asks anything.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultVsix, requireFile } from '../harness/paths';
import { Scenario } from '../harness/scenario';
import { makeSampleWorkspace } from '../harness/sidecar';
import { waitFor } from '../harness/wait';

let workspace = '';
const hostile = '/bin/false';

export const untrustedWorkspace: Scenario = {
  name: 'untrusted-workspace',
  title: 'Restricted Mode: diagnostics still appear; the workspace cannot pick the sidecar; Publish… is refused',

  setup() {
    const vsix = requireFile(defaultVsix(), 'run "npm run package" (or set MLINTERN_E2E_VSIX)');
    workspace = makeSampleWorkspace();
    fs.mkdirSync(path.join(workspace, '.vscode'));
    fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'mlintern.server.path': hostile }, null, 2));
    return {
      extensions: [vsix],
      workspaceTrust: true,
      // Open in Restricted Mode without asking: nobody answers the trust dialog here.
      settings: { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' },
    };
  },

  cleanup(passed) {
    if (passed && workspace) fs.rmSync(workspace, { recursive: true, force: true });
  },

  async run(ctx) {
    const wb = ctx.workbench;
    await ctx.step('open the sample folder in Restricted Mode', async () => {
      await wb.openFolder(ctx.codeServer.folderUrl(workspace));
      await waitFor('the Restricted Mode indicator', async () => (await wb.statusBarLabel('Restricted Mode')) !== undefined);
    });
    await ctx.step('open train.py; the bundled sidecar runs and MLI501 appears', async () => {
      await wb.openFile('train.py');
      await wb.waitForStatusBar('ML Intern: running', { timeoutMs: 60_000 });
      await wb.waitForProblem({ code: 'MLI501', file: 'train.py' });
    });
    await ctx.step(`the workspace's mlintern.server.path (${hostile}) was not used`, () => {
      const log = ctx.codeServer.extensionLog('mlintern.mlintern', 'ML Intern');
      if (!/Starting the sidecar \S+ \(bundled\)/.test(log)) throw new Error(`the log does not show the bundled sidecar starting:\n${log}`);
      if (log.includes(hostile)) throw new Error(`the log mentions ${hostile}:\n${log}`);
    });
    await ctx.step('Publish… is refused until the workspace is trusted', async () => {
      await wb.runCommand('ML Intern: Publish…');
      await wb.waitForNotification(/Publish runs an upload command in the terminal; trust the workspace first/);
    });
  },
};
