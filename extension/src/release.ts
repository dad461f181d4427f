// "ML Intern: Evaluate Run", "Create Model Card", "Create Demo" and "Publish…", from the command
// palette (a Quick Pick of the workspace's finished runs) or a row of the Runs view.
// - Evaluate opens the Evaluation panel (mlintern/evaluateRun).
// - Create Model Card writes <run>/model/README.md (mlintern/createCard), opens it, and lists what
//   is unfilled or invalid; "Fill In…" asks for those fields and writes the card again.
// - Create Demo writes <run>/space/ (mlintern/createDemo) and reveals it; for a built-in baseline
//   run "Serve Locally" runs the sidecar's `demo --serve` as a task (trusted workspaces only).
// - Publish… asks repo id, type and visibility, runs mlintern/preflightPublish and shows the report;
//   a failed preflight is shown as blocked and stops; otherwise a modal lists repo id, visibility and
//   every file with the total. Only its approving button continues: mlintern/approvePublish (with the
//   fileListHash shown) → mlintern/startPublish (single-use token) → `hf upload …` as a task in the
//   terminal. Every cancel before that uploads nothing. Tokens are never logged.
import type { LanguageClient } from 'vscode-languageclient/node';
import { Commands, ExtensionName, PreflightScheme, TaskType } from './constants';
import { EvaluationPanel } from './evaluationPanel';
import {
  approvePublishParams,
  askableFields,
  blockedDialog,
  CardField,
  cardMessage,
  CommonLicenses,
  demoMessage,
  demoTaskName,
  FillInAction,
  isLocalUrl,
  languagesProblem,
  OpenInBrowserAction,
  parseLanguages,
  preflightMarkdown,
  publishDialog,
  publishTaskName,
  PublishRequest,
  RepoType,
  runFromArgument,
  runPickItems,
  ServeAction,
  serveTask,
  visibility,
} from './releaseModel';
import { PublishApproved, CardResult, Methods, PreflightReport, PublishStarted, RunSummary, ServeCommand } from './protocol';
import { RunsView } from './runsView';
import { request } from './sidecar';
import * as api from './vscodeapi';

export interface ReleaseDeps {
  readonly client: () => LanguageClient | undefined;
  /** The sidecar executable the extension resolved (the demo server is the sidecar itself). */
  readonly executable: () => string | undefined;
  readonly log: api.LogOutputChannel;
  readonly runs: RunsView;
  readonly evaluation: EvaluationPanel;
}

class Stop extends Error {}

interface Picked {
  readonly workspaceFolder: string;
  readonly client: LanguageClient;
  readonly run: { readonly id: string; readonly title: string };
}

export class ReleaseCommands implements api.Disposable {
  private readonly previews = api.registerReadOnlyDocuments(PreflightScheme);
  private readonly live = new Set<api.Disposable>();

  constructor(private readonly deps: ReleaseDeps) {}

  dispose(): void {
    this.previews.dispose();
    for (const d of this.live) d.dispose();
    this.live.clear();
  }

  evaluate(...args: unknown[]): Promise<void> {
    return this.guard('Evaluate Run', async () => {
      const { run } = await this.pickRun('Evaluate Run', args[0]);
      await this.deps.evaluation.show(run.id, run.title);
    });
  }

  createCard(...args: unknown[]): Promise<void> {
    return this.guard('Create Model Card', async () => {
      const picked = await this.pickRun('Create Model Card', args[0]);
      let result = await this.writeCard(picked, {});
      for (;;) {
        const shown = cardMessage(result);
        const show = shown.kind === 'info' ? api.showInformationMessage : api.showWarningMessage;
        const choice = await show(shown.message, ...shown.actions);
        if (choice !== FillInAction) return;
        const answers = await this.askFields(askableFields(result.unfilled), 'Model card');
        if (!answers) return;
        result = await this.writeCard(picked, answers);
      }
    });
  }

