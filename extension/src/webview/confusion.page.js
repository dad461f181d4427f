// The confusion matrix's toggle (counts / row-normalised), appended to the Metrics and Evaluation page scripts.
document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target.closest('button[data-cm]') : null;
  if (!target) return;
  const mode = target.getAttribute('data-cm');
  for (const t of document.querySelectorAll('table.confusion')) t.hidden = t.getAttribute('data-mode') !== mode;
  for (const b of document.querySelectorAll('button[data-cm]')) b.setAttribute('aria-pressed', String(b.getAttribute('data-cm') === mode));
});
