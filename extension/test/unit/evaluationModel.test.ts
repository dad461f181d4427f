import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  auditHtml,
  confusionMatrixHtml,
  dropChartSvg,
  evaluationBodyHtml,
  heatLevel,
  normalizeRows,
  parseEvaluationMessage,
  parseEvaluationReport,
  perClassHtml,
  rankMisclassified,
  reliabilitySvg,
  renderEvaluationHtml,
  reportHtml,
  templateDropText,
} from '../../src/evaluationModel';

// The shape `mlintern evaluate RUN --format json` prints (and mlintern/evaluateRun returns), with
// figures from the sample project's baseline run, trimmed, and one mistake added.
const sample = {
  version: 1,
  source: { runId: '20261128-033359-e0ba', runFolder: '/w/.mlintern/runs/20261128-033359-e0ba', dataPath: '/w/data', textColumn: 'instruction', labelColumn: 'intent', categoryColumn: 'category', rows: 10, skippedLines: 0 },
  metrics: {
    count: 10,
    accuracy: 0.9,
    macro: { precision: 0.9166666, recall: 0.8333333, f1: 0.8571428 },
    micro: { precision: 0.9, recall: 0.9, f1: 0.9 },
    weighted: { precision: 0.925, recall: 0.9, f1: 0.8971428 },
    perClass: [
      { label: 'cancel_order', precision: 0.8333333, recall: 1, f1: 0.9090909, support: 5, predicted: 6 },
      { label: '<b>refund</b>', precision: 1, recall: 0.6666666, f1: 0.8, support: 3, predicted: 2 },
      { label: 'track_order', precision: 1, recall: 1, f1: 1, support: 2, predicted: 2 },
    ],
    labels: ['cancel_order', '<b>refund</b>', 'track_order'],
    confusion: [
      [5, 0, 0],
      [1, 2, 0],
      [0, 0, 2],
    ],
    confusionNormalized: [
      [1, 0, 0],
      [0.3333333, 0.6666666, 0],
      [0, 0, 1],
    ],
  },
  calibration: {
    ece: 0.6782043978417877,
    bins: 15,
    source: 'softmax of scores',
    reliability: [
      { low: 0, high: 0.0666, count: 0, confidence: 0, accuracy: 0 },
      { low: 0.2, high: 0.2666, count: 10, confidence: 0.22, accuracy: 0.9 },
    ],
  },
  confusedPairs: [{ label: '<b>refund</b>', predicted: 'cancel_order', count: 1, shareOfLabel: 0.3333333, examples: ['I want my money back <script>'] }],
  misclassified: [
    { text: 'less sure', label: 'a', predicted: 'b', confidence: 0.41 },
    { text: 'refund order 5 please', label: '<b>refund</b>', predicted: 'cancel_order', confidence: 0.93 },
    { text: 'no scores', label: 'a', predicted: 'b' },
  ],
  slices: [
    { kind: 'length', name: '1–3 words', count: 4, errors: 0, accuracy: 1, macroF1: 1, accuracyGap: 0.1 },
    { kind: 'placeholder', name: 'has {{placeholder}}', count: 5, errors: 1, accuracy: 0.8, macroF1: 0.7, accuracyGap: -0.1 },
  ],
  audit: {
    reason: 'macro-F1 1.000 ≥ 0.99',
    macroF1: 1,
    alarm: true,
    findings: [
      '178 of 203 test rows (87.7 %) are also in train: 4 verbatim, 89 after case and punctuation are ignored, 85 as near-duplicates (Jaccard ≥ 0.8).',
      'Baseline macro-F1 1.000 → 0.278 when no template is shared between train and test (drop 0.722; group split, seed 42, 716 train / 282 test rows).',
    ],
    overlap: { testRows: 203, exact: 4, normalized: 89, nearDuplicate: 85, share: 0.8768472906403941, examples: [{ text: 'I WOULD LIKE TO KNOW', label: 'track_order', match: 'hey I would like to know', similarity: 0.913 }] },
    conflicts: { texts: 2, rows: 6, examples: [{ text: 'hey cancel order {{Order Number}}', labels: ['cancel_order', 'get_refund'] }] },
    shortcuts: { tokens: [{ token: 'address', label: 'change_shipping_address', trainRows: 33, purity: 1, labelCoverage: 1 }], count: 75, testRowsCovered: 163, coverage: 0.8029556650246306, ruleAccuracy: 1 },
    templates: {
      families: 65,
      sharedFamilies: 56,
      testRowsInSharedFamilies: 202,
      sharedShare: 0.9950738916256158,
      baselineMacroF1: 1,
      groupSplitMacroF1: 0.27845252741086074,
      groupSplitAccuracy: 0.42907801418439717,
      drop: 0.7215474725891393,
      groupTrainRows: 716,
      groupTestRows: 282,
      seed: 42,
      classesNotHeldOut: [],
      examples: [{ signature: 'request a refund for order slot', label: 'get_refund', trainRows: 25, testRows: 5, texts: ['request a refund for order {{Order Number}}!!'] }],
    },
    suggestions: ['Split by template family (a group split on the template signature) and report that score: macro-F1 0.278, not 1.000.'],
  },
  suggestions: ['Deduplicate across the split: drop or move the 178 test rows that are in train (87.7 % of the test set) before reporting a score.'],
  notes: ['scores are not probabilities (decision values); calibration uses their softmax and is only indicative'],
};