  createDemo(...args: unknown[]): Promise<void> {
    return this.guard('Create Demo', async () => {
      const picked = await this.pickRun('Create Demo', args[0]);
      let fields: Record<string, unknown> = {};
      for (;;) {
        const demo = await api.withProgress('ML Intern: writing the demo…', (token) =>
          request(picked.client, Methods.createDemo, { workspaceFolder: picked.workspaceFolder, runId: picked.run.id, ...fields }, token),
        );
        this.deps.log.info(`Demo of run ${picked.run.id}: ${demo.files.join(', ')}${demo.unfilled.length > 0 ? `; unfilled ${demo.unfilled.join(', ')}` : ''}`);
        const app = demo.files.find((f) => f.endsWith('app.py')) ?? demo.files[0];
        if (app) await api.showTextFile(app).catch((e: unknown) => this.deps.log.warn(`Could not open ${app}: ${String(e)}`));
        await api.revealInExplorer(demo.folder).catch(() => undefined);
        const asks = askableFields(demo.unfilled);
        const actions = [...(demo.serve ? [ServeAction] : []), ...(asks.length > 0 ? [FillInAction] : [])];
        const choice = await api.showInformationMessage(demoMessage(demo), ...actions);
        if (choice === FillInAction) {
          const answers = await this.askFields(asks, 'Demo (Space)');
          if (!answers) return;
          fields = { ...fields, ...answers };
          continue;
        }
        if (choice === ServeAction && demo.serve) await this.serve(picked, demo.serve);
        return;
      }
    });
  }

  publish(...args: unknown[]): Promise<void> {
    return this.guard('Publish', async () => {
      if (!api.isWorkspaceTrusted()) {
        void api.showWarningMessage('ML Intern: Publish runs an upload command in the terminal; trust the workspace first.');
        throw new Stop();
      }
      const picked = await this.pickRun('Publish', args[0]);
      const title = `ML Intern: Publish ${picked.run.title}`;
      const repoId = await api.showInputBox(title, 'The Hugging Face repository to upload to (owner/name).', 'owner/name', { validate: (v) => this.repoIdProblem(v) });
      if (repoId === undefined) return this.cancelled('no repository chosen');
      const type = await api.showQuickPick<{ label: string; description: string; type: RepoType }>(
        [
          { label: 'Model', description: 'the model folder: README.md (the card) and the model files', type: 'model' },
          { label: 'Space', description: 'the demo folder: app.py, requirements.txt, README.md (Create Demo first)', type: 'space' },
        ],
        title,
        'Upload as a model repository or a Space?',
      );
      if (!type) return this.cancelled('no repository type chosen');
      const vis = await api.showQuickPick<{ label: string; description: string; private: boolean }>(
        [
          { label: 'Private', description: 'only you (and your organisation) can see it', private: true },
          { label: 'Public', description: 'anyone can see and download it', private: false },
        ],
        title,
        'Visibility of the repository (if it is created by this upload)',
      );
      if (!vis) return this.cancelled('no visibility chosen');
      const publishRequest: PublishRequest = { workspaceFolder: picked.workspaceFolder, runId: picked.run.id, repoId: repoId.trim(), repoType: type.type, private: vis.private };

      const preflight = await api.withProgress('ML Intern: publish preflight…', (token) => request(picked.client, Methods.preflightPublish, publishRequest, token));
      this.deps.log.info(
        `Publish preflight for ${preflight.repoType} ${preflight.repoId} (${visibility(preflight.private)}) from run ${picked.run.id}: ${preflight.files.length} files, ${preflight.totalBytes} bytes, ${preflight.problems.length} problem(s), ${preflight.passed ? 'passed' : 'blocked'}.`,
      );
      await api
        .showReadOnlyDocument(this.previews, PreflightScheme, `/${preflight.repoId.replace(/\//g, '_')}-${preflight.repoType}-preflight.md`, preflightMarkdown(preflight))
        .catch((e: unknown) => this.deps.log.warn(`Could not show the preflight report: ${String(e)}`));
      if (!preflight.passed) {
        const blocked = blockedDialog(preflight);
        for (const p of preflight.problems) this.deps.log.warn(`Publish blocked: ${p.kind}: ${p.message}`);
        const fix = preflight.problems.some((p) => p.kind === 'card') ? (type.type === 'space' ? 'Create Demo' : 'Create Model Card') : undefined;
        const choice = await api.showModal('warning', blocked.message, blocked.detail, ...(fix ? [fix] : []));
        if (choice === 'Create Model Card') void this.createCard(picked.run.id);
        else if (choice === 'Create Demo') void this.createDemo(picked.run.id);
        return;
      }

      const approved = await this.approvePublish(picked.client, publishRequest, preflight);
      if (!approved) return this.cancelled(`the upload to ${preflight.repoId} was not approved`);
      const started = await request(picked.client, Methods.startPublish, { approvalToken: approved.approvalToken });
      await this.runUpload(picked.client, picked.workspaceFolder, picked.run.id, preflight, started);
    });
  }

