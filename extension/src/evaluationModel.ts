// The Evaluation panel's content as HTML from the report mlintern/evaluateRun returns (its type is
// the generated protocol.ts; the sidecar ranks the mistakes and marks the weak slices), the panel's
// states, and the page — the leakage audit first (its alarm, overlap counts, the group-split drop,
// its findings), then the headline metrics, suggestions, per-class scores, the confusion matrix (counts or row-normalised),
// confused pairs, misclassified examples, calibration and slices. Charts are hand-made SVG drawn
// in theme colours; the page runs only its nonce'd script, which toggles the matrix and posts
// "audit" / "refresh". Pure, unit-tested; evaluationPanel.ts does the VS Code side.
import { confusionCss, confusionMatrixHtml, confusionScript } from './confusionMatrix';
import { clamp01, escapeHtml as esc, f3, pct, r1, truncate } from './html';
import { isObject } from './json';
import type { CalibrationBin, ClassMetrics, ConfusedPair, EvaluationReport, FailureSlice, Misclassified, TemplateFigures } from './protocol';
import { PageOptions, webviewPage } from './webviewPage';
import css from './webview/evaluation.css';
import script from './webview/evaluation.page.js';

/**
 * The audit's one-line verdict on templates: "macro-F1 1.000 → 0.278 when no template is shared
 * between train and test"; undefined when the group split was not scored.
 */
export function templateDropText(templates: TemplateFigures | undefined): string | undefined {
  if (!templates) return undefined;
  return `macro-F1 ${f3(templates.baselineMacroF1)} → ${f3(templates.groupSplitMacroF1)} when no template is shared between train and test`;
}

// The panel's states and messages.

export type EvaluationState =
  | { readonly kind: 'loading'; readonly runId: string; readonly title: string; readonly previous?: EvaluationReport }
  | { readonly kind: 'error'; readonly runId: string; readonly title: string; readonly message: string }
  | { readonly kind: 'report'; readonly runId: string; readonly title: string; readonly report: EvaluationReport };

export type EvaluationMessage = { readonly type: 'audit' } | { readonly type: 'refresh' };

/** A message from the page; anything else is ignored. */
export function parseEvaluationMessage(value: unknown): EvaluationMessage | undefined {
  if (!isObject(value)) return undefined;
  if (value.type === 'audit') return { type: 'audit' };
  if (value.type === 'refresh') return { type: 'refresh' };
  return undefined;
}

export function renderEvaluationHtml(state: EvaluationState, options: PageOptions): string {
  return webviewPage('Evaluation', options, { css: css + confusionCss, body: evaluationBodyHtml(state), script: script + confusionScript });
}

export function evaluationBodyHtml(state: EvaluationState): string {
  const header = `<header data-run-id="${esc(state.runId)}" data-state="${state.kind}"><h1>Evaluation: ${esc(state.title)}</h1><button class="refresh" data-action="refresh" title="Evaluate the run again">Refresh</button></header>`;
  switch (state.kind) {
    case 'loading':
      return `${header}<p class="hint" data-state="loading">Evaluating run ${esc(state.runId)}…</p>${state.previous ? `<div class="stale">${reportHtml(state.previous)}</div>` : ''}`;
    case 'error':
      return `${header}<p class="error" data-state="error">Could not evaluate run ${esc(state.runId)}: ${esc(state.message)}</p>`;
    case 'report':
      return `${header}${reportHtml(state.report)}`;
  }
}

