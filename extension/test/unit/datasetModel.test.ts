import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  classChartSvg,
  DatasetProfile,
  findings,
  histogramSvg,
  isDatasetPath,
  MaxClassBars,
  parseViewMessage,
  profileFiles,
  renderDatasetHtml,
} from '../../src/datasetModel';
import { Methods } from '../../src/protocol';
import { sample } from './samples';

const csv = '/w/data/tickets.csv';

// A small profile with what the rendering must handle: a text and a label column, an empty
// histogram bin, a check that found nothing, and data that needs escaping.
const profile: DatasetProfile = {
  path: csv,
  rows: 6,
  seconds: 0.01,
  splits: [
    {
      name: 'all',
      rows: 6,
      files: [{ path: csv, format: 'csv', rows: 6, malformedRecords: 0, linesAreRows: true }],
      columns: [
        { name: 'instruction', type: 'text', present: 6, missing: 0, empty: 0, distinct: 5, distinctIsExact: true, topValues: [], lengths: { min: 3, max: 40, mean: 15, p50: 12, p95: 38, histogram: [{ from: 0, to: 16, count: 4 }, { from: 16, to: 32, count: 0 }, { from: 32, to: 64, count: 2 }] } },
        { name: 'intent', type: 'category', present: 6, missing: 0, empty: 0, distinct: 2, distinctIsExact: true, topValues: [] },
      ],
      classes: [],
    },
  ],
  version: 'v1',
  text: { column: 'instruction', source: 'name' },
  label: { column: 'intent', source: 'name' },
  labels: { column: 'intent', valueType: 'string', classes: 2, classesComplete: true, counts: [{ label: 'refund', count: 2 }, { label: 'track_order', count: 4 }] },
  checks: [
    { code: 'MLD001', name: 'missing', severity: 'warning', estimated: false, count: 0, message: 'nothing missing', examples: [], fileFindings: [] },
    { code: 'MLD008', name: 'pii', severity: 'warning', estimated: false, count: 1, message: 'personal data', examples: [{ split: 'all', path: csv, line: 4, text: 'mail <***@***>', detail: 'an e-mail address' }], fileFindings: [] },
    { code: 'MLD003', name: 'conflicts', severity: 'error', estimated: false, count: 1, message: 'same text, "different" labels', examples: [{ split: 'all', path: csv, line: 6, text: 'hi', detail: '' }], fileFindings: [] },
  ],
};

const page = { cspSource: 'vscode-webview://x', nonce: 'N0nce' };

describe('isDatasetPath', () => {
  it('knows the data formats by extension, in any case', () => {
    for (const p of ['a.csv', 'b.TSV', 'c.jsonl', 'd.json', 'e.parquet']) assert.ok(isDatasetPath(p), p);
    for (const p of ['train.py', 'csv', 'x.csv.bak']) assert.ok(!isDatasetPath(p), p);
  });
});

describe('the profile', () => {
  it('lists the data set files and the checks that found something', () => {
    assert.deepEqual(profileFiles(profile), [csv]);
    assert.deepEqual(findings(profile).map((c) => c.code), ['MLD008', 'MLD003']);
  });
});

describe('the charts', () => {
  it('draws one bar per class, largest first, proportional to the counts', () => {
    const svg = classChartSvg(profile.labels!.counts);
    assert.match(svg, /data-bars="2"/);
    const bars = [...svg.matchAll(/<rect class="bar"[^>]*data-label="([^"]+)" data-count="(\d+)"/g)].map((m) => [m[1], m[2]]);
    assert.deepEqual(bars, [['track_order', '4'], ['refund', '2']]);
    const widths = [...svg.matchAll(/<rect class="bar"[^>]*width="(\d+)"/g)].map((m) => Number(m[1]));
    assert.equal(widths[0], widths[1]! * 2);
  });

  it('caps the class chart', () => {
    const many = Array.from({ length: MaxClassBars + 7 }, (_, i) => ({ label: `c${i}`, count: i + 1 }));
    assert.match(classChartSvg(many), new RegExp(`data-bars="${MaxClassBars}"`));
  });

  it('draws one histogram bar per bin, an empty bin at zero height', () => {
    const svg = histogramSvg(profile.splits[0]!.columns[0]!.lengths!.histogram!);
    assert.equal([...svg.matchAll(/<rect class="bar"/g)].length, 3);
    assert.match(svg, /height="0" data-count="0"/);
  });
});

