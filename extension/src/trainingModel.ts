// Training in plain data: what mlintern/planTraining and mlintern/startRun answer, the
// approval dialog built from a plan's figures (what it says, which buttons, what each choice
// tells mlintern/approveRun), the task the run becomes, and the Runs view's rows.
// Pure, unit-tested; training.ts and runsView.ts do the VS Code side.
import { isObject, str } from './json';

/** The plan as `.mlintern/plans/<id>.json` holds it (TrainingPlan.cs), the parts the editor shows. */
export interface PlanJson {
  readonly kind: 'baseline' | 'script' | string;
  readonly title: string;
  readonly script?: string;
  readonly dataPath: string;
  readonly textColumn?: string;
  readonly labelColumn?: string;
  readonly classes?: number;
  readonly model?: string;
  readonly parameters?: number;
  readonly hyperparameters?: Readonly<Record<string, string>>;
  readonly tokens?: { readonly trainRows?: number; readonly evalRows?: number; readonly meanTokens?: number; readonly epochs?: number; readonly trainTokens?: number };
  readonly estimate: {
    readonly known: boolean;
    readonly unknownBecause?: string;
    readonly flops?: number;
    readonly formula?: string;
    readonly hardwareId?: string;
    readonly hardwareName?: string;
    readonly hours?: number;
    readonly pricePerHour?: number;
    readonly costUsd?: number;
  };
  readonly budget?: { readonly maxHours?: number; readonly maxCostUsd?: number };
  readonly command?: { readonly commandLine?: string; readonly executable?: string; readonly arguments?: readonly string[] };
  readonly smoke?: boolean;
}

/** The figures an approval repeats back: the plan's hash, hours and cost (null when unknown). */
export interface PlanFigures {
  readonly planHash: string;
  readonly hours: number | null;
  readonly costUsd: number | null;
}

/** mlintern/planTraining's answer. */
export interface PlanResult {
  readonly planId: string;
  readonly markdownPath: string;
  readonly markdown: string;
  readonly figures: PlanFigures;
  readonly overBudget: boolean;
  readonly overBudgetReasons: readonly string[];
  readonly estimateKnown: boolean;
  readonly unknownBecause?: string;
  readonly plan: PlanJson;
}

/**
 * True when mlintern/planTraining refused because it cannot tell which data set a script trains on
 * (invalid params, "which data set …"): the extension then asks the user and plans again.
 */
export function asksForDataSet(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === -32602 && typeof message === 'string' && /which data set/.test(message);
}

export function parsePlanResult(value: unknown): PlanResult | undefined {
  if (!isObject(value) || typeof value.planId !== 'string' || typeof value.markdownPath !== 'string' || !isObject(value.figures) || !isObject(value.plan)) return undefined;
  const figures = value.figures;
  if (typeof figures.planHash !== 'string') return undefined;
  const plan = value.plan;
  if (!isObject(plan.estimate) || typeof plan.title !== 'string') return undefined;
  return {
    planId: value.planId,
    markdownPath: value.markdownPath,
    markdown: typeof value.markdown === 'string' ? value.markdown : '',
    figures: { planHash: figures.planHash, hours: numberOrNull(figures.hours), costUsd: numberOrNull(figures.costUsd) },
    overBudget: value.overBudget === true,
    overBudgetReasons: Array.isArray(value.overBudgetReasons) ? value.overBudgetReasons.filter((r): r is string => typeof r === 'string') : [],
    // Fails closed: an answer that does not say the estimate is known is treated as unknown.
    estimateKnown: value.estimateKnown === true && plan.estimate.known === true,
    unknownBecause: typeof value.unknownBecause === 'string' ? value.unknownBecause : typeof plan.estimate.unknownBecause === 'string' ? plan.estimate.unknownBecause : undefined,
    plan: plan as unknown as PlanJson,
  };
}

// The approval dialog.

export const ApproveAction = 'Approve and Run';
export const OverrideBudgetAction = 'Override budget and run';
export const OverrideUnknownAction = 'Run without an estimate';
export const OverrideBothAction = 'Override budget and unknown estimate, and run';

export interface ApprovalDialog {
  readonly kind: 'info' | 'warning';
  readonly message: string;
  readonly detail: string;
  /** The one button that approves; the dialog's Cancel declines. */
  readonly action: string;
  /** What choosing `action` accepts explicitly, recorded in run.json. */
  readonly acceptOverBudget: boolean;
  readonly acceptUnknownEstimate: boolean;
}