  /**
   * Runs an approved upload (what mlintern/startPublish answered: Publish…, or the Intern after its
   * approval card) as the `hf upload` task in the terminal, and records its exit code through
   * mlintern/publishExited.
   */
  async runUpload(client: LanguageClient, workspaceFolder: string, runId: string, target: { readonly repoId: string; readonly repoType: string }, started: PublishStarted): Promise<void> {
    const { repoId } = target;
    this.deps.log.info(`Publishing: ${started.commandLine}`);
    const execution = await api.executeShellTask({
      type: TaskType,
      name: publishTaskName(target),
      source: ExtensionName,
      definition: { runId, action: 'publish' },
      command: started.command,
      args: started.args,
      cwd: started.cwd,
      env: {},
    });
    this.track(execution, (code) => {
      this.deps.log.info(`Publish ${repoId} ended${code === undefined ? ' (stopped)' : ` with exit code ${code}`}.`);
      if (code !== undefined) {
        // Recorded in run.json beside the approval; a failure to record is logged, never shown as the upload's result.
        request(client, Methods.publishExited, { workspaceFolder, runId, approvalId: started.approval.id, exitCode: code })
          .then(undefined, (e: unknown) => this.deps.log.warn(`Could not record the end of the upload to ${repoId}: ${e instanceof Error ? e.message : String(e)}`));
      }
      if (code !== undefined && code !== 0) {
        void api.showErrorMessage(`ML Intern: the upload to ${repoId} failed (exit ${code}); see its terminal. Is the hf CLI installed and logged in (hf auth login)?`);
      } else if (code === 0) void api.showInformationMessage(`ML Intern: uploaded to ${repoId}.`);
    });
  }

  /**
   * The human's approval of an upload, as every path asks it (Publish…, the Intern's approval card):
   * the modal listing the repository, its visibility and every file; only its button continues, to
   * mlintern/approvePublish with the file list's hash shown. Undefined when not approved (or the
   * preflight did not pass): nothing is recorded then.
   */
  async approvePublish(client: LanguageClient, publishRequest: PublishRequest, preflight: PreflightReport): Promise<PublishApproved | undefined> {
    const dialog = publishDialog(preflight);
    const chosen = dialog ? await api.showModal('warning', dialog.message, dialog.detail, dialog.action) : undefined;
    const approval = approvePublishParams(publishRequest, preflight, dialog, chosen);
    if (!approval) return undefined;
    const approved = await request(client, Methods.approvePublish, approval);
    this.deps.log.info(`Publish approved in the editor: ${preflight.repoType} ${preflight.repoId}, file list ${preflight.fileListHash.slice(0, 12)}.`);
    return approved;
  }