const parsed = () => {
  const r = parseEvaluationReport(sample);
  assert.ok(r);
  return r;
};

describe('reading the report', () => {
  it('reads every part of the sidecar JSON', () => {
    const r = parsed();
    assert.equal(r.metrics.count, 10);
    assert.equal(r.metrics.macro.f1, 0.8571428);
    assert.equal(r.metrics.perClass.length, 3);
    assert.deepEqual(r.metrics.confusion[1], [1, 2, 0]);
    assert.equal(r.calibration?.bins, 15);
    assert.equal(r.confusedPairs[0]?.predicted, 'cancel_order');
    assert.equal(r.misclassified.length, 3);
    assert.equal(r.slices[1]?.accuracyGap, -0.1);
    assert.equal(r.audit?.alarm, true);
    assert.equal(r.audit?.overlap?.nearDuplicate, 85);
    assert.equal(r.audit?.templates?.groupSplitMacroF1, 0.27845252741086074);
    assert.equal(r.source.textColumn, 'instruction');
  });

  it('refuses an answer without metrics and tolerates missing optional parts', () => {
    assert.equal(parseEvaluationReport(null), undefined);
    assert.equal(parseEvaluationReport({ metrics: { count: 1 } }), undefined);
    assert.equal(parseEvaluationReport({ metrics: { count: 1, accuracy: 1, macro: { f1: 'x' } } }), undefined);
    const minimal = parseEvaluationReport({ metrics: { count: 2, accuracy: 0.5, macro: { precision: 0.5, recall: 0.5, f1: 0.5 } } });
    assert.ok(minimal);
    assert.equal(minimal.audit, undefined);
    assert.equal(minimal.calibration, undefined);
    assert.deepEqual(minimal.confusedPairs, []);
    assert.deepEqual(minimal.metrics.micro, { precision: 0.5, recall: 0.5, f1: 0.5 });
  });

  it('drops a matrix whose shape does not match the labels, and normalises when only counts came', () => {
    const bad = parseEvaluationReport({ ...sample, metrics: { ...sample.metrics, confusion: [[1, 2]], confusionNormalized: undefined } });
    assert.deepEqual(bad?.metrics.confusion, []);
    const countsOnly = parseEvaluationReport({ ...sample, metrics: { ...sample.metrics, confusionNormalized: undefined } });
    assert.deepEqual(countsOnly?.metrics.confusionNormalized[1], [1 / 3, 2 / 3, 0]);
  });

  it('treats an audit without an explicit alarm: false as an alarm (fails closed)', () => {
    assert.equal(parseEvaluationReport({ ...sample, audit: { findings: [] } })?.audit?.alarm, true);
    assert.equal(parseEvaluationReport({ ...sample, audit: { alarm: false, findings: [] } })?.audit?.alarm, false);
  });
});