/** The modal's text and its one approving button, from the plan's own figures. */
export function approvalDialog(result: PlanResult, smoke: boolean): ApprovalDialog {
  const plan = result.plan;
  const unknown = !result.estimateKnown;
  const over = result.overBudget;
  const isSmoke = smoke || plan.smoke === true;
  const what = isSmoke && !/^smoke test/i.test(plan.title) ? `Smoke test: ${plan.title}` : plan.title;
  const lines = figureLines(result);
  if (isSmoke) lines.unshift('Smoke test: a small subset of the data and a step cap, so a broken run fails in seconds.');
  let message: string;
  let action: string;
  if (unknown && over) {
    message = `Over budget, and the estimate is unknown: ${what}`;
    action = OverrideBothAction;
  } else if (over) {
    message = `Over budget: ${what}`;
    action = OverrideBudgetAction;
  } else if (unknown) {
    message = `The compute estimate is unknown: ${what}`;
    action = OverrideUnknownAction;
  } else {
    message = `Run ${what}?`;
    action = ApproveAction;
  }
  const warnings: string[] = [];
  if (over) warnings.push(`MLI602 — over budget: ${result.overBudgetReasons.join('; ') || 'the estimate exceeds the budget'}. Running it needs your explicit override.`);
  if (unknown) warnings.push(`Estimate unknown: ${result.unknownBecause ?? 'a figure it needs is missing'}. Running it needs your explicit override.`);
  const detail = [...warnings, ...(warnings.length > 0 ? [''] : []), ...lines, '', `Plan ${result.planId}. Nothing runs unless you choose "${action}"; your approval is recorded in the run's run.json.`].join('\n');
  return { kind: over || unknown ? 'warning' : 'info', message, detail, action, acceptOverBudget: over, acceptUnknownEstimate: unknown };
}

/** The figures the dialog shows, one per line. */
export function figureLines(result: PlanResult): string[] {
  const plan = result.plan;
  const e = plan.estimate;
  const lines: string[] = [];
  if (plan.script) lines.push(`Script: ${plan.script}`);
  lines.push(`Data: ${plan.dataPath}${plan.textColumn || plan.labelColumn ? ` (text ${plan.textColumn ?? '?'}, label ${plan.labelColumn ?? '?'}${plan.classes ? `, ${plan.classes} classes` : ''})` : ''}`);
  if (plan.model) lines.push(`Model: ${plan.model}${plan.parameters ? ` (${formatCount(plan.parameters)} parameters)` : ''}`);
  lines.push(`Steps: ${describeSteps(plan)}`);
  lines.push(`FLOPs: ${e.flops !== undefined && e.flops !== null ? formatFlops(e.flops) : 'unknown'}`);
  lines.push(`Time: ${formatHours(result.figures.hours)} on ${e.hardwareName ?? e.hardwareId ?? 'unknown hardware'}`);
  const budget = plan.budget ?? {};
  lines.push(`Cost: ${formatUsd(result.figures.costUsd)}${e.pricePerHour !== undefined ? ` at ${formatUsd(e.pricePerHour)}/h` : ''}`);
  lines.push(`Budget: ${budget.maxHours ? `${trimNumber(budget.maxHours)} h` : 'no hour limit'}, ${budget.maxCostUsd ? formatUsd(budget.maxCostUsd) : 'no cost limit'} (mlintern.compute.maxHours / maxCostUsd)`);
  return lines;
}

/**
 * The number of optimizer steps when the plan says enough to know it: `max_steps`, else
 * ceil(train rows / batch size) × epochs; the baseline's epochs otherwise; else "unknown".
 */
export function describeSteps(plan: PlanJson): string {
  const hp = plan.hyperparameters ?? {};
  const maxSteps = Number(hp.max_steps);
  if (Number.isFinite(maxSteps) && maxSteps > 0) return `${formatCount(maxSteps)} (max_steps)`;
  const batch = Number(hp.per_device_train_batch_size);
  const rows = plan.tokens?.trainRows;
  const epochs = plan.tokens?.epochs;
  if (Number.isFinite(batch) && batch > 0 && rows && epochs) {
    return `${formatCount(Math.ceil(rows / batch) * Math.ceil(epochs))} (${formatCount(rows)} rows / batch ${batch} × ${trimNumber(epochs)} epochs)`;
  }
  const baselineEpochs = hp['epochs (at most)'];
  if (baselineEpochs) return `at most ${baselineEpochs} epochs over the data`;
  if (rows && epochs) return `${trimNumber(epochs)} epochs over ${formatCount(rows)} rows (batch size unknown)`;
  return 'unknown';
}

