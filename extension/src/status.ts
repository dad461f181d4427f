// What the status bar item shows for each state of the sidecar. Pure, unit-tested.

export type ServerState = 'starting' | 'running' | 'stopped' | 'error';

export interface StatusPresentation {
  /** Status bar text, with a codicon. */
  readonly text: string;
  /** Screen-reader label; also what the end-to-end tests read. */
  readonly accessibilityLabel: string;
  readonly tooltip: string;
  /** A theme color id for the background, or undefined for the default. */
  readonly backgroundColor: string | undefined;
}

export function presentStatus(state: ServerState, detail?: string): StatusPresentation {
  const suffix = detail ? `\n${detail}` : '';
  switch (state) {
    case 'starting':
      return {
        text: '$(sync~spin) ML Intern',
        accessibilityLabel: 'ML Intern: starting',
        tooltip: `ML Intern: the sidecar is starting${suffix}\nClick to show the logs.`,
        backgroundColor: undefined,
      };
    case 'running':
      return {
        text: '$(check) ML Intern',
        accessibilityLabel: 'ML Intern: running',
        tooltip: `ML Intern: the sidecar is running${suffix}\nClick to show the logs.`,
        backgroundColor: undefined,
      };
    case 'stopped':
      return {
        text: '$(circle-slash) ML Intern',
        accessibilityLabel: 'ML Intern: stopped',
        tooltip: `ML Intern: the sidecar is stopped${suffix}\nClick to show the logs; run "ML Intern: Restart Server" to start it.`,
        backgroundColor: 'statusBarItem.warningBackground',
      };
    case 'error':
      return {
        text: '$(error) ML Intern',
        accessibilityLabel: 'ML Intern: error',
        tooltip: `ML Intern: the sidecar failed${suffix}\nClick to show the logs; run "ML Intern: Restart Server" to try again.`,
        backgroundColor: 'statusBarItem.errorBackground',
      };
  }
}
