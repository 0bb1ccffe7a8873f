// The network rules of the diagnosis: what the network said about a handshake that failed,
// from observations shaped the way each source produces them (Chromium webRequest: 101 and
// 401/407 with headers, every other failure net::ERR_FAILED; DevTools' network log: Chromium's
// failure text; Firefox webRequest: every status with its headers, NS_ERROR_* names; HAR), run
// through the real matcher (net-match.ts) as the panel does.
import { describe, expect, it } from 'vitest';
import { diagnose, retryAfterMs, type Diagnosis } from '../src/core/diagnosis/diagnose.ts';
import { isText, type Text } from '../src/core/knowledge/i18n/text.ts';
import { diagnosisToMarkdown } from '../src/core/diagnosis/markdown.ts';
import { pickHeaders, type NetObservation, type NetView } from '../src/core/network/net.ts';
import { matchNetwork } from '../src/core/network/net-match.ts';
import type { Connection } from '../src/core/session/session.ts';
import { analyse, Recorder, T0, type Analysed } from './helpers/events.ts';

const S = 1000;
const URL = 'wss://api.example/socket';

type Obs = Omit<NetObservation, 'id' | 'url' | 'at' | 'requestHeaders' | 'responseHeaders'> & {
  at?: number;
  url?: string;
  request?: Record<string, string>;
  response?: Record<string, string>;
};

let nextId = 0;
/** An observation as a source writes it: headers through the same picking (bounds, redaction). */
function obs(o: Obs): NetObservation {
  const { request, response, at, url, ...rest } = o;
  const out: NetObservation = { id: `${o.source}:${nextId++}`, url: url ?? URL, at: at ?? T0 + 110, ...rest };
  if (request) out.requestHeaders = pickHeaders('request', Object.entries(request).map(([name, value]) => ({ name, value }))).headers;
  if (response) out.responseHeaders = pickHeaders('response', Object.entries(response).map(([name, value]) => ({ name, value }))).headers;
  return out;
}

const webRequestFailed = (extra: Partial<Obs> = {}): Obs => ({ source: 'webrequest', error: 'net::ERR_FAILED', endAt: T0 + 170, ...extra });
const devtools = (error: string): Obs => ({ source: 'devtools', error, endAt: T0 + 175 });

interface Case {
  d: Diagnosis;
  a: Analysed;
  conn: Connection;
  view: NetView | undefined;
}

/** A socket created at 100 ms that failed at 180 ms (error + 1006), and what the network saw of it. */
function failedWith(observations: Obs[], opts: { url?: string; protocols?: string[]; recorder?: Recorder } = {}): Case {
  const url = opts.url ?? URL;
  const r = opts.recorder ?? new Recorder().create(1, 100, url, { protocols: opts.protocols ?? [] }).error(1, 180).close(1, 180, 1006);
  const a = analyse(r, 200 * S);
  const network = matchNetwork(a.conns, observations.map((o) => obs({ url, ...o }))).byConn;
  const conn = a.conn(1);
  const ctx = { ...a.ctx, network };
  return { d: diagnose(conn, ctx), a: { ...a, ctx }, conn, view: network.get(conn.id) };
}

const facts = (d: Diagnosis): string[] => d.evidence.map((e) => e.fact);
const all = (d: Diagnosis, lang: 'en' | 'ja' = 'en'): string =>
  [d.headline, ...d.evidence.map((e) => e.text), ...d.causes, ...d.fixes].map((t) => t[lang]).join('\n');
const evidenceText = (d: Diagnosis, fact: string): string => d.evidence.find((e) => e.fact === fact)?.text.en ?? '';

/** Every text of a diagnosis exists in both languages, and the Japanese one is Japanese. */
function expectTranslated(d: Diagnosis): void {
  const texts: Text[] = [d.headline, ...d.evidence.map((e) => e.text), ...d.causes, ...d.fixes];
  for (const t of texts) {
    expect(isText(t)).toBe(true);
    expect(t.en.trim()).not.toBe('');
    expect(t.ja).toMatch(/[\u3040-\u30ff\u3400-\u9fff]/);
  }
}

/** The shape every network diagnosis of a page socket shares, whatever its class. */
function expectNetFailure(d: Diagnosis, cls: string, label: string): void {
  expect(d.category).toBe('handshake-failed');
  expect(d.severity).toBe('error');
  expect(d.net?.cls).toBe(cls);
  expect(d.net?.label).toBe(label);
  expect(d.code).toBe(1006);
  // The page's own facts stay: the close event, never opened, the error event.
  expect(facts(d)).toEqual(expect.arrayContaining(['close.code', 'open.never', 'error']));
  expect(d.headline.en).toMatch(/^Never connected: /);
  expect(d.causes.length).toBeGreaterThan(0);
  expect(d.fixes.length).toBeGreaterThan(0);
  expectTranslated(d);
}

