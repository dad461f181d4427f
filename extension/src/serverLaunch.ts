// How the sidecar process is started: one place, as `{ command, args, options }`.
import * as path from 'node:path';

export interface ServerLaunch {
  readonly command: string;
  readonly args: string[];
  readonly options: { cwd: string; env: Record<string, string> };
}

export interface ServerLaunchInputs {
  readonly serverPath: string;
  /** The first workspace folder, if any: the sidecar resolves relative data paths from it. */
  readonly workspaceFolder: string | undefined;
  readonly env: NodeJS.ProcessEnv;
}

export function serverLaunch(inputs: ServerLaunchInputs): ServerLaunch {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(inputs.env)) {
    if (value !== undefined) env[key] = value;
  }
  // The .NET host prints nothing to stdout on its own, but its first-run banner and
  // telemetry notice would corrupt the LSP stream if they ever did.
  env.DOTNET_NOLOGO = '1';
  env.DOTNET_CLI_TELEMETRY_OPTOUT = '1';
  return {
    command: inputs.serverPath,
    args: ['serve'],
    options: { cwd: inputs.workspaceFolder ?? path.dirname(inputs.serverPath), env },
  };
}
