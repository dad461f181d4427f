// Starts a real VS Code (code-server) with fresh user-data, extensions and XDG folders,
// so a run depends on nothing in the home directory and leaves nothing behind but its
// run folder. code-server runs in its own process group; stop() ends the whole group.
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { codeServerBin, node24Home, requireFile, runsDir } from './paths';
import { waitFor } from './wait';

/** User settings that keep the workbench quiet and deterministic (see the e2e notes). */
export const quietSettings: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': 'off',
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'terminal.integrated.gpuAcceleration': 'off',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'editor.minimap.enabled': false,
  'files.autoSave': 'off',
  'git.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

export interface CodeServerOptions {
  /** Names the run folder (.e2e/runs/<name>-<time>). */
  readonly name: string;
  readonly settings?: Record<string, unknown>;
  /** .vsix files to install before starting. */
  readonly extensions?: readonly string[];
  /** Keep workspace trust on (off by default, as the quiet settings say). */
  readonly workspaceTrust?: boolean;
}

export class CodeServer {
  private exited = false;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly runDir: string,
    readonly logFile: string,
  ) {
    child.on('exit', () => (this.exited = true));
  }

  get userSettingsFile(): string {
    return path.join(this.runDir, 'user-data', 'User', 'settings.json');
  }

  /** Where the Settings editor's "Remote" tab writes (machine-scoped settings live there). */
  get remoteSettingsFile(): string {
    return path.join(this.runDir, 'user-data', 'Machine', 'settings.json');
  }

  /** The value of a setting in user or remote settings.json (the files are plain JSON here). */
  savedSetting(id: string): unknown {
    for (const file of [this.remoteSettingsFile, this.userSettingsFile]) {
      try {
        const settings = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
        if (id in settings) return settings[id];
      } catch {
        // Missing, or being written: not saved yet.
      }
    }
    return undefined;
  }

  /** The text of an extension's log output channel as written to disk, or '' before it exists. */
  extensionLog(extensionId: string, channel: string): string {
    const logs = path.join(this.runDir, 'user-data', 'logs');
    const found: string[] = [];
    const walk = (dir: string, depth: number) => {
      if (depth > 4) return;
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full, depth + 1);
        else if (entry.name === `${channel}.log` && path.basename(dir) === extensionId) found.push(full);
      }
    };
    try {
      walk(logs, 0);
    } catch {
      return '';
    }
    return found.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
  }

  get extensionsDir(): string {
    return path.join(this.runDir, 'extensions');
  }

  get pid(): number {
    return this.child.pid!;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  folderUrl(folder: string): string {
    return `${this.baseUrl}/?folder=${encodeURIComponent(folder)}`;
  }

  static async start(options: CodeServerOptions): Promise<CodeServer> {
    requireFile(codeServerBin, 'run scripts/e2e-setup.sh');
    const runDir = path.join(runsDir, `${options.name}-${Date.now()}`);
    const dirs = {
      userData: path.join(runDir, 'user-data'),
      extensions: path.join(runDir, 'extensions'),
      config: path.join(runDir, 'xdg-config'),
      data: path.join(runDir, 'xdg-data'),
      cache: path.join(runDir, 'xdg-cache'),
    };
    for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true });
    fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
    fs.writeFileSync(
      path.join(dirs.userData, 'User', 'settings.json'),
      JSON.stringify({ ...quietSettings, ...options.settings }, null, 2),
    );
    const port = await freePort();
    const configFile = path.join(runDir, 'config.yaml');
    fs.writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: `${path.join(node24Home, 'bin')}:${process.env.PATH ?? ''}`,
      XDG_CONFIG_HOME: dirs.config,
      XDG_DATA_HOME: dirs.data,
      XDG_CACHE_HOME: dirs.cache,
    };
    const common = ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
    for (const vsix of options.extensions ?? []) {
      const r = spawnSync(codeServerBin, [...common, '--install-extension', vsix], { env, encoding: 'utf8', timeout: 60_000 });
      if (r.status !== 0) throw new Error(`Installing ${vsix} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    }

    const logFile = path.join(runDir, 'code-server.log');
    const log = fs.openSync(logFile, 'a');
    const child = spawn(
      codeServerBin,
      [
        '--config', configFile, ...common,
        '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override',
        ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
      ],
      { env, stdio: ['ignore', log, log], detached: true },
    );
    fs.closeSync(log);
    const server = new CodeServer(child, port, runDir, logFile);
    try {
      await waitFor(`code-server to answer /healthz on port ${port} (log: ${logFile})`, async () => {
        if (server.exited) throw new Error(`code-server exited; see ${logFile}`);
        const res = await fetch(`${server.baseUrl}/healthz`);
        return res.ok;
      }, { timeoutMs: 30_000 });
    } catch (e) {
      await server.stop();
      throw e;
    }
    return server;
  }

  /** Ends code-server and every process it started (the extension host, the sidecar). */
  async stop(): Promise<void> {
    if (this.exited) return;
    signalGroup(this.pid, 'SIGTERM');
    try {
      await waitFor('code-server to exit', () => this.exited, { timeoutMs: 5000, intervalMs: 100 });
    } catch {
      signalGroup(this.pid, 'SIGKILL');
    }
    // Children that left the group (none expected) would survive; the group kill covers the sidecar.
    signalGroup(this.pid, 'SIGKILL');
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
