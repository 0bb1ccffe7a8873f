// The network observation model: header picking, failure texts, classes, matching to page
// sockets, the hub's per-tab book, DevTools' log entries, and network-only rows.
import { describe, expect, it } from 'vitest';
import { NetBook } from '../src/background/net-book.ts';
import { netFromDevtoolsEntry } from '../src/core/network/net-devtools.ts';
import { matchNetwork } from '../src/core/network/net-match.ts';
import { normalizeWsUrl } from '../src/core/network/ws-url.ts';
import { inert, netClass, netLabel, parseFailureText, pickHeaders, NET_HEADERS_MAX, type NetObservation } from '../src/core/network/net.ts';
import { createSession, upsertNet, type Connection } from '../src/core/session/session.ts';
import { withNetwork } from '../src/panel/derive.ts';

const T = 1_796_000_000_000;
const DOC = 'doc-aaaaaaaa';

function conn(id: string, url: string, createdAt: number, o: { opened?: number; closedAt?: number; doc?: string; protocols?: string[] } = {}): Connection {
  const c: Connection = {
    id,
    doc: o.doc ?? DOC,
    sid: Number(id.split(':')[1] ?? 0),
    url,
    protocols: o.protocols ?? [],
    createdAt,
    state: o.closedAt ? 'closed' : 'connecting',
    closeCalls: [],
    messages: [],
    stats: { sent: 0, received: 0, bytesSent: 0, bytesReceived: 0, evicted: 0, missed: 0, maxSentSize: 0, maxReceivedSize: 0 },
  };
  if (o.opened !== undefined) c.openedAt = o.opened;
  if (o.closedAt !== undefined) c.close = { at: o.closedAt, code: 1006, reason: '', wasClean: false };
  return c;
}

const obs = (id: string, url: string, at: number, more: Partial<NetObservation> = {}): NetObservation => ({ id, source: 'webrequest', url, at, ...more });

describe('headers', () => {
  it('keeps only the headers that explain a handshake, redacts secrets', () => {
    const { headers, dropped } = pickHeaders('request', [
      { name: 'Host', value: 'a.test' },
      { name: 'Cookie', value: 'sid=secret; theme=dark' },
      { name: 'Authorization', value: 'Bearer eyJhbGciOi.secret.sig' },
      { name: 'Sec-WebSocket-Protocol', value: 'chat, eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghijk' },
      { name: 'Accept-Language', value: 'en' },
    ]);
    expect(headers).toEqual([
      { name: 'Host', value: 'a.test' },
      { name: 'Cookie', value: '[redacted: 2 cookies]' },
      { name: 'Authorization', value: 'Bearer [redacted]' },
      { name: 'Sec-WebSocket-Protocol', value: 'chat, [redacted]' },
    ]);
    expect(dropped).toBe(1);
    expect(JSON.stringify(headers)).not.toContain('secret');
  });

  it('bounds a hostile response: 10,000 headers, 1 MB values, controls and bidi overrides', () => {
    const raw = Array.from({ length: 10_000 }, (_, i) => ({ name: i % 2 ? 'X-Amzn-Trace' : 'Via', value: `v${i}\u202Eevil\u0007${'x'.repeat(i === 0 ? 1_000_000 : 1)}` }));
    const { headers, dropped } = pickHeaders('response', raw);
    expect(headers.length).toBe(NET_HEADERS_MAX);
    expect(dropped).toBe(10_000 - NET_HEADERS_MAX);
    for (const h of headers) {
      expect(h.value.length).toBeLessThanOrEqual(1024 + 20);
      expect(h.value).not.toMatch(/[\u202e\u0007]/);
    }
    expect(headers[0]!.value).toContain('\\u{202e}');
    expect(inert('a\u2066b')).toBe('a\\u{2066}b');
  });
});

