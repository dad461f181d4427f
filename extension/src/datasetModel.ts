// The Dataset view's content as plain data and HTML: the profile mlintern/profileDataset
// returns, the view's states, the HTML with
// its hand-made SVG charts under a strict CSP, and the messages the page may send back.
// Pure, unit-tested; datasetView.ts does the VS Code side.
import { DatasetExtensions } from './constants';
import { isObject } from './json';
import type { CheckResult, ClassCount, DatasetProfile, HistogramBin } from './protocol';

export type { DatasetProfile } from './protocol';
import { PageOptions, webviewPage } from './webviewPage';

export type DatasetViewState =
  | { readonly kind: 'empty' }
  | { readonly kind: 'loading'; readonly path: string; readonly previous?: DatasetProfile }
  | { readonly kind: 'error'; readonly path: string; readonly message: string }
  | { readonly kind: 'profile'; readonly profile: DatasetProfile };

/** The most bars the class chart draws; the rest are summed up in a note. */
export const MaxClassBars = 50;

export function isDatasetPath(fsPath: string): boolean {
  const lower = fsPath.toLowerCase();
  return DatasetExtensions.some((e) => lower.endsWith(e));
}

/** Every file of the data set: a change to any of them makes the profile stale. */
export function profileFiles(profile: DatasetProfile | undefined): string[] {
  return profile ? profile.splits.flatMap((s) => s.files.map((f) => f.path)) : [];
}

/** The findings worth showing: the checks that found something. */
export function findings(profile: DatasetProfile): CheckResult[] {
  return profile.checks.filter((c) => c.count > 0);
}

export type ViewMessage = { readonly type: 'open'; readonly path: string; readonly line: number } | { readonly type: 'refresh' };

/** A message from the page, accepted only if well-formed and, for "open", about a file of the data set. */
export function parseViewMessage(value: unknown, allowedPaths: readonly string[]): ViewMessage | undefined {
  if (!isObject(value)) return undefined;
  if (value.type === 'refresh') return { type: 'refresh' };
  if (value.type === 'open' && typeof value.path === 'string' && allowedPaths.includes(value.path)) {
    const line = typeof value.line === 'number' && Number.isInteger(value.line) && value.line >= 1 ? value.line : 1;
    return { type: 'open', path: value.path, line };
  }
  return undefined;
}

export function renderDatasetHtml(state: DatasetViewState, options: PageOptions): string {
  let body: string;
  switch (state.kind) {
    case 'empty':
      body = `<p class="hint" data-state="empty">Open a data file (.csv, .tsv, .jsonl, .json, .parquet) or run <b>ML Intern: Inspect Dataset</b> to see its profile here.</p>`;
      break;
    case 'loading':
      body =
        `<p class="status" data-state="loading">Profiling ${esc(baseName(state.path))}…</p>` +
        (state.previous ? `<div class="stale">${profileHtml(state.previous)}</div>` : '');
      break;
    case 'error':
      body = `<p class="error" data-state="error">Could not profile ${esc(baseName(state.path))}: ${esc(state.message)}</p>${refreshButton()}`;
      break;
    case 'profile':
      body = profileHtml(state.profile);
      break;
  }
  return webviewPage('Dataset', options, { css, body: `${body}`, script });
}

