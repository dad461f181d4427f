import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  addPoints,
  evalHtml,
  lineChartSvg,
  MaxMarkers,
  MetricPoint,
  metricsBodyHtml,
  renderMetricsHtml,
  seriesFor,
} from '../../src/metricsModel';
import { confusionMatrixHtml } from '../../src/confusionMatrix';
import { Methods, Notifications, RunEvaluation } from '../../src/protocol';
import { sample, sampleNotification } from './samples';

// An evaluation as the sidecar reads eval.json: a weak class whose name needs escaping, and a confusion matrix.
const evaluation: RunEvaluation = {
  accuracy: 0.9,
  macroF1: 0.8833,
  perClass: [
    { label: 'billing', precision: 1, recall: 0.8, f1: 0.888889, support: 5, weak: false },
    { label: 'refund', precision: 0.8333, recall: 1, f1: 0.909091, support: 5, weak: false },
    { label: '<b>x</b>', precision: 0, recall: 0, f1: 0, support: 0, weak: true },
  ],
  confusion: { labels: ['billing', 'refund', '<b>x</b>'], matrix: [[4, 1, 0], [0, 5, 0], [0, 0, 0]] },
  split: 'stratified 20% split, seed 42',
  testRows: 10,
};

const dicts = (n: number, split = 'train') => Array.from({ length: n }, (_, i) => ({ step: i + 1, epoch: (i + 1) / 10, split, values: { loss: 1 / (i + 1), learning_rate: 5e-5 } }));

describe('metric points', () => {
  it('draws the real run: its points, its final status and its evaluation', () => {
    const answer = sample(Methods.getRun);
    const live = sampleNotification(Notifications.metrics);
    assert.equal(live.runId, answer.run.id);
    const body = metricsBodyHtml({ runId: answer.run.id, run: { ...answer.run, runDir: answer.runDir }, points: addPoints(answer.metrics, live.points), eval: answer.evaluation });
    assert.match(body, /data-status="succeeded"/);
    assert.match(body, /data-state="eval"/);
    assert.match(body, /<svg class="chart metric-chart"/);
  });

  it('a repeated (split, step) merges instead of drawing twice', () => {
    const a = addPoints(dicts(2), [{ step: 2, split: 'train', values: { accuracy: 0.5 } }, { step: 2, split: 'eval', values: { loss: 0.3 } }]);
    assert.equal(a.length, 3);
    assert.deepEqual(a[1]!.values, { loss: 0.5, learning_rate: 5e-5, accuracy: 0.5 });
  });

  it('series per split, sorted by step, with metric aliases', () => {
    const points: MetricPoint[] = [
      { step: 2, split: 'test', values: { f1: 0.7 } },
      { step: 2, split: 'train', values: { loss: 0.2 } },
      { step: 1, split: 'train', values: { loss: 0.9 } },
    ];
    assert.deepEqual(seriesFor(points, ['loss']), [{ split: 'train', points: [{ x: 1, y: 0.9 }, { x: 2, y: 0.2 }] }]);
    assert.deepEqual(seriesFor(points, ['macro_f1', 'f1']).map((s) => s.split), ['test']);
  });
});

describe('charts', () => {
  it('one polyline per split, a marker per point and the count of points plotted', () => {
    const svg = lineChartSvg('loss', 'Loss', seriesFor(dicts(5), ['loss']));
    assert.match(svg, /data-points="5"/);
    assert.equal((svg.match(/<polyline/g) ?? []).length, 1);
    assert.equal((svg.match(/<circle/g) ?? []).length, 5);
    assert.doesNotMatch(svg, /NaN|Infinity/);
  });

  it('one point, or a flat line, still draws within the box', () => {
    const one = lineChartSvg('accuracy', 'Accuracy', [{ split: 'test', points: [{ x: 20, y: 0.9 }] }]);
    assert.match(one, /data-points="1"/);
    assert.doesNotMatch(one, /NaN|Infinity/);
    const flat = lineChartSvg('lr', 'LR', [{ split: 'train', points: [{ x: 1, y: 0 }, { x: 2, y: 0 }] }]);
    assert.doesNotMatch(flat, /NaN|Infinity/);
  });

  it('long runs keep the line but drop the markers', () => {
    const svg = lineChartSvg('loss', 'Loss', seriesFor(dicts(MaxMarkers + 1), ['loss']));
    assert.match(svg, new RegExp(`data-points="${MaxMarkers + 1}"`));
    assert.doesNotMatch(svg, /<circle/);
  });
});

