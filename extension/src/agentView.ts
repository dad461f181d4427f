// The Intern view (a webview view in the ML Intern activity-bar container): the conversation with
// the intern. A message starts or continues a session (mlintern/agentStart); everything the
// sidecar's intern does arrives as mlintern/agentEvent notifications, folded and rendered by
// agentModel.ts. The view decides nothing itself:
// - an approval card's Approve shows the very modal the palette commands show (TrainingLauncher.
//   approvePlan, ReleaseCommands.approvePublish), which alone gets the token (mlintern/approveRun,
//   approvePublish) handed to mlintern/agentRespond; Reject answers approved=false;
// - a tool result's launch runs as the training task Launch Training runs (TrainingLauncher.runStarted),
//   its end reported through mlintern/runExited;
// - links open the finding, the plan, the Metrics or Evaluation panel, or preview a diff, which
//   is applied only when the user accepts it, to the text it was made for;
// - next steps (guided mode) are mlintern/agentStep, Stop is mlintern/agentCancel;
// - on open, mlintern/agentSessions and the newest session's mlintern/agentSession re-render it.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { applyUnifiedDiff, AgentViewMessage, agentBodyHtml, AgentViewState, conversation, findLink, firstChangedLine, linkTarget, mergeEvents, Offered, parseAgentMessage, publishRunId, renderAgentHtml } from './agentModel';
import { AgentDiffScheme, Views } from './constants';
import { EvaluationPanel } from './evaluationPanel';
import { downloadDialog } from './hubModel';
import { MetricsPanel } from './metricsPanel';
import { AgentApproval, AgentEvent, AgentLink, AgentSessionSummary, Methods, Notifications } from './protocol';
import { ReleaseCommands } from './release';
import { RunsView } from './runsView';
import { request } from './sidecar';
import { TrainingLauncher } from './training';
import * as api from './vscodeapi';

const UpdateDelayMs = 80;
/** Events kept per session seen live in this window (a session's file holds them all). */
const MaxSessionsKept = 20;

export interface AgentViewDeps {
  readonly client: () => LanguageClient | undefined;
  readonly workspaceFolder: () => string | undefined;
  readonly log: api.LogOutputChannel;
  readonly training: TrainingLauncher;
  readonly release: ReleaseCommands;
  readonly runs: RunsView;
  readonly metrics: MetricsPanel;
  readonly evaluation: EvaluationPanel;
}

export class AgentView implements vscode.WebviewViewProvider, api.Disposable {
  private view: vscode.WebviewView | undefined;
  private sessions: AgentSessionSummary[] = [];
  private sessionId: string | undefined;
  private mode: AgentViewState['mode'];
  /** Events by session: those loaded on resume and those that arrived since. */
  private readonly events = new Map<string, AgentEvent[]>();
  /** Approvals answered from this window (their cards stop offering buttons at once). */
  private readonly answered = new Set<string>();
  /** Runs this window launched for the intern (each only once). */
  private readonly launched = new Set<string>();
  /** Uploads this window ran for the intern (each approval once). */
  private readonly uploaded = new Set<string>();
  private notice: string | undefined;
  private busy = false;
  private timer: NodeJS.Timeout | undefined;
  private seq = 0;
  private loaded = false;
  private readonly previews = api.registerReadOnlyDocuments(AgentDiffScheme);
  private nextPreview = 1;
  private readonly disposables: api.Disposable[] = [];

