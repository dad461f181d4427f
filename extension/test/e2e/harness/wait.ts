// Waiting for conditions, never for a fixed time. Every wait names what it waits for,
// so a failure says what did not happen.

export class WaitTimeoutError extends Error {
  constructor(
    readonly what: string,
    readonly timeoutMs: number,
    readonly last: unknown,
  ) {
    super(`Timed out after ${timeoutMs} ms waiting for ${what}${last !== undefined ? ` (last seen: ${describe(last)})` : ''}`);
    this.name = 'WaitTimeoutError';
  }
}

function describe(value: unknown): string {
  if (value instanceof Error) return value.message;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 600 ? `${text.slice(0, 600)}…` : text;
}

export interface WaitOptions {
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
}

/**
 * Polls `probe` until it returns something other than undefined/false, and returns that.
 * A probe that throws counts as "not yet"; its error is reported if the wait times out.
 * `probe` may also return `{ done: false, seen }` to report what it saw.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false | NotYet> | T | undefined | false | NotYet,
  options: WaitOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const intervalMs = options.intervalMs ?? 200;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value instanceof NotYet) last = value.seen;
      else if (value !== undefined && value !== false) return value as T;
    } catch (e) {
      last = e;
    }
    if (Date.now() >= deadline) throw new WaitTimeoutError(what, timeoutMs, last);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export class NotYet {
  constructor(readonly seen: unknown) {}
}

export function notYet(seen: unknown): NotYet {
  return new NotYet(seen);
}
