// Scenarios agent and agent-guided: the Intern view on the sample project.
// - agent: with an LLM endpoint (the loopback stand-in, streaming, its tool calls scripted per
//   turn) the prompt typed in the view brings the inspect and check cards; the training approval
//   card's Approve… opens the very modal Launch Training shows, whose button alone approves; the
//   run runs as the editor's training task, the Runs view lists it and the Metrics panel draws it;
//   then the evaluation card. What reached the endpoint: the tool results, streamed, nothing secret.
// - agent-guided: with no endpoint the same view runs the fixed workflow; clicking its next-step
//   buttons reaches the same approval and the same run.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { ChatRequest, FakeChatEndpoint, toolResults } from '../harness/fakeChat';
import { Scenario, ScenarioContext } from '../harness/scenario';
import { packagedExtensionSetup, removeWorkspace } from '../harness/setup';
import { makeSampleWorkspace, sidecarJson } from '../harness/sidecar';
import * as os from 'node:os';
import { notYet, waitFor } from '../harness/wait';

/** The intern's tools the scripted model calls (the sidecar's names, Agent/AgentTools.cs). */
export const Tools = {
  inspect: 'inspect_dataset',
  check: 'check_script',
  plan: 'plan_training',
  launch: 'launch_training',
  evaluate: 'evaluate_run',
} as const;

const prompt = "a classifier for our support tickets in data/tickets.csv; don't spend money without asking";
const secret = 'hf_e2eSecretTokenThatMustNeverLeave0123456789';

interface RunJson {
  readonly status: string;
  readonly exitCode?: number;
  readonly approval?: { readonly via?: string };
}

function runFolders(workspace: string): string[] {
  const dir = path.join(workspace, '.mlintern', 'runs');
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((d) => fs.statSync(path.join(dir, d)).isDirectory()) : [];
}

function readRun(workspace: string, id: string): RunJson | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(workspace, '.mlintern', 'runs', id, 'run.json'), 'utf8')) as RunJson;
  } catch {
    return undefined;
  }
}

/** The Intern view's frame (found afresh each time: a view shown again is a new frame). */
export function internFrame(ctx: ScenarioContext, timeoutMs = 5_000): Promise<Frame> {
  return ctx.workbench.webviewFrame('#composer #prompt', { timeoutMs });
}

/** The cards the view shows: tool name and state of each tool card, and the approval cards' states. */
export async function cards(frame: Frame): Promise<{ tools: { tool: string; state: string }[]; approvals: { kind: string; status: string }[]; text: string }> {
  const tools = await frame.$$eval('li[data-kind="tool"]', (els) => els.map((e) => ({ tool: e.getAttribute('data-tool') ?? '', state: e.getAttribute('data-state') ?? '' })));
  const approvals = await frame.$$eval('li[data-kind="approval"]', (els) => els.map((e) => ({ kind: e.getAttribute('data-approval-kind') ?? '', status: e.getAttribute('data-status') ?? '' })));
  const text = await frame.$eval('#root', (e) => (e as HTMLElement).innerText).catch(() => '');
  return { tools, approvals, text };
}

export async function waitForCard(ctx: ScenarioContext, tool: string, timeoutMs = 60_000): Promise<void> {
  await waitFor(`a finished "${tool}" card`, async () => {
    const frame = await internFrame(ctx).catch(() => undefined);
    if (!frame) return notYet('no Intern view');
    const seen = await cards(frame);
    const card = seen.tools.find((t) => t.tool === tool);
    return card?.state === 'ok' ? true : notYet({ tools: seen.tools, text: seen.text.slice(-400) });
  }, { timeoutMs, intervalMs: 300 });
}

async function openIntern(ctx: ScenarioContext, workspace: string): Promise<void> {
  const wb = ctx.workbench;
  await ctx.step('open the sample folder; the sidecar runs', async () => {
    await wb.openFolder(ctx.codeServer.folderUrl(workspace));
    await wb.waitForStatusBar('ML Intern: running', { timeoutMs: 60_000 });
  });
  await ctx.step('"ML Intern: Talk to the Intern" opens the Intern view with its message box', async () => {
    await wb.runCommand('ML Intern: Talk to the Intern');
    await internFrame(ctx, 30_000);
  });
  await ctx.step(`type the project prompt and send it: the conversation shows it`, async () => {
    const frame = await internFrame(ctx);
    await frame.locator('#prompt').fill(prompt);
    await frame.locator('#prompt').press('Enter');
    await waitFor('the prompt in the conversation', async () => {
      const f = await internFrame(ctx).catch(() => undefined);
      const text = f ? await f.$eval('#root', (e) => (e as HTMLElement).innerText).catch(() => '') : '';
      return text.includes(prompt) ? true : notYet(text.slice(-300));
    }, { timeoutMs: 30_000 });
  });
}

