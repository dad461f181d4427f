// Applies LSP text edits to a string, the way the editor would, so a proposed fix can be
// previewed as a document before anything touches the user's file. Pure, unit-tested.

export interface Position {
  readonly line: number;
  /** UTF-16 code units, as LSP and VS Code count them. */
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

export interface TextEdit {
  readonly range: Range;
  readonly newText: string;
}

/** The offset of each line's first character; a line ends at \n, \r\n or \r. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10 /* \n */) {
      starts.push(i + 1);
    }
  }
  return starts;
}

/** The offset of a position, clamped to the text the way VS Code clamps positions. */
export function offsetAt(text: string, starts: readonly number[], position: Position): number {
  if (position.line < 0) return 0;
  if (position.line >= starts.length) return text.length;
  const lineStart = starts[position.line]!;
  const nextStart = position.line + 1 < starts.length ? starts[position.line + 1]! : text.length;
  // The line's content ends before its line break.
  let lineEnd = nextStart;
  if (lineEnd > lineStart && text.charCodeAt(lineEnd - 1) === 10) lineEnd--;
  if (lineEnd > lineStart && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
  return Math.min(lineStart + Math.max(0, position.character), lineEnd);
}

export class OverlappingEditsError extends Error {
  constructor() {
    super('The edits overlap; they cannot be applied together.');
    this.name = 'OverlappingEditsError';
  }
}

/** Applies the edits (all against the original text, as LSP defines) and returns the new text. */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const starts = lineStarts(text);
  const resolved = edits
    .map((e, index) => ({ start: offsetAt(text, starts, e.range.start), end: offsetAt(text, starts, e.range.end), newText: e.newText, index }))
    .map((e) => (e.end < e.start ? { ...e, start: e.end, end: e.start } : e))
    // Stable: two inserts at one offset keep their order.
    .sort((a, b) => a.start - b.start || a.index - b.index);
  let result = '';
  let at = 0;
  for (const e of resolved) {
    if (e.start < at) throw new OverlappingEditsError();
    result += text.slice(at, e.start) + e.newText;
    at = e.end;
  }
  return result + text.slice(at);
}
