// exportHar: a session as a HAR 1.2 file that Chrome's Network panel can import and that our
// importer reads back exactly. See har.ts for the overview.
import type { Diagnosis } from '../diagnosis/diagnose.ts';
import { localize, type Lang, type Text } from '../knowledge/i18n/text.ts';
import { base64, fromBase64, utf8Prefix } from '../wire/payload.ts';
import { zeroDrops } from '../wire/protocol.ts';
import { findReconnectChains } from '../session/reconnect.ts';
import { redactProtocol, redactProtocols, redactText, redactUrl } from './har-redact.ts';
import { statusLineParts } from './har-net.ts';
import { parseFailureText, type NetHeader, type NetSource, type NetView } from '../network/net.ts';
import {
  capturedBytes,
  CREATOR_NAME,
  lastSeen,
  type ClosedBy,
  type ExportInput,
  type ExportOptions,
  type ForeignInfo,
  type Har,
  type HarClose,
  type HarConnectionMeta,
  type HarDiagnosis,
  type HarEntry,
  type HarLogMeta,
  type HarMessageMeta,
  type HarNameValue,
  type HarNetwork,
  type HarText,
  type HarWebSocketMessage,
} from './har-format.ts';
import type { CloseCall, CloseInfo, Connection, CspViolation } from '../session/session.ts';

const ISO = (ms: number): string => {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? new Date(0).toISOString() : d.toISOString();
};

/** The page's first close() call that took effect before the close (diagnose.ts uses the same rule). */
function pageCallOf(c: Connection): CloseCall | undefined {
  const close = c.close;
  return c.closeCalls.find((k) => !k.threw && (k.readyState === 0 || k.readyState === 1) && (!close || k.at <= close.at));
}

function closedByOf(c: Connection, close: CloseInfo): ClosedBy {
  // Blocked at creation, or only seen failing on the network: the browser ended it.
  if (close.synthetic === 'blocked' || close.synthetic === 'network-only') return 'browser';
  if (close.synthetic) return 'navigation';
  if (pageCallOf(c)) return 'page';
  // 1006 and 1015 are never sent on the wire (RFC 6455 §7.4.1): the browser reported them.
  if (close.code === 1006 || close.code === 1015) return 'browser';
  return 'server';
}

/** The first `cap` bytes of a payload, in the same encoding. */
function capData(data: string, bin: boolean, cap: number): string {
  if (!bin) return utf8Prefix(data, cap);
  // Whole 3-byte groups are whole 4-char groups; only the tail group needs decoding.
  const whole = Math.floor(cap / 3);
  const head = data.slice(0, whole * 4);
  const rest = cap - whole * 3;
  if (rest === 0) return head;
  try {
    const tail = fromBase64(data.slice(whole * 4, whole * 4 + 4));
    return head + base64(tail, Math.min(rest, tail.length));
  } catch {
    return head;
  }
}

function diagnosisOut(d: Diagnosis, lang: Lang, scrub: (s: string) => string): HarDiagnosis {
  const t = (x: Text): HarText => ({ en: scrub(x.en), ja: scrub(x.ja) });
  const out: HarDiagnosis = {
    category: d.category,
    severity: d.severity,
    ...(d.code !== undefined ? { code: d.code } : {}),
    headline: scrub(localize(d.headline, lang)),
    headlineText: t(d.headline),
    evidence: d.evidence.map((e) => ({ fact: e.fact, ...(e.at !== undefined ? { at: e.at } : {}), text: t(e.text) })),
    causes: d.causes.map(t),
    fixes: d.fixes.map(t),
  };
  if (d.learnMore !== undefined) out.learnMore = d.learnMore;
  if (d.suspect) out.suspect = { name: d.suspect.name, timeoutMs: d.suspect.timeoutMs };
  if (d.chainId !== undefined) out.chainId = d.chainId;
  return out;
}

/** "a=1&b=two" → HAR queryString (decoded like Chrome's `queryParameters`). */
function queryStringOf(url: string): HarNameValue[] {
  const q = /\?([^#]*)/.exec(url)?.[1];
  if (!q) return [];
  const dec = (s: string): string => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s;
    }
  };
  return q
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=');
      return eq < 0 ? { name: dec(p), value: '' } : { name: dec(p.slice(0, eq)), value: dec(p.slice(eq + 1)) };
    });
}

/**
 * A session as HAR 1.2. Every field Chrome's importer casts to a number is a number (HAR's
 * "-1 when unknown" where we do not know), so Network › Import HAR opens it.
 */
