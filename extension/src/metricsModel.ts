// The Metrics panel's content as plain data and HTML: metric points (from mlintern/getRun and
// the mlintern/metrics notifications, merged), the run's evaluation (what the sidecar read of eval.json), line charts per metric drawn as
// hand-made SVG, the per-class table and the confusion matrix, under a strict CSP. The page
// only swaps in the HTML the extension sends, so every byte of it is built (and tested) here.
// Pure; metricsPanel.ts does the VS Code side.
import { confusionCss, confusionMatrixHtml, confusionScript } from './confusionMatrix';
import { escapeHtml, pct } from './html';
import type { MetricPoint, RunEvaluation, RunSummary } from './protocol';
import { PageOptions, webviewPage } from './webviewPage';
import css from './webview/metrics.css';
import script from './webview/metrics.page.js';

export type { MetricPoint } from './protocol';

/** What the panel's header shows of a run: a summary (listRuns, runExited) or getRun's run.json with its folder. */
export type RunHeader = Pick<RunSummary, 'id' | 'title' | 'status' | 'final'> & { readonly exitCode?: number; readonly runDir?: string };

export interface MetricsState {
  readonly runId: string;
  readonly run?: RunHeader;
  readonly points: readonly MetricPoint[];
  readonly eval?: RunEvaluation;
  readonly error?: string;
  readonly loading?: boolean;
}

/** Adds new points; a point for a (split, step) already seen replaces it, so a repeated batch draws nothing twice. */
export function addPoints(existing: readonly MetricPoint[], incoming: readonly MetricPoint[]): MetricPoint[] {
  const result = [...existing];
  const index = new Map<string, number>();
  result.forEach((p, i) => {
    if (p.step !== undefined) index.set(`${p.split}\u0000${p.step}`, i);
  });
  for (const p of incoming) {
    const key = p.step !== undefined ? `${p.split}\u0000${p.step}` : undefined;
    const at = key !== undefined ? index.get(key) : undefined;
    if (at !== undefined) result[at] = { ...result[at]!, values: { ...result[at]!.values, ...p.values } };
    else {
      if (key !== undefined) index.set(key, result.length);
      result.push(p);
    }
  }
  return result;
}

/** The charts the panel draws, in order; `keys` are the metric names that count as it. */
export const Charts = [
  { id: 'loss', title: 'Loss', keys: ['loss'] },
  { id: 'learning_rate', title: 'Learning rate', keys: ['learning_rate', 'lr'] },
  { id: 'accuracy', title: 'Accuracy', keys: ['accuracy', 'acc'] },
  { id: 'macro_f1', title: 'Macro-F1', keys: ['macro_f1', 'f1_macro', 'f1'] },
] as const;

export interface Series {
  readonly split: string;
  readonly points: readonly { readonly x: number; readonly y: number }[];
}

/** One series per split for a chart: x is the step (else the point's order in its split). */
export function seriesFor(points: readonly MetricPoint[], keys: readonly string[]): Series[] {
  const bySplit = new Map<string, { x: number; y: number }[]>();
  for (const p of points) {
    const key = keys.find((k) => p.values[k] !== undefined);
    if (key === undefined) continue;
    const list = bySplit.get(p.split) ?? [];
    bySplit.set(p.split, list);
    list.push({ x: p.step ?? list.length + 1, y: p.values[key]! });
  }
  const order = (s: string) => ['train', 'eval', 'validation', 'test'].indexOf(s) + 1 || 9;
  return [...bySplit.entries()].sort((a, b) => order(a[0]) - order(b[0]) || a[0].localeCompare(b[0])).map(([split, pts]) => ({ split, points: [...pts].sort((a, b) => a.x - b.x) }));
}

/** The most markers a series draws; its line still goes through every point. */
export const MaxMarkers = 200;

