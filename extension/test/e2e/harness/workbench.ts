// Steps a person takes in the VS Code workbench, driven through the page with
// playwright-core. Each step waits for the condition that shows it worked.
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { notYet, waitFor, WaitOptions } from './wait';

/** One row of the Problems panel, parsed from its accessible label and text. */
export interface Problem {
  readonly file: string;
  readonly severity: string;
  readonly code: string | undefined;
  readonly message: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly source: string | undefined;
  readonly label: string;
}

export interface ProblemQuery {
  readonly code?: string;
  /** The file's base name, e.g. `tickets.csv`. */
  readonly file?: string;
  /** 1-based, as VS Code shows it. */
  readonly line?: number;
}

const modifier = 'Control';

export class Workbench {
  constructor(readonly page: Page) {}

  /** Opens a folder and waits until the workbench and its explorer are shown. */
  async openFolder(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.waitForSelector('.monaco-workbench .part.statusbar', { timeout: 60_000 });
    await this.page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 30_000 });
  }

  /** Opens a workspace file by its path relative to the folder, through Quick Open. */
  async openFile(relativePath: string): Promise<void> {
    const base = path.posix.basename(relativePath);
    await this.page.keyboard.press(`${modifier}+P`);
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill(relativePath);
    const row = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ hasText: base }).first();
    await row.waitFor({ state: 'visible', timeout: 20_000 });
    await row.click();
    await this.waitForActiveEditor(base);
  }

  async waitForActiveEditor(fileName: string, options?: WaitOptions): Promise<void> {
    await waitFor(`the editor tab "${fileName}" to be active`, async () => {
      const active = await this.page.locator('.tabs-container .tab.active').first().getAttribute('aria-label').catch(() => null);
      return active?.includes(fileName) ? true : notYet(active);
    }, options);
    await this.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().waitFor({ state: 'visible' });
  }

  /** Runs a command from the palette by its title as shown there ("ML Intern: Restart Server"). */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    const rows = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    const row = await waitFor(`the command "${title}" in the palette`, async () => {
      const labels = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
      // Rows are labelled "<title>, <keybinding or category>…"; match the title exactly.
      const index = labels.findIndex((l) => l === title || l.startsWith(`${title},`));
      return index >= 0 ? rows.nth(index) : notYet(labels);
    }, { timeoutMs: 10_000 });
    await row.click();
    await input.waitFor({ state: 'hidden' });
  }

  /** The accessible label of the status bar item whose label starts with `prefix`. */
  async statusBarLabel(prefix: string): Promise<string | undefined> {
    const labels = await this.page.$$eval('.part.statusbar .statusbar-item', (els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    return labels.find((l) => l.startsWith(prefix));
  }

  async waitForStatusBar(label: string, options?: WaitOptions): Promise<void> {
    const prefix = label.split(':')[0]!;
    await waitFor(`the status bar to show "${label}"`, async () => {
      const current = await this.statusBarLabel(prefix);
      return current === label ? true : notYet(current);
    }, { timeoutMs: 30_000, ...options });
  }

  /** Shows the Problems panel (it keeps showing while the test runs). */
  async showProblems(): Promise<void> {
    if (!(await this.page.locator('.markers-panel').isVisible().catch(() => false))) {
      await this.runCommand('View: Focus Problems (Errors, Warnings, Infos)');
    }
    await this.page.locator('.markers-panel').first().waitFor({ state: 'visible' });
  }

  /** Every row of the Problems panel that is a problem (not a file header). */
  async problems(): Promise<Problem[]> {
    await this.showProblems();
    const rows = await this.page.$$eval('.markers-panel .monaco-list-row', (els) =>
      els.map((e) => ({ label: e.getAttribute('aria-label') ?? '', text: (e as HTMLElement).innerText })),
    );
    const result: Problem[] = [];
    let file = '';
    for (const row of rows) {
      const problem = parseProblemRow(row.label, row.text, file);
      if (problem === 'file') file = parseFileRow(row.label, row.text);
      else if (problem) result.push(problem);
    }
    return result;
  }

  async waitForProblem(query: ProblemQuery, options?: WaitOptions): Promise<Problem> {
    return waitFor(`a problem ${JSON.stringify(query)} in the Problems panel`, async () => {
      const all = await this.problems();
      return all.find((p) => matches(p, query)) ?? notYet(all.map((p) => p.label));
    }, { timeoutMs: 30_000, ...options });
  }

  async waitForNoProblem(query: ProblemQuery, options?: WaitOptions): Promise<void> {
    await waitFor(`no problem ${JSON.stringify(query)} in the Problems panel`, async () => {
      const all = await this.problems();
      const found = all.filter((p) => matches(p, query));
      return found.length === 0 ? true : notYet(found.map((p) => p.label));
    }, { timeoutMs: 30_000, ...options });
  }

  /**
   * Puts the cursor on the problem (by activating its row in the Problems panel), opens the
   * Quick Fix menu (Ctrl+.) and chooses the action titled `title`.
   */
  async applyQuickFix(problem: ProblemQuery, title: string): Promise<void> {
    await this.revealProblem(problem);
    await this.page.keyboard.press(`${modifier}+Period`);
    const item = this.page.locator('.action-widget .monaco-list-row').filter({ hasText: exactly(title) }).first();
    try {
      await item.waitFor({ state: 'visible', timeout: 15_000 });
    } catch (e) {
      const offered = await this.page.$$eval('.action-widget .monaco-list-row', (els) => els.map((x) => (x as HTMLElement).innerText));
      throw new Error(`The Quick Fix "${title}" was not offered (offered: ${JSON.stringify(offered)}): ${(e as Error).message}`);
    }
    await item.click();
    await item.waitFor({ state: 'hidden' });
  }

  /** Selects the problem in the Problems panel and opens it, which puts the editor's cursor on it. */
  async revealProblem(query: ProblemQuery): Promise<void> {
    const problem = await this.waitForProblem(query);
    const row = this.page.locator(`.markers-panel .monaco-list-row[aria-label="${cssEscape(problem.label)}"]`).first();
    // Click near the start of the row: its middle may hold the rule code's link.
    const box = await row.boundingBox();
    await row.click({ position: { x: 60, y: (box?.height ?? 20) / 2 } });
    await this.page.keyboard.press('Enter');
    await this.waitForActiveEditor(problem.file);
    await waitFor(`the editor to have focus on ${problem.file}:${problem.line}`, async () => {
      const focused = await this.page.evaluate(() => !!document.activeElement?.closest('.editor-group-container.active .monaco-editor'));
      const cursor = await this.page.locator('.part.statusbar .statusbar-item[id="status.editor.selection"]').getAttribute('aria-label').catch(() => null);
      return focused && cursor?.startsWith(`Ln ${problem.line},`) ? true : notYet({ focused, cursor });
    });
  }

  /** The text of the active editor's visible lines, spaces normalised. */
  async editorText(): Promise<string> {
    const lines = await this.page.$$eval('.editor-group-container.active .monaco-editor .view-lines .view-line', (els) =>
      els
        .map((e) => ({ top: parseFloat((e as HTMLElement).style.top || '0'), text: (e as HTMLElement).innerText }))
        .sort((a, b) => a.top - b.top)
        .map((l) => l.text),
    );
    return lines.join('\n').replace(/\u00a0/g, ' ');
  }

  async waitForEditorText(what: string, predicate: (text: string) => boolean, options?: WaitOptions): Promise<string> {
    return waitFor(`the editor text to ${what}`, async () => {
      const text = await this.editorText();
      return predicate(text) ? text : notYet(text);
    }, options);
  }

  /** The cursor position of the active editor, from the status bar ("Ln 5, Col 3"). */
  async cursor(): Promise<{ line: number; column: number } | undefined> {
    const label = await this.page.locator('.part.statusbar .statusbar-item[id="status.editor.selection"]').getAttribute('aria-label').catch(() => null);
    const m = /^Ln (\d+), Col (\d+)/.exec(label ?? '');
    return m ? { line: Number(m[1]), column: Number(m[2]) } : undefined;
  }

  /** Types `text` as a new last line of the active editor and returns that line's 1-based number. */
  async appendLine(text: string): Promise<number> {
    await this.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
    await this.page.keyboard.press(`${modifier}+End`);
    const end = await waitFor('the cursor to reach the end of the document', async () => {
      const c = await this.cursor();
      return c ?? notYet(c);
    });
    if (end.column !== 1) {
      await this.page.keyboard.press('End');
      await this.page.keyboard.press('Enter');
    }
    const line = end.column === 1 ? end.line : end.line + 1;
    await this.page.keyboard.type(text);
    // Close the completion list the typing may have opened.
    await this.page.keyboard.press('Escape');
    await waitFor(`the cursor to be at the end of "${text}" on line ${line}`, async () => {
      const c = await this.cursor();
      return c?.line === line && c.column === text.length + 1 ? true : notYet(c);
    });
    return line;
  }

  async save(): Promise<void> {
    await this.page.keyboard.press(`${modifier}+S`);
    await waitFor('the active editor to be saved', async () => {
      const dirty = await this.page.locator('.tabs-container .tab.active.dirty').count();
      return dirty === 0;
    });
  }

  /** Clicks the status bar item whose accessible label starts with `prefix`. */
  async clickStatusBar(prefix: string): Promise<void> {
    await this.page.locator(`.part.statusbar .statusbar-item[aria-label^="${cssEscape(prefix)}"] .statusbar-item-label`).first().click();
  }

  /** The visible text of the Output panel's editor (the selected channel). */
  async outputText(): Promise<string> {
    const lines = await this.page.$$eval('.part.panel .output-view .monaco-editor .view-lines .view-line', (els) =>
      els
        .map((e) => ({ top: parseFloat((e as HTMLElement).style.top || '0'), text: (e as HTMLElement).innerText }))
        .sort((a, b) => a.top - b.top)
        .map((l) => l.text),
    );
    return lines.join('\n').replace(/\u00a0/g, ' ');
  }

  async waitForOutput(what: string, predicate: (text: string) => boolean, options?: WaitOptions): Promise<string> {
    return waitFor(`the Output panel to ${what}`, async () => {
      const text = await this.outputText();
      return predicate(text) ? text : notYet(text.slice(-400));
    }, options);
  }

  /** The text of the first frame (webviews sit in nested iframes) that has `selector`. */
  async readWebview(selector: string, options?: WaitOptions): Promise<{ frame: Frame; text: string }> {
    return waitFor(`a webview with "${selector}"`, async () => {
      for (const frame of this.page.frames()) {
        const el = await frame.$(selector).catch(() => null);
        if (el) return { frame, text: await el.innerText() };
      }
      return undefined;
    }, options);
  }

  async screenshot(file: string): Promise<void> {
    await this.page.screenshot({ path: file });
  }
}

function matches(p: Problem, q: ProblemQuery): boolean {
  return (q.code === undefined || p.code === q.code) && (q.file === undefined || p.file === q.file) && (q.line === undefined || p.line === q.line);
}

/** A regex matching `text` exactly, case-sensitively (a plain-string `hasText` ignores case). */
function exactly(text: string): RegExp {
  return new RegExp(`(^|\\s)${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '[\\s\\u00a0]')}($|\\s)`);
}

function cssEscape(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/**
 * Problems-panel rows are file headers ("1 problems in file tickets.csv of folder data")
 * and problems, whose text reads "<message>\n<source>\n<code>\n[Ln 3, Col 1]".
 */
export function parseProblemRow(label: string, text: string, currentFile: string): Problem | 'file' | undefined {
  if (/ in file .+ of folder /.test(label) || / in file /.test(label)) return 'file';
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const position = /^\[Ln (\d+), Col (\d+)\]$/.exec(lines.at(-1) ?? '');
  if (!position) return undefined;
  const before = lines.slice(0, -1);
  const [source, code] = before.length >= 3 ? before.slice(-2) : [before[1], undefined];
  const message = before.length >= 3 ? before.slice(0, -2).join('\n') : (before[0] ?? '');
  return {
    file: currentFile,
    severity: /^(Error|Warning|Info)/.exec(label)?.[1] ?? '',
    code,
    source,
    message,
    line: Number(position[1]),
    column: Number(position[2]),
    label,
  };
}

function parseFileRow(label: string, text: string): string {
  return / in file (.+?)(?: of folder |$)/.exec(label)?.[1] ?? text.split('\n')[0]!.trim();
}