export function reportHtml(report: EvaluationReport): string {
  const m = report.metrics;
  const s = report.source;
  const parts: string[] = [];
  parts.push(
    `<p class="muted source">${[
      s.runId ? `Run ${esc(s.runId)}` : '',
      `${m.count.toLocaleString('en-US')} test rows`,
      s.dataPath ? `data <span class="path">${esc(s.dataPath)}</span>${s.textColumn ? ` (text <code>${esc(s.textColumn)}</code>, label <code>${esc(s.labelColumn ?? '?')}</code>)` : ''}` : '',
      s.skippedLines ? `<span class="warn">${s.skippedLines} malformed prediction line(s) skipped</span>` : '',
    ]
      .filter((x) => x !== '')
      .join(' · ')}</p>`,
  );
  parts.push(auditHtml(report));
  parts.push(headlineHtml(report));
  // The audit's own suggestions are shown in its box; the rest here.
  const more = report.suggestions.filter((x) => !report.audit?.suggestions.includes(x));
  if (more.length > 0) parts.push(`<section class="suggestions" data-section="suggestions"><h2>${report.audit?.suggestions.length ? 'More suggestions' : 'Suggestions'}</h2><ul>${more.map((x) => `<li>${esc(x)}</li>`).join('')}</ul></section>`);
  if (m.perClass.length > 0) parts.push(perClassHtml(m.perClass));
  if (m.labels.length > 0 && m.confusion.length > 0) parts.push(confusionMatrixHtml(m.labels, m.confusion, m.confusionNormalized));
  parts.push(confusedPairsHtml(report.confusedPairs));
  parts.push(misclassifiedHtml(report.misclassified));
  if (report.calibration) parts.push(calibrationHtml(report.calibration));
  if (report.slices.length > 0) parts.push(slicesHtml(report.slices, m.accuracy));
  if (report.notes.length > 0) parts.push(`<section class="notes" data-section="notes">${report.notes.map((n) => `<p class="muted">Note: ${esc(n)}</p>`).join('')}</section>`);
  return parts.join('\n');
}

/** The leakage audit box: alarm or clean, the drop, the overlap figures, the findings; or why it did not run. */
export function auditHtml(report: EvaluationReport): string {
  const audit = report.audit;
  if (!audit) {
    return (
      `<section class="audit not-run" data-section="audit" data-audit="not-run"><h2>Leakage audit: not run</h2>` +
      `<p>The audit runs by itself when macro-F1 is suspiciously high (≥ 0.99 by default); this run scored ${f3(report.metrics.macro.f1)}.</p>` +
      `<button data-action="audit">Run the leakage audit</button></section>`
    );
  }
  const parts: string[] = [];
  parts.push(
    `<h2>${audit.alarm ? '⚠ Leakage audit: the score is not to be trusted as it stands' : '✓ Leakage audit: no leakage found'}</h2>` + (audit.reason ? `<p class="muted">Ran because ${esc(audit.reason)}.</p>` : ''),
  );
  const drop = templateDropText(audit.templates);
  if (drop) {
    const t = audit.templates!;
    parts.push(
      `<p class="drop" data-drop="${t.drop}">${esc(drop)} <span class="muted">(drop ${f3(t.drop)}; group split, seed ${t.seed}, ${t.groupTrainRows} train / ${t.groupTestRows} test rows)</span></p>`,
      dropChartSvg(t.baselineMacroF1, t.groupSplitMacroF1),
    );
  }
  const figures: [string, string][] = [];
  const o = audit.overlap;
  figures.push(['test rows also in train', `${o.exact + o.normalized + o.nearDuplicate} of ${o.testRows} (${pct(o.share)})`]);
  figures.push(['verbatim', String(o.exact)], ['after case and punctuation', String(o.normalized)], ['near-duplicates', String(o.nearDuplicate)]);
  figures.push(['texts with conflicting labels', `${audit.conflicts.texts} (${audit.conflicts.rows} rows)`]);
  figures.push(['shortcut words', `${audit.shortcuts.count}, covering ${pct(audit.shortcuts.coverage)} of test rows at ${pct(audit.shortcuts.ruleAccuracy)} accuracy`]);
  const t = audit.templates;
  if (t) figures.push(['template families', `${t.families}; ${t.sharedFamilies} on both sides, holding ${t.testRowsInSharedFamilies} test rows (${pct(t.sharedShare)})`]);
  parts.push(`<table class="audit-figures">${figures.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>`);
  if (audit.findings.length > 0) parts.push(`<ul class="findings">${audit.findings.map((f) => `<li>${esc(f)}</li>`).join('')}</ul>`);
  if (audit.suggestions.length > 0) parts.push(`<h3>What to do</h3><ul class="audit-suggestions">${audit.suggestions.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>`);
  const examples: string[] = [];
  if (o.examples.length > 0) {
    examples.push(
      `<h3>Test rows found in train</h3><table class="examples"><tr><th>test text</th><th>train text</th><th>label</th><th class="num">similarity</th></tr>${o.examples
        .map((e) => `<tr><td>${esc(e.text)}</td><td>${esc(e.match ?? '')}</td><td>${esc(e.label)}</td><td class="num">${e.similarity !== undefined ? f3(e.similarity) : ''}</td></tr>`)
        .join('')}</table>`,
    );
  }
  if (t && t.examples.length > 0) {
    examples.push(
      `<h3>Templates on both sides of the split</h3><table class="examples"><tr><th>template</th><th>label</th><th class="num">train</th><th class="num">test</th><th>texts</th></tr>${t.examples
        .map((e) => `<tr><td><code>${esc(e.signature)}</code></td><td>${esc(e.label)}</td><td class="num">${e.trainRows}</td><td class="num">${e.testRows}</td><td>${e.texts.map(esc).join('<br>')}</td></tr>`)
        .join('')}</table>`,
    );
  }
  if (audit.shortcuts.tokens.length > 0) {
    examples.push(
      `<h3>Words that decide the label alone</h3><table class="examples"><tr><th>word</th><th>label</th><th class="num">train rows</th><th class="num">purity</th></tr>${audit.shortcuts.tokens
        .map((k) => `<tr><td><code>${esc(k.token)}</code></td><td>${esc(k.label)}</td><td class="num">${k.trainRows}</td><td class="num">${pct(k.purity)}</td></tr>`)
        .join('')}</table>`,
    );
  }
  if (audit.conflicts.examples.length > 0) {
    examples.push(`<h3>Texts with more than one label</h3><ul>${audit.conflicts.examples.map((e) => `<li>“${esc(e.text)}”: ${e.labels.map(esc).join(', ')}</li>`).join('')}</ul>`);
  }
  if (examples.length > 0) parts.push(`<details class="audit-examples"><summary>Examples</summary>${examples.join('')}</details>`);
  return `<section class="audit ${audit.alarm ? 'alarm' : 'clean'}" data-section="audit" data-audit="${audit.alarm ? 'alarm' : 'clean'}">${parts.join('')}</section>`;
}