  private async serve(picked: Picked, serve: ServeCommand): Promise<void> {
    if (!api.isWorkspaceTrusted()) {
      void api.showWarningMessage('ML Intern: serving the demo runs a program; trust the workspace first.');
      return;
    }
    const executable = this.deps.executable();
    if (!executable) throw new Error('the sidecar executable is unknown; cannot serve the demo.');
    const task = serveTask(serve, executable);
    this.deps.log.info(`Serving the demo of run ${picked.run.id}: ${task.command} ${task.args.join(' ')}`);
    const execution = await api.executeShellTask({
      type: TaskType,
      name: demoTaskName(picked.run),
      source: ExtensionName,
      definition: { runId: picked.run.id, action: 'demo' },
      command: task.command,
      args: task.args,
      cwd: picked.workspaceFolder,
      env: { DOTNET_NOLOGO: '1', DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
    });
    this.track(execution, (code) => this.deps.log.info(`Demo server of run ${picked.run.id} ended${code === undefined ? '' : ` with exit code ${code}`}.`));
    const choice = await api.showInformationMessage(`ML Intern: the demo is starting at ${serve.url} (stop it from its terminal).`, ...(isLocalUrl(serve.url) ? [OpenInBrowserAction] : []));
    if (choice === OpenInBrowserAction) await api.openExternal(serve.url);
  }

  private track(execution: api.TaskExecution, onEnd: (code: number | undefined) => void): void {
    const subscription = api.onTaskEnded(execution, (code) => {
      this.live.delete(subscription);
      onEnd(code);
    });
    this.live.add(subscription);
  }

  private async writeCard(picked: Picked, fields: Record<string, unknown>): Promise<CardResult> {
    const result = await api.withProgress('ML Intern: writing the model card…', (token) =>
      request(picked.client, Methods.createCard, { workspaceFolder: picked.workspaceFolder, runId: picked.run.id, ...fields }, token),
    );
    this.deps.log.info(`Model card of run ${picked.run.id}: ${result.path}; unfilled: ${result.unfilled.join(', ') || 'none'}; ${result.problems.length} problem(s).`);
    await api.showTextFile(result.path);
    return result;
  }

  /** Asks for each field; undefined when the user cancelled one (nothing is written then). */
  private async askFields(fields: readonly CardField[], what: string): Promise<Record<string, unknown> | undefined> {
    const answers: Record<string, unknown> = {};
    const title = `ML Intern: ${what}`;
    for (const field of fields) {
      switch (field) {
        case 'license': {
          const picked = await api.showQuickPick(
            CommonLicenses.map((l) => ({ label: l, description: l === 'other' ? 'needs license_name and license_link in the card' : '' })),
            title,
            'License (a Hugging Face Hub license id)',
          );
          if (!picked) return undefined;
          answers.license = picked.label;
          break;
        }
        case 'language': {
          const value = await api.showInputBox(title, 'Language(s) of the texts: ISO 639 codes, comma-separated.', 'en', { value: 'en', validate: languagesProblem });
          if (value === undefined) return undefined;
          answers.languages = parseLanguages(value);
          break;
        }
        case 'datasets': {
          const value = await api.showInputBox(title, 'The data set on the Hub (owner/name) the model was trained on.', 'owner/dataset', { validate: (v) => this.repoIdProblem(v) });
          if (value === undefined) return undefined;
          answers.datasetId = value.trim();
          break;
        }
        case 'models': {
          const value = await api.showInputBox(title, 'The model repository (owner/name) the Space loads.', 'owner/model', { validate: (v) => this.repoIdProblem(v) });
          if (value === undefined) return undefined;
          answers.modelId = value.trim();
          break;
        }
        case 'author': {
          const value = await api.showInputBox(title, 'Developed by (a person or organisation).', 'name', { validate: (v) => (v.trim() === '' ? 'A name, please.' : undefined) });
          if (value === undefined) return undefined;
          answers.author = value.trim();
          break;
        }
      }
    }
    return answers;
  }

  /**
   * For an input box: why `value` is not a repo id, asked of the sidecar (mlintern/checkRepoId, the
   * preflight's own rule); undefined when it is one, or when the sidecar cannot say (the preflight
   * still checks it).
   */
  private async repoIdProblem(value: string): Promise<string | undefined> {
    const client = this.deps.client();
    if (!client) return undefined;
    try {
      return (await request(client, Methods.checkRepoId, { repoId: value.trim() })).problem;
    } catch (e) {
      this.deps.log.warn(`${Methods.checkRepoId}: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }

  /** The run named by the invocation, or one the user picks among the finished runs. */
  private async pickRun(what: string, arg: unknown): Promise<Picked> {
    const workspaceFolder = api.firstWorkspaceFolderPath();
    if (!workspaceFolder) throw new Error(`${what} needs an open folder (runs are kept in its .mlintern/runs).`);
    const client = this.deps.client();
    if (!client) throw new Error('the ML Intern sidecar is not running (see ML Intern: Show Logs).');
    // A Runs view row carries its run; an id (from another command) is looked up for its title.
    const named = runFromArgument(arg, []);
    if (typeof named === 'object') return { workspaceFolder, client, run: { id: named.id, title: named.title } };
    const runs: RunSummary[] = (await request(client, Methods.listRuns, { workspaceFolder })).runs;
    if (typeof named === 'string') {
      const run = runs.find((r) => r.id === named);
      return { workspaceFolder, client, run: { id: named, title: run?.title ?? named } };
    }
    const items = runPickItems(runs);
    if (items.length === 0) {
      const choice = await api.showWarningMessage(`ML Intern: ${what} needs a finished training run, and this workspace has none yet.`, 'Launch Training…');
      if (choice) await api.executeCommand(Commands.launchTraining);
      throw new Stop();
    }
    const picked = items.length === 1 ? items[0] : await api.showQuickPick(items, `ML Intern: ${what}`, 'Which run?');
    if (!picked) throw new Stop();
    return { workspaceFolder, client, run: { id: picked.run.id, title: picked.run.title } };
  }

  private cancelled(why: string): void {
    this.deps.log.info(`Publish cancelled: ${why}; nothing was uploaded.`);
    void api.showInformationMessage(`ML Intern: not published — ${why}. Nothing was uploaded.`);
  }

  private async guard(what: string, body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (e) {
      if (e instanceof Stop) return;
      const message = e instanceof Error ? e.message : String(e);
      this.deps.log.error(`${what}: ${message}`);
      void api.showErrorMessage(`ML Intern: ${what}: ${message}`, 'Show Logs').then((c) => c === 'Show Logs' && this.deps.log.show());
    }
  }
}
