// The evaluation webview's page script, inlined into the page (with its nonce) by evaluationModel.ts through esbuild's text loader.
const vscode = acquireVsCodeApi();
document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target.closest('button') : null;
  if (!target) return;
  const action = target.getAttribute('data-action');
  if (action === 'audit' || action === 'refresh') {
    target.disabled = true;
    vscode.postMessage({ type: action });
  }
});
