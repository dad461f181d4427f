// The Metrics panel (a webview panel beside the editor): one run at a time. Opening it asks
// the sidecar for the run (mlintern/getRun: run.json, every point so far, eval.json); the
// mlintern/metrics notifications then add points live, and the run's end loads the final
// evaluation. The page is rendered once and then only receives new #root content, built by
// metricsModel.ts, at most every UpdateDelayMs.
import { randomBytes } from 'node:crypto';
import type { LanguageClient } from 'vscode-languageclient/node';
import { MetricsPanelType } from './constants';
import { addPoints, MetricPoint, MetricsState, metricsBodyHtml, renderMetricsHtml, RunHeader, UpdateMessage } from './metricsModel';
import { Methods, RunSummary } from './protocol';
import { request } from './sidecar';
import * as api from './vscodeapi';

const UpdateDelayMs = 250;
/** The most points the panel keeps for a run (the oldest go first). */
const MetricPointsLimit = 20_000;

export class MetricsPanel implements api.Disposable {
  private panel: api.WebviewPanel | undefined;
  private state: MetricsState | undefined;
  private timer: NodeJS.Timeout | undefined;
  private generation = 0;
  /** Numbers the page and its updates, so the page never shows an older one after a newer (renderMetricsHtml). */
  private seq = 0;

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
    if (this.timer) clearTimeout(this.timer);
    this.panel?.dispose();
  }

  /** Opens (or reveals) the panel on a run and loads it. */
  async show(runId: string, run?: RunHeader): Promise<void> {
    this.log.info(`Metrics: showing run ${runId}.`);
    this.state = { runId, run, points: [], loading: true };
    const title = `Metrics: ${run?.title ?? runId}`;
    if (!this.panel) {
      const panel = api.createWebviewPanel(MetricsPanelType, title);
      this.panel = panel;
      panel.onDidDispose(() => {
        if (this.panel === panel) {
          this.panel = undefined;
          this.state = undefined;
        }
      });
    } else {
      this.panel.title = title;
      this.panel.reveal(undefined, true);
    }
    this.renderPage();
    await this.load();
  }

  /** The sidecar (re)started: a restarted one follows a live run only once asked for it again. */
  onServerRunning(): void {
    if (this.panel && this.state && (this.state.error || !this.state.run?.final)) void this.load();
  }

  /** New points from a mlintern/metrics notification. */
  onMetrics(runId: string, points: readonly MetricPoint[]): void {
    if (!this.panel || this.state?.runId !== runId || points.length === 0) return;
    const merged = addPoints(this.state.points, points);
    this.state = { ...this.state, points: merged.length > MetricPointsLimit ? merged.slice(merged.length - MetricPointsLimit) : merged };
    this.scheduleUpdate();
  }

  /** A run's status changed (listRuns or runExited); a run that ended is loaded again for its evaluation. */
  onRunChanged(run: RunSummary): void {
    if (!this.panel || this.state?.runId !== run.id) {
      this.log.info(`Metrics: run ${run.id} is ${run.status}; the panel shows ${this.panel ? (this.state?.runId ?? 'nothing') : 'no panel'}.`);
      return;
    }
    const wasFinal = this.state.run?.final ?? false;
    // A run that ended does not start again: a listRuns answered before the end is stale, and taking
    // its "running" would hide the evaluation already loaded, with nothing left to load it again.
    if (wasFinal && !run.final) return;
    this.state = { ...this.state, run: { ...this.state.run, ...run } };
    if (run.final && (!wasFinal || !this.state.eval)) void this.load();
    else this.scheduleUpdate();
  }

  private async load(): Promise<void> {
    const state = this.state;
    if (!state) return;
    const generation = ++this.generation;
    const client = this.client();
    const workspaceFolder = this.workspaceFolder();
    if (!client || !workspaceFolder) {
      this.state = { ...state, loading: false, error: 'The ML Intern sidecar is not running.' };
      this.scheduleUpdate();
      return;
    }
    try {
      const answer = await request(client, Methods.getRun, { workspaceFolder, runId: state.runId });
      if (generation !== this.generation || this.state?.runId !== state.runId) return;
      this.log.info(`Metrics: run ${state.runId} loaded (${answer.run.status}, ${answer.eval ? 'with' : 'no'} eval.json).`);
      const current = this.state;
      this.state = {
        runId: state.runId,
        run: { ...answer.run, runDir: answer.runDir },
        // Points that arrived by notification while this request ran are kept.
        points: addPoints(answer.metrics, current.points),
        eval: answer.evaluation,
      };
    } catch (e) {
      if (generation !== this.generation) return;
      const message = e instanceof Error ? e.message : String(e);
      this.log.warn(`Metrics: ${Methods.getRun} ${state.runId}: ${message}`);
      this.state = { ...state, loading: false, error: `Could not load run ${state.runId}: ${message}` };
    }
    // The whole page once per load (a message sent before a new page is ready could be lost);
    // live points then arrive as messages.
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.renderPage();
  }

  private renderPage(): void {
    if (!this.panel || !this.state) return;
    this.panel.webview.html = renderMetricsHtml(this.state, { cspSource: this.panel.webview.cspSource, nonce: randomBytes(16).toString('base64') }, ++this.seq);
  }

  private scheduleUpdate(delay = UpdateDelayMs): void {
    if (this.timer && delay > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.panel || !this.state) return;
      const update: UpdateMessage = { type: 'update', html: metricsBodyHtml(this.state), seq: ++this.seq };
      void this.panel.webview.postMessage(update);
    }, delay);
  }
}