function profileHtml(p: DatasetProfile): string {
  const found = findings(p);
  const parts: string[] = [];
  const name = p.path ? baseName(p.path) : p.splits[0]?.files[0]?.path ? baseName(p.splits[0].files[0].path) : 'data set';
  parts.push(
    `<header data-state="profile"><h2 title="${esc(p.path ?? '')}">${esc(name)}</h2>${refreshButton()}</header>`,
    `<p class="summary"><span data-rows="${p.rows}">${fmt(p.rows)} rows</span> · ${p.splits.length} split${p.splits.length === 1 ? '' : 's'}` +
      (p.seconds !== undefined ? ` · ${p.seconds.toFixed(2)} s` : '') +
      `</p>`,
  );
  if (p.splits.length > 1) {
    parts.push(
      `<h3>Splits</h3><table class="splits"><tr><th>split</th><th>rows</th><th>files</th></tr>` +
        p.splits.map((s) => `<tr><td>${esc(s.name)}</td><td class="num">${fmt(s.rows)}</td><td>${s.files.map((f) => esc(baseName(f.path))).join(', ')}</td></tr>`).join('') +
        `</table>`,
    );
  }
  const first = p.splits[0];
  if (first) {
    parts.push(
      `<h3>Columns</h3><table class="columns"><tr><th>column</th><th>type</th><th>missing</th><th>distinct</th></tr>` +
        first.columns
          .map((c) => {
            const role = c.name === p.label?.column ? ' <span class="role">label</span>' : c.name === p.text?.column ? ' <span class="role">text</span>' : '';
            const distinct = c.distinct === undefined ? '' : `${c.distinctIsExact === false ? '≈' : ''}${fmt(c.distinct)}`;
            return `<tr><td>${esc(c.name)}${role}</td><td>${esc(c.type)}</td><td class="num">${fmt(c.missing + (c.empty ?? 0))}</td><td class="num">${distinct}</td></tr>`;
          })
          .join('') +
        `</table>`,
    );
  }
  parts.push(classSection(p));
  const textColumn = first?.columns.find((c) => c.name === p.text?.column);
  if (textColumn?.lengths?.histogram?.length) {
    const l = textColumn.lengths;
    parts.push(
      `<h3>Text length <span class="muted">(${esc(textColumn.name)}, characters)</span></h3>` +
        histogramSvg(l.histogram!) +
        `<p class="muted">min ${fmt(l.min)} · median ${fmt(l.p50)} · p95 ${fmt(l.p95)} · max ${fmt(l.max)}</p>`,
    );
  }
  parts.push(
    `<h3>Findings <span class="badge" data-finding-count="${found.length}">${found.length}</span></h3>` +
      (found.length === 0 ? `<p class="muted">No problems found.</p>` : `<ul class="findings">${found.map(findingHtml).join('')}</ul>`),
  );
  return parts.join('\n');
}

function classSection(p: DatasetProfile): string {
  const labels = p.labels;
  if (!labels || !p.label?.column || labels.counts.length === 0) return `<h3>Labels</h3><p class="muted">No label column found. Set <code>mlintern.data.labelColumn</code>.</p>`;
  const classes = labels.classes ?? labels.counts.length;
  return (
    `<h3>Classes <span class="muted">(${esc(p.label.column)}: ${fmt(classes)}${labels.classesComplete === false ? '+' : ''})</span></h3>` +
    classChartSvg(labels.counts) +
    (labels.counts.length > MaxClassBars ? `<p class="muted">and ${fmt(labels.counts.length - MaxClassBars)} more classes</p>` : '')
  );
}

/** Horizontal bars, largest class first, one row per class. */
export function classChartSvg(counts: readonly ClassCount[]): string {
  const shown = [...counts].sort((a, b) => b.count - a.count).slice(0, MaxClassBars);
  const max = Math.max(1, ...shown.map((c) => c.count));
  const row = 16;
  const labelWidth = 120;
  const barWidth = 150;
  const height = shown.length * row;
  const bars = shown
    .map((c, i) => {
      const y = i * row;
      const w = Math.max(1, Math.round((c.count / max) * barWidth));
      return (
        `<g><title>${esc(c.label)}: ${fmt(c.count)}</title>` +
        `<text class="axis" x="${labelWidth - 4}" y="${y + 12}" text-anchor="end">${esc(truncate(c.label, 20))}</text>` +
        `<rect class="bar" x="${labelWidth}" y="${y + 2}" width="${w}" height="${row - 4}" data-label="${esc(c.label)}" data-count="${c.count}"></rect>` +
        `<text class="value" x="${labelWidth + w + 3}" y="${y + 12}">${fmt(c.count)}</text></g>`
      );
    })
    .join('');
  return `<svg class="chart class-chart" role="img" aria-label="class distribution" data-bars="${shown.length}" viewBox="0 0 ${labelWidth + barWidth + 40} ${height}" width="100%">${bars}</svg>`;
}

/** Vertical bars, one per bin, labelled with the bin's lower bound. */
export function histogramSvg(bins: readonly HistogramBin[]): string {
  const max = Math.max(1, ...bins.map((b) => b.count));
  const width = 300;
  const chartHeight = 80;
  const slot = width / Math.max(1, bins.length);
  const bars = bins
    .map((b, i) => {
      const h = b.count === 0 ? 0 : Math.max(1, Math.round((b.count / max) * chartHeight));
      const x = Math.round(i * slot + 1);
      return (
        `<g><title>${fmt(b.from)}–${fmt(b.to)} characters: ${fmt(b.count)}</title>` +
        `<rect class="bar" x="${x}" y="${chartHeight - h}" width="${Math.max(1, Math.round(slot - 2))}" height="${h}" data-count="${b.count}"></rect>` +
        `<text class="axis" x="${x}" y="${chartHeight + 12}">${fmt(b.from)}</text></g>`
      );
    })
    .join('');
  return `<svg class="chart length-histogram" role="img" aria-label="text length histogram" data-bars="${bins.length}" viewBox="0 0 ${width} ${chartHeight + 16}" width="100%">${bars}</svg>`;
}

