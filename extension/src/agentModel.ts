// The Intern view's content: a session's events (mlintern/agentEvent, and mlintern/agentSession
// on resume) folded into a conversation — user messages, the assistant's streamed text, one card
// per tool call with its result and links, approval cards, next-step buttons — rendered as HTML
// under the nonce CSP, and the messages the page may post back, each checked against what the
// view shows. Also the diff links' unified diffs applied to a file's text (for the preview the
// user accepts or not). Pure, unit-tested; agentView.ts does the VS Code side.
import { bytesText } from './hubModel';
import { escapeHtml as esc, truncate } from './html';
import { isObject } from './json';
import type { AgentApproval, AgentEvent, AgentLink, AgentMode, AgentSessionSummary, AgentStep, AgentToolCall, AgentToolResult } from './protocol';
import { PageOptions, webviewPage } from './webviewPage';
import css from './webview/agent.css';
import script from './webview/agent.page.js';

// Folding events into a conversation.

export type ApprovalStatus = 'pending' | 'answered';

export type ConversationItem =
  | { readonly kind: 'user'; readonly seq: number; readonly text: string }
  | { readonly kind: 'assistant'; readonly seq: number; readonly text: string }
  | { readonly kind: 'tool'; readonly seq: number; readonly call: AgentToolCall; readonly result?: AgentToolResult }
  | { readonly kind: 'approval'; readonly seq: number; readonly approval: AgentApproval; readonly status: ApprovalStatus }
  | { readonly kind: 'steps'; readonly seq: number; readonly steps: readonly AgentStep[]; readonly active: boolean }
  | { readonly kind: 'done'; readonly seq: number; readonly text?: string }
  | { readonly kind: 'error'; readonly seq: number; readonly text: string };

/** Where a session stands, as its events tell: working, waiting for the human, or finished. */
export type SessionPhase = 'idle' | 'running' | 'waiting' | 'finished';

export interface Conversation {
  readonly items: readonly ConversationItem[];
  readonly phase: SessionPhase;
  /** The approval the session waits for, if any (the last approval, with nothing after it but next steps). */
  readonly pendingApproval?: AgentApproval;
  /** The next steps the user may choose now (the last nextSteps event, with nothing after it). */
  readonly nextSteps: readonly AgentStep[];
}

/** A session's events in order, each seq once (a later copy of a seq replaces the earlier). */
export function mergeEvents(known: readonly AgentEvent[], added: readonly AgentEvent[]): AgentEvent[] {
  const bySeq = new Map<number, AgentEvent>();
  for (const e of known) bySeq.set(e.seq, e);
  for (const e of added) bySeq.set(e.seq, e);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/**
 * The conversation of a session's events (sorted by seq). `answered` holds the approval ids the
 * user answered in this window, whose cards stop offering buttons before the session moves on.
 */
export function conversation(events: readonly AgentEvent[], answered: ReadonlySet<string> = new Set()): Conversation {
  const items: ConversationItem[] = [];
  const toolIndex = new Map<string, number>();
  for (const e of events) {
    switch (e.kind) {
      case 'user':
        items.push({ kind: 'user', seq: e.seq, text: e.text ?? '' });
        break;
      case 'text': {
        const last = items.at(-1);
        if (last?.kind === 'assistant') items[items.length - 1] = { ...last, text: last.text + (e.text ?? '') };
        else items.push({ kind: 'assistant', seq: e.seq, text: e.text ?? '' });
        break;
      }
      case 'toolCall':
        if (!e.tool) break;
        toolIndex.set(e.tool.callId, items.length);
        items.push({ kind: 'tool', seq: e.seq, call: e.tool });
        break;
      case 'toolResult': {
        if (!e.result) break;
        const at = toolIndex.get(e.result.callId);
        const item = at === undefined ? undefined : items[at];
        if (item?.kind === 'tool') items[at!] = { ...item, result: e.result };
        else {
          toolIndex.set(e.result.callId, items.length);
          items.push({ kind: 'tool', seq: e.seq, call: { callId: e.result.callId, name: e.result.name, arguments: '', title: e.result.name }, result: e.result });
        }
        break;
      }
      case 'approval':
        if (e.approval) items.push({ kind: 'approval', seq: e.seq, approval: e.approval, status: 'answered' });
        break;
      case 'nextSteps':
        if (e.nextSteps && e.nextSteps.length > 0) items.push({ kind: 'steps', seq: e.seq, steps: e.nextSteps, active: false });
        break;
      case 'done':
        items.push({ kind: 'done', seq: e.seq, text: e.text });
        break;
      case 'error':
        items.push({ kind: 'error', seq: e.seq, text: e.text ?? 'The intern stopped with an error.' });
        break;
    }
  }
  // What is still open: the approval and next steps at the end (no work of the session after them).
  let pendingApproval: AgentApproval | undefined;
  let nextSteps: readonly AgentStep[] = [];
  let stepsSeq: number | undefined;
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.kind === 'nextSteps') {
      if (stepsSeq === undefined && e.nextSteps && e.nextSteps.length > 0) {
        stepsSeq = e.seq;
        nextSteps = e.nextSteps;
      }
    } else if (e.kind === 'approval') {
      if (!pendingApproval && e.approval && !answered.has(e.approval.approvalId)) pendingApproval = e.approval;
    } else break;
  }
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (item.kind === 'steps' && item.seq === stepsSeq) items[i] = { ...item, active: true };
    else if (item.kind === 'approval' && item.approval === pendingApproval) items[i] = { ...item, status: 'pending' };
  }
  const last = events.at(-1);
  let phase: SessionPhase;
  if (!last) phase = 'idle';
  else if (last.kind === 'done' || last.kind === 'error') phase = 'finished';
  else if (pendingApproval || (last.kind === 'nextSteps' && nextSteps.length > 0)) phase = 'waiting';
  else if (last.kind === 'approval') phase = 'running'; // answered here; the session goes on
  else phase = 'running';
  return { items, phase, pendingApproval, nextSteps };
}

