// Decides whether a sidecar that died is started again. A crash loop is capped: after
// `maxRestarts` crashes within `windowMs` the extension stops trying and says so, rather
// than burning a core. Pure: the clock is passed in.

export interface RestartPolicyOptions {
  readonly maxRestarts: number;
  readonly windowMs: number;
  /** The wait before the first restart; it doubles with each crash in the window, up to maxDelayMs. */
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
}

export const DefaultRestartPolicy: RestartPolicyOptions = { maxRestarts: 5, windowMs: 3 * 60 * 1000, firstDelayMs: 250, maxDelayMs: 4000 };

export type RestartDecision =
  | { readonly restart: true; readonly attempt: number; readonly delayMs: number }
  | { readonly restart: false; readonly reason: string };

export class RestartPolicy {
  private crashes: number[] = [];

  constructor(private readonly options: RestartPolicyOptions = DefaultRestartPolicy) {}

  /** Records a crash at `now` (ms) and decides. */
  onCrash(now: number): RestartDecision {
    this.crashes = this.crashes.filter((t) => now - t < this.options.windowMs);
    this.crashes.push(now);
    if (this.crashes.length > this.options.maxRestarts) {
      const minutes = Math.round(this.options.windowMs / 60000);
      return {
        restart: false,
        reason: `The ML Intern sidecar stopped ${this.crashes.length} times in the last ${minutes} minutes and will not be restarted. Run "ML Intern: Restart Server" after fixing the cause (see "ML Intern: Show Logs").`,
      };
    }
    const attempt = this.crashes.length;
    const delayMs = Math.min(this.options.firstDelayMs * 2 ** (attempt - 1), this.options.maxDelayMs);
    return { restart: true, attempt, delayMs };
  }

  /** A deliberate restart by the user starts with a clean slate. */
  reset(): void {
    this.crashes = [];
  }
}
