// Deep capture as the panel sees it: the hub's state for the switch, the text that goes with
// it, and the origins the user asked us to remember. Pure (a Storage is handed in), so the rules
// are unit-tested without a browser; host.ts and the switch component wire them up.
import type { Connection } from '../core/session/connection.ts';
import type { HubToPanel } from '../core/wire/protocol.ts';
import { ui, type UiKey, type UiLang } from './i18n.ts';

export type DeepMsg = Extract<HubToPanel, { type: 'hub-deep' }>;
export type DeepError = NonNullable<DeepMsg['error']>;
/** What the switch shows: the hub's last word, or `off` before any. */
export interface DeepView {
  state: DeepMsg['state'];
  error?: DeepError;
  workers?: number;
  /** While on: a Shared Worker Chrome would not attach (another debugger holds it). */
  sharedRefused?: DeepMsg['sharedRefused'];
}

export const DEEP_OFF: DeepView = { state: 'off' };

/**
 * How long the panel waits for the hub's first word after asking for deep capture. Attaching
 * chrome.debugger to a tab answers within a few hundred ms; a hub without the engine (an older
 * build) never answers, and the switch must not say "attaching…" forever.
 */
export const DEEP_ANSWER_MS = 5000;

/** The hub's message as the switch's state (an error without a code is an unsupported one). */
export function deepView(msg: DeepMsg): DeepView {
  const v: DeepView = { state: msg.state };
  if (msg.state === 'error') v.error = msg.error ?? 'unsupported';
  if (msg.state === 'on') v.workers = msg.workers ?? 0;
  if (msg.state === 'on' && msg.sharedRefused) v.sharedRefused = msg.sharedRefused;
  return v;
}

/** The note under the switch while on: a Shared Worker left to the network layer, with Chrome's words. */
export function deepNote(v: DeepView): { key: UiKey; params: Record<string, string> } | undefined {
  if (v.state !== 'on' || !v.sharedRefused) return undefined;
  return { key: 'deepSharedRefused', params: { url: v.sharedRefused.url, text: v.sharedRefused.text } };
}

const ERROR_KEY: Record<DeepError, UiKey> = {
  'other-debugger': 'deepErrOtherDebugger',
  'detached-by-user': 'deepErrDetachedByUser',
  'target-gone': 'deepErrTargetGone',
  'not-allowed': 'deepErrNotAllowed',
  unsupported: 'deepErrUnsupported',
};

/** The state line next to the switch: a catalogue key and its parameters, or nothing when off. */
export function deepLabel(v: DeepView): { key: UiKey; params?: Record<string, number> } | undefined {
  switch (v.state) {
    case 'off':
      return undefined;
    case 'attaching':
      return { key: 'deepAttaching' };
    case 'on':
      return v.workers === 1 ? { key: 'deepOnOneWorker' } : { key: 'deepOnWorkers', params: { n: v.workers ?? 0 } };
    case 'error':
      return { key: ERROR_KEY[v.error ?? 'unsupported'] };
  }
}

/** The switch reads as on while the hub attaches or holds the debugger. */
export function deepChecked(v: DeepView): boolean {
  return v.state === 'attaching' || v.state === 'on';
}

/** Origins remembered for deep capture, in the panel page's localStorage (the user ticked the box). */
export const DEEP_REMEMBER_KEY = 'socket-autopsy:deep-origins';
/** A bound on what a page-controlled string (the origin) can make us store. */
const MAX_ORIGINS = 200;

type Store = Pick<Storage, 'getItem' | 'setItem'>;

/** The origin of a page URL, or undefined for one without (about:blank, data:, a file's opaque origin). */
export function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const o = new URL(url).origin;
    return o && o !== 'null' ? o : undefined;
  } catch {
    return undefined;
  }
}

function read(s: Store): string[] {
  try {
    const v: unknown = JSON.parse(s.getItem(DEEP_REMEMBER_KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export function isRemembered(s: Store, origin: string | undefined): boolean {
  return origin !== undefined && read(s).includes(origin);
}

/** Adds or removes `origin`; the newest stays when the bound is reached. */
export function setRemembered(s: Store, origin: string | undefined, on: boolean): void {
  if (origin === undefined) return;
  const list = read(s).filter((o) => o !== origin);
  if (on) list.push(origin);
  s.setItem(DEEP_REMEMBER_KEY, JSON.stringify(list.slice(-MAX_ORIGINS)));
}

type WorkerInfo = NonNullable<Connection['worker']>;
const WORKER_KEY: Record<WorkerInfo['type'], UiKey> = { dedicated: 'workerDedicated', shared: 'workerShared', service: 'workerService' };

/** The chip on a worker's connection: "worker", "shared worker", "service worker". */
export function workerLabel(lang: UiLang, w: WorkerInfo): string {
  return ui(lang, WORKER_KEY[w.type]);
}

/** Which worker opened the connection, with its script URL (tooltips, the Overview). */
export function workerTitle(lang: UiLang, w: WorkerInfo): string {
  return ui(lang, 'workerOf', { kind: workerLabel(lang, w), url: w.url });
}

/** Where the panel runs (host.ts): what it can offer for sockets the page hook cannot see. */
export type PanelPlace = 'chrome' | 'firefox' | 'file';

/** The hint on a row seen on the network only, and the status bar's note on workers. */
export function unseenHints(place: PanelPlace, deep: DeepView): { row?: UiKey; note: UiKey } {
  if (place === 'firefox') return { row: 'netOnlyHintFirefox', note: 'workerNoteFirefox' };
  if (place === 'file') return { note: 'workerNote' };
  return deep.state === 'on' ? { note: 'workerNoteDeep' } : { row: 'netOnlyHintChrome', note: 'workerNoteChrome' };
}
