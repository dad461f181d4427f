// The one module that reaches the VS Code API for the extension's own logic, so the
// logic modules stay plain TypeScript and unit tests can run them without VS Code.
import * as vscode from 'vscode';
import { hasMcpApi, McpServerSpec } from './mcpServerModel';

export type Disposable = vscode.Disposable;
export type LogOutputChannel = vscode.LogOutputChannel;
export type StatusBarItem = vscode.StatusBarItem;

export function vscodeVersion(): string {
  return vscode.version;
}

export function createLogOutputChannel(name: string): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel(name, { log: true });
}

export function createStatusBarItem(id: string, name: string): vscode.StatusBarItem {
  const item = vscode.window.createStatusBarItem(id, vscode.StatusBarAlignment.Left, 0);
  item.name = name;
  return item;
}

export function themeColor(id: string | undefined): vscode.ThemeColor | undefined {
  return id ? new vscode.ThemeColor(id) : undefined;
}

export function registerCommand(command: string, callback: (...args: unknown[]) => unknown): vscode.Disposable {
  return vscode.commands.registerCommand(command, callback);
}

export function getConfiguration(section: string): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(section);
}

export function onDidChangeConfiguration(listener: (e: vscode.ConfigurationChangeEvent) => unknown): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration(listener);
}

export function onDidGrantWorkspaceTrust(listener: () => unknown): vscode.Disposable {
  return vscode.workspace.onDidGrantWorkspaceTrust(listener);
}

export function firstWorkspaceFolderPath(): string | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined;
}

export async function showErrorMessage(message: string, ...actions: string[]): Promise<string | undefined> {
  return vscode.window.showErrorMessage(message, ...actions);
}

export async function openSettings(query: string): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.openSettings', query);
}

/** A setting's value where someone set it (folder, workspace or user), ignoring its default. */
export function explicitSetting(config: vscode.WorkspaceConfiguration, key: string): unknown {
  const i = config.inspect(key);
  return i?.workspaceFolderValue ?? i?.workspaceValue ?? i?.globalValue;
}

// Editors, documents and edits.

export type TextDocument = vscode.TextDocument;
export type TextEditor = vscode.TextEditor;
export type Uri = vscode.Uri;
export type Range = vscode.Range;
export type CancellationToken = vscode.CancellationToken;
export type WorkspaceEdit = vscode.WorkspaceEdit;

export function activeTextEditor(): vscode.TextEditor | undefined {
  return vscode.window.activeTextEditor;
}

export function onDidChangeActiveTextEditor(listener: (editor: vscode.TextEditor | undefined) => unknown): vscode.Disposable {
  return vscode.window.onDidChangeActiveTextEditor(listener);
}

export function onDidSaveTextDocument(listener: (document: vscode.TextDocument) => unknown): vscode.Disposable {
  return vscode.workspace.onDidSaveTextDocument(listener);
}

export function openDocument(uri: vscode.Uri): Thenable<vscode.TextDocument> {
  return vscode.workspace.openTextDocument(uri);
}

export function openDocumentFor(uri: vscode.Uri): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
}

/** Opens a file with the cursor on a 1-based line. */
export async function showFileAtLine(fsPath: string, line: number): Promise<void> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(fsPath));
  const position = new vscode.Position(Math.max(0, line - 1), 0);
  await vscode.window.showTextDocument(document, { selection: new vscode.Range(position, position), preview: true });
}

/** The file path of a `file:` URI or an absolute path the sidecar sent; undefined for anything else. */
export function filePathOf(uriOrPath: string): string | undefined {
  if (uriOrPath.startsWith('/')) return uriOrPath;
  try {
    const uri = vscode.Uri.parse(uriOrPath, true);
    return uri.scheme === 'file' ? uri.fsPath : undefined;
  } catch {
    return undefined;
  }
}

/** Replaces a document's whole text through a WorkspaceEdit (the user sees it, Undo reverts it). */
export function replaceDocumentText(document: vscode.TextDocument, text: string): Thenable<boolean> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), text);
  return vscode.workspace.applyEdit(edit);
}