/** The launches (startRun answers) among events: each a run the editor runs as its training task. */
export function launches(events: readonly AgentEvent[]): { readonly callId: string; readonly launch: NonNullable<AgentToolResult['launch']> }[] {
  return events.flatMap((e) => (e.kind === 'toolResult' && e.result?.launch ? [{ callId: e.result.callId, launch: e.result.launch }] : []));
}

/** The link a card offers: `index` among the links of the result of `callId`. */
export function findLink(events: readonly AgentEvent[], callId: string, index: number): AgentLink | undefined {
  for (const e of events) if (e.kind === 'toolResult' && e.result?.callId === callId) return e.result.links[index];
  return undefined;
}

// Links.

/** A finding's or file's place: the URI without its fragment, and the 1-based line of `#L12` (or `#L12-L14`, `#12`). */
export function linkTarget(uri: string): { readonly uri: string; readonly line?: number } {
  const hash = uri.indexOf('#');
  if (hash < 0) return { uri };
  const m = /^L?(\d+)/.exec(uri.slice(hash + 1));
  const line = m ? Number(m[1]) : undefined;
  return { uri: uri.slice(0, hash), line: line !== undefined && line >= 1 ? line : undefined };
}

// The unified diff of a diff link, applied to the file as it is.

export interface Hunk {
  readonly oldStart: number;
  readonly oldLines: readonly string[];
  readonly newLines: readonly string[];
}

/** The hunks of a unified diff (one file); undefined when it has none or a hunk is malformed. */
export function parseUnifiedDiff(diff: string): Hunk[] | undefined {
  const lines = diff.replace(/\r\n/g, '\n').split('\n');
  const hunks: Hunk[] = [];
  let i = 0;
  while (i < lines.length) {
    const header = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(lines[i]!);
    if (!header) {
      i++;
      continue;
    }
    const oldCount = header[2] === undefined ? 1 : Number(header[2]);
    const newCount = header[4] === undefined ? 1 : Number(header[4]);
    const oldLines: string[] = [];
    const newLines: string[] = [];
    i++;
    while (i < lines.length && (oldLines.length < oldCount || newLines.length < newCount)) {
      const line = lines[i]!;
      const tag = line[0];
      const body = line.slice(1);
      if (tag === ' ' || (line === '' && oldLines.length < oldCount && newLines.length < newCount)) {
        oldLines.push(body);
        newLines.push(body);
      } else if (tag === '-') oldLines.push(body);
      else if (tag === '+') newLines.push(body);
      else if (tag !== '\\') return undefined;
      i++;
    }
    if (oldLines.length !== oldCount || newLines.length !== newCount) return undefined;
    // An empty old range (`-0,0`) inserts after line 0, i.e. at the start.
    hunks.push({ oldStart: oldCount === 0 ? Number(header[1]) + 1 : Number(header[1]), oldLines, newLines });
  }
  return hunks.length > 0 ? hunks : undefined;
}

/**
 * `text` with the diff applied, or why it cannot be: every hunk's old lines must be exactly the
 * file's lines where the hunk says (the file did not change since the diff was made).
 */
