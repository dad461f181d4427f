import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ApproveAction,
  approvalDialog,
  approveRunParams,
  asksForDataSet,
  describeSteps,
  formatFlops,
  formatHours,
  formatUsd,
  launchItems,
  OverrideBothAction,
  OverrideBudgetAction,
  OverrideUnknownAction,
  parseGeneratedScript,
  parsePlanResult,
  parseRunList,
  parseStartRun,
  runRow,
  taskName,
} from '../../src/trainingModel';

// The shape of mlintern/planTraining's answer for the built-in baseline on the sample (trimmed).
function planAnswer(overrides: { overBudget?: boolean; known?: boolean; reasons?: string[] } = {}) {
  const known = overrides.known ?? true;
  return {
    planId: 'plan-6afb77b55948',
    markdownPath: '/w/.mlintern/plans/plan-6afb77b55948.md',
    jsonPath: '/w/.mlintern/plans/plan-6afb77b55948.json',
    markdown: '# Training plan',
    figures: { planHash: '6afb77b5', hours: known ? 5.356 : null, costUsd: known ? 18.7 : null },
    overBudget: overrides.overBudget ?? false,
    overBudgetReasons: overrides.reasons ?? [],
    estimateKnown: known,
    unknownBecause: known ? undefined : 'the model size is unknown',
    findings: [],
    plan: {
      kind: 'script',
      title: 'train.py on tickets.csv',
      script: '/w/train.py',
      dataPath: '/w/data/tickets.csv',
      textColumn: 'instruction',
      labelColumn: 'intent',
      classes: 16,
      model: 'distilbert-base-uncased',
      parameters: 66955010,
      hyperparameters: { per_device_train_batch_size: '16', learning_rate: '2E-05' },
      tokens: { trainRows: 1000, evalRows: 200, meanTokens: 20, epochs: 3, trainTokens: 60000 },
      estimate: { known, flops: known ? 1.2255e13 : undefined, hardwareId: 'a100', hardwareName: 'NVIDIA A100 40 GB', hours: known ? 5.356 : undefined, pricePerHour: 3.49, costUsd: known ? 18.7 : undefined },
      budget: { maxHours: 4, maxCostUsd: 10 },
      smoke: false,
    },
  };
}

describe('the plan answer', () => {
  it('reads the figures an approval must repeat', () => {
    const plan = parsePlanResult(planAnswer())!;
    assert.equal(plan.planId, 'plan-6afb77b55948');
    assert.deepEqual(plan.figures, { planHash: '6afb77b5', hours: 5.356, costUsd: 18.7 });
    assert.equal(plan.estimateKnown, true);
  });

  it('rejects what is not a plan, and treats a missing "known" as unknown (fails closed)', () => {
    assert.equal(parsePlanResult({}), undefined);
    assert.equal(parsePlanResult({ ...planAnswer(), figures: { hours: 1 } }), undefined);
    const a = planAnswer();
    const { estimateKnown: _, ...withoutKnown } = a;
    assert.equal(parsePlanResult(withoutKnown)!.estimateKnown, false);
  });
});

describe('the approval dialog', () => {
  it('within budget: an informational modal whose one button approves', () => {
    const plan = parsePlanResult(planAnswer())!;
    const d = approvalDialog(plan, false);
    assert.equal(d.kind, 'info');
    assert.equal(d.action, ApproveAction);
    assert.equal(d.message, 'Run train.py on tickets.csv?');
    assert.equal(d.acceptOverBudget, false);
    assert.match(d.detail, /Steps: 189 \(1,000 rows \/ batch 16 × 3 epochs\)/);
    assert.match(d.detail, /FLOPs: 1\.23e13/);
    assert.match(d.detail, /Time: 5\.36 h on NVIDIA A100 40 GB/);
    assert.match(d.detail, /Cost: \$18\.70 at \$3\.49\/h/);
    assert.match(d.detail, /Budget: 4 h, \$10\.00/);
  });

  it('over budget: says so, and only "Override budget and run" approves, recording the override', () => {
    const plan = parsePlanResult(planAnswer({ overBudget: true, reasons: ['5.36 h is over the budget of 4 h'] }))!;
    const d = approvalDialog(plan, false);
    assert.equal(d.kind, 'warning');
    assert.equal(d.action, OverrideBudgetAction);
    assert.match(d.message, /^Over budget/);
    assert.match(d.detail, /MLI602 — over budget: 5\.36 h is over the budget of 4 h/);
    assert.deepEqual(approveRunParams('/w', plan, d, OverrideBudgetAction), {
      workspaceFolder: '/w',
      planId: 'plan-6afb77b55948',
      figures: plan.figures,
      acceptOverBudget: true,
      acceptUnknownEstimate: false,
    });
    assert.equal(approveRunParams('/w', plan, d, ApproveAction), undefined, 'the plain approval is not the override');
  });

  it('unknown estimate: fails closed unless the explicit override is chosen', () => {
    const plan = parsePlanResult(planAnswer({ known: false }))!;
    const d = approvalDialog(plan, true);
    assert.equal(d.action, OverrideUnknownAction);
    assert.match(d.message, /unknown: Smoke test: train\.py/);
    assert.match(d.detail, /Estimate unknown: the model size is unknown/);
    assert.match(d.detail, /Time: unknown/);
    assert.equal(approveRunParams('/w', plan, d, OverrideUnknownAction)!.acceptUnknownEstimate, true);
    assert.equal(approvalDialog(parsePlanResult(planAnswer({ known: false, overBudget: true }))!, false).action, OverrideBothAction);
    const smokePlan = parsePlanResult(planAnswer())!;
    const titled = { ...smokePlan, plan: { ...smokePlan.plan, title: 'Smoke test: train.py on tickets.csv', smoke: true } };
    assert.equal(approvalDialog(titled, true).message, 'Run Smoke test: train.py on tickets.csv?', 'the sidecar\'s smoke title is not repeated');
    assert.match(approvalDialog(titled, true).detail, /^Smoke test: a small subset/m);
  });

  it('Cancel (or closing the dialog) approves nothing', () => {
    const plan = parsePlanResult(planAnswer())!;
    assert.equal(approveRunParams('/w', plan, approvalDialog(plan, false), undefined), undefined);
  });
});

