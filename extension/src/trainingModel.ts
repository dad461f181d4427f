// Training as the editor shows it: the approval dialog's answer (the sidecar decides its text,
// button and overrides in mlintern/planTraining), the task a run becomes, the launch picker and
// the Runs view's rows. Pure, unit-tested; training.ts and runsView.ts do the VS Code side.
import type { ApproveRunParams, ComputeTargetInfo, PlanTrainingResult, RunSummary, StartRunResult } from './protocol';

export type { RunSummary } from './protocol';

/** What mlintern/approveRun is told when the user chose the dialog's one approving button; undefined when they did not. */
export function approveRunParams(workspaceFolder: string, plan: PlanTrainingResult, chosen: string | undefined): ApproveRunParams | undefined {
  const prompt = plan.approvalPrompt;
  if (chosen !== prompt.action) return undefined;
  return { workspaceFolder, planId: plan.planId, figures: plan.figures, acceptOverBudget: prompt.acceptOverBudget, acceptUnknownEstimate: prompt.acceptUnknownEstimate };
}

/** The task's name in the terminal tab and the task list. */
export function taskName(started: StartRunResult): string {
  return `${started.run.title} (${started.runId})`;
}

// Launch choices.

/** A built-in baseline names which one (planTraining's `baseline`: tfidf, the default, or encoder). */
export type LaunchTarget = { readonly kind: 'baseline'; readonly baseline?: 'tfidf' | 'encoder' } | { readonly kind: 'generate' } | { readonly kind: 'script'; readonly path: string };

export interface LaunchItem {
  readonly label: string;
  readonly description?: string;
  readonly detail?: string;
  readonly target: LaunchTarget;
}

/** The picker's rows: the two built-in baselines, a generated script, then the workspace's scripts (likely training scripts first). */
export function launchItems(scripts: readonly string[], workspaceFolder: string): LaunchItem[] {
  const rel = (p: string) => (p.startsWith(workspaceFolder + '/') ? p.slice(workspaceFolder.length + 1) : p);
  const score = (p: string) => (/train/i.test(rel(p).split('/').pop() ?? '') ? 0 : 1);
  const sorted = [...scripts].sort((a, b) => score(a) - score(b) || rel(a).localeCompare(rel(b)));
  return [
    { label: '$(rocket) Built-in baseline', description: 'no Python needed', detail: 'A fast linear text classifier trained by ML Intern itself: real metrics in seconds, and the baseline every fine-tune should beat.', target: { kind: 'baseline' } },
    { label: '$(hubot) Built-in encoder', description: 'no Python needed, slower', detail: 'A pretrained sentence encoder (all-MiniLM-L6-v2, frozen, shipped with ML Intern) and a logistic-regression head: understands paraphrases, real probabilities; wins with few examples per class.', target: { kind: 'baseline', baseline: 'encoder' } },
    { label: '$(sparkle) Generate a training script…', description: 'Hugging Face Trainer', detail: "ML Intern writes a Trainer script for a data set (its checker finds nothing in it), then plans it.", target: { kind: 'generate' } },
    ...sorted.map((p) => ({ label: `$(file-code) ${rel(p)}`, description: 'Python script', target: { kind: 'script', path: p } as LaunchTarget })),
  ];
}

/** A row of "Where should it run?": this machine (no target), or a configured Slurm / HF Jobs target by name. */
export interface TargetItem {
  readonly label: string;
  readonly description?: string;
  readonly detail?: string;
  readonly target: string | undefined;
}

/** The target picker's rows: this machine (the plan already made, with its figures), then the configured targets the sidecar listed. */
export function targetItems(plan: PlanTrainingResult): TargetItem[] {
  const here = plan.plan.estimate;
  const cost = here.costUsd === undefined ? 'estimate unknown' : `$${here.costUsd.toFixed(2)}`;
  return [
    { label: '$(device-desktop) This machine', description: cost, detail: here.hardwareName, target: undefined },
    ...plan.targets.map((t: ComputeTargetInfo) => ({
      label: `${t.kind === 'slurm' ? '$(server-environment)' : '$(cloud)'} ${t.name}`,
      description: t.kind === 'slurm' ? 'Slurm' : 'Hugging Face Jobs',
      detail: t.description,
      target: t.name,
    })),
  ];
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
  const job = run.remote ? `${run.remote.target} job ${run.remote.jobId}${run.remote.state ? ` ${run.remote.state}` : ''}` : '';
  return {
    label: run.title,
    description: [status + duration, job, when].filter((s) => s !== '').join(' · '),
    tooltip: [`${run.title}`, `Run ${run.id}: ${status}${duration}`, job, run.error ?? '', run.createdAt ? `Created ${run.createdAt}` : '', run.runDir ?? ''].filter((s) => s !== '').join('\n'),
    icon: look.icon,
    color: look.color,
  };
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
