// Wires the extension together; the logic lives in the modules it imports.
import type * as vscode from 'vscode';
import { AskForFix, PythonDocuments } from './askFix';
import { Commands, ConfigSection, ExtensionName, Views } from './constants';
import { DatasetView } from './datasetView';
import { fixAllProblems } from './fixAll';
import { LanguageServer } from './languageServer';
import { ServerStatusBar } from './statusBar';
import * as api from './vscodeapi';

let server: LanguageServer | undefined;
let datasetView: DatasetView | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = api.createLogOutputChannel(ExtensionName);
  const status = new ServerStatusBar();
  context.subscriptions.push(log, status);
  log.info(`${ExtensionName} ${context.extension.packageJSON.version} activating in VS Code ${api.vscodeVersion()}.`);

  server = new LanguageServer({
    extensionPath: context.extensionPath,
    extensionVersion: String(context.extension.packageJSON.version),
    log,
    onState: (state, detail) => {
      status.update(state, detail);
      if (state === 'running') datasetView?.onServerRunning();
    },
  });
  const running = () => server?.runningClient;
  const askForFix = new AskForFix(running, log);
  const dataset = new DatasetView(running, log);
  datasetView = dataset;
  context.subscriptions.push(
    askForFix,
    dataset,
    api.registerWebviewViewProvider(Views.dataset, dataset),
    api.registerCommand(Commands.inspectDataset, (...args) => dataset.inspect(...args)),
    api.registerCommand(Commands.restartServer, () => server?.restart()),
    api.registerCommand(Commands.showLogs, () => log.show()),
    api.registerCommand(Commands.askForFix, (...args) => askForFix.run(...args)),
    api.registerCodeActionsProvider(PythonDocuments, askForFix.codeActions, [api.CodeActionKinds.quickFix(), api.CodeActionKinds.refactorRewrite()]),
    api.registerCommand(Commands.fixAll, () => fixAllProblems(() => running() !== undefined)),
    api.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(ConfigSection)) void server?.onSettingsChanged();
    }),
    // Trust may make a workspace's own "mlintern.server.path" apply.
    api.onDidGrantWorkspaceTrust(() => void server?.onSettingsChanged()),
  );
  await server.start();
}

export async function deactivate(): Promise<void> {
  await server?.dispose();
  server = undefined;
  datasetView = undefined;
}