/** Two bars: the reported macro-F1 and the one on a split where no template is shared. */
export function dropChartSvg(reported: number, grouped: number): string {
  const width = 420;
  const left = 150;
  const barW = width - left - 50;
  const bar = (y: number, value: number, cls: string, label: string) =>
    `<text x="${left - 6}" y="${y + 13}" text-anchor="end">${esc(label)}</text><rect class="${cls}" x="${left}" y="${y}" width="${r1(clamp01(value) * barW)}" height="18"><title>${esc(label)}: ${f3(value)}</title></rect><text x="${r1(left + clamp01(value) * barW + 4)}" y="${y + 13}">${f3(value)}</text>`;
  return (
    `<svg class="eval-chart drop-chart" data-chart="drop" role="img" aria-label="macro-F1 reported versus on a template group split" viewBox="0 0 ${width} 54" width="100%">` +
    bar(4, reported, 'bar reported', 'reported macro-F1') +
    bar(30, grouped, 'bar grouped', 'no shared template') +
    `</svg>`
  );
}

function headlineHtml(report: EvaluationReport): string {
  const m = report.metrics;
  const tiles: [string, string, number, string][] = [
    ['accuracy', 'Accuracy', m.accuracy, ''],
    ['macro-f1', 'Macro-F1', m.macro.f1, 'unweighted mean over classes'],
    ['micro-f1', 'Micro-F1', m.micro.f1, 'equals accuracy for single-label data'],
    ['weighted-f1', 'Weighted-F1', m.weighted.f1, 'weighted by support'],
  ];
  const cal = report.calibration ? `<div class="tile" data-metric="ece" title="expected calibration error, ${report.calibration.bins} bins"><span class="value">${f3(report.calibration.ece)}</span><span class="name">ECE</span></div>` : '';
  return (
    `<section class="headline" data-section="headline">` +
    tiles.map(([id, name, v, title]) => `<div class="tile" data-metric="${id}" data-value="${v}"${title ? ` title="${esc(title)}"` : ''}><span class="value">${f3(v)}</span><span class="name">${name}</span></div>`).join('') +
    cal +
    `</section>`
  );
}