describe('what the browser said', () => {
  it('reads Chromium failure texts', () => {
    expect(parseFailureText('Error during WebSocket handshake: Unexpected response code: 403')).toEqual({ status: 403 });
    expect(parseFailureText('Error in connection establishment: net::ERR_NAME_NOT_RESOLVED')).toEqual({ error: 'net::ERR_NAME_NOT_RESOLVED' });
    expect(parseFailureText('HTTP Authentication failed; no valid credentials available')).toEqual({ status: 401 });
    expect(parseFailureText('something else')).toEqual({});
  });

  it.each([
    [{ status: 401 }, 'unauthorized', '401'],
    [{ status: 403 }, 'forbidden', '403'],
    [{ status: 404 }, 'not-found', '404'],
    [{ status: 200 }, 'not-websocket', '200'],
    [{ status: 302 }, 'redirect', '302'],
    [{ status: 426 }, 'upgrade-required', '426'],
    [{ status: 429 }, 'rate-limited', '429'],
    [{ status: 503 }, 'unavailable', '503'],
    [{ status: 500 }, 'server-error', '500'],
    [{ status: 502 }, 'bad-gateway', '502'],
    [{ status: 504 }, 'bad-gateway', '504'],
    [{ error: 'net::ERR_NAME_NOT_RESOLVED' }, 'dns', 'DNS'],
    [{ error: 'NS_ERROR_UNKNOWN_HOST' }, 'dns', 'DNS'],
    [{ error: 'net::ERR_CONNECTION_REFUSED' }, 'refused', 'refused'],
    [{ error: 'NS_ERROR_CONNECTION_REFUSED' }, 'refused', 'refused'],
    [{ error: 'net::ERR_CERT_AUTHORITY_INVALID' }, 'tls', 'TLS'],
    [{ error: 'net::ERR_BLOCKED_BY_CLIENT' }, 'blocked-client', 'blocked'],
    [{ error: 'net::ERR_TIMED_OUT' }, 'timeout', 'timeout'],
    [{ error: 'Error during WebSocket handshake: Unexpected response code: 502' }, 'bad-gateway', '502'],
    [{ error: 'net::ERR_FAILED' }, 'network', 'failed'],
    [{ status: 503, error: 'NS_ERROR_WEBSOCKET_CONNECTION_REFUSED' }, 'unavailable', '503'],
  ] as const)('%j is %s, shown as %s', (n, cls, label) => {
    expect(netClass(n)).toBe(cls);
    expect(netLabel(n)).toBe(label);
  });

  it('a 101 is no failure', () => {
    expect(netClass({ status: 101 })).toBeUndefined();
  });
});

describe('matching observations to page sockets', () => {
  it('normalizes how both sides spell a URL', () => {
    expect(normalizeWsUrl('WS://Host.Test:80/a?b#c')).toBe('ws://host.test/a?b');
    expect(normalizeWsUrl('wss://h.test:443')).toBe('wss://h.test/');
  });

  it('two sockets to one URL in the same millisecond keep their own statuses', () => {
    const url = 'ws://127.0.0.1:9/pair';
    // The page made the failing one first; the network answered it 401 and the second 101.
    const failing = conn(`${DOC}:0`, url, T, { closedAt: T + 20 });
    const opening = conn(`${DOC}:1`, url, T, { opened: T + 30 });
    const net = [obs('webrequest:1', url, T + 1, { status: 401, endAt: T + 15 }), obs('webrequest:2', url, T + 1, { status: 101, responseAt: T + 25 })];
    const m = matchNetwork([failing, opening], net);
    expect(m.byConn.get(failing.id)?.status).toBe(401);
    expect(m.byConn.get(opening.id)?.status).toBe(101);
    // …also when the page made the opening one first: order alone would pair it with the 401.
    const m2 = matchNetwork([opening, failing], net);
    expect(m2.byConn.get(failing.id)?.status).toBe(401);
    expect(m2.byConn.get(opening.id)?.status).toBe(101);
  });

  it('a socket that opened never takes a failure, and the other way round', () => {
    const url = 'ws://h.test/x';
    const opened = conn(`${DOC}:0`, url, T, { opened: T + 5 });
    const m = matchNetwork([opened], [obs('webrequest:1', url, T, { error: 'net::ERR_FAILED' })]);
    expect(m.byConn.size).toBe(0);
    expect(m.unmatched).toHaveLength(1);
  });

  it('an observation naming a document only matches that document', () => {
    const url = 'ws://h.test/x';
    const other = conn('doc-bbbbbbbb:0', url, T, { doc: 'doc-bbbbbbbb', closedAt: T + 9 });
    const m = matchNetwork([other], [obs('webrequest:1', url, T, { doc: DOC, status: 403 })]);
    expect(m.byConn.size).toBe(0);
  });

  it('observations far outside a socket life stay unmatched', () => {
    const url = 'ws://h.test/x';
    const c = conn(`${DOC}:0`, url, T, { closedAt: T + 100 });
    const m = matchNetwork([c], [obs('webrequest:1', url, T + 60_000, { status: 403 })]);
    expect(m.byConn.size).toBe(0);
  });

  it('merges sources: the DevTools status fills what webRequest could not say', () => {
    const url = 'ws://h.test/x';
    const c = conn(`${DOC}:0`, url, T, { closedAt: T + 30 });
    const m = matchNetwork(
      [c],
      [
        obs('webrequest:1', url, T + 1, { error: 'net::ERR_FAILED', endAt: T + 20 }),
        { ...obs('devtools:x', url, T, { error: 'Error during WebSocket handshake: Unexpected response code: 502' }), source: 'devtools' },
      ],
    );
    const v = m.byConn.get(c.id)!;
    expect(v.sources.sort()).toEqual(['devtools', 'webrequest']);
    expect(v.error).toBe('Error during WebSocket handshake: Unexpected response code: 502');
    expect(netLabel(v)).toBe('502');
  });
});

