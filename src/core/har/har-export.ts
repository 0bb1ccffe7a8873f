// exportHar: a session as a HAR 1.2 file that Chrome's Network panel can import and that our
// importer reads back exactly. See har.ts for the overview.
import { zeroDrops } from '../wire/protocol.ts';
import { decodedOf, protocolOf } from '../protocols/index.ts';
import { findReconnectChains } from '../session/reconnect.ts';
import { REDACTED, redactPayload, redactProtocol, redactProtocols, redactText, redactUrl } from '../privacy/redact.ts';
import { statusLineParts } from './har-net.ts';
import type { NetHeader } from '../network/net.ts';
import {
  capturedBytes,
  CREATOR_NAME,
  lastSeen,
  type ExportInput,
  type ExportOptions,
  type Har,
  type HarClose,
  type HarConnectionMeta,
  type HarEntry,
  type HarLogMeta,
  type HarMessageMeta,
  type HarNameValue,
  type HarNetwork,
  type HarWorker,
  type HarWebSocketMessage,
} from './har-format.ts';
import type { CloseCall, Connection } from '../session/session.ts';
import {
  ISO,
  capData,
  closedByOf,
  cspOut,
  faultOut,
  diagnosisOut,
  foreignOut,
  pageCallOf,
  queryStringOf,
  redactHeader,
  sourcesOf,
  statusOf,
} from './har-export-fields.ts';

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
      .map((e) => ({
        doc: e.doc,
        at: e.at,
        what: e.what,
        ...(e.persisted !== undefined ? { persisted: e.persisted } : {}),
        ...(e.jumpMs !== undefined ? { jumpMs: e.jumpMs } : {}),
      })),
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
    const rawError = view?.error ?? foreign?.error;
    const netError = rawError === undefined ? undefined : scrubText(rawError, 'error');
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
        ...(view.frameErrors?.length
          ? { frameErrors: view.frameErrors.map((e, i) => ({ at: e.at, text: scrubText(e.text, `network.frameErrors[${i}]`) })) }
          : {}),
        ...(view.closedAt !== undefined ? { closedAt: view.closedAt } : {}),
      };
    }
    const csp = c.csp ? cspOut(c.csp, redact, what) : undefined;
    const workerOf = c.worker ?? view?.worker;
    let worker: HarWorker | undefined;
    if (workerOf) {
      const u = redact ? redactUrl(workerOf.url) : { value: workerOf.url, what: [] };
      what.push(...u.what.map((w) => `worker.url:${w}`));
      worker = { type: workerOf.type, url: u.value };
    }

    const track = protocolOf(c);
    const messages: HarWebSocketMessage[] = new Array(c.messages.length);
    const metas: HarMessageMeta[] = new Array(c.messages.length);
    for (let i = 0; i < c.messages.length; i++) {
      const m = c.messages[i]!;
      // Binary payloads cannot be searched for secrets: a redacted export leaves them out.
      const captured = redact && m.bin ? undefined : m.data;
      // Redacted before the cap, so that the cap never keeps the first half of a secret.
      let data = captured === undefined ? '' : redact ? redactPayload(captured) : captured;
      let trunc = m.trunc === true;
      if (cap !== undefined && captured !== undefined && capturedBytes(data, m.bin) > cap) {
        data = capData(data, m.bin, cap);
        // A cut inside "[redacted]" keeps none of it (a second export cuts the same way).
        if (redact) data = data.replace(/\[(r(e(d(a(c(t(e(d)?)?)?)?)?)?)?)?$/, '');
        trunc = true;
      }
      const time = m.at / 1000;
      const msg: HarWebSocketMessage = { type: m.dir === 'out' ? 'send' : 'receive', time, opcode: m.bin ? 2 : 1, data };
      const decoded = track.label ? decodedOf(c, m) : undefined;
      // Frame types can carry a topic or an event name: scrubbed like any text.
      if (decoded && 'frames' in decoded && decoded.frames.length) msg._frame = scrubText(decoded.frames.map((f) => f.type).join(', '), `messages[${i}]._frame`);
      const replaced = redact && data.includes(REDACTED);
      if (trunc) msg._truncated = true;
      if (m.inj) msg._injected = true;
      // The data's length no longer is the message's size: say what it was.
      if (trunc || replaced) msg._originalSize = m.size;
      if (replaced) what.push(`messages[${i}]`);
      messages[i] = msg;
      const mm: HarMessageMeta = { n: m.n, size: m.size, bin: m.bin };
      if (trunc) mm.trunc = true;
      if (captured === undefined) mm.nodata = true;
      if (m.later) mm.later = true;
      if (time * 1000 !== m.at) mm.at = m.at;
      metas[i] = mm;
    }

    // The failure as Chrome's own HAR carries it, so that Chrome's importer (which ignores
    // response._error for WebSockets) shows it: an error frame after the messages.
    if (netError !== undefined) {
      messages.push({ type: 'error', time: (view?.endAt ?? close?.at ?? c.createdAt) / 1000, opcode: -1, data: netError });
    }

    // Before `sa`, which lists what redaction replaced.
    const injected = c.faults?.length ? c.faults.map((r, i) => faultOut(r, redact, `_injected[${i}]`, what)) : undefined;
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
          ...(k.reason !== undefined ? { reason: scrubText(k.reason, `closeCalls[${i}].reason`) } : {}),
          ...(k.stack !== undefined ? { stack: scrubText(k.stack, `closeCalls[${i}].stack`) } : {}),
          ...(k.threw !== undefined ? { threw: scrubText(k.threw, `closeCalls[${i}].threw`) } : {}),
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
      ...(foreign ? { foreign: foreignOut(foreign, (x) => scrubText(x, 'foreign.error')) } : {}),
      ...(what.length ? { redacted: what } : {}),
      messagesMeta: metas,
    };

    let closeOut: HarClose | undefined;
    if (close) {
      const call = pageCallOf(c);
      closeOut = {
        at: close.at,
        code: close.code,
        reason: scrubText(close.reason, 'close.reason'),
        wasClean: close.wasClean,
        ...(close.synthetic ? { synthetic: close.synthetic } : {}),
        ...(call?.code !== undefined ? { requestedCode: call.code } : {}),
        ...(call?.reason !== undefined ? { requestedReason: scrubText(call.reason, 'close.requestedReason') } : {}),
        closedBy: closedByOf(c, close),
        ...(close.injected ? { _injected: true as const } : {}),
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
      ...(worker ? { _worker: worker } : {}),
      ...(c.netOnly ? { _networkOnly: true as const } : {}),
      ...(prev !== undefined ? { _reconnectOf: prev } : {}),
      ...(track.label && track.detection
        ? {
            _protocol: {
              name: track.label,
              certainty: track.detection.certainty,
              ...(track.detection.variant ? { variant: track.detection.variant } : {}),
              undecodable: track.undecodable,
            },
          }
        : {}),
      // Diagnosis texts can quote the URL or the constructor's error message: scrubbed the same
      // way (not listed in `redacted`, they repeat what the entry's own fields list).
      ...(d ? { _diagnosis: diagnosisOut(d, lang, (x) => (redact ? redactText(x, 'diagnosis').value : x)) } : {}),
      ...(injected ? { _injected: injected } : {}),
      // Last, so that the bulky per-message metadata ends the entry.
      _socketAutopsy: sa,
    };
  }
}
