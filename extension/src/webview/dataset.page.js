// The dataset webview's page script, inlined into the page (with its nonce) by datasetModel.ts through esbuild's text loader.
// The page only reports clicks; the extension decides what to open.
const vscode = acquireVsCodeApi();
document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target : null;
  const example = target && target.closest('[data-open-path]');
  if (example) {
    vscode.postMessage({ type: 'open', path: example.getAttribute('data-open-path'), line: Number(example.getAttribute('data-open-line')) });
    return;
  }
  if (target && target.closest('[data-refresh]')) vscode.postMessage({ type: 'refresh' });
});
