import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { initializationOptions, needsRestart, parseLogLevel, readServerSettings } from '../../src/settings';

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
    assert.deepEqual(readServerSettings({ serverPath: '', logLevel: 'debug' }), { serverPath: undefined, logLevel: 'debug' });
    assert.deepEqual(readServerSettings({}), { serverPath: undefined, logLevel: 'info' });
    assert.deepEqual(readServerSettings({ serverPath: 42 }), { serverPath: undefined, logLevel: 'info' });
  });

  it('keeps a configured path', () => {
    assert.equal(readServerSettings({ serverPath: ' /opt/mlintern ' }).serverPath, '/opt/mlintern');
  });
});

describe('initializationOptions', () => {
  it('carries the log level and the client version', () => {
    assert.deepEqual(initializationOptions({ serverPath: undefined, logLevel: 'trace' }, '0.1.0'), { logLevel: 'trace', clientVersion: '0.1.0' });
  });
});

describe('needsRestart', () => {
  it('restarts for a new executable only', () => {
    assert.equal(needsRestart({ serverPath: undefined, logLevel: 'info' }, { serverPath: '/x', logLevel: 'info' }), true);
    assert.equal(needsRestart({ serverPath: '/x', logLevel: 'info' }, { serverPath: '/x', logLevel: 'debug' }), false);
  });
});