export function exportHar(input: ExportInput, opts: ExportOptions): Har {
  const redact = opts.redact ?? true;
  const lang = opts.lang ?? 'en';
  const cap = opts.payloadCap;
  const selected = opts.selected ? new Set(opts.selected) : undefined;
  const conns = selected ? input.connections.filter((c) => selected.has(c.id)) : [...input.connections];

  // Links are found on every connection, so that a selected retry still names its predecessor.
  const prevOf = new Map<string, string>();
  for (const chain of findReconnectChains(input.connections)) {
    for (let i = 1; i < chain.connectionIds.length; i++) prevOf.set(chain.connectionIds[i]!, chain.connectionIds[i - 1]!);
  }

  const page = input.pageUrl !== undefined ? (redact ? redactUrl(input.pageUrl) : { value: input.pageUrl, what: [] }) : undefined;
  const pageref = page ? 'page_1' : undefined;
  const docs = new Set(conns.map((c) => c.doc));

  const entries = conns.map((c) => entryOf(c));
  const first = conns.reduce((t, c) => Math.min(t, c.createdAt), Infinity);

  const meta: HarLogMeta = {
    version: 1,
    lang,
    redaction: redact,
    ...(cap !== undefined ? { payloadCap: cap } : {}),
    ...(page && page.what.length ? { redacted: page.what } : {}),
    // A selection keeps the context of its documents only (network and visibility events of the tab).
    context: input.context
      .filter((e) => !selected || docs.has(e.doc))
      .map((e) => ({ doc: e.doc, at: e.at, what: e.what, ...(e.persisted !== undefined ? { persisted: e.persisted } : {}) })),
    drops: input.drops ? { malformed: input.drops.malformed, evicted: input.drops.evicted, hook: input.drops.hook } : zeroDrops(),
  };

  return {
    log: {
      version: '1.2',
      creator: { name: CREATOR_NAME, version: opts.creatorVersion },
      // HAR 1.2 §pages: pageTimings are -1 when not available (the hook does not see page loads).
      ...(page
        ? {
            pages: [
              {
                startedDateTime: ISO(Number.isFinite(first) ? first : 0),
                id: 'page_1',
                title: page.value,
                pageTimings: { onContentLoad: -1, onLoad: -1 },
              },
            ],
          }
        : {}),
      entries,
      _socketAutopsy: meta,
    },
  };

  function entryOf(c: Connection): HarEntry {
    const what: string[] = [];
    const scrubText = (s: string, where: string): string => {
      if (!redact) return s;
      const r = redactText(s, where);
      what.push(...r.what);
      return r.value;
    };
    let url = c.url;
    let protocols = c.protocols;
    let protocol = c.protocol;
    if (redact) {
      const u = redactUrl(c.url);
      url = u.value;
      what.push(...u.what);
      const p = redactProtocols(c.protocols);
      protocols = p.value;
      what.push(...p.what);
      if (protocol !== undefined) {
        const q = redactProtocol(protocol, c.protocols, protocols);
        protocol = q.value;
        what.push(...q.what);
      }
    }

    const foreign = input.foreign?.get(c.id);
    const close = c.close;
    const end = close?.at ?? foreign?.endedAt ?? lastSeen(c);
    // HAR timings: `wait` is the handshake (request sent → 101), `receive` the life of the
    // socket after it, as Chrome's own writer counts a socket (receive = end − response).
    const openedOrEnd = c.openedAt ?? end;
    const wait = Math.max(0, openedOrEnd - c.createdAt);
    const receive = Math.max(0, end - openedOrEnd);
    const view = input.network?.get(c.id);
    const status = statusOf(c, view, foreign);
    const line = statusLineParts(view?.statusLine);
    const statusText =
      line.phrase ?? (foreign && foreign.status === status ? foreign.statusText : status === 101 ? 'Switching Protocols' : '');
    const netError = view?.error ?? foreign?.error;
    const headersOut = (kind: 'request' | 'response', headers: readonly NetHeader[] | undefined): HarNameValue[] =>
      (headers ?? []).map((h, i) => ({ name: h.name, value: redact ? redactHeader(h, `${kind}.headers[${i}]`, what) : h.value }));
    const requestHeaders = headersOut('request', view?.requestHeaders);
    const responseHeaders = headersOut('response', view?.responseHeaders);
    let network: HarNetwork | undefined;
    if (view) {
      let netUrl: string | undefined;
      if (view.url !== c.url) {
        if (redact) {
          const u = redactUrl(view.url);
          netUrl = u.value;
          what.push(...u.what.map((w) => `network.url:${w}`));
        } else netUrl = view.url;
      }
      network = {
        sources: sourcesOf(view, input.netSources?.get(c.id)),
        ...(netUrl !== undefined ? { url: netUrl } : {}),
        at: view.at,
        ...(view.statusLine !== undefined ? { statusLine: view.statusLine } : {}),
        ...(view.responseAt !== undefined ? { responseAt: view.responseAt } : {}),
        ...(view.endAt !== undefined ? { endAt: view.endAt } : {}),
        ...(view.headersDropped ? { headersDropped: view.headersDropped } : {}),
      };
    }
    const csp = c.csp ? cspOut(c.csp, redact, what) : undefined;

    const messages: HarWebSocketMessage[] = new Array(c.messages.length);
    const metas: HarMessageMeta[] = new Array(c.messages.length);
    for (let i = 0; i < c.messages.length; i++) {
      const m = c.messages[i]!;
      let data = m.data ?? '';
      let trunc = m.trunc === true;
      if (cap !== undefined && m.data !== undefined && capturedBytes(data, m.bin) > cap) {
        data = capData(data, m.bin, cap);
        trunc = true;
      }
      const time = m.at / 1000;
      const msg: HarWebSocketMessage = { type: m.dir === 'out' ? 'send' : 'receive', time, opcode: m.bin ? 2 : 1, data };
      if (trunc) {
        msg._truncated = true;
        msg._originalSize = m.size;
      }
      messages[i] = msg;
      const mm: HarMessageMeta = { n: m.n, size: m.size, bin: m.bin };
      if (trunc) mm.trunc = true;
      if (m.data === undefined) mm.nodata = true;
      if (m.later) mm.later = true;
      if (time * 1000 !== m.at) mm.at = m.at;
      metas[i] = mm;
    }

    // The failure as Chrome's own HAR carries it, so that Chrome's importer (which ignores
    // response._error for WebSockets) shows it: an error frame after the messages.
    if (netError !== undefined) {
      messages.push({ type: 'error', time: (view?.endAt ?? close?.at ?? c.createdAt) / 1000, opcode: -1, data: netError });
    }

    const sa: HarConnectionMeta = {
      version: 1,
      id: c.id,
      doc: c.doc,
      sid: c.sid,
      state: c.state,
      protocols,
      ...(protocol !== undefined ? { protocol } : {}),
      ...(c.extensions !== undefined ? { extensions: c.extensions } : {}),
      createdAt: c.createdAt,
      ...(c.openedAt !== undefined ? { openedAt: c.openedAt } : {}),
      ...(c.errorAt !== undefined ? { errorAt: c.errorAt } : {}),
      ...(c.createStack !== undefined ? { createStack: scrubText(c.createStack, 'createStack') } : {}),
      ...(c.createThrew !== undefined ? { createThrew: scrubText(c.createThrew, 'createThrew') } : {}),
      ...(c.createdState !== undefined ? { createdState: c.createdState } : {}),
      closeCalls: c.closeCalls.map(
        (k, i): CloseCall => ({
          at: k.at,
          ...(k.code !== undefined ? { code: k.code } : {}),
          ...(k.reason !== undefined ? { reason: k.reason } : {}),
          ...(k.stack !== undefined ? { stack: scrubText(k.stack, `closeCalls[${i}].stack`) } : {}),
          ...(k.threw !== undefined ? { threw: k.threw } : {}),
          readyState: k.readyState,
        }),
      ),
      stats: {
        sent: c.stats.sent,
        received: c.stats.received,
        bytesSent: c.stats.bytesSent,
        bytesReceived: c.stats.bytesReceived,
        // What the file lacks of this connection's messages, wherever they were dropped.
        evicted: c.stats.evicted + c.stats.missed,
        maxSentSize: c.stats.maxSentSize,
        maxReceivedSize: c.stats.maxReceivedSize,
      },
      ...(c.lastIn ? { lastIn: { at: c.lastIn.at, size: c.lastIn.size } } : {}),
      ...(c.lastOut ? { lastOut: { at: c.lastOut.at, size: c.lastOut.size } } : {}),
      ...(input.closeUnknown?.has(c.id) ? { closeUnknown: true as const } : {}),
      ...(foreign ? { foreign: foreignOut(foreign) } : {}),
      ...(what.length ? { redacted: what } : {}),
      messagesMeta: metas,
    };

    let closeOut: HarClose | undefined;
    if (close) {
      const call = pageCallOf(c);
      closeOut = {
        at: close.at,
        code: close.code,
        reason: close.reason,
        wasClean: close.wasClean,
        ...(close.synthetic ? { synthetic: close.synthetic } : {}),
        ...(call?.code !== undefined ? { requestedCode: call.code } : {}),
        ...(call?.reason !== undefined ? { requestedReason: call.reason } : {}),
        closedBy: closedByOf(c, close),
      };
    }
    const prev = prevOf.get(c.id);
    const d = input.diagnoses?.get(c.id);

    return {
      ...(pageref ? { pageref } : {}),
      startedDateTime: ISO(c.createdAt),
      time: wait + receive,
      request: {
        method: view?.method ?? 'GET',
        url,
        httpVersion: 'HTTP/1.1',
        // The page hook cannot see handshake headers: these are the network layer's, already
        // cut to the ones that explain a handshake, with Cookie and Authorization redacted (net.ts).
        headers: requestHeaders,
        queryString: queryStringOf(url),
        cookies: [],
        headersSize: -1,
        bodySize: 0,
      },
      response: {
        status,
        statusText,
        httpVersion: line.version ?? 'HTTP/1.1',
        headers: responseHeaders,
        cookies: [],
        content: { size: 0, mimeType: 'x-unknown' },
        redirectURL: '',
        headersSize: -1,
        bodySize: -1,
        ...(netError !== undefined ? { _error: netError } : {}),
      },
      cache: {},
      timings: { send: 0, wait, receive },
      _resourceType: 'websocket',
      _webSocketMessages: messages,
      ...(closeOut ? { _webSocketClose: closeOut } : {}),
      ...(network ? { _webSocketNetwork: network } : {}),
      ...(csp ? { _webSocketCsp: csp } : {}),
      ...(c.netOnly ? { _networkOnly: true as const } : {}),
      ...(prev !== undefined ? { _reconnectOf: prev } : {}),
      // Diagnosis texts can quote the URL or the constructor's error message: scrubbed the same
      // way (not listed in `redacted`, they repeat what the entry's own fields list).
      ...(d ? { _diagnosis: diagnosisOut(d, lang, (x) => (redact ? redactText(x, 'diagnosis').value : x)) } : {}),
      // Last, so that the bulky per-message metadata ends the entry.
      _socketAutopsy: sa,
    };
  }
}

