// Wires the extension together; the logic lives in the modules it imports.
import type * as vscode from 'vscode';
import { AgentView } from './agentView';
import { AskForFix, PythonDocuments } from './askFix';
import { Commands, ConfigSection, ExtensionName, Views } from './constants';
import { DatasetView } from './datasetView';
import { EvaluationPanel } from './evaluationPanel';
import { fixAllProblems } from './fixAll';
import { HubDatasets } from './hubDatasets';
import { LanguageServer } from './languageServer';
import { registerMcpServer } from './mcpServer';
import { MetricsPanel } from './metricsPanel';
import { MetricsNotification, Notifications } from './protocol';
import { ReleaseCommands } from './release';
import { RunsView } from './runsView';
import { openSampleProject } from './sample';
import { TrainingLauncher } from './training';
import { ServerStatusBar } from './statusBar';
import * as api from './vscodeapi';

let server: LanguageServer | undefined;
let datasetView: DatasetView | undefined;
let runsView: RunsView | undefined;
let metricsPanel: MetricsPanel | undefined;
let agentView: AgentView | undefined;

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
      if (state === 'running') {
        datasetView?.onServerRunning();
        runsView?.refresh();
        metricsPanel?.onServerRunning();
        agentView?.onServerRunning();
      }
    },
    notifications: {
      [Notifications.metrics]: (params) => {
        const m = params as MetricsNotification;
        metricsPanel?.onMetrics(m.runId, m.points);
        runsView?.refresh();
      },
      [Notifications.agentEvent]: (params) => agentView?.onEvent(params),
    },
  });
  const running = () => server?.runningClient;
  const askForFix = new AskForFix(running, log);
  const dataset = new DatasetView(running, log);
  datasetView = dataset;
  const workspaceFolder = () => api.firstWorkspaceFolderPath();
  const runs = new RunsView(running, workspaceFolder, log);
  const metrics = new MetricsPanel(running, workspaceFolder, log);
  runsView = runs;
  metricsPanel = metrics;
  runs.onRuns = (list) => {
    const shown = metrics.runId;
    const run = shown ? list.find((r) => r.id === shown) : undefined;
    if (run) metrics.onRunChanged(run);
  };
  const training = new TrainingLauncher({ client: running, log, runs, metrics });
  const evaluation = new EvaluationPanel(running, workspaceFolder, log);
  const release = new ReleaseCommands({ client: running, executable: () => server?.executable, log, runs, evaluation });
  const hub = new HubDatasets(running, log);
  const agent = new AgentView({ client: running, workspaceFolder, log, training, release, runs, metrics, evaluation });
  agentView = agent;
  context.subscriptions.push(
    askForFix,
    hub,
    dataset,
    api.registerWebviewViewProvider(Views.dataset, dataset),
    api.registerCommand(Commands.inspectDataset, (...args) => dataset.inspect(...args)),
    runs,
    metrics,
    training,
    api.createTreeView(Views.runs, runs),
    api.registerCommand(Commands.launchTraining, (...args) => training.launch(false, ...args)),
    api.registerCommand(Commands.smokeTest, (...args) => training.launch(true, ...args)),
    api.registerCommand(Commands.cancelRun, (...args) => training.cancel(...args)),
    api.registerCommand(Commands.refreshRuns, () => runs.refresh()),
    api.registerCommand(Commands.showRunMetrics, (run) => {
      // A run id (a row's click) or the row's run (its context menu).
      const runId = typeof run === 'string' ? run : typeof (run as { id?: unknown } | undefined)?.id === 'string' ? (run as { id: string }).id : undefined;
      if (runId) return metrics.show(runId, runs.find(runId));
      return undefined;
    }),
    evaluation,
    release,
    api.registerCommand(Commands.evaluateRun, (...args) => release.evaluate(...args)),
    api.registerCommand(Commands.createCard, (...args) => release.createCard(...args)),
    api.registerCommand(Commands.createDemo, (...args) => release.createDemo(...args)),
    api.registerCommand(Commands.publish, (...args) => release.publish(...args)),
    api.registerCommand(Commands.findDataset, () => hub.find()),
    agent,
    api.registerWebviewViewProvider(Views.agent, agent),
    api.registerCommand(Commands.talkToIntern, () => api.executeCommand(`${Views.agent}.focus`)),
    api.registerCommand(Commands.newConversation, () => agent.newConversation()),
    api.registerCommand(Commands.openSample, () => openSampleProject(() => server?.executable, log)),
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
  // Copilot agent mode and other MCP clients get ML Intern's read-only tools (VS Code 1.101 and later).
  const mcp = registerMcpServer({ extensionPath: context.extensionPath, extensionVersion: String(context.extension.packageJSON.version), log });
  if (mcp) context.subscriptions.push(mcp);
  await server.start();
}

export async function deactivate(): Promise<void> {
  await server?.dispose();
  server = undefined;
  datasetView = undefined;
  runsView = undefined;
  metricsPanel = undefined;
  agentView = undefined;
}
