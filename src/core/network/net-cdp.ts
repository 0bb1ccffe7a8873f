// The network layer's WebSocket events as Chrome's debugger reports them (deep capture, Chrome
// DevTools Protocol, domain Network: webSocketCreated, webSocketWillSendHandshakeRequest,
// webSocketHandshakeResponseReceived, webSocketFrameError, webSocketClosed) turned into patches of
// a NetObservation with source 'cdp'. Pure: the background feeds it what chrome.debugger.onEvent
// gives, which comes from the browser but describes what a server and a page did, so every field
// is checked and bounded here (headers through pickHeaders: the same bounds and redaction as
// webRequest's).
import { inert, pickHeaders, type NetObservation } from './net.ts';

/** One event's facts about one socket; later events add to the earlier ones (NetBook.apply). */
export type CdpPatch = Partial<Omit<NetObservation, 'id'>> & { id: string };

/** Who saw the event: the tab's page, or one of its workers (its own debugger session). */
export interface CdpContext {
  /** Distinguishes sessions: request ids are per renderer, and a worker can live in another. */
  session: string;
  /** Epoch ms now, for events that carry no wall time. */
  now: number;
  /** wall − monotonic of this session, ms, once a handshake event gave both. */
  offset?: number;
  worker?: NetObservation['worker'];
  /** Our document id for the worker (its hook's synthetic document), when it has one. */
  doc?: string;
}

const FRAME_ERROR_TEXT_MAX = 512;
const STATUS_LINE_MAX = 512;
/** NetObservationSchema.frameErrors keeps the first ones. */
export const FRAME_ERRORS_MAX = 8;

const rec = (x: unknown): Record<string, unknown> | undefined => (typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Record<string, unknown>) : undefined);
const num = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);
/** Made inert, then cut to the schema's bound (an escaped control takes several characters). */
const safe = (s: string, max: number): string => inert(s, max).slice(0, max);
const text = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);

/** CDP's Headers: an object of name → value, several values of a name joined by newlines. */
function headerList(x: unknown): { name: string; value: string }[] | undefined {
  const h = rec(x);
  if (!h) return undefined;
  const out: { name: string; value: string }[] = [];
  for (const [name, value] of Object.entries(h)) {
    if (typeof value !== 'string') continue;
    for (const part of value.split('\n')) out.push({ name, value: part });
  }
  return out;
}

/** The observation's id for a CDP request id: per session, bounded (NetObservationSchema.id ≤ 160). */
export function cdpId(session: string, requestId: string): string {
  return `cdp:${session.slice(0, 40)}:${requestId.slice(0, 100)}`;
}

/** Epoch ms of a CDP MonotonicTime (seconds), when the session's offset is known. */
function wall(ctx: CdpContext, ts: unknown): number {
  const t = num(ts);
  return t !== undefined && ctx.offset !== undefined ? t * 1000 + ctx.offset : ctx.now;
}

/** The session's wall − monotonic offset, from the one event that carries both (webSocketWillSendHandshakeRequest). */
export function cdpOffset(method: string, params: unknown): number | undefined {
  if (method !== 'Network.webSocketWillSendHandshakeRequest') return undefined;
  const p = rec(params);
  const ts = num(p?.timestamp);
  const wt = num(p?.wallTime);
  return ts !== undefined && wt !== undefined ? wt * 1000 - ts * 1000 : undefined;
}

/**
 * The patch one Network.webSocket* event makes, or undefined for any other event or one without
 * a usable request id. Frames themselves (webSocketFrameSent/Received) are left out: the hook
 * records them, and passing each through the debugger would cost a flood twice.
 */
export function cdpPatch(method: string, params: unknown, ctx: CdpContext): CdpPatch | undefined {
  const p = rec(params);
  const requestId = text(p?.requestId);
  if (!p || !requestId) return undefined;
  const base: CdpPatch = { id: cdpId(ctx.session, requestId), source: 'cdp' };
  if (ctx.worker) base.worker = { type: ctx.worker.type, url: safe(ctx.worker.url, 8192) };
  if (ctx.doc) base.doc = ctx.doc;
  switch (method) {
    case 'Network.webSocketCreated': {
      const url = text(p.url);
      if (url === undefined) return undefined;
      return { ...base, url: safe(url, 8192), at: ctx.now };
    }
    case 'Network.webSocketWillSendHandshakeRequest': {
      const req = rec(p.request);
      const { headers, dropped } = pickHeaders('request', headerList(req?.headers));
      const wt = num(p.wallTime);
      return { ...base, at: wt !== undefined ? wt * 1000 : ctx.now, method: 'GET', requestHeaders: headers, ...(dropped ? { headersDropped: dropped } : {}) };
    }
    case 'Network.webSocketHandshakeResponseReceived': {
      const res = rec(p.response);
      const status = num(res?.status);
      const statusText = text(res?.statusText);
      const { headers, dropped } = pickHeaders('response', headerList(res?.headers));
      const at = wall(ctx, p.timestamp);
      const out: CdpPatch = { ...base, responseAt: at, endAt: at, responseHeaders: headers };
      if (status !== undefined && Number.isInteger(status) && status >= 0 && status <= 999) {
        out.status = status;
        out.statusLine = safe(`HTTP/1.1 ${status}${statusText ? ` ${statusText}` : ''}`, STATUS_LINE_MAX);
      }
      // The request as sent, when the browser reports it here and not before (a redirect, a proxy).
      const sent = headerList(res?.requestHeaders);
      if (sent?.length) out.requestHeaders = pickHeaders('request', sent).headers;
      if (dropped) out.headersDropped = dropped;
      return out;
    }
    case 'Network.webSocketFrameError': {
      const msg = text(p.errorMessage);
      if (msg === undefined) return undefined;
      return { ...base, frameErrors: [{ at: wall(ctx, p.timestamp), text: safe(msg, FRAME_ERROR_TEXT_MAX) }] };
    }
    case 'Network.webSocketClosed':
      return { ...base, closedAt: wall(ctx, p.timestamp) };
    default:
      return undefined;
  }
}