/** Per-class F1 as horizontal bars, then the table. */
export function perClassHtml(rows: readonly ClassMetrics[]): string {
  const rowH = 16;
  const left = 170;
  const width = 460;
  const barW = width - left - 44;
  const height = rows.length * rowH + 6;
  const bars = rows
    .map((c, i) => {
      const y = 3 + i * rowH;
      return (
        `<text x="${left - 6}" y="${y + 11}" text-anchor="end">${esc(truncate(c.label, 26))}</text>` +
        `<rect class="bar${c.f1 < 0.5 ? ' weak' : ''}" x="${left}" y="${y + 2}" width="${r1(clamp01(c.f1) * barW)}" height="${rowH - 4}"><title>${esc(c.label)}: F1 ${f3(c.f1)}, support ${c.support}</title></rect>` +
        `<text x="${r1(left + clamp01(c.f1) * barW + 4)}" y="${y + 11}">${f3(c.f1)}</text>`
      );
    })
    .join('');
  const chart = `<svg class="eval-chart f1-chart" data-chart="per-class-f1" data-bars="${rows.length}" role="img" aria-label="F1 per class" viewBox="0 0 ${width} ${height}" width="100%">${bars}</svg>`;
  const table =
    `<table class="per-class" data-classes="${rows.length}"><thead><tr><th>class</th><th class="num">precision</th><th class="num">recall</th><th class="num">F1</th><th class="num">support</th><th class="num">predicted</th></tr></thead><tbody>` +
    rows
      .map((c) => `<tr class="class-row${c.f1 < 0.5 ? ' weak' : ''}" data-class="${esc(c.label)}"><td>${esc(c.label)}</td><td class="num">${f3(c.precision)}</td><td class="num">${f3(c.recall)}</td><td class="num">${f3(c.f1)}</td><td class="num">${c.support}</td><td class="num">${c.predicted}</td></tr>`)
      .join('') +
    `</tbody></table>`;
  return `<section data-section="per-class"><h2>Per class</h2><div class="two">${chart}${table}</div></section>`;
}

function confusedPairsHtml(pairs: readonly ConfusedPair[]): string {
  if (pairs.length === 0) return `<section data-section="confused-pairs"><h2>Most confused pairs</h2><p class="muted">No class is confused with another on this test set.</p></section>`;
  return (
    `<section data-section="confused-pairs"><h2>Most confused pairs</h2><table class="pairs"><tr><th>true</th><th>predicted</th><th class="num">count</th><th class="num">share of true</th><th>examples</th></tr>` +
    pairs
      .map((p) => `<tr class="pair"><td>${esc(p.label)}</td><td>${esc(p.predicted)}</td><td class="num">${p.count}</td><td class="num">${pct(p.shareOfLabel)}</td><td>${p.examples.map((e) => `<div class="example">“${esc(e)}”</div>`).join('')}</td></tr>`)
      .join('') +
    `</table></section>`
  );
}

function misclassifiedHtml(rows: readonly Misclassified[]): string {
  if (rows.length === 0) return `<section data-section="misclassified"><h2>Misclassified examples</h2><p class="muted">None: every test row was predicted correctly.</p></section>`;
  return (
    `<section data-section="misclassified"><h2>Misclassified examples, most confident first</h2><p class="muted">Confident mistakes are often label errors or shortcuts.</p><table class="misclassified"><tr><th>text</th><th>true</th><th>predicted</th><th class="num">confidence</th></tr>` +
    rows
      .map((x) => `<tr class="mistake"><td>${esc(x.text)}</td><td>${esc(x.label)}</td><td>${esc(x.predicted)}</td><td class="num">${x.confidence !== undefined ? f3(x.confidence) : ''}</td></tr>`)
      .join('') +
    `</table></section>`
  );
}

