// The sidecar as the scenarios see it: making sample workspaces, and finding or killing
// the `mlintern serve` process the extension started under code-server.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sidecarPath } from './paths';
import { sidecarProcesses } from './processes';
import { notYet, waitFor, WaitOptions } from './wait';

/** Runs `mlintern sample DIR` in a new temporary folder and returns the folder. */
export function makeSampleWorkspace(prefix = 'mlintern-e2e-'): string {
  const sidecar = sidecarPath();
  if (!fs.existsSync(sidecar)) throw new Error(`The sidecar ${sidecar} is missing: run "npm run build:server" (or set MLINTERN_E2E_SIDECAR).`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const r = spawnSync(sidecar, ['sample', dir], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`"${sidecar} sample ${dir}" failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return dir;
}

/** Waits until exactly one sidecar runs under code-server (other than `notPid`) and returns its pid. */
export async function waitForSidecarProcess(codeServerPid: number, notPid?: number, options?: WaitOptions): Promise<number> {
  return waitFor(`one "mlintern serve" process under code-server${notPid ? ` other than pid ${notPid}` : ''}`, () => {
    const found = sidecarProcesses(codeServerPid).filter((p) => p.pid !== notPid);
    return found.length === 1 ? found[0]!.pid : notYet(found.map((p) => `${p.pid}: ${p.argv.join(' ')}`));
  }, { timeoutMs: 30_000, ...options });
}

export async function waitForSidecarExit(pid: number): Promise<void> {
  await waitFor(`sidecar pid ${pid} to exit`, () => !fs.existsSync(`/proc/${pid}`) || isZombie(pid), { timeoutMs: 15_000 });
}

function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

export function killProcess(pid: number): void {
  process.kill(pid, 'SIGKILL');
}

/** A finding as `mlintern check --format json` prints it (the fields the scenarios read). */
export interface CliFinding {
  readonly code: string;
  readonly severity?: string;
  readonly path: string;
  /** In a notebook: the 1-based index of the cell (every cell counts), and `line`/`column` are in that cell. */
  readonly cell?: number | null;
  readonly line: number;
  readonly column?: number;
  readonly fix?: { readonly applicability: string; readonly title?: string } | null;
}

/** Runs the sidecar's CLI in `cwd` and parses its JSON output (exit 1 means "found something"). */
export function sidecarJson<T>(args: readonly string[], cwd: string): T {
  const sidecar = sidecarPath();
  const r = spawnSync(sidecar, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`"${sidecar} ${args.join(' ')}" in ${cwd} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`"${sidecar} ${args.join(' ')}" printed no JSON:\n${r.stdout.slice(0, 2000)}\n${r.stderr}`);
  }
}

/**
 * What "fix all" should leave in `file` (relative to `workspace`): the CLI's findings before,
 * and after `check --fix` on a copy of the workspace (safe fixes only), so a scenario knows
 * which codes have safe fixes without hard-coding them.
 */
export function safeFixExpectation(workspace: string, file: string): { before: CliFinding[]; after: CliFinding[]; fixedText: string } {
  const before = sidecarJson<CliFinding[]>(['check', file, '--format', 'json'], workspace);
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'mlintern-e2e-fixcopy-'));
  try {
    fs.cpSync(workspace, copy, { recursive: true });
    const after = sidecarJson<CliFinding[]>(['check', file, '--fix', '--format', 'json'], copy);
    return { before, after, fixedText: fs.readFileSync(path.join(copy, file), 'utf8') };
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}