export function fileUri(fsPath: string): vscode.Uri {
  return vscode.Uri.file(fsPath);
}

export function fullRange(document: vscode.TextDocument): vscode.Range {
  return new vscode.Range(0, 0, document.lineCount, 0);
}

/** Creates a new file with this text through a WorkspaceEdit (the user sees it, Undo removes it); false when the file exists. */
export async function createFileWithText(fsPath: string, text: string): Promise<boolean> {
  const edit = new vscode.WorkspaceEdit();
  edit.createFile(vscode.Uri.file(fsPath), { overwrite: false, ignoreIfExists: false, contents: new TextEncoder().encode(text) });
  return vscode.workspace.applyEdit(edit);
}

export function applyEdit(edit: vscode.WorkspaceEdit): Thenable<boolean> {
  return vscode.workspace.applyEdit(edit);
}

export function diagnosticsFor(uri: vscode.Uri): readonly vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri);
}

export async function executeCommand<T>(command: string, ...args: unknown[]): Promise<T> {
  return vscode.commands.executeCommand<T>(command, ...args);
}

export async function openExternal(url: string): Promise<boolean> {
  return vscode.env.openExternal(vscode.Uri.parse(url));
}

// Messages and pickers.

export async function showInformationMessage(message: string, ...actions: string[]): Promise<string | undefined> {
  return vscode.window.showInformationMessage(message, ...actions);
}

export async function showWarningMessage(message: string, ...actions: string[]): Promise<string | undefined> {
  return vscode.window.showWarningMessage(message, ...actions);
}

/** A modal dialog; resolves to the chosen action, undefined for Cancel. */
export async function showModal(kind: 'info' | 'warning', message: string, detail: string, ...actions: string[]): Promise<string | undefined> {
  const show = kind === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  return show(message, { modal: true, detail }, ...actions);
}

export async function showQuickPick<T extends vscode.QuickPickItem>(items: T[], title: string, placeHolder: string): Promise<T | undefined> {
  return vscode.window.showQuickPick(items, { title, placeHolder, matchOnDescription: true, matchOnDetail: true });
}

export async function showInputBox(title: string, prompt: string, placeHolder: string, options?: { value?: string; validate?: (value: string) => string | undefined | Promise<string | undefined> }): Promise<string | undefined> {
  return vscode.window.showInputBox({ title, prompt, placeHolder, ignoreFocusOut: true, value: options?.value, validateInput: options?.validate });
}

/** Shows a file or folder in the Explorer. */
export async function revealInExplorer(fsPath: string): Promise<void> {
  await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(fsPath));
}

/** Opens a read-only document served by `documents` (see registerReadOnlyDocuments) beside the editor; its language follows `path`'s extension. */
export async function showReadOnlyDocument(documents: { set(uri: vscode.Uri, text: string): void }, scheme: string, path: string, text: string): Promise<void> {
  const uri = vscode.Uri.from({ scheme, path });
  documents.set(uri, text);
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document, { preview: true, preserveFocus: true, viewColumn: vscode.ViewColumn.Beside });
}

/** Runs `task` with a cancellable notification showing `title`. */
export async function withProgress<T>(title: string, task: (token: vscode.CancellationToken) => Promise<T>): Promise<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_progress, token) => task(token));
}

export function cancellationSource(): vscode.CancellationTokenSource {
  return new vscode.CancellationTokenSource();
}

// Diff preview of a proposed change.

/** Serves read-only documents of `scheme` from a map the caller fills; returns the map's setter. */
export function registerReadOnlyDocuments(scheme: string): { set(uri: vscode.Uri, text: string): void; delete(uri: vscode.Uri): void } & vscode.Disposable {
  const texts = new Map<string, string>();
  const changed = new vscode.EventEmitter<vscode.Uri>();
  const registration = vscode.workspace.registerTextDocumentContentProvider(scheme, {
    onDidChange: changed.event,
    provideTextDocumentContent: (uri) => texts.get(uri.toString()) ?? '',
  });
  return {
    set(uri, text) {
      texts.set(uri.toString(), text);
      changed.fire(uri);
    },
    delete(uri) {
      texts.delete(uri.toString());
    },
    dispose() {
      registration.dispose();
      changed.dispose();
      texts.clear();
    },
  };
}

