// Offers `mlintern mcp` to VS Code's MCP clients (Copilot agent mode, other chat agents) when this VS Code
// has the MCP API; mcpServerModel.ts decides what is offered, this module only registers it.
import { ConfigSection, McpProvider, Settings } from './constants';
import { currentSettings, isExecutableFile } from './languageServer';
import { mcpServerSpecs } from './mcpServerModel';
import { resolveServerPath } from './serverPath';
import * as api from './vscodeapi';

export interface McpServerHost {
  readonly extensionPath: string;
  readonly extensionVersion: string;
  readonly log: api.LogOutputChannel;
}

/** The registration, or undefined on a VS Code (or code-server) without the MCP API. */
export function registerMcpServer(host: McpServerHost): api.Disposable | undefined {
  const registered = api.registerMcpServerDefinitionProvider(McpProvider.id, () => {
    let serverPath: string | undefined;
    try {
      // The same sidecar the language server runs: the setting, the bundled build, the development build.
      serverPath = resolveServerPath({ configuredPath: currentSettings().serverPath, extensionPath: host.extensionPath, isExecutableFile }).path;
    } catch (e) {
      host.log.warn(`The MCP server is not offered: ${e instanceof Error ? e.message : String(e)}`);
    }
    return mcpServerSpecs({ serverPath, folders: api.workspaceFolderPaths(), version: host.extensionVersion });
  });
  if (!registered) {
    host.log.info('This VS Code has no MCP API (1.101 or later): the MCP server is not offered.');
    return undefined;
  }
  return api.combinedDisposable(
    registered.disposable,
    api.onDidChangeWorkspaceFolders(registered.changed),
    api.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${ConfigSection}.${Settings.serverPath}`)) registered.changed();
    }),
    api.onDidGrantWorkspaceTrust(registered.changed),
  );
}
