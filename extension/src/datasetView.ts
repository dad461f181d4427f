// The Dataset view (a webview view in the ML Intern activity-bar container): follows the
// active data file, asks the sidecar for its profile (mlintern/profileDataset) and renders
// it with datasetModel.ts. A newer request cancels an older one; saving or changing a file
// of the data set on disk profiles it again.
import { randomBytes } from 'node:crypto';
import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { DatasetExtensions, DatasetGlob, Views } from './constants';
import { Methods } from './protocol';
import { request } from './sidecar';
import { DatasetViewState, isDatasetPath, parseViewMessage, profileFiles, renderDatasetHtml } from './datasetModel';
import * as api from './vscodeapi';

/** Saving, then the watcher seeing the same change, makes one refresh. */
const RefreshDelayMs = 300;

export class DatasetView implements vscode.WebviewViewProvider, api.Disposable {
  private view: vscode.WebviewView | undefined;
  private state: DatasetViewState = { kind: 'empty' };
  /** The file or folder the view shows. */
  private target: string | undefined;
  private request: vscode.CancellationTokenSource | undefined;
  private generation = 0;
  /** A refresh was wanted while the view was hidden. */
  private pending = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly disposables: api.Disposable[] = [];

  constructor(
    private readonly client: () => LanguageClient | undefined,
    private readonly log: api.LogOutputChannel,
  ) {
    const watcher = api.createFileSystemWatcher(DatasetGlob);
    this.disposables.push(
      watcher,
      watcher.onDidChange((uri) => this.onFileChanged(uri.fsPath)),
      watcher.onDidCreate((uri) => this.onFileChanged(uri.fsPath)),
      watcher.onDidDelete((uri) => this.onFileChanged(uri.fsPath)),
      api.onDidSaveTextDocument((d) => this.onFileChanged(d.uri.fsPath)),
      api.onDidChangeActiveTextEditor((e) => this.follow(e)),
    );
    this.follow(api.activeTextEditor());
  }

  dispose(): void {
    this.request?.cancel();
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = { enableScripts: true, localResourceRoots: [] };
    this.disposables.push(
      view.webview.onDidReceiveMessage((m) => this.onMessage(m)),
      view.onDidChangeVisibility(() => {
        if (view.visible && this.pending) this.refresh();
      }),
      view.onDidDispose(() => {
        if (this.view === view) this.view = undefined;
      }),
    );
    this.render();
    if (this.target) this.refresh();
  }

  /** "ML Intern: Inspect Dataset": a file from the explorer, the active data file, or one the user picks. */
  async inspect(...args: unknown[]): Promise<void> {
    let target: string | undefined;
    if (api.isUri(args[0]) && args[0].scheme === 'file') target = args[0].fsPath;
    else {
      const active = api.activeTextEditor()?.document.uri;
      if (active?.scheme === 'file' && isDatasetPath(active.fsPath)) target = active.fsPath;
      else target = (await api.showOpenDataFileDialog(DatasetExtensions))?.fsPath;
    }
    if (!target) return;
    this.target = target;
    this.pending = true;
    // Focusing the view resolves it (first time) or makes it visible, which profiles.
    await api.executeCommand(`${Views.dataset}.focus`);
    if (this.pending && this.view?.visible) this.refresh();
  }

  /** The sidecar (re)started: what the view shows may be out of date or an error. */
  onServerRunning(): void {
    if (this.target && this.state.kind !== 'profile') this.refresh();
  }

  private follow(editor: vscode.TextEditor | undefined): void {
    const uri = editor?.document.uri;
    if (uri?.scheme !== 'file' || !isDatasetPath(uri.fsPath) || uri.fsPath === this.target) return;
    this.target = uri.fsPath;
    this.refresh();
  }

  private onFileChanged(fsPath: string): void {
    if (!this.target) return;
    const files = profileFiles(this.state.kind === 'profile' ? this.state.profile : this.state.kind === 'loading' ? this.state.previous : undefined);
    if (fsPath !== this.target && !files.includes(fsPath)) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refresh();
    }, RefreshDelayMs);
  }

  private onMessage(message: unknown): void {
    const files = profileFiles(this.state.kind === 'profile' ? this.state.profile : undefined);
    const m = parseViewMessage(message, files);
    if (!m) {
      this.log.warn(`Dataset view: ignored a message ${JSON.stringify(message)?.slice(0, 200)}`);
      return;
    }
    if (m.type === 'refresh') this.refresh();
    else void api.showFileAtLine(m.path, m.line);
  }

  /** Profiles the target if the view can show it; otherwise remembers to when it shows. */
  private refresh(): void {
    const target = this.target;
    if (!target) return;
    if (!this.view?.visible) {
      this.pending = true;
      return;
    }
    this.pending = false;
    this.request?.cancel();
    const generation = ++this.generation;
    const source = api.cancellationSource();
    this.request = source;
    const previous = this.state.kind === 'profile' ? this.state.profile : this.state.kind === 'loading' ? this.state.previous : undefined;
    this.setState({ kind: 'loading', path: target, previous });
    const client = this.client();
    if (!client) {
      this.setState({ kind: 'error', path: target, message: 'the ML Intern sidecar is not running.' });
      return;
    }
    const started = Date.now();
    request(client, Methods.profileDataset, { uri: client.code2ProtocolConverter.asUri(api.fileUri(target)) }, source.token).then(
      (profile) => {
        if (generation !== this.generation) return;
        this.log.debug(`Dataset view: profiled ${target} in ${Date.now() - started} ms`);
        this.setState({ kind: 'profile', profile });
      },
      (e: unknown) => {
        if (generation !== this.generation) return;
        const message = e instanceof Error ? e.message : String(e);
        this.log.warn(`Dataset view: ${Methods.profileDataset} ${target}: ${message}`);
        this.setState({ kind: 'error', path: target, message });
      },
    ).finally(() => source.dispose());
  }

  private setState(state: DatasetViewState): void {
    this.state = state;
    this.render();
  }

  private render(): void {
    if (!this.view) return;
    this.view.webview.html = renderDatasetHtml(this.state, { cspSource: this.view.webview.cspSource, nonce: randomBytes(16).toString('base64') });
  }
}
