import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasMcpApi, mcpServerSpecs } from '../../src/mcpServerModel';

describe('mcpServerSpecs', () => {
  it('runs `<sidecar> mcp --workspace <folder>` in the folder', () => {
    const [spec, ...rest] = mcpServerSpecs({ serverPath: '/ext/dist/server/mlintern', folders: ['/ws/project'], version: '0.1.0' });
    assert.equal(rest.length, 0);
    assert.equal(spec.label, 'ML Intern');
    assert.equal(spec.command, '/ext/dist/server/mlintern');
    assert.deepEqual(spec.args, ['mcp', '--workspace', '/ws/project']);
    assert.equal(spec.cwd, '/ws/project');
    assert.equal(spec.version, '0.1.0');
    assert.equal(spec.env.DOTNET_NOLOGO, '1');
  });

  it('offers one server per folder, each labelled by its folder', () => {
    const specs = mcpServerSpecs({ serverPath: '/s/mlintern', folders: ['/a/api', '/b/models'], version: '1' });
    assert.deepEqual(specs.map((s) => s.label), ['ML Intern (api)', 'ML Intern (models)']);
    assert.deepEqual(specs.map((s) => s.args[2]), ['/a/api', '/b/models']);
  });

  it('offers nothing without a sidecar or a folder', () => {
    assert.deepEqual(mcpServerSpecs({ serverPath: undefined, folders: ['/ws'], version: '1' }), []);
    assert.deepEqual(mcpServerSpecs({ serverPath: '/s/mlintern', folders: [], version: '1' }), []);
  });
});

describe('hasMcpApi', () => {
  class Definition {}
  it('needs both the registration function and the definition class', () => {
    assert.equal(hasMcpApi({ lm: { registerMcpServerDefinitionProvider: () => undefined }, McpStdioServerDefinition: Definition }), true);
    assert.equal(hasMcpApi({ lm: { registerMcpServerDefinitionProvider: () => undefined } }), false);
    assert.equal(hasMcpApi({ lm: {}, McpStdioServerDefinition: Definition }), false);
    assert.equal(hasMcpApi({ McpStdioServerDefinition: Definition }), false);
    assert.equal(hasMcpApi({ lm: { registerMcpServerDefinitionProvider: 'not a function' }, McpStdioServerDefinition: Definition }), false);
    assert.equal(hasMcpApi(undefined), false);
  });
});