/** The approval card's Approve… → the palette's modal → its button; then the run, as the editor's training task. */
async function approveTraining(ctx: ScenarioContext, workspace: string): Promise<string> {
  const wb = ctx.workbench;
  await ctx.step('the training approval card waits with Approve… and Reject; nothing has run', async () => {
    await waitFor('a pending training approval card', async () => {
      const frame = await internFrame(ctx).catch(() => undefined);
      if (!frame) return notYet('no Intern view');
      const seen = await cards(frame);
      return seen.approvals.some((a) => a.kind === 'training' && a.status === 'pending') ? true : notYet({ approvals: seen.approvals, text: seen.text.slice(-400) });
    }, { timeoutMs: 90_000, intervalMs: 300 });
    const folders = runFolders(workspace);
    if (folders.length > 0) throw new Error(`a run folder exists before the approval: ${folders.join(', ')}`);
  });

  await ctx.step('Approve… opens the modal Launch Training shows; Cancel approves nothing and the card still waits', async () => {
    const frame = await internFrame(ctx);
    await frame.locator('button[data-approve]').click();
    const text = await wb.waitForDialog(/Run .*Built-in baseline/, { timeoutMs: 30_000 });
    for (const figure of ['Steps:', 'Time:', 'Cost:', 'Budget:']) if (!text.includes(figure)) throw new Error(`the dialog lacks "${figure}":\n${text}`);
    await wb.clickDialogButton('Cancel');
    await waitFor('the card still pending', async () => {
      const f = await internFrame(ctx).catch(() => undefined);
      const seen = f ? await cards(f) : undefined;
      return seen?.approvals.some((a) => a.status === 'pending') ? true : notYet(seen?.approvals);
    }, { timeoutMs: 10_000 });
    if (runFolders(workspace).length > 0) throw new Error('a run folder exists after Cancel');
  });

  const runId = await ctx.step('Approve… again and "Approve and Run": a run folder, the baseline in the terminal', async () => {
    const frame = await internFrame(ctx);
    await frame.locator('button[data-approve]').click();
    await wb.waitForDialog(/Run .*Built-in baseline/, { timeoutMs: 30_000 });
    await wb.clickDialogButton('Approve and Run');
    const id = await waitFor('one run folder', () => {
      const f = runFolders(workspace);
      return f.length === 1 ? f[0]! : notYet(f);
    }, { timeoutMs: 60_000 });
    await waitFor("the baseline's output in the integrated terminal", async () => {
      const text = (await ctx.page.locator('.xterm-rows').allInnerTexts().catch(() => [] as string[])).join('\n').replace(/\u00a0/g, ' ');
      return /training the baseline on|epoch \d+: loss/.test(text) ? true : notYet(text.slice(-300));
    }, { timeoutMs: 60_000 });
    ctx.note(`run ${id}`);
    return id;
  });

  await ctx.step("the run succeeds, recorded with the editor's approval", async () => {
    const run = await waitFor('run.json to say succeeded', () => {
      const r = readRun(workspace, runId);
      return r?.status === 'succeeded' ? r : notYet(r);
    }, { timeoutMs: 120_000 });
    if (run.exitCode !== 0 || run.approval?.via !== 'editor dialog') throw new Error(`run.json: ${JSON.stringify(run)}`);
  });

  await ctx.step('the Metrics panel draws the run, and the Runs view lists it as succeeded', async () => {
    await waitFor('a loss curve in the Metrics panel', async () => {
      const frame = await wb.webviewFrame(`header[data-run-id="${runId}"]`, { timeoutMs: 5_000 }).catch(() => undefined);
      if (!frame) return notYet('no Metrics panel on the run');
      const n = await frame.$$eval('svg.metric-chart[data-metric="loss"] circle.pt', (els) => els.length).catch(() => 0);
      return n > 0 ? true : notYet(n);
    }, { timeoutMs: 60_000 });
    await wb.openViewContainer('ML Intern');
    await waitFor('the run in the Runs view', async () => {
      const labels = await ctx.page.locator('.part.sidebar .monaco-list-row').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? e.textContent ?? ''));
      const row = labels.find((l) => /Built-in baseline/.test(l));
      return row && /succeeded/.test(row) ? true : notYet(labels);
    }, { timeoutMs: 30_000 });
  });
  return runId;
}

