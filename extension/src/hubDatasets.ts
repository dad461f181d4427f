// "ML Intern: Find a Dataset…" (mlintern.findDataset): a query → mlintern/searchDatasets → Quick Pick
// → mlintern/datasetInfo in a detail webview (warnings, splits, the label column's class chart, first
// rows) → its "Download…" → mlintern/planDatasetDownload → a modal listing the files, total size and
// license → only its button continues: mlintern/downloadDataset with the plan's hash, under a
// cancellable progress notification → the Dataset view on the downloaded folder.
// The Hub's endpoints and token are the sidecar's environment (HF_ENDPOINT, HF_TOKEN…), never a setting.
import { randomBytes } from 'node:crypto';
import type { LanguageClient } from 'vscode-languageclient/node';
import { Commands, HubDatasetPanelType } from './constants';
import { downloadDialog, parseDetailMessage, pickItems, renderDetailHtml } from './hubModel';
import { DatasetDownloadPlan, DatasetInfoResult, DownloadDatasetResult, Methods, SearchDatasetsResult } from './protocol';
import * as api from './vscodeapi';

export class HubDatasets implements api.Disposable {
  private panel: api.WebviewPanel | undefined;
  private shown: string | undefined;

  constructor(
    private readonly client: () => LanguageClient | undefined,
    private readonly log: api.LogOutputChannel,
  ) {}

  dispose(): void {
    this.panel?.dispose();
  }

  async find(): Promise<void> {
    const client = this.client();
    if (!client) {
      void api.showErrorMessage('ML Intern: the sidecar is not running.');
      return;
    }
    const query = await api.showInputBox('ML Intern: Find a Dataset', 'Words to search for on the Hugging Face Hub', 'e.g. intent classification');
    if (query === undefined) return;
    let result: SearchDatasetsResult;
    try {
      result = await api.withProgress('ML Intern: searching the Hub…', (token) => client.sendRequest(Methods.searchDatasets, { query }, token) as Promise<SearchDatasetsResult>);
    } catch (e) {
      return this.fail('search', e);
    }
    const items = pickItems(result);
    if (items.length === 0) {
      void api.showInformationMessage(`ML Intern: no data sets on the Hub match "${query}".`);
      return;
    }
    const picked = await api.showQuickPick(items, 'ML Intern: Hub data sets', 'Choose a data set to see its card, classes and warnings');
    if (picked) await this.show(picked.id);
  }

  /** Opens the detail page of a data set. */
  async show(id: string): Promise<void> {
    const client = this.client();
    if (!client) return;
    let info: DatasetInfoResult;
    try {
      info = await api.withProgress(`ML Intern: reading ${id} on the Hub…`, (token) => client.sendRequest(Methods.datasetInfo, { id }, token) as Promise<DatasetInfoResult>);
    } catch (e) {
      return this.fail('info', e);
    }
    if (!this.panel) {
      const panel = api.createWebviewPanel(HubDatasetPanelType, id);
      this.panel = panel;
      panel.webview.onDidReceiveMessage((m) => {
        if (parseDetailMessage(m) && this.shown) void this.download(this.shown);
        else this.log.warn(`Dataset page: ignored a message ${JSON.stringify(m)?.slice(0, 200)}`);
      });
      panel.onDidDispose(() => {
        if (this.panel === panel) this.panel = undefined;
      });
    } else {
      this.panel.title = id;
      this.panel.reveal(undefined, true);
    }
    this.shown = id;
    this.panel.webview.html = renderDetailHtml(info, { cspSource: this.panel.webview.cspSource, nonce: randomBytes(16).toString('base64') });
  }

  /** Plans, asks, and downloads only what the dialog showed (the sidecar refuses any other plan's hash). */
  async download(id: string): Promise<void> {
    const client = this.client();
    const workspaceFolder = api.firstWorkspaceFolderPath();
    if (!client || !workspaceFolder) {
      void api.showErrorMessage('ML Intern: open a folder to download a data set into.');
      return;
    }
    let plan: DatasetDownloadPlan;
    try {
      plan = (await client.sendRequest(Methods.planDatasetDownload, { id, workspaceFolder })) as DatasetDownloadPlan;
    } catch (e) {
      return this.fail('download', e);
    }
    const dialog = downloadDialog(plan);
    if ((await api.showModal('warning', dialog.message, dialog.detail, dialog.approve)) !== dialog.approve) {
      this.log.info(`Download of ${id} not approved; nothing downloaded.`);
      return;
    }
    let done: DownloadDatasetResult;
    try {
      done = await api.withProgress(`ML Intern: downloading ${id}…`, (token) =>
        client.sendRequest(Methods.downloadDataset, { id, workspaceFolder, approvedHash: plan.hash }, token) as Promise<DownloadDatasetResult>,
      );
    } catch (e) {
      return this.fail('download', e);
    }
    this.log.info(`Downloaded ${id} into ${done.directory} (${done.files.length} files); provenance in ${done.provenancePath}.`);
    await api.executeCommand(Commands.inspectDataset, api.fileUri(done.directory));
  }

  private fail(what: string, e: unknown): void {
    const message = e instanceof Error ? e.message : String(e);
    this.log.warn(`Hub ${what} failed: ${message}`);
    void api.showErrorMessage(`ML Intern: ${message}`);
  }
}
