// The Dataset view's content as plain data and HTML: the profile mlintern/profileDataset
// returns, the view's states, the HTML with
// its hand-made SVG charts under a strict CSP, and the messages the page may send back.
// Pure, unit-tested; datasetView.ts does the VS Code side.
import { DatasetExtensions } from './constants';
import { baseName, count as fmt, escapeHtml as esc, truncate } from './html';
import { isObject } from './json';
import type { CheckResult, ClassCount, DatasetProfile, HistogramBin } from './protocol';

export type { DatasetProfile } from './protocol';
import { PageOptions, webviewPage } from './webviewPage';
import css from './webview/dataset.css';
import script from './webview/dataset.page.js';

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
