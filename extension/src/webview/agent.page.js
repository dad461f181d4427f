// The Intern view's page script, inlined into the page (with its nonce) by agentModel.ts through esbuild's text loader.
// The page only reports what the user did (send, approve, reject, a step, a link, stop, new, a session);
// the extension checks each message against what the view offers and decides.
const vscode = acquireVsCodeApi();
const root = document.getElementById('root');
const prompt = document.getElementById('prompt');
const form = document.getElementById('composer');
let seq = Number(root.dataset.seq) || 0;
const saved = vscode.getState();
if (saved && typeof saved.draft === 'string') prompt.value = saved.draft;

function nearBottom() {
  return window.innerHeight + window.scrollY >= document.body.scrollHeight - 40;
}
window.addEventListener('message', (event) => {
  const m = event.data;
  if (m && m.type === 'update' && typeof m.html === 'string' && typeof m.seq === 'number' && m.seq > seq) {
    const follow = nearBottom();
    seq = m.seq;
    root.innerHTML = m.html;
    if (follow) window.scrollTo(0, document.body.scrollHeight);
  }
  if (m && m.type === 'sent') {
    prompt.value = '';
    vscode.setState({ draft: '' });
  }
});
prompt.addEventListener('input', () => vscode.setState({ draft: prompt.value }));
prompt.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    form.requestSubmit();
  }
});
form.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = prompt.value.trim();
  if (text !== '') vscode.postMessage({ type: 'send', text });
});
document.addEventListener('change', (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute('data-sessions')) {
    if (target.value === '') vscode.postMessage({ type: 'new' });
    else vscode.postMessage({ type: 'session', sessionId: target.value });
  }
});
document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target.closest('button') : null;
  if (!target || target.disabled) return;
  if (target.hasAttribute('data-approve')) vscode.postMessage({ type: 'approve', approvalId: target.getAttribute('data-approve') });
  else if (target.hasAttribute('data-reject')) vscode.postMessage({ type: 'reject', approvalId: target.getAttribute('data-reject') });
  else if (target.hasAttribute('data-step')) vscode.postMessage({ type: 'step', step: target.getAttribute('data-step') });
  else if (target.hasAttribute('data-open-call')) vscode.postMessage({ type: 'open', callId: target.getAttribute('data-open-call'), index: Number(target.getAttribute('data-open-index')) });
  else if (target.hasAttribute('data-stop')) vscode.postMessage({ type: 'stop' });
  else if (target.hasAttribute('data-new')) vscode.postMessage({ type: 'new' });
});
window.scrollTo(0, document.body.scrollHeight);