describe('HTTP statuses', () => {
  it('401 from Chromium webRequest (it reports 401 with headers): the challenge and the missing cookie are evidence', () => {
    const { d } = failedWith([
      webRequestFailed({
        status: 401,
        statusLine: 'HTTP/1.1 401 Unauthorized',
        responseAt: T0 + 160,
        request: { Host: 'api.example', Origin: 'https://app.example' },
        response: { 'WWW-Authenticate': 'Bearer realm="api", error="invalid_token"' },
      }),
    ]);
    expectNetFailure(d, 'unauthorized', '401');
    expect(d.headline.en).toMatch(/401 Unauthorized/);
    expect(evidenceText(d, 'net.status')).toBe('The network reported HTTP/1.1 401 Unauthorized at 22:13:20.160 UTC (webRequest)');
    expect(evidenceText(d, 'net.error')).toMatch(/"net::ERR_FAILED"/);
    expect(evidenceText(d, 'net.header.www-authenticate')).toBe('Response header WWW-Authenticate: Bearer realm="api", error="invalid_token"');
    expect(facts(d)).toContain('net.request.cookie.none');
    expect(d.causes.map((c) => c.en).join('\n')).toMatch(/SameSite/);
    expect(d.causes.map((c) => c.en).join('\n')).toMatch(/query string or as a subprotocol expired/);
    expect(d.causes.some((c) => /asks for Bearer/.test(c.en))).toBe(true);
    expect(d.learnMore).toMatch(/Status\/401$/);
  });

  it('401 from DevTools\' "HTTP Authentication failed" merged with webRequest\'s bare failure', () => {
    const { d, view } = failedWith([webRequestFailed(), devtools('HTTP Authentication failed; no valid credentials available')]);
    expect(view?.sources).toEqual(['webrequest', 'devtools']);
    expectNetFailure(d, 'unauthorized', '401');
    expect(evidenceText(d, 'net.status')).toMatch(/HTTP 401 Unauthorized .*\(webRequest, DevTools network log\)/);
    expect(evidenceText(d, 'net.error')).toMatch(/HTTP Authentication failed/);
    // The cookie was redacted, but its presence is the fact: it was sent.
    expect(facts(d)).not.toContain('net.request.cookie.none');
  });

  it('the Cookie header a request carried is shown redacted, and counts against "no cookie"', () => {
    const { d } = failedWith([webRequestFailed({ status: 401, request: { Cookie: 'sid=secret; theme=dark' } })]);
    expect(evidenceText(d, 'net.request.cookie')).toBe('Request header Cookie: [redacted: 2 cookies]');
    expect(all(d)).not.toMatch(/secret/);
    expect(facts(d)).not.toContain('net.request.cookie.none');
  });

  it('407: a proxy wants credentials', () => {
    const { d } = failedWith([webRequestFailed({ status: 407, response: { 'Proxy-Authenticate': 'Basic realm="corp"' } })]);
    expectNetFailure(d, 'unauthorized', '407');
    expect(d.headline.en).toMatch(/proxy answered 407/);
    expect(facts(d)).toContain('net.header.proxy-authenticate');
  });

  it('403 from Chromium (DevTools text): the Origin allow-list, quoting the request\'s Origin', () => {
    const { d } = failedWith([
      webRequestFailed({ request: { Origin: 'https://app.example' } }),
      devtools('Error during WebSocket handshake: Unexpected response code: 403'),
    ]);
    expectNetFailure(d, 'forbidden', '403');
    expect(d.causes[0]!.en).toMatch(/Origin allow-list .*\(https:\/\/app\.example\)/);
    expect(d.causes[0]!.ja).toContain('https://app.example');
    expect(d.fixes[0]!.en).toMatch(/Add https:\/\/app\.example to the server's allowed origins/);
    expect(evidenceText(d, 'net.request.origin')).toBe('Request header Origin: https://app.example');
    expect(evidenceText(d, 'net.error')).toMatch(/Unexpected response code: 403/);
  });

  it('400: upgrade headers stripped by a proxy come first', () => {
    const { d } = failedWith([{ source: 'webrequest', status: 400, error: 'NS_ERROR_FAILURE' }]);
    expectNetFailure(d, 'bad-request', '400');
    expect(d.causes[0]!.en).toMatch(/Upgrade and Connection headers: they are hop-by-hop/);
  });

  it.each([404, 410])('%i (Firefox reports the status): wrong path, route not registered', (status) => {
    const { d } = failedWith([{ source: 'webrequest', status, statusLine: `HTTP/1.1 ${status}`, response: { Server: 'nginx' } }]);
    expectNetFailure(d, 'not-found', String(status));
    expect(d.causes[0]!.en).toMatch(/Wrong path or query/);
    expect(d.causes[1]!.en).toMatch(/not registered/);
    expect(evidenceText(d, 'net.header.server')).toBe('Response header Server: nginx');
  });

  it('200: an HTML fallback, quoting Content-Type', () => {
    const { d } = failedWith([
      { source: 'webrequest', status: 200, error: 'NS_ERROR_WEBSOCKET_CONNECTION_REFUSED', response: { 'Content-Type': 'text/html; charset=utf-8' } },
    ]);
    expectNetFailure(d, 'not-websocket', '200');
    expect(d.headline.en).toMatch(/answered 200 OK instead of 101/);
    expect(d.causes[0]!.en).toMatch(/HTML fallback answered \(Content-Type: text\/html; charset=utf-8\)/);
  });

  it('Firefox\'s NS_ERROR_WEBSOCKET_CONNECTION_REFUSED without a status: an answer that did not upgrade', () => {
    const { d } = failedWith([{ source: 'har', error: 'NS_ERROR_WEBSOCKET_CONNECTION_REFUSED' }]);
    expectNetFailure(d, 'invalid-response', 'invalid');
    expect(d.causes[0]!.en).toMatch(/answered without upgrading/);
    expect(d.fixes[0]!.en).toMatch(/curl -i -N .* https:\/\/api\.example\/socket$/);
  });

  it('3xx: redirects are not followed; the fix names Location', () => {
    const { d } = failedWith([{ source: 'webrequest', status: 301, response: { Location: 'https://www.example/socket' } }]);
    expectNetFailure(d, 'redirect', '301');
    expect(d.headline.en).toMatch(/redirected \(301 Moved Permanently\) — browsers never follow/);
    expect(d.fixes[0]!.en).toBe('Connect to the final URL directly (https://www.example/socket), with wss:// where it redirects to https.');
    expect(evidenceText(d, 'net.header.location')).toMatch(/https:\/\/www\.example\/socket/);
  });

  it('3xx without Location says so', () => {
    const { d } = failedWith([{ source: 'webrequest', status: 302, response: { Server: 'x' } }]);
    expect(facts(d)).toContain('net.header.location.none');
  });

  it('426: another version or TLS', () => {
    const { d } = failedWith([{ source: 'webrequest', status: 426, response: { Upgrade: 'TLS/1.2, HTTP/1.1' } }]);
    expectNetFailure(d, 'upgrade-required', '426');
    expect(d.causes.map((c) => c.en).join('\n')).toMatch(/Sec-WebSocket-Version[\s\S]*TLS/);
    expect(facts(d)).toContain('net.header.upgrade');
  });

  it('429 with Retry-After in seconds: shown, and a reconnect 1 s later is called out', () => {
    const r = new Recorder().failedAttempt(1, 100, URL, 80).failedAttempt(2, 1_200, URL, 80);
    const { d } = failedWith(
      [{ source: 'webrequest', status: 429, responseAt: T0 + 170, response: { 'Retry-After': '120' } }],
      { recorder: r },
    );
    expectNetFailure(d, 'rate-limited', '429');
    expect(d.headline.en).toMatch(/429 Too Many Requests .*\(Retry-After: wait 2 min\)/);
    expect(d.headline.ja).toContain('2 分');
    expect(evidenceText(d, 'net.header.retry-after')).toBe('Retry-After: 120 — the server asked to wait 2 min (until 22:15:20.170 UTC)');
    expect(evidenceText(d, 'net.retryAfter.ignored')).toMatch(/came 1\.0 s later, before the 2 min/);
    expect(d.fixes[0]!.en).toMatch(/Wait at least 2 min/);
    expect(d.learnMore).toMatch(/rfc6585#section-4/);
  });

  it('503 from Firefox with Retry-After as an HTTP-date', () => {
    const responseAt = Date.parse('Tue, 14 Nov 2023 22:13:20 GMT');
    const { d } = failedWith([
      { source: 'webrequest', status: 503, responseAt: responseAt + 150, response: { 'Retry-After': 'Tue, 14 Nov 2023 22:14:20 GMT' } },
    ]);
    expectNetFailure(d, 'unavailable', '503');
    expect(d.headline.en).toMatch(/Retry-After: wait 60 s/);
    expect(d.fixes[0]!.en).toMatch(/Wait at least 60 s/);
  });

  it('503 without Retry-After: says the server gave no wait, fixes say back off', () => {
    const { d } = failedWith([{ source: 'webrequest', status: 503, response: { Server: 'awselb/2.0' } }]);
    expect(facts(d)).toContain('net.retryAfter.none');
    expect(d.fixes[0]!.en).toMatch(/^Back off/);
  });

  it('Retry-After parsing: seconds, HTTP-date, garbage', () => {
    expect(retryAfterMs('120', 0)).toBe(120_000);
    expect(retryAfterMs(' 0 ', 0)).toBe(0);
    expect(retryAfterMs('Tue, 14 Nov 2023 22:14:20 GMT', T0)).toBe(60_000);
    expect(retryAfterMs('Tue, 14 Nov 2023 22:00:00 GMT', T0)).toBe(0); // in the past: no wait
    expect(retryAfterMs('soon', 0)).toBeUndefined();
    expect(retryAfterMs('-5', 0)).toBeUndefined();
    expect(retryAfterMs('9'.repeat(400), 0)).toBeUndefined();
  });

  it('500: the upgrade handler failed', () => {
    const { d } = failedWith([webRequestFailed(), devtools('Error during WebSocket handshake: Unexpected response code: 500')]);
    expectNetFailure(d, 'server-error', '500');
    expect(d.causes[0]!.en).toMatch(/upgrade handler failed/);
    expect(d.fixes[0]!.en).toMatch(/server logs at 22:13:20.175 UTC/);
  });

  it('502 from Chromium: webRequest net::ERR_FAILED merged with DevTools\' text', () => {
    const { d, view } = failedWith([webRequestFailed(), devtools('Error during WebSocket handshake: Unexpected response code: 502')]);
    expect(view?.error).toBe('Error during WebSocket handshake: Unexpected response code: 502');
    expectNetFailure(d, 'bad-gateway', '502');
    expect(d.headline.en).toMatch(/502 Bad Gateway from a proxy or load balancer/);
    expect(d.causes[0]!.en).toMatch(/could not reach the app behind it/);
    expect(d.net?.said).toBe('Error during WebSocket handshake: Unexpected response code: 502');
  });

  it('504 from Firefox names the proxy from Via and Server', () => {
    const { d } = failedWith([{ source: 'webrequest', status: 504, response: { Via: '1.1 varnish', Server: 'cloudflare' } }]);
    expectNetFailure(d, 'bad-gateway', '504');
    expect(d.headline.en).toMatch(/waited too long/);
    expect(d.causes[0]!.en).toMatch(/A proxy or load balancer \(1\.1 varnish, cloudflare\) waited too long/);
  });

  it('another 4xx (405): the status and the generic list', () => {
    const { d } = failedWith([{ source: 'webrequest', status: 405 }]);
    expectNetFailure(d, 'http-error', '405');
    expect(d.headline.en).toMatch(/HTTP 405 Method Not Allowed/);
  });
});

describe('network errors', () => {
  it('DNS from DevTools\' text: the host is quoted', () => {
    const { d } = failedWith([webRequestFailed(), devtools('Error in connection establishment: net::ERR_NAME_NOT_RESOLVED')], {
      url: 'wss://api.exampel.com/socket',
    });
    expectNetFailure(d, 'dns', 'DNS');
    expect(d.headline.en).toBe('Never connected: the host name api.exampel.com could not be resolved (DNS)');
    expect(d.fixes[0]!.en).toMatch(/dig api\.exampel\.com/);
    expect(evidenceText(d, 'net.error')).toMatch(/net::ERR_NAME_NOT_RESOLVED.*DevTools network log/);
  });

  it('DNS from Firefox (NS_ERROR_UNKNOWN_HOST)', () => {
    const { d } = failedWith([{ source: 'webrequest', error: 'NS_ERROR_UNKNOWN_HOST' }]);
    expectNetFailure(d, 'dns', 'DNS');
  });

  it('refused: host and port, the default port when the URL has none', () => {
    const a = failedWith([{ source: 'webrequest', error: 'NS_ERROR_CONNECTION_REFUSED' }]).d;
    expectNetFailure(a, 'refused', 'refused');
    expect(a.headline.en).toMatch(/nothing listens on api\.example:443$/);
    const b = failedWith([{ source: 'webrequest', error: 'NS_ERROR_CONNECTION_REFUSED' }], { url: 'ws://localhost:8080/ws' }).d;
    expect(b.headline.en).toMatch(/nothing listens on localhost:8080$/);
  });

  it.each([
    ['net::ERR_CONNECTION_RESET', 'reset', 'reset', /reset or closed during the handshake/],
    ['net::ERR_CONNECTION_TIMED_OUT', 'timeout', 'timeout', /timed out/],
    ['net::ERR_CERT_DATE_INVALID', 'tls', 'TLS', /TLS handshake failed \(net::ERR_CERT_DATE_INVALID\)/],
    ['SEC_ERROR_UNKNOWN_ISSUER', 'tls', 'TLS', /TLS handshake failed \(SEC_ERROR_UNKNOWN_ISSUER\)/],
    ['net::ERR_BLOCKED_BY_CLIENT', 'blocked-client', 'blocked', /extension or a policy/],
    ['net::ERR_TUNNEL_CONNECTION_FAILED', 'tunnel', 'proxy', /proxy could not open a tunnel/],
    ['net::ERR_INVALID_HTTP_RESPONSE', 'invalid-response', 'invalid', /not a valid WebSocket handshake/],
    ['net::ERR_UNSAFE_PORT', 'unsafe-port', 'port', /port 6000/],
    ['NS_ERROR_NET_TIMEOUT', 'timeout', 'timeout', /timed out/],
    ['NS_ERROR_PROXY_CONNECTION_REFUSED', 'tunnel', 'proxy', /tunnel/],
  ])('%s → %s', (error, cls, label, headline) => {
    // Chromium's names come through DevTools' text beside webRequest's bare failure; Firefox's
    // (NS_ERROR_*, NSS' SEC_ERROR_*) from its webRequest directly.
    const seen: Obs[] = error.startsWith('net::')
      ? [webRequestFailed(), devtools(`Error in connection establishment: ${error}`)]
      : [{ source: 'webrequest', error }];
    const { d } = failedWith(seen, { url: 'wss://api.example:6000/socket' });
    expectNetFailure(d, cls, label);
    expect(d.headline.en).toMatch(headline);
    expect(evidenceText(d, 'net.error')).toContain(error);
  });

  it('TLS quotes the error in the causes and points at the host over https', () => {
    const { d } = failedWith([devtools('Error in connection establishment: net::ERR_CERT_COMMON_NAME_INVALID')]);
    expect(d.causes[0]!.en).toMatch(/does not name this host: net::ERR_CERT_COMMON_NAME_INVALID\./);
    expect(d.fixes[0]!.en).toMatch(/Open https:\/\/api\.example\//);
  });

  it('the browser was offline: ranked first for a failure that never reached a server', () => {
    const r = new Recorder().page(50, 'offline').create(1, 100).error(1, 180).close(1, 180, 1006);
    const { d } = failedWith([{ source: 'webrequest', error: 'net::ERR_INTERNET_DISCONNECTED' }], { recorder: r });
    expect(d.causes[0]!.en).toMatch(/offline/);
    expect(facts(d)).toContain('offline');
    expect(d.fixes[0]!.en).toMatch(/online/);
  });

  it('…but not for a status: the server answered, so the browser was online', () => {
    const r = new Recorder().page(50, 'offline').create(1, 100).error(1, 180).close(1, 180, 1006);
    const { d } = failedWith([{ source: 'webrequest', status: 403 }], { recorder: r });
    expect(d.causes[0]!.en).not.toMatch(/offline/);
  });
});

describe('when the network cannot tell', () => {
  it('a bare net::ERR_FAILED says so, keeps the generic ranked causes and says what would tell', () => {
    const { d } = failedWith([webRequestFailed()]);
    expectNetFailure(d, 'network', 'failed');
    expect(d.headline.en).toBe('Never connected: the browser only said the handshake failed (net::ERR_FAILED), not why');
    expect(d.causes[0]!.en).toMatch(/cannot tell these causes apart/);
    const rest = d.causes.slice(1).map((c) => c.en).join('\n');
    for (const generic of [/401\/403/, /Connection refused/, /does not resolve/, /TLS failed/, /Content-Security-Policy/]) expect(rest).toMatch(generic);
    expect(d.fixes[0]!.en).toMatch(/open DevTools before the socket is created.*Firefox/);
    expect(facts(d)).toContain('net.bare');
  });

  it('no network view at all: the existing generic rule, unchanged', () => {
    const { d } = failedWith([]);
    expect(d.category).toBe('handshake-failed');
    expect(d.net).toBeUndefined();
    expect(d.headline.en).toMatch(/not a drop/);
  });

  it('a request still pending (no status, no error) adds nothing', () => {
    const { d } = failedWith([{ source: 'webrequest', method: 'GET' }]);
    expect(d.net).toBeUndefined();
    expect(d.headline.en).toMatch(/not a drop/);
  });
});

describe('subprotocol not selected', () => {
  it('101 without Sec-WebSocket-Protocol for a socket that asked for one: quotes what was asked', () => {
    const { d } = failedWith(
      [{ source: 'webrequest', status: 101, statusLine: 'HTTP/1.1 101 Switching Protocols', responseAt: T0 + 150, response: { Upgrade: 'websocket' } }],
      { protocols: ['graphql-transport-ws'] },
    );
    expectNetFailure(d, 'subprotocol', 'subprotocol');
    expect(evidenceText(d, 'net.protocols.asked')).toBe('The page asked for the subprotocol(s) graphql-transport-ws');
    expect(facts(d)).toContain('net.protocols.none');
    expect(d.causes[0]!.en).toMatch(/asked for graphql-transport-ws and the server's 101 selected none/);
    expect(d.net?.said).toBe('HTTP/1.1 101 Switching Protocols');
  });

  it('Chromium: webRequest\'s 101 and bare failure, DevTools\' text naming the header, merged', () => {
    const text = "Error during WebSocket handshake: Sent non-empty 'Sec-WebSocket-Protocol' header but no response was received";
    const { d } = failedWith(
      [{ source: 'webrequest', status: 101, responseAt: T0 + 150, error: 'net::ERR_FAILED', endAt: T0 + 160 }, devtools(text)],
      { protocols: ['chat'] },
    );
    expectNetFailure(d, 'subprotocol', 'subprotocol');
    expect(d.net?.said).toBe(text);
    expect(evidenceText(d, 'net.status')).toMatch(/HTTP 101 Switching Protocols at 22:13:20\.150 UTC/);
  });

  it('101 selecting one not asked for: quotes the answer', () => {
    const { d } = failedWith([{ source: 'webrequest', status: 101, response: { 'Sec-WebSocket-Protocol': 'graphql-ws' } }], {
      protocols: ['graphql-transport-ws', 'v2'],
    });
    expectNetFailure(d, 'subprotocol', 'subprotocol');
    expect(evidenceText(d, 'net.protocols.answered')).toMatch(/selected graphql-ws, which the page did not ask for/);
    expect(d.causes[0]!.en).toMatch(/asked for graphql-transport-ws, v2 and the server selected graphql-ws/);
  });

  it('DevTools\' text naming Sec-WebSocket-Protocol', () => {
    const { d } = failedWith(
      [devtools("Error during WebSocket handshake: Sent non-empty 'Sec-WebSocket-Protocol' header but no response was received")],
      { protocols: ['chat'] },
    );
    expectNetFailure(d, 'subprotocol', 'subprotocol');
  });

  it('a 101 that selected one of those asked is not called a subprotocol failure', () => {
    const { d } = failedWith([{ source: 'webrequest', status: 101, response: { 'Sec-WebSocket-Protocol': 'chat' } }], { protocols: ['chat'] });
    expect(d.net).toBeUndefined();
  });
});

/** A socket the browser blocked at creation: readyState 3, `error`, never `close` (Chromium 156). */
function blocked(csp?: Connection['csp']): Case {
  const a = analyse(new Recorder().create(1, 100, URL).error(1, 101), 200 * S);
  const conn = a.conn(1);
  conn.createdState = 3;
  conn.state = 'closed';
  conn.close = { at: T0 + 101, code: 1006, reason: '', wasClean: false, synthetic: 'blocked' };
  if (csp) conn.csp = csp;
  return { d: diagnose(conn, a.ctx), a, conn, view: undefined };
}

describe('blocked in the page: CSP and mixed content', () => {
  const violation = {
    at: T0 + 100,
    directive: 'connect-src',
    blocked: 'wss://api.example',
    policy: "default-src 'self'; connect-src 'self' https://cdn.example",
    disposition: 'enforce',
  };

  it('CSP: quotes the directive and the policy, says no request was made, not "navigated"', () => {
    const { d } = blocked(violation);
    expect(d.category).toBe('handshake-failed');
    expect(d.net).toMatchObject({ cls: 'csp', label: 'CSP', at: T0 + 100 });
    expect(d.headline.en).toBe("Never connected: the page's Content-Security-Policy (connect-src) blocked the socket — no request was made");
    expect(evidenceText(d, 'csp')).toMatch(/blocked wss:\/\/api\.example at 22:13:20\.100 UTC \(directive connect-src\)/);
    expect(evidenceText(d, 'csp.policy')).toBe(`The policy: ${violation.policy}`);
    expect(facts(d)).toEqual(expect.arrayContaining(['create.closed', 'error']));
    // No close event fired: none is claimed.
    expect(facts(d)).not.toContain('close.code');
    expect(d.fixes[0]!.en).toBe('Add wss://api.example to connect-src in the policy that blocked it.');
    expect(d.learnMore).toMatch(/connect-src$/);
    expectTranslated(d);
  });

  it('CSP: a huge policy is bounded', () => {
    const { d } = blocked({ ...violation, policy: `connect-src 'self' ${'https://x.example '.repeat(5000)}` });
    const text = evidenceText(d, 'csp.policy');
    expect(text.length).toBeLessThan(330);
    expect(text.endsWith('…')).toBe(true);
  });

  it('blocked with no violation event: "blocked at creation", never "navigated"', () => {
    const { d } = blocked();
    expect(d.category).toBe('handshake-failed');
    expect(d.net).toBeUndefined();
    expect(d.headline.en).toMatch(/^Blocked by the browser when it was created/);
    expect(d.causes[0]!.en).toMatch(/Content-Security-Policy/);
    expectTranslated(d);
  });

  it('CSP in Firefox: the constructor threw, then the violation came; the policy is the why', () => {
    const a = analyse(new Recorder().create(1, 100, 'wss://api.example/', { threw: 'NS_ERROR_CONTENT_BLOCKED: ' }), 200 * S);
    const c: Connection = { ...a.conn(1), csp: violation };
    const d = diagnose(c, a.ctx);
    expect(d.net).toMatchObject({ cls: 'csp', label: 'CSP' });
    expect(facts(d)).toEqual(expect.arrayContaining(['create.threw', 'csp']));
    // Without the violation it stays what it was: the constructor threw.
    expect(diagnose(a.conn(1), a.ctx).category).toBe('create-failed');
    expectTranslated(d);
  });

  it('a report-only violation is not why it failed', () => {
    const { d } = blocked({ ...violation, disposition: 'report' });
    expect(d.net).toBeUndefined();
  });

  it('mixed content: SecurityError for a ws: URL is refined, still create-failed', () => {
    const msg = "SecurityError: Failed to construct 'WebSocket': An insecure WebSocket connection may not be initiated from a page loaded over HTTPS.";
    const a = analyse(new Recorder().create(1, 100, 'ws://api.example/socket', { threw: msg }), 200 * S);
    const d = diagnose(a.conn(1), a.ctx);
    expect(d.category).toBe('create-failed');
    expect(d.net).toMatchObject({ cls: 'mixed-content', label: 'mixed' });
    expect(d.headline.en).toMatch(/mixed content/);
    expect(d.causes[0]!.en).toMatch(/loaded over https:\/\/ and the socket URL is ws:\/\//);
    expect(d.fixes[0]!.en).toMatch(/^Use wss:\/\//);
    expect(facts(d)).toEqual(['create.threw', 'create.mixed']);
    expectTranslated(d);
  });

  it('a blocked port also throws SecurityError', () => {
    const msg = "SecurityError: Failed to construct 'WebSocket': The port 6000 is not allowed.";
    const a = analyse(new Recorder().create(1, 100, 'ws://localhost:6000/', { threw: msg }), 200 * S);
    expect(diagnose(a.conn(1), a.ctx).net?.cls).toBe('unsafe-port');
  });

  it('SyntaxError (a bad URL) keeps the existing rule', () => {
    const a = analyse(new Recorder().create(1, 100, 'ws://a b', { threw: "SyntaxError: The URL 'ws://a b' is invalid." }), 200 * S);
    const d = diagnose(a.conn(1), a.ctx);
    expect(d.category).toBe('create-failed');
    expect(d.net).toBeUndefined();
    expect(d.causes[0]!.en).toMatch(/URL is invalid/);
  });
});

describe('network-only connections', () => {
  /** A handshake no page socket accounts for, as derive.ts makes it a connection. */
  function netOnly(o: Obs): Diagnosis {
    const a = analyse(new Recorder().create(1, 100, URL), 200 * S);
    const conn = a.conn(1);
    conn.netOnly = true;
    conn.state = 'closed';
    conn.close = { at: T0 + 180, code: 1006, reason: '', wasClean: false, synthetic: 'network-only' };
    const network = new Map([[conn.id, { url: URL, at: T0 + 110, sources: [o.source], ids: ['x'], ...o } as NetView]]);
    return diagnose(conn, { ...a.ctx, network });
  }

  it('a failure: says network only, then the class\'s explanation', () => {
    const d = netOnly({ source: 'webrequest', status: 502, statusLine: 'HTTP/1.1 502 Bad Gateway' });
    expect(d.category).toBe('handshake-failed');
    expect(d.net?.cls).toBe('bad-gateway');
    expect(d.headline.en).toMatch(/^Seen on the network only \(no page socket: a Worker's, or one the hook did not wrap\): 502 Bad Gateway from a proxy/);
    expect(facts(d)).toContain('net.only');
    expect(facts(d)).not.toContain('open.never');
    expect(d.causes[0]!.en).toMatch(/could not reach the app/);
    expectTranslated(d);
  });

  it('an upgrade: network only, nothing failed that we can see', () => {
    const d = netOnly({ source: 'webrequest', status: 101 });
    expect(d.category).toBe('live');
    expect(d.net).toBeUndefined();
    expect(d.headline.en).toMatch(/^Seen on the network only: the handshake succeeded \(101\)/);
    expectTranslated(d);
  });
});

describe('what the network rules leave alone', () => {
  it('a 101 whose socket opened and later dropped keeps the drop rules', () => {
    const r = new Recorder().create(1, 0).open(1, 50).message(1, 1 * S).close(1, 1 * S + 60_400, 1006);
    const a = analyse(r, 400 * S);
    const network = matchNetwork(a.conns, [obs({ source: 'webrequest', status: 101, at: T0 + 10, responseAt: T0 + 40 })]).byConn;
    expect(network.size).toBe(1);
    const d = diagnose(a.conn(1), { ...a.ctx, network });
    expect(d.category).toBe('idle-timeout');
    expect(d.net).toBeUndefined();
  });

  it('a page that closed its socket while connecting keeps "closed by the page"', () => {
    const r = new Recorder().create(1, 100).closeCall(1, 105, { rs: 0 }).close(1, 110, 1006);
    const a = analyse(r, 200 * S);
    const network = new Map([[a.conn(1).id, { url: URL, at: T0 + 100, error: 'net::ERR_ABORTED', sources: ['webrequest'], ids: ['x'] } as NetView]]);
    const d = diagnose(a.conn(1), { ...a.ctx, network });
    expect(d.category).toBe('closed-by-page');
    expect(d.net).toBeUndefined();
  });
});

describe('hostile values', () => {
  it('a 1 MB WWW-Authenticate is quoted bounded, controls and bidi overrides inert', () => {
    const huge = `Bearer realm="\u202e${'A'.repeat(1024 * 1024)}"`;
    const view: NetView = {
      url: URL,
      at: T0 + 110,
      status: 401,
      statusLine: `HTTP/1.1 401 ${'x'.repeat(10_000)}\r\nInjected: yes`,
      responseHeaders: [{ name: 'WWW-Authenticate', value: huge }],
      error: 'E'.repeat(100_000),
      sources: ['har'],
      ids: ['har:1'],
    };
    const a = analyse(new Recorder().create(1, 100).error(1, 180).close(1, 180, 1006), 200 * S);
    const d = diagnose(a.conn(1), { ...a.ctx, network: new Map([[a.conn(1).id, view]]) });
    expect(d.net?.cls).toBe('unauthorized');
    const quoted = evidenceText(d, 'net.header.www-authenticate');
    expect(quoted.length).toBeLessThan(260);
    expect(quoted).toMatch(/…$/);
    expect(quoted).not.toContain('\u202e');
    expect(quoted).toContain('\\u{202e}');
    for (const e of d.evidence) expect(e.text.en.length).toBeLessThan(400);
    for (const c of d.causes) expect(c.en.length).toBeLessThan(600);
    expect(d.headline.en.length).toBeLessThan(200);
    expect(d.net!.said!.length).toBeLessThan(130);
    expect(d.net!.said).not.toMatch(/[\r\n]/);
  });
});

describe('Copy as Markdown', () => {
  it('includes what the network said: label, status line or error, time and sources', () => {
    const { d, conn } = failedWith([webRequestFailed(), devtools('Error during WebSocket handshake: Unexpected response code: 502')]);
    const md = diagnosisToMarkdown(conn, d, 'en');
    expect(md).toContain(
      '- Network: `502` · `Error during WebSocket handshake: Unexpected response code: 502` · 2023-11-14T22:13:20.175Z (webRequest, DevTools network log)',
    );
    expect(diagnosisToMarkdown(conn, d, 'ja')).toContain('- ネットワーク: `502`');
  });

  it('a status line is preferred to the bare error', () => {
    const { d, conn } = failedWith([webRequestFailed({ status: 401, statusLine: 'HTTP/1.1 401 Unauthorized', responseAt: T0 + 160 })]);
    expect(diagnosisToMarkdown(conn, d, 'en')).toContain('- Network: `401` · `HTTP/1.1 401 Unauthorized` · 2023-11-14T22:13:20.160Z (webRequest)');
  });

  it('a known status beats the bare net::ERR_FAILED beside it', () => {
    const { d } = failedWith([webRequestFailed({ status: 401, responseAt: T0 + 160 })]);
    expect(d.net).toMatchObject({ said: 'HTTP 401 Unauthorized', at: T0 + 160 });
  });

  it('no network line without a verdict', () => {
    const { d, conn } = failedWith([]);
    expect(diagnosisToMarkdown(conn, d, 'en')).not.toContain('Network:');
  });
});