export interface ApproveRunParams {
  readonly workspaceFolder: string;
  readonly planId: string;
  readonly figures: PlanFigures;
  readonly acceptOverBudget: boolean;
  readonly acceptUnknownEstimate: boolean;
}

/** What mlintern/approveRun is told when the user chose the dialog's action; undefined when they did not. */
export function approveRunParams(workspaceFolder: string, result: PlanResult, dialog: ApprovalDialog, chosen: string | undefined): ApproveRunParams | undefined {
  if (chosen !== dialog.action) return undefined;
  return { workspaceFolder, planId: result.planId, figures: result.figures, acceptOverBudget: dialog.acceptOverBudget, acceptUnknownEstimate: dialog.acceptUnknownEstimate };
}

// The run's task.

export interface StartedRun {
  readonly runId: string;
  readonly runDir: string;
  readonly task: { readonly command: string; readonly args: readonly string[]; readonly cwd: string; readonly env: Readonly<Record<string, string>> };
  readonly commandLine: string;
  readonly title: string;
}

export function parseStartRun(value: unknown): StartedRun | undefined {
  if (!isObject(value) || typeof value.runId !== 'string' || typeof value.runDir !== 'string' || !isObject(value.task)) return undefined;
  const t = value.task;
  if (typeof t.command !== 'string' || !Array.isArray(t.args) || !t.args.every((a) => typeof a === 'string') || typeof t.cwd !== 'string') return undefined;
  const env: Record<string, string> = {};
  if (isObject(t.env)) for (const [k, v] of Object.entries(t.env)) if (typeof v === 'string') env[k] = v;
  const run = isObject(value.run) ? value.run : {};
  return {
    runId: value.runId,
    runDir: value.runDir,
    task: { command: t.command, args: t.args as string[], cwd: t.cwd, env },
    commandLine: typeof value.commandLine === 'string' ? value.commandLine : [t.command, ...(t.args as string[])].join(' '),
    title: typeof run.title === 'string' ? run.title : value.runId,
  };
}

/** The task's name in the terminal tab and the task list. */
export function taskName(run: StartedRun): string {
  return `${run.title} (${run.runId})`;
}

// Launch choices.

export type LaunchTarget = { readonly kind: 'baseline' } | { readonly kind: 'generate' } | { readonly kind: 'script'; readonly path: string };

export interface LaunchItem {
  readonly label: string;
  readonly description?: string;
  readonly detail?: string;
  readonly target: LaunchTarget;
}

/** The picker's rows: the baseline, a generated script, then the workspace's scripts (likely training scripts first). */
export function launchItems(scripts: readonly string[], workspaceFolder: string): LaunchItem[] {
  const rel = (p: string) => (p.startsWith(workspaceFolder + '/') ? p.slice(workspaceFolder.length + 1) : p);
  const score = (p: string) => (/train/i.test(rel(p).split('/').pop() ?? '') ? 0 : 1);
  const sorted = [...scripts].sort((a, b) => score(a) - score(b) || rel(a).localeCompare(rel(b)));
  return [
    { label: '$(rocket) Built-in baseline', description: 'no Python needed', detail: 'A fast linear text classifier trained by ML Intern itself: real metrics in seconds, and the baseline every fine-tune should beat.', target: { kind: 'baseline' } },
    { label: '$(sparkle) Generate a training script…', description: 'Hugging Face Trainer', detail: "ML Intern writes a Trainer script for a data set (its checker finds nothing in it), then plans it.", target: { kind: 'generate' } },
    ...sorted.map((p) => ({ label: `$(file-code) ${rel(p)}`, description: 'Python script', target: { kind: 'script', path: p } as LaunchTarget })),
  ];
}

/** mlintern/generateScript's answer: where the script goes and its text (nothing is written yet). */
export interface GeneratedScript {
  readonly path: string;
  readonly text: string;
  readonly exists: boolean;
}

