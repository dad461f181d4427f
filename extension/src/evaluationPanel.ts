// The Evaluation panel (a webview panel beside the editor): one run at a time. Opening it asks
// the sidecar to evaluate the run (mlintern/evaluateRun: metrics, failure analysis and, when the
// score is suspiciously high, the leakage audit) and renders the report with evaluationModel.ts.
// The page may ask for the audit (when it did not run by itself) or a fresh evaluation; nothing else.
import { randomBytes } from 'node:crypto';
import type { LanguageClient } from 'vscode-languageclient/node';
import { EvaluationPanelType } from './constants';
import { EvaluationState, parseEvaluationMessage, renderEvaluationHtml } from './evaluationModel';
import { EvaluationReport, Methods } from './protocol';
import { request } from './sidecar';
import * as api from './vscodeapi';

export class EvaluationPanel implements api.Disposable {
  private panel: api.WebviewPanel | undefined;
  private state: EvaluationState | undefined;
  private generation = 0;
  private audit: boolean | undefined;

  constructor(
    private readonly client: () => LanguageClient | undefined,
    private readonly workspaceFolder: () => string | undefined,
    private readonly log: api.LogOutputChannel,
  ) {}

  /** The run the panel shows, if it is open. */
  get runId(): string | undefined {
    return this.panel ? this.state?.runId : undefined;
  }

  dispose(): void {
    this.panel?.dispose();
  }

  /** Opens (or reveals) the panel on a run and evaluates it; resolves with the report (undefined on failure). */
  async show(runId: string, title: string): Promise<EvaluationReport | undefined> {
    if (this.state?.runId !== runId) this.audit = undefined;
    const previous = this.state?.runId === runId && this.state.kind === 'report' ? this.state.report : undefined;
    this.state = { kind: 'loading', runId, title, previous };
    if (!this.panel) {
      const panel = api.createWebviewPanel(EvaluationPanelType, `Evaluation: ${title}`);
      this.panel = panel;
      panel.webview.onDidReceiveMessage((m) => this.onMessage(m));
      panel.onDidDispose(() => {
        if (this.panel === panel) {
          this.panel = undefined;
          this.state = undefined;
        }
      });
    } else {
      this.panel.title = `Evaluation: ${title}`;
      this.panel.reveal(undefined, true);
    }
    this.render();
    return this.load();
  }

  private onMessage(message: unknown): void {
    const m = parseEvaluationMessage(message);
    if (!m || !this.state) {
      this.log.warn(`Evaluation panel: ignored a message ${JSON.stringify(message)?.slice(0, 200)}`);
      return;
    }
    if (m.type === 'audit') this.audit = true;
    void this.show(this.state.runId, this.state.title);
  }

  private async load(): Promise<EvaluationReport | undefined> {
    const state = this.state;
    if (!state) return undefined;
    const generation = ++this.generation;
    const client = this.client();
    const workspaceFolder = this.workspaceFolder();
    if (!client || !workspaceFolder) {
      this.state = { kind: 'error', runId: state.runId, title: state.title, message: 'the ML Intern sidecar is not running.' };
      this.render();
      return undefined;
    }
    const started = Date.now();
    try {
      const params = { workspaceFolder, runId: state.runId, ...(this.audit !== undefined ? { audit: this.audit } : {}) };
      const report = await api.withProgress(`ML Intern: evaluating run ${state.runId}…`, (token) => request(client, Methods.evaluateRun, params, token));
      if (generation !== this.generation) return undefined;
      const audit = report.audit ? (report.audit.alarm ? 'alarm' : 'clean') : 'not run';
      this.log.info(`Evaluated run ${state.runId} in ${Date.now() - started} ms: accuracy ${report.metrics.accuracy.toFixed(4)}, macro-F1 ${report.metrics.macro.f1.toFixed(4)}, audit ${audit}.`);
      this.state = { kind: 'report', runId: state.runId, title: state.title, report };
      this.render();
      return report;
    } catch (e) {
      if (generation !== this.generation) return undefined;
      const message = e instanceof Error ? e.message : String(e);
      this.log.warn(`Evaluation: ${Methods.evaluateRun} ${state.runId}: ${message}`);
      this.state = { kind: 'error', runId: state.runId, title: state.title, message };
      this.render();
      return undefined;
    }
  }

  private render(): void {
    if (!this.panel || !this.state) return;
    this.panel.webview.html = renderEvaluationHtml(this.state, { cspSource: this.panel.webview.cspSource, nonce: randomBytes(16).toString('base64') });
  }
}