describe('renderDatasetHtml', () => {
  const html = renderDatasetHtml({ kind: 'profile', profile }, page);

  it('has a strict CSP: nothing external, scripts and styles only with the nonce', () => {
    assert.match(html, /default-src 'none'; img-src vscode-webview:\/\/x data:; style-src 'nonce-N0nce'; script-src 'nonce-N0nce';/);
    assert.equal((html.match(/<script/g) ?? []).length, 1);
    assert.match(html, /<script nonce="N0nce">/);
    assert.match(html, /<style nonce="N0nce">/);
    assert.ok(!/https?:\/\//.test(html), 'no URL outside the webview');
    assert.ok(!/ style="/.test(html), 'no inline style attributes (the CSP would block them)');
  });

  it('shows rows, columns with roles, the class chart, the histogram and the findings', () => {
    assert.match(html, /data-rows="6"/);
    assert.match(html, /instruction <span class="role">text<\/span>/);
    assert.match(html, /intent <span class="role">label<\/span>/);
    assert.match(html, /class="chart class-chart"[^>]*data-bars="2"/);
    assert.match(html, /class="chart length-histogram"/);
    assert.match(html, /data-finding-count="2"/);
    assert.match(html, /data-open-path="\/w\/data\/tickets.csv" data-open-line="4"/);
  });

  it('renders the real answer: its rows, roles, classes and every check that found something', () => {
    const real = sample(Methods.profileDataset);
    const page2 = renderDatasetHtml({ kind: 'profile', profile: real }, page);
    assert.match(page2, new RegExp(`data-rows="${real.rows}"`));
    assert.match(page2, new RegExp(`${real.text.column} <span class="role">text</span>`));
    assert.match(page2, new RegExp(`data-bars="${real.labels!.counts.length}"`));
    assert.match(page2, new RegExp(`data-finding-count="${real.checks.filter((c) => c.count > 0).length}"`));
    assert.deepEqual(profileFiles(real), [real.path]);
  });

  it('escapes what comes from the data', () => {
    assert.match(html, /mail &lt;\*\*\*@\*\*\*&gt;/);
    assert.match(html, /same text, &quot;different&quot; labels/);
  });

  it('renders the other states', () => {
    assert.match(renderDatasetHtml({ kind: 'empty' }, page), /data-state="empty"/);
    const loading = renderDatasetHtml({ kind: 'loading', path: csv, previous: profile }, page);
    assert.match(loading, /Profiling tickets\.csv…/);
    assert.match(loading, /class="stale"/);
    assert.match(renderDatasetHtml({ kind: 'error', path: csv, message: '<boom>' }, page), /Could not profile tickets\.csv: &lt;boom&gt;/);
  });

  it('says when there is no label column', () => {
    const noLabel = renderDatasetHtml({ kind: 'profile', profile: { ...profile, labels: undefined, label: { source: 'none' } } }, page);
    assert.match(noLabel, /No label column found/);
    assert.ok(!noLabel.includes('class-chart'));
  });
});

describe('parseViewMessage', () => {
  it('opens only files of the data set, at a sane line', () => {
    assert.deepEqual(parseViewMessage({ type: 'open', path: csv, line: 4 }, [csv]), { type: 'open', path: csv, line: 4 });
    assert.deepEqual(parseViewMessage({ type: 'open', path: csv, line: -3 }, [csv]), { type: 'open', path: csv, line: 1 });
    assert.equal(parseViewMessage({ type: 'open', path: '/etc/passwd', line: 1 }, [csv]), undefined);
  });

  it('accepts refresh and ignores anything else', () => {
    assert.deepEqual(parseViewMessage({ type: 'refresh' }, []), { type: 'refresh' });
    for (const v of [null, 'open', { type: 'run', command: 'rm' }]) assert.equal(parseViewMessage(v, [csv]), undefined);
  });
});
