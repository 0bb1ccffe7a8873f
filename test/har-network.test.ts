// The network's part of a HAR entry (src/core/har/har-net.ts, docs/har-network.md): what we write
// for an upgraded, refused, unresolved, CSP-blocked and network-only handshake, what we read
// from Chrome's own HAR of failed handshakes (status 0 + an error frame), round trips, and
// malformed and hostile header data.
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { exportHar, importHar, type Har } from '../src/core/har/har.ts';
import { matchNetwork } from '../src/core/network/net-match.ts';
import { netLabel, pickHeaders, type NetObservation, type NetView } from '../src/core/network/net.ts';
import { listConnections, upsertNet, type Connection } from '../src/core/session/session.ts';
import { expectValidHar } from './har-valid.ts';
import { analyse, Recorder, T0 } from './helpers/events.ts';

const OPTS = { creatorVersion: '0.1.0', lang: 'en' as const };
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib2IifQ.c2lnbmF0dXJlMTIz';
const CHROME_FAILURES = readFileSync(new URL('./fixtures/chrome-handshake-failures.har', import.meta.url), 'utf8');

function mustImport(text: string): Extract<ReturnType<typeof importHar>, { ok: true }> {
  const r = importHar(text);
  if (!r.ok) throw new Error(`import failed: ${r.error}`);
  return r;
}

function errorOf(text: string): string {
  const r = importHar(text);
  if (r.ok) throw new Error('expected the import to fail');
  return r.error;
}

/**
 * A session with network observations from two sources, matched to its sockets the way the
 * panel does (matchNetwork over the connections and session.net): an upgrade, a 403, a DNS
 * failure, a socket the page's CSP blocked, and one handshake seen on the network only.
 */
