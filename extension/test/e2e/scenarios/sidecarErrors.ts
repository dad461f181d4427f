// Scenario 2: what a user sees when the sidecar cannot run, and that fixing the setting
// brings it back without reloading the window.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultVsix, repoRoot, requireFile } from '../harness/paths';
import { Scenario } from '../harness/scenario';
import { makeSampleWorkspace } from '../harness/sidecar';
import { waitFor } from '../harness/wait';

let workspace = '';
const missing = '/nonexistent/mlintern';

export const sidecarErrors: Scenario = {
  name: 'sidecar-errors',
  title: 'a missing or crashing sidecar shows an error; correcting mlintern.server.path starts it',

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
    const log = () => ctx.codeServer.extensionLog('mlintern.mlintern', 'ML Intern');
    await ctx.step('a sidecar whose .NET runtime is missing is reported once, without restarts', async () => {
      // A copy of the installed sidecar that asks for a .NET version no machine has.
      const noRuntime = fs.mkdtempSync(path.join(os.tmpdir(), 'mlintern-no-runtime-'));
      fs.cpSync(installedSidecarDir(ctx.codeServer.extensionsDir), noRuntime, { recursive: true });
      const config = path.join(noRuntime, 'mlintern.runtimeconfig.json');
      fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace(/"version": "[^"]+"/g, '"version": "99.0.0"'));
      const sidecar = path.join(noRuntime, 'mlintern');
      await wb.setUserSetting('mlintern.server.path', sidecar, () => ctx.codeServer.savedSetting('mlintern.server.path') === sidecar);
      await wb.waitForStatusBar('ML Intern: error');
      await wb.waitForNotification(/needs the \.NET 10 runtime/);
      if (/restarting it/.test(log())) throw new Error('a sidecar that cannot run was restarted');
      fs.rmSync(noRuntime, { recursive: true, force: true });
    });
    await ctx.step('a sidecar that dies while serving is restarted a few times, then reported', async () => {
      const dies = path.join(repoRoot, 'extension', 'test', 'e2e', 'fixtures', 'dies-on-serve.sh');
      await wb.setUserSetting('mlintern.server.path', dies, () => ctx.codeServer.savedSetting('mlintern.server.path') === dies);
      await waitFor('the log to say the sidecar will not be restarted, after showing its stderr', () => {
        const text = log();
        return /stopped \d+ times in the last 3 minutes and will not be restarted/.test(text) && text.includes('dies-on-serve: simulated crash');
      });
      await wb.waitForStatusBar('ML Intern: error');
    });
    await ctx.step('point mlintern.server.path at the installed sidecar; it starts', async () => {
      const sidecar = path.join(installedSidecarDir(ctx.codeServer.extensionsDir), 'mlintern');
      const value = process.env.MLINTERN_E2E_SIDECAR ?? sidecar;
      await wb.setUserSetting('mlintern.server.path', value, () => ctx.codeServer.savedSetting('mlintern.server.path') === value);
      await wb.waitForStatusBar('ML Intern: running');
    });
    await ctx.step('train.py gets its diagnostic', () => wb.waitForProblem({ code: 'MLI501', file: 'train.py' }));
    await ctx.step('set mlintern.logLevel to trace; the running sidecar is told', async () => {
      await wb.setUserSetting('mlintern.logLevel', 'trace', () => ctx.codeServer.savedSetting('mlintern.logLevel') === 'trace');
      await waitFor('the sidecar to log its new level', () => /settings changed; log level Trace/.test(log()));
    });
  },
};

/** The sidecar folder of the extension as code-server installed it. */
function installedSidecarDir(extensionsDir: string): string {
  const installed = fs.readdirSync(extensionsDir).find((d) => d.startsWith('mlintern.mlintern-'));
  if (!installed) throw new Error(`the extension is not in ${extensionsDir}`);
  return path.join(extensionsDir, installed, 'dist', 'server');
}
