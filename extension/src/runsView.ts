// The Runs view (a tree in the ML Intern activity-bar container): the workspace's runs with
// their status, newest first (mlintern/listRuns), refreshed when a run starts, logs metrics or
// ends. Selecting a run opens the Metrics panel on it.
import type { LanguageClient } from 'vscode-languageclient/node';
import { Commands } from './constants';
import { Methods, RunSummary } from './protocol';
import { request } from './sidecar';
import { runRow } from './trainingModel';
import * as api from './vscodeapi';

const RefreshDelayMs = 500;

export class RunsView implements api.TreeDataProvider<RunSummary>, api.Disposable {
  private readonly changed = api.eventEmitter<RunSummary | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private runs: RunSummary[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** Told about every run listed, so the Metrics panel follows status changes. */
  onRuns: ((runs: readonly RunSummary[]) => void) | undefined;

  constructor(
    private readonly client: () => LanguageClient | undefined,
    private readonly workspaceFolder: () => string | undefined,
    private readonly log: api.LogOutputChannel,
  ) {}

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.changed.dispose();
  }

  /** Lists the runs again soon; several calls close together make one request. */
  refresh(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.changed.fire(undefined);
    }, RefreshDelayMs);
  }

  find(runId: string): RunSummary | undefined {
    return this.runs.find((r) => r.id === runId);
  }

  getTreeItem(run: RunSummary): api.TreeItem {
    return api.treeItem({
      id: run.id,
      ...runRow(run),
      contextValue: `run.${run.status}`,
      command: { command: Commands.showRunMetrics, title: 'Show Metrics', arguments: [run.id] },
    });
  }

  async getChildren(element?: RunSummary): Promise<RunSummary[]> {
    if (element) return [];
    const client = this.client();
    const workspaceFolder = this.workspaceFolder();
    if (!client || !workspaceFolder) return this.runs;
    try {
      this.runs = (await request(client, Methods.listRuns, { workspaceFolder })).runs;
      this.onRuns?.(this.runs);
    } catch (e) {
      this.log.warn(`Runs view: ${Methods.listRuns}: ${e instanceof Error ? e.message : String(e)}`);
    }
    return this.runs;
  }
}
