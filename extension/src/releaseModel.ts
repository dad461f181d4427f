// Evaluate, card, demo and publish in plain data: which runs can be picked, the messages built from
// the sidecar's answers (their types are the generated protocol.ts; the sidecar decides validity,
// readiness, repo ids and whether a preflight passed), the preflight report shown to the user, and
// the publish approval dialog (repo id, visibility, every file and the total size) with what its one
// approving button tells mlintern/approvePublish. Pure, unit-tested; release.ts does the VS Code side.
import type { CardResult, DemoResult, PreflightProblem, PreflightReport, PublishParams, ServeCommand } from './protocol';
import type { RunSummary } from './trainingModel';
import { isObject } from './json';

// Picking a run.

export interface RunPickItem {
  readonly label: string;
  readonly description: string;
  readonly detail?: string;
  readonly run: RunSummary;
}

/** The runs a command can work on: finished successfully (they wrote predictions and a model), newest first. */
export function pickableRuns(runs: readonly RunSummary[]): RunSummary[] {
  return runs.filter((r) => r.status === 'succeeded');
}

export function runPickItems(runs: readonly RunSummary[]): RunPickItem[] {
  return pickableRuns(runs).map((r) => ({
    label: r.title,
    description: [r.id, r.smoke ? 'smoke test' : '', r.kind ?? ''].filter((s) => s !== '').join(' · '),
    detail: r.runDir,
    run: r,
  }));
}

/** The run an invocation names: a Runs view row (a RunSummary), a run id, or nothing (then the user picks). */
export function runFromArgument(arg: unknown, known: readonly RunSummary[]): RunSummary | string | undefined {
  if (typeof arg === 'string' && arg !== '') return known.find((r) => r.id === arg) ?? arg;
  if (isObject(arg) && typeof arg.id === 'string' && typeof arg.status === 'string') return known.find((r) => r.id === arg.id) ?? (arg as unknown as RunSummary);
  return undefined;
}

// Card fields.

const languagePattern = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/** "en, fr" → ["en", "fr"]; undefined when an entry is not an ISO 639 code. */
export function parseLanguages(value: string): string[] | undefined {
  const codes = value
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return codes.length > 0 && codes.every((c) => languagePattern.test(c)) ? [...new Set(codes)] : undefined;
}

export function languagesProblem(value: string): string | undefined {
  return parseLanguages(value) ? undefined : 'ISO 639 codes separated by commas, e.g. "en" or "en, de".';
}

/** Hub license ids offered first when a card or Space asks for one (any Hub id is accepted by the sidecar). */
export const CommonLicenses = ['apache-2.0', 'mit', 'cc-by-4.0', 'cc-by-sa-4.0', 'cc-by-nc-4.0', 'bsd-3-clause', 'gpl-3.0', 'cc0-1.0', 'other'] as const;

// Model card.

/** The card fields ML Intern can ask for, by the name the sidecar lists them under. */
export type CardField = 'license' | 'language' | 'datasets' | 'author' | 'models';

export function askableFields(unfilled: readonly string[]): CardField[] {
  const known: Record<string, CardField> = { license: 'license', language: 'language', languages: 'language', datasets: 'datasets', dataset: 'datasets', author: 'author', developer: 'author', models: 'models', model: 'models' };
  return [...new Set(unfilled.map((u) => known[u]).filter((f): f is CardField => f !== undefined))];
}

export const FillInAction = 'Fill In…';

/** What the user is told after a card was written: nothing left, or the unfilled fields and problems. */
export function cardMessage(result: CardResult): { readonly kind: 'info' | 'warning'; readonly message: string; readonly actions: readonly string[] } {
  // A problem that only says a field is unfilled repeats the unfilled list; it is not shown twice.
  const problems = result.problems.filter((p) => !p.unfilled);
  if (result.ready && problems.length === 0) return { kind: 'info', message: 'ML Intern: model card written; its metadata passes the Hub checks.', actions: [] };
  const parts: string[] = [];
  if (result.unfilled.length > 0) parts.push(`unfilled: ${result.unfilled.join(', ')}`);
  const errors = problems.filter((p) => p.severity === 'error');
  const warnings = problems.filter((p) => p.severity !== 'error');
  if (errors.length > 0) parts.push(`${errors.length} problem(s): ${errors.map((p) => `${p.field}: ${p.message}`).join('; ')}`);
  if (warnings.length > 0) parts.push(`warning: ${warnings.map((p) => `${p.field}: ${p.message}`).join('; ')}`);
  const message = `ML Intern: model card written${result.ready ? '' : ', not ready to publish'} — ${parts.join(' · ')}`;
  return { kind: 'warning', message, actions: askableFields(result.unfilled).length > 0 ? [FillInAction] : [] };
}

// Demo.

export const ServeAction = 'Serve Locally';
export const OpenInBrowserAction = 'Open in Browser';

/**
 * The serve task's command: the sidecar names itself `mlintern`; the task runs the sidecar the
 * extension resolved (an absolute path), with the sidecar's own arguments.
 */
export function serveTask(serve: ServeCommand, executable: string): { command: string; args: readonly string[] } {
  return { command: serve.command === 'mlintern' ? executable : serve.command, args: serve.args };
}

/** Only a local http(s) URL is opened from the serve answer. */
export function isLocalUrl(url: string): boolean {
  return /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?(\/|$)/.test(url);
}

