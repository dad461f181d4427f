// "Find a Dataset…", the pure part: the picker rows of mlintern/searchDatasets, the detail page of
// mlintern/datasetInfo (card facts, warnings, splits, first rows, the label column's class chart),
// and the approval dialog of mlintern/planDatasetDownload. It renders what the sidecar decided
// (warnings, label column, sizes); it never re-ranks, re-checks or recomputes an answer.
import { classChartSvg } from './datasetModel';
import { escapeHtml as esc } from './html';
import { isObject, str } from './json';
import type { DatasetDownloadPlan, DatasetInfoResult, HubDataset, SearchDatasetsResult } from './protocol';
import { PageOptions, webviewPage } from './webviewPage';

export interface DatasetPickItem {
  readonly label: string;
  readonly description: string;
  readonly detail: string;
  readonly id: string;
}

export function bytesText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

function count(n: number | undefined): string {
  return n === undefined ? '' : n.toLocaleString('en-US');
}

function facts(d: HubDataset): string {
  return [
    d.tasks.join(', '),
    d.languages.length ? d.languages.join(', ') : '',
    d.license ? `license ${d.license}` : 'no license',
    d.sizeCategory ?? '',
    d.downloads !== undefined ? `${count(d.downloads)} downloads` : '',
    d.lastModified ? `modified ${d.lastModified.slice(0, 10)}` : '',
    d.gated !== 'none' ? 'gated' : '',
  ]
    .filter((s) => s.length > 0)
    .join(' · ');
}

/** One row per result, in the sidecar's order. */
export function pickItems(result: SearchDatasetsResult): DatasetPickItem[] {
  return result.datasets.map((d) => ({ label: d.id, description: d.tasks.join(', '), detail: facts(d), id: d.id }));
}

/** The modal that asks before anything is downloaded: what, how much, which license; the one button that continues. */
export function downloadDialog(plan: DatasetDownloadPlan): { message: string; detail: string; approve: string } {
  const lines = [
    `${plan.files.length} Parquet file(s), ${bytesText(plan.totalBytes)} in all, into ${plan.directory}`,
    `License: ${plan.license ?? 'none on the card'} · revision ${plan.revision?.slice(0, 7) ?? 'unknown'} · config ${plan.config}`,
    ...plan.warnings.map((w) => `⚠ ${w.message}`),
    ...(plan.partial ? ['⚠ the dataset viewer converted only the first part of this data set'] : []),
    '',
    ...plan.files.map((f) => `${f.path.split(/[\\/]/).pop()}  ${bytesText(f.size)}  (${f.split})`),
  ];
  return { message: `Download ${plan.id}?`, detail: lines.join('\n'), approve: 'Download' };
}

export type DetailMessage = { type: 'download' };

/** The only thing the detail page may ask for. */
export function parseDetailMessage(value: unknown): DetailMessage | undefined {
  return isObject(value) && str(value.type) === 'download' ? { type: 'download' } : undefined;
}

export function detailBodyHtml(info: DatasetInfoResult): string {
  const s = info.summary;
  const parts: string[] = [];
  parts.push(`<h1>${esc(s.id)}</h1>`);
  parts.push(`<p class="facts">${esc(facts(s))}${s.sha ? ` · revision ${esc(s.sha.slice(0, 7))}` : ''}</p>`);
  if (info.description) parts.push(`<p>${esc(info.description)}</p>`);
  parts.push('<p><button id="download">Download…</button></p>');
  if (info.warnings.length) {
    parts.push(`<ul class="warnings">${info.warnings.map((w) => `<li data-code="${esc(w.code)}">${esc(w.message)}</li>`).join('')}</ul>`);
  }
  if (info.splits.length) {
    const rows = info.splits
      .map((p) => `<tr><td>${esc(p.config)}</td><td>${esc(p.split)}</td><td class="n">${count(p.rows)}</td><td class="n">${p.bytes !== undefined ? esc(bytesText(p.bytes)) : ''}</td></tr>`)
      .join('');
    parts.push(`<h2>Splits</h2><table><tr><th>config</th><th>split</th><th>rows</th><th>size</th></tr>${rows}</table>`);
  }
  const stats = info.statistics;
  const label = stats?.columns.find((c) => c.name === info.labelColumn);
  if (stats && label && label.frequencies.length) {
    parts.push(`<h2>Classes of <code>${esc(label.name)}</code> in ${esc(stats.split)}${stats.partial ? ' (partial)' : ''}</h2>`);
    parts.push(`<div class="chart" id="classes">${classChartSvg(label.frequencies.map((f) => ({ label: f.value, count: f.count })))}</div>`);
  }
  if (stats) {
    const rows = stats.columns
      .map((c) => {
        const range = c.min !== undefined && c.max !== undefined ? `${c.kind === 'string_text' ? 'length ' : ''}${c.min}–${c.max}` : '';
        const classes = c.frequencies.length ? `${count(c.unique ?? c.frequencies.length)} classes` : '';
        return `<tr><td>${esc(c.name)}${c.name === info.labelColumn ? ' (label)' : ''}</td><td>${esc(c.kind)}</td><td>${esc(classes || range)}</td><td class="n">${count(c.nullCount)}</td></tr>`;
      })
      .join('');
    parts.push(`<h2>Columns of ${esc(stats.split)} (${count(stats.rows)} rows)</h2><table><tr><th>column</th><th>kind</th><th>values</th><th>missing</th></tr>${rows}</table>`);
  } else if (info.columns.length) {
    parts.push(`<h2>Columns</h2><p>${info.columns.map((c) => `${esc(c.name)} (${esc(c.type)})`).join(', ')}</p>`);
  }
  if (info.firstRows.length) {
    const names = info.columns.length ? info.columns.map((c) => c.name) : Object.keys(info.firstRows[0]!);
    const head = names.map((n) => `<th>${esc(n)}</th>`).join('');
    const rows = info.firstRows.map((r) => `<tr>${names.map((n) => `<td>${esc(r[n] ?? '')}</td>`).join('')}</tr>`).join('');
    parts.push(`<h2>First rows</h2><table class="rows"><tr>${head}</tr>${rows}</table>`);
  }
  if (info.problems.length) parts.push(`<ul class="problems">${info.problems.map((p) => `<li>${esc(p)}</li>`).join('')}</ul>`);
  return parts.join('\n');
}

const css = `body{font-family:var(--vscode-font-family);color:var(--vscode-foreground);padding:0 1em}
.facts{color:var(--vscode-descriptionForeground)}
.warnings li{color:var(--vscode-editorWarning-foreground)}
table{border-collapse:collapse;margin:.5em 0}td,th{padding:2px 8px;text-align:left;border-bottom:1px solid var(--vscode-panel-border)}
td.n{text-align:right}.rows td{max-width:30em;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
button{background:var(--vscode-button-background);color:var(--vscode-button-foreground);border:none;padding:4px 12px;cursor:pointer}
.chart svg text{fill:var(--vscode-foreground);font-size:11px}.chart svg rect{fill:var(--vscode-charts-blue)}`;

const script = `const vscode = acquireVsCodeApi();
document.getElementById('download')?.addEventListener('click', () => vscode.postMessage({ type: 'download' }));`;

export function renderDetailHtml(info: DatasetInfoResult, options: PageOptions): string {
  return webviewPage(esc(info.summary.id), options, { css, body: detailBodyHtml(info), script });
}
