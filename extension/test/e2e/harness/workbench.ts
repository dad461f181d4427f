// Steps a person takes in the VS Code workbench, driven through the page with
// playwright-core. Each step waits for the condition that shows it worked.
import * as path from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import { parseActiveCell } from './notebookJson';
import { matches, parseFileRow, parseProblemRow, Problem, ProblemQuery } from './problems';
import { notYet, waitFor, WaitOptions } from './wait';

export type { Problem, ProblemQuery } from './problems';

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
    await this.quickOpen(relativePath);
    await this.waitForActiveEditor(path.posix.basename(relativePath));
  }

  /** Opens a notebook (.ipynb) in the notebook editor through Quick Open; waits for its cells. */
  async openNotebook(relativePath: string): Promise<void> {
    await this.quickOpen(relativePath);
    await this.waitForNotebookEditor(path.posix.basename(relativePath));
  }

  private async quickOpen(relativePath: string): Promise<void> {
    const base = path.posix.basename(relativePath);
    await this.page.keyboard.press(`${modifier}+P`);
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill(relativePath);
    const row = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ hasText: base }).first();
    await row.waitFor({ state: 'visible', timeout: 20_000 });
    await row.click();
  }

  async waitForActiveEditor(fileName: string, options?: WaitOptions): Promise<void> {
    await waitFor(`the editor tab "${fileName}" to be active`, async () => {
      const active = await this.page.locator('.tabs-container .tab.active').first().getAttribute('aria-label').catch(() => null);
      return active?.includes(fileName) ? true : notYet(active);
    }, options);
    await this.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().waitFor({ state: 'visible' });
  }

  /**
   * Waits until the active tab is `fileName` shown in the notebook editor: its cells are drawn
   * in an overlay outside the editor group (not as the JSON text of the file).
   */
  async waitForNotebookEditor(fileName: string, options?: WaitOptions): Promise<void> {
    await waitFor(`the notebook editor "${fileName}" to be active with its cells`, async () => {
      const active = await this.page.locator('.tabs-container .tab.active').first().getAttribute('aria-label').catch(() => null);
      if (!active?.includes(fileName)) return notYet(`active tab: ${active}`);
      const cells = await this.notebookCellRows().count();
      return cells > 0 ? true : notYet(`active tab ${active}, no notebook cells drawn`);
    }, { timeoutMs: 30_000, ...options });
  }

  /** The drawn cell rows of the visible notebook editor (a virtual list: rows out of view are absent). */
  private notebookCellRows() {
    return this.page.locator('.notebookOverlay:visible .cell-list-container .monaco-list-row');
  }

  /** The visible notebook's cell `index` (1-based, counting every cell as nbformat and `mlintern check` do), when drawn. */
  notebookCell(index: number) {
    return this.page.locator(`.notebookOverlay:visible .cell-list-container .monaco-list-row[data-index="${index - 1}"]`);
  }

  /** The notebook's active cell and cell count, from its status bar item ("Cell 4 of 5"). */
  async activeNotebookCell(): Promise<{ index: number; count: number } | undefined> {
    const label = await labelNow(this.page.locator('.part.statusbar .statusbar-item[id="notebook.activeCellStatus"]'));
    return parseActiveCell(label);
  }

  /** Whether keyboard focus is in the editor of cell `index` (1-based) of the visible notebook. */
  async isFocusInNotebookCellEditor(index: number): Promise<boolean> {
    return this.page.evaluate((dataIndex) => {
      const a = document.activeElement;
      const row = a?.closest('.notebookOverlay .cell-list-container .monaco-list-row');
      return !!row && row.getAttribute('data-index') === String(dataIndex) && !!a?.closest('.cell-editor-container');
    }, index - 1);
  }

  /**
   * Puts the keyboard focus in the editor of cell `index` (1-based) of the visible notebook, as a
   * person does with the keyboard: a click in a drawn code cell, Escape to command mode, Up/Down
   * until the status bar says "Cell <index> of N" (the list scrolls the cell into view), Enter.
   */
  async focusNotebookCell(index: number): Promise<void> {
    const inNotebook = () => this.page.evaluate(() => !!document.activeElement?.closest('.notebookOverlay'));
    if (!(await inNotebook())) {
      await this.notebookCellRows().filter({ has: this.page.locator('.cell-editor-container .view-lines') }).first()
        .locator('.cell-editor-container .view-lines').first().click();
      await waitFor('the keyboard focus in the notebook', inNotebook);
    }
    await waitFor(`the keyboard focus in the editor of notebook cell ${index}`, async () => {
      const active = await this.activeNotebookCell();
      if (!active) return notYet('no "Cell N of M" in the status bar');
      if (index > active.count) throw new Error(`the notebook has ${active.count} cells, not ${index}`);
      if (active.index === index && (await this.isFocusInNotebookCellEditor(index))) return true;
      // From a cell's editor, Escape leaves edit mode; in command mode the arrows move between cells.
      const editing = await this.page.evaluate(() => !!document.activeElement?.closest('.notebookOverlay .cell-editor-container'));
      if (editing) await this.page.keyboard.press('Escape');
      else if (active.index < index) await this.page.keyboard.press('ArrowDown');
      else if (active.index > index) await this.page.keyboard.press('ArrowUp');
      else await this.page.keyboard.press('Enter');
      return notYet(`${active.index} of ${active.count}${editing ? ', editing' : ''}`);
    }, { timeoutMs: 15_000, intervalMs: 250 });
  }

  /** The text of cell `index` (1-based) of the visible notebook as its editor draws it, spaces normalised; undefined when not drawn. */
  async notebookCellText(index: number): Promise<string | undefined> {
    const cell = this.notebookCell(index);
    if ((await cell.count()) === 0) return undefined;
    const lines = await cell.locator('.cell-editor-container .view-lines .view-line').evaluateAll((els) =>
      els
        .map((e) => ({ top: parseFloat((e as HTMLElement).style.top || '0'), text: (e as HTMLElement).innerText }))
        .sort((a, b) => a.top - b.top)
        .map((l) => l.text),
    );
    return lines.join('\n').replace(/\u00a0/g, ' ');
  }

  /** The severities of the squiggles drawn in the editor of cell `index` (1-based): "warning", "error", "info", "hint". */
  async notebookCellSquiggles(index: number): Promise<string[]> {
    const cell = this.notebookCell(index);
    if ((await cell.count()) === 0) return [];
    return cell.locator('.cell-editor-container [class*="squiggly-"]').evaluateAll((els) =>
      els.map((e) => /squiggly-(\w+)/.exec(e.className)?.[1] ?? ''),
    );
  }

  /**
   * Runs "Developer: Reload Window" from the palette and waits for the new page: the old one's
   * mark gone. A loaded machine has taken over 30 s to flush the window's storage before it reloads.
   */
  async reloadWindow(): Promise<void> {
    await this.runCommand('Developer: Reload Window', { reloads: true, timeoutMs: 120_000 });
  }

  /** Runs a command from the palette by its title as shown there ("ML Intern: Restart Server"). */
  async runCommand(title: string, options: { readonly reloads?: boolean; readonly timeoutMs?: number } = {}): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    const rows = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    const { row, focused } = await waitFor(`the command "${title}" in the palette`, async () => {
      const labels = await rows.evaluateAll((els) => els.map((e) => ({ label: e.getAttribute('aria-label') ?? '', focused: e.classList.contains('focused') })));
      // Rows are labelled "<title>, <keybinding or category>…"; match the title exactly.
      const index = labels.findIndex((l) => l.label === title || l.label.startsWith(`${title},`));
      return index >= 0 ? { row: rows.nth(index), focused: labels[index]!.focused } : notYet(labels.map((l) => l.label));
    }, { timeoutMs: 10_000 });
    // A mark on this document: a command that reloads the window (Developer: Reload Window) leaves a new one without it.
    await this.page.evaluate(() => { (window as unknown as { mlinternE2eMark?: boolean }).mlinternE2eMark = true; });
    // Enter runs the focused row whatever the list does meanwhile; a click could land on a row that moved.
    if (focused) await input.press('Enter');
    else await row.click();
    // The palette closes, or the command opened a Quick Pick of its own in the same widget, or the window reloaded.
    await waitFor(options.reloads ? `the window to reload after "${title}"` : `the palette to close after "${title}"`, async () => {
      const sameDocument = await this.page.evaluate(() => (window as unknown as { mlinternE2eMark?: boolean }).mlinternE2eMark === true).catch(() => false);
      if (!sameDocument) return true;
      const open = await input.isVisible().catch(() => false);
      const label = await input.getAttribute('aria-label').catch(() => null);
      if (!options.reloads && (!open || (label !== null && !label.startsWith('Type the name of a command')))) return true;
      const state = await this.page.evaluate(() => {
        const w = document.querySelector('.quick-input-widget') as HTMLElement | null;
        const i = w?.querySelector('.quick-input-box input') as HTMLInputElement | null;
        const rows = Array.from(w?.querySelectorAll('.quick-input-list .monaco-list-row') ?? []).map((r) => r.getAttribute('aria-label'));
        const dialog = (document.querySelector('.monaco-dialog-box') as HTMLElement | null)?.innerText;
        return { display: w?.style.display, value: i?.value, placeholder: i?.placeholder, rows: rows.slice(0, 5), dialog, active: document.activeElement?.className };
      }).catch((e) => String(e));
      return notYet({ samePage: true, open, label, state });
    }, { timeoutMs: options.timeoutMs ?? 30_000 });
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

  /**
   * Types into the Problems panel's filter box, so only matching rows are rendered (the
   * panel is a virtual list: rows scrolled out of view are not in the page).
   */
  async filterProblems(text: string): Promise<void> {
    await this.showProblems();
    // Only the shown view's filter: the Output view has one too, and typing there hides its lines.
    const input = this.page.locator('.part.panel .viewpane-filter input:visible').first();
    await input.waitFor({ state: 'visible' });
    if ((await input.inputValue()) !== text) await input.fill(text);
  }

  async waitForProblem(query: ProblemQuery, options?: WaitOptions): Promise<Problem> {
    return waitFor(`a problem ${JSON.stringify(query)} in the Problems panel`, async () => {
      // Again on every probe: a Problems view created just now restores its own (empty) filter.
      await this.filterProblems(query.code ?? '');
      const all = await this.problems();
      return all.find((p) => matches(p, query)) ?? notYet(all.map((p) => p.label));
    }, { timeoutMs: 30_000, ...options });
  }

  async waitForNoProblem(query: ProblemQuery, options?: WaitOptions): Promise<void> {
    await waitFor(`no problem ${JSON.stringify(query)} in the Problems panel`, async () => {
      await this.filterProblems(query.code ?? '');
      const all = await this.problems();
      const found = all.filter((p) => matches(p, query));
      return found.length === 0 ? true : notYet(found.map((p) => p.label));
    }, { timeoutMs: 30_000, ...options });
  }

  /**
   * Puts the cursor on the problem, opens the Quick Fix menu (Ctrl+.) and chooses the
   * action titled `title`. The menu is asked for again if the first answer lacks it
   * (the sidecar may still be analysing the document version the cursor is on).
   */
  async applyQuickFix(query: ProblemQuery, title: string): Promise<void> {
    const problem = await this.revealProblem(query);
    await this.quickFixAtCursor(title, `${problem.file}:${problem.line}`);
  }

  /**
   * Applies the Quick Fix titled `title` in notebook cell `cell` (1-based) at `line`:`column`
   * of that cell: focuses the cell's editor, moves its cursor there, Ctrl+. as in a text editor.
   */
  async applyQuickFixInCell(cell: number, line: number, column: number, title: string): Promise<void> {
    await this.focusNotebookCell(cell);
    await this.goToLine(line, column);
    await this.quickFixAtCursor(title, `cell ${cell}, ${line}:${column}`);
  }

  /** Opens the Quick Fix menu (Ctrl+.) at the active editor's cursor and chooses the action titled `title`. */
  async quickFixAtCursor(title: string, where: string): Promise<void> {
    const rows = this.page.locator('.action-widget .monaco-list-row');
    const item = await waitFor(`the Quick Fix "${title}" at ${where}`, async () => {
      if (!(await this.page.locator('.action-widget').isVisible().catch(() => false))) {
        await this.page.keyboard.press(`${modifier}+Period`);
      }
      try {
        await rows.first().waitFor({ state: 'visible', timeout: 3000 });
      } catch {
        await this.page.keyboard.press('Escape');
        return notYet('no Quick Fix menu');
      }
      const offered = await rows.evaluateAll((els) => els.map((e) => (e as HTMLElement).innerText.trim()));
      // The sidecar may add the rule code after the title: "Rename … (MLI501)".
      const index = offered.findIndex((o) => o === title || o.startsWith(`${title} `) || o.startsWith(`${title}\n`));
      if (index < 0) {
        await this.page.keyboard.press('Escape');
        return notYet(offered);
      }
      return rows.nth(index);
    }, { timeoutMs: 20_000, intervalMs: 500 });
    await item.click();
    await this.page.locator('.action-widget').first().waitFor({ state: 'hidden' });
  }

  /**
   * Double-clicks the problem's row in the Problems panel, which opens its document (a text
   * file, or the notebook cell it is on) with the keyboard focus there and the cursor at the
   * problem (a single click opens it but keeps the focus in the panel); returns the problem.
   */
  async openProblem(query: ProblemQuery): Promise<Problem> {
    const problem = await this.waitForProblem(query);
    const rows = this.page.locator('.markers-panel .monaco-list-row');
    const labels = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    const index = labels.indexOf(problem.label);
    if (index < 0) throw new Error(`the problem row "${problem.label}" went away before it could be clicked; rows: ${JSON.stringify(labels)}`);
    await rows.nth(index).dblclick();
    return problem;
  }

  /** Opens the problem's file and puts the cursor at the problem's start (Go to Line). */
  async revealProblem(query: ProblemQuery): Promise<Problem> {
    const problem = await this.waitForProblem(query);
    await this.openFile(problem.file);
    await this.goToLine(problem.line ?? 1, problem.column ?? 1);
    return problem;
  }

  /** Moves the active editor's cursor with Go to Line/Column (Ctrl+G). */
  async goToLine(line: number, column = 1): Promise<void> {
    await this.page.keyboard.press(`${modifier}+G`);
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden' });
    await waitFor(`the cursor at ${line}:${column}`, async () => {
      const c = await this.cursor();
      return c?.line === line && c.column === column ? true : notYet(c);
    });
  }

  /**
   * Sets a string or enum user setting through the Settings editor, as a person would, and
   * waits for `persisted` (e.g. the value in the settings file) before closing the editor,
   * since the editor writes the value after a short delay.
   */
  async setUserSetting(id: string, value: string, persisted: () => boolean | Promise<boolean>): Promise<void> {
    await this.runCommand('Preferences: Open User Settings');
    await this.page.locator('.settings-editor').first().waitFor({ state: 'visible' });
    // The Settings editor opens with its search box focused.
    await waitFor('the settings search box to have focus', () =>
      this.page.evaluate(() => document.activeElement?.getAttribute('aria-label') === 'Search settings'),
    );
    await this.page.keyboard.press(`${modifier}+A`);
    await this.page.keyboard.type(id);
    const item = this.page.locator(`.settings-editor .setting-item-contents[data-key="${cssEscape(id)}"]`).first();
    await waitFor(`the setting ${id} in the Settings editor`, async () => {
      if (await item.isVisible()) return true;
      // code-server is a remote: machine-scoped settings are only listed under "Remote".
      const remote = this.page.locator('.settings-editor .settings-tabs-widget .action-label[aria-label^="Remote"]').first();
      if ((await remote.count()) > 0 && (await remote.getAttribute('aria-selected')) !== 'true') await remote.click();
      return notYet('not listed');
    }, { timeoutMs: 10_000, intervalMs: 500 });
    const input = item.locator('.setting-item-control input, .setting-item-control select').first();
    const tag = await input.evaluate((e) => e.tagName);
    if (tag === 'SELECT') await input.selectOption(value);
    else {
      await input.fill(value);
      await input.press('Tab');
    }
    await waitFor(`the setting ${id} = ${JSON.stringify(value)} to be saved`, persisted);
    // Close the Settings editor (a modal in this VS Code) so the workbench takes keys again.
    // Escape goes where the focus is: when something else took it (a notification the change raised),
    // every other try gives the focus back to the Settings editor's own search box first.
    let tries = 0;
    await waitFor('the Settings editor to close', async () => {
      const editor = this.page.locator('.settings-editor').first();
      if (!(await editor.isVisible())) return true;
      if (tries++ % 2 === 1) await editor.locator('.settings-header input, .settings-header textarea').first().focus().catch(() => undefined);
      await this.page.keyboard.press('Escape');
      return notYet('still open');
    }, { intervalMs: 500 });
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
    const label = await labelNow(this.page.locator('.part.statusbar .statusbar-item[id="status.editor.selection"]'));
    const m = /^Ln (\d+), Col (\d+)/.exec(label ?? '');
    if (m) return { line: Number(m[1]), column: Number(m[2]) };
    // A notebook shows no "Ln, Col" item: read the focused cell editor's drawn cursor instead.
    return this.page.evaluate(drawnCursor);
  }

  /** Moves the cursor to `line`:`column` of the active editor and types `text` there. */
  async typeAt(line: number, column: number, text: string): Promise<void> {
    await this.goToLine(line, column);
    await this.page.keyboard.type(text);
    // Close the completion list the typing may have opened.
    await this.page.keyboard.press('Escape');
    const lastLine = text.split('\n').at(-1)!;
    const expected = { line: line + text.split('\n').length - 1, column: (text.includes('\n') ? 1 : column) + lastLine.length };
    await waitFor(`the cursor at ${expected.line}:${expected.column} after typing ${JSON.stringify(text)}`, async () => {
      const c = await this.cursor();
      return c?.line === expected.line && c.column === expected.column ? true : notYet(c);
    });
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
      // A filter left in the Output view's box would hide the lines looked for.
      const filter = this.page.locator('.part.panel .viewpane-filter input:visible').first();
      if ((await filter.count()) > 0 && (await filter.inputValue()) !== '') await filter.fill('');
      const text = await this.outputText();
      return predicate(text) ? text : notYet(text.slice(-400));
    }, options);
  }

  /** The texts of the notification toasts (and the notification center, when open). */
  async notifications(): Promise<string[]> {
    return this.page.$$eval('.notifications-toasts .notification-list-item, .notifications-center .notification-list-item', (els) =>
      els.map((e) => (e as HTMLElement).innerText.replace(/\s+/g, ' ').trim()),
    );
  }

  async waitForNotification(pattern: RegExp, options?: WaitOptions): Promise<string> {
    return waitFor(`a notification matching ${pattern}`, async () => {
      const all = await this.notifications();
      return all.find((n) => pattern.test(n)) ?? notYet(all);
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

  /** The first frame (webviews sit in nested iframes) that has `selector`. */
  async webviewFrame(selector: string, options?: WaitOptions): Promise<Frame> {
    return waitFor(`a webview frame with "${selector}"`, async () => {
      for (const frame of this.page.frames()) {
        if (await frame.$(selector).catch(() => null)) return frame;
      }
      return undefined;
    }, options);
  }

  /** Opens a view container from the activity bar by its title ("ML Intern"), unless it shows. */
  async openViewContainer(title: string): Promise<void> {
    const item = this.page.locator(`.part.activitybar .action-item a.action-label[aria-label^="${cssEscape(title)}"]`).first();
    await item.waitFor({ state: 'visible', timeout: 20_000 });
    const checked = await item.locator('xpath=..').getAttribute('aria-pressed').catch(() => null);
    const selected = await item.locator('xpath=..').getAttribute('class').catch(() => '');
    if (checked !== 'true' && !selected?.includes('checked')) await item.click();
    await this.page.locator(`.part.sidebar .composite.title h2[title^="${cssEscape(title)}"], .part.sidebar .title-label h2`).first().waitFor({ state: 'visible' });
  }

  /** Waits for a modal dialog whose message matches `pattern`; returns its message and detail. */
  async waitForDialog(pattern: RegExp, options?: WaitOptions): Promise<string> {
    return waitFor(`a dialog matching ${pattern}`, async () => {
      const box = this.page.locator('.monaco-dialog-box').first();
      if (!(await box.isVisible().catch(() => false))) return notYet('no dialog');
      const text = (await box.innerText()).replace(/\u00a0/g, ' ');
      return pattern.test(text) ? text : notYet(text);
    }, options);
  }

  /** Clicks the dialog's button labelled `label` and waits for the dialog to close. */
  async clickDialogButton(label: string): Promise<void> {
    const button = this.page.locator('.monaco-dialog-box .dialog-buttons .monaco-button').filter({ hasText: new RegExp(`^${label}$`) }).first();
    await button.click();
    await this.page.locator('.monaco-dialog-box').first().waitFor({ state: 'hidden' });
  }

  /** The text of the active diff editor's right-hand (modified) side, spaces normalised. */
  async diffModifiedText(): Promise<string | undefined> {
    const editor = this.page.locator('.editor-group-container .monaco-diff-editor .editor.modified .view-lines').first();
    if (!(await editor.isVisible().catch(() => false))) return undefined;
    return (await editor.innerText()).replace(/\u00a0/g, ' ');
  }

  async waitForDiffEditor(what: string, predicate: (modified: string) => boolean, options?: WaitOptions): Promise<string> {
    return waitFor(`a diff editor whose modified side ${what}`, async () => {
      const text = await this.diffModifiedText();
      return text !== undefined && predicate(text) ? text : notYet(text ?? 'no diff editor');
    }, options);
  }

  async isDiffEditorOpen(): Promise<boolean> {
    return (await this.page.locator('.editor-group-container .monaco-diff-editor').count()) > 0;
  }

  /** When a Quick Pick is open, picks the row whose label matches `pattern`; returns false when none is open. */
  async pickIfOpen(pattern: RegExp, options?: WaitOptions): Promise<boolean> {
    const widget = this.page.locator('.quick-input-widget');
    if (!(await widget.isVisible().catch(() => false))) return false;
    const rows = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    const row = await waitFor(`a Quick Pick row matching ${pattern}`, async () => {
      const labels = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
      const index = labels.findIndex((l) => pattern.test(l));
      return index >= 0 ? rows.nth(index) : notYet(labels);
    }, options);
    await row.click();
    return true;
  }

  /**
   * Waits for an input box (a Quick Input without a list) whose prompt matches `prompt`, types
   * `value` over what it holds and accepts it with Enter; waits for that prompt to go.
   */
  async fillInputBox(prompt: RegExp, value: string, options?: WaitOptions): Promise<void> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    const message = this.page.locator('.quick-input-widget .quick-input-message');
    await waitFor(`an input box asking ${prompt}`, async () => {
      if (!(await input.isVisible().catch(() => false))) return notYet('no input box');
      const text = (await message.innerText().catch(() => '')).trim();
      return prompt.test(text) ? true : notYet(text);
    }, { timeoutMs: 20_000, ...options });
    await input.fill(value);
    await input.press('Enter');
    await waitFor(`the input box asking ${prompt} to close`, async () => {
      if (!(await input.isVisible().catch(() => false))) return true;
      const text = (await message.innerText().catch(() => '')).trim();
      return prompt.test(text) ? notYet(text) : true;
    }, { timeoutMs: 10_000 });
  }

  /**
   * Clicks the button `label` of the notification whose text matches `pattern`. A toast can hide
   * itself or move while it is looked at (another notification arrives), so the click is part of
   * the probe: a click that misses is tried again on what is shown then. When no toast matches for
   * a few seconds, the Notifications center is opened, where a hidden toast still is.
   */
  async clickNotificationButton(pattern: RegExp, label: string, options?: WaitOptions): Promise<void> {
    const started = Date.now();
    let centerOpened = false;
    await waitFor(`a notification matching ${pattern} with a "${label}" button`, async () => {
      const items = this.page.locator('.notifications-toasts .notification-list-item, .notifications-center .notification-list-item');
      const count = await items.count();
      for (let i = 0; i < count; i++) {
        const item = items.nth(i);
        const text = (await item.innerText().catch(() => '')).replace(/\s+/g, ' ');
        if (!pattern.test(text)) continue;
        const b = item.locator('.monaco-button').filter({ hasText: label }).first();
        if ((await b.count()) === 0) continue;
        if (await b.click({ timeout: 2_000 }).then(() => true, () => false)) return true;
      }
      if (!centerOpened && Date.now() - started > 3_000) {
        centerOpened = true;
        await this.runCommand('Notifications: Show Notifications').catch(() => undefined);
      }
      return notYet(await this.notifications());
    }, options);
  }

  async screenshot(file: string): Promise<void> {
    await this.page.screenshot({ path: file });
  }
}


/** The aria-label of the element if it is there now (a status bar item comes and goes with the editor kind): no waiting for it to appear. */
async function labelNow(locator: Locator): Promise<string | null> {
  if ((await locator.count()) === 0) return null;
  return locator.first().getAttribute('aria-label', { timeout: 1_000 }).catch(() => null);
}

function cssEscape(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}


/**
 * Runs in the page: the line and column of the cursor drawn in the focused editor (a notebook
 * cell's editor has no status bar item), found by geometry: the drawn line the cursor sits on,
 * then the character offset in that line whose left edge is where the cursor is. Assumes the
 * editor is not scrolled (cell editors grow with their text) and no line is wrapped.
 */
function drawnCursor(): { line: number; column: number } | undefined {
  const editor = document.activeElement?.closest('.monaco-editor');
  const cursor = editor?.querySelector('.cursors-layer .cursor');
  if (!editor || !cursor) return undefined;
  const c = cursor.getBoundingClientRect();
  const lines = Array.from(editor.querySelectorAll('.view-lines .view-line'))
    .map((e) => ({ e, r: e.getBoundingClientRect() }))
    .sort((a, b) => a.r.top - b.r.top);
  const middle = c.top + c.height / 2;
  const index = lines.findIndex((l) => middle >= l.r.top && middle < l.r.bottom);
  if (index < 0) return undefined;
  const lineElement = lines[index]!.e;
  const texts: Text[] = [];
  const walker = document.createTreeWalker(lineElement, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) texts.push(n as Text);
  // Candidate caret positions: before each character, and after the last one.
  const edges: number[] = [];
  const range = document.createRange();
  for (const t of texts) {
    for (let i = 0; i < t.length; i++) {
      range.setStart(t, i);
      range.setEnd(t, i + 1);
      edges.push(range.getBoundingClientRect().left);
    }
  }
  const last = texts.at(-1);
  if (last && last.length > 0) {
    range.setStart(last, last.length - 1);
    range.setEnd(last, last.length);
    edges.push(range.getBoundingClientRect().right);
  } else {
    edges.push(lineElement.getBoundingClientRect().left);
  }
  let best = 0;
  for (let i = 1; i < edges.length; i++) if (Math.abs(edges[i]! - c.left) < Math.abs(edges[best]! - c.left)) best = i;
  if (Math.abs(edges[best]! - c.left) > 3) return undefined;
  return { line: index + 1, column: best + 1 };
}
