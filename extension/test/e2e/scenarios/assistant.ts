// Scenario assistant: with an LLM configured (an OpenAI-compatible endpoint; here the loopback
// stand-in), "Ask for a Fix" on a selection with a question offers the assistant's change as a
// diff, applies it only on Apply, and sends the marked lines and the question — nothing secret.
import * as path from 'node:path';
import * as fs from 'node:fs';
import { FakeChatEndpoint, markedLines } from '../harness/fakeChat';
import { Scenario } from '../harness/scenario';
import { packagedExtensionSetup, removeWorkspace } from '../harness/setup';
import { makeSampleWorkspace } from '../harness/sidecar';
import { notYet, waitFor } from '../harness/wait';

let workspace = '';
const question = 'score the predicted classes with macro F1';
const before = 'f1_score(labels, logits)';
const after = 'f1_score(labels, logits.argmax(-1), average="macro")';
const secret = 'hf_e2eSecretTokenThatMustNeverLeave0123456789';

// The stand-in answers from what it is sent: the marked lines with the metric fixed.
const endpoint = new FakeChatEndpoint((user) => {
  const lines = markedLines(user);
  if (lines.length === 0) return 'I cannot see which lines to change.';
  return `Score the predicted classes, not the logits, with macro F1.\n\n\`\`\`python\n${lines.map((l) => l.replace(before, after)).join('\n')}\n\`\`\`\n`;
});

export const assistant: Scenario = {
  name: 'assistant',
  title: 'Ask for a Fix with a question: the LLM assistant\'s change is a diff applied only when accepted; what is sent is the marked lines, never a secret',

  async setup() {
    workspace = makeSampleWorkspace();
    // A token in the script: it must be redacted from what is sent.
    const script = path.join(workspace, 'train.py');
    fs.writeFileSync(script, fs.readFileSync(script, 'utf8').replace('CHECKPOINT = ', `HUB_TOKEN = "${secret}"\nCHECKPOINT = `));
    const url = await endpoint.start();
    return packagedExtensionSetup({ 'mlintern.assistant.endpoint': url, 'mlintern.assistant.model': 'tiny-coder', 'mlintern.assistant.timeoutSeconds': 30 });
  },

  async cleanup(passed) {
    await endpoint.stop();
    removeWorkspace(workspace, passed);
  },

  async run(ctx) {
    const wb = ctx.workbench;
    const page = ctx.page;
    const script = path.join(workspace, 'train.py');
    const line = fs.readFileSync(script, 'utf8').split('\n').findIndex((l) => l.includes(before)) + 1;
    if (line < 1) throw new Error(`the sample's train.py has no "${before}"`);

    await ctx.step('open the sample folder and train.py; the sidecar runs', async () => {
      await wb.openFolder(ctx.codeServer.folderUrl(workspace));
      await wb.openFile('train.py');
      await wb.waitForStatusBar('ML Intern: running', { timeoutMs: 60_000 });
    });

    await ctx.step(`select line ${line}, Ask for a Fix, and ask "${question}": the assistant's change opens as a diff`, async () => {
      await wb.goToLine(line, 1);
      await page.keyboard.press('Shift+ArrowDown');
      await wb.runCommand('ML Intern: Ask for a Fix');
      await wb.fillInputBox(/What should change in the selection/, question);
      await waitFor('the diff preview (picking the assistant\'s proposal if several are offered)', async () => {
        if (await wb.isDiffEditorOpen()) return true;
        return (await wb.pickIfOpen(/Assistant:/)) ? notYet('picked the assistant') : notYet('neither a diff nor a choice yet');
      }, { timeoutMs: 60_000, intervalMs: 300 });
      await wb.waitForDiffEditor('has the argmax', (t) => t.includes(after));
    });

    await ctx.step('the endpoint got the marked line and the question, with the token redacted', () => {
      const request = endpoint.requests.at(-1);
      if (!request) throw new Error('nothing reached the endpoint');
      const user = request.messages.at(-1)?.content ?? '';
      if (request.path !== '/v1/chat/completions' || request.model !== 'tiny-coder') throw new Error(`unexpected request ${request.path} ${request.model}`);
      if (!user.includes(`Lines to change: ${line}-${line}`) || !user.includes(`Request: ${question}`)) throw new Error(`the prompt lacks the lines or the question:\n${user}`);
      if (JSON.stringify(endpoint.requests).includes(secret)) throw new Error('the token in train.py was sent to the endpoint');
      if (!/HUB_TOKEN = "\[Hugging Face token: hf_\*+\]"/.test(user)) throw new Error(`the token line is not redacted:\n${user}`);
    });

    await ctx.step('"Apply this fix?" says an LLM proposed it; Apply changes the line, and only it', async () => {
      const text = await wb.waitForDialog(/Apply this fix\?/);
      if (!/LLM/.test(text)) throw new Error(`the dialog does not say an LLM proposed it: ${text}`);
      const original = fs.readFileSync(script, 'utf8');
      await wb.clickDialogButton('Apply');
      await waitFor('the diff editor to close', async () => !(await wb.isDiffEditorOpen()));
      await wb.waitForActiveEditor('train.py');
      await wb.waitForEditorText('the fixed metric', (t) => t.includes(after));
      await wb.save();
      const expected = original.replace(before, after);
      await waitFor('train.py on disk to be the original with only that line changed', () => {
        const now = fs.readFileSync(script, 'utf8');
        return now === expected ? true : notYet(now.split('\n').filter((l, i) => l !== expected.split('\n')[i]).slice(0, 3));
      }, { timeoutMs: 10_000 });
    });
  },
};