export function applyUnifiedDiff(text: string, diff: string): { readonly text: string } | { readonly problem: string } {
  const hunks = parseUnifiedDiff(diff);
  if (!hunks) return { problem: 'the proposed change is not a diff ML Intern can read' };
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  const out: string[] = [];
  let next = 0; // 0-based index of the next line of `lines` not yet copied
  for (const h of hunks) {
    const start = h.oldStart - 1;
    if (start < next || start + h.oldLines.length > lines.length) return { problem: 'the file changed since the intern proposed this' };
    for (let k = 0; k < h.oldLines.length; k++) {
      if (lines[start + k] !== h.oldLines[k]) return { problem: `the file changed since the intern proposed this (line ${start + k + 1})` };
    }
    out.push(...lines.slice(next, start), ...h.newLines);
    next = start + h.oldLines.length;
  }
  out.push(...lines.slice(next));
  return { text: out.join(eol) };
}

/** The 0-based first line a diff changes, to show it in the preview. */
export function firstChangedLine(diff: string): number | undefined {
  const hunks = parseUnifiedDiff(diff);
  if (!hunks) return undefined;
  const h = hunks[0]!;
  let k = 0;
  while (k < h.oldLines.length && k < h.newLines.length && h.oldLines[k] === h.newLines[k]) k++;
  return Math.max(0, h.oldStart - 1 + k);
}

// Messages the page may post.

export type AgentViewMessage =
  | { readonly type: 'send'; readonly text: string }
  | { readonly type: 'approve'; readonly approvalId: string }
  | { readonly type: 'reject'; readonly approvalId: string }
  | { readonly type: 'step'; readonly step: string }
  | { readonly type: 'open'; readonly callId: string; readonly index: number }
  | { readonly type: 'stop' }
  | { readonly type: 'new' }
  | { readonly type: 'session'; readonly sessionId: string };

/** The longest message a user may send (characters). */
export const MaxPromptChars = 20_000;

/** What the view offers now, against which a page's message is checked. */
export interface Offered {
  readonly pendingApprovalId?: string;
  readonly stepIds: readonly string[];
  readonly links: (callId: string, index: number) => boolean;
  readonly sessionIds: readonly string[];
  readonly canStop: boolean;
}

/** A message from the page, accepted only when well-formed and about something the view offers now. */
export function parseAgentMessage(value: unknown, offered: Offered): AgentViewMessage | undefined {
  if (!isObject(value)) return undefined;
  switch (value.type) {
    case 'send': {
      if (typeof value.text !== 'string') return undefined;
      const text = value.text.trim();
      return text !== '' && text.length <= MaxPromptChars ? { type: 'send', text } : undefined;
    }
    case 'approve':
    case 'reject':
      return typeof value.approvalId === 'string' && value.approvalId === offered.pendingApprovalId ? { type: value.type, approvalId: value.approvalId } : undefined;
    case 'step':
      return typeof value.step === 'string' && offered.stepIds.includes(value.step) ? { type: 'step', step: value.step } : undefined;
    case 'open':
      return typeof value.callId === 'string' && typeof value.index === 'number' && Number.isInteger(value.index) && value.index >= 0 && offered.links(value.callId, value.index)
        ? { type: 'open', callId: value.callId, index: value.index }
        : undefined;
    case 'stop':
      return offered.canStop ? { type: 'stop' } : undefined;
    case 'new':
      return { type: 'new' };
    case 'session':
      return typeof value.sessionId === 'string' && offered.sessionIds.includes(value.sessionId) ? { type: 'session', sessionId: value.sessionId } : undefined;
    default:
      return undefined;
  }
}

// HTML.

export interface AgentViewState {
  readonly sessions: readonly AgentSessionSummary[];
  /** The session shown; undefined for a new conversation not started yet. */
  readonly sessionId?: string;
  readonly mode?: AgentMode;
  readonly events: readonly AgentEvent[];
  readonly answered: ReadonlySet<string>;
  /** A problem of the view itself (the sidecar not running, a request refused). */
  readonly notice?: string;
  /** A request of the user's is under way (sending, approving). */
  readonly busy?: boolean;
}

export function renderAgentHtml(state: AgentViewState, options: PageOptions, seq = 0): string {
  const body =
    `<div id="root" data-seq="${seq}">${agentBodyHtml(state)}</div>` +
    `<form id="composer" autocomplete="off"><textarea id="prompt" rows="2" maxlength="${MaxPromptChars}" aria-label="Message to the intern" ` +
    `placeholder="Describe your project, e.g. a classifier for our support tickets in data/; don't spend money without asking"></textarea>` +
    `<div class="composer-actions"><button type="submit" id="send" data-send>Send</button></div></form>`;
  return webviewPage('Intern', options, { css, body, script });
}

