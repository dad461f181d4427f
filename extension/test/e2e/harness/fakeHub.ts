// The Hugging Face Hub and its dataset viewer, stood in for on loopback (neither is reachable here):
// one data set, `acme/tickets` (60 rows, classes track and refund, one Parquet file, no license on its
// card), answered in the shapes the Hub API reference and the dataset-viewer guides document. Every
// path asked is kept, so a scenario can say whether a file was fetched (only `/files/...` are files).
// The sidecar gets the stand-in through its environment (HF_ENDPOINT, MLINTERN_HF_VIEWER_ENDPOINT), as
// a user would point it at a mirror: `useFakeHub` sets them for code-server to pass on.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

export const hubDatasetId = 'acme/tickets';
export const hubDatasetSha = '1a2b3c4d5e6f7081928374655647382910abcdef';

/** The Parquet file the server tests wrote (HubTests: 60 rows, classes track and refund). */
function parquet(): Buffer {
  const file = path.join(process.cwd(), 'extension', 'test', 'unit', 'samples', 'hub-train.parquet');
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run the server tests first (dotnet test tests/MLIntern.Server.Tests --filter FullyQualifiedName~HubTests)`);
  return fs.readFileSync(file);
}

function answers(base: string, bytes: Buffer): Record<string, unknown> {
  const id = hubDatasetId;
  const sha = hubDatasetSha;
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

export class FakeHub {
  /** Every path asked, in order. */
  readonly requests: string[] = [];
  private server: http.Server | undefined;
  private readonly saved: Record<string, string | undefined> = {};

  /** Whether any file (not an API answer) was fetched. */
  get fetchedFiles(): boolean {
    return this.requests.some((r) => r.startsWith('/files/'));
  }

  /** Listens on 127.0.0.1 and points this process's environment (which code-server and the sidecar inherit) at it; no token. */
  async start(hfHome: string): Promise<string> {
    const bytes = parquet();
    let base = '';
    this.server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      this.requests.push(url.pathname);
      if (url.pathname === '/files/train/0000.parquet') {
        res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': bytes.length });
        res.end(bytes);
        return;
      }
      const body = answers(base, bytes)[url.pathname];
      res.writeHead(body === undefined ? 404 : 200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body ?? { error: 'Not Found' }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    for (const key of ['HF_ENDPOINT', 'MLINTERN_HF_VIEWER_ENDPOINT', 'HF_HOME', 'HF_TOKEN']) this.saved[key] = process.env[key];
    process.env.HF_ENDPOINT = base;
    process.env.MLINTERN_HF_VIEWER_ENDPOINT = base;
    process.env.HF_HOME = hfHome;
    delete process.env.HF_TOKEN;
    return base;
  }

  /** Stops listening and gives the environment back. */
  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    for (const [key, value] of Object.entries(this.saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}
