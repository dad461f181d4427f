// "ML Intern: Ask for a Fix" (command, editor context menu, light bulb): asks the sidecar
// for proposals at the cursor or selection (mlintern/askFix), lets the user pick one, shows
// it as a diff against a read-only copy with the edit applied, and applies it only when the
// user accepts — and only to the document version it was computed for.
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  askFixParams,
  AskFixResult,
  confirmDetail,
  editsFor,
  FixProposal,
  previewText,
  proposalItems,
  staleReason,
} from './askFixModel';
import { Commands, DiagnosticSource, ExtensionName, FixPreviewScheme, JupyterNotebookType } from './constants';
import { Methods } from './protocol';
import { request } from './sidecar';
import * as api from './vscodeapi';

export const AskForFixTitle = 'Ask ML Intern for a fix…';

/** Where Ask for a Fix may run: Python files on disk or unsaved, and Python cells of Jupyter notebooks. */
export const PythonDocuments: vscode.DocumentSelector = [
  { scheme: 'file', language: 'python' },
  { scheme: 'untitled', language: 'python' },
  { notebookType: JupyterNotebookType, language: 'python' },
];

interface Target {
  readonly document: vscode.TextDocument;
  readonly range: vscode.Range;
  readonly question: string | undefined;
}

export class AskForFix implements api.Disposable {
  private readonly previews = api.registerReadOnlyDocuments(FixPreviewScheme);
  private nextPreview = 1;

  constructor(
    private readonly client: () => LanguageClient | undefined,
    private readonly log: api.LogOutputChannel,
  ) {}

  dispose(): void {
    this.previews.dispose();
  }

  /**
   * The command. From the light bulb it gets (uri, range); from the editor context menu the
   * document's uri; from the palette nothing — only then, with a selection, is the user asked
   * for an optional question.
   */
  async run(...args: unknown[]): Promise<void> {
    const target = await this.target(args);
    if (target) await this.ask(target);
  }

  /** The light bulb: on an ML Intern finding (Quick Fix) or on a selection (refactor). */
  readonly codeActions: vscode.CodeActionProvider = {
    provideCodeActions: (document, range, context) => {
      const ours = context.diagnostics.filter((d) => d.source === DiagnosticSource);
      if (ours.length === 0 && range.isEmpty) return [];
      const kind = ours.length > 0 ? api.CodeActionKinds.quickFix() : api.CodeActionKinds.refactorRewrite();
      const command = { command: Commands.askForFix, title: AskForFixTitle, arguments: [document.uri, range] };
      return [api.codeAction(AskForFixTitle, kind, command, ours.length > 0 ? [...ours] : undefined)];
    },
  };

  private async target(args: unknown[]): Promise<Target | undefined> {
    const editor = api.activeTextEditor();
    let document: vscode.TextDocument | undefined;
    let range: vscode.Range | undefined;
    let question: string | undefined;
    if (api.isUri(args[0])) {
      document = api.openDocumentFor(args[0]) ?? (await api.openDocument(args[0]));
      range = api.isRange(args[1]) ? args[1] : editor?.document === document ? editor.selection : undefined;
    } else if (editor) {
      document = editor.document;
      range = editor.selection;
      if (!editor.selection.isEmpty) {
        question = await api.showInputBox(
          'ML Intern: Ask for a Fix',
          'What should change in the selection? Optional: leave empty for the fixes of the findings there.',
          'e.g. use macro F1',
        );
        // Escape cancels; Enter on an empty box asks without a question.
        if (question === undefined) return undefined;
      }
    }
    if (!document || !range) {
      void api.showInformationMessage('Open a Python file and put the cursor on a finding (or select code) to ask ML Intern for a fix.');
      return undefined;
    }
    if (document.languageId !== 'python') {
      void api.showInformationMessage(`Ask for a Fix works on Python files; ${path.basename(document.fileName)} is ${document.languageId}.`);
      return undefined;
    }
    return { document, range, question };
  }

  private async ask(target: Target): Promise<void> {
    const client = this.client();
    if (!client) {
      const choice = await api.showWarningMessage(`The ${ExtensionName} sidecar is not running, so it cannot propose a fix.`, 'Show Logs');
      if (choice) this.log.show();
      return;
    }
    const { document, range, question } = target;
    const params = askFixParams(client.code2ProtocolConverter.asUri(document.uri), client.code2ProtocolConverter.asRange(range), question);
    let result: AskFixResult;
    try {
      result = await api.withProgress('ML Intern: looking for a fix…', (token) => request(client, Methods.askFix, params, token));
    } catch (e) {
      if (isCancellation(e)) return;
      const message = e instanceof Error ? e.message : String(e);
      this.log.error(`${Methods.askFix} for ${document.uri.toString()}: ${message}`);
      void api.showErrorMessage(`ML Intern could not propose a fix: ${message}`);
      return;
    }
    this.log.info(`${Methods.askFix} ${document.uri.toString()} v${result.version}: ${result.proposals.length} proposal(s)`);
    if (result.proposals.length === 0) {
      void api.showInformationMessage(
        question ? 'ML Intern has no fix for that here.' : 'ML Intern has no fix to propose here. Put the cursor on one of its findings, or select code and ask a question.',
      );
      return;
    }
    const stale = staleReason(result, undefined, document);
    if (stale) return this.offerAgain(target, stale);

    const proposal = await this.choose(result.proposals);
    if (!proposal) return;
    if (proposal.applicability === 'display-only' || !proposal.edit) return this.explain(document, proposal);
    await this.previewAndApply(client, target, result, proposal);
  }

