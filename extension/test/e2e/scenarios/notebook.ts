// Scenario notebook: the sample's explore.ipynb opened in the notebook editor (not as JSON).
// The CLI's finding (MLI103, a label list built from a set) shows on the cell the CLI names,
// its Quick Fix is applied in that cell's editor, and the saved file differs from the one
// before only in that cell's source, which is what `mlintern check --fix` writes there; every
// other cell's source and the saved output are unchanged (compared as parsed JSON).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cellSource, diffNotebooks, parseNotebook, sameJson } from '../harness/notebookJson';
import { Scenario } from '../harness/scenario';
import { packagedExtensionSetup, removeWorkspace } from '../harness/setup';
import { CliFinding, makeSampleWorkspace, safeFixExpectation, sidecarJson } from '../harness/sidecar';
import { notYet, waitFor } from '../harness/wait';

const file = 'explore.ipynb';
const code = 'MLI103';

let workspace = '';

export const notebook: Scenario = {
  name: 'notebook',
  title: 'a finding in a Jupyter notebook cell, its Quick Fix in that cell, the saved notebook',

  setup() {
    workspace = makeSampleWorkspace();
    return packagedExtensionSetup();
  },

  cleanup(passed) {
    removeWorkspace(workspace, passed);
  },

  async run(ctx) {
    const wb = ctx.workbench;
    const notebookPath = path.join(workspace, file);
    const beforeText = fs.readFileSync(notebookPath, 'utf8');
    const before = parseNotebook(beforeText);

    const expected = await ctx.step(`the CLI finds ${code} in a cell of ${file}, with a safe fix`, () => {
      const { before: findings, fixedText } = safeFixExpectation(workspace, file);
      const finding = findings.find((f) => f.code === code);
      if (!finding) throw new Error(`"mlintern check ${file}" does not report ${code}: ${JSON.stringify(findings)}`);
      const { cell, line, column, fix } = finding as CliFinding & { cell: number; column: number };
      const { end_line: endLine, end_column: endColumn } = finding as unknown as { end_line: number; end_column: number };
      if (typeof cell !== 'number' || typeof column !== 'number') throw new Error(`${code} has no cell/column: ${JSON.stringify(finding)}`);
      if (fix?.applicability !== 'safe' || !fix.title) throw new Error(`${code} has no safe fix: ${JSON.stringify(fix)}`);
      const fixed = parseNotebook(fixedText);
      const fixedSource = cellSource(fixed.cells[cell - 1]!);
      if (!fixedSource.includes('sorted(set(')) throw new Error(`"check --fix" wrote cell ${cell} as ${JSON.stringify(fixedSource)}`);
      const withOutputs = before.cells.map((c, i) => (c.outputs?.length ? i + 1 : 0)).filter((i) => i > 0);
      if (withOutputs.length === 0) throw new Error(`${file} has no cell with a saved output to keep`);
      ctx.note(`${code} at cell ${cell} ${line}:${column} (severity ${finding.severity}), fix "${fix.title}"; cells with saved outputs: ${withOutputs.join(', ')}; ${findings.length} finding(s) in all`);
      return { cell, line, column, endLine, endColumn, title: fix.title, severity: finding.severity ?? 'warning', fixedSource, others: findings.filter((f) => f !== finding) };
    });

    await ctx.step(`open the sample folder and ${file} in the notebook editor`, async () => {
      await wb.openFolder(ctx.codeServer.folderUrl(workspace));
      await wb.openNotebook(file);
      await wb.waitForStatusBar('ML Intern: running', { timeoutMs: 60_000 });
      const active = await waitFor('the notebook status bar item "Cell N of M"', () => wb.activeNotebookCell());
      if (active.count !== before.cells.length) throw new Error(`the notebook editor shows ${active.count} cells, the file has ${before.cells.length}`);
    });

    await ctx.step(`the Problems panel lists ${code} in ${file} at ${expected.line}:${expected.column}`, async () => {
      const p = await wb.waitForProblem({ code, file, line: expected.line }, { timeoutMs: 60_000 });
      if (p.column !== expected.column) throw new Error(`the problem is at column ${p.column}, the CLI says ${expected.column}`);
    });

    await ctx.step(`the squiggle is on cell ${expected.cell}'s editor and on no other drawn cell`, async () => {
      await waitFor(`a ${expected.severity} squiggle in cell ${expected.cell} only`, async () => {
        const byCell: Record<number, string[]> = {};
        for (let i = 1; i <= before.cells.length; i++) {
          const s = await wb.notebookCellSquiggles(i);
          if (s.length > 0) byCell[i] = s;
        }
        const ok = Object.keys(byCell).join() === String(expected.cell) && byCell[expected.cell]!.includes(expected.severity);
        return ok ? true : notYet(byCell);
      });
      const text = await wb.notebookCellText(expected.cell);
      if (!text?.includes('list(set(')) throw new Error(`cell ${expected.cell} reads ${JSON.stringify(text)}`);
    });

    await ctx.step(`double-clicking the problem focuses cell ${expected.cell}'s editor, the finding selected`, async () => {
      await wb.openProblem({ code, file });
      // The editor selects the problem's range and puts the cursor at its end.
      const end = { line: expected.endLine, column: expected.endColumn };
      await waitFor(`cell ${expected.cell}'s editor focused with the cursor at ${end.line}:${end.column}`, async () => {
        const active = await wb.activeNotebookCell();
        const focused = await wb.isFocusInNotebookCellEditor(expected.cell);
        const cursor = await wb.cursor();
        return active?.index === expected.cell && focused && cursor?.line === end.line && cursor.column === end.column
          ? true
          : notYet({ active, focused, cursor });
      });
    });

    await ctx.step(`apply "${expected.title}" in cell ${expected.cell}`, async () => {
      // From another cell, so the helper's own way to the cell is what is shown to work.
      await wb.focusNotebookCell(1);
      await wb.applyQuickFixInCell(expected.cell, expected.line, expected.column, expected.title);
      await waitFor(`cell ${expected.cell} to read sorted(set(`, async () => {
        const text = await wb.notebookCellText(expected.cell);
        return text?.includes('sorted(set(') && !text.includes('list(set(') ? true : notYet(text);
      });
    });

    await ctx.step(`${code} is gone from the Problems panel and from cell ${expected.cell}`, async () => {
      await wb.waitForNoProblem({ code, file });
      await waitFor(`no squiggle in cell ${expected.cell}`, async () => {
        const s = await wb.notebookCellSquiggles(expected.cell);
        return s.length === 0 ? true : notYet(s);
      });
    });

    const after = await ctx.step(`save (Ctrl+S); ${file} on disk changes`, async () => {
      const dirty = await ctx.page.locator('.tabs-container .tab.active.dirty').count();
      if (dirty === 0) throw new Error('the notebook tab is not dirty after the fix: nothing to save');
      await wb.save();
      return waitFor(`${notebookPath} to be written`, () => {
        const text = fs.readFileSync(notebookPath, 'utf8');
        return text !== beforeText ? text : notYet('unchanged');
      });
    });

    await ctx.step(`on disk: only cell ${expected.cell}'s source changed, to what "check --fix" writes`, () => {
      const saved = parseNotebook(after);
      const diff = diffNotebooks(before, saved);
      const source = cellSource(saved.cells[expected.cell - 1]!);
      if (source !== expected.fixedSource) throw new Error(`cell ${expected.cell} saved as ${JSON.stringify(source)}; "check --fix" writes ${JSON.stringify(expected.fixedSource)}`);
      if (diff.sourceChanged.join() !== String(expected.cell)) throw new Error(`cells whose source changed: ${diff.sourceChanged.join(', ') || 'none'}; expected only ${expected.cell}`);
      if (diff.outputsChanged.length > 0) throw new Error(`outputs changed in cells ${diff.outputsChanged.join(', ')}`);
      // The same cells in the same order, with their outputs (the saved stdout) as they were.
      before.cells.forEach((c, i) => {
        const s = saved.cells[i]!;
        if (s.cell_type !== c.cell_type) throw new Error(`cell ${i + 1} became a ${s.cell_type} cell`);
        if (c.outputs?.length && !sameJson(c.outputs, s.outputs)) throw new Error(`cell ${i + 1}'s outputs changed`);
      });
      ctx.note(`serializer also changed: ${diff.other.length > 0 ? diff.other.join(', ') : 'nothing else'}${after.split('\n')[1] !== beforeText.split('\n')[1] ? ' (and the JSON indentation)' : ''}`);
      // An edited cell's execution count no longer describes its source: the editor clears it.
      const edited = `cells[${expected.cell - 1}].execution_count`;
      const otherKeys = diff.other.filter((p) => p !== edited && !/^cells\[\d+\]\.(id|metadata)(\.|$)|^metadata(\.|$)|^nbformat_minor$/.test(p));
      if (otherKeys.length > 0) throw new Error(`fields changed beyond cell ids and metadata: ${otherKeys.join(', ')}`);
    });

    await ctx.step(`after the save ${code} stays gone, and the CLI agrees on the saved file`, async () => {
      await wb.waitForNoProblem({ code, file });
      const findings = sidecarJson<CliFinding[]>(['check', file, '--format', 'json'], workspace);
      if (findings.some((f) => f.code === code)) throw new Error(`"mlintern check ${file}" still reports ${code} after the save`);
      const left = findings.map((f) => f.code).sort().join();
      const expectedLeft = expected.others.map((f) => f.code).sort().join();
      if (left !== expectedLeft) throw new Error(`the CLI now reports ${left || 'nothing'}; before the fix, besides ${code}: ${expectedLeft || 'nothing'}`);
    });
  },
};