function foreignOut(f: ForeignInfo): ForeignInfo {
  const out: ForeignInfo = { status: f.status, statusText: f.statusText };
  if (f.error !== undefined) out.error = f.error;
  if (f.endedAt !== undefined) out.endedAt = f.endedAt;
  return out;
}

/**
 * The handshake's HTTP status as Chrome's HAR has it: the network's (101, or the refusal's 403),
 * else the one its failure text names, else a foreign file's, else 101 when the page saw the
 * socket open and 0 when nothing is known (what Chrome writes for a failed handshake).
 */
function statusOf(c: Connection, view: NetView | undefined, foreign: ForeignInfo | undefined): number {
  if (view?.status !== undefined && view.status !== 0) return view.status;
  const named = view?.error !== undefined ? parseFailureText(view.error).status : undefined;
  if (named !== undefined) return named;
  if (foreign) return foreign.status;
  return c.openedAt !== undefined ? 101 : 0;
}

/** A view merged from an imported HAR reads "har": the file says where its facts came from. */
function sourcesOf(view: NetView, recorded: readonly NetSource[] | undefined): NetSource[] {
  if (!recorded?.length || !view.sources.includes('har')) return [...view.sources];
  const out: NetSource[] = [];
  for (const s of view.sources.flatMap((x) => (x === 'har' ? recorded : [x]))) if (!out.includes(s)) out.push(s);
  return out;
}

