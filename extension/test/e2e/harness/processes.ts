// Finding processes under code-server, read from /proc (Linux only, like the harness).
import * as fs from 'node:fs';

export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly argv: string[];
}

export function listProcesses(): ProcessInfo[] {
  const result: ProcessInfo[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name in parentheses may itself hold spaces or parentheses.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const argv = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter((a) => a !== '');
      result.push({ pid: Number(entry), ppid, argv });
    } catch {
      // The process ended while we looked.
    }
  }
  return result;
}

export function descendants(rootPid: number, all = listProcesses()): ProcessInfo[] {
  const byParent = new Map<number, ProcessInfo[]>();
  for (const p of all) byParent.set(p.ppid, [...(byParent.get(p.ppid) ?? []), p]);
  const out: ProcessInfo[] = [];
  const stack = [rootPid];
  while (stack.length > 0) {
    for (const child of byParent.get(stack.pop()!) ?? []) {
      out.push(child);
      stack.push(child.pid);
    }
  }
  return out;
}

/** The `<sidecar> serve` processes started under `rootPid`. */
export function sidecarProcesses(rootPid: number, sidecarName = 'mlintern'): ProcessInfo[] {
  return descendants(rootPid).filter((p) => {
    const i = p.argv.findIndex((a) => a.endsWith(`/${sidecarName}`) || a.endsWith(`/${sidecarName}.js`) || a.endsWith(`-${sidecarName}.js`) || a === sidecarName);
    return i >= 0 && p.argv[i + 1] === 'serve';
  });
}