describe('the page', () => {
  it('puts the audit first, with the drop sentence, its chart and the overlap counts', () => {
    const html = reportHtml(parsed());
    const audit = html.indexOf('data-section="audit"');
    assert.ok(audit >= 0 && audit < html.indexOf('data-section="headline"'), 'the audit comes before the headline metrics');
    assert.match(html, /data-audit="alarm"/);
    assert.match(html, /macro-F1 1\.000 → 0\.278 when no template is shared between train and test/);
    assert.match(html, /data-drop="0\.7215474725891393"/);
    assert.match(html, /data-chart="drop"/);
    assert.match(html, /178 of 203 \(87\.7 %\)/);
    assert.match(html, /near-duplicates<\/th><td>85/);
    assert.match(html, /75, covering 80\.3 % of test rows at 100\.0 % accuracy/);
    assert.match(html, /<h3>What to do<\/h3><ul class="audit-suggestions"><li>Split by template family/);
  });

  it('shows the report\'s other suggestions once, after the audit', () => {
    const r = parsed();
    const html = reportHtml({ ...r, suggestions: [...r.suggestions, ...r.audit!.suggestions] });
    assert.equal((html.match(/Split by template family/g) ?? []).length, 1);
    assert.match(html, /<h2>More suggestions<\/h2><ul><li>Deduplicate across the split/);
    assert.match(reportHtml({ ...r, audit: undefined }), /<h2>Suggestions<\/h2>/);
  });

  it('offers the audit when it did not run, and says a clean audit found nothing', () => {
    const none = auditHtml({ ...parsed(), audit: undefined });
    assert.match(none, /data-audit="not-run"/);
    assert.match(none, /data-action="audit"/);
    assert.match(none, /scored 0\.857/);
    const clean = auditHtml({ ...parsed(), audit: { alarm: false, findings: [], suggestions: [] } });
    assert.match(clean, /data-audit="clean"/);
    assert.match(clean, /no leakage found/);
    assert.doesNotMatch(clean, /data-chart="drop"/);
  });

  it('shows the headline metrics', () => {
    const html = reportHtml(parsed());
    for (const [id, v] of [['accuracy', '0.900'], ['macro-f1', '0.857'], ['micro-f1', '0.900'], ['weighted-f1', '0.897'], ['ece', '0.678']]) {
      assert.match(html, new RegExp(`data-metric="${id}"[^>]*>(<span class="value">)${v.replace('.', '\\.')}`), id);
    }
  });

  it('escapes every text from the data (labels, examples)', () => {
    const html = reportHtml(parsed());
    assert.doesNotMatch(html, /<b>refund<\/b>/);
    assert.doesNotMatch(html, /<script>/);
    assert.match(html, /&lt;b&gt;refund&lt;\/b&gt;/);
  });

  it('draws per-class F1 bars and a table row per class', () => {
    const html = perClassHtml(parsed().metrics.perClass);
    assert.match(html, /data-chart="per-class-f1" data-bars="3"/);
    assert.equal((html.match(/<tr class="class-row/g) ?? []).length, 3);
    assert.equal((html.match(/<rect class="bar/g) ?? []).length, 3);
  });

  it('renders the confusion matrix as counts and row-normalised, counts shown first', () => {
    const r = parsed();
    const html = confusionMatrixHtml(r.metrics.labels, r.metrics.confusion, r.metrics.confusionNormalized);
    assert.match(html, /<table class="confusion" data-mode="counts" data-labels="3">/);
    assert.match(html, /<table class="confusion" data-mode="normalized" data-labels="3" hidden>/);
    assert.match(html, /data-cm="counts" aria-pressed="true"/);
    // The refund row: 1 predicted cancel_order (a third of the row), 2 right.
    assert.match(html, /class="cm off h2"[^>]*>1</);
    assert.match(html, /class="cm off h2"[^>]*>0\.33</);
    assert.match(html, /class="cm diag h6"[^>]*>1\.00</);
  });

  it('maps a share to a heat level, 0 only for an empty cell', () => {
    assert.equal(heatLevel(0), 0);
    assert.equal(heatLevel(0.001), 1);
    assert.equal(heatLevel(0.5), 4);
    assert.equal(heatLevel(1), 6);
    assert.equal(heatLevel(Number.NaN), 0);
    assert.deepEqual(normalizeRows([[0, 0], [1, 3]]), [[0, 0], [0.25, 0.75]]);
  });

  it('ranks misclassified rows by confidence, rows without one last', () => {
    const ranked = rankMisclassified(parsed().misclassified);
    assert.deepEqual(ranked.map((x) => x.confidence), [0.93, 0.41, undefined]);
    const html = reportHtml(parsed());
    assert.ok(html.indexOf('refund order 5 please') < html.indexOf('less sure'));
  });

  it('shows calibration with its bins and a reliability diagram of the non-empty bins', () => {
    const html = reportHtml(parsed());
    assert.match(html, /Expected calibration error <b>0\.678<\/b> over 15 equal-width bins/);
    const svg = reliabilitySvg(parsed().calibration!.reliability);
    assert.equal((svg.match(/<rect class="bar"/g) ?? []).length, 1);
    assert.doesNotMatch(reportHtml({ ...parsed(), calibration: undefined }), /data-section="calibration"/);
  });

  it('marks slices well below overall accuracy', () => {
    const html = reportHtml(parsed());
    assert.match(html, /<tr class="slice weak" data-slice="placeholder:has \{\{placeholder\}\}">/);
    assert.match(html, /<tr class="slice" data-slice="length:1–3 words">/);
    assert.match(html, /−0\.100/);
  });

  it('says when nothing was confused or misclassified', () => {
    const html = reportHtml({ ...parsed(), confusedPairs: [], misclassified: [] });
    assert.match(html, /No class is confused/);
    assert.match(html, /every test row was predicted correctly/);
  });

  it('writes the drop sentence only when the group split was scored', () => {
    assert.equal(templateDropText(undefined), undefined);
    assert.equal(templateDropText({ classesNotHeldOut: [], examples: [], baselineMacroF1: 0.99 }), undefined);
    assert.equal(templateDropText({ classesNotHeldOut: [], examples: [], baselineMacroF1: 0.995, groupSplitMacroF1: 0.94 }), 'macro-F1 0.995 → 0.940 when no template is shared between train and test');
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
