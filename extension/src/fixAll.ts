// "ML Intern: Fix All Problems": applies the sidecar's `source.fixAll.mlintern` code action
// (every safe fix, nothing unsafe) to the active Python editor.
import * as path from 'node:path';
import { ExtensionName, FixAllKind } from './constants';
import * as api from './vscodeapi';

export async function fixAllProblems(serverRunning: () => boolean): Promise<void> {
  const editor = api.activeTextEditor();
  if (!editor || editor.document.languageId !== 'python') {
    void api.showInformationMessage('Open a Python file to fix its ML Intern problems.');
    return;
  }
  if (!serverRunning()) {
    void api.showWarningMessage(`The ${ExtensionName} sidecar is not running.`);
    return;
  }
  const document = editor.document;
  const name = path.basename(document.fileName);
  const version = document.version;
  const actions = (await api.codeActionsOfKind(document.uri, api.fullRange(document), FixAllKind)).filter((a) => a.kind?.value === FixAllKind);
  const action = actions[0];
  if (!action || (!action.edit && !action.command)) {
    void api.showInformationMessage(`ML Intern has no safe fixes for ${name}.`);
    return;
  }
  if (document.version !== version) {
    void api.showWarningMessage(`${name} changed while ML Intern computed its fixes; nothing was applied. Run "Fix All Problems" again.`);
    return;
  }
  if (action.edit && !(await api.applyEdit(action.edit))) {
    void api.showErrorMessage(`VS Code did not apply ML Intern's fixes to ${name}.`);
    return;
  }
  if (action.command) await api.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}
