// "ML Intern: Launch Training…" and "ML Intern: Smoke Test": pick what to run (the built-in
// baseline, a script ML Intern generates, or a workspace script) and the data set; the sidecar
// plans it (mlintern/planTraining), the plan opens as a Markdown preview and a modal shows its
// figures. Only the dialog's approving button continues: mlintern/approveRun gives a single-use
// token, mlintern/startRun creates the run folder and names the command, which runs as a VS Code
// task in the integrated terminal; its end is reported with mlintern/runExited.
import type { LanguageClient } from 'vscode-languageclient/node';
import { ConfigSection, DatasetGlob, ExtensionName, Settings, TaskType } from './constants';
import { MetricsPanel } from './metricsPanel';
import { ApproveRunResult, ErrorReasons, Methods, PlanTrainingParams, PlanTrainingResult, StartRunResult } from './protocol';
import { RunsView } from './runsView';
import { errorReason, request } from './sidecar';
import { approveRunParams, LaunchItem, launchItems, LaunchTarget, TargetItem, targetItems, taskName } from './trainingModel';
import * as api from './vscodeapi';

export interface TrainingDeps {
  readonly client: () => LanguageClient | undefined;
  readonly log: api.LogOutputChannel;
  readonly runs: RunsView;
  readonly metrics: MetricsPanel;
}

class Stop extends Error {}

export class TrainingLauncher implements api.Disposable {
  private readonly live = new Map<string, api.Disposable>();
  private readonly executions = new Map<string, api.TaskExecution>();

  constructor(private readonly deps: TrainingDeps) {}

  dispose(): void {
    for (const d of this.live.values()) d.dispose();
    this.live.clear();
  }

