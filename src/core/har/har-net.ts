// The network half of a HAR entry: what the browser's network layer said about a WebSocket's
// opening handshake (net.ts), written in the fields Chrome's own HAR uses for it and read back
// from ours and Chrome's. docs/har-network.md describes both shapes.
//
// Everything read here comes from a file someone else wrote, so every string that reaches a
// NetObservation is bounded and inert (net.ts `inert`): a header value can hold 1 MB, control
// characters or bidi overrides, and the panel and the CLI print them.
import { HEADER_VALUE_MAX, inert, NET_HEADERS_MAX, pickHeaders, type NetHeader } from '../network/net.ts';

/** NetHeaderSchema's bounds (net.ts): pickHeaders cuts before it escapes, so its output can pass them. */
const NAME_MAX = 128;
const VALUE_MAX = HEADER_VALUE_MAX + 1;

/** `s` inert and at most `max` characters, the cut marked with an ellipsis. */
export function boundedInert(s: string, max: number): string {
  // inert() cuts before it escapes, and an escape is longer than the character: cut again.
  let out = inert(s, max);
  if (out.length <= max) return out;
  out = out.slice(0, max - 1);
  // Never leave half of an escape (`\u{1b`) or half of a surrogate pair at the cut.
  const esc = out.lastIndexOf('\\u{');
  if (esc >= 0 && out.indexOf('}', esc) < 0) out = out.slice(0, esc);
  const last = out.charCodeAt(out.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) out = out.slice(0, -1);
  return `${out}…`;
}

/** What pickHeaders writes for a Cookie header: reading it again must not recount it as one cookie. */
const REDACTED_COOKIE = /^\[redacted: \d+ cookies?\]$/;

/**
 * pickHeaders over headers read from a file, one at a time so that a value pickHeaders itself
 * redacted (our own export) is kept as it is: redacting it again would count the cookies in
 * "[redacted: 2 cookies]" as one. The bound is pickHeaders' own (NET_HEADERS_MAX).
 */
export function pickFileHeaders(kind: 'request' | 'response', raw: readonly { name: string; value: string }[] | undefined): { headers: NetHeader[]; dropped: number } {
  const headers: NetHeader[] = [];
  let dropped = 0;
  if (!raw) return { headers, dropped };
  for (const h of raw) {
    if (headers.length >= NET_HEADERS_MAX) {
      dropped++;
      continue;
    }
    const one = pickHeaders(kind, [h]);
    const kept = one.headers[0];
    if (!kept) {
      dropped += one.dropped;
      continue;
    }
    if (h.name.toLowerCase() === 'cookie' && REDACTED_COOKIE.test(h.value)) kept.value = h.value;
    headers.push({ name: boundedInert(kept.name, NAME_MAX), value: boundedInert(kept.value, VALUE_MAX) });
  }
  return { headers, dropped };
}

/** "HTTP/1.1 403 Forbidden" → its version and reason phrase (HAR keeps them apart). */
export function statusLineParts(line: string | undefined): { version?: string; phrase?: string } {
  if (!line) return {};
  const m = /^(HTTP\/\d(?:\.\d)?)\s+\d{3}(?:\s+(.*))?$/.exec(line.trim());
  if (!m) return {};
  const out: { version?: string; phrase?: string } = { version: m[1]! };
  if (m[2]) out.phrase = m[2];
  return out;
}

/** A status line from HAR's split fields, when the response had a status at all. */
export function statusLineOf(httpVersion: string | undefined, status: number, statusText: string | undefined): string | undefined {
  if (status <= 0 || !statusText) return undefined;
  const version = httpVersion && /^HTTP\/\d(?:\.\d)?$/.test(httpVersion) ? httpVersion : 'HTTP/1.1';
  return `${version} ${status} ${statusText}`;
}

/**
 * Chrome writes the `time` of a handshake's error frame sometimes in epoch seconds and
 * sometimes in seconds since an unrelated origin (211.2 for a socket of 2026): a frame time
 * far below the entry's start is not a wall time.
 */
export const FRAME_TIME_SKEW_MS = 60_000;
export const trustedFrameTime = (frameMs: number, startedMs: number): boolean => Number.isFinite(frameMs) && frameMs >= startedMs - FRAME_TIME_SKEW_MS;
