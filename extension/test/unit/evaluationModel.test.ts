import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  auditHtml,
  dropChartSvg,
  evaluationBodyHtml,
  parseEvaluationMessage,
  perClassHtml,
  reliabilitySvg,
  renderEvaluationHtml,
  reportHtml,
  templateDropText,
} from '../../src/evaluationModel';
import { confusionMatrixHtml, heatLevel } from '../../src/confusionMatrix';

import { Methods, type EvaluationReport } from '../../src/protocol';
import { sample } from './sidecarSamples';

// The sidecar's real answer for the sample project's baseline run (near-perfect, so the audit ran
// and raised its alarm); variations are made from it where a test needs what that run lacks.
const parsed = (): EvaluationReport => sample(Methods.evaluateRun);
const f3 = (v: number) => v.toFixed(3);
const withMistakes = (): EvaluationReport => ({
  ...parsed(),
  misclassified: [
    { text: 'refund order 5 please', label: '<b>refund</b>', predicted: 'cancel_order', confidence: 0.93 },
    { text: 'less sure', label: 'a', predicted: 'b', confidence: 0.41 },
    { text: 'no scores', label: 'a', predicted: 'b' },
  ],
  confusedPairs: [{ label: '<b>refund</b>', predicted: 'cancel_order', count: 1, shareOfLabel: 1 / 3, examples: ['I want my money back <script>'] }],
});

describe('the sample answer', () => {
  it('is the near-perfect sample run with its audit, so the page tests below see every part', () => {
    const r = parsed();
    assert.ok(r.metrics.macro.f1 >= 0.99);
    assert.equal(r.audit?.alarm, true);
    assert.ok(r.audit?.templates);
    assert.ok(r.calibration);
    assert.equal(r.metrics.confusion.length, r.metrics.labels.length);
  });
});

