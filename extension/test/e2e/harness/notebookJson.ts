// A Jupyter notebook (.ipynb, nbformat 4) as data: its cells' sources, and what changed between
// two versions of the file, compared as parsed JSON (a serializer may re-indent or re-split
// lines without changing anything). Pure, unit-tested.

export interface NotebookCellJson {
  readonly cell_type: string;
  readonly source: string | readonly string[];
  readonly outputs?: readonly unknown[];
  readonly [key: string]: unknown;
}

export interface NotebookJson {
  readonly cells: readonly NotebookCellJson[];
  readonly [key: string]: unknown;
}

export function parseNotebook(text: string): NotebookJson {
  const nb = JSON.parse(text) as NotebookJson;
  if (!Array.isArray(nb.cells)) throw new Error('not a notebook: no "cells" array');
  return nb;
}

/** A cell's source as one string (nbformat allows a string or a list of lines). */
export function cellSource(cell: NotebookCellJson): string {
  return typeof cell.source === 'string' ? cell.source : cell.source.join('');
}

/** "Cell 4 of 5" (the notebook's status bar item) as numbers. */
export function parseActiveCell(label: string | null | undefined): { index: number; count: number } | undefined {
  const m = /^Cell (\d+) of (\d+)$/.exec(label?.trim() ?? '');
  return m ? { index: Number(m[1]), count: Number(m[2]) } : undefined;
}

export interface NotebookDifference {
  /** 1-based indexes of the cells whose source differs. */
  readonly sourceChanged: number[];
  /** 1-based indexes of the cells whose outputs differ. */
  readonly outputsChanged: number[];
  /** Everything else that differs, as JSON paths ("cells[2].metadata", "metadata.language_info"), sorted. */
  readonly other: string[];
}

/**
 * What differs between two versions of a notebook: cell sources (joined, so a different
 * split into lines is no change), outputs, and any other field at any depth, by path.
 * Cells are compared by position; a different cell count is reported as `cells.length`.
 */
export function diffNotebooks(before: NotebookJson, after: NotebookJson): NotebookDifference {
  const sourceChanged: number[] = [];
  const outputsChanged: number[] = [];
  const other: string[] = [];
  diffFields(withoutCells(before), withoutCells(after), '', other);
  if (before.cells.length !== after.cells.length) other.push('cells.length');
  const n = Math.min(before.cells.length, after.cells.length);
  for (let i = 0; i < n; i++) {
    const a = before.cells[i]!;
    const b = after.cells[i]!;
    if (cellSource(a) !== cellSource(b)) sourceChanged.push(i + 1);
    if (!sameJson(a.outputs, b.outputs)) outputsChanged.push(i + 1);
    const { source: _as, outputs: _ao, ...restA } = a;
    const { source: _bs, outputs: _bo, ...restB } = b;
    diffFields(restA, restB, `cells[${i}]`, other);
  }
  return { sourceChanged, outputsChanged, other: other.sort() };
}

function withoutCells(nb: NotebookJson): Record<string, unknown> {
  const { cells: _cells, ...rest } = nb;
  return rest;
}

function diffFields(a: unknown, b: unknown, at: string, out: string[]): void {
  if (sameJson(a, b)) return;
  if (isObject(a) && isObject(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      diffFields(a[key], b[key], at === '' ? key : `${at}.${key}`, out);
    }
    return;
  }
  out.push(at === '' ? '(root)' : at);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep equality of JSON values; object key order does not matter. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && sameJson(a[k], b[k]));
  }
  return false;
}
