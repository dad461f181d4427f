// One table each for the names other parts of the system rely on: command ids and
// settings must match package.json, the client id names the `<id>.trace.server` setting.

export const ExtensionName = 'ML Intern';
export const ClientId = 'mlintern';
export const ConfigSection = 'mlintern';

export const Commands = {
  restartServer: 'mlintern.restartServer',
  showLogs: 'mlintern.showLogs',
  askForFix: 'mlintern.askForFix',
  fixAll: 'mlintern.fixAll',
  inspectDataset: 'mlintern.inspectDataset',
  launchTraining: 'mlintern.launchTraining',
  smokeTest: 'mlintern.smokeTest',
  cancelRun: 'mlintern.cancelRun',
  showRunMetrics: 'mlintern.showRunMetrics',
  refreshRuns: 'mlintern.refreshRuns',
  evaluateRun: 'mlintern.evaluateRun',
  createCard: 'mlintern.createCard',
  createDemo: 'mlintern.createDemo',
  publish: 'mlintern.publish',
  findDataset: 'mlintern.findDataset',
  /** "Talk to the Intern": focuses the Intern view (VS Code's own `mlintern.agent.focus`, which keeps its generic title). */
  talkToIntern: 'mlintern.talkToIntern',
  newConversation: 'mlintern.agent.newConversation',
  openSample: 'mlintern.openSample',
} as const;

/** The task type of training runs, demos and uploads (package.json "taskDefinitions"; `action` tells them apart). */
export const TaskType = 'mlintern';

/** The code action kind of "Fix all ML Intern problems" (safe fixes only). */
export const FixAllKind = 'source.fixAll.mlintern';

/** The diagnostics' `source`, set by the sidecar. */
export const DiagnosticSource = 'mlintern';

/** The activity-bar container and its views (package.json "viewsContainers"/"views"). */
export const Views = {
  container: 'mlintern',
  dataset: 'mlintern.dataset',
  runs: 'mlintern.runs',
  agent: 'mlintern.agent',
} as const;

/** The webview panel type of the Metrics panel. */
export const MetricsPanelType = 'mlintern.metrics';

/** The webview panel type of a Hub data set's detail page (Find a Dataset…). */
export const HubDatasetPanelType = 'mlintern.hubDataset';

/** The webview panel type of the Evaluation panel. */
export const EvaluationPanelType = 'mlintern.evaluation';

/** The scheme of the read-only preflight reports shown before a publish. */
export const PreflightScheme = 'mlintern-preflight';

/** The scheme of the read-only documents that show a change the intern proposed, applied. */
export const AgentDiffScheme = 'mlintern-intern-diff';

/** The scheme of the read-only documents that show a proposed fix applied. */
export const FixPreviewScheme = 'mlintern-fix';

/** Setting keys, relative to the `mlintern` section. */
export const Settings = {
  serverPath: 'server.path',
  logLevel: 'logLevel',
  select: 'select',
  ignore: 'ignore',
  severity: 'severity',
  /** A group: `mlintern.data.<key>` for each key of settings.ts DataSettingKeys. */
  data: 'data',
  /** A group: `mlintern.compute.<key>` for each key of settings.ts ComputeSettingKeys. */
  compute: 'compute',
  /** The `mlintern.assistant` object: the LLM assistant of Ask for a Fix. */
  assistant: 'assistant',
  /** The Python interpreter training scripts run with. */
  trainingPython: 'training.python',
} as const;

/** The sidecar's executable name, as published by `npm run build:server`. */
export const ServerExecutable = 'mlintern';

/** Where the sidecar sits relative to the extension's folder, in order of preference. */
export const BundledServerPath = ['dist', 'server', ServerExecutable] as const;
export const DevServerPath = ['server', 'MLIntern.Server', 'bin', 'Debug', 'net10.0', ServerExecutable] as const;

/** The data-file extensions the sidecar checks (MLD rules). */
export const DataFileGlob = '**/*.{csv,tsv,jsonl}';

/** The notebook type of `.ipynb` files in VS Code (its built-in ipynb serializer); their Python cells are checked. */
export const JupyterNotebookType = 'jupyter-notebook';

/** The files the Dataset view profiles (the sidecar's DataFormat by file name). */
export const DatasetExtensions = ['.csv', '.tsv', '.jsonl', '.json', '.parquet'] as const;
export const DatasetGlob = '**/*.{csv,tsv,jsonl,json,parquet}';

/** The MCP server definition provider (package.json "mcpServerDefinitionProviders"): `mlintern mcp`, ML Intern's read-only tools. */
export const McpProvider = { id: 'mlintern', label: 'ML Intern' } as const;