describe('steps', () => {
  const base = parsePlanResult(planAnswer())!.plan;
  it('max_steps wins; the baseline says its epochs; else unknown', () => {
    assert.equal(describeSteps({ ...base, hyperparameters: { max_steps: '500' } }), '500 (max_steps)');
    assert.equal(describeSteps({ ...base, hyperparameters: { 'epochs (at most)': '20', seed: '42' }, tokens: undefined }), 'at most 20 epochs over the data');
    assert.equal(describeSteps({ ...base, hyperparameters: {}, tokens: undefined }), 'unknown');
  });
});

describe('formatting', () => {
  it('hours, dollars and FLOPs', () => {
    assert.equal(formatHours(0.0003), '1.1 s');
    assert.equal(formatHours(0.5), '30 min');
    assert.equal(formatHours(5.356), '5.36 h');
    assert.equal(formatHours(null), 'unknown');
    assert.equal(formatUsd(0), '$0.00');
    assert.equal(formatFlops(137106432), '1.37e8');
  });
});

describe('startRun', () => {
  it('reads the task to run', () => {
    const run = parseStartRun({
      runId: '20250101-120000-ab12',
      runDir: '/w/.mlintern/runs/20250101-120000-ab12',
      task: { command: '/x/mlintern', args: ['train', '--run', '20250101-120000-ab12', '--workspace', '/w'], cwd: '/w', env: { A: '1', B: 2 } },
      commandLine: '/x/mlintern train --run 20250101-120000-ab12 --workspace /w',
      run: { title: 'Built-in baseline on tickets.csv' },
    })!;
    assert.deepEqual(run.task.env, { A: '1' });
    assert.equal(taskName(run), 'Built-in baseline on tickets.csv (20250101-120000-ab12)');
    assert.equal(parseStartRun({ runId: 'x', runDir: '/d', task: { command: 'c', args: [1], cwd: '/' } }), undefined);
  });
});

describe('launch choices', () => {
  it('baseline, generate, then scripts with training scripts first', () => {
    const items = launchItems(['/w/tools/util.py', '/w/train.py', '/w/a/finetune_train.py'], '/w');
    assert.deepEqual(
      items.map((i) => i.target),
      [{ kind: 'baseline' }, { kind: 'generate' }, { kind: 'script', path: '/w/a/finetune_train.py' }, { kind: 'script', path: '/w/train.py' }, { kind: 'script', path: '/w/tools/util.py' }],
    );
    assert.match(items[2]!.label, /a\/finetune_train\.py$/);
  });

  it('reads a generated script answer, and nothing that is not one', () => {
    assert.deepEqual(parseGeneratedScript({ path: '/w/train_tickets.py', text: 'import datasets\n', exists: false }), { path: '/w/train_tickets.py', text: 'import datasets\n', exists: false });
    assert.equal(parseGeneratedScript({ path: '/w/train_tickets.py', text: 'x', exists: true })?.exists, true);
    assert.equal(parseGeneratedScript({ path: '/w/train_tickets.py', text: '' }), undefined);
    assert.equal(parseGeneratedScript({ text: 'x' }), undefined);
    assert.equal(parseGeneratedScript(null), undefined);
  });
});

describe('runs', () => {
  it('lists newest first and skips what is not a run', () => {
    const runs = parseRunList({ runs: [{ id: '20250101-000000-aaaa', status: 'succeeded', title: 'A' }, { id: 'bad' }, { id: '20250102-000000-bbbb', status: 'running', title: 'B' }] });
    assert.deepEqual(runs.map((r) => r.id), ['20250102-000000-bbbb', '20250101-000000-aaaa']);
    assert.deepEqual(parseRunList(null), []);
  });

  it('rows show status, duration and age', () => {
    const now = new Date('2025-01-01T12:10:00Z');
    const row = runRow({ id: 'r', title: 'Baseline', status: 'failed', exitCode: 1, createdAt: '2025-01-01T12:00:00Z', startedAt: '2025-01-01T12:00:00Z', endedAt: '2025-01-01T12:00:05Z' }, now);
    assert.equal(row.description, 'failed (exit 1) in 5 s · 10 min ago');
    assert.equal(row.icon, 'error');
    assert.equal(runRow({ id: 'r', title: 'x', status: 'running' }, now).icon, 'sync~spin');
  });
});

describe('asksForDataSet', () => {
  it('is the sidecar saying it cannot tell which data set a script trains on, nothing else', () => {
    assert.equal(asksForDataSet({ code: -32602, message: 'which data set does train.py train on? It loads none ML Intern can read; pass --data PATH' }), true);
    assert.equal(asksForDataSet({ code: -32602, message: 'train.py: no such file' }), false);
    assert.equal(asksForDataSet({ code: -32603, message: 'which data set? internal' }), false);
    assert.equal(asksForDataSet(new Error('which data set')), false);
    assert.equal(asksForDataSet(undefined), false);
  });
});