  /**
   * "Cancel Run" (a running run's context menu): a run whose task runs here is stopped by ending the
   * task (for a Slurm or HF Jobs run the sidecar then cancels the job); a remote run with no task
   * here (the editor restarted) is cancelled through mlintern/cancelRun.
   */
  async cancel(...args: unknown[]): Promise<void> {
    const arg = args[0];
    const runId = typeof arg === 'string' ? arg : typeof arg === 'object' && arg !== null && typeof (arg as { id?: unknown }).id === 'string' ? (arg as { id: string }).id : undefined;
    const workspaceFolder = api.firstWorkspaceFolderPath();
    if (!runId || !workspaceFolder) return;
    const execution = this.executions.get(runId);
    try {
      if (execution) {
        this.deps.log.info(`Cancel run ${runId}: ending its task.`);
        execution.terminate();
      } else {
        this.deps.log.info(`Cancel run ${runId}: ${Methods.cancelRun}.`);
        const summary = await request(this.requireClient(), Methods.cancelRun, { workspaceFolder, runId });
        void api.showInformationMessage(`ML Intern: run ${runId} ${summary.status}.`);
      }
    } catch (e) {
      void api.showErrorMessage(`ML Intern: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.deps.runs.refresh();
  }

  /** The command; `args[0]` may be a script's URI (explorer or editor context). */
  async launch(smoke: boolean, ...args: unknown[]): Promise<void> {
    try {
      await this.doLaunch(smoke, args);
    } catch (e) {
      if (e instanceof Stop) return;
      const message = e instanceof Error ? e.message : String(e);
      this.deps.log.error(`Launch training: ${message}`);
      void api.showErrorMessage(`ML Intern: ${message}`, 'Show Logs').then((c) => c === 'Show Logs' && this.deps.log.show());
    }
  }

  private async doLaunch(smoke: boolean, args: unknown[]): Promise<void> {
    const what = smoke ? 'Smoke Test' : 'Launch Training';
    this.deps.log.info(`${what}: choosing what runs.`);
    if (!api.isWorkspaceTrusted()) {
      void api.showWarningMessage(`ML Intern: ${what} runs code from this workspace; trust the workspace first.`);
      throw new Stop();
    }
    const workspaceFolder = api.firstWorkspaceFolderPath();
    if (!workspaceFolder) throw new Error(`${what} needs an open folder (runs are kept in its .mlintern/runs).`);
    const client = this.requireClient();

    let target: LaunchTarget;
    if (api.isUri(args[0]) && args[0].scheme === 'file' && args[0].fsPath.endsWith('.py')) target = { kind: 'script', path: args[0].fsPath };
    else {
      const scripts = await api.findWorkspaceFiles('**/*.py', 200);
      const picked = await api.showQuickPick<LaunchItem & { label: string }>(launchItems(scripts, workspaceFolder), `ML Intern: ${what}`, 'What should run?');
      if (!picked) throw new Stop();
      target = picked.target;
    }

    // A workspace script trains on the data set it loads (the sidecar reads it from the script); the
    // picker is shown only when the sidecar cannot tell, and for the baseline and a generated script.
    let data = target.kind === 'script' ? undefined : await this.pickDataset(workspaceFolder, what);
    if (target.kind === 'generate') {
      const script = await this.generateScript(workspaceFolder, data!);
      target = { kind: 'script', path: script };
    }

    const python = api.getConfiguration(ConfigSection).get<string>(Settings.trainingPython) || 'python3';
    const requestPlan = async (dataSet: string | undefined) => {
      const planParams: PlanTrainingParams = {
        workspaceFolder,
        smoke,
        ...(dataSet === undefined ? {} : { data: dataSet }),
        ...(target.kind === 'script' ? { script: target.path, python } : {}),
        ...(target.kind === 'baseline' && target.baseline ? { baseline: target.baseline } : {}),
      };
      this.deps.log.info(`Planning ${target.kind === 'script' ? target.path : target.baseline === 'encoder' ? 'the built-in encoder' : 'the built-in baseline'} on ${dataSet ?? 'the data set it loads'}${smoke ? ' (smoke test)' : ''}.`);
      return api.withProgress(`ML Intern: planning${smoke ? ' a smoke test' : ''}…`, (token) => request(client, Methods.planTraining, planParams, token));
    };
    let plan: PlanTrainingResult;
    try {
      plan = await requestPlan(data);
    } catch (e) {
      if (data !== undefined || errorReason(e) !== ErrorReasons.needsDataSet) throw e;
      this.deps.log.info(`The script loads no data set ML Intern can read; asking which one it trains on.`);
      data = await this.pickDataset(workspaceFolder, what);
      plan = await requestPlan(data);
    }
    // Configured Slurm / HF Jobs targets: ask where it runs, and plan again there (its own estimate, ceiling and job script).
    if (plan.targets.length > 0 && !smoke) {
      const where = await api.showQuickPick<TargetItem>(targetItems(plan), `ML Intern: ${what}`, 'Where should it run?');
      if (!where) throw new Stop();
      if (where.target !== undefined) {
        const onTarget = where.target;
        this.deps.log.info(`Planning again on the target ${onTarget}.`);
        const again: PlanTrainingParams = { ...planParamsOf(plan, workspaceFolder, smoke, data, target, python), target: onTarget };
        plan = await api.withProgress(`ML Intern: planning on ${onTarget}…`, (token) => request(client, Methods.planTraining, again, token));
      }
    }
    const approved = await this.approvePlan(client, workspaceFolder, plan);
    if (!approved) return;
    const started = await request(client, Methods.startRun, { workspaceFolder, planId: plan.planId, approvalToken: approved.approvalToken, smoke });
    this.deps.log.info(`Run ${started.runId} (${started.runDir}): ${started.commandLine}`);
    await this.runStarted(workspaceFolder, started);
  }

  /**
   * The human's approval of a plan, as every path asks it (Launch Training, Smoke Test, the Intern's
   * approval card): the plan's Markdown preview, then the modal the sidecar wrote (approvalPrompt);
   * only its one approving button continues, to mlintern/approveRun. Undefined when not approved
   * (nothing is recorded then).
   */
  async approvePlan(client: LanguageClient, workspaceFolder: string, plan: PlanTrainingResult): Promise<ApproveRunResult | undefined> {
    this.deps.log.info(`Plan ${plan.planId}: ${plan.figures.hours ?? 'unknown'} h, $${plan.figures.costUsd ?? 'unknown'}, over budget: ${plan.overBudget}, estimate known: ${plan.estimateKnown}.`);
    await api.showMarkdownPreview(plan.markdownPath).catch((e: unknown) => this.deps.log.warn(`Could not open the plan ${plan.markdownPath}: ${String(e)}`));

    const prompt = plan.approvalPrompt;
    const chosen = await api.showModal(prompt.kind, prompt.message, prompt.detail, prompt.action);
    const approval = approveRunParams(workspaceFolder, plan, chosen);
    if (!approval) {
      this.deps.log.info(`Plan ${plan.planId} not approved; nothing runs.`);
      void api.showInformationMessage(`ML Intern: not started — plan ${plan.planId} was not approved.`);
      return undefined;
    }
    return request(client, Methods.approveRun, approval);
  }

  /**
   * Runs a started run (what mlintern/startRun answers, or the Intern's launch) as the `mlintern`
   * ShellExecution task in the integrated terminal, shows its metrics, and reports its end through
   * mlintern/runExited. A run already running as a task here is not started twice.
   */
  async runStarted(workspaceFolder: string, run: StartRunResult): Promise<void> {
    if (this.live.has(run.runId)) {
      this.deps.log.info(`Run ${run.runId} already runs as a task.`);
      return;
    }
    let execution: api.TaskExecution;
    try {
      execution = await api.executeShellTask({
        type: TaskType,
        name: taskName(run),
        source: ExtensionName,
        definition: { runId: run.runId },
        command: run.task.command,
        args: run.task.args,
        cwd: run.task.cwd,
        env: run.task.env,
      });
    } catch (e) {
      await this.reportExit(workspaceFolder, run.runId, -1);
      throw e;
    }
    this.executions.set(run.runId, execution);
    this.live.set(
      run.runId,
      api.onTaskEnded(execution, (exitCode) => {
        this.live.delete(run.runId);
        this.executions.delete(run.runId);
        void this.reportExit(workspaceFolder, run.runId, exitCode);
      }),
    );
    this.deps.runs.refresh();
    await this.deps.metrics.show(run.runId, { ...run.run, runDir: run.runDir });
  }

  private async reportExit(workspaceFolder: string, runId: string, exitCode: number | undefined): Promise<void> {
    this.deps.log.info(`Run ${runId} ended${exitCode === undefined ? ' (no exit code: stopped)' : ` with exit code ${exitCode}`}.`);
    const client = this.deps.client();
    if (client) {
      try {
        const summary = await request(client, Methods.runExited, { workspaceFolder, runId, ...(exitCode === undefined ? { cancelled: true } : { exitCode }) });
        this.deps.log.info(`Run ${runId}: recorded as ${summary.status}.`);
        this.deps.metrics.onRunChanged(summary);
      } catch (e) {
        this.deps.log.warn(`${Methods.runExited} ${runId}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    this.deps.runs.refresh();
  }

  private async pickDataset(workspaceFolder: string, what: string): Promise<string> {
    const files = (await api.findWorkspaceFiles(DatasetGlob, 500)).filter((f) => !f.includes('/.mlintern/') && !f.includes('/.vscode/') && !/(^|\/)(package(-lock)?|tsconfig)\.json$/.test(f));
    const rel = (p: string) => (p.startsWith(workspaceFolder + '/') ? p.slice(workspaceFolder.length + 1) : p);
    // A folder holding split files (train.csv + test.csv) is one data set: offer the folder too.
    const folders = new Set<string>();
    for (const f of files) if (/(^|\/)(train|test|valid|validation|dev)[^/]*\.[a-z]+$/i.test(f)) folders.add(f.slice(0, f.lastIndexOf('/')));
    const items = [
      ...[...folders].map((d) => ({ label: `$(folder) ${rel(d) || '.'}`, description: 'split folder', path: d })),
      ...files.sort((a, b) => rel(a).localeCompare(rel(b))).map((f) => ({ label: `$(table) ${rel(f)}`, description: '', path: f })),
    ];
    if (items.length === 0) throw new Error('no data set in this workspace (.csv, .tsv, .jsonl, .json or .parquet).');
    if (items.length === 1) return items[0]!.path;
    const picked = await api.showQuickPick(items, `ML Intern: ${what}`, 'Which data set?');
    if (!picked) throw new Stop();
    return picked.path;
  }

  /**
   * Asks the sidecar for a Trainer script for the data set (mlintern/generateScript writes nothing),
   * creates it through a WorkspaceEdit and opens it.
   */
  private async generateScript(workspaceFolder: string, data: string): Promise<string> {
    const client = this.requireClient();
    const generated = await request(client, Methods.generateScript, { workspaceFolder, data });
    if (generated.exists) throw new Error(`${generated.path} already exists; ML Intern does not overwrite it.`);
    this.deps.log.info(`Generating ${generated.path} for ${data}.`);
    if (!(await api.createFileWithText(generated.path, generated.text))) throw new Error(`could not create ${generated.path}.`);
    await api.showTextFile(generated.path);
    return generated.path;
  }

  private requireClient(): LanguageClient {
    const client = this.deps.client();
    if (!client) throw new Error('the ML Intern sidecar is not running (see ML Intern: Show Logs).');
    return client;
  }
}

/** planTraining's params for the plan already made (same data set and script), to plan it again on a target. */
function planParamsOf(plan: PlanTrainingResult, workspaceFolder: string, smoke: boolean, data: string | undefined, target: LaunchTarget, python: string): PlanTrainingParams {
  return {
    workspaceFolder,
    smoke,
    data: data ?? plan.plan.dataPath,
    ...(target.kind === 'script' ? { script: target.path, python } : {}),
    ...(target.kind === 'baseline' && target.baseline ? { baseline: target.baseline } : {}),
  };
}