/** The reliability diagram: per bin, accuracy (bar) against the diagonal of perfect calibration. */
export function reliabilitySvg(bins: readonly CalibrationBin[]): string {
  const size = 220;
  const pad = 28;
  const top = 16;
  const inner = size - pad - top;
  const x = (v: number) => pad + clamp01(v) * inner;
  const y = (v: number) => top + (1 - clamp01(v)) * inner;
  const bars = bins
    .filter((b) => b.count > 0)
    .map((b) => `<rect class="bar" x="${r1(x(b.low))}" y="${r1(y(b.accuracy))}" width="${r1(Math.max(1, x(b.high) - x(b.low) - 1))}" height="${r1(y(0) - y(b.accuracy))}"><title>(${f3(b.low)}, ${f3(b.high)}]: ${b.count} rows, confidence ${f3(b.confidence)}, accuracy ${f3(b.accuracy)}</title></rect>`)
    .join('');
  return (
    `<svg class="eval-chart reliability" data-chart="reliability" data-bins="${bins.length}" role="img" aria-label="Reliability diagram" viewBox="0 0 ${size} ${size}" width="${size}">` +
    `<line class="axis-line" x1="${pad}" y1="${y(0)}" x2="${x(1)}" y2="${y(0)}"></line><line class="axis-line" x1="${pad}" y1="${y(0)}" x2="${pad}" y2="${y(1)}"></line>` +
    bars +
    `<line class="ideal" x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}"></line>` +
    `<text x="${pad - 4}" y="${y(1) + 4}" text-anchor="end">1</text><text x="${pad - 4}" y="${y(0)}" text-anchor="end">0</text>` +
    `<text x="${x(1)}" y="${y(0) + 12}" text-anchor="end">confidence →</text><text x="${pad}" y="${top - 5}">accuracy ↑</text></svg>`
  );
}

function calibrationHtml(c: NonNullable<EvaluationReport['calibration']>): string {
  return (
    `<section data-section="calibration"><h2>Calibration</h2><p data-ece="${c.ece}">Expected calibration error <b>${f3(c.ece)}</b> over ${c.bins} equal-width bins <span class="muted">(${esc(c.source)})</span>.</p>` +
    (c.reliability.length > 0 ? `${reliabilitySvg(c.reliability)}<p class="muted">Bars: accuracy per confidence bin; dashed: perfect calibration.</p>` : '') +
    `</section>`
  );
}

function slicesHtml(slices: readonly FailureSlice[], overall: number): string {
  const barW = 120;
  return (
    `<section data-section="slices"><h2>Failure slices</h2><p class="muted">Overall accuracy ${f3(overall)}; weak slices (well below it, on enough rows) are marked.</p>` +
    `<table class="slices"><tr><th>kind</th><th>slice</th><th class="num">rows</th><th class="num">errors</th><th class="num">accuracy</th><th></th><th class="num">macro-F1</th><th class="num">gap</th></tr>` +
    slices
      .map((s) => {
        const weak = s.weak;
        const bar = `<svg class="mini" viewBox="0 0 ${barW} 10" width="${barW}" height="10"><rect class="bar${weak ? ' weak' : ''}" x="0" y="1" width="${r1(clamp01(s.accuracy) * barW)}" height="8"></rect></svg>`;
        return `<tr class="slice${weak ? ' weak' : ''}" data-slice="${esc(s.kind)}:${esc(s.name)}"><td>${esc(s.kind)}</td><td>${esc(s.name)}</td><td class="num">${s.count}</td><td class="num">${s.errors}</td><td class="num">${f3(s.accuracy)}</td><td>${bar}</td><td class="num">${f3(s.macroF1)}</td><td class="num">${signed(s.accuracyGap)}</td></tr>`;
      })
      .join('') +
    `</table></section>`
  );
}

function signed(v: number): string {
  return `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(3)}`;
}
