// The setup most scenarios share: the packaged .vsix installed, the sidecar it bundles (or the one
// MLINTERN_E2E_SIDECAR names), debug logs; and removal of the scenario's workspace after a pass.
import * as fs from 'node:fs';
import { defaultVsix, requireFile } from './paths';
import type { ScenarioSetup } from './scenario';

export function packagedExtensionSetup(settings: Record<string, unknown> = {}): ScenarioSetup {
  const vsix = requireFile(defaultVsix(), 'run "npm run package" (or set MLINTERN_E2E_VSIX)');
  const all: Record<string, unknown> = { 'mlintern.logLevel': 'debug', ...settings };
  // Normally the extension runs the sidecar bundled in the .vsix; a test may point it elsewhere.
  if (process.env.MLINTERN_E2E_SIDECAR) all['mlintern.server.path'] = process.env.MLINTERN_E2E_SIDECAR;
  return { extensions: [vsix], settings: all };
}

/** Removes a scenario's workspace when the run passed; a failed run keeps it to look at. */
export function removeWorkspace(folder: string, passed: boolean): void {
  if (passed && folder) fs.rmSync(folder, { recursive: true, force: true });
}
