// Scenario agent-download: nothing downloads from the conversation without the human. The intern (the
// loopback LLM stand-in, its tool calls scripted) searches the Hub stand-in and asks to download
// acme/tickets: the approval card waits and no file has been fetched; Reject → the model hears it and
// asks again; Approve… opens the very modal "Find a Dataset…" shows, and Cancel there downloads nothing;
// Approve… + Download → the file and its provenance in data/hub/acme/tickets, the download card done,
// and the model was told where. The Hub and the LLM are the only stand-ins; the rest is real.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ChatRequest, FakeChatEndpoint, toolResults } from '../harness/fakeChat';
import { FakeHub, hubDatasetId, hubDatasetSha } from '../harness/fakeHub';
import { Scenario, ScenarioContext } from '../harness/scenario';
import { packagedExtensionSetup, removeWorkspace } from '../harness/setup';
import { notYet, waitFor } from '../harness/wait';
import { cards, internFrame, waitForCard } from './agent';

const search = 'search_datasets';
const download = 'download_dataset';
const prompt = 'find a support-ticket intent data set on the Hub and get it into this project';
const hub = new FakeHub();
let workspace = '';

const endpoint = new FakeChatEndpoint({
  script: (r: ChatRequest) => {
    const results = toolResults(r);
    if (!results.some((t) => t.name === search)) return { text: 'Searching the Hub for ticket data.', toolCalls: [{ name: search, arguments: { query: 'tickets' } }] };
    const downloads = results.filter((t) => t.name === download);
    if (downloads.length === 0) return { text: `${hubDatasetId} fits: two intents, 60 rows. Asking you before downloading it.`, toolCalls: [{ name: download, arguments: { id: hubDatasetId } }] };
    if (downloads.length === 1 && /rejected/.test(downloads[0]!.content)) return { text: 'Understood. It is 60 rows and has no license on its card; may I download it after all?', toolCalls: [{ name: download, arguments: { id: hubDatasetId } }] };
    return { text: 'The data set is in the project now.' };
  },
});

const folder = () => path.join(workspace, 'data', 'hub', 'acme', 'tickets');
const downloaded = () => fs.existsSync(folder()) && fs.readdirSync(folder()).some((f) => f.endsWith('.parquet'));

async function pendingDownload(ctx: ScenarioContext, approvals: number): Promise<void> {
  await waitFor(`download approval card ${approvals}, pending`, async () => {
    const frame = await internFrame(ctx).catch(() => undefined);
    if (!frame) return notYet('no Intern view');
    const seen = await cards(frame);
    const downloads = seen.approvals.filter((a) => a.kind === 'download');
    return downloads.length === approvals && downloads[approvals - 1]!.status === 'pending' ? true : notYet({ approvals: seen.approvals, text: seen.text.slice(-400) });
  }, { timeoutMs: 90_000, intervalMs: 300 });
  if (hub.fetchedFiles || downloaded()) throw new Error(`a file was fetched before the approval: ${hub.requests.join(', ')}`);
}