describe('network-only rows', () => {
  it('a handshake no page socket accounts for is listed once, its sources folded', () => {
    const url = 'ws://worker.test/s';
    const { connections, network } = withNetwork(
      [],
      [
        obs('webrequest:7', url, T, { error: 'net::ERR_FAILED', endAt: T + 5 }),
        { ...obs('devtools:a', url, T, { error: 'Error in connection establishment: net::ERR_NAME_NOT_RESOLVED' }), source: 'devtools' },
      ],
    );
    expect(connections).toHaveLength(1);
    const c = connections[0]!;
    expect(c.netOnly).toBe(true);
    expect(c.close?.synthetic).toBe('network-only');
    expect(netLabel(network.get(c.id)!)).toBe('DNS');
  });

  it('a matched observation makes no row of its own', () => {
    const url = 'ws://h.test/x';
    const c = conn(`${DOC}:0`, url, T, { closedAt: T + 30 });
    const { connections } = withNetwork([c], [obs('webrequest:1', url, T, { status: 403 })]);
    expect(connections.map((x) => x.id)).toEqual([c.id]);
  });
});

describe("the hub's book", () => {
  it('adds stages to one request and says what changed', () => {
    const b = new NetBook(10);
    b.apply(1, { id: 'webrequest:1', url: 'ws://a/', at: T });
    b.apply(1, { id: 'webrequest:1', at: T + 5, status: 403, responseAt: T + 5 });
    const changed = b.takeChanged(1)!;
    expect(changed.net).toEqual([{ id: 'webrequest:1', source: 'webrequest', url: 'ws://a/', at: T, status: 403, responseAt: T + 5 }]);
    expect(b.takeChanged(1)).toBeUndefined();
    expect(b.snapshot(2).net).toEqual([]);
  });

  it('is bounded per tab, oldest first, and counts what it evicted', () => {
    const b = new NetBook(100);
    for (let i = 0; i < 5_000; i++) b.apply(3, { id: `webrequest:${i}`, url: 'ws://127.0.0.1:9/', at: T + i, error: 'net::ERR_FAILED' });
    const snap = b.snapshot(3);
    expect(snap.net).toHaveLength(100);
    expect(snap.net[0]!.id).toBe('webrequest:4900');
    expect(snap.netDropped).toBe(4_900);
  });

  it('restores what an earlier run saved, under what this run has seen since', () => {
    const before = new NetBook(3);
    before.apply(1, { id: 'webrequest:1', url: 'ws://a/', at: T, status: 401 });
    before.apply(1, { id: 'webrequest:2', url: 'ws://a/', at: T + 1 });
    const saved = before.saved(1)!;
    const after = new NetBook(3);
    after.apply(1, { id: 'webrequest:2', url: 'ws://a/', at: T + 1, status: 503 });
    after.apply(1, { id: 'webrequest:3', url: 'ws://a/', at: T + 2 });
    after.restore(1, saved.net, saved.netDropped);
    expect(after.snapshot(1).net.map((o) => [o.id, o.status])).toEqual([
      ['webrequest:1', 401],
      ['webrequest:2', 503],
      ['webrequest:3', undefined],
    ]);
    after.restore(1, [{ id: 'webrequest:0', source: 'webrequest', url: 'ws://a/', at: T - 1 }], 0);
    // Past the bound the oldest go, counted.
    expect(after.snapshot(1)).toMatchObject({ netDropped: 1 });
  });

  it('a stage of an unknown request without its start is not invented', () => {
    const b = new NetBook();
    b.apply(1, { id: 'webrequest:9', status: 101 });
    expect(b.snapshot(1).net).toEqual([]);
  });

  it('a request seen before its document said hello is attributed at the hello', () => {
    const b = new NetBook();
    b.apply(1, { id: 'webrequest:1', url: 'ws://a/', at: T, browserDoc: 'BROWSERDOC1' });
    b.apply(1, { id: 'webrequest:2', url: 'ws://a/', at: T, browserDoc: 'BROWSERDOC2' });
    b.takeChanged(1);
    b.attribute(1, 'BROWSERDOC1', DOC);
    expect(b.takeChanged(1)!.net).toEqual([{ id: 'webrequest:1', source: 'webrequest', url: 'ws://a/', at: T, doc: DOC }]);
    // The old document goes with a navigation; the request still waiting for its hello stays.
    b.apply(1, { id: 'webrequest:2', endAt: T + 1 });
    b.forgetDocs(1, [DOC]);
    expect(b.snapshot(1).net.map((o) => o.id)).toEqual(['webrequest:2']);
  });

  it('a navigation forgets the documents that went and finished requests of no document', () => {
    const b = new NetBook();
    b.apply(1, { id: 'webrequest:1', url: 'ws://a/', at: T, doc: DOC });
    b.apply(1, { id: 'webrequest:2', url: 'ws://a/', at: T, endAt: T + 1 });
    b.apply(1, { id: 'webrequest:3', url: 'ws://a/', at: T, doc: 'doc-cccccccc' });
    b.forgetDocs(1, [DOC]);
    expect(b.snapshot(1).net.map((o) => o.id)).toEqual(['webrequest:3']);
  });
});

