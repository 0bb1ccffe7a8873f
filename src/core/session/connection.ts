// What is recorded of one WebSocket: its messages, close, the page's close() call, CSP
// violations and counters, the page's context events around it, and the coarse outcome the
// panel colours it by.
import type { HookEventOf } from '../wire/protocol.ts';

export type Direction = 'out' | 'in';

export interface MessageRecord {
  /** Index of the message within its direction on its socket, as the hook numbered it. */
  n: number;
  dir: Direction;
  /** Wall-clock time, epoch milliseconds (fractional). */
  at: number;
  bin: boolean;
  size: number;
  /** Text, or base64 for binary; absent when not captured (yet). */
  data?: string;
  trunc?: boolean;
  /** A Blob payload that is still being read by the hook. */
  later?: boolean;
  /** Put into the connection from the panel (a send or a message injected, core/faults/), not by the page or the server. */
  inj?: true;
}

/** A fault command the hook applied to this connection (or refused, with why), from the panel. */
export type FaultRecord = Omit<HookEventOf<'inject'>, 'k' | 't' | 'sid'> & { at: number };

export type ConnectionState = 'connecting' | 'open' | 'closing' | 'closed';

/**
 * Why a connection ended when no close event was seen by the page: navigation, its frame went
 * away, the browser blocked it at creation and never fires `close` for it (CSP, Chromium 156),
 * or it was only ever seen on the network (no page socket: a Worker's, or one we missed).
 */
export type SyntheticEnd = 'pagehide' | 'frame-gone' | 'blocked' | 'network-only';

/** A `securitypolicyviolation` the page's document fired for this socket's URL. */
export interface CspViolation {
  at: number;
  /** e.g. "connect-src", "default-src". */
  directive: string;
  /** The URL the policy blocked, as the browser reported it (may be cut to its origin). */
  blocked: string;
  /** The whole policy, bounded. */
  policy: string;
  /** "enforce" or "report" (report-only policies do not block). */
  disposition?: string;
}

export interface CloseInfo {
  at: number;
  code: number;
  reason: string;
  wasClean: boolean;
  /** Set when we synthesized the end: the page never got a close event. */
  synthetic?: SyntheticEnd;
  /** The page was shown this close by an injected fault (the real socket closed with INJECTED_CLOSE_CODE). */
  injected?: true;
}

export interface CloseCall {
  at: number;
  code?: number;
  reason?: string;
  stack?: string;
  threw?: string;
  readyState: number;
}

export interface ConnectionStats {
  sent: number;
  received: number;
  bytesSent: number;
  bytesReceived: number;
  /** Message records evicted from this connection to honour the cap. */
  evicted: number;
  /**
   * Messages that never reached this session: evicted upstream (the relay's or the hub's ring)
   * before a panel asked for them. Known from the hook's per-socket numbering (`n`), so `sent`
   * and `received` stay exact; their bytes are unknown and not in the byte counts.
   */
  missed: number;
  maxSentSize: number;
  maxReceivedSize: number;
}

export interface Connection {
  /** `${doc}:${sid}`: unique across documents, frames and reloads. */
  id: string;
  doc: string;
  sid: number;
  url: string;
  protocols: string[];
  createStack?: string;
  /** new WebSocket() threw: no socket existed. */
  createThrew?: string;
  /** readyState right after the constructor returned: 3 (CLOSED) when the browser blocked it at once. */
  createdState?: number;
  /** The page's Content-Security-Policy blocked this socket. */
  csp?: CspViolation;
  /** Not a page socket: a handshake seen on the network only (derive.ts makes these). */
  netOnly?: boolean;
  /** Made in a worker (deep capture: the hook runs there too), from its document's hello. */
  worker?: { type: 'dedicated' | 'shared' | 'service'; url: string };
  createdAt: number;
  openedAt?: number;
  protocol?: string;
  extensions?: string;
  state: ConnectionState;
  errorAt?: number;
  closeCalls: CloseCall[];
  close?: CloseInfo;
  messages: MessageRecord[];
  stats: ConnectionStats;
  lastIn?: { at: number; size: number };
  lastOut?: { at: number; size: number };
  /** Faults injected into it from the panel, in order (bounded: the latest FAULTS_KEPT). */
  faults?: FaultRecord[];
  /** Fault records dropped to keep within FAULTS_KEPT (the oldest went). */
  faultsDropped?: number;
}

/** Fault records kept per connection. */
export const FAULTS_KEPT = 200;

/**
 * What the page's clocks did (session/clock.ts): wall time jumped against the monotonic clock by
 * more than a second, `sleep` when forward by SLEEP_MIN_MS or more (the machine slept).
 */
export type ClockContextKind = 'clock-jump' | 'sleep';
export type PageContextKind = HookEventOf<'page'>['what'] | ClockContextKind;

export interface PageContextEvent {
  doc: string;
  /** Wall time; for clock-jump and sleep, when the page noticed (its first event after). */
  at: number;
  what: PageContextKind;
  persisted?: boolean;
  /** clock-jump and sleep: how far wall time moved against the monotonic clock, ms (negative: back). */
  jumpMs?: number;
}

/** Milliseconds from creation to close (or to `now` for a live socket). */
export function durationOf(c: Connection, now: number): number {
  return (c.close?.at ?? now) - c.createdAt;
}

/** Coarse outcome used for colour, icon and filtering; the diagnosis says the rest. */
export type Outcome =
  | 'live'
  | 'clean'
  | 'abnormal'
  | 'handshake-failed'
  | 'server-error'
  | 'policy'
  | 'navigated'
  | 'retry'
  | 'app'
  | 'other';

export function outcomeOf(c: Connection): Outcome {
  if (c.createThrew) return 'other';
  const close = c.close;
  if (!close) return 'live';
  // Refused by the browser before any handshake: it failed, the page did not leave.
  if (close.synthetic === 'blocked') return 'handshake-failed';
  if (close.synthetic) return 'navigated';
  const code = close.code;
  if (code === 1006) return c.openedAt === undefined ? 'handshake-failed' : 'abnormal';
  if (code === 1011) return 'server-error';
  if (code === 1000 || code === 1001) return 'clean';
  if (code === 1008 || code === 3000 || code === 3003) return 'policy';
  if (code === 1012 || code === 1013) return 'retry';
  if (code >= 3000 && code <= 4999) return 'app';
  return 'other';
}
