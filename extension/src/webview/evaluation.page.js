// The evaluation webview's page script, inlined into the page (with its nonce) by evaluationModel.ts through esbuild's text loader.
const vscode = acquireVsCodeApi();
document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target.closest('button') : null;
  if (!target) return;
  const mode = target.getAttribute('data-cm');
  if (mode) {
    for (const t of document.querySelectorAll('table.confusion')) t.hidden = t.getAttribute('data-mode') !== mode;
    for (const b of document.querySelectorAll('button[data-cm]')) b.setAttribute('aria-pressed', String(b.getAttribute('data-cm') === mode));
    return;
  }
  const action = target.getAttribute('data-action');
  if (action === 'audit' || action === 'refresh') {
    target.disabled = true;
    vscode.postMessage({ type: action });
  }
});
