// Owns the language client that talks to the sidecar: start, stop, restart (which
// disposes the old client first), restarts after a crash (capped by RestartPolicy;
// the client re-sends every open document on restart) and the settings it sends.
import * as fs from 'node:fs';
import * as readline from 'node:readline';
import {
  CloseAction,
  DidChangeConfigurationNotification,
  ErrorAction,
  ErrorHandler,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  State,
} from 'vscode-languageclient/node';
import { ClientId, ConfigSection, DataFileGlob, ExtensionName, JupyterNotebookType, Settings } from './constants';
import { preflight } from './preflight';
import { RestartPolicy } from './restartPolicy';
import { serverLaunch } from './serverLaunch';
import { resolveServerPath, ResolvedServerPath } from './serverPath';
import { AssistantSettingKeys, ComputeSettingKeys, DataSettingKeys, initializationOptions, needsRestart, readServerSettings, ServerSettings } from './settings';
import { ServerState } from './status';
import { LineTail } from './stderrTail';
import * as api from './vscodeapi';

export interface LanguageServerHost {
  readonly extensionPath: string;
  readonly extensionVersion: string;
  readonly log: api.LogOutputChannel;
  readonly onState: (state: ServerState, detail?: string) => void;
  /** Handlers of the sidecar's notifications (e.g. mlintern/metrics), registered on every client. */
  readonly notifications?: Readonly<Record<string, (params: unknown) => void>>;
}

export function isExecutableFile(candidate: string): boolean {
  try {
    fs.accessSync(candidate, fs.constants.X_OK);
    return fs.statSync(candidate).isFile();
  } catch {
    return false;
  }
}

export function currentSettings(): ServerSettings {
  const config = api.getConfiguration(ConfigSection);
  const data: Record<string, unknown> = {};
  for (const key of Object.keys(DataSettingKeys)) {
    const value = api.explicitSetting(config, `${Settings.data}.${key}`);
    if (value !== undefined) data[key] = value;
  }
  const compute: Record<string, unknown> = {};
  for (const key of Object.keys(ComputeSettingKeys)) {
    const value = api.explicitSetting(config, `${Settings.compute}.${key}`);
    if (value !== undefined) compute[key] = value;
  }
  return readServerSettings({
    serverPath: config.get(Settings.serverPath),
    logLevel: config.get(Settings.logLevel),
    select: config.get(Settings.select),
    ignore: config.get(Settings.ignore),
    severity: config.get(Settings.severity),
    data,
    compute,
    assistant: Object.fromEntries(AssistantSettingKeys.map((key) => [key, config.get(`${Settings.assistant}.${key}`)])),
  });
}

export class LanguageServer implements api.Disposable {
  private client: LanguageClient | undefined;
  private clientListeners: api.Disposable[] = [];
  private readonly policy = new RestartPolicy();
  /** Start/stop/restart run one at a time, in order, so two restarts never race. */
  private queue: Promise<void> = Promise.resolve();
  private settings: ServerSettings = currentSettings();
  /** The current client's stderr tail; each client gets its own so a stopped one's lines do not leak in. */
  private stderrTail = new LineTail();
  private resolvedPath: string | undefined;

  constructor(private readonly host: LanguageServerHost) {}

  start(): Promise<void> {
    return this.enqueue(() => this.doStart());
  }

  /** A user's restart: forgets earlier crashes, disposes the old client, starts a new one. */
  restart(): Promise<void> {
    return this.enqueue(async () => {
      this.policy.reset();
      await this.doStop();
      await this.doStart();
    });
  }

  stop(): Promise<void> {
    return this.enqueue(() => this.doStop());
  }

  /** Called when `mlintern.*` settings change. */
  onSettingsChanged(): Promise<void> {
    return this.enqueue(async () => {
      const before = this.settings;
      const after = currentSettings();
      this.settings = after;
      if (needsRestart(before, after)) {
        this.host.log.info(`Setting "mlintern.server.path" changed; restarting the sidecar.`);
        this.policy.reset();
        await this.doStop();
        await this.doStart();
      } else if (this.client?.state === State.Running) {
        await this.client.sendNotification(DidChangeConfigurationNotification.type, {
          settings: { [ConfigSection]: after.sidecar },
        });
      }
    });
  }

  /** The client when the sidecar is running, for requests; undefined otherwise. */
  get runningClient(): LanguageClient | undefined {
    return this.client?.state === State.Running ? this.client : undefined;
  }

  /** The sidecar executable last started (for its command-line verbs, e.g. `generate`). */
  get executable(): string | undefined {
    return this.resolvedPath;
  }

