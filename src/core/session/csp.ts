// Which socket a `securitypolicyviolation` is about. The event names the blocked URL the way
// CSP reports it (possibly only a scheme, or an origin), never the socket, so the link rests on
// the URL and on time.
import { normalizeWsUrl } from '../network/ws-url.ts';
import type { HookEventOf } from '../wire/protocol.ts';
import { wallOf } from './clock.ts';
import type { CspViolation } from './connection.ts';
import type { DocState, SessionState } from './state.ts';

/**
 * How long after a socket's creation its CSP violation may come. Measured in Chromium 156: the
 * event fires ~1 ms after the constructor returns, before the socket's `error`
 * (docs/page-signals.md); the margin covers a busy page.
 */
export const CSP_LINK_MS = 3_000;

/** "ws://host:port" of a normalized URL (normalizeWsUrl: scheme and host lower-cased, no userinfo). */
const originOf = (normalized: string): string => {
  const i = normalized.indexOf('/', normalized.indexOf('://') + 3);
  return i < 0 ? normalized : normalized.slice(0, i);
};
/** http(s) as the WebSocket scheme it stands for, in a bare-scheme report. */
const WS_SCHEME: Record<string, string> = { ws: 'ws', wss: 'wss', http: 'ws', https: 'wss' };

/**
 * Does a violation's blockedURI name this socket's URL? Equal after normalisation (userinfo,
 * default port, case, and http(s) for ws(s): the handshake is fetched as an http(s) request,
 * Fetch Standard "WebSocket connections"); or, when the report was cut to the origin, the same
 * origin; or, when it was cut to the scheme alone (the Reporting spec's "strip URL for use in
 * reports" does that to any URL whose scheme is not http(s)), the same scheme. Chromium 156
 * reports the full URL without userinfo (docs/page-signals.md).
 */
export function violationNames(blocked: string, socketUrl: string): boolean {
  const scheme = WS_SCHEME[blocked.trim().toLowerCase()];
  const url = normalizeWsUrl(socketUrl);
  if (scheme !== undefined) return url.startsWith(`${scheme}://`);
  const b = normalizeWsUrl(blocked);
  if (b === url) return true;
  const origin = originOf(b);
  return b === `${origin}/` && originOf(url) === origin;
}

/**
 * Links a CSP violation to the socket it explains: the most recent socket of the same document
 * that the browser refused at creation (createdState 3) or that never opened, created at most
 * CSP_LINK_MS before, whose URL the report names, and that has no violation yet. A violation
 * that names no such socket (a blocked fetch, EventSource or beacon also reports connect-src)
 * is not ours: it is dropped.
 */
export function linkViolation(state: SessionState, d: DocState, ev: HookEventOf<'csp'>): void {
  // The hook records no other directive; a page forging events can claim anything.
  if (ev.directive !== 'connect-src' && ev.directive !== 'default-src') return;
  const at = wallOf(d, ev.t);
  for (let i = state.order.length - 1; i >= 0; i--) {
    const c = state.connections.get(state.order[i]!);
    if (!c || c.doc !== d.doc) continue;
    if (at - c.createdAt > CSP_LINK_MS) return; // creation order: every earlier one is older still
    // A socket whose constructor threw is a candidate too: Firefox refuses a CSP-blocked URL by
    // throwing (NS_ERROR_CONTENT_BLOCKED, measured in Firefox ESR 153) and then reports the violation.
    if (c.csp || at < c.createdAt) continue;
    if (c.createdState !== 3 && c.openedAt !== undefined) continue;
    if (!violationNames(ev.blocked, c.url)) continue;
    const v: CspViolation = { at, directive: ev.directive, blocked: ev.blocked, policy: ev.policy };
    if (ev.disposition) v.disposition = ev.disposition;
    c.csp = v;
    return;
  }
}
