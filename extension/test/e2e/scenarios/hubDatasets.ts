// Scenario hub-datasets: "Find a Dataset…" against a loopback stand-in for the Hugging Face Hub
// and its dataset viewer (neither is reachable here). Search, open a result (its page shows the
// label column's class chart and ML Intern's warnings), Download… → the approval modal lists the
// file, its size and the license → Download → the file is on disk with its provenance and the
// Dataset view opens on it. The sidecar gets the stand-in through its environment (HF_ENDPOINT,
// MLINTERN_HF_VIEWER_ENDPOINT), as a user would point it at a mirror.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Scenario } from '../harness/scenario';
import { packagedExtensionSetup, removeWorkspace } from '../harness/setup';
import { notYet, waitFor } from '../harness/wait';

const id = 'acme/tickets';
const sha = '1a2b3c4d5e6f7081928374655647382910abcdef';
let workspace = '';
let server: http.Server | undefined;
const requests: string[] = [];

/** The Parquet file the server tests wrote (HubTests: 60 rows, classes track and refund). */
function parquet(): Buffer {
  const file = path.join(process.cwd(), 'extension', 'test', 'unit', 'samples', 'hub-train.parquet');
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run the server tests first (dotnet test tests/MLIntern.Server.Tests --filter FullyQualifiedName~HubTests)`);
  return fs.readFileSync(file);
}

function answers(base: string, bytes: Buffer): Record<string, unknown> {
  return {
    // Hub API reference (huggingface.co/docs/hub/api), GET /api/datasets: a list of entries.
    '/api/datasets': [{ id, sha, lastModified: '2025-03-01T10:00:00.000Z', downloads: 4321, likes: 3, private: false, gated: false, tags: ['task_categories:text-classification', 'language:en', 'size_categories:n<1K'] }],
    // GET /api/datasets/{repo_id}: the entry with its card data.
    [`/api/datasets/${id}`]: { id, sha, lastModified: '2025-03-01T10:00:00.000Z', private: false, gated: false, downloads: 4321, tags: ['task_categories:text-classification'], cardData: { task_categories: ['text-classification'], language: ['en'] } },
    // Dataset viewer guides (huggingface.co/docs/dataset-viewer): valid, splits, info, first_rows, statistics, parquet.
    '/is-valid': { preview: true, viewer: true, search: true, filter: true, statistics: true },
    '/splits': { splits: [{ dataset: id, config: 'default', split: 'train' }], pending: [], failed: [] },
    '/info': { dataset_info: { description: 'Support tickets with their intent.', splits: { train: { name: 'train', num_bytes: bytes.length, num_examples: 60 } } }, partial: false },
    '/first-rows': {
      dataset: id, config: 'default', split: 'train',
      features: [{ feature_idx: 0, name: 'text', type: { dtype: 'string', _type: 'Value' } }, { feature_idx: 1, name: 'intent', type: { dtype: 'string', _type: 'Value' } }],
      rows: [{ row_idx: 0, row: { text: 'ticket number 0 about my order', intent: 'refund' }, truncated_cells: [] }],
      truncated: false,
    },
    '/statistics': {
      num_examples: 60,
      statistics: [{ column_name: 'intent', column_type: 'string_label', column_statistics: { nan_count: 0, nan_proportion: 0, n_unique: 2, frequencies: { track: 40, refund: 20 } } }],
      partial: false,
    },
    '/parquet': { parquet_files: [{ dataset: id, config: 'default', split: 'train', url: `${base}/files/train/0000.parquet`, filename: '0000.parquet', size: bytes.length }], pending: [], failed: [], partial: false },
  };
}

async function startStandIn(): Promise<string> {
  const bytes = parquet();
  let base = '';
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url.pathname);
    if (url.pathname === '/files/train/0000.parquet') {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': bytes.length });
      res.end(bytes);
      return;
    }
    const body = answers(base, bytes)[url.pathname];
    res.writeHead(body === undefined ? 404 : 200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body ?? { error: 'Not Found' }));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return base;
}

export const hubDatasets: Scenario = {
  name: 'hub-datasets',
  title: 'Find a Dataset…: search the Hub, see the class chart, approve the download, see the Dataset view',

  async setup() {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'mlintern-e2e-hub-'));
    fs.writeFileSync(path.join(workspace, 'notes.py'), 'import datasets\n');
    const base = await startStandIn();
    // The sidecar inherits code-server's environment: the stand-in, and no token from this machine.
    process.env.HF_ENDPOINT = base;
    process.env.MLINTERN_HF_VIEWER_ENDPOINT = base;
    process.env.HF_HOME = path.join(workspace, '.hf-home-unused');
    delete process.env.HF_TOKEN;
    return packagedExtensionSetup();
  },

  async cleanup(passed) {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    for (const key of ['HF_ENDPOINT', 'MLINTERN_HF_VIEWER_ENDPOINT', 'HF_HOME']) delete process.env[key];
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
      if (requests.some((r) => r.startsWith('/files/'))) throw new Error('a file was fetched before the approval');
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