  async dispose(): Promise<void> {
    await this.stop();
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.queue.then(work, work);
    // Keep the queue going even when one step fails; the caller still sees the failure.
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async doStart(): Promise<void> {
    this.settings = currentSettings();
    this.host.onState('starting');
    let resolved: ResolvedServerPath;
    try {
      resolved = resolveServerPath({ configuredPath: this.settings.serverPath, extensionPath: this.host.extensionPath, isExecutableFile });
    } catch (e) {
      this.fail(e instanceof Error ? e.message : String(e));
      return;
    }
    this.resolvedPath = resolved.path;
    const launch = serverLaunch({ serverPath: resolved.path, workspaceFolder: api.firstWorkspaceFolderPath(), env: process.env });
    const stderrTail = new LineTail();
    this.stderrTail = stderrTail;
    const check = await preflight(launch.command, launch.options);
    if (!check.ok) {
      this.fail(check.message);
      return;
    }
    this.host.log.info(`Starting the sidecar ${check.version} (${resolved.source}): ${launch.command} ${launch.args.join(' ')} in ${launch.options.cwd}`);

    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'python' },
        { scheme: 'untitled', language: 'python' },
        { scheme: 'file', pattern: DataFileGlob },
        // Python cells of Jupyter notebooks: the client syncs them as notebookDocument/* because the server declares notebookDocumentSync.
        { notebook: JupyterNotebookType, language: 'python' },
      ],
      outputChannel: this.host.log,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      // A function, so a restart after a crash sends the settings in force then.
      initializationOptions: () => initializationOptions(this.settings, this.host.extensionVersion),
      errorHandler: this.errorHandler(() => client),
      stdioOptions: {
        stdout: (input, channel) => readline.createInterface({ input, crlfDelay: Infinity }).on('line', (line) => channel.info(line)),
        // The same lines arrive as window/logMessage at their real level; see stderrTail.ts.
        stderr: (input, channel) =>
          readline.createInterface({ input, crlfDelay: Infinity }).on('line', (line) => {
            stderrTail.push(line);
            channel.trace(`[stderr] ${line}`);
          }),
      },
    };
    const client = new LanguageClient(ClientId, ExtensionName, { run: launch, debug: launch }, clientOptions);
    this.client = client;
    for (const [method, handler] of Object.entries(this.host.notifications ?? {})) {
      this.clientListeners.push(client.onNotification(method, (params: unknown) => handler(params)));
    }
    this.clientListeners.push(
      client.onDidChangeState((e) => {
        if (this.client !== client) return;
        if (e.newState === State.Running) this.host.onState('running', `${resolved.path} (${resolved.source})`);
        else if (e.newState === State.Starting) this.host.onState('starting');
        else if (e.newState === State.StartFailed) this.host.onState('error', 'The sidecar failed to start.');
      }),
    );
    try {
      await client.start();
      this.host.log.info('The sidecar is running.');
    } catch (e) {
      const message = `The ML Intern sidecar failed to start: ${e instanceof Error ? e.message : String(e)}`;
      this.host.log.error(message);
      this.reportStderrTail();
      this.host.onState('error', message);
    }
  }

  private async doStop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    for (const d of this.clientListeners) d.dispose();
    this.clientListeners = [];
    if (!client) return;
    this.host.log.info('Stopping the sidecar.');
    try {
      // dispose() stops the server (shutdown + exit, then kill after the timeout).
      await client.dispose(2000);
    } catch (e) {
      this.host.log.warn(`Stopping the sidecar: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.host.onState('stopped');
  }

  /** The sidecar cannot run: say why once, in the log, the status bar and a notification. */
  private fail(message: string): void {
    this.host.log.error(message);
    this.host.onState('error', message);
    void api.showErrorMessage(message, 'Open Settings', 'Show Logs').then((choice) => {
      if (choice === 'Open Settings') void api.openSettings(`${ConfigSection}.${Settings.serverPath}`);
      else if (choice === 'Show Logs') this.host.log.show();
    });
  }

  private reportStderrTail(): void {
    const lines = this.stderrTail.take();
    if (lines.length > 0) this.host.log.error(`Last lines the sidecar wrote to stderr:\n${lines.join('\n')}`);
  }

  /** `owner` names the client the handler belongs to, so a replaced client is not restarted. */
  private errorHandler(owner: () => LanguageClient | undefined): ErrorHandler {
    return {
      // A broken message is logged and the connection kept; the server answers errors itself.
      error: (error, _message, count) => {
        this.host.log.error(`Connection to the sidecar: ${error.message}`);
        return { action: count !== undefined && count >= 5 ? ErrorAction.Shutdown : ErrorAction.Continue, handled: true };
      },
      closed: async () => {
        this.reportStderrTail();
        const decision = this.policy.onCrash(Date.now());
        if (decision.restart) {
          this.host.log.warn(`The sidecar exited unexpectedly; restarting it in ${decision.delayMs} ms (attempt ${decision.attempt}).`);
          this.host.onState('starting', 'Restarting after the sidecar exited.');
          await new Promise((resolve) => setTimeout(resolve, decision.delayMs));
          // A user's restart or a settings change may have replaced this client meanwhile.
          if (this.client !== owner()) return { action: CloseAction.DoNotRestart, handled: true, message: 'The replaced sidecar is not restarted.' };
          return { action: CloseAction.Restart, handled: true };
        }
        this.host.log.error(decision.reason);
        this.host.onState('error', decision.reason);
        return { action: CloseAction.DoNotRestart, message: decision.reason };
      },
    };
  }
}
