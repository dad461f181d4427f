// Before the language client starts the sidecar, `<sidecar> --version` is run once. A sidecar
// that cannot run at all (no .NET runtime, a wrong file, no permission) then gets one clear
// message instead of a burst of connection errors and restarts. The explanation is pure.
import { execFile } from 'node:child_process';

export type PreflightResult = { readonly ok: true; readonly version: string } | { readonly ok: false; readonly message: string };

export interface ProcessOutcome {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Set when the process could not be started (ENOENT, EACCES, …). */
  readonly spawnError?: string;
}

const dotnetMissing = /You must install (or update )?\.NET|framework '?Microsoft\.NETCore\.App'?.*(not found|was not found)|No frameworks were found|hostfxr/i;

export function explainPreflight(serverPath: string, outcome: ProcessOutcome): PreflightResult {
  if (outcome.spawnError) {
    return { ok: false, message: `The ML Intern sidecar ${serverPath} could not be started: ${outcome.spawnError}.` };
  }
  if (outcome.exitCode === 0) {
    return { ok: true, version: outcome.stdout.trim().split(/\r?\n/)[0] ?? '' };
  }
  const detail = firstLines(outcome.stderr || outcome.stdout, 4);
  if (dotnetMissing.test(outcome.stderr)) {
    return {
      ok: false,
      message:
        `The ML Intern sidecar needs the .NET 10 runtime, which was not found. Install it, or set "mlintern.server.path" ` +
        `to a self-contained build of the sidecar. (${detail})`,
    };
  }
  const how = outcome.signal ? `was killed by ${outcome.signal}` : `exited with code ${outcome.exitCode}`;
  return { ok: false, message: `The ML Intern sidecar ${serverPath} ${how} when asked for its version${detail ? `: ${detail}` : '.'}` };
}

function firstLines(text: string, count: number): string {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .slice(0, count)
    .join(' ');
}

export function preflight(serverPath: string, options: { cwd: string; env: Record<string, string> }, timeoutMs = 20_000): Promise<PreflightResult> {
  return new Promise((resolve) => {
    execFile(serverPath, ['--version'], { ...options, timeout: timeoutMs, maxBuffer: 256 * 1024 }, (error, stdout, stderr) => {
      const err = error as (NodeJS.ErrnoException & { code?: string | number; signal?: string }) | null;
      if (err && typeof err.code === 'string') {
        resolve(explainPreflight(serverPath, { exitCode: null, signal: null, stdout, stderr, spawnError: `${err.code} ${err.message}` }));
        return;
      }
      resolve(
        explainPreflight(serverPath, {
          exitCode: err ? (typeof err.code === 'number' ? err.code : null) : 0,
          signal: err?.signal ?? null,
          stdout,
          stderr,
        }),
      );
    });
  });
}
