import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serverLaunch } from '../../src/serverLaunch';

describe('serverLaunch', () => {
  it('runs `<sidecar> serve` in the workspace folder', () => {
    const l = serverLaunch({ serverPath: '/ext/dist/server/mlintern', workspaceFolder: '/ws', env: { PATH: '/usr/bin' } });
    assert.equal(l.command, '/ext/dist/server/mlintern');
    assert.deepEqual(l.args, ['serve']);
    assert.equal(l.options.cwd, '/ws');
    assert.equal(l.options.env.PATH, '/usr/bin');
  });

  it('runs beside the sidecar without a workspace folder', () => {
    const l = serverLaunch({ serverPath: '/ext/dist/server/mlintern', workspaceFolder: undefined, env: {} });
    assert.equal(l.options.cwd, '/ext/dist/server');
  });

  it('keeps .NET quiet on stdout, which carries the protocol', () => {
    const l = serverLaunch({ serverPath: '/s', workspaceFolder: undefined, env: { KEEP: 'x', DROP: undefined } });
    assert.equal(l.options.env.DOTNET_NOLOGO, '1');
    assert.equal(l.options.env.KEEP, 'x');
    assert.ok(!('DROP' in l.options.env));
  });
});
