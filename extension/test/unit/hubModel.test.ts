import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesText, detailBodyHtml, downloadDialog, parseDetailMessage, pickItems, renderDetailHtml } from '../../src/hubModel';
import { Methods } from '../../src/protocol';
import { sample } from './samples';

// The sidecar's real answers (HubTests, against its loopback Hub stand-in): acme/tickets with a
// three-class `intent` column whose smallest class has 3 examples, no license, two Parquet files.
describe('Find a Dataset', () => {
  it('lists each search result with its tasks, license, downloads and gating', () => {
    const items = pickItems(sample(Methods.searchDatasets));
    assert.equal(items.length, 1);
    assert.equal(items[0]!.label, 'acme/tickets');
    assert.equal(items[0]!.id, 'acme/tickets');
    assert.equal(items[0]!.description, 'text-classification');
    assert.match(items[0]!.detail, /license mit/);
    assert.match(items[0]!.detail, /4,321 downloads/);
    assert.match(items[0]!.detail, /gated$/);
  });

  it('renders the label column as a class chart, the warnings the sidecar gave and the first rows, escaped', () => {
    const info = sample(Methods.datasetInfo);
    const body = detailBodyHtml(info);
    assert.match(body, /<h2>Classes of <code>intent<\/code> in train<\/h2>/);
    assert.match(body, /<svg/);
    for (const label of ['track', 'refund', 'escalate']) assert.ok(body.includes(`>${label}<`), label);
    assert.match(body, /data-code="tiny-classes"/);
    assert.match(body, /data-code="no-license"/);
    assert.match(body, /ticket number 1 about my order/);
    const hostile = detailBodyHtml({ ...info, description: '<script>alert(1)</script>' });
    assert.ok(!hostile.includes('<script>alert'));
    assert.ok(hostile.includes('&lt;script&gt;'));
    const page = renderDetailHtml(info, { cspSource: 'vscode-webview:', nonce: 'N0NCE' });
    assert.match(page, /script-src 'nonce-N0NCE'/);
    assert.match(page, /default-src 'none'/);
  });

  it('asks before downloading with every file, the total size and the license', () => {
    const plan = sample(Methods.planDatasetDownload);
    const dialog = downloadDialog(plan);
    assert.equal(dialog.message, 'Download acme/tickets?');
    assert.equal(dialog.approve, 'Download');
    assert.ok(dialog.detail.includes(`2 Parquet file(s), ${bytesText(plan.totalBytes)} in all`));
    assert.match(dialog.detail, /License: none on the card/);
    assert.match(dialog.detail, /train-00000-of-00001\.parquet {2}\S+ \S+ {2}\(train\)/);
    assert.match(dialog.detail, /test-00000-of-00001\.parquet/);
    assert.match(dialog.detail, /⚠ no license on the card/);
  });

  it('accepts only a download message from the page', () => {
    assert.deepEqual(parseDetailMessage({ type: 'download' }), { type: 'download' });
    assert.equal(parseDetailMessage({ type: 'open', path: '/etc/passwd' }), undefined);
    assert.equal(parseDetailMessage('download'), undefined);
  });
});