export function parseGeneratedScript(value: unknown): GeneratedScript | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { path, text, exists } = value as { path?: unknown; text?: unknown; exists?: unknown };
  if (typeof path !== 'string' || path.length === 0 || typeof text !== 'string' || text.length === 0) return undefined;
  return { path, text, exists: exists === true };
}

// Runs.

export interface RunSummary {
  readonly id: string;
  readonly title: string;
  readonly kind?: string;
  readonly status: string;
  readonly smoke?: boolean;
  readonly createdAt?: string;
  readonly startedAt?: string;
  readonly endedAt?: string;
  readonly exitCode?: number;
  readonly runDir?: string;
}

export function parseRunSummary(value: unknown): RunSummary | undefined {
  if (!isObject(value) || typeof value.id !== 'string' || typeof value.status !== 'string') return undefined;
  return {
    id: value.id,
    title: typeof value.title === 'string' ? value.title : value.id,
    kind: str(value.kind),
    status: value.status,
    smoke: value.smoke === true,
    createdAt: str(value.createdAt),
    startedAt: str(value.startedAt),
    endedAt: str(value.endedAt),
    exitCode: typeof value.exitCode === 'number' ? value.exitCode : undefined,
    runDir: str(value.runDir),
  };
}

/** mlintern/listRuns' answer, newest first (by id, which starts with the creation time). */
export function parseRunList(value: unknown): RunSummary[] {
  const runs = isObject(value) && Array.isArray(value.runs) ? value.runs : [];
  return runs
    .map(parseRunSummary)
    .filter((r): r is RunSummary => r !== undefined)
    .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

export interface RunRow {
  readonly label: string;
  readonly description: string;
  readonly tooltip: string;
  /** A codicon id and the theme colour it is drawn in. */
  readonly icon: string;
  readonly color?: string;
}

const statusIcons: Record<string, { icon: string; color?: string }> = {
  approved: { icon: 'clock' },
  running: { icon: 'sync~spin', color: 'charts.blue' },
  succeeded: { icon: 'pass', color: 'testing.iconPassed' },
  failed: { icon: 'error', color: 'testing.iconFailed' },
  cancelled: { icon: 'circle-slash', color: 'disabledForeground' },
};

export function runRow(run: RunSummary, now: Date = new Date()): RunRow {
  const look = statusIcons[run.status] ?? { icon: 'question' };
  const when = run.createdAt ? relativeTime(new Date(run.createdAt), now) : '';
  const status = run.status === 'failed' && run.exitCode !== undefined ? `failed (exit ${run.exitCode})` : run.status;
  const duration = run.startedAt && run.endedAt ? ` in ${formatDuration((Date.parse(run.endedAt) - Date.parse(run.startedAt)) / 1000)}` : '';
  return {
    label: run.title,
    description: [status + duration, when].filter((s) => s !== '').join(' · '),
    tooltip: [`${run.title}`, `Run ${run.id}: ${status}${duration}`, run.createdAt ? `Created ${run.createdAt}` : '', run.runDir ?? ''].filter((s) => s !== '').join('\n'),
    icon: look.icon,
    color: look.color,
  };
}

export function isFinalStatus(status: string): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'cancelled';
}

// Formatting.

export function formatHours(hours: number | null | undefined): string {
  if (hours === null || hours === undefined || !Number.isFinite(hours)) return 'unknown';
  const seconds = hours * 3600;
  return seconds < 60 ? `${trimNumber(Math.max(seconds, 0.1), 1)} s` : seconds < 3600 ? `${trimNumber(seconds / 60, 1)} min` : `${trimNumber(hours, 2)} h`;
}

export function formatUsd(usd: number | null | undefined): string {
  if (usd === null || usd === undefined || !Number.isFinite(usd)) return 'unknown';
  return `$${usd.toFixed(2)}`;
}

export function formatFlops(flops: number): string {
  if (!Number.isFinite(flops) || flops <= 0) return '0';
  const exponent = Math.floor(Math.log10(flops));
  return `${(flops / 10 ** exponent).toFixed(2)}e${exponent}`;
}

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  if (seconds < 60) return `${trimNumber(seconds, 1)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

function relativeTime(then: Date, now: Date): string {
  const s = (now.getTime() - then.getTime()) / 1000;
  if (!Number.isFinite(s)) return '';
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return then.toISOString().slice(0, 10);
}

function trimNumber(n: number, digits = 2): string {
  return String(Number(n.toFixed(digits)));
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