export function agentBodyHtml(state: AgentViewState): string {
  const c = conversation(state.events, state.answered);
  const running = c.phase === 'running';
  const session = state.sessions.find((s) => s.id === state.sessionId);
  const mode = state.mode ?? session?.mode;
  const header =
    `<header data-phase="${c.phase}" data-session="${esc(state.sessionId ?? '')}"${mode ? ` data-mode="${mode}"` : ''}>` +
    sessionPicker(state) +
    (mode ? `<span class="mode mode-${mode}" title="${mode === 'guided' ? 'No LLM endpoint is configured (mlintern.assistant.endpoint): the intern runs the fixed workflow and offers each next step.' : 'The intern talks to the configured LLM endpoint.'}">${mode === 'guided' ? 'guided' : 'LLM'}</span>` : '') +
    (running ? `<button class="stop" data-stop title="Stop the intern's current step">Stop</button>` : '') +
    `<button class="new" data-new title="Start a new conversation">New</button>` +
    `</header>`;
  const notice = state.notice ? `<p class="notice" data-notice>${esc(state.notice)}</p>` : '';
  if (c.items.length === 0) {
    return (
      header +
      notice +
      `<p class="hint" data-state="empty">Tell the intern about your project: what to train, on which data, what you care about. ` +
      `It inspects the data set, checks the script, plans the training and asks before anything that costs compute, writes outside <code>.mlintern/</code>, downloads or publishes.</p>`
    );
  }
  const items = c.items.map((item) => itemHtml(item, state.busy ?? false)).join('');
  const status = running ? `<p class="status" data-state="running"><span class="spinner"></span> The intern is working…</p>` : '';
  return `${header}${notice}<ol class="conversation">${items}</ol>${status}`;
}

function sessionPicker(state: AgentViewState): string {
  if (state.sessions.length === 0) return `<span class="title">New conversation</span>`;
  const options = [
    ...(state.sessionId === undefined || !state.sessions.some((s) => s.id === state.sessionId) ? [`<option value="" selected>New conversation</option>`] : []),
    ...state.sessions.map((s) => `<option value="${esc(s.id)}"${s.id === state.sessionId ? ' selected' : ''}>${esc(truncate(s.title || s.id, 60))} · ${esc(s.state)}</option>`),
  ];
  return `<select class="sessions" data-sessions aria-label="Conversation">${options.join('')}</select>`;
}

function itemHtml(item: ConversationItem, busy: boolean): string {
  switch (item.kind) {
    case 'user':
      return `<li class="msg user" data-kind="user" data-seq="${item.seq}"><div class="who">You</div><div class="text">${esc(item.text)}</div></li>`;
    case 'assistant':
      return `<li class="msg assistant" data-kind="assistant" data-seq="${item.seq}"><div class="who">Intern</div><div class="text">${esc(item.text)}</div></li>`;
    case 'tool':
      return toolCardHtml(item.call, item.result);
    case 'approval':
      return approvalCardHtml(item.approval, item.status, busy);
    case 'steps':
      return (
        `<li class="steps" data-kind="steps" data-seq="${item.seq}"${item.active ? ' data-active' : ''}>` +
        item.steps.map((s) => `<button class="step" data-step="${esc(s.id)}"${item.active && !busy ? '' : ' disabled'}>${esc(s.title)}</button>`).join('') +
        `</li>`
      );
    case 'done':
      return `<li class="done" data-kind="done">${esc(item.text || 'Done.')}</li>`;
    case 'error':
      return `<li class="error" data-kind="error">${esc(item.text)}</li>`;
  }
}

/** A tool card: the tool, its inputs, its result with links. */
export function toolCardHtml(call: AgentToolCall, result: AgentToolResult | undefined): string {
  const state = result ? (result.ok ? 'ok' : 'failed') : 'running';
  const args = argumentsText(call.arguments);
  const links = result?.links.length
    ? `<div class="links">${result.links.map((l, i) => `<button class="link link-${l.kind}" data-open-call="${esc(call.callId)}" data-open-index="${i}" title="${esc(linkTitle(l))}">${esc(l.label)}</button>`).join('')}</div>`
    : '';
  return (
    `<li class="card tool ${state}" data-kind="tool" data-tool="${esc(call.name)}" data-call="${esc(call.callId)}" data-state="${state}">` +
    `<div class="card-head"><span class="icon ${state}"></span><span class="tool-title">${esc(call.title || call.name)}</span> <code class="tool-name">${esc(call.name)}</code></div>` +
    (args ? `<details class="inputs"><summary>inputs</summary><pre>${esc(args)}</pre></details>` : '') +
    (result ? `<div class="summary">${esc(result.summary)}</div>${links}${result.launch ? `<div class="launch muted">Runs as task “${esc(result.launch.run.title)}” (${esc(result.launch.runId)}).</div>` : ''}` : `<div class="summary muted">running…</div>`) +
    `</li>`
  );
}