/** Opens a read-only document (see registerReadOnlyDocuments) beside the editor. */
export async function showPreviewDocument(uri: vscode.Uri): Promise<void> {
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document, { preview: true, viewColumn: vscode.ViewColumn.Beside });
}

/** The rule page of `code`, from the link the sidecar put on any of its diagnostics. */
export function ruleHref(code: string): string | undefined {
  for (const [, diagnostics] of vscode.languages.getDiagnostics()) {
    for (const d of diagnostics) {
      if (d.source === 'mlintern' && typeof d.code === 'object' && String(d.code.value) === code) return d.code.target.toString();
    }
  }
  return undefined;
}

export function previewUri(scheme: string, of: vscode.Uri, id: number): vscode.Uri {
  // The original path keeps the language (and its highlighting); the query makes it unique.
  return vscode.Uri.from({ scheme, path: of.path, query: `fix=${id}` });
}

/** Opens a diff editor; `line` (0-based) is revealed and selected on both sides. */
export async function showDiff(left: vscode.Uri, right: vscode.Uri, title: string, line?: number): Promise<void> {
  const selection = line === undefined ? undefined : new vscode.Range(line, 0, line, 0);
  await vscode.commands.executeCommand('vscode.diff', left, right, title, { preview: true, selection });
}

/**
 * Waits (up to `timeoutMs`) until an editor shows `uri` — a diff's sides are editors too —
 * and reveals the 0-based `line` in its middle, so what changed is in view before a dialog asks.
 */
export async function revealWhenVisible(uri: vscode.Uri, line: number, timeoutMs = 3000): Promise<void> {
  const find = () => vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
  const editor =
    find() ??
    (await new Promise<vscode.TextEditor | undefined>((resolve) => {
      const timer = setTimeout(() => {
        listener.dispose();
        resolve(find());
      }, timeoutMs);
      const listener = vscode.window.onDidChangeVisibleTextEditors(() => {
        const found = find();
        if (!found) return;
        clearTimeout(timer);
        listener.dispose();
        resolve(found);
      });
    }));
  if (!editor) return;
  const range = new vscode.Range(line, 0, line, 0);
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenter);
}

/** Closes every diff tab whose right-hand side is `modified`. */
export async function closeDiffTabs(modified: vscode.Uri): Promise<void> {
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.toString() === modified.toString());
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
}

// Code actions.

export const CodeActionKinds = {
  quickFix: () => vscode.CodeActionKind.QuickFix,
  refactorRewrite: () => vscode.CodeActionKind.RefactorRewrite,
  of: (value: string) => vscode.CodeActionKind.Empty.append(value),
};

export function codeAction(title: string, kind: vscode.CodeActionKind, command: vscode.Command, diagnostics?: vscode.Diagnostic[]): vscode.CodeAction {
  const action = new vscode.CodeAction(title, kind);
  action.command = command;
  if (diagnostics) action.diagnostics = diagnostics;
  return action;
}

export function registerCodeActionsProvider(
  selector: vscode.DocumentSelector,
  provider: vscode.CodeActionProvider,
  kinds: vscode.CodeActionKind[],
): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(selector, provider, { providedCodeActionKinds: kinds });
}

export async function codeActionsOfKind(uri: vscode.Uri, range: vscode.Range, kind: string): Promise<vscode.CodeAction[]> {
  return (await vscode.commands.executeCommand<vscode.CodeAction[] | undefined>('vscode.executeCodeActionProvider', uri, range, kind)) ?? [];
}

// Webview views and file watching.

export type WebviewView = vscode.WebviewView;
export type WebviewViewProvider = vscode.WebviewViewProvider;

export function registerWebviewViewProvider(id: string, provider: vscode.WebviewViewProvider): vscode.Disposable {
  return vscode.window.registerWebviewViewProvider(id, provider, { webviewOptions: { retainContextWhenHidden: false } });
}

export function createFileSystemWatcher(glob: string): vscode.FileSystemWatcher {
  return vscode.workspace.createFileSystemWatcher(glob);
}

