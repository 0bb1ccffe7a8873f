// Watches WebSocket handshakes on the network with webRequest (non-blocking: observation only,
// which MV3 allows) and turns each stage into a patch for the hub's NetBook.
//
// What each browser tells (measured, docs/network.md): Firefox reports every upgrade response
// (403, 502, 503 with Retry-After…) and names the error (NS_ERROR_UNKNOWN_HOST,
// NS_ERROR_CONNECTION_REFUSED). Chromium 156 reports the 101 (and 401/407) response with its
// headers, and every failure as net::ERR_FAILED; the panel adds DevTools' own log, which has
// the real status or error, while DevTools is open (panel/devtools-network.ts).
import { pickHeaders } from '../core/network/net.ts';
import type { NetPatch } from './net-book.ts';

export interface Attribution {
  /** Our document id for a request, from the browser's document id (Chrome), when its relay said hello already. */
  docFor(tabId: number, frameId: number, documentId: string | undefined): string | undefined;
}

type Details = chrome.webRequest.WebRequestDetails & {
  documentId?: string;
  method?: string;
  statusCode?: number;
  statusLine?: string;
  error?: string;
  requestHeaders?: chrome.webRequest.HttpHeader[];
  responseHeaders?: chrome.webRequest.HttpHeader[];
};

const FILTER: chrome.webRequest.RequestFilter = { urls: ['<all_urls>'], types: ['websocket' as chrome.webRequest.ResourceType] };

const idOf = (d: Details) => `webrequest:${d.requestId}`;

/**
 * Registers the listeners (call synchronously at the background's top level, so the event that
 * wakes it is delivered). `onPatch` gets every stage of every WebSocket request of a tab.
 */
export function observeNetwork(attribution: Attribution, onPatch: (tabId: number, patch: NetPatch) => void): void {
  const wr = (globalThis as { chrome?: typeof chrome }).chrome?.webRequest;
  // No permission (a build without it, or a browser that withholds it): nothing to observe.
  if (!wr) return;
  const emit = (d: Details, patch: Omit<NetPatch, 'id'>) => {
    if (typeof d.tabId !== 'number' || d.tabId < 0) return;
    onPatch(d.tabId, { id: idOf(d), ...patch });
  };
  listen(wr.onBeforeRequest, undefined, (d) => {
    const doc = attribution.docFor(d.tabId, d.frameId, d.documentId);
    emit(d, {
      url: d.url,
      at: d.timeStamp,
      frameId: d.frameId,
      ...(doc ? { doc } : d.documentId ? { browserDoc: d.documentId } : {}),
      method: d.method ?? 'GET',
    });
  });
  listen(wr.onSendHeaders, ['requestHeaders', 'extraHeaders'], (d) => {
    const { headers, dropped } = pickHeaders('request', d.requestHeaders);
    emit(d, { url: d.url, at: d.timeStamp, requestHeaders: headers, ...(dropped ? { headersDropped: dropped } : {}) });
  });
  listen(wr.onHeadersReceived, ['responseHeaders', 'extraHeaders'], (d) => {
    const { headers, dropped } = pickHeaders('response', d.responseHeaders);
    emit(d, {
      url: d.url,
      at: d.timeStamp,
      ...(typeof d.statusCode === 'number' ? { status: d.statusCode } : {}),
      ...(d.statusLine ? { statusLine: d.statusLine.slice(0, 512) } : {}),
      responseAt: d.timeStamp,
      responseHeaders: headers,
      ...(dropped ? { headersDropped: dropped } : {}),
    });
  });
  listen(wr.onCompleted, undefined, (d) => emit(d, { url: d.url, at: d.timeStamp, endAt: d.timeStamp }));
  listen(wr.onErrorOccurred, undefined, (d) =>
    emit(d, { url: d.url, at: d.timeStamp, endAt: d.timeStamp, ...(d.error ? { error: d.error.slice(0, 512) } : {}) }),
  );
}

type AnyEvent = { addListener(cb: (d: Details) => void, filter: chrome.webRequest.RequestFilter, extra?: string[]): void };

/**
 * Adds a listener with the extra info it wants. `extraHeaders` (Chrome: Origin, Cookie and the
 * like are withheld without it) is unknown to Firefox, which throws on it: then without it. An
 * event the browser does not have at all is skipped, never fatal.
 */
function listen(event: unknown, extra: string[] | undefined, cb: (d: Details) => void): void {
  const ev = event as AnyEvent | undefined;
  if (!ev?.addListener) return;
  const safe = (d: Details) => {
    try {
      cb(d);
    } catch {
      // One malformed event must not stop the observer.
    }
  };
  // Firefox rejects an explicit `undefined` extraInfoSpec ("Incorrect argument types").
  const tries = extra ? [extra, extra.filter((x) => x !== 'extraHeaders')] : [undefined];
  for (const spec of tries) {
    try {
      if (spec) ev.addListener(safe, FILTER, spec);
      else ev.addListener(safe, FILTER);
      return;
    } catch {
      // next variant
    }
  }
}

/**
 * Whether the browser lets webRequest see handshakes: Chrome grants host permissions at install
 * (a user can withhold them per site), Firefox MV3 lets the user grant or withdraw them
 * (docs/network.md). Without them the panel says so and offers to ask (panel/host.ts).
 */
export async function hasNetAccess(): Promise<boolean> {
  // No observer in this build (Chrome: the panel reads DevTools' log, which needs no permission).
  if (!(globalThis as { chrome?: { webRequest?: unknown } }).chrome?.webRequest) return true;
  try {
    return await chrome.permissions.contains({ origins: ['<all_urls>'] });
  } catch {
    return false;
  }
}
