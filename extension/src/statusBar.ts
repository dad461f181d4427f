// The status bar item that shows the sidecar's state; clicking it shows the logs.
import { Commands } from './constants';
import { presentStatus, ServerState } from './status';
import * as api from './vscodeapi';

export class ServerStatusBar implements api.Disposable {
  private readonly item: api.StatusBarItem;
  private current: ServerState | undefined;

  constructor() {
    this.item = api.createStatusBarItem('mlintern.status', 'ML Intern Sidecar');
    this.item.command = Commands.showLogs;
    this.update('starting');
    this.item.show();
  }

  get state(): ServerState | undefined {
    return this.current;
  }

  update(state: ServerState, detail?: string): void {
    this.current = state;
    const p = presentStatus(state, detail);
    this.item.text = p.text;
    this.item.tooltip = p.tooltip;
    this.item.accessibilityInformation = { label: p.accessibilityLabel };
    this.item.backgroundColor = api.themeColor(p.backgroundColor);
  }

  dispose(): void {
    this.item.dispose();
  }
}