function findingHtml(c: CheckResult): string {
  const examples = c.examples
    .filter((e) => e.path)
    .map(
      (e) =>
        `<li><button class="example" data-open-path="${esc(e.path!)}" data-open-line="${e.line ?? 1}" title="Open ${esc(baseName(e.path!))} at line ${e.line ?? 1}">` +
        `${esc(baseName(e.path!))}:${e.line ?? 1}</button> <span class="example-text">${esc(truncate(e.text ?? '', 120))}</span>` +
        (e.detail ? ` <span class="muted">— ${esc(e.detail)}</span>` : '') +
        `</li>`,
    )
    .join('');
  const severity = c.severity === 'error' ? 'error' : c.severity === 'hint' ? 'info' : 'warning';
  return (
    `<li class="finding ${severity}" data-code="${esc(c.code)}"><div><span class="code">${esc(c.code)}</span> ` +
    `<span class="count">${c.estimated ? '≈' : ''}${fmt(c.count)}</span> ${esc(c.message)}</div>` +
    (examples ? `<ul class="examples">${examples}</ul>` : '') +
    `</li>`
  );
}

function refreshButton(): string {
  return `<button class="refresh" data-refresh title="Profile again">Refresh</button>`;
}

const css = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 8px 8px; }
header { display: flex; align-items: center; justify-content: space-between; gap: 8px; }
h2 { font-size: 1.1em; margin: 8px 0 2px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
h3 { font-size: 1em; margin: 14px 0 4px; }
.muted, .summary, .hint { color: var(--vscode-descriptionForeground); }
.status { color: var(--vscode-progressBar-background, var(--vscode-foreground)); }
.stale { opacity: 0.5; }
.error { color: var(--vscode-errorForeground); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 1px 4px; border-bottom: 1px solid var(--vscode-widget-border, transparent); }
th { color: var(--vscode-descriptionForeground); font-weight: normal; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.role { font-size: 0.85em; padding: 0 4px; border-radius: 3px; background: var(--vscode-badge-background); color: var(--vscode-badge-foreground); }
.badge { padding: 0 6px; border-radius: 8px; background: var(--vscode-badge-background); color: var(--vscode-badge-foreground); }
svg.chart { display: block; max-width: 420px; }
svg .bar { fill: var(--vscode-charts-blue); }
svg.length-histogram .bar { fill: var(--vscode-charts-purple, var(--vscode-charts-blue)); }
svg text { font-size: 10px; fill: var(--vscode-foreground); }
svg text.axis { fill: var(--vscode-descriptionForeground); }
ul { padding-left: 0; list-style: none; margin: 0; }
.finding { margin: 6px 0; padding-left: 6px; border-left: 3px solid var(--vscode-editorWarning-foreground); }
.finding.error { border-left-color: var(--vscode-editorError-foreground); }
.finding.info { border-left-color: var(--vscode-editorInfo-foreground); }
.code { font-family: var(--vscode-editor-font-family); font-weight: bold; }
.count { font-variant-numeric: tabular-nums; }
.examples { padding-left: 8px; margin-top: 2px; }
.examples li { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.example-text { font-family: var(--vscode-editor-font-family); }
button.example { background: none; border: none; padding: 0; cursor: pointer; color: var(--vscode-textLink-foreground); font: inherit; }
button.example:hover { text-decoration: underline; }
button.refresh { background: var(--vscode-button-secondaryBackground); color: var(--vscode-button-secondaryForeground); border: none; padding: 2px 8px; cursor: pointer; }
`;

// The page only reports clicks; the extension decides what to open.
const script = `
const vscode = acquireVsCodeApi();
document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target : null;
  const example = target && target.closest('[data-open-path]');
  if (example) {
    vscode.postMessage({ type: 'open', path: example.getAttribute('data-open-path'), line: Number(example.getAttribute('data-open-line')) });
    return;
  }
  if (target && target.closest('[data-refresh]')) vscode.postMessage({ type: 'refresh' });
});
`;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
const esc = escapeHtml;

function fmt(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '';
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toFixed(1);
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function baseName(p: string): string {
  return p.split(/[\\/]/).pop() || p;
}

