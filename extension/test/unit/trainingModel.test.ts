import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Methods } from '../../src/protocol';
import { approveRunParams, launchItems, runRow, targetItems, taskName } from '../../src/trainingModel';
import { sample } from './samples';

describe('the approval dialog the sidecar decided', () => {
  it('within budget: the plain approving button approves, with no override', () => {
    const plan = sample(Methods.planTraining);
    assert.equal(plan.approvalPrompt.kind, 'info');
    assert.deepEqual(approveRunParams('/w', plan, plan.approvalPrompt.action), {
      workspaceFolder: '/w',
      planId: plan.planId,
      figures: plan.figures,
      acceptOverBudget: false,
      acceptUnknownEstimate: false,
    });
  });

  it('over budget: only the override button approves, and it says so to approveRun', () => {
    const plan = sample(Methods.planTraining, 'overBudget');
    assert.equal(plan.overBudget, true);
    const approval = approveRunParams('/w', plan, plan.approvalPrompt.action)!;
    assert.equal(approval.acceptOverBudget, true);
    assert.equal(approveRunParams('/w', plan, sample(Methods.planTraining).approvalPrompt.action), undefined, 'the plain approval is not the override');
  });

  it('Cancel (or closing the dialog) approves nothing', () => {
    assert.equal(approveRunParams('/w', sample(Methods.planTraining), undefined), undefined);
  });
});

describe('startRun', () => {
  it('names the task after the run', () => {
    const started = sample(Methods.startRun);
    assert.equal(taskName(started), `${started.run.title} (${started.runId})`);
    assert.ok(started.task.args.includes(started.runId));
  });
});

describe('launch choices', () => {
  it('the two built-in baselines, generate, then scripts with training scripts first', () => {
    const items = launchItems(['/w/tools/util.py', '/w/train.py', '/w/a/finetune_train.py'], '/w');
    assert.deepEqual(
      items.map((i) => i.target),
      [{ kind: 'baseline' }, { kind: 'baseline', baseline: 'encoder' }, { kind: 'generate' }, { kind: 'script', path: '/w/a/finetune_train.py' }, { kind: 'script', path: '/w/train.py' }, { kind: 'script', path: '/w/tools/util.py' }],
    );
    assert.match(items[1]!.label, /Built-in encoder/);
    assert.match(items[3]!.label, /a\/finetune_train\.py$/);
  });
});

describe('runs', () => {
  it('a listed run shows its status, duration and age', () => {
    const run = sample(Methods.listRuns).runs[0]!;
    const now = new Date(Date.parse(run.createdAt) + 10 * 60_000);
    const row = runRow(run, now);
    assert.equal(row.label, run.title);
    assert.match(row.description, new RegExp(`^${run.status} in .* · 10 min ago$`));
    assert.equal(row.icon, 'pass');
  });

  it('a failed run shows its exit code; a running one spins', () => {
    const run = sample(Methods.runExited);
    const now = new Date('2025-01-01T12:10:00Z');
    const failed = { ...run, status: 'failed', exitCode: 1, createdAt: '2025-01-01T12:00:00Z', startedAt: '2025-01-01T12:00:00Z', endedAt: '2025-01-01T12:00:05Z' };
    assert.equal(runRow(failed, now).description, 'failed (exit 1) in 5 s · 10 min ago');
    assert.equal(runRow(failed, now).icon, 'error');
    assert.equal(runRow({ ...run, status: 'running', final: false }, now).icon, 'sync~spin');
  });

  it('a Slurm run shows its job and the state Slurm reported, and why it failed', () => {
    const run = sample(Methods.runExited);
    const now = new Date('2025-01-01T12:10:00Z');
    const timedOut = { ...run, status: 'failed', exitCode: 1, createdAt: '2025-01-01T12:00:00Z', startedAt: '2025-01-01T12:00:00Z', endedAt: '2025-01-01T12:01:30Z', error: 'Slurm job 7 reached its time limit', remote: { target: 'slurm', jobId: '7', state: 'TIMEOUT' } };
    const row = runRow(timedOut, now);
    assert.equal(row.description, 'failed (exit 1) in 1 min 30 s · slurm job 7 TIMEOUT · 10 min ago');
    assert.match(row.tooltip, /reached its time limit/);
  });
});

describe('where it runs', () => {
  it('this machine first, then each configured target the sidecar listed, by name', () => {
    const plan = sample(Methods.planTraining);
    const withTargets = {
      ...plan,
      targets: [
        { name: 'cluster', kind: 'slurm', description: 'Slurm partition debug, 0 GPU(s)' },
        { name: 'hf', kind: 'hf-jobs', description: 'HF Jobs flavor t4-small, timeout 60 min' },
      ],
    };
    const items = targetItems(withTargets);
    assert.deepEqual(items.map((i) => i.target), [undefined, 'cluster', 'hf']);
    assert.match(items[0]!.label, /This machine/);
    assert.equal(items[1]!.description, 'Slurm');
    assert.equal(items[2]!.description, 'Hugging Face Jobs');
    assert.equal(items[2]!.detail, 'HF Jobs flavor t4-small, timeout 60 min');
    assert.deepEqual(targetItems({ ...plan, targets: [] }).map((i) => i.target), [undefined]);
  });
});