// The LLM's side, scripted by what the conversation carries so far.
const endpoint = new FakeChatEndpoint({
  script: (r: ChatRequest) => {
    const results = toolResults(r);
    const done = results.map((t) => t.name);
    const content = (tool: string) => results.find((t) => t.name === tool)?.content ?? '';
    if (!done.includes(Tools.inspect)) {
      return {
        text: 'I will look at the data set and the training script first.',
        toolCalls: [
          { name: Tools.inspect, arguments: { path: 'data/tickets.csv' } },
          { name: Tools.check, arguments: { path: 'train.py' } },
        ],
      };
    }
    if (!done.includes(Tools.plan)) return { text: 'Before any fine-tune, the built-in baseline: it is free and takes seconds.', toolCalls: [{ name: Tools.plan, arguments: { data: 'data/tickets.csv' } }] };
    const launches = results.filter((t) => t.name === Tools.launch);
    const planId = /plan-[0-9a-f]{12}/.exec(content(Tools.plan))?.[0] ?? 'no-plan-id-in-the-result';
    if (launches.length === 0) return { text: 'The plan is cheap; asking you before it runs.', toolCalls: [{ name: Tools.launch, arguments: { planId } }] };
    // Rejected once (the scenario's first answer): the model asks again, once.
    if (launches.length === 1 && /rejected/.test(launches[0]!.content)) return { text: 'Understood. It costs nothing and takes seconds; may I run it after all?', toolCalls: [{ name: Tools.launch, arguments: { planId } }] };
    if (!done.includes(Tools.evaluate)) {
      const runId = /\d{8}-\d{6}-[0-9a-f]{4}(?![0-9a-z-])/.exec(content(Tools.launch))?.[0] ?? runFolders(llmWorkspace)[0] ?? 'no-run';
      return { text: 'The run ended; evaluating it.', toolCalls: [{ name: Tools.evaluate, arguments: { runId } }] };
    }
    return { text: 'The baseline is trained and evaluated. The score is suspiciously high: the audit says why.' };
  },
});

let llmWorkspace = '';