describe("DevTools' network log", () => {
  // Shapes measured from chrome.devtools.network.getHAR() on Chromium 156 (docs/network.md).
  it('a failed upgrade: status 0, the failure in an error frame', () => {
    const o = netFromDevtoolsEntry({
      _resourceType: 'websocket',
      startedDateTime: '2026-12-01T10:00:00.000Z',
      time: 13.2,
      request: { method: 'GET', url: 'ws://127.0.0.1:35945/403', headers: [] },
      response: { status: 0, statusText: '', headers: [] },
      _webSocketMessages: [{ type: 'error', time: 1796120744.52, opcode: -1, data: 'Error during WebSocket handshake: Unexpected response code: 403' }],
    })!;
    expect(o.source).toBe('devtools');
    // The status comes from the text; the text stays as the error, quoted as evidence.
    expect(o.status).toBe(403);
    expect(o.error).toBe('Error during WebSocket handshake: Unexpected response code: 403');
    expect(netLabel(o)).toBe('403');
    expect(o.at).toBe(Date.parse('2026-12-01T10:00:00.000Z'));
  });

  it('a start time of 1970 is no time: the entry matches by URL and order', () => {
    const o = netFromDevtoolsEntry(
      {
        _resourceType: 'websocket',
        startedDateTime: '1969-12-31T23:59:59.000Z',
        time: 828924.37,
        request: { url: 'ws://nope.invalid/' },
        response: { status: 0 },
        _webSocketMessages: [{ type: 'error', time: 211.2, opcode: -1, data: 'Error in connection establishment: net::ERR_NAME_NOT_RESOLVED' }],
      },
      T + 5_000,
    )!;
    expect(o).toMatchObject({ noTime: true, at: T + 5_000 });
    expect(o.endAt).toBeUndefined();
    const c = conn(`${DOC}:0`, 'ws://nope.invalid/', T, { closedAt: T + 10 });
    expect(netLabel(matchNetwork([c], [o]).byConn.get(c.id)!)).toBe('DNS');
  });

  it('a 101 with its headers; anything else is not ours', () => {
    const o = netFromDevtoolsEntry({
      _resourceType: 'websocket',
      startedDateTime: '2026-12-01T10:00:00.000Z',
      time: 200,
      request: { method: 'GET', url: 'ws://h/ok', headers: [] },
      response: { status: 101, statusText: 'Switching Protocols', httpVersion: 'HTTP/1.1', headers: [{ name: 'Upgrade', value: 'websocket' }] },
      _webSocketMessages: [],
    })!;
    expect(o.status).toBe(101);
    expect(o.statusLine).toBe('HTTP/1.1 101 Switching Protocols');
    expect(o.responseHeaders).toEqual([{ name: 'Upgrade', value: 'websocket' }]);
    expect(netFromDevtoolsEntry({ _resourceType: 'script', request: { url: 'https://x/' } })).toBeUndefined();
    expect(netFromDevtoolsEntry(null)).toBeUndefined();
    expect(netFromDevtoolsEntry({ _resourceType: 'websocket', startedDateTime: 'nope', request: { url: 'ws://x/' } })).toBeUndefined();
  });
});