/** An approval card: what would be approved, and Approve / Reject while it waits. */
export function approvalCardHtml(approval: AgentApproval, status: ApprovalStatus, busy = false): string {
  const lines: string[] = [];
  if (approval.plan) {
    const prompt = approval.plan.approvalPrompt;
    lines.push(`<div class="prompt">${esc(prompt.message)}</div>`);
    if (prompt.figureLines.length > 0) lines.push(`<ul class="figures">${prompt.figureLines.map((f) => `<li>${esc(f)}</li>`).join('')}</ul>`);
  }
  if (approval.preflight) {
    const p = approval.preflight;
    lines.push(
      `<div class="prompt">${esc(`${p.repoType} ${p.repoId} (${p.private ? 'private' : 'public'}): ${p.files.length} file(s)`)}</div>` +
        (p.passed ? '' : `<div class="error">The preflight is blocked: ${esc(p.problems.map((x) => x.message).join('; '))}</div>`),
    );
  }
  if (approval.download) {
    const d = approval.download;
    lines.push(`<div class="prompt">${esc(`${d.id}: ${d.files.length} Parquet file(s), ${bytesText(d.totalBytes)}, license ${d.license ?? 'unknown'}, into ${d.directory}`)}</div>`);
  }
  const pending = status === 'pending';
  const buttons = pending
    ? `<div class="actions"><button class="approve" data-approve="${esc(approval.approvalId)}"${busy ? ' disabled' : ''}>Approve…</button>` +
      `<button class="reject secondary" data-reject="${esc(approval.approvalId)}"${busy ? ' disabled' : ''}>Reject</button></div>` +
      `<div class="muted">Approve opens the same dialog as the command palette; nothing runs unless you confirm it there.</div>`
    : '';
  return (
    `<li class="card approval ${status}" data-kind="approval" data-approval="${esc(approval.approvalId)}" data-approval-kind="${approval.kind}" data-status="${status}">` +
    `<div class="card-head"><span class="icon approval"></span><span class="tool-title">${esc(approval.title)}</span></div>` +
    lines.join('') +
    buttons +
    `</li>`
  );
}

/** A tool call's arguments as indented JSON (as sent when they are not JSON). */
export function argumentsText(args: string): string {
  if (args.trim() === '' || args.trim() === '{}') return '';
  try {
    return truncate(JSON.stringify(JSON.parse(args), null, 2), 4000);
  } catch {
    return truncate(args, 4000);
  }
}

function linkTitle(l: AgentLink): string {
  switch (l.kind) {
    case 'finding':
      return `Open the finding${l.code ? ` ${l.code}` : ''}`;
    case 'diff':
      return 'Preview the proposed change; it is applied only if you accept it';
    case 'plan':
      return 'Open the training plan';
    case 'run':
      return `Show the metrics of run ${l.runId ?? ''}`;
    case 'evaluation':
      return `Open the evaluation of run ${l.runId ?? ''}`;
    case 'card':
      return 'Open the model card';
    case 'rule':
      return `Open the rule page${l.code ? ` of ${l.code}` : ''}`;
    case 'file':
      return 'Open the file';
  }
}

/**
 * The run a publish approval is for: the `runId` argument of the tool call the approval follows,
 * else the run folder its preflight names (`…/.mlintern/runs/<id>/…`).
 */
export function publishRunId(events: readonly AgentEvent[], approval: AgentApproval): string | undefined {
  const at = events.findIndex((e) => e.kind === 'approval' && e.approval?.approvalId === approval.approvalId);
  for (let i = (at < 0 ? events.length : at) - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.kind !== 'toolCall' || !e.tool) continue;
    try {
      const args: unknown = JSON.parse(e.tool.arguments);
      if (isObject(args) && typeof args.runId === 'string' && args.runId !== '') return args.runId;
    } catch {
      // not JSON: look further back
    }
    break;
  }
  const m = approval.preflight ? /[\\/]\.mlintern[\\/]runs[\\/]([^\\/]+)/.exec(approval.preflight.folder) : null;
  return m?.[1];
}