/**
 * A header value with what our HAR redaction catches on top of the capture's own (net.ts
 * pickHeaders already replaced Cookie and Authorization): tokens in URLs (Origin, Location) and
 * JWTs, and the subprotocol entries redactProtocols knows to be tokens.
 */
function redactHeader(h: NetHeader, where: string, what: string[]): string {
  const lower = h.name.toLowerCase();
  if (lower === 'cookie' || lower === 'authorization' || lower === 'proxy-authorization') return h.value;
  if (lower === 'sec-websocket-protocol') {
    const list = h.value.split(',').map((p) => p.trim());
    const r = redactProtocols(list);
    what.push(...r.what.map((w) => `${where}:${w}`));
    return r.value.join(', ') === list.join(', ') ? h.value : r.value.join(', ');
  }
  const r = redactText(h.value, where);
  what.push(...r.what);
  return r.value;
}

function cspOut(csp: CspViolation, redact: boolean, what: string[]): CspViolation {
  let blocked = csp.blocked;
  let policy = csp.policy;
  if (redact) {
    const u = redactUrl(blocked);
    blocked = u.value;
    what.push(...u.what.map((w) => `csp.blocked:${w}`));
    const p = redactText(policy, 'csp.policy');
    policy = p.value;
    what.push(...p.what);
  }
  return { at: csp.at, directive: csp.directive, blocked, policy, ...(csp.disposition !== undefined ? { disposition: csp.disposition } : {}) };
}