export const agent: Scenario = {
  name: 'agent',
  title: 'the Intern view with an LLM: inspect and check cards, the training approved in the modal, the run in the Runs view and Metrics, the evaluation card',

  async setup() {
    llmWorkspace = makeSampleWorkspace();
    const script = path.join(llmWorkspace, 'train.py');
    fs.writeFileSync(script, fs.readFileSync(script, 'utf8').replace('CHECKPOINT = ', `HUB_TOKEN = "${secret}"\nCHECKPOINT = `));
    const url = await endpoint.start();
    return packagedExtensionSetup({ 'mlintern.assistant.endpoint': url, 'mlintern.assistant.model': 'tiny-agent', 'mlintern.assistant.timeoutSeconds': 60, 'markdown.preview.openMarkdownLinks': 'inPreview' });
  },

  async cleanup(passed) {
    await endpoint.stop();
    removeWorkspace(llmWorkspace, passed);
  },

  async run(ctx) {
    await openIntern(ctx, llmWorkspace);
    await ctx.step('the streamed text and the inspect and check cards, each with its result', async () => {
      await waitForCard(ctx, Tools.inspect);
      await waitForCard(ctx, Tools.check);
      const text = (await cards(await internFrame(ctx))).text;
      if (!text.includes('I will look at the data set and the training script first.')) throw new Error(`the streamed text is not shown whole:\n${text.slice(0, 600)}`);
    });
    await ctx.step('Reject on the training approval: the model hears "rejected", nothing runs, and it asks again', async () => {
      await waitFor('a pending training approval card', async () => {
        const frame = await internFrame(ctx).catch(() => undefined);
        const seen = frame ? await cards(frame) : undefined;
        return seen?.approvals.some((a) => a.status === 'pending') ? true : notYet(seen?.approvals);
      }, { timeoutMs: 90_000, intervalMs: 300 });
      await (await internFrame(ctx)).locator('button[data-reject]').click();
      await waitFor('the rejected launch card and a second approval', async () => {
        const frame = await internFrame(ctx).catch(() => undefined);
        const seen = frame ? await cards(frame) : undefined;
        if (!seen) return notYet('no Intern view');
        const launches = seen.tools.filter((t) => t.tool === Tools.launch);
        return launches[0]?.state === 'failed' && seen.approvals.length === 2 && seen.approvals[0]!.status === 'answered' && seen.approvals[1]!.status === 'pending' ? true : notYet(seen);
      }, { timeoutMs: 60_000, intervalMs: 300 });
      if (runFolders(llmWorkspace).length > 0) throw new Error(`a run folder exists after the rejection: ${runFolders(llmWorkspace).join(', ')}`);
      const told = endpoint.requests.some((r) => toolResults(r).some((t) => t.name === Tools.launch && /rejected/.test(t.content)));
      if (!told) throw new Error('the model was not told the step was rejected');
    });
    await approveTraining(ctx, llmWorkspace);
    await ctx.step('the evaluation card', async () => {
      await waitForCard(ctx, Tools.evaluate, 120_000);
    });
    await ctx.step('the endpoint was streamed to, got the tool results, and never the token in train.py', () => {
      if (endpoint.requests.length < 3) throw new Error(`only ${endpoint.requests.length} requests reached the endpoint`);
      if (!endpoint.requests.every((r) => r.path === '/v1/chat/completions' && r.model === 'tiny-agent')) throw new Error(`unexpected requests: ${endpoint.requests.map((r) => `${r.path} ${r.model}`).join(', ')}`);
      if (!endpoint.requests.some((r) => r.stream)) throw new Error('no request asked for a stream');
      const offered = endpoint.requests[0]!.tools;
      for (const t of Object.values(Tools)) if (!offered.includes(t)) throw new Error(`the tool ${t} was not offered: ${offered.join(', ')}`);
      const last = endpoint.requests.at(-1)!;
      ctx.note(`${endpoint.requests.length} requests; tool results ${toolResults(last).map((t) => t.name).join(', ')}`);
      if (JSON.stringify(endpoint.requests).includes(secret)) throw new Error('the token in train.py was sent to the endpoint');
    });
  },
};

let guidedWorkspace = '';