function capture() {
  const r = new Recorder('doc-netcap01', T0, 'https://app.example/');
  r.create(1, 0, 'wss://api.example/live?room=a', { protocols: ['chat', 'access_token', 'opaque-token-value-42'] }).open(1, 40, 'chat').message(1, 100, 10);
  r.failedAttempt(2, 1000, 'wss://api.example/live?room=b', 30);
  r.failedAttempt(3, 2000, 'wss://nope.invalid/ws', 4);
  r.create(4, 3000, 'wss://evil.example/x?token=csp-secret-1');
  const a = analyse(r, 10_000);
  const blocked = a.conn(4);
  blocked.createdState = 3;
  blocked.csp = {
    at: T0 + 3000.5,
    directive: 'connect-src',
    blocked: 'wss://evil.example/x?token=csp-secret-1',
    policy: "default-src 'self'; connect-src 'self' wss://api.example",
    disposition: 'enforce',
  };
  blocked.close = { at: T0 + 3000.5, code: 1006, reason: '', wasClean: false, synthetic: 'blocked' };
  blocked.state = 'closed';
  const netOnly: Connection = {
    id: 'net:webrequest:77',
    doc: 'net',
    sid: 0,
    url: 'wss://worker.example/feed',
    protocols: [],
    netOnly: true,
    createdAt: T0 + 5000,
    state: 'closed',
    close: { at: T0 + 5020, code: 1006, reason: '', wasClean: false, synthetic: 'network-only' },
    closeCalls: [],
    messages: [],
    stats: { sent: 0, received: 0, bytesSent: 0, bytesReceived: 0, evicted: 0, missed: 0, maxSentSize: 0, maxReceivedSize: 0 },
  };
  a.state.connections.set(netOnly.id, netOnly);
  a.state.order.push(netOnly.id);

  const req = pickHeaders('request', [
    { name: 'Host', value: 'api.example' },
    { name: 'Origin', value: `https://app.example/?session=${JWT}` },
    { name: 'Cookie', value: 'sid=cookie-secret-1; theme=dark' },
    { name: 'Authorization', value: 'Bearer auth-secret-1' },
    { name: 'Sec-WebSocket-Protocol', value: 'chat, access_token, opaque-token-value-42' },
    { name: 'Accept-Encoding', value: 'gzip' },
  ]);
  const upgraded = pickHeaders('response', [
    { name: 'Upgrade', value: 'websocket' },
    { name: 'Connection', value: 'Upgrade' },
    { name: 'Sec-WebSocket-Accept', value: 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=' },
    { name: 'Server', value: 'nginx/1.27' },
  ]);
  const refused = pickHeaders('response', [
    { name: 'Content-Type', value: 'text/plain' },
    { name: 'Server', value: 'envoy' },
    { name: 'Set-Cookie', value: 'x=1' },
  ]);
  const obs: NetObservation[] = [
    { id: 'webrequest:1', source: 'webrequest', url: 'wss://api.example/live?room=a', at: T0 + 1, method: 'GET', requestHeaders: req.headers, status: 101, statusLine: 'HTTP/1.1 101 Switching Protocols', responseAt: T0 + 39, responseHeaders: upgraded.headers, headersDropped: req.dropped },
    { id: 'devtools:1', source: 'devtools', url: 'wss://api.example/live?room=a', at: T0 + 1.5, status: 101 },
    { id: 'webrequest:2', source: 'webrequest', url: 'wss://api.example/live?room=b', at: T0 + 1001, method: 'GET', status: 403, statusLine: 'HTTP/1.1 403 Forbidden', responseAt: T0 + 1025, responseHeaders: refused.headers, endAt: T0 + 1026, headersDropped: refused.dropped },
    { id: 'devtools:2', source: 'devtools', url: 'wss://api.example/live?room=b', at: T0 + 1001, error: 'Error during WebSocket handshake: Unexpected response code: 403' },
    { id: 'devtools:3', source: 'devtools', url: 'wss://nope.invalid/ws', at: T0 + 2001, error: 'net::ERR_NAME_NOT_RESOLVED', endAt: T0 + 2004 },
    { id: 'webrequest:77', source: 'webrequest', url: 'wss://worker.example/feed', at: T0 + 5000, conn: netOnly.id, method: 'GET', error: 'net::ERR_CONNECTION_REFUSED', endAt: T0 + 5020 },
  ];
  upsertNet(a.state, obs);
  const connections = listConnections(a.state);
  const network = matchNetwork(connections, a.state.net.values()).byConn;
  return { state: a.state, connections, network, input: { connections, context: a.state.context, network } };
}

const entryOf = (har: Har, id: string) => har.log.entries.find((e) => e._socketAutopsy.id === id)!;

describe('exportHar: the handshake as the network saw it', () => {
  const { input, network } = capture();
  const har = exportHar(input, OPTS);

  it('stays a HAR that Chrome imports (numeric status, sizes and timings)', () => {
    expectValidHar(har);
    // Every socket but the CSP-blocked one (it never reached the network), and the network-only one.
    expect(network.size).toBe(4);
  });

  it('an upgrade: 101, Switching Protocols, the kept headers (secrets redacted) and _webSocketNetwork', () => {
    const e = entryOf(har, 'doc-netcap01:1');
    expect(e.request.method).toBe('GET');
    expect(e.request.headers).toEqual([
      { name: 'Host', value: 'api.example' },
      // pickHeaders kept Origin as is; the export's redaction takes the JWT out of it.
      { name: 'Origin', value: 'https://app.example/?session=[redacted]' },
      { name: 'Cookie', value: '[redacted: 2 cookies]' },
      { name: 'Authorization', value: 'Bearer [redacted]' },
      // The token after a token label, which only redactProtocols knows to be one.
      { name: 'Sec-WebSocket-Protocol', value: 'chat, access_token, [redacted]' },
    ]);
    expect(e.response).toMatchObject({
      status: 101,
      statusText: 'Switching Protocols',
      httpVersion: 'HTTP/1.1',
      headers: [
        { name: 'Upgrade', value: 'websocket' },
        { name: 'Connection', value: 'Upgrade' },
        { name: 'Sec-WebSocket-Accept', value: 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=' },
        { name: 'Server', value: 'nginx/1.27' },
      ],
    });
    expect(e.response._error).toBeUndefined();
    expect(e._webSocketNetwork).toEqual({ sources: ['webrequest', 'devtools'], at: T0 + 1, statusLine: 'HTTP/1.1 101 Switching Protocols', responseAt: T0 + 39, headersDropped: 1 });
    expect(e._socketAutopsy.redacted).toEqual(expect.arrayContaining(['request.headers[1]:query:session', 'request.headers[4]:protocols[2]']));
    for (const secret of ['cookie-secret-1', 'auth-secret-1', JWT, 'opaque-token-value-42']) expect(JSON.stringify(e)).not.toContain(secret);
  });

  it('a refusal: the status, its phrase, the response headers kept and the failure text as _error', () => {
    const e = entryOf(har, 'doc-netcap01:2');
    expect(e.response).toMatchObject({
      status: 403,
      statusText: 'Forbidden',
      headers: [
        { name: 'Content-Type', value: 'text/plain' },
        { name: 'Server', value: 'envoy' },
      ],
      _error: 'Error during WebSocket handshake: Unexpected response code: 403',
    });
    expect(e._webSocketNetwork).toEqual({ sources: ['webrequest', 'devtools'], at: T0 + 1001, statusLine: 'HTTP/1.1 403 Forbidden', responseAt: T0 + 1025, endAt: T0 + 1026, headersDropped: 1 });
  });

  it('a status named only by DevTools\' failure text, or only by the status line, is written', () => {
    const { connections } = capture();
    const view: NetView = { url: 'wss://api.example/live?room=b', at: T0 + 1001, error: 'Error during WebSocket handshake: Unexpected response code: 403', sources: ['devtools'], ids: ['devtools:2'] };
    const e = exportHar({ connections, context: [], network: new Map([['doc-netcap01:2', view]]) }, OPTS).log.entries[1]!;
    expect(e.response).toMatchObject({ status: 403, statusText: '', _error: view.error });
    // And a status with no failure text (Firefox's webRequest reports the refusal itself).
    const unavailable: NetView = { url: 'wss://nope.invalid/ws', at: T0 + 2001, status: 503, statusLine: 'HTTP/1.1 503 Service Unavailable', sources: ['webrequest'], ids: ['webrequest:3'] };
    const e3 = exportHar({ connections, context: [], network: new Map([['doc-netcap01:3', unavailable]]) }, OPTS).log.entries[2]!;
    expect(e3.response).toMatchObject({ status: 503, statusText: 'Service Unavailable' });
    expect(e3.response._error).toBeUndefined();
  });

  it('a DNS failure: status 0 and no headers, as Chrome writes it, with the net error as _error', () => {
    const e = entryOf(har, 'doc-netcap01:3');
    expect(e.response).toMatchObject({ status: 0, statusText: '', headers: [], _error: 'net::ERR_NAME_NOT_RESOLVED' });
    expect(e.request.headers).toEqual([]);
    expect(e._webSocketNetwork).toEqual({ sources: ['devtools'], at: T0 + 2001, endAt: T0 + 2004 });
  });

  it('a CSP block: _webSocketCsp (redacted), the state after the constructor, and a close the browser made', () => {
    const e = entryOf(har, 'doc-netcap01:4');
    expect(e._webSocketCsp).toEqual({
      at: T0 + 3000.5,
      directive: 'connect-src',
      blocked: 'wss://evil.example/x?token=[redacted]',
      policy: "default-src 'self'; connect-src 'self' wss://api.example",
      disposition: 'enforce',
    });
    expect(e._socketAutopsy.redacted).toEqual(['query:token', 'csp.blocked:query:token']);
    expect(e._socketAutopsy.createdState).toBe(3);
    expect(e._webSocketClose).toMatchObject({ synthetic: 'blocked', closedBy: 'browser' });
    expect(e._webSocketNetwork).toBeUndefined();
    expect(JSON.stringify(e)).not.toContain('csp-secret-1');
  });

  it('a network-only handshake is an entry of its own, marked _networkOnly', () => {
    const e = entryOf(har, 'net:webrequest:77');
    expect(e._networkOnly).toBe(true);
    expect(e.response).toMatchObject({ status: 0, _error: 'net::ERR_CONNECTION_REFUSED' });
    expect(e._webSocketClose).toMatchObject({ synthetic: 'network-only', closedBy: 'browser' });
    expect(entryOf(har, 'doc-netcap01:1')._networkOnly).toBeUndefined();
  });

  it('without redaction the header values are written as the capture kept them', () => {
    const plain = exportHar(input, { ...OPTS, redact: false });
    expect(entryOf(plain, 'doc-netcap01:1').request.headers[1]).toEqual({ name: 'Origin', value: `https://app.example/?session=${JWT}` });
    // The capture's own redaction (net.ts) is not undone by turning ours off.
    expect(JSON.stringify(plain)).not.toContain('cookie-secret-1');
  });
});

describe("importHar: Chrome's own HAR of failed handshakes", () => {
  const r = mustImport(CHROME_FAILURES);
  const s = r.session;
  const [ok, forbidden, dns, auth, refused] = s.connections;
  const view = (c: Connection | undefined) => s.network.get(c!.id)!;

  it('reads the status from the error frame of a status-0 entry, and the net error by name', () => {
    expect(r.source).toBe('chrome');
    expect(view(ok)).toMatchObject({ status: 101, statusLine: 'HTTP/1.1 101 Switching Protocols' });
    expect(view(forbidden)).toMatchObject({ status: 403, error: 'Error during WebSocket handshake: Unexpected response code: 403' });
    expect(view(dns)).toMatchObject({ error: 'net::ERR_NAME_NOT_RESOLVED' });
    expect(view(dns).status).toBeUndefined();
    expect(view(auth)).toMatchObject({ status: 401 });
    expect(view(refused)).toMatchObject({ error: 'net::ERR_CONNECTION_REFUSED' });
    expect(s.connections.map((c) => netLabel(view(c)))).toEqual(['101', '403', 'DNS', '401', 'refused']);
  });

  it('puts one observation per entry in the session, source har, tied to its connection', () => {
    const obs = [...s.state.net.values()];
    expect(obs.map((o) => [o.source, o.conn])).toEqual(s.connections.map((c) => ['har', c.id]));
    expect(obs[2]!.at).toBe(Date.parse('2026-11-25T09:11:15.000Z'));
    // matchNetwork over the imported session gives the same views the import offers.
    expect(matchNetwork(s.connections, s.state.net.values()).byConn).toEqual(s.network);
  });

  it('keeps the upgrade headers (the Cookie redacted) and counts the rest as dropped', () => {
    expect(view(ok).requestHeaders).toEqual([
      { name: 'Connection', value: 'Upgrade' },
      { name: 'Cookie', value: '[redacted: 2 cookies]' },
      { name: 'Host', value: '127.0.0.1:8080' },
      { name: 'Origin', value: 'http://127.0.0.1:8080' },
      { name: 'Sec-WebSocket-Version', value: '13' },
      { name: 'Upgrade', value: 'websocket' },
    ]);
    expect(view(ok).responseHeaders?.map((h) => h.name)).toEqual(['Upgrade', 'Connection', 'Sec-WebSocket-Accept']);
    expect(view(ok).headersDropped).toBe(2);
  });

  it('turns error frames into failed handshakes, not messages, and does not trust a frame time far before the start', () => {
    expect(ok!.messages).toHaveLength(2);
    for (const c of [forbidden, dns, auth, refused]) {
      expect(c!.messages).toEqual([]);
      expect(c!.close).toMatchObject({ code: 1006, wasClean: false });
      expect(c!.openedAt).toBeUndefined();
    }
    // The DNS entry's frame says 211.2 s: not 1970, the entry's end.
    expect(dns!.errorAt).toBe(Date.parse('2026-11-25T09:11:15.000Z') + 4.1);
    expect(forbidden!.errorAt).toBeCloseTo(1795597874.013 * 1000, 3);
    expect(s.closeUnknown).toEqual(new Set([ok!.id]));
  });
});

describe('round trip of the network part', () => {
  it('export → import keeps status, error, headers, times, CSP, createdState and network-only', () => {
    const { input, network } = capture();
    const s = mustImport(JSON.stringify(exportHar(input, { ...OPTS, redact: false }))).session;
    for (const [id, v] of network) {
      const back = s.network.get(id);
      expect(back, id).toBeDefined();
      const { sources: _s, ids: _i, ...facts } = v;
      const { sources: _s2, ids: _i2, ...backFacts } = back!;
      // Chrome's request.method has no "unknown": an upgrade is a GET.
      expect(backFacts, id).toEqual({ ...facts, method: 'GET' });
    }
    expect(s.netSources.get('doc-netcap01:2')).toEqual(['webrequest', 'devtools']);
    const blocked = s.connections.find((c) => c.id === 'doc-netcap01:4')!;
    expect(blocked.csp).toEqual(input.connections.find((c) => c.id === 'doc-netcap01:4')!.csp);
    expect(blocked.createdState).toBe(3);
    expect(blocked.close?.synthetic).toBe('blocked');
    const netOnly = s.connections.find((c) => c.id === 'net:webrequest:77')!;
    expect(netOnly.netOnly).toBe(true);
    expect(s.connections).toEqual(input.connections);
  });

  it('export → import → export gives the same JSON, redacted or not', () => {
    const { input } = capture();
    for (const redact of [true, false]) {
      const h1 = JSON.stringify(exportHar(input, { ...OPTS, redact }));
      const h2 = JSON.stringify(exportHar(mustImport(h1).session, { ...OPTS, redact }));
      expect(h2).toBe(h1);
    }
  });

  it("Chrome's file → our format → back keeps what the network said", () => {
    const s = mustImport(CHROME_FAILURES).session;
    const h1 = exportHar(s, OPTS);
    expectValidHar(h1);
    expect(h1.log.entries.map((e) => [e.response.status, e.response._error ?? null])).toEqual([
      [101, null],
      [403, 'Error during WebSocket handshake: Unexpected response code: 403'],
      [0, 'net::ERR_NAME_NOT_RESOLVED'],
      [401, 'HTTP Authentication failed; no valid credentials available'],
      [0, 'net::ERR_CONNECTION_REFUSED'],
    ]);
    const back = mustImport(JSON.stringify(h1)).session;
    expect([...back.network.values()].map((v) => netLabel(v))).toEqual(['101', '403', 'DNS', '401', 'refused']);
    expect(exportHar(back, OPTS)).toEqual(h1);
  });
});

/** One of our entries with a network part, as JSON to break. */
function ourFile(): { log: { entries: Array<Record<string, unknown> & { request: Record<string, unknown>; response: Record<string, unknown> }> } } {
  return JSON.parse(JSON.stringify(exportHar(capture().input, OPTS)));
}

describe('malformed network parts are refused with the field path', () => {
  it('headers', () => {
    const h = ourFile();
    (h.log.entries[0]!.response.headers as Array<{ value: unknown }>)[3]!.value = 42;
    expect(errorOf(JSON.stringify(h))).toBe('log.entries[0].response.headers[3].value is not a string');
    const h2 = ourFile();
    h2.log.entries[1]!.request.headers = 'Host: x';
    expect(errorOf(JSON.stringify(h2))).toBe('log.entries[1].request.headers is not an array');
    const h3 = ourFile();
    (h3.log.entries[0]!.request.headers as unknown[])[0] = { value: 'x' };
    expect(errorOf(JSON.stringify(h3))).toBe('log.entries[0].request.headers[0].name is missing');
  });

  it('status, error and method', () => {
    const h = ourFile();
    h.log.entries[2]!.response.status = '403';
    expect(errorOf(JSON.stringify(h))).toBe('log.entries[2].response.status is not a number');
    const h2 = ourFile();
    h2.log.entries[2]!.response._error = { code: 'ERR' };
    expect(errorOf(JSON.stringify(h2))).toBe('log.entries[2].response._error is not a string');
    const h3 = ourFile();
    h3.log.entries[0]!.request.method = 1;
    expect(errorOf(JSON.stringify(h3))).toBe('log.entries[0].request.method is not a string');
  });

  it('_webSocketNetwork, _webSocketCsp and _networkOnly', () => {
    const h = ourFile();
    (h.log.entries[0]!._webSocketNetwork as Record<string, unknown>).at = 'soon';
    expect(errorOf(JSON.stringify(h))).toBe('log.entries[0]._webSocketNetwork.at is not a number');
    const h2 = ourFile();
    (h2.log.entries[1]!._webSocketNetwork as { sources: string[] }).sources[1] = 'radio';
    expect(errorOf(JSON.stringify(h2))).toBe('log.entries[1]._webSocketNetwork.sources[1] must be one of "webrequest", "devtools", "har", "cdp"');
    const h3 = ourFile();
    delete (h3.log.entries[3]!._webSocketCsp as Record<string, unknown>).directive;
    expect(errorOf(JSON.stringify(h3))).toBe('log.entries[3]._webSocketCsp.directive is missing');
    const h4 = ourFile();
    h4.log.entries[4]!._networkOnly = 'yes';
    expect(errorOf(JSON.stringify(h4))).toBe('log.entries[4]._networkOnly must be true');
  });
});

// C0/C1 controls and the bidi overrides and isolates net.ts `inert` shows as code points.
// eslint-disable-next-line no-control-regex
const LIVE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe('hostile network parts are bounded and inert', () => {
  function hostile(): string {
    const h = JSON.parse(CHROME_FAILURES) as { log: { entries: Array<{ request: Record<string, unknown>; response: Record<string, unknown>; _webSocketMessages?: Array<{ data: string }> }> } };
    const big = 'A'.repeat(1024 * 1024);
    const many = Array.from({ length: 10_000 }, (_, i) => ({ name: i % 2 ? 'Server' : `X-Junk-${i}`, value: `v${i}\u202e\u0007` }));
    many.splice(3, 0, { name: 'Via', value: `1.1 ${big}` }, { name: 'Location', value: `https://x.example/\u202egnp.exe\u0000${big}` });
    const ok = h.log.entries[0]!;
    ok.response.headers = many;
    ok.request.headers = [{ name: 'Origin', value: `\u2066${big}` }, ...many];
    ok.request.method = `GET\u0000${big}`;
    ok.response.statusText = `Switching\u202e${big}`;
    const refused = h.log.entries[4]!;
    refused.response._error = `net::ERR_CONNECTION_REFUSED\u202e\u001b[31m${big}`;
    h.log.entries[1]!._webSocketMessages![0]!.data = `Error during WebSocket handshake: Unexpected response code: 403\u202e${big}`;
    return JSON.stringify(h);
  }

  it('keeps at most 48 headers per message, each bounded, with no live control or bidi character', () => {
    const s = mustImport(hostile()).session;
    const strings: string[] = [];
    for (const o of s.state.net.values()) {
      for (const hs of [o.requestHeaders ?? [], o.responseHeaders ?? []]) {
        expect(hs.length).toBeLessThanOrEqual(48);
        for (const h of hs) {
          expect(h.value.length).toBeLessThanOrEqual(1025);
          strings.push(h.name, h.value);
        }
      }
      for (const x of [o.method, o.statusLine, o.error]) if (x !== undefined) strings.push(x);
      if (o.method !== undefined) expect(o.method.length).toBeLessThanOrEqual(16);
      if (o.statusLine !== undefined) expect(o.statusLine.length).toBeLessThanOrEqual(512);
      if (o.error !== undefined) expect(o.error.length).toBeLessThanOrEqual(512);
    }
    for (const x of strings) expect(LIVE.test(x), JSON.stringify(x.slice(0, 60))).toBe(false);
    const ok = s.network.get(s.connections[0]!.id)!;
    expect(ok.responseHeaders).toHaveLength(48);
    // 10,000 junk/Server headers and the two big ones: all but 48 counted as dropped, plus the request's.
    expect(ok.headersDropped).toBeGreaterThan(10_000);
    expect(ok.responseHeaders!.map((h) => h.name).slice(0, 3)).toEqual(['Server', 'Via', 'Location']);
    expect(ok.responseHeaders![2]!.value).toMatch(/^https:\/\/x\.example\/\\u\{202e\}gnp\.exe\\u\{0\}A+…$/);
    // The 403 still reads through the junk after it, and the refused socket keeps its error's name.
    expect(netLabel(s.network.get(s.connections[1]!.id)!)).toBe('403');
    expect(netLabel(s.network.get(s.connections[4]!.id)!)).toBe('refused');
    for (const f of s.foreign.values()) {
      expect(f.statusText.length).toBeLessThanOrEqual(4096);
      expect(LIVE.test(f.statusText + (f.error ?? ''))).toBe(false);
    }
  });

  it('the bounded session exports and imports again', () => {
    const s = mustImport(hostile()).session;
    const h1 = exportHar(s, OPTS);
    expectValidHar(h1);
    expect(JSON.stringify(h1).length).toBeLessThan(200_000);
    // Compared as a boolean: a diff of two 100 KB strings would drown the report.
    expect(JSON.stringify(exportHar(mustImport(JSON.stringify(h1)).session, OPTS)) === JSON.stringify(h1)).toBe(true);
  });
});
