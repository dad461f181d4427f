// The metrics webview's page script, inlined into the page (with its nonce) by metricsModel.ts through esbuild's text loader.
const root = document.getElementById('root');
let seq = Number(root.dataset.seq) || 0;
window.addEventListener('message', (event) => {
  const m = event.data;
  if (m && m.type === 'update' && typeof m.html === 'string' && typeof m.seq === 'number' && m.seq > seq) {
    seq = m.seq;
    root.innerHTML = m.html;
  }
});
