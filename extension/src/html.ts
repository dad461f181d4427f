// The small text helpers every webview renderer shares: escaping and number formats.

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A share as a percentage with one decimal: 0.9 → "90.0%". */
export function pct(v: number): string {
  return `${(v * 100).toFixed(1)}%`;
}

/** A score with three decimals, "?" when it is not a number. */
export function f3(v: number): string {
  return Number.isFinite(v) ? v.toFixed(3) : '?';
}

/** One decimal, for SVG coordinates. */
export function r1(v: number): number {
  return Math.round(v * 10) / 10;
}

export function clamp01(v: number): number {
  return Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0;
}

/** A count with thousands separators, a fraction with one decimal, empty when unknown. */
export function count(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '';
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toFixed(1);
}

export function baseName(p: string): string {
  return p.split(/[\\/]/).pop() || p;
}