export async function showOpenDataFileDialog(extensions: readonly string[]): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    canSelectFolders: true,
    openLabel: 'Inspect',
    filters: { 'Data sets': extensions.map((e) => e.replace(/^\./, '')) },
  });
  return picked?.[0];
}

export async function showOpenFolderDialog(openLabel: string): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({ canSelectMany: false, canSelectFiles: false, canSelectFolders: true, openLabel });
  return picked?.[0]?.scheme === 'file' ? picked[0].fsPath : undefined;
}

/** Opens a folder in this window (the extension host restarts). */
export async function openFolder(fsPath: string): Promise<void> {
  await vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.file(fsPath), { forceNewWindow: false });
}

export function isUri(value: unknown): value is vscode.Uri {
  return value instanceof vscode.Uri;
}

export function isRange(value: unknown): value is vscode.Range {
  return value instanceof vscode.Range;
}

// Training: files to pick, tasks, the Runs tree and the Metrics panel.

export function isWorkspaceTrusted(): boolean {
  return vscode.workspace.isTrusted;
}

/** Workspace files matching `include`, without the usual heavy folders, as file paths. */
export async function findWorkspaceFiles(include: string, max: number): Promise<string[]> {
  const uris = await vscode.workspace.findFiles(include, '{**/node_modules/**,**/.git/**,**/.venv/**,**/venv/**,**/.mlintern/**,**/__pycache__/**,**/site-packages/**}', max);
  return uris.filter((u) => u.scheme === 'file').map((u) => u.fsPath);
}

/** Opens a Markdown file's rendered preview (reusing one already open; the file itself when previews are unavailable). */
export async function showMarkdownPreview(fsPath: string): Promise<void> {
  const uri = vscode.Uri.file(fsPath);
  try {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  } catch {
    await vscode.window.showTextDocument(uri, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  }
}

export async function showTextFile(fsPath: string): Promise<void> {
  await vscode.window.showTextDocument(vscode.Uri.file(fsPath), { preview: false });
}

export interface ShellTaskSpec {
  readonly type: string;
  readonly name: string;
  readonly source: string;
  readonly definition: Record<string, string>;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
}

export type TaskExecution = vscode.TaskExecution;

/** Runs a command as a task (ShellExecution) in its own integrated terminal, which the user sees and can stop. */
export async function executeShellTask(spec: ShellTaskSpec): Promise<vscode.TaskExecution> {
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file' && spec.cwd.startsWith(f.uri.fsPath)) ?? vscode.workspace.workspaceFolders?.[0];
  const execution = new vscode.ShellExecution(
    { value: spec.command, quoting: vscode.ShellQuoting.Strong },
    spec.args.map((a) => ({ value: a, quoting: vscode.ShellQuoting.Strong })),
    { cwd: spec.cwd, env: { ...spec.env } },
  );
  const task = new vscode.Task({ type: spec.type, ...spec.definition }, folder ?? vscode.TaskScope.Workspace, spec.name, spec.source, execution, []);
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, panel: vscode.TaskPanelKind.New, focus: false, clear: false, echo: true, showReuseMessage: false };
  task.isBackground = false;
  return vscode.tasks.executeTask(task);
}

/** Calls back once when the task's process ends (with its exit code) or the task ends without one. */
export function onTaskEnded(execution: vscode.TaskExecution, listener: (exitCode: number | undefined) => void): vscode.Disposable {
  let done = false;
  const finish = (code: number | undefined) => {
    if (done) return;
    done = true;
    processEnd.dispose();
    taskEnd.dispose();
    listener(code);
  };
  const processEnd = vscode.tasks.onDidEndTaskProcess((e) => {
    if (e.execution === execution) finish(e.exitCode);
  });
  // A task stopped before its process started (or whose exit code is lost) ends here only.
  const taskEnd = vscode.tasks.onDidEndTask((e) => {
    if (e.execution === execution) setTimeout(() => finish(undefined), 500);
  });
  return new vscode.Disposable(() => {
    done = true;
    processEnd.dispose();
    taskEnd.dispose();
  });
}