  private async choose(proposals: readonly FixProposal[]): Promise<FixProposal | undefined> {
    if (proposals.length === 1) return proposals[0];
    const picked = await api.showQuickPick(proposalItems(proposals), 'ML Intern: Ask for a Fix', 'Choose a fix to preview');
    return picked?.proposal;
  }

  private async explain(document: vscode.TextDocument, proposal: FixProposal): Promise<void> {
    const href = ruleHref(document.uri, proposal.code);
    const heading = proposal.code ? `${proposal.code}: ${proposal.title}` : proposal.title;
    const choice = await api.showModal('info', heading, proposal.explanation || 'ML Intern has no automatic fix for this.', ...(href ? ['Open Rule Page'] : []));
    if (choice && href) await api.openExternal(href);
  }

  private async previewAndApply(client: LanguageClient, target: Target, result: AskFixResult, proposal: FixProposal): Promise<void> {
    const { document } = target;
    let text: string;
    try {
      text = previewText(document.getText(), proposal, result.uri);
    } catch (e) {
      void api.showErrorMessage(`ML Intern cannot show this fix: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    const preview = api.previewUri(FixPreviewScheme, document.uri, this.nextPreview++);
    this.previews.set(preview, text);
    let stale: string | undefined;
    try {
      const line = firstChangedLine(proposal, result.uri);
      await api.showDiff(document.uri, preview, `${path.basename(document.fileName)} ↔ ${proposal.title} (proposed)`, line);
      if (line !== undefined) await api.revealWhenVisible(preview, line);
      const choice = await api.showModal(
        proposal.applicability === 'unsafe' ? 'warning' : 'info',
        'Apply this fix?',
        confirmDetail(proposal, editsFor(proposal.edit!, result.uri).otherFiles),
        'Apply',
      );
      if (choice !== 'Apply') return;
      // The sidecar sends an LSP WorkspaceEdit; askFixModel only reads it.
      const edit = await client.protocol2CodeConverter.asWorkspaceEdit(proposal.edit as Parameters<typeof client.protocol2CodeConverter.asWorkspaceEdit>[0] & object);
      // Checked right before applying, with nothing awaited in between.
      stale = staleReason(result, proposal, document);
      if (stale) return;
      if (!(await api.applyEdit(edit))) void api.showErrorMessage(`VS Code did not apply the fix "${proposal.title}".`);
      else this.log.info(`applied "${proposal.title}" (${proposal.code ?? proposal.provider}) to ${document.uri.toString()} v${result.version}`);
    } finally {
      await api.closeDiffTabs(preview).catch(() => undefined);
      this.previews.delete(preview);
      if (stale) this.offerAgain(target, stale);
    }
  }

  private offerAgain(target: Target, reason: string): void {
    const name = path.basename(target.document.fileName);
    void api.showWarningMessage(`The fix was not applied: ${reason} since ML Intern proposed it for ${name}.`, 'Ask Again').then((choice) => {
      if (choice && !target.document.isClosed) void this.ask(target);
    });
  }
}

/** The first line the proposal changes, to show it in the diff without scrolling. */
function firstChangedLine(proposal: FixProposal, uri: string): number | undefined {
  const lines = proposal.edit ? editsFor(proposal.edit, uri).edits.map((e) => e.range.start.line) : [];
  return lines.length > 0 ? Math.min(...lines) : undefined;
}

/** The rule page of `code`, from the link the sidecar put on its diagnostic. */
function ruleHref(uri: vscode.Uri, code: string | undefined): string | undefined {
  if (!code) return undefined;
  for (const d of api.diagnosticsFor(uri)) {
    if (d.source === DiagnosticSource && typeof d.code === 'object' && String(d.code.value) === code) return d.code.target.toString();
  }
  return undefined;
}

function isCancellation(e: unknown): boolean {
  const code = (e as { code?: unknown } | undefined)?.code;
  return code === -32800 || (e instanceof Error && e.name === 'Canceled');
}