  constructor(private readonly deps: AgentViewDeps) {}

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.previews.dispose();
    for (const d of this.disposables) d.dispose();
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = { enableScripts: true, localResourceRoots: [] };
    this.disposables.push(
      view.webview.onDidReceiveMessage((m) => void this.onMessage(m)),
      // A hidden webview view loses its page; it comes back with the html last set, so set it anew.
      view.onDidChangeVisibility(() => {
        if (view.visible) this.renderPage();
      }),
      view.onDidDispose(() => {
        if (this.view === view) this.view = undefined;
      }),
    );
    this.renderPage();
    void this.resume();
  }

  /** "ML Intern: Talk to the Intern" is the view's focus command; this one starts over. */
  async newConversation(): Promise<void> {
    this.sessionId = undefined;
    this.mode = undefined;
    this.notice = undefined;
    await api.executeCommand(`${Views.agent}.focus`);
    this.update(0);
  }

  /** The sidecar (re)started: the sessions may have moved on; load them again. */
  onServerRunning(): void {
    if (this.view) void this.resume();
  }

  /** A mlintern/agentEvent notification. */
  onEvent(params: unknown): void {
    const e = params as AgentEvent;
    if (typeof e?.sessionId !== 'string' || typeof e.seq !== 'number' || typeof e.kind !== 'string') {
      this.deps.log.warn(`Intern: ignored a malformed ${Notifications.agentEvent} notification.`);
      return;
    }
    this.remember(e.sessionId, [e]);
    if (e.kind === 'toolResult' && e.result?.launch) void this.launch(e.result.launch);
    if (e.kind === 'toolResult' && e.result?.upload && e.result.runId) void this.upload(e.result.runId, e.result.upload);
    if (e.kind === 'done' || e.kind === 'error' || e.kind === 'approval' || e.kind === 'nextSteps') void this.loadSessions();
    if (e.sessionId === this.sessionId) this.update(e.kind === 'text' ? UpdateDelayMs : 0);
  }

  private remember(sessionId: string, added: readonly AgentEvent[]): void {
    this.events.set(sessionId, mergeEvents(this.events.get(sessionId) ?? [], added));
    while (this.events.size > MaxSessionsKept) {
      const oldest = [...this.events.keys()].find((k) => k !== this.sessionId);
      if (oldest === undefined) break;
      this.events.delete(oldest);
    }
  }

  private currentEvents(): readonly AgentEvent[] {
    return this.sessionId ? (this.events.get(this.sessionId) ?? []) : [];
  }

  private state(): AgentViewState {
    return { sessions: this.sessions, sessionId: this.sessionId, mode: this.mode, events: this.currentEvents(), answered: this.answered, notice: this.notice, busy: this.busy };
  }

  private offered(): Offered {
    const events = this.currentEvents();
    const c = conversation(events, this.answered);
    return {
      pendingApprovalId: c.pendingApproval?.approvalId,
      stepIds: c.nextSteps.map((s) => s.id),
      links: (callId, index) => findLink(events, callId, index) !== undefined,
      sessionIds: this.sessions.map((s) => s.id),
      canStop: this.sessionId !== undefined && c.phase === 'running',
    };
  }

  /** The sessions, then (the shown one or the newest) its events. */
  private async resume(): Promise<void> {
    await this.loadSessions();
    if (!this.loaded && this.sessionId === undefined && this.sessions[0]) this.sessionId = this.sessions[0].id;
    this.loaded = true;
    if (this.sessionId) await this.loadSession(this.sessionId);
    this.update(0);
  }

  private async loadSessions(): Promise<void> {
    const client = this.deps.client();
    const workspaceFolder = this.deps.workspaceFolder();
    if (!client || !workspaceFolder) return;
    try {
      this.sessions = (await request(client, Methods.agentSessions, { workspaceFolder })).sessions;
      const shown = this.sessions.find((s) => s.id === this.sessionId);
      if (shown) this.mode = shown.mode;
      this.update(0);
    } catch (e) {
      this.deps.log.warn(`Intern: ${Methods.agentSessions}: ${message(e)}`);
    }
  }

  private async loadSession(sessionId: string): Promise<void> {
    const client = this.deps.client();
    const workspaceFolder = this.deps.workspaceFolder();
    if (!client || !workspaceFolder) return;
    try {
      const answer = await request(client, Methods.agentSession, { workspaceFolder, sessionId });
      this.remember(sessionId, answer.events);
      if (sessionId === this.sessionId) this.mode = answer.summary.mode;
      this.deps.log.info(`Intern: session ${sessionId} loaded (${answer.events.length} events, ${answer.summary.state}).`);
    } catch (e) {
      this.deps.log.warn(`Intern: ${Methods.agentSession} ${sessionId}: ${message(e)}`);
    }
  }

  private async onMessage(raw: unknown): Promise<void> {
    const m = parseAgentMessage(raw, this.offered());
    if (!m) {
      this.deps.log.warn(`Intern view: ignored a message ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    try {
      await this.handle(m);
    } catch (e) {
      this.deps.log.error(`Intern: ${m.type}: ${message(e)}`);
      this.notice = message(e);
      this.update(0);
    }
  }

  private async handle(m: AgentViewMessage): Promise<void> {
    switch (m.type) {
      case 'send':
        return this.send(m.text);
      case 'approve':
      case 'reject':
        return this.answer(m.approvalId, m.type === 'approve');
      case 'step':
        return this.step(m.step);
      case 'open':
        return this.open(findLink(this.currentEvents(), m.callId, m.index)!);
      case 'stop':
        return this.stop();
      case 'new':
        return this.newConversation();
      case 'session':
        this.sessionId = m.sessionId;
        this.notice = undefined;
        this.mode = this.sessions.find((s) => s.id === m.sessionId)?.mode;
        this.update(0);
        await this.loadSession(m.sessionId);
        this.update(0);
        return;
    }
  }

  private requireClient(): { client: LanguageClient; workspaceFolder: string } {
    const client = this.deps.client();
    if (!client) throw new Error('the ML Intern sidecar is not running (see ML Intern: Show Logs).');
    const workspaceFolder = this.deps.workspaceFolder();
    if (!workspaceFolder) throw new Error('the intern needs an open folder (its sessions are kept in .mlintern/sessions).');
    return { client, workspaceFolder };
  }

  private async send(text: string): Promise<void> {
    const { client, workspaceFolder } = this.requireClient();
    this.notice = undefined;
    this.busy = true;
    this.update(0);
    try {
      const started = await request(client, Methods.agentStart, { workspaceFolder, prompt: text, ...(this.sessionId ? { sessionId: this.sessionId } : {}) });
      this.deps.log.info(`Intern: session ${started.sessionId} (${started.mode})${this.sessionId ? '' : ' started'}.`);
      this.sessionId = started.sessionId;
      this.mode = started.mode;
      void this.view?.webview.postMessage({ type: 'sent' });
    } finally {
      this.busy = false;
      this.update(0);
    }
    await this.loadSessions();
  }

  /** Approve: the palette's modal first; only its token goes to the intern. Reject: the intern hears no. */
  private async answer(approvalId: string, approve: boolean): Promise<void> {
    const { client, workspaceFolder } = this.requireClient();
    const sessionId = this.sessionId!;
    const events = this.currentEvents();
    const approval = conversation(events, this.answered).pendingApproval;
    if (!approval || approval.approvalId !== approvalId) return;
    let token: string | undefined;
    if (approve) {
      token = await this.humanApproval(client, workspaceFolder, approval, events);
      if (token === undefined) {
        this.deps.log.info(`Intern: approval ${approvalId} not given in the dialog; the intern keeps waiting.`);
        return;
      }
    }
    this.busy = true;
    this.update(0);
    try {
      const answer = await request(client, Methods.agentRespond, { workspaceFolder, sessionId, approvalId, approved: approve, ...(token ? { approvalToken: token } : {}) });
      this.deps.log.info(`Intern: approval ${approvalId} ${approve ? 'approved' : 'rejected'}; ${answer.accepted ? 'accepted' : `refused: ${answer.reason ?? ''}`}.`);
      if (answer.accepted) this.answered.add(approvalId);
      else this.notice = `The intern did not take the answer: ${answer.reason ?? 'refused'}.`;
    } finally {
      this.busy = false;
      this.update(0);
    }
  }

  /**
   * The human path's approval: training → the plan's modal and mlintern/approveRun; publish → the
   * upload modal and mlintern/approvePublish. The token, or undefined when the dialog was not
   * confirmed. A download → the editor's download dialog (hubModel.downloadDialog) for the plan the
   * approval carries; the plan's hash when confirmed (what downloadDataset checks, once).
   */
  private async humanApproval(client: LanguageClient, workspaceFolder: string, approval: AgentApproval, events: readonly AgentEvent[]): Promise<string | undefined> {
    switch (approval.kind) {
      case 'training': {
        if (!approval.plan) throw new Error('the training approval carries no plan.');
        if (!api.isWorkspaceTrusted()) throw new Error('training runs code from this workspace; trust the workspace first.');
        return (await this.deps.training.approvePlan(client, workspaceFolder, approval.plan))?.approvalToken;
      }
      case 'publish': {
        const p = approval.preflight;
        if (!p) throw new Error('the publish approval carries no preflight report.');
        if (!api.isWorkspaceTrusted()) throw new Error('publishing runs an upload command; trust the workspace first.');
        const runId = publishRunId(events, approval);
        if (!runId) throw new Error('the publish approval names no run.');
        const repoType = p.repoType === 'space' ? 'space' : 'model';
        return (await this.deps.release.approvePublish(client, { workspaceFolder, runId, repoId: p.repoId, repoType, private: p.private }, p))?.approvalToken;
      }
      case 'download': {
        // The editor's own download dialog for the plan the sidecar made; its approval is that plan's hash.
        const plan = approval.download;
        if (!plan) throw new Error('the download approval carries no plan.');
        const dialog = downloadDialog(plan);
        return (await api.showModal('warning', dialog.message, dialog.detail, dialog.approve)) === dialog.approve ? plan.hash : undefined;
      }
    }
  }

  private async step(step: string): Promise<void> {
    const { client, workspaceFolder } = this.requireClient();
    this.busy = true;
    this.update(0);
    try {
      const answer = await request(client, Methods.agentStep, { workspaceFolder, sessionId: this.sessionId!, step });
      this.deps.log.info(`Intern: step ${step}: ${answer.accepted ? 'accepted' : `refused: ${answer.reason ?? ''}`}.`);
      if (!answer.accepted) this.notice = `The intern did not take the step: ${answer.reason ?? 'refused'}.`;
    } finally {
      this.busy = false;
      this.update(0);
    }
  }

  private async stop(): Promise<void> {
    const { client, workspaceFolder } = this.requireClient();
    const answer = await request(client, Methods.agentCancel, { workspaceFolder, sessionId: this.sessionId! });
    this.deps.log.info(`Intern: stop ${this.sessionId}: ${answer.cancelled ? 'cancelled' : 'nothing to cancel'}.`);
    await this.loadSessions();
  }

  /** A launch from a live event: the training task, once per run. Launches in a resumed history are not run again. */
  private async launch(launch: NonNullable<NonNullable<AgentEvent['result']>['launch']>): Promise<void> {
    if (this.launched.has(launch.runId)) return;
    this.launched.add(launch.runId);
    const workspaceFolder = this.deps.workspaceFolder();
    if (!workspaceFolder) return;
    this.deps.log.info(`Intern: run ${launch.runId} (${launch.runDir}): ${launch.commandLine}`);
    try {
      await this.deps.training.runStarted(workspaceFolder, launch);
    } catch (e) {
      this.deps.log.error(`Intern: could not run ${launch.runId}: ${message(e)}`);
      void api.showErrorMessage(`ML Intern: could not run ${launch.runId}: ${message(e)}`);
    }
  }

  /** An approved upload from a live event: the `hf upload` task Publish… runs, once per approval. Uploads in a resumed history are not run again. */
  private async upload(runId: string, started: NonNullable<NonNullable<AgentEvent['result']>['upload']>): Promise<void> {
    if (this.uploaded.has(started.approval.id)) return;
    this.uploaded.add(started.approval.id);
    const client = this.deps.client();
    const workspaceFolder = this.deps.workspaceFolder();
    if (!client || !workspaceFolder) return;
    try {
      await this.deps.release.runUpload(client, workspaceFolder, runId, { repoId: started.approval.repoId, repoType: started.approval.repoType }, started);
    } catch (e) {
      this.deps.log.error(`Intern: could not run the upload of ${runId}: ${message(e)}`);
      void api.showErrorMessage(`ML Intern: could not run the upload of ${runId}: ${message(e)}`);
    }
  }

  private async open(link: AgentLink): Promise<void> {
    switch (link.kind) {
      case 'finding':
      case 'file':
      case 'card': {
        const target = link.uri ? linkTarget(link.uri) : undefined;
        const file = target ? api.filePathOf(target.uri) : undefined;
        if (!file) throw new Error(`the link "${link.label}" names no file.`);
        if (fs.existsSync(file) && fs.statSync(file).isDirectory()) return api.revealInExplorer(file);
        // A file the intern wrote the text of (a generated script) but nothing saved: the user may create it.
        if (!fs.existsSync(file) && link.kind === 'file' && link.code !== undefined) return this.offerNewFile(file, link.code);
        return api.showFileAtLine(file, target?.line ?? 1);
      }
      case 'plan': {
        const file = link.uri ? api.filePathOf(linkTarget(link.uri).uri) : undefined;
        if (!file) throw new Error(`the link "${link.label}" names no plan file.`);
        return file.endsWith('.md') ? api.showMarkdownPreview(file) : api.showTextFile(file);
      }
      case 'run':
        if (!link.runId) throw new Error(`the link "${link.label}" names no run.`);
        return this.deps.metrics.show(link.runId, this.deps.runs.find(link.runId));
      case 'evaluation': {
        if (!link.runId) throw new Error(`the link "${link.label}" names no run.`);
        await this.deps.evaluation.show(link.runId, this.deps.runs.find(link.runId)?.title ?? link.runId);
        return;
      }
      case 'rule': {
        const href = link.uri && /^https:\/\//.test(link.uri) ? link.uri : link.code ? api.ruleHref(link.code) : undefined;
        if (href) await api.openExternal(href);
        else void api.showInformationMessage(`ML Intern: ${link.label}`);
        return;
      }
      case 'diff':
        return this.previewDiff(link);
    }
  }

  /** A file the intern generated: its text as a read-only preview, created (through a WorkspaceEdit) only when the user chooses Create. */
  private async offerNewFile(file: string, text: string): Promise<void> {
    const preview = api.previewUri(AgentDiffScheme, api.fileUri(file), this.nextPreview++);
    this.previews.set(preview, text);
    try {
      await api.showPreviewDocument(preview);
      const choice = await api.showModal('info', `Create ${path.basename(file)}?`, `The intern generated this file's text; nothing is written unless you choose Create (${file}).`, 'Create');
      if (choice !== 'Create') return;
      if (!(await api.createFileWithText(file, text))) throw new Error(`could not create ${file} (does it exist now?).`);
      await api.showTextFile(file);
    } finally {
      this.previews.delete(preview);
    }
  }

  /** The Ask-for-a-Fix path: a diff against a read-only copy with the change; applied only on the user's Apply, to the text it was made for. */
  private async previewDiff(link: AgentLink): Promise<void> {
    const file = link.uri ? api.filePathOf(linkTarget(link.uri).uri) : undefined;
    if (!file || !link.code) throw new Error(`the link "${link.label}" has no change to show.`);
    const document = await api.openDocument(api.fileUri(file));
    const version = document.version;
    const applied = applyUnifiedDiff(document.getText(), link.code);
    if ('problem' in applied) {
      void api.showWarningMessage(`ML Intern cannot show "${link.label}": ${applied.problem}.`);
      return;
    }
    const preview = api.previewUri(AgentDiffScheme, document.uri, this.nextPreview++);
    this.previews.set(preview, applied.text);
    try {
      await api.showDiff(document.uri, preview, `${path.basename(file)} ↔ ${link.label} (proposed by the intern)`, firstChangedLine(link.code));
      const choice = await api.showModal('info', 'Apply this change?', `The intern proposed this change to ${path.basename(file)}. It is applied only if you choose Apply; Undo reverts it.`, 'Apply');
      if (choice !== 'Apply') return;
      if (document.isClosed || document.version !== version) {
        void api.showWarningMessage(`The change was not applied: ${path.basename(file)} changed since the preview.`);
        return;
      }
      if (!(await api.replaceDocumentText(document, applied.text))) void api.showErrorMessage(`VS Code did not apply "${link.label}".`);
      else this.deps.log.info(`Intern: applied "${link.label}" to ${file}.`);
    } finally {
      await api.closeDiffTabs(preview).catch(() => undefined);
      this.previews.delete(preview);
    }
  }

  private renderPage(): void {
    if (!this.view) return;
    this.view.webview.html = renderAgentHtml(this.state(), { cspSource: this.view.webview.cspSource, nonce: randomBytes(16).toString('base64') }, ++this.seq);
  }

  /** New #root content for the page, at most every `delay` ms (streamed text arrives in small pieces). */
  private update(delay: number): void {
    if (this.timer && delay > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.view) return;
      void this.view.webview.postMessage({ type: 'update', html: agentBodyHtml(this.state()), seq: ++this.seq });
    }, delay);
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
