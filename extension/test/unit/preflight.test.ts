import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainPreflight } from '../../src/preflight';

const base = { exitCode: 0, signal: null, stdout: '', stderr: '' };

describe('explainPreflight', () => {
  it('reads the version from the first line', () => {
    assert.deepEqual(explainPreflight('/s', { ...base, stdout: '0.1.0+abc\n' }), { ok: true, version: '0.1.0+abc' });
  });

  it('names the missing .NET runtime and the way out', () => {
    const stderr = 'You must install or update .NET to run this application.\n\nApp: /x/mlintern\nArchitecture: x64\nFramework: \'Microsoft.NETCore.App\', version \'10.0.0\' (x64)';
    const r = explainPreflight('/x/mlintern', { ...base, exitCode: 150, stderr });
    assert.ok(!r.ok);
    assert.match(r.message, /needs the \.NET 10 runtime/);
    assert.match(r.message, /mlintern\.server\.path/);
    assert.match(r.message, /self-contained/);
  });

  it('reports an exit code with the first lines of stderr', () => {
    const r = explainPreflight('/bin/false', { ...base, exitCode: 1, stderr: 'boom\n\nmore\n' });
    assert.ok(!r.ok);
    assert.equal(r.message, 'The ML Intern sidecar /bin/false exited with code 1 when asked for its version: boom more');
  });

  it('reports a signal', () => {
    const r = explainPreflight('/s', { ...base, exitCode: null, signal: 'SIGKILL' });
    assert.ok(!r.ok);
    assert.match(r.message, /was killed by SIGKILL/);
  });

  it('reports a file that cannot be started', () => {
    const r = explainPreflight('/s', { ...base, exitCode: null, spawnError: 'EACCES spawn /s EACCES' });
    assert.ok(!r.ok);
    assert.match(r.message, /could not be started: EACCES/);
  });
});
