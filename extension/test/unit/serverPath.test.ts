import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveServerPath, ServerNotFoundError } from '../../src/serverPath';

const ext = '/ext';
const bundled = '/ext/dist/server/mlintern';
const dev = '/ext/server/MLIntern.Server/bin/Debug/net10.0/mlintern';
const exists = (...files: string[]) => (candidate: string) => files.includes(candidate);

describe('resolveServerPath', () => {
  it('prefers the configured path', () => {
    const r = resolveServerPath({ configuredPath: '/opt/mlintern', extensionPath: ext, isExecutableFile: exists('/opt/mlintern', bundled) });
    assert.deepEqual(r, { path: '/opt/mlintern', source: 'setting' });
  });

  it('trims the configured path', () => {
    const r = resolveServerPath({ configuredPath: '  /opt/mlintern ', extensionPath: ext, isExecutableFile: exists('/opt/mlintern') });
    assert.equal(r.path, '/opt/mlintern');
  });

  it('uses the bundled sidecar when nothing is configured', () => {
    for (const configuredPath of [undefined, '', '   ']) {
      const r = resolveServerPath({ configuredPath, extensionPath: ext, isExecutableFile: exists(bundled, dev) });
      assert.deepEqual(r, { path: bundled, source: 'bundled' });
    }
  });

  it('falls back to the development build in a checkout', () => {
    const r = resolveServerPath({ configuredPath: undefined, extensionPath: ext, isExecutableFile: exists(dev) });
    assert.deepEqual(r, { path: dev, source: 'development' });
  });

  it('does not fall back when the configured path is missing', () => {
    assert.throws(
      () => resolveServerPath({ configuredPath: '/nope/mlintern', extensionPath: ext, isExecutableFile: exists(bundled) }),
      (e: unknown) => e instanceof ServerNotFoundError && e.searched.length === 1 && e.message.includes('/nope/mlintern'),
    );
  });

  it('rejects a relative configured path', () => {
    assert.throws(
      () => resolveServerPath({ configuredPath: 'bin/mlintern', extensionPath: ext, isExecutableFile: () => true }),
      /must be an absolute path/,
    );
  });

  it('names every place it looked when nothing is found', () => {
    assert.throws(
      () => resolveServerPath({ configuredPath: undefined, extensionPath: ext, isExecutableFile: () => false }),
      (e: unknown) => e instanceof ServerNotFoundError && e.searched.includes(bundled) && e.searched.includes(dev) && /mlintern\.server\.path/.test(e.message),
    );
  });
});
