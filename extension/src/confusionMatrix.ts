// The one confusion-matrix renderer (Metrics and Evaluation panels): two heat-map tables, counts and
// row-normalised, of which the page's toggle (confusion.page.js) shows one.
import { clamp01, escapeHtml as esc, pct, truncate } from './html';
import confusionCss from './webview/confusion.css';
import confusionScript from './webview/confusion.page.js';

export { confusionCss, confusionScript };

/** The most labels the matrix draws; more are summarised in a note. */
export const MaxMatrixLabels = 60;

/** A heat level 0–6 for a cell's share of its row (0 only for an empty cell). */
export function heatLevel(share: number): number {
  if (!(share > 0)) return 0;
  return Math.min(6, 1 + Math.floor(clamp01(share) * 6));
}

/** Each row divided by its total (a row of zeros stays zeros). */
export function rowNormalized(counts: readonly (readonly number[])[]): number[][] {
  return counts.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((c) => (total > 0 ? c / total : 0));
  });
}

/** Rows are the true label, columns the prediction; `normalized` is computed from the counts when not given. */
export function confusionMatrixHtml(labels: readonly string[], counts: readonly (readonly number[])[], normalized?: readonly (readonly number[])[], heading: 'h2' | 'h3' = 'h2'): string {
  const k = Math.min(labels.length, MaxMatrixLabels);
  const shares = normalized ?? rowNormalized(counts);
  const table = (mode: 'counts' | 'normalized') => {
    const head = `<tr><th class="corner">true ↓ predicted →</th>${labels
      .slice(0, k)
      .map((l, j) => `<th class="col" title="${esc(l)}">${j + 1}</th>`)
      .join('')}</tr>`;
    const body = counts
      .slice(0, k)
      .map((row, i) => {
        const cells = row
          .slice(0, k)
          .map((c, j) => {
            const share = shares[i]?.[j] ?? 0;
            const text = mode === 'counts' ? (c === 0 ? '' : String(c)) : share === 0 ? '' : share.toFixed(2);
            return `<td class="cm ${i === j ? 'diag' : 'off'} h${heatLevel(share)}" title="${esc(labels[i]!)} → ${esc(labels[j]!)}: ${c} (${pct(share)} of ${esc(labels[i]!)})">${text}</td>`;
          })
          .join('');
        return `<tr data-true="${esc(labels[i]!)}"><th class="row" title="${esc(labels[i]!)}">${i + 1}. ${esc(truncate(labels[i]!, 24))}</th>${cells}</tr>`;
      })
      .join('');
    return `<table class="confusion" data-mode="${mode}" data-labels="${k}"${mode === 'normalized' ? ' hidden' : ''}>${head}${body}</table>`;
  };
  return (
    `<section data-section="confusion"><${heading}>Confusion matrix</${heading}>` +
    `<div class="toggle" role="group" aria-label="Confusion matrix values"><button data-cm="counts" aria-pressed="true">Counts</button><button data-cm="normalized" aria-pressed="false">Row-normalised</button></div>` +
    `<div class="cm-wrap">${table('counts')}${table('normalized')}</div>` +
    (labels.length > k ? `<p class="muted">Showing the first ${k} of ${labels.length} labels.</p>` : '') +
    `<p class="muted">Rows are the true label, columns the prediction; a cell's shade is its share of the row.</p></section>`
  );
}
