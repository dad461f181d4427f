// Scenario dataset-view: opening the sample's tickets.csv and the ML Intern side bar shows the
// Dataset view with one bar per class and the finding count `mlintern inspect` reports;
// clicking an example opens the file at its line; a change on disk refreshes the view.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { Scenario } from '../harness/scenario';
import { packagedExtensionSetup, removeWorkspace } from '../harness/setup';
import { makeSampleWorkspace, sidecarJson } from '../harness/sidecar';
import { notYet, waitFor } from '../harness/wait';

interface InspectJson {
  readonly labels?: { readonly counts: readonly unknown[] } | null;
  readonly checks: readonly { readonly count: number }[];
}

let workspace = '';
const chart = 'svg.class-chart';

async function bars(frame: Frame): Promise<number> {
  return frame.$$eval(`${chart} rect.bar`, (els) => els.length);
}

async function findingCount(frame: Frame): Promise<number | undefined> {
  const value = await frame.$eval('[data-finding-count]', (e) => e.getAttribute('data-finding-count')).catch(() => null);
  return value === null ? undefined : Number(value);
}

export const datasetView: Scenario = {
  name: 'dataset-view',
  title: 'the Dataset view shows the class chart and the findings of tickets.csv',

  setup() {
    workspace = makeSampleWorkspace();
    return packagedExtensionSetup();
  },

  cleanup(passed) {
    removeWorkspace(workspace, passed);
  },

  async run(ctx) {
    const wb = ctx.workbench;
    const csv = path.join(workspace, 'data', 'tickets.csv');
    const expected = await ctx.step('mlintern inspect says how many classes and findings', () => {
      const profile = sidecarJson<InspectJson>(['inspect', csv, '--format', 'json'], workspace);
      const classes = profile.labels?.counts.length ?? 0;
      const findings = profile.checks.filter((c) => c.count > 0).length;
      if (classes < 2) throw new Error(`the sample should have a label column with classes; inspect found ${classes}`);
      ctx.note(`${classes} classes, ${findings} findings`);
      return { classes, findings };
    });

    await ctx.step('open the sample folder and data/tickets.csv', async () => {
      await wb.openFolder(ctx.codeServer.folderUrl(workspace));
      await wb.openFile('data/tickets.csv');
      await wb.waitForStatusBar('ML Intern: running', { timeoutMs: 60_000 });
    });

    // The view re-renders (a new frame) on every refresh: find its frame afresh each time.
    await ctx.step('open the ML Intern side bar: the Dataset view shows the profile', async () => {
      await wb.openViewContainer('ML Intern');
      await wb.webviewFrame(chart, { timeoutMs: 45_000 });
    });
    await ctx.step(`the class chart has ${expected.classes} bars and the view ${expected.findings} findings`, async () => {
      await waitFor(`${expected.classes} bars and ${expected.findings} findings`, async () => {
        const frame = await wb.webviewFrame(chart);
        const seen = { bars: await bars(frame), findings: await findingCount(frame) };
        return seen.bars === expected.classes && seen.findings === expected.findings ? true : notYet(seen);
      });
    });

    await ctx.step('click an example: tickets.csv opens at its line', async () => {
      const example = (await wb.webviewFrame('button.example')).locator('button.example').first();
      const line = Number(await example.getAttribute('data-open-line'));
      // Move the cursor away first, so arriving at the line proves the click worked.
      await wb.goToLine(line === 1 ? 2 : 1);
      await example.click();
      await wb.waitForActiveEditor('tickets.csv');
      await waitFor(`the cursor on line ${line}`, async () => {
        const c = await wb.cursor();
        return c?.line === line ? true : notYet(c);
      });
    });

    await ctx.step('a new class written to disk shows as one more bar', async () => {
      const text = fs.readFileSync(csv, 'utf8');
      const rows = Array.from({ length: 3 }, (_, i) => `a brand new kind of request number ${i},ORDER,e2e_new_intent`).join('\n');
      fs.appendFileSync(csv, `${text.endsWith('\n') ? '' : '\n'}${rows}\n`);
      await waitFor(`${expected.classes + 1} bars`, async () => {
        const f = await wb.webviewFrame(chart);
        const n = await bars(f);
        return n === expected.classes + 1 ? true : notYet(n);
      }, { timeoutMs: 30_000 });
    });
  },
};
