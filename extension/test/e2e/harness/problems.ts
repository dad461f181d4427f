// The Problems panel as data: its rows parsed into problems. Pure, unit-tested.

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

export function matches(p: Problem, q: ProblemQuery): boolean {
  return (q.code === undefined || p.code === q.code) && (q.file === undefined || p.file === q.file) && (q.line === undefined || p.line === q.line);
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

export function parseFileRow(label: string, text: string): string {
  return / in file (.+?)(?: of folder |$)/.exec(label)?.[1] ?? text.split('\n')[0]!.trim();
}
