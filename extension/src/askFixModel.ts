// What "Ask for a Fix" shows and decides, as plain data: the request and answer of
// mlintern/askFix, the Quick Pick items, the text a proposal's preview shows, and whether
// a proposal may still be applied. Pure, unit-tested; askFix.ts does the UI.
import { applyTextEdits, Range, TextEdit } from './lspText';
import { isObject } from './json';

export type Applicability = 'safe' | 'unsafe' | 'display-only';

export interface AskFixParams {
  readonly textDocument: { readonly uri: string };
  readonly range: Range;
  readonly question?: string;
}

/** An LSP WorkspaceEdit as the sidecar sends it: documentChanges carrying the version. */
export interface WorkspaceEdit {
  readonly documentChanges?: readonly unknown[];
  readonly changes?: Readonly<Record<string, readonly TextEdit[]>>;
}

export interface FixProposal {
  readonly provider: string;
  readonly title: string;
  readonly code?: string;
  readonly applicability: Applicability;
  readonly explanation: string;
  readonly edit?: WorkspaceEdit;
}

export interface AskFixResult {
  readonly uri: string;
  readonly version: number;
  readonly proposals: readonly FixProposal[];
}

export function askFixParams(uri: string, range: Range, question: string | undefined): AskFixParams {
  const q = question?.trim();
  return q ? { textDocument: { uri }, range, question: q } : { textDocument: { uri }, range };
}

/** Reads an answer defensively: anything malformed is left out rather than shown half. */
export function parseAskFixResult(value: unknown): AskFixResult | undefined {
  if (!isObject(value) || typeof value.uri !== 'string' || typeof value.version !== 'number' || !Array.isArray(value.proposals)) return undefined;
  const proposals: FixProposal[] = [];
  for (const p of value.proposals) {
    if (!isObject(p) || typeof p.title !== 'string') continue;
    const applicability: Applicability = p.applicability === 'safe' || p.applicability === 'unsafe' ? p.applicability : 'display-only';
    const edit = isObject(p.edit) ? (p.edit as WorkspaceEdit) : undefined;
    proposals.push({
      provider: typeof p.provider === 'string' ? p.provider : 'unknown',
      title: p.title,
      code: typeof p.code === 'string' && p.code !== '' ? p.code : undefined,
      // A proposal without an edit can only be read, whatever it says about itself.
      applicability: edit ? applicability : 'display-only',
      explanation: typeof p.explanation === 'string' ? p.explanation : '',
      edit: applicability === 'display-only' ? undefined : edit,
    });
  }
  return { uri: value.uri, version: value.version, proposals };
}

export interface ProposalItem {
  readonly label: string;
  readonly description: string;
  readonly detail: string;
  readonly proposal: FixProposal;
}

const applicabilityText: Record<Applicability, string> = {
  safe: 'safe',
  unsafe: 'unsafe: may change behaviour',
  'display-only': 'explanation only',
};

/** Quick Pick rows, safe fixes first (the server's order otherwise); unsafe ones carry a warning icon. */
export function proposalItems(proposals: readonly FixProposal[]): ProposalItem[] {
  const rank: Record<Applicability, number> = { safe: 0, unsafe: 1, 'display-only': 2 };
  return proposals
    .map((proposal, index) => ({ proposal, index }))
    .sort((a, b) => rank[a.proposal.applicability] - rank[b.proposal.applicability] || a.index - b.index)
    .map(({ proposal }) => ({
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
    if (!isObject(change)) continue;
    if (isObject(change.textDocument) && Array.isArray(change.edits) && typeof change.textDocument.uri === 'string') {
      if (sameUri(change.textDocument.uri, uri)) {
        edits.push(...(change.edits as TextEdit[]));
        if (typeof change.textDocument.version === 'number') versions.push(change.textDocument.version);
      } else otherFiles.add(change.textDocument.uri);
    } else if (typeof change.kind === 'string') {
      // create/rename/delete: a file operation the preview cannot show.
      otherFiles.add(String(change.uri ?? change.newUri ?? change.oldUri ?? change.kind));
    }
  }
  for (const [changed, list] of Object.entries(edit.changes ?? {})) {
    if (sameUri(changed, uri)) edits.push(...list);
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