export const agentDownload: Scenario = {
  name: 'agent-download',
  title: 'the intern asks to download a Hub data set: Reject and Cancel fetch nothing; Approve… + Download in the editor\'s modal brings the file and its provenance',

  async setup() {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'mlintern-e2e-agent-download-'));
    fs.writeFileSync(path.join(workspace, 'train.py'), 'import datasets\n');
    await hub.start(path.join(workspace, '.hf-home-unused'));
    const url = await endpoint.start();
    return packagedExtensionSetup({ 'mlintern.assistant.endpoint': url, 'mlintern.assistant.model': 'tiny-agent', 'mlintern.assistant.timeoutSeconds': 60 });
  },

  async cleanup(passed) {
    await endpoint.stop();
    await hub.stop();
    removeWorkspace(workspace, passed);
  },

  async run(ctx) {
    const wb = ctx.workbench;
    await ctx.step('open the folder; the sidecar runs; the Intern view takes the prompt', async () => {
      await wb.openFolder(ctx.codeServer.folderUrl(workspace));
      await wb.waitForStatusBar('ML Intern: running', { timeoutMs: 60_000 });
      await wb.runCommand('ML Intern: Talk to the Intern');
      const frame = await internFrame(ctx, 30_000);
      await frame.locator('#prompt').fill(prompt);
      await frame.locator('#prompt').press('Enter');
    });

    await ctx.step('the search card, then the download approval card waits; no file fetched', async () => {
      await waitForCard(ctx, search);
      if (!hub.requests.includes('/api/datasets')) throw new Error(`the Hub stand-in was not searched: ${hub.requests.join(', ')}`);
      await pendingDownload(ctx, 1);
      const frame = await internFrame(ctx);
      const text = await frame.$eval('li[data-approval-kind="download"]', (e) => (e as HTMLElement).innerText);
      if (!text.includes(hubDatasetId) || !/license unknown/.test(text) || !/data[\\/]hub[\\/]acme[\\/]tickets/.test(text)) throw new Error(`the card:\n${text}`);
    });

    await ctx.step('Reject: the model hears "rejected", nothing is downloaded, and it asks again', async () => {
      const frame = await internFrame(ctx);
      await frame.locator('button[data-reject]').click();
      await pendingDownload(ctx, 2);
      const told = endpoint.requests.some((r) => toolResults(r).some((t) => t.name === download && /rejected/.test(t.content)));
      if (!told) throw new Error('the endpoint never got the rejection');
    });

    await ctx.step('Approve… opens the modal Find a Dataset… shows; Cancel downloads nothing and the card still waits', async () => {
      const frame = await internFrame(ctx);
      await frame.locator('button[data-approve]').click();
      const text = await wb.waitForDialog(/Download acme\/tickets\?/, { timeoutMs: 30_000 });
      if (!/train-00000-of-00001\.parquet/.test(text) || !/License: none on the card/.test(text)) throw new Error(`the dialog:\n${text}`);
      await wb.clickDialogButton('Cancel');
      await waitFor('the card still pending', async () => {
        const f = await internFrame(ctx).catch(() => undefined);
        const seen = f ? await cards(f) : undefined;
        return seen?.approvals.some((a) => a.kind === 'download' && a.status === 'pending') ? true : notYet(seen?.approvals);
      }, { timeoutMs: 10_000 });
      if (hub.fetchedFiles || downloaded()) throw new Error('a file was fetched after Cancel');
    });

    await ctx.step('Approve… again and Download: the file and its provenance in data/hub/acme/tickets, the card done', async () => {
      const frame = await internFrame(ctx);
      await frame.locator('button[data-approve]').click();
      await wb.waitForDialog(/Download acme\/tickets\?/, { timeoutMs: 30_000 });
      await wb.clickDialogButton('Download');
      await waitFor('the downloaded file and its provenance', () => (downloaded() && fs.existsSync(path.join(folder(), 'hub-provenance.json')) ? true : notYet(hub.requests.slice(-5))), { timeoutMs: 60_000 });
      const provenance = JSON.parse(fs.readFileSync(path.join(folder(), 'hub-provenance.json'), 'utf8')) as { id?: string; revision?: string };
      if (provenance.id !== hubDatasetId || provenance.revision !== hubDatasetSha) throw new Error(`provenance: ${JSON.stringify(provenance)}`);
      // Two download cards: the rejected call's, failed, and this one's, done.
      await waitFor('the download cards: failed, then done', async () => {
        const f = await internFrame(ctx).catch(() => undefined);
        const seen = f ? await cards(f) : undefined;
        const states = seen?.tools.filter((t) => t.tool === download).map((t) => t.state).join(',');
        return states === 'failed,ok' ? true : notYet(seen?.tools);
      }, { timeoutMs: 60_000 });
    });

    await ctx.step('the model was told where the data set is, and ends; one file was fetched, once', async () => {
      await waitFor('the tool result at the endpoint', () => {
        const result = endpoint.requests.flatMap((r) => toolResults(r)).find((t) => t.name === download && /^Downloaded/.test(t.content));
        return result && /data\/hub\/acme\/tickets/.test(result.content) ? true : notYet(endpoint.requests.length);
      }, { timeoutMs: 30_000 });
      await waitFor('the closing text', async () => {
        const f = await internFrame(ctx).catch(() => undefined);
        const seen = f ? await cards(f) : undefined;
        return seen?.text.includes('The data set is in the project now.') ? true : notYet(seen?.text.slice(-300));
      }, { timeoutMs: 30_000 });
      const fetched = hub.requests.filter((r) => r.startsWith('/files/'));
      if (fetched.length !== 1) throw new Error(`files fetched: ${fetched.join(', ')}`);
    });
  },
};
