// Scenario hub-datasets: "Find a Dataset…" against a loopback stand-in for the Hugging Face Hub
// and its dataset viewer (neither is reachable here). Search, open a result (its page shows the
// label column's class chart and ML Intern's warnings), Download… → the approval modal lists the
// file, its size and the license → Download → the file is on disk with its provenance and the
// Dataset view opens on it. The sidecar gets the stand-in through its environment (HF_ENDPOINT,
// MLINTERN_HF_VIEWER_ENDPOINT), as a user would point it at a mirror.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FakeHub, hubDatasetId as id, hubDatasetSha as sha } from '../harness/fakeHub';
import { Scenario } from '../harness/scenario';
import { packagedExtensionSetup, removeWorkspace } from '../harness/setup';
import { notYet, waitFor } from '../harness/wait';

let workspace = '';
const hub = new FakeHub();
const requests = hub.requests;

export const hubDatasets: Scenario = {
  name: 'hub-datasets',
  title: 'Find a Dataset…: search the Hub, see the class chart, approve the download, see the Dataset view',

  async setup() {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'mlintern-e2e-hub-'));
    fs.writeFileSync(path.join(workspace, 'notes.py'), 'import datasets\n');
    // The sidecar inherits code-server's environment: the stand-in, and no token from this machine.
    await hub.start(path.join(workspace, '.hf-home-unused'));
    return packagedExtensionSetup();
  },

  async cleanup(passed) {
    await hub.stop();
    removeWorkspace(workspace, passed);
  },

  async run(ctx) {
    const wb = ctx.workbench;
    await ctx.step('open an empty folder; the sidecar runs', async () => {
      await wb.openFolder(ctx.codeServer.folderUrl(workspace));
      await wb.openFile('notes.py');
      await wb.waitForStatusBar('ML Intern: running', { timeoutMs: 60_000 });
    });

    await ctx.step('Find a Dataset… → "tickets": the Quick Pick lists acme/tickets', async () => {
      await wb.runCommand('ML Intern: Find a Dataset…');
      await wb.fillInputBox(/Hugging Face Hub/, 'tickets');
      const picked = await waitFor('the results Quick Pick', async () => ((await wb.pickIfOpen(/acme\/tickets/, { timeoutMs: 2_000 }).catch(() => false)) ? true : notYet('no picker')), { timeoutMs: 30_000 });
      if (!picked) throw new Error('no Quick Pick of results');
      if (!requests.includes('/api/datasets')) throw new Error(`the stand-in was not searched: ${requests.join(', ')}`);
    });

    await ctx.step('the page shows the class chart of `intent` and the no-license warning', async () => {
      const frame = await wb.webviewFrame('#download', { timeoutMs: 30_000 });
      const bars = await frame.$$eval('#classes rect.bar', (els) => els.map((e) => e.getAttribute('data-label')));
      if (bars.join(',') !== 'track,refund') throw new Error(`class bars: ${bars.join(',')}`);
      const warnings = await frame.$$eval('.warnings li', (els) => els.map((e) => e.getAttribute('data-code')));
      if (!warnings.includes('no-license')) throw new Error(`warnings: ${warnings.join(',')}`);
    });

    await ctx.step('Download…: the modal lists the file, its size and the license; Download', async () => {
      const frame = await wb.webviewFrame('#download');
      await frame.click('#download');
      const text = await wb.waitForDialog(/Download acme\/tickets\?/, { timeoutMs: 30_000 });
      if (!/train-00000-of-00001\.parquet/.test(text) || !/License: none on the card/.test(text) || !/in all/.test(text)) throw new Error(`the dialog:\n${text}`);
      if (hub.fetchedFiles) throw new Error('a file was fetched before the approval');
      await wb.clickDialogButton('Download');
    });

    await ctx.step('the file and its provenance are in the workspace; the Dataset view shows it', async () => {
      const folder = path.join(workspace, 'data', 'hub', 'acme', 'tickets');
      await waitFor('the downloaded file', async () => (fs.existsSync(path.join(folder, 'train-00000-of-00001.parquet')) && fs.existsSync(path.join(folder, 'hub-provenance.json')) ? true : notYet(requests)), { timeoutMs: 30_000 });
      const provenance = JSON.parse(fs.readFileSync(path.join(folder, 'hub-provenance.json'), 'utf8')) as { id?: string; revision?: string };
      if (provenance.id !== id || provenance.revision !== sha) throw new Error(`provenance: ${JSON.stringify(provenance)}`);
      await waitFor('the Dataset view with two classes', async () => {
        // The Dataset view (it alone carries a finding count), not the detail page's own chart.
        const frame = await wb.webviewFrame('[data-finding-count]', { timeoutMs: 5_000 }).catch(() => undefined);
        if (!frame) return notYet('no Dataset view');
        const n = await frame.$$eval('svg.class-chart rect.bar', (els) => els.length);
        return n === 2 ? true : notYet(`${n} bars`);
      }, { timeoutMs: 60_000 });
    });
  },
};
