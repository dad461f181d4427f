// The MCP server the extension offers VS Code (Copilot agent mode and other MCP clients in the editor):
// `mlintern mcp --workspace <folder>`, ML Intern's read-only tools. Pure: the sidecar's path and the
// folders are passed in, so what is offered is unit-tested without VS Code.
import * as path from 'node:path';
import { McpProvider } from './constants';

/** What a `vscode.McpStdioServerDefinition` is made of. */
export interface McpServerSpec {
  readonly label: string;
  readonly command: string;
  readonly args: string[];
  /** The folder the server runs in: its workspace. */
  readonly cwd: string;
  readonly env: Record<string, string>;
  /** The extension's version: VS Code asks for the tool list again when it changes. */
  readonly version: string;
}

export interface McpServerInputs {
  /** The sidecar executable (serverPath.ts resolved it), or undefined when none was found. */
  readonly serverPath: string | undefined;
  /** The workspace folders on disk, in order. */
  readonly folders: readonly string[];
  readonly version: string;
}

/**
 * One server per workspace folder (each reads only inside its folder). A single folder's server is
 * labelled "ML Intern"; with several, each label names its folder. No sidecar or no folder: none.
 */
export function mcpServerSpecs(inputs: McpServerInputs): McpServerSpec[] {
  const serverPath = inputs.serverPath;
  if (!serverPath) return [];
  const several = inputs.folders.length > 1;
  return inputs.folders.map((folder) => ({
    label: several ? `${McpProvider.label} (${path.basename(folder)})` : McpProvider.label,
    command: serverPath,
    args: ['mcp', '--workspace', folder],
    cwd: folder,
    // As for `serve`: the .NET host's banner or telemetry notice would corrupt the frames on stdout.
    env: { DOTNET_NOLOGO: '1', DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
    version: inputs.version,
  }));
}

/**
 * Whether this VS Code has the MCP API (1.101 and later): `vscode.lm.registerMcpServerDefinitionProvider`
 * and the `McpStdioServerDefinition` class. Older VS Code and code-server builds have neither, and the
 * extension then activates without offering the server.
 */
export function hasMcpApi(host: unknown): boolean {
  const h = host as { lm?: { registerMcpServerDefinitionProvider?: unknown }; McpStdioServerDefinition?: unknown } | undefined;
  return typeof h?.lm?.registerMcpServerDefinitionProvider === 'function' && typeof h?.McpStdioServerDefinition === 'function';
}