export function demoMessage(result: DemoResult): string {
  const files = result.files.map((f) => f.split(/[\\/]/).pop()).join(', ');
  const unfilled = result.unfilled.length > 0 ? ` Unfilled before the Space can be published: ${result.unfilled.join(', ')}.` : '';
  const serve = result.serve ? ' This is a built-in baseline run: you can serve it locally (127.0.0.1 only).' : '';
  return `ML Intern: demo written to ${result.folder} (${files}).${unfilled}${serve}`;
}

// Publish.

export type RepoType = 'model' | 'space';

/** What the publish command sends mlintern/preflightPublish and (with the hash shown) approvePublish. */
export type PublishRequest = PublishParams & { readonly workspaceFolder: string; readonly runId: string; readonly repoId: string; readonly repoType: RepoType };

export function visibility(isPrivate: boolean): string {
  return isPrivate ? 'private' : 'public';
}

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '?';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

function fileLines(p: PreflightReport): string[] {
  return p.files.map((f) => `${f.path} — ${formatBytes(f.size)}`);
}

function problemLine(x: PreflightProblem): string {
  const where = x.file ? ` (${x.file.split(/[\\/]/).pop()}${x.line ? `:${x.line}` : ''})` : '';
  return `${x.kind}: ${x.message}${where}`;
}

/** The preflight as a Markdown document, opened beside the editor: everything the dialogs summarise. */
export function preflightMarkdown(p: PreflightReport): string {
  const lines = [
    `# Publish preflight: ${p.repoType} ${p.repoId} (${visibility(p.private)})`,
    '',
    p.passed ? '**Passed.** Nothing is uploaded until you approve the upload in the dialog.' : `**Blocked: ${p.problems.length} problem(s).** Nothing was uploaded.`,
    '',
    `Folder: \`${p.folder}\``,
    '',
    `## Files (${p.files.length}, ${formatBytes(p.totalBytes)})`,
    '',
    '| file | size |',
    '|---|---:|',
    ...p.files.map((f) => `| \`${f.path.replace(/\|/g, '\\|')}\` | ${formatBytes(f.size)} (${f.size.toLocaleString('en-US')} bytes) |`),
    '',
  ];
  if (p.problems.length > 0) lines.push('## Problems (they block the upload)', '', ...p.problems.map((x) => `- ${problemLine(x)}`), '');
  if (p.cardWarnings.length > 0) lines.push('## Card warnings', '', ...p.cardWarnings.map((w) => `- ${w.field}: ${w.message}`), '');
  lines.push(`File list hash: \`${p.fileListHash}\` (SHA-256 over the sorted path, size, sha256 lines; an approval is for exactly these files).`, '');
  return lines.join('\n');
}

/** The modal shown when the preflight failed: why, and that nothing was uploaded. */
export function blockedDialog(p: PreflightReport): { readonly message: string; readonly detail: string } {
  return {
    message: `Publish blocked: ${p.problems.length} problem(s) in the ${p.repoType} preflight for ${p.repoId}. Nothing was uploaded.`,
    detail: [...p.problems.map((x) => `• ${problemLine(x)}`), '', `Files checked (${p.files.length}, ${formatBytes(p.totalBytes)}):`, ...fileLines(p)].join('\n'),
  };
}

export const ApprovePublishAction = 'Approve and Publish';

export interface PublishDialog {
  readonly message: string;
  readonly detail: string;
  readonly action: string;
}

/** The approval modal: repo id, type, visibility, every file with its size and the total. Undefined when the preflight did not pass. */
export function publishDialog(p: PreflightReport): PublishDialog | undefined {
  if (!p.passed) return undefined;
  const detail = [
    `Repository: ${p.repoId} (${p.repoType})`,
    `Visibility: ${visibility(p.private)}${p.private ? '' : ' — anyone on the internet can download it'}`,
    `From: ${p.folder}`,
    '',
    `Files to upload (${p.files.length}, ${formatBytes(p.totalBytes)} in total):`,
    ...fileLines(p),
    ...(p.cardWarnings.length > 0 ? ['', 'Card warnings:', ...p.cardWarnings.map((w) => `${w.field}: ${w.message}`)] : []),
    '',
    `Nothing is uploaded unless you choose "${ApprovePublishAction}". Your approval is recorded in the run's run.json for exactly these files; the upload (hf upload) runs in the terminal with your own Hugging Face login.`,
  ].join('\n');
  return { message: `Publish ${p.files.length} file(s) to the ${visibility(p.private)} ${p.repoType} ${p.repoId} on the Hugging Face Hub?`, detail, action: ApprovePublishAction };
}

/** What mlintern/approvePublish is told when the user chose the dialog's action; undefined otherwise (nothing is approved). */
export function approvePublishParams(request: PublishRequest, p: PreflightReport, dialog: PublishDialog | undefined, chosen: string | undefined): (PublishRequest & { readonly fileListHash: string }) | undefined {
  if (!dialog || !p.passed || chosen !== dialog.action) return undefined;
  return { ...request, fileListHash: p.fileListHash };
}

/** Task names, shown on the terminal tab. */
export function publishTaskName(p: { readonly repoType: string; readonly repoId: string }): string {
  return `Publish ${p.repoType} ${p.repoId}`;
}

export function demoTaskName(run: { readonly title: string; readonly id: string }): string {
  return `Demo: ${run.title} (${run.id})`;
}