describe('the session keeps observations bounded', () => {
  it('evicts the oldest past maxNet and counts them', () => {
    const s = createSession({ maxNet: 3 });
    upsertNet(s, [1, 2, 3, 4, 5].map((i) => obs(`webrequest:${i}`, 'ws://a/', T + i)));
    expect([...s.net.keys()]).toEqual(['webrequest:3', 'webrequest:4', 'webrequest:5']);
    expect(s.netDropped).toBe(2);
  });
});

describe('ambiguity', () => {
  const url = 'ws://h.test/same';
  it('two failed sockets in flight at once with different answers get neither', () => {
    const a = conn(`${DOC}:0`, url, T, { closedAt: T + 30 });
    const b = conn(`${DOC}:1`, url, T, { closedAt: T + 31 });
    const m = matchNetwork([a, b], [obs('webrequest:1', url, T + 1, { status: 401, endAt: T + 20 }), obs('webrequest:2', url, T + 1, { status: 503, endAt: T + 21 })]);
    expect(m.byConn.size).toBe(0);
    expect(m.ambiguous.get(a.id)?.map((o) => o.status).sort()).toEqual([401, 503]);
    expect(m.unmatched).toEqual([]);
    // …and they make no network-only rows either.
    expect(withNetwork([a, b], [obs('webrequest:1', url, T + 1, { status: 401 }), obs('webrequest:2', url, T + 1, { status: 503 })]).connections).toHaveLength(2);
  });

  it('the same answer twice is no doubt', () => {
    const a = conn(`${DOC}:0`, url, T, { closedAt: T + 30 });
    const b = conn(`${DOC}:1`, url, T, { closedAt: T + 31 });
    const m = matchNetwork([a, b], [obs('webrequest:1', url, T + 1, { status: 503 }), obs('webrequest:2', url, T + 1, { status: 503 })]);
    expect(m.byConn.size).toBe(2);
  });

  it('a retry made after the last attempt ended is told apart by order', () => {
    const a = conn(`${DOC}:0`, url, T, { closedAt: T + 30 });
    const b = conn(`${DOC}:1`, url, T + 500, { closedAt: T + 530 });
    const m = matchNetwork([a, b], [obs('webrequest:1', url, T + 1, { status: 503 }), obs('webrequest:2', url, T + 501, { status: 401 })]);
    expect(m.byConn.get(a.id)?.status).toBe(503);
    expect(m.byConn.get(b.id)?.status).toBe(401);
  });
});
