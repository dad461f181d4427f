import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { initializationOptions, needsRestart, parseLogLevel, readServerSettings } from '../../src/settings';

const empty = { select: [], ignore: [], severity: {}, data: {}, compute: {}, assistant: {} };

describe('parseLogLevel', () => {
  it('accepts the declared levels in any case', () => {
    assert.equal(parseLogLevel('trace'), 'trace');
    assert.equal(parseLogLevel('DEBUG'), 'debug');
    assert.equal(parseLogLevel(' warn '), 'warn');
    assert.equal(parseLogLevel('error'), 'error');
  });

  it('maps common synonyms', () => {
    assert.equal(parseLogLevel('warning'), 'warn');
    assert.equal(parseLogLevel('verbose'), 'trace');
  });

  it('falls back to info on anything else', () => {
    for (const v of [undefined, null, 3, '', 'loud', {}]) assert.equal(parseLogLevel(v), 'info');
  });
});

describe('readServerSettings', () => {
  it('turns an empty path into undefined', () => {
    assert.deepEqual(readServerSettings({ serverPath: '', logLevel: 'debug' }), { serverPath: undefined, logLevel: 'debug', sidecar: { logLevel: 'debug', ...empty } });
    assert.deepEqual(readServerSettings({}), { serverPath: undefined, logLevel: 'info', sidecar: { logLevel: 'info', ...empty } });
    assert.equal(readServerSettings({ serverPath: 42 }).serverPath, undefined);
  });

  it('keeps a configured path', () => {
    assert.equal(readServerSettings({ serverPath: ' /opt/mlintern ' }).serverPath, '/opt/mlintern');
  });
});

describe('the section the sidecar is told', () => {
  it('carries rule selection, severities and data settings, cleaned', () => {
    const s = readServerSettings({
      select: ['MLI5', ' mli101 ', 3, ''],
      ignore: ['MLD004'],
      severity: { MLI501: 'Warning', MLD005: 'information', MLI101: 'loud', '': 'error' },
      data: { labelColumn: ' intent ', textColumn: '', maxExamples: 3, imbalanceRatio: 'ten', unknown: 1 },
    });
    assert.deepEqual(s.sidecar, {
      logLevel: 'info',
      select: ['MLI5', 'MLI101'],
      ignore: ['MLD004'],
      severity: { MLI501: 'warning', MLD005: 'info' },
      data: { labelColumn: 'intent', maxExamples: 3 },
      compute: {},
      assistant: {},
    });
  });

  it('carries the paraphrase-overlap opt-in only as a boolean', () => {
    assert.deepEqual(readServerSettings({ data: { paraphraseOverlap: true } }).sidecar.data, { paraphraseOverlap: true });
    assert.deepEqual(readServerSettings({ data: { paraphraseOverlap: false } }).sidecar.data, { paraphraseOverlap: false });
    assert.deepEqual(readServerSettings({ data: { paraphraseOverlap: 'true' } }).sidecar.data, {});
  });

  it('carries the assistant settings, cleaned: no empty endpoint, no variable name that is not one', () => {
    const s = readServerSettings({ assistant: { endpoint: ' http://localhost:11434/v1 ', model: 'qwen2.5-coder', apiKeyVariable: 'MY KEY', timeoutSeconds: 0, contextLines: 40 } });
    assert.deepEqual(s.sidecar.assistant, { endpoint: 'http://localhost:11434/v1', model: 'qwen2.5-coder', contextLines: 40 });
    assert.deepEqual(readServerSettings({ assistant: { endpoint: '', model: ' ', apiKeyVariable: 'OPENAI_API_KEY', timeoutSeconds: 30 } }).sidecar.assistant, { apiKeyVariable: 'OPENAI_API_KEY', timeoutSeconds: 30 });
  });

  it('carries only the compute settings someone set, cleaned', () => {
    const s = readServerSettings({ compute: { maxHours: 2, maxCostUsd: -1, hardware: ' A100 ', prices: { A100: 2.5, t4: 'cheap', '': 1 } } });
    assert.deepEqual(s.sidecar.compute, { maxHours: 2, hardware: 'a100', prices: { a100: 2.5 } });
    assert.deepEqual(readServerSettings({ compute: { maxHours: 0, prices: {} } }).sidecar.compute, { maxHours: 0 });
    // Compute targets pass through by name with their scalar fields; HF Jobs prices like the price table.
    const targets = readServerSettings({ compute: { targets: { cluster: { kind: 'slurm', gpus: 4, time: '4:00:00', nested: { no: 1 } }, bad: 'x', '': {} }, hfJobsPrices: { 'a10g-small': 1, x: -1 } } });
    assert.deepEqual(targets.sidecar.compute, { targets: { cluster: { kind: 'slurm', gpus: 4, time: '4:00:00' } }, hfJobsPrices: { 'a10g-small': 1 } });
  });

  it('is the initializationOptions, with the client version', () => {
    const s = readServerSettings({ logLevel: 'trace', select: ['ALL'] });
    assert.deepEqual(initializationOptions(s, '0.1.0'), { logLevel: 'trace', select: ['ALL'], ignore: [], severity: {}, data: {}, compute: {}, assistant: {}, clientVersion: '0.1.0' });
  });
});

describe('needsRestart', () => {
  it('restarts for a new executable only', () => {
    assert.equal(needsRestart(readServerSettings({}), readServerSettings({ serverPath: '/x' })), true);
    assert.equal(needsRestart(readServerSettings({ serverPath: '/x' }), readServerSettings({ serverPath: '/x', logLevel: 'debug', select: ['MLI'] })), false);
  });
});
