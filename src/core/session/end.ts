// One model of how a connection ended, computed once and read by the diagnosis, the HAR
// export (closedBy), the reconnect analysis (was it a failure?) and the CLI: who closed it,
// when, how long each direction had been silent, and whether the end was a failure.
import { heartbeatClose, type HeartbeatClose } from '../knowledge/client-heartbeats.ts';
import type { CloseCall, Connection } from './connection.ts';

/**
 * page: the page's close() call took effect; server: a close frame with a code only an
 * endpoint sends; browser: a code the browser reports itself (1006, 1015: never on the wire,
 * RFC 6455 §7.4.1) or a socket it blocked; navigation: the document went away;
 * network-only: seen on the network only, no page socket.
 */
export type EndBy = 'page' | 'server' | 'browser' | 'navigation' | 'network-only';

export interface ConnectionEnd {
  at: number;
  by: EndBy;
  code: number;
  reason: string;
  opened: boolean;
  /** The page's first effective close() call before the close. */
  pageCall?: CloseCall;
  /** The page's close() was its library giving up on a silent server. */
  heartbeat?: HeartbeatClose;
  /** Since the last inbound frame (or the open, if none came). Undefined before open. */
  silenceInMs?: number;
  /** Since the last outbound frame (or the open). */
  silenceOutMs?: number;
  /** Since the last frame in either direction: what an idle timer that resets on both sees. */
  silenceMs?: number;
  lifetimeMs?: number;
  /** No data frame either way after the open. */
  noFrames: boolean;
  /** The end is a failure a client would retry: not asked for by the page, not a navigation, not 1000. */
  failure: boolean;
}

/** The page's first close() call that took effect before the close. */
export function pageCallOf(c: Connection): CloseCall | undefined {
  const close = c.close;
  return c.closeCalls.find((k) => !k.threw && (k.readyState === 0 || k.readyState === 1) && (!close || k.at <= close.at));
}

const cache = new WeakMap<Connection, { key: string; end: ConnectionEnd | undefined }>();

export function connectionEnd(c: Connection): ConnectionEnd | undefined {
  // Connections are mutated in place by the session reducer: key the cache on what can change.
  const key = `${c.close?.at}|${c.closeCalls.length}|${c.lastIn?.at}|${c.lastOut?.at}|${c.openedAt}`;
  const hit = cache.get(c);
  if (hit && hit.key === key) return hit.end;
  const end = compute(c);
  cache.set(c, { key, end });
  return end;
}

function compute(c: Connection): ConnectionEnd | undefined {
  const close = c.close;
  if (!close) return undefined;
  const pageCall = pageCallOf(c);
  const opened = c.openedAt !== undefined;
  const protocol = c.protocol || c.protocols.join(',');
  const heartbeat = pageCall
    ? heartbeatClose({ code: pageCall.code, reason: pageCall.reason ?? close.reason, stack: pageCall.stack, protocol, url: c.url })
    : close.code === 1000 ? heartbeatClose({ code: close.code, reason: close.reason, protocol, url: c.url }) : undefined;
  let by: EndBy;
  if (close.synthetic === 'network-only') by = 'network-only';
  else if (close.synthetic === 'blocked') by = 'browser';
  else if (close.synthetic) by = 'navigation';
  else if (pageCall || heartbeat) by = 'page';
  else if (close.code === 1006 || close.code === 1015) by = 'browser';
  else by = 'server';
  const end: ConnectionEnd = { at: close.at, by, code: close.code, reason: close.reason, opened, noFrames: !c.lastIn && !c.lastOut, failure: false };
  if (pageCall) end.pageCall = pageCall;
  if (heartbeat) end.heartbeat = heartbeat;
  if (opened) {
    const openedAt = c.openedAt!;
    end.lifetimeMs = close.at - openedAt;
    end.silenceInMs = close.at - Math.max(openedAt, c.lastIn?.at ?? -Infinity);
    end.silenceOutMs = close.at - Math.max(openedAt, c.lastOut?.at ?? -Infinity);
    end.silenceMs = Math.min(end.silenceInMs, end.silenceOutMs);
  }
  // A library giving up on a silent server is a failure even though the page called close().
  end.failure = heartbeat !== undefined || (by !== 'page' && by !== 'navigation' && close.code !== 1000);
  return end;
}