describe('the page', () => {
  it('puts the audit first, with the drop sentence, its chart and the overlap counts', () => {
    const r = parsed();
    const t = r.audit!.templates!;
    const o = r.audit!.overlap;
    const html = reportHtml(r);
    const audit = html.indexOf('data-section="audit"');
    assert.ok(audit >= 0 && audit < html.indexOf('data-section="headline"'), 'the audit comes before the headline metrics');
    assert.match(html, /data-audit="alarm"/);
    assert.ok(html.includes(`macro-F1 ${f3(t.baselineMacroF1)} → ${f3(t.groupSplitMacroF1)} when no template is shared between train and test`));
    assert.ok(html.includes(`data-drop="${t.drop}"`));
    assert.match(html, /data-chart="drop"/);
    assert.ok(html.includes(`${o.exact + o.normalized + o.nearDuplicate} of ${o.testRows} (${(o.share * 100).toFixed(1)}%)`));
    assert.ok(html.includes(`near-duplicates</th><td>${o.nearDuplicate}`));
    assert.ok(html.includes(`<h3>What to do</h3><ul class="audit-suggestions"><li>`));
  });

  it('shows the report\'s other suggestions once, after the audit', () => {
    const r = parsed();
    const html = reportHtml({ ...r, suggestions: [...r.suggestions, ...r.audit!.suggestions] });
    const first = r.audit!.suggestions[0]!.slice(0, 24);
    assert.doesNotMatch(first, /[&<>"']/);
    assert.equal(html.split(first).length - 1, 1);
    assert.match(html, /<h2>More suggestions<\/h2>/);
    assert.match(reportHtml({ ...r, audit: undefined }), /<h2>Suggestions<\/h2>/);
  });

  it('offers the audit when it did not run, and says a clean audit found nothing', () => {
    const none = auditHtml({ ...parsed(), audit: undefined });
    assert.match(none, /data-audit="not-run"/);
    assert.match(none, /data-action="audit"/);
    assert.ok(none.includes(`scored ${f3(parsed().metrics.macro.f1)}`));
    const clean = auditHtml({ ...parsed(), audit: { ...parsed().audit!, alarm: false, templates: undefined } });
    assert.match(clean, /data-audit="clean"/);
    assert.match(clean, /no leakage found/);
    assert.doesNotMatch(clean, /data-chart="drop"/);
  });

  it('shows the headline metrics', () => {
    const r = parsed();
    const html = reportHtml(r);
    for (const [id, v] of [['accuracy', r.metrics.accuracy], ['macro-f1', r.metrics.macro.f1], ['micro-f1', r.metrics.micro.f1], ['weighted-f1', r.metrics.weighted.f1], ['ece', r.calibration!.ece]] as const) {
      assert.match(html, new RegExp(`data-metric="${id}"[^>]*>(<span class="value">)${f3(v).replace('.', '\\.')}`), id);
    }
  });

  it('escapes every text from the data (labels, examples)', () => {
    const html = reportHtml(withMistakes());
    assert.doesNotMatch(html, /<b>refund<\/b>/);
    assert.doesNotMatch(html, /<script>/);
    assert.match(html, /&lt;b&gt;refund&lt;\/b&gt;/);
  });

  it('draws per-class F1 bars and a table row per class', () => {
    const classes = parsed().metrics.perClass;
    const html = perClassHtml(classes);
    assert.ok(html.includes(`data-chart="per-class-f1" data-bars="${classes.length}"`));
    assert.equal((html.match(/<tr class="class-row/g) ?? []).length, classes.length);
    assert.equal((html.match(/<rect class="bar/g) ?? []).length, classes.length);
  });

  it('renders the confusion matrix as counts and row-normalised, counts shown first', () => {
    const labels = ['cancel_order', '<b>refund</b>', 'track_order'];
    const html = confusionMatrixHtml(labels, [[5, 0, 0], [1, 2, 0], [0, 0, 2]], [[1, 0, 0], [0.3333333, 0.6666666, 0], [0, 0, 1]]);
    assert.match(html, /<table class="confusion" data-mode="counts" data-labels="3">/);
    assert.match(html, /<table class="confusion" data-mode="normalized" data-labels="3" hidden>/);
    assert.match(html, /data-cm="counts" aria-pressed="true"/);
    // The refund row: 1 predicted cancel_order (a third of the row), 2 right.
    assert.match(html, /class="cm off h2"[^>]*>1</);
    assert.match(html, /class="cm off h2"[^>]*>0\.33</);
    assert.match(html, /class="cm diag h6"[^>]*>1\.00</);
    const k = parsed().metrics.labels.length;
    assert.ok(reportHtml(parsed()).includes(`data-mode="counts" data-labels="${k}"`));
  });

  it('maps a share to a heat level, 0 only for an empty cell', () => {
    assert.equal(heatLevel(0), 0);
    assert.equal(heatLevel(0.001), 1);
    assert.equal(heatLevel(0.5), 4);
    assert.equal(heatLevel(1), 6);
    assert.equal(heatLevel(Number.NaN), 0);
  });

  it('lists misclassified rows in the order the sidecar ranked them', () => {
    const html = reportHtml(withMistakes());
    assert.ok(html.indexOf('refund order 5 please') < html.indexOf('less sure'));
    assert.ok(html.indexOf('less sure') < html.indexOf('no scores'));
  });

  it('shows calibration with its bins and a reliability diagram of the non-empty bins', () => {
    const c = parsed().calibration!;
    const html = reportHtml(parsed());
    assert.ok(html.includes(`Expected calibration error <b>${f3(c.ece)}</b> over ${c.bins} equal-width bins`));
    const svg = reliabilitySvg(c.reliability);
    assert.equal((svg.match(/<rect class="bar"/g) ?? []).length, c.reliability.filter((b) => b.count > 0).length);
    assert.doesNotMatch(reportHtml({ ...parsed(), calibration: undefined }), /data-section="calibration"/);
  });

  it('marks the slices the sidecar calls weak, and only those', () => {
    const r = parsed();
    assert.ok(r.slices.length >= 2);
    const [first, second] = r.slices as [EvaluationReport['slices'][0], EvaluationReport['slices'][0]];
    const html = reportHtml({ ...r, slices: [{ ...first, weak: true }, { ...second, weak: false }] });
    const attr = (s: typeof first) => `data-slice="${s.kind}:${s.name}"`.replace(/&/g, '&amp;');
    assert.ok(html.includes(`<tr class="slice weak" ${attr(first)}>`), html);
    assert.ok(html.includes(`<tr class="slice" ${attr(second)}>`));
    assert.equal((reportHtml(r).match(/<tr class="slice weak"/g) ?? []).length, r.slices.filter((s) => s.weak).length);
  });

  it('says when nothing was confused or misclassified', () => {
    const html = reportHtml({ ...parsed(), confusedPairs: [], misclassified: [] });
    assert.match(html, /No class is confused/);
    assert.match(html, /every test row was predicted correctly/);
  });

  it('writes the drop sentence only when the group split was scored', () => {
    assert.equal(templateDropText(undefined), undefined);
    const t = parsed().audit!.templates!;
    assert.equal(templateDropText({ ...t, baselineMacroF1: 0.995, groupSplitMacroF1: 0.94 }), 'macro-F1 0.995 → 0.940 when no template is shared between train and test');
    assert.match(dropChartSvg(1, 0.278), /<rect class="bar grouped" x="150" y="30" width="61\.2"/);
  });

  it('is a page with a nonce CSP: no inline handlers, nothing loaded from elsewhere', () => {
    const html = renderEvaluationHtml({ kind: 'report', runId: 'r1', title: 'Built-in baseline', report: parsed() }, { cspSource: 'vscode-webview://x', nonce: 'N0nce' });
    assert.match(html, /default-src 'none'; img-src vscode-webview:\/\/x data:; style-src 'nonce-N0nce'; script-src 'nonce-N0nce';/);
    assert.equal((html.match(/<script/g) ?? []).length, 1);
    assert.match(html, /<script nonce="N0nce">/);
    assert.doesNotMatch(html, /\son[a-z]+=/i);
    assert.doesNotMatch(html, /https?:\/\//);
  });

  it('renders the loading and error states', () => {
    assert.match(evaluationBodyHtml({ kind: 'loading', runId: 'r1', title: 'T' }), /data-state="loading"[^]*Evaluating run r1/);
    const error = evaluationBodyHtml({ kind: 'error', runId: 'r1', title: 'T', message: 'no <predictions>' });
    assert.match(error, /Could not evaluate run r1: no &lt;predictions&gt;/);
    assert.match(evaluationBodyHtml({ kind: 'loading', runId: 'r1', title: 'T', previous: parsed() }), /class="stale"/);
  });
});

describe('messages from the page', () => {
  it('accepts only audit and refresh', () => {
    assert.deepEqual(parseEvaluationMessage({ type: 'audit' }), { type: 'audit' });
    assert.deepEqual(parseEvaluationMessage({ type: 'refresh' }), { type: 'refresh' });
    assert.equal(parseEvaluationMessage({ type: 'open', path: '/etc/passwd' }), undefined);
    assert.equal(parseEvaluationMessage('audit'), undefined);
  });
});