export type TreeItem = vscode.TreeItem;
export type TreeDataProvider<T> = vscode.TreeDataProvider<T>;
export type EventEmitter<T> = vscode.EventEmitter<T>;

export function eventEmitter<T>(): vscode.EventEmitter<T> {
  return new vscode.EventEmitter<T>();
}

export interface TreeItemSpec {
  readonly id?: string;
  readonly label: string;
  readonly description?: string;
  readonly tooltip?: string;
  readonly icon?: string;
  readonly color?: string;
  readonly command?: { readonly command: string; readonly title: string; readonly arguments?: unknown[] };
  readonly contextValue?: string;
}

export function treeItem(spec: TreeItemSpec): vscode.TreeItem {
  const item = new vscode.TreeItem(spec.label, vscode.TreeItemCollapsibleState.None);
  if (spec.id) item.id = spec.id;
  item.description = spec.description;
  item.tooltip = spec.tooltip;
  if (spec.icon) item.iconPath = new vscode.ThemeIcon(spec.icon, spec.color ? new vscode.ThemeColor(spec.color) : undefined);
  if (spec.command) item.command = { ...spec.command, arguments: spec.command.arguments ? [...spec.command.arguments] : undefined };
  item.contextValue = spec.contextValue;
  return item;
}

export function createTreeView<T>(id: string, provider: vscode.TreeDataProvider<T>): vscode.TreeView<T> {
  return vscode.window.createTreeView(id, { treeDataProvider: provider, showCollapseAll: false });
}

export type WebviewPanel = vscode.WebviewPanel;

/** A webview panel beside the editor, scripts on, no local resources, kept alive while hidden (live metrics). */
export function createWebviewPanel(viewType: string, title: string): vscode.WebviewPanel {
  return vscode.window.createWebviewPanel(viewType, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: true, localResourceRoots: [], retainContextWhenHidden: true });
}

/** Every workspace folder on disk, in order. */
export function workspaceFolderPaths(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
}

export function onDidChangeWorkspaceFolders(listener: () => unknown): vscode.Disposable {
  return vscode.workspace.onDidChangeWorkspaceFolders(listener);
}

// The MCP API arrived in VS Code 1.101; @types/vscode here is 1.91 (the engine the extension supports),
// so the few members used are declared locally and reached only after hasMcpApi said they exist.
interface McpStdioServerDefinition {
  cwd?: vscode.Uri;
}
interface McpApi {
  lm: {
    registerMcpServerDefinitionProvider(
      id: string,
      provider: { onDidChangeMcpServerDefinitions?: vscode.Event<void>; provideMcpServerDefinitions(token: vscode.CancellationToken): McpStdioServerDefinition[] },
    ): vscode.Disposable;
  };
  McpStdioServerDefinition: new (label: string, command: string, args?: string[], env?: Record<string, string | number | null>, version?: string) => McpStdioServerDefinition;
}

/**
 * Registers an MCP server definition provider whose servers are `provide()`'s specs, or returns
 * undefined when this VS Code has no MCP API. `changed()` makes VS Code ask for the servers again.
 */
export function registerMcpServerDefinitionProvider(
  id: string,
  provide: () => McpServerSpec[],
): { disposable: vscode.Disposable; changed: () => void } | undefined {
  if (!hasMcpApi(vscode)) return undefined;
  const mcp = vscode as unknown as McpApi;
  const emitter = new vscode.EventEmitter<void>();
  const registration = mcp.lm.registerMcpServerDefinitionProvider(id, {
    onDidChangeMcpServerDefinitions: emitter.event,
    provideMcpServerDefinitions: () =>
      provide().map((spec) => {
        const definition = new mcp.McpStdioServerDefinition(spec.label, spec.command, spec.args, spec.env, spec.version);
        definition.cwd = vscode.Uri.file(spec.cwd);
        return definition;
      }),
  });
  return { disposable: vscode.Disposable.from(registration, emitter), changed: () => emitter.fire() };
}

/** One disposable for several. */
export function combinedDisposable(...disposables: vscode.Disposable[]): vscode.Disposable {
  return vscode.Disposable.from(...disposables);
}