/** A line chart: one polyline (and markers) per split; `data-points` counts the points plotted. */
export function lineChartSvg(id: string, title: string, series: readonly Series[]): string {
  const width = 420;
  const height = 150;
  const left = 48;
  const right = 8;
  const top = 8;
  const bottom = 20;
  const all = series.flatMap((s) => s.points);
  const xs = all.map((p) => p.x);
  const ys = all.map((p) => p.y);
  let [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (x0 === x1) [x0, x1] = [x0 - 1, x1 + 1];
  if (y0 === y1) [y0, y1] = y0 === 0 ? [0, 1] : [y0 - Math.abs(y0) * 0.1, y1 + Math.abs(y1) * 0.1];
  const sx = (x: number) => left + ((x - x0) / (x1 - x0)) * (width - left - right);
  const sy = (y: number) => top + (1 - (y - y0) / (y1 - y0)) * (height - top - bottom);
  const r = (n: number) => Math.round(n * 10) / 10;
  const lines = series
    .map((s) => {
      const cls = `s-${splitClass(s.split)}`;
      const poly = s.points.map((p) => `${r(sx(p.x))},${r(sy(p.y))}`).join(' ');
      const markers =
        s.points.length <= MaxMarkers
          ? s.points.map((p) => `<circle class="pt ${cls}" cx="${r(sx(p.x))}" cy="${r(sy(p.y))}" r="2.2"><title>${escapeHtml(s.split)} step ${fmtAxis(p.x)}: ${fmtValue(p.y)}</title></circle>`).join('')
          : '';
      return `<g class="series" data-split="${escapeHtml(s.split)}" data-points="${s.points.length}">${s.points.length > 1 ? `<polyline class="line ${cls}" points="${poly}"></polyline>` : ''}${markers}</g>`;
    })
    .join('');
  const axes =
    `<line class="axis-line" x1="${left}" y1="${height - bottom}" x2="${width - right}" y2="${height - bottom}"></line>` +
    `<line class="axis-line" x1="${left}" y1="${top}" x2="${left}" y2="${height - bottom}"></line>` +
    `<text class="axis" x="${left - 4}" y="${top + 8}" text-anchor="end">${fmtValue(y1)}</text>` +
    `<text class="axis" x="${left - 4}" y="${height - bottom}" text-anchor="end">${fmtValue(y0)}</text>` +
    `<text class="axis" x="${left}" y="${height - 6}">${fmtAxis(x0)}</text>` +
    `<text class="axis" x="${width - right}" y="${height - 6}" text-anchor="end">step ${fmtAxis(x1)}</text>`;
  const legend = series.map((s) => `<span class="key s-${splitClass(s.split)}">${escapeHtml(s.split)}</span>`).join(' ');
  return (
    `<section class="chart-box" data-chart="${escapeHtml(id)}"><h3>${escapeHtml(title)} <span class="legend">${legend}</span></h3>` +
    `<svg class="chart metric-chart" role="img" aria-label="${escapeHtml(title)} per step" data-metric="${escapeHtml(id)}" data-points="${all.length}" viewBox="0 0 ${width} ${height}" width="100%">${axes}${lines}</svg></section>`
  );
}

/** The latest value of each metric per split. */
export function latestValues(points: readonly MetricPoint[]): { split: string; metric: string; value: number; step?: number }[] {
  const latest = new Map<string, { split: string; metric: string; value: number; step?: number }>();
  for (const p of points) for (const [metric, value] of Object.entries(p.values)) latest.set(`${p.split}\u0000${metric}`, { split: p.split, metric, value, step: p.step });
  return [...latest.values()];
}

export function evalHtml(report: RunEvaluation): string {
  const parts: string[] = [];
  parts.push(
    `<h2>Evaluation${report.split ? ` <span class="muted">(${escapeHtml(report.split)}${report.testRows !== undefined ? `, ${report.testRows.toLocaleString('en-US')} rows` : ''})</span>` : ''}</h2>`,
    `<p class="headline">` +
      (report.accuracy !== undefined ? `<span data-eval-accuracy="${report.accuracy}">accuracy <b>${pct(report.accuracy)}</b></span>` : '') +
      (report.macroF1 !== undefined ? ` · <span data-eval-macro-f1="${report.macroF1}">macro-F1 <b>${pct(report.macroF1)}</b></span>` : '') +
      `</p>`,
  );
  if (report.perClass.length > 0) {
    parts.push(
      `<table class="eval-table" data-classes="${report.perClass.length}"><thead><tr><th>class</th><th class="num">precision</th><th class="num">recall</th><th class="num">F1</th><th class="num">support</th></tr></thead><tbody>` +
        report.perClass
          .map((c) => `<tr class="class-row${c.weak ? ' weak' : ''}" data-class="${escapeHtml(c.label)}"><td>${escapeHtml(c.label)}</td><td class="num">${fixed(c.precision)}</td><td class="num">${fixed(c.recall)}</td><td class="num">${fixed(c.f1)}</td><td class="num">${c.support.toLocaleString('en-US')}</td></tr>`)
          .join('') +
        `</tbody></table>`,
    );
  }
  if (report.confusion) parts.push(confusionMatrixHtml(report.confusion.labels, report.confusion.matrix, undefined, 'h3'));
  return parts.join('\n');
}

export function metricsBodyHtml(state: MetricsState): string {
  const run = state.run;
  const parts: string[] = [];
  const status = run?.status ?? (state.loading ? 'loading' : 'unknown');
  parts.push(
    `<header data-run-id="${escapeHtml(state.runId)}" data-status="${escapeHtml(status)}"><h1>${escapeHtml(run?.title ?? state.runId)}</h1>` +
      `<span class="status st-${escapeHtml(status)}">${escapeHtml(status)}${run?.exitCode !== undefined && run.status === 'failed' ? ` (exit ${run.exitCode})` : ''}</span></header>`,
    `<p class="muted">Run ${escapeHtml(state.runId)}${run?.runDir ? ` · <span class="path">${escapeHtml(run.runDir)}</span>` : ''}</p>`,
  );
  if (state.error) parts.push(`<p class="error" data-state="error">${escapeHtml(state.error)}</p>`);
  const charts = Charts.map((c) => ({ c, series: seriesFor(state.points, c.keys) })).filter((x) => x.series.length > 0);
  if (charts.length === 0) {
    parts.push(
      `<p class="hint" data-state="waiting">${state.loading ? 'Loading…' : run?.final ? 'This run logged no metrics.' : 'Waiting for the first metrics… (metrics.jsonl, the Trainer’s log lines, or trainer_state.json)'}</p>`,
    );
  } else {
    parts.push(`<div class="charts">${charts.map((x) => lineChartSvg(x.c.id, x.c.title, x.series)).join('')}</div>`);
    const latest = latestValues(state.points);
    parts.push(
      `<details class="latest"><summary>Latest values (${state.points.length} points)</summary><table><tr><th>split</th><th>metric</th><th class="num">value</th><th class="num">step</th></tr>` +
        latest.map((l) => `<tr><td>${escapeHtml(l.split)}</td><td>${escapeHtml(l.metric)}</td><td class="num">${fmtValue(l.value)}</td><td class="num">${l.step ?? ''}</td></tr>`).join('') +
        `</table></details>`,
    );
  }
  if (state.eval) parts.push(`<section class="eval" data-state="eval">${evalHtml(state.eval)}</section>`);
  else if (run?.final) parts.push(`<p class="muted" data-state="no-eval">No eval.json in the run folder: this run wrote no final evaluation.</p>`);
  return parts.join('\n');
}

/** The whole page; later updates replace `#root`'s content with metricsBodyHtml() through a message. */
/**
 * The whole page; `seq` numbers it among the page and its updates. Setting a webview's html while an
 * update message is on its way can deliver that older message to the new page, so the page applies
 * an update only when its `seq` is higher than anything it has shown.
 */
export function renderMetricsHtml(state: MetricsState, options: PageOptions, seq = 0): string {
  return webviewPage('Metrics', options, { css: css + confusionCss, body: `<div id="root" data-seq="${seq}">${metricsBodyHtml(state)}</div>`, script: script + confusionScript });
}

/** The only message the page accepts: new content for #root, and only from the extension. */
export interface UpdateMessage {
  readonly type: 'update';
  readonly html: string;
  /** Higher than the seq of the page and of every earlier update. */
  readonly seq: number;
}

function splitClass(split: string): string {
  return split === 'train' ? 'train' : split === 'eval' || split === 'validation' ? 'eval' : split === 'test' ? 'test' : 'other';
}

function fmtValue(n: number): string {
  if (!Number.isFinite(n)) return '';
  const a = Math.abs(n);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return n.toExponential(2);
  return String(Number(n.toPrecision(4)));
}

function fmtAxis(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}


function fixed(n: number): string {
  return n.toFixed(3);
}

