// What "Ask for a Fix" shows, as plain data: the request of mlintern/askFix, the Quick Pick items
// (in the sidecar's order: safe, unsafe, explanations), the text a proposal's preview shows, and
// whether a proposal may still be applied. Pure, unit-tested; askFix.ts does the UI.
import { applyTextEdits, Range, TextEdit } from './lspText';
import type { AskFixParams, AskFixResult, FixApplicability, FixProposal, WorkspaceEdit } from './protocol';

export type { AskFixResult, FixProposal } from './protocol';

export function askFixParams(uri: string, range: Range, question: string | undefined): AskFixParams {
  const q = question?.trim();
  return q ? { textDocument: { uri }, range, question: q } : { textDocument: { uri }, range };
}

export interface ProposalItem {
  readonly label: string;
  readonly description: string;
  readonly detail: string;
  readonly proposal: FixProposal;
}

const applicabilityText: Record<FixApplicability, string> = {
  safe: 'safe',
  unsafe: 'unsafe: may change behaviour',
  'display-only': 'explanation only',
};

/** Quick Pick rows in the sidecar's order; unsafe ones carry a warning icon. */
export function proposalItems(proposals: readonly FixProposal[]): ProposalItem[] {
  return proposals.map((proposal) => ({
      label: `${proposal.applicability === 'unsafe' ? '$(warning) ' : proposal.applicability === 'display-only' ? '$(info) ' : ''}${proposal.title}`,
      description: [proposal.code, applicabilityText[proposal.applicability]].filter(Boolean).join(' · '),
      detail: proposal.explanation,
    proposal,
  }));
}

/** The same URI spelled two ways (percent-encoding, drive letter case) compares equal. */
export function sameUri(a: string, b: string): boolean {
  const norm = (u: string) => {
    try {
      return decodeURIComponent(u).replace(/^file:\/\/\/([A-Za-z]):/, (_, d: string) => `file:///${d.toLowerCase()}:`);
    } catch {
      return u;
    }
  };
  return a === b || norm(a) === norm(b);
}

/** The text edits a workspace edit makes to `uri`, and the URIs of any other files it touches. */
export function editsFor(edit: WorkspaceEdit, uri: string): { edits: TextEdit[]; otherFiles: string[]; versions: number[] } {
  const edits: TextEdit[] = [];
  const otherFiles = new Set<string>();
  const versions: number[] = [];
  for (const change of edit.documentChanges ?? []) {
    if (!sameUri(change.textDocument.uri, uri)) otherFiles.add(change.textDocument.uri);
    else {
      edits.push(...(change.edits as TextEdit[]));
      if (change.textDocument.version !== null) versions.push(change.textDocument.version);
    }
  }
  for (const [changed, list] of Object.entries(edit.changes ?? {})) {
    if (sameUri(changed, uri)) edits.push(...(list as TextEdit[]));
    else otherFiles.add(changed);
  }
  return { edits, otherFiles: [...otherFiles], versions };
}

/** The document's text with the proposal applied, for the diff preview. */
export function previewText(text: string, proposal: FixProposal, uri: string): string {
  return proposal.edit ? applyTextEdits(text, editsFor(proposal.edit, uri).edits) : text;
}

/**
 * Whether the answer's edits may be applied to the document as it is now: only to the
 * version they were computed for, and every versioned change must name that version.
 */
export function staleReason(result: AskFixResult, proposal: FixProposal | undefined, document: { readonly version: number; readonly isClosed: boolean }): string | undefined {
  if (document.isClosed) return 'the document was closed';
  if (document.version !== result.version) return `the document changed (version ${result.version} → ${document.version})`;
  const versions = proposal?.edit ? editsFor(proposal.edit, result.uri).versions : [];
  if (versions.some((v) => v !== document.version)) return `the fix was computed for another version (${versions.join(', ')})`;
  return undefined;
}

/** The modal's detail: the explanation, with the warning an unsafe fix needs first. */
export function confirmDetail(proposal: FixProposal, otherFiles: readonly string[]): string {
  const parts: string[] = [];
  if (proposal.applicability === 'unsafe') parts.push('Unsafe fix: it may change what the program does beyond the bug. Review the diff.');
  if (proposal.explanation) parts.push(proposal.explanation);
  if (otherFiles.length > 0) parts.push(`It also changes: ${otherFiles.join(', ')}`);
  return parts.join('\n\n');
}