describe('the evaluation', () => {
  it('marks the classes the sidecar calls weak', () => {
    const html = evalHtml(evaluation);
    assert.equal((html.match(/class="class-row weak"/g) ?? []).length, 1);
    assert.match(html, /class="class-row weak" data-class="&lt;b&gt;x&lt;\/b&gt;"/);
  });

  it('a row per class, escaped, and the confusion matrix', () => {
    const html = evalHtml(evaluation);
    assert.match(html, /data-classes="3"/);
    assert.equal((html.match(/class="class-row/g) ?? []).length, 3);
    assert.match(html, /accuracy <b>90\.0%<\/b>/);
    assert.doesNotMatch(html, /<b>x<\/b>/);
    assert.match(html, /&lt;b&gt;x&lt;\/b&gt;/);
    const cm = confusionMatrixHtml(evaluation.confusion!.labels, evaluation.confusion!.matrix);
    assert.match(cm, /data-labels="3"/);
    assert.match(cm, /billing → refund: 1/);
  });
});

describe('the page', () => {
  it('waits for metrics, then draws the charts the run logged', () => {
    assert.match(metricsBodyHtml({ runId: 'r', run: { id: 'r', title: 'T', status: 'running', final: false }, points: [] }), /data-state="waiting"/);
    const body = metricsBodyHtml({ runId: 'r', run: { id: 'r', title: 'T', status: 'running', final: false }, points: dicts(3) });
    assert.match(body, /data-metric="loss" data-points="3"/);
    assert.match(body, /data-metric="learning_rate"/);
    assert.doesNotMatch(body, /data-metric="accuracy"/);
  });

  it('a finished run without eval.json says so; with it, shows the table', () => {
    assert.match(metricsBodyHtml({ runId: 'r', run: { id: 'r', title: 'T', status: 'succeeded', final: true }, points: [] }), /data-state="no-eval"/);
    assert.match(metricsBodyHtml({ runId: 'r', run: { id: 'r', title: 'T', status: 'succeeded', final: true }, points: [], eval: evaluation }), /data-state="eval"/);
  });

  it('the page applies only updates newer than itself and than the last one it applied', () => {
    const html = renderMetricsHtml({ runId: 'r', points: [], loading: true }, { cspSource: 'vscode-webview:', nonce: 'abc' }, 5);
    const script = /<script nonce="abc">([\s\S]*?)<\/script>/.exec(html)?.[1];
    assert.ok(script);
    const root = { dataset: { seq: /data-seq="(\d+)"/.exec(html)?.[1] }, innerHTML: 'page' };
    let onMessage: ((event: { data: unknown }) => void) | undefined;
    const window = { addEventListener: (_: string, f: (event: { data: unknown }) => void) => (onMessage = f) };
    new Function('document', 'window', script)({ getElementById: () => root, addEventListener: () => undefined }, window);
    const deliver = (seq: number, body: string) => onMessage!({ data: { type: 'update', html: body, seq } });
    deliver(4, 'older than the page');
    assert.equal(root.innerHTML, 'page');
    deliver(6, 'newer');
    assert.equal(root.innerHTML, 'newer');
    deliver(6, 'same again');
    deliver(5, 'late');
    assert.equal(root.innerHTML, 'newer');
  });

  it('has a strict CSP: nothing but its nonce runs or styles', () => {
    const html = renderMetricsHtml({ runId: 'r<script>', points: [], loading: true }, { cspSource: 'vscode-webview:', nonce: 'abc' });
    assert.match(html, /default-src 'none'; img-src vscode-webview: data:; style-src 'nonce-abc'; script-src 'nonce-abc';/);
    assert.doesNotMatch(html, /r<script>/);
    assert.equal((html.match(/<script/g) ?? []).length, 1);
    assert.doesNotMatch(html, /style="/);
  });
});