export const agentGuided: Scenario = {
  name: 'agent-guided',
  title: 'the Intern view with no endpoint: the guided workflow\'s next-step buttons reach the same approval and the same run',

  setup() {
    guidedWorkspace = makeSampleWorkspace();
    return packagedExtensionSetup({ 'markdown.preview.openMarkdownLinks': 'inPreview' });
  },

  cleanup(passed) {
    removeWorkspace(guidedWorkspace, passed);
  },

  async run(ctx) {
    await openIntern(ctx, guidedWorkspace);
    await ctx.step('guided mode: the view says so and offers next steps; clicking them reaches the training approval', async () => {
      const clicked: string[] = [];
      await waitFor('a pending training approval, clicking the offered next steps', async () => {
        const frame = await internFrame(ctx).catch(() => undefined);
        if (!frame) return notYet('no Intern view');
        const mode = await frame.$eval('header', (e) => e.getAttribute('data-mode')).catch(() => null);
        if (mode !== 'guided') return notYet(`mode ${mode}`);
        const seen = await cards(frame);
        if (seen.approvals.some((a) => a.kind === 'training' && a.status === 'pending')) return true;
        const step = frame.locator('li.steps[data-active] button.step:not([disabled])').first();
        if (await step.count()) {
          const title = (await step.innerText()).trim();
          const offeredAt = await frame.$eval('li.steps[data-active]', (e) => e.getAttribute('data-seq')).catch(() => null);
          clicked.push(title);
          await step.click();
          // One click per offer: wait until the offer is gone (the step runs, new events follow).
          await waitFor(`the step "${title}" taken`, async () => {
            const f = await internFrame(ctx).catch(() => undefined);
            const now = f ? await f.$eval('li.steps[data-active]', (e) => e.getAttribute('data-seq')).catch(() => null) : null;
            return now !== offeredAt ? true : notYet(`still offered at ${offeredAt}`);
          }, { timeoutMs: 60_000, intervalMs: 300 });
          return notYet(`clicked "${title}"`);
        }
        return notYet({ tools: seen.tools, text: seen.text.slice(-300) });
      }, { timeoutMs: 120_000, intervalMs: 500 });
      ctx.note(`steps clicked: ${clicked.join(' → ')}`);
    });
    await ctx.step('the proposed fix\'s diff link: a diff of train.py; Cancel changes nothing; Apply makes it what `check --fix --unsafe-fixes` writes', async () => {
      const script = path.join(guidedWorkspace, 'train.py');
      const original = fs.readFileSync(script, 'utf8');
      const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'mlintern-e2e-agentfix-'));
      let expected: string;
      try {
        fs.cpSync(guidedWorkspace, copy, { recursive: true });
        sidecarJson(['check', 'train.py', '--fix', '--unsafe-fixes', '--format', 'json'], copy);
        expected = fs.readFileSync(path.join(copy, 'train.py'), 'utf8');
      } finally {
        fs.rmSync(copy, { recursive: true, force: true });
      }
      if (expected === original) throw new Error('the sample train.py has no fix to propose');
      const openDiff = async () => {
        await (await internFrame(ctx)).locator('li[data-tool="propose_fix"] button.link-diff').first().click();
        await ctx.workbench.waitForDiffEditor('shows the change', (t) => t.trim().length > 0, { timeoutMs: 30_000 });
        await ctx.workbench.waitForDialog(/Apply this change\?/, { timeoutMs: 30_000 });
      };
      await openDiff();
      await ctx.workbench.clickDialogButton('Cancel');
      await waitFor('the diff editor to close', async () => !(await ctx.workbench.isDiffEditorOpen()), { timeoutMs: 10_000 });
      if (fs.readFileSync(script, 'utf8') !== original) throw new Error('Cancel changed train.py');
      await openDiff();
      await ctx.workbench.clickDialogButton('Apply');
      await waitFor('the diff editor to close', async () => !(await ctx.workbench.isDiffEditorOpen()), { timeoutMs: 10_000 });
      await ctx.workbench.openFile('train.py');
      await ctx.workbench.save();
      await waitFor('train.py on disk to be what check --fix --unsafe-fixes writes', () => {
        const now = fs.readFileSync(script, 'utf8');
        return now === expected ? true : notYet(now.split('\n').filter((l, i) => l !== expected.split('\n')[i]).slice(0, 3));
      }, { timeoutMs: 10_000 });
    });
    await approveTraining(ctx, guidedWorkspace);
    await ctx.step('after the run the next step is the evaluation; Reload Window brings the conversation back from .mlintern/sessions', async () => {
      await waitFor('"Evaluate the run" offered', async () => {
        const frame = await internFrame(ctx).catch(() => undefined);
        const step = frame ? await frame.$eval('li.steps[data-active] button.step', (e) => (e as HTMLElement).innerText).catch(() => '') : '';
        return /Evaluate/.test(step) ? true : notYet(step);
      }, { timeoutMs: 60_000 });
      const sessions = fs.readdirSync(path.join(guidedWorkspace, '.mlintern', 'sessions')).filter((f) => f.endsWith('.jsonl'));
      if (sessions.length !== 1) throw new Error(`expected one session file, found ${sessions.join(', ')}`);
      await ctx.workbench.reloadWindow();
      await ctx.workbench.waitForStatusBar('ML Intern: running', { timeoutMs: 90_000 });
      // The side bar comes back as it was, the Intern view in it; the command only if it did not.
      if (!(await internFrame(ctx, 30_000).catch(() => undefined))) await ctx.workbench.runCommand('ML Intern: Talk to the Intern');
      await waitFor('the resumed conversation: the prompt, the cards, the answered approval and the offered step', async () => {
        const frame = await internFrame(ctx).catch(() => undefined);
        if (!frame) return notYet('no Intern view');
        const seen = await cards(frame);
        const step = await frame.$eval('li.steps[data-active] button.step', (e) => (e as HTMLElement).innerText).catch(() => '');
        const ok = seen.text.includes(prompt) && seen.tools.some((t) => t.tool === 'launch_training' && t.state === 'ok') && seen.approvals.every((a) => a.status === 'answered') && /Evaluate/.test(step);
        return ok ? true : notYet({ tools: seen.tools, approvals: seen.approvals, step });
      }, { timeoutMs: 60_000, intervalMs: 500 });
    });
    await ctx.step('the offered "Evaluate the run" after the reload: the evaluation card', async () => {
      await (await internFrame(ctx)).locator('li.steps[data-active] button.step').first().click();
      await waitForCard(ctx, 'evaluate_run', 90_000);
    });
  },
};
