// HAR export/import (src/core/har/har.ts): Chrome-importable HAR 1.2, exact round trips (also
// property-based), every malformed-input class with its message, prototype safety, redaction,
// truncation markers, and Chrome DevTools' own HAR files.
import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { diagnoseAll } from '../src/core/diagnosis/diagnose.ts';
import { CHROME_HAR_WARNING, exportHar, importHar, REDACTED, unknownCloseHeadline, type Har, type ImportedSession } from '../src/core/har/har.ts';
import { base64, fromBase64, utf8Length } from '../src/core/wire/payload.ts';
import type { CloseCall, Connection, MessageRecord, PageContextEvent } from '../src/core/session/session.ts';
import { fixtureHar, fixtureSession } from './fixtures/make-fixtures.ts';
import { analyse, Recorder, T0 } from './helpers/events.ts';
import { expectValidHar } from './har-valid.ts';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const OPTS = { creatorVersion: '0.1.0', lang: 'en' as const };

function mustImport(text: string): Extract<ReturnType<typeof importHar>, { ok: true }> {
  const r = importHar(text);
  if (!r.ok) throw new Error(`import failed: ${r.error}`);
  return r;
}

function errorOf(text: string, opts?: { maxBytes?: number }): string {
  const r = importHar(text, opts);
  if (r.ok) throw new Error('expected the import to fail');
  return r.error;
}

describe('exportHar', () => {
  it('writes valid HAR 1.2 in Chrome WebSocket shape, with our fields', () => {
    const har = fixtureHar();
    expectValidHar(har);
    expect(har.log.creator).toEqual({ name: 'Socket Autopsy', version: '0.1.0' });
    const [idle, feed, err, hs] = har.log.entries;
    expect(idle!._webSocketClose).toEqual({ at: T0 + 62_400, code: 1006, reason: '', wasClean: false, closedBy: 'browser' });
    expect(idle!.response.status).toBe(101);
    expect(hs!.response.status).toBe(0);
    expect(hs!._diagnosis?.category).toBe('handshake-failed');
    expect(err!._webSocketClose).toMatchObject({ code: 1011, reason: 'internal error: db pool exhausted', closedBy: 'server' });
    expect(err!._reconnectOf).toBe('doc-fixture01:1');
    expect(hs!._reconnectOf).toBe('doc-fixture01:2');
    expect(feed!._webSocketClose).toMatchObject({ code: 1000, reason: 'bye', requestedCode: 1000, requestedReason: 'bye', closedBy: 'page' });
    expect(idle!._diagnosis).toMatchObject({ category: 'idle-timeout', severity: 'warning', code: 1006 });
    expect(idle!._diagnosis!.headline).toBe(idle!._diagnosis!.headlineText.en);
    expect(idle!._diagnosis!.headlineText.ja).toMatch(/切断/);
    expect(har.log._socketAutopsy.context.map((e) => e.what)).toEqual(['hidden', 'visible']);
    expect(har.log._socketAutopsy.drops).toEqual({ malformed: 0, evicted: 0, hook: 0 });
  });

  it('writes message times in epoch seconds and binary as base64 with opcode 2', () => {
    const a = fixtureSession();
    const c = a.conn(4);
    // Binary payloads are written only without redaction (a redacted export leaves them out).
    const har = exportHar({ connections: [c], context: [] }, { ...OPTS, redact: false });
    const e = har.log.entries[0]!;
    expect(e._webSocketMessages.map((m) => [m.type, m.opcode])).toEqual([
      ['receive', 2],
      ['receive', 2],
      ['send', 2],
      ['receive', 2],
    ]);
    expect(e._webSocketMessages[0]!.time).toBe((T0 + 1000) / 1000);
    expect(fromBase64(e._webSocketMessages[0]!.data)).toHaveLength(24);
    expect(e._socketAutopsy.messagesMeta[0]).toEqual({ n: 0, size: 24, bin: true });
  });

  it('exports only the selected connections, with the context of their documents', () => {
    const a = fixtureSession();
    const har = exportHar({ connections: a.conns, context: a.state.context }, { ...OPTS, selected: ['doc-fixture01:2'] });
    expect(har.log.entries.map((e) => e._socketAutopsy.id)).toEqual(['doc-fixture01:2']);
    // The link to the connection before it survives even though that one is not exported.
    expect(har.log.entries[0]!._reconnectOf).toBe('doc-fixture01:1');
    expect(har.log._socketAutopsy.context).toHaveLength(2);
  });

  it('writes headlines in the chosen language and both languages alongside', () => {
    const a = fixtureSession();
    const har = exportHar({ connections: a.conns, context: a.state.context, diagnoses: diagnoseAll(a.ctx) }, { ...OPTS, lang: 'ja' });
    const d = har.log.entries[0]!._diagnosis!;
    expect(d.headline).toBe(d.headlineText.ja);
    expect(d.evidence[0]).toMatchObject({ fact: 'close.code', text: { en: expect.any(String), ja: expect.any(String) } });
    expect(har.log._socketAutopsy.lang).toBe('ja');
  });
});

describe('round trip', () => {
  it('the committed fixture: import → export gives the same JSON', () => {
    const text = fixture('session.har');
    const r = mustImport(text);
    expect(r.source).toBe('socket-autopsy');
    expect(r.warnings).toEqual([]);
    expect(JSON.stringify(exportHar(r.session, OPTS), null, 2) + '\n').toBe(text);
  });

  it('export → import gives back the same connections, context, drops and diagnoses (no redaction, no cap)', () => {
    const a = fixtureSession();
    const diagnoses = diagnoseAll(a.ctx);
    const drops = { malformed: 3, evicted: 2, hook: 1 };
    const har = exportHar({ connections: a.conns, context: a.state.context, diagnoses, drops, pageUrl: 'https://chat.example/app' }, { ...OPTS, redact: false });
    const s = mustImport(JSON.stringify(har)).session;
    expect(s.connections).toEqual(a.conns);
    expect(s.context).toEqual(a.state.context);
    expect(s.drops).toEqual(drops);
    expect(s.diagnoses).toEqual(diagnoses);
    expect(s.pageUrl).toBe('https://chat.example/app');
    // Binary payloads come back byte for byte.
    const bin = s.connections.flatMap((c) => c.messages).filter((m) => m.bin);
    expect(bin.length).toBeGreaterThan(0);
    const orig = a.conns.flatMap((c) => c.messages).filter((m) => m.bin);
    expect(bin.map((m) => [...fromBase64(m.data!)])).toEqual(orig.map((m) => [...fromBase64(m.data!)]));
    // The diagnosis of the imported session is the same as of the live one.
    const again = diagnoseAll({ connections: s.connections, context: s.context, now: a.ctx.now });
    expect([...again.values()].map((d) => d.category)).toEqual([...diagnoses.values()].map((d) => d.category));
  });

  it('the imported state is a SessionState a store can load', () => {
    const s = mustImport(fixture('session.har')).session;
    expect(s.state.order).toEqual(s.connections.map((c) => c.id));
    expect([...s.state.connections.values()]).toEqual(s.connections);
    expect(s.state.context).toBe(s.context);
    expect(s.state.docs.get('doc-fixture01')).toMatchObject({ doc: 'doc-fixture01', lastSeq: -1 });
    expect(s.endedAt).toBe(T0 + 80_004);
  });

  it('property: export → import → export is identical for random sessions and options', () => {
    fc.assert(
      fc.property(sessionArb, optsArb, ({ connections, context }, o) => {
        const diagnoses = diagnoseAll({ connections, context, now: T0 + 10_000_000 });
        const input = { connections, context, diagnoses, drops: { malformed: 1, evicted: 0, hook: 2 }, pageUrl: 'https://x.example/?token=abc' };
        const opts = { creatorVersion: '9.9.9', ...o };
        const h1 = JSON.stringify(exportHar(input, opts));
        const r = importHar(h1);
        if (!r.ok) throw new Error(r.error);
        const h2 = JSON.stringify(exportHar(r.session, opts));
        expect(h2).toBe(h1);
        if (o.redact === false && o.payloadCap === undefined) {
          expect(r.session.connections).toEqual(connections);
          expect(r.session.context).toEqual(context);
        }
      }),
      { numRuns: 150 },
    );
  });
});

// -----------------------------------------------------------------------------------------------
// Random sessions: the fields the reducer can produce, with hostile strings (lone surrogates,
// quotes, tokens) and times that do not survive a /1000 *1000 trip exactly.

const timeArb = fc.double({ min: T0, max: T0 + 1e8, noNaN: true, noDefaultInfinity: true });
const stringArb = fc.string({ unit: 'binary', maxLength: 40 });
const urlArb = fc
  .tuple(
    fc.constantFrom('wss://a.example/s', 'ws://b.example:8080/x/y', 'wss://user:pw@c.example/', '/relative'),
    fc.array(fc.tuple(fc.constantFrom('token', 'room', 'apikey', 'x', 'sig', 'v'), fc.oneof(fc.stringMatching(/^[a-z0-9%]{0,12}$/), fc.constant('eyJhbGciOi.eyJzdWIi.sig0'))), {
      maxLength: 4,
    }),
  )
  .map(([base, params]) => (params.length ? `${base}?${params.map(([k, val]) => `${k}=${val}`).join('&')}` : base));

const messageArb = fc.record({
  dir: fc.constantFrom<'in' | 'out'>('in', 'out'),
  at: timeArb,
  bin: fc.boolean(),
  text: stringArb,
  bytes: fc.uint8Array({ maxLength: 40 }),
  trunc: fc.boolean(),
  nodata: fc.boolean(),
  later: fc.boolean(),
});

const callArb: fc.Arbitrary<CloseCall> = fc
  .record({
    at: timeArb,
    code: fc.option(fc.constantFrom(1000, 4000, 1006), { nil: undefined }),
    reason: fc.option(stringArb, { nil: undefined }),
    stack: fc.option(fc.constantFrom('Error\n    at f (https://a.example/app.js?sig=abc123:1:2)', 'Error\n    at g (x.js:3:4)'), { nil: undefined }),
    threw: fc.option(fc.constant('InvalidAccessError: bad code'), { nil: undefined }),
    readyState: fc.constantFrom<0 | 1 | 2 | 3>(0, 1, 2, 3),
  })
  .map((r) => {
    const c: CloseCall = { at: r.at, readyState: r.readyState };
    if (r.code !== undefined) c.code = r.code;
    if (r.reason !== undefined) c.reason = r.reason;
    if (r.stack !== undefined) c.stack = r.stack;
    if (r.threw !== undefined) c.threw = r.threw;
    return c;
  });

const connectionArb = fc.record({
  doc: fc.constantFrom('doc-aaaaaaaa', 'doc-bbbbbbbb'),
  url: urlArb,
  protocols: fc.array(fc.constantFrom('chat', 'access_token', 'tok123456', 'base64url.bearer.authorization.k8s.io.abc'), { maxLength: 3 }),
  createdAt: timeArb,
  openedAfter: fc.option(fc.double({ min: 0, max: 1e5, noNaN: true, noDefaultInfinity: true }), { nil: undefined }),
  threw: fc.option(fc.constant("SyntaxError: The URL 'wss://a/?token=abc' is invalid."), { nil: undefined }),
  stack: fc.option(fc.constant('Error\n    at connect (https://a.example/app.js?token=eyJabcdef.eyJabcdef.xyz:10:5)'), { nil: undefined }),
  error: fc.option(timeArb, { nil: undefined }),
  closeCalls: fc.array(callArb, { maxLength: 2 }),
  close: fc.option(
    fc.record({
      at: timeArb,
      code: fc.constantFrom(1000, 1001, 1005, 1006, 1008, 1011, 1015, 3000, 4401, 4999),
      reason: stringArb,
      wasClean: fc.boolean(),
      synthetic: fc.option(fc.constantFrom<'pagehide' | 'frame-gone'>('pagehide', 'frame-gone'), { nil: undefined }),
    }),
    { nil: undefined },
  ),
  messages: fc.array(messageArb, { maxLength: 8 }),
  evicted: fc.nat(5),
});

const sessionArb = fc.array(connectionArb, { maxLength: 5 }).chain((raws) => {
  const connections = raws.map((r, i): Connection => {
    const n = { in: r.evicted, out: 0 };
    const messages = r.messages.map((m): MessageRecord => {
      const data = m.bin ? base64(m.bytes) : m.text;
      const size = (m.bin ? m.bytes.length : utf8Length(m.text)) + (m.trunc ? 1000 : 0);
      const rec: MessageRecord = { n: n[m.dir]++, dir: m.dir, at: m.at, bin: m.bin, size };
      if (!m.nodata) rec.data = data;
      if (m.trunc) rec.trunc = true;
      if (m.later) rec.later = true;
      return rec;
    });
    const c: Connection = {
      id: `${r.doc}:${i}`,
      doc: r.doc,
      sid: i,
      url: r.url,
      protocols: r.protocols,
      createdAt: r.createdAt,
      state: r.close ? 'closed' : r.openedAfter !== undefined ? 'open' : 'connecting',
      closeCalls: r.closeCalls,
      messages,
      stats: {
        missed: 0,
        sent: messages.filter((m) => m.dir === 'out').length,
        received: messages.filter((m) => m.dir === 'in').length + r.evicted,
        bytesSent: messages.filter((m) => m.dir === 'out').reduce((s, m) => s + m.size, 0),
        bytesReceived: messages.filter((m) => m.dir === 'in').reduce((s, m) => s + m.size, 0),
        evicted: r.evicted,
        maxSentSize: Math.max(0, ...messages.filter((m) => m.dir === 'out').map((m) => m.size)),
        maxReceivedSize: Math.max(0, ...messages.filter((m) => m.dir === 'in').map((m) => m.size)),
      },
    };
    if (r.openedAfter !== undefined) {
      c.openedAt = r.createdAt + r.openedAfter;
      c.protocol = r.protocols[0] ?? '';
      c.extensions = '';
    }
    if (r.threw) c.createThrew = r.threw;
    if (r.stack) c.createStack = r.stack;
    if (r.error !== undefined) c.errorAt = r.error;
    if (r.close) {
      c.close = { at: r.close.at, code: r.close.code, reason: r.close.reason, wasClean: r.close.wasClean };
      if (r.close.synthetic) c.close.synthetic = r.close.synthetic;
    }
    const lastIn = messages.filter((m) => m.dir === 'in').at(-1);
    const lastOut = messages.filter((m) => m.dir === 'out').at(-1);
    if (lastIn) c.lastIn = { at: lastIn.at, size: lastIn.size };
    if (lastOut) c.lastOut = { at: lastOut.at, size: lastOut.size };
    return c;
  });
  const docs = [...new Set(connections.map((c) => c.doc))];
  const contextArb = docs.length
    ? fc.array(
        fc.record(
          {
            doc: fc.constantFrom(...docs),
            at: timeArb,
            what: fc.constantFrom<PageContextEvent['what']>('online', 'offline', 'hidden', 'visible', 'freeze', 'resume', 'pagehide', 'pageshow'),
            persisted: fc.boolean(),
          },
          { requiredKeys: ['doc', 'at', 'what'] },
        ),
        { maxLength: 4 },
      )
    : fc.constant([] as PageContextEvent[]);
  return contextArb.map((context) => ({ connections, context }));
});

const optsArb = fc.record(
  {
    redact: fc.boolean(),
    payloadCap: fc.nat(24),
    lang: fc.constantFrom<'en' | 'ja'>('en', 'ja'),
    selected: fc.constant(undefined),
  },
  { requiredKeys: ['redact', 'lang'] },
);

// -----------------------------------------------------------------------------------------------

/** A session of `conns` sockets with `msgs` text messages each, exported without redaction. */
function bigHar(conns: number, msgs: number): Har {
  const r = new Recorder();
  for (let sid = 0; sid < conns; sid++) {
    r.create(sid, sid * 100).open(sid, sid * 100 + 10);
    for (let i = 0; i < msgs; i++) r.message(sid, sid * 100 + 20 + i, 10);
  }
  const a = analyse(r, 10_000);
  return exportHar({ connections: a.conns, context: [] }, OPTS);
}

describe('importHar refuses bad files with a message naming what and where', () => {
  it('not JSON, with line, column and position', () => {
    expect(errorOf('')).toBe('not JSON: the file is empty');
    expect(errorOf('{"log": ')).toBe('not JSON: unexpected end of the file at line 1, column 9 (position 8)');
    expect(errorOf('\n\n  {"log": {"entries": [1 2]}}')).toMatch(/^not JSON: .+ at line 3, column 26 \(position 27\)$/);
    expect(errorOf('<!doctype html>')).toMatch(/^not JSON: .+ at line 1, column 1 \(position 0\)$/);
    expect(errorOf('{"log":{"entries":[]}} trailing')).toMatch(/^not JSON: .+ at line 1, column 24 \(position 23\)$/);
  });

  it('JSON that is not a HAR', () => {
    expect(errorOf('[]')).toBe('not a HAR: the file is JSON but not an object');
    expect(errorOf('{"entries": []}')).toBe('not a HAR: there is no "log" object at the top level');
    expect(errorOf('{"log": {"version": "1.2"}}')).toBe('not a HAR: log.entries is missing or not an array');
    expect(errorOf('{"log": {"entries": {}}}')).toBe('not a HAR: log.entries is missing or not an array');
    expect(errorOf('{"log": {"entries": [null]}}')).toBe('log.entries[0] is not an object');
  });

  it('an entry without a valid startedDateTime', () => {
    const har = bigHar(2, 1);
    delete (har.log.entries[1] as Partial<Har['log']['entries'][number]>).startedDateTime;
    expect(errorOf(JSON.stringify(har))).toBe('log.entries[1].startedDateTime is missing');
    (har.log.entries[1] as { startedDateTime: unknown }).startedDateTime = 'yesterday';
    expect(errorOf(JSON.stringify(har))).toBe('log.entries[1].startedDateTime is not an ISO 8601 date: "yesterday"');
    (har.log.entries[1] as { startedDateTime: unknown }).startedDateTime = 12;
    expect(errorOf(JSON.stringify(har))).toBe('log.entries[1].startedDateTime is not a string');
  });

  it('a message time that is not a number', () => {
    const har = bigHar(4, 8);
    (har.log.entries[3]!._webSocketMessages[7] as { time: unknown }).time = '1700000000.5';
    expect(errorOf(JSON.stringify(har))).toBe('log.entries[3]._webSocketMessages[7].time is not a number');
  });

  it('other missing or mistyped fields', () => {
    const har = bigHar(1, 2);
    (har.log.entries[0] as { time: unknown }).time = null;
    expect(errorOf(JSON.stringify(har))).toBe('log.entries[0].time is not a number');
    const h2 = bigHar(1, 2);
    (h2.log.entries[0]!._webSocketMessages[1] as { type: unknown }).type = 'sent';
    expect(errorOf(JSON.stringify(h2))).toBe('log.entries[0]._webSocketMessages[1].type must be one of "send", "receive", "error"');
    const h3 = bigHar(1, 2);
    h3.log.entries[0]!._socketAutopsy.messagesMeta.pop();
    expect(errorOf(JSON.stringify(h3))).toBe('log.entries[0]._socketAutopsy.messagesMeta has 1 items but log.entries[0]._webSocketMessages has 2');
    const h4 = bigHar(1, 2);
    (h4.log.entries[0]!._socketAutopsy.stats as { sent: unknown }).sent = -1;
    expect(errorOf(JSON.stringify(h4))).toBe('log.entries[0]._socketAutopsy.stats.sent must be at least 0');
    const h5 = bigHar(2, 0);
    h5.log.entries[1]!._socketAutopsy.id = h5.log.entries[0]!._socketAutopsy.id;
    expect(errorOf(JSON.stringify(h5))).toBe('log.entries[1] repeats the connection id "doc-aaaaaaaa:0" of log.entries[0]');
    const h6 = bigHar(1, 0);
    (h6.log._socketAutopsy as { version: number }).version = 2;
    expect(errorOf(JSON.stringify(h6))).toBe('log._socketAutopsy.version is 2: written by a newer Socket Autopsy (this one reads version 1)');
  });

  it('an oversized file', () => {
    const text = JSON.stringify(bigHar(1, 1));
    expect(errorOf(text, { maxBytes: 100 })).toBe(`file too large: ${text.length} bytes (limit 100 bytes)`);
    // The limit counts UTF-8 bytes, not UTF-16 units.
    expect(errorOf(`{"x":"${'é'.repeat(60)}"}`, { maxBytes: 100 })).toBe('file too large: 128 bytes (limit 100 bytes)');
  });

  it('too deep nesting, before parsing', () => {
    // Three levels before the run of brackets, so level 129 is the 126th bracket of the run.
    const deep = '{"log":{"entries":[' + '['.repeat(200) + ']'.repeat(200) + ']}}';
    expect(errorOf(deep)).toBe('too deeply nested at line 1, column 145 (position 144): more than 128 levels of arrays and objects');
    // Brackets inside strings do not count.
    const har = bigHar(1, 1);
    har.log.entries[0]!._webSocketMessages[0]!.data = '['.repeat(1000);
    delete har.log.entries[0]!._socketAutopsy.messagesMeta[0]!.nodata;
    expect(importHar(JSON.stringify(har)).ok).toBe(true);
  });

  it('huge strings', () => {
    const har = bigHar(1, 0);
    har.log.entries[0]!.request.url = `wss://a.example/?q=${'x'.repeat(70_000)}`;
    expect(errorOf(JSON.stringify(har))).toBe('log.entries[0].request.url is too long: 70019 characters (limit 65536)');
    const h2 = bigHar(1, 0);
    h2.log.entries[0]!._socketAutopsy.createStack = 's'.repeat(100_000);
    expect(errorOf(JSON.stringify(h2))).toBe('log.entries[0]._socketAutopsy.createStack is too long: 100000 characters (limit 65536)');
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        const r = importHar(text);
        expect(typeof r.ok).toBe('boolean');
      }),
    );
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(typeof importHar(text).ok).toBe('boolean');
      }),
    );
  });
});

describe('prototype pollution', () => {
  it('__proto__ / constructor / prototype keys are dropped, with a warning, and pollute nothing', () => {
    const har = JSON.parse(JSON.stringify(bigHar(1, 1))) as Record<string, unknown>;
    const text = JSON.stringify(har)
      .replace('{"log":{', '{"__proto__":{"polluted":"root"},"log":{"constructor":{"prototype":{"polluted":"ctor"}},')
      .replace('"_socketAutopsy":{"version":1,"id"', '"_socketAutopsy":{"__proto__":{"polluted":"meta"},"version":1,"id"')
      .replace('"data":""', '"data":"","\\u005f_proto__":{"polluted":"escaped"}');
    const r = mustImport(text);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    expect(r.warnings[0]).toMatch(/^ignored 4 key\(s\) that could reach a prototype \(__proto__, log\.constructor, log\.entries\[0\]/);
    expect(r.session.connections).toHaveLength(1);
    for (const c of r.session.connections) expect(Object.getPrototypeOf(c)).toBe(Object.prototype);
  });
});

describe('redaction', () => {
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib2IifQ.c2lnbmF0dXJlMTIz';
  function session(): Connection[] {
    const r = new Recorder();
    r.create(1, 0, `wss://alice:hunter2@api.example/ws?room=lobby&access_token=AT-123456&x=${jwt}&authToken=zzz111&keyboard=qwerty`, {
      protocols: ['access_token', 'opaque-token-value-42'],
    }).open(1, 5, 'access_token');
    r.create(2, 10, 'wss://k8s.example/exec?X-Amz-Signature=deadbeef', { protocols: ['base64url.bearer.authorization.k8s.io.c2VjcmV0'] });
    r.closeCall(2, 20, { code: 1000, stack: 'Error\n    at stop (https://api.example/app.js?sig=s1gn4ture:3:9)' }).close(2, 21, 1000);
    return analyse(r, 100).conns;
  }

  it('is on by default: secret query values, user info, subprotocol tokens and stack URLs become [redacted]', () => {
    const har = exportHar({ connections: session(), context: [], pageUrl: 'https://app.example/?session=abc123' }, OPTS);
    const text = JSON.stringify(har);
    for (const secret of ['hunter2', 'AT-123456', jwt, 'zzz111', 'opaque-token-value-42', 'c2VjcmV0', 'deadbeef', 's1gn4ture', 'abc123']) {
      expect(text).not.toContain(secret);
    }
    const [a, b] = har.log.entries;
    expect(a!.request.url).toBe(`wss://alice:${REDACTED}@api.example/ws?room=lobby&access_token=${REDACTED}&x=${REDACTED}&authToken=${REDACTED}&keyboard=qwerty`);
    expect(a!.request.queryString).toEqual([
      { name: 'room', value: 'lobby' },
      { name: 'access_token', value: REDACTED },
      { name: 'x', value: REDACTED },
      { name: 'authToken', value: REDACTED },
      { name: 'keyboard', value: 'qwerty' },
    ]);
    expect(a!._socketAutopsy.protocols).toEqual(['access_token', REDACTED]);
    expect(a!._socketAutopsy.redacted).toEqual(['userinfo', 'query:access_token', 'query:x', 'query:authToken', 'protocols[1]']);
    expect(b!._socketAutopsy.protocols).toEqual([`base64url.bearer.authorization.k8s.io.${REDACTED}`]);
    expect(b!._socketAutopsy.redacted).toEqual(['query:X-Amz-Signature', 'protocols[0]', 'closeCalls[0].stack:query:sig']);
    expect(b!._socketAutopsy.closeCalls[0]!.stack).toBe(`Error\n    at stop (https://api.example/app.js?sig=${REDACTED}:3:9)`);
    expect(har.log.pages![0]!.title).toBe(`https://app.example/?session=${REDACTED}`);
    expect(har.log._socketAutopsy).toMatchObject({ redaction: true, redacted: ['query:session'] });
    // Handshake headers are never written: the hook cannot see Cookie or Authorization.
    for (const e of har.log.entries) expect([...e.request.headers, ...e.response.headers]).toEqual([]);
  });

  it('can be turned off', () => {
    const har = exportHar({ connections: session(), context: [] }, { ...OPTS, redact: false });
    expect(JSON.stringify(har)).toContain('AT-123456');
    expect(har.log._socketAutopsy.redaction).toBe(false);
    expect(har.log.entries[0]!._socketAutopsy.redacted).toBeUndefined();
  });

  it('is idempotent: a redacted file exported again lists the same redactions', () => {
    const h1 = exportHar({ connections: session(), context: [] }, OPTS);
    const h2 = exportHar(mustImport(JSON.stringify(h1)).session, OPTS);
    expect(h2).toEqual(h1);
  });
});

describe('truncation is never silent', () => {
  it('a message the capture truncated carries _truncated and _originalSize', () => {
    const e = fixtureHar().log.entries[2]!;
    const i = e._socketAutopsy.messagesMeta.findIndex((m) => m.size === 40_000);
    expect(e._webSocketMessages[i]).toMatchObject({ type: 'receive', opcode: 1, _truncated: true, _originalSize: 40_000 });
    expect(e._webSocketMessages[i]!.data).toHaveLength(16 * 1024);
    expect(e._socketAutopsy.messagesMeta[i]).toEqual({ n: 2, size: 40_000, bin: false, trunc: true });
    // The others are whole and unmarked.
    expect(e._webSocketMessages.filter((m) => m._truncated)).toHaveLength(1);
  });

  it('payloadCap cuts text on a UTF-8 boundary and binary on a byte, and marks each cut message', () => {
    const a = fixtureSession();
    const har = exportHar({ connections: a.conns, context: [] }, { ...OPTS, payloadCap: 10, redact: false });
    expect(har.log._socketAutopsy.payloadCap).toBe(10);
    for (const [ci, e] of har.log.entries.entries()) {
      e._webSocketMessages.forEach((m, i) => {
        const orig = a.conns[ci]!.messages[i]!;
        const bytes = m.opcode === 2 ? fromBase64(m.data).length : utf8Length(m.data);
        expect(bytes).toBeLessThanOrEqual(10);
        const whole = orig.bin ? fromBase64(orig.data!).length : utf8Length(orig.data!);
        if (whole > 10 || orig.trunc) {
          expect(m._truncated).toBe(true);
          expect(m._originalSize).toBe(orig.size);
        } else {
          expect(m._truncated).toBeUndefined();
          expect(m.data).toBe(orig.data);
        }
        if (m.opcode === 2) expect([...fromBase64(m.data)]).toEqual([...fromBase64(orig.data!)].slice(0, 10));
        else expect(orig.data!.startsWith(m.data)).toBe(true);
      });
    }
    const s = mustImport(JSON.stringify(har)).session;
    expect(s.connections.flatMap((c) => c.messages).filter((m) => m.trunc)).toHaveLength(
      har.log.entries.flatMap((e) => e._webSocketMessages).filter((m) => m._truncated).length,
    );
  });

  it('a message under the cap is left whole and unmarked', () => {
    const a = fixtureSession();
    const har = exportHar({ connections: [a.conn(4)], context: [] }, { ...OPTS, payloadCap: 1024 });
    expect(har.log.entries[0]!._webSocketMessages.some((m) => m._truncated)).toBe(false);
  });
});

describe('Chrome DevTools HAR files', () => {
  const text = fixture('chrome-devtools.har');

  it('imports the WebSocket entries with their messages, says that close codes are missing, ignores the rest', () => {
    const r = mustImport(text);
    expect(r.source).toBe('chrome');
    expect(r.warnings).toContain(CHROME_HAR_WARNING);
    expect(r.warnings).toContain('ignored 1 entry that is not WebSocket');
    const s = r.session;
    expect(s.connections.map((c) => c.id)).toEqual(['har-page_2:1', 'har-page_2:2', 'har-page_2:3']);
    const [chat, refused, feed] = s.connections;
    expect(chat!.messages.map((m) => [m.dir, m.bin, m.n])).toEqual([
      ['out', false, 0],
      ['in', false, 0],
      ['in', true, 1],
      ['out', false, 1],
    ]);
    expect(chat!.messages[3]).toMatchObject({ data: '{"type":"msg","text":"héllo 👋"}', size: utf8Length('{"type":"msg","text":"héllo 👋"}') });
    expect(chat!.messages[2]).toMatchObject({ data: 'AAECAwQFBgcICQoLDA0ODw==', size: 16 });
    expect(chat!.messages[0]!.at).toBe(1_700_000_000.2051 * 1000);
    expect(chat!.protocols).toEqual(['chat.v2']);
    expect(chat!).toMatchObject({ protocol: 'chat.v2', extensions: 'permessage-deflate', state: 'open', stats: { sent: 2, received: 2 } });
    expect(chat!.close).toBeUndefined();
    expect(s.closeUnknown).toEqual(new Set([chat!.id, feed!.id]));
    expect(s.foreign.get(chat!.id)).toEqual({ status: 101, statusText: 'Switching Protocols', endedAt: T0 + 62_400 + 1.2 + 0.3 + 40.1 + 38.4 - 80 });
    // A non-101 answer is a failed handshake, which the page saw as 1006.
    expect(refused!.close).toMatchObject({ code: 1006, wasClean: false });
    expect(refused!.openedAt).toBeUndefined();
    expect(s.foreign.get(refused!.id)).toMatchObject({ status: 403, statusText: 'Forbidden' });
    expect(s.diagnoses.size).toBe(0);
    // Their handshake headers are kept, the Cookie's value redacted (net.ts pickHeaders).
    expect(JSON.stringify(exportHar(s, OPTS))).not.toContain('abcdef0123456789');
  });

  it('is diagnosed with the same engine, and what can be said of an unknown close is said', () => {
    const s = mustImport(text).session;
    const d = diagnoseAll({ connections: s.connections, context: s.context, now: s.endedAt });
    expect(d.get('har-page_2:2')?.category).toBe('handshake-failed');
    const chat = s.connections[0]!;
    expect(unknownCloseHeadline(chat, s.foreign.get(chat.id)).en).toMatch(/matches the 60 s timeout of nginx/);
    expect(unknownCloseHeadline(s.connections[2]!, s.foreign.get('har-page_2:3')).en).toMatch(/^Close unknown/);
  });

  it('round trips through our format, keeping what Chrome said', () => {
    const s = mustImport(text).session;
    const h1 = exportHar(s, OPTS);
    expectValidHar(h1);
    expect(h1.log.entries[1]!.response).toMatchObject({ status: 403, statusText: 'Forbidden' });
    const back = mustImport(JSON.stringify(h1));
    expect(back.source).toBe('socket-autopsy');
    expect(back.session.closeUnknown).toEqual(s.closeUnknown);
    expect(back.session.foreign).toEqual(s.foreign);
    expect(exportHar(back.session, OPTS)).toEqual(h1);
  });

  it('reads a refused handshake the way Chrome 156 writes it: status 0 and an error frame with the HTTP code', () => {
    // Shape taken from chrome.devtools.network.getHAR() after the lab's /ws/refuse?status=403.
    const har = {
      log: {
        version: '1.2',
        creator: { name: 'WebInspector', version: '537.36' },
        entries: [
          {
            _resourceType: 'websocket',
            startedDateTime: '2026-11-25T09:11:13.210Z',
            time: 13.2,
            request: { method: 'GET', url: 'ws://127.0.0.1:1/ws/refuse?status=403', httpVersion: '', headers: [], queryString: [], cookies: [], headersSize: -1, bodySize: 0 },
            response: { status: 0, statusText: '', httpVersion: '', headers: [], cookies: [], content: { size: 0, mimeType: 'x-unknown' }, redirectURL: '', headersSize: -1, bodySize: -1, _error: null },
            cache: {},
            timings: { blocked: -1, dns: -1, ssl: -1, connect: -1, send: 0, wait: 9.9, receive: 3.3 },
            _webSocketMessages: [{ type: 'error', time: 1795597873.219941, opcode: -1, data: 'Error during WebSocket handshake: Unexpected response code: 403' }],
          },
        ],
      },
    };
    const s = mustImport(JSON.stringify(har)).session;
    const [c] = s.connections;
    expect(c!.close).toMatchObject({ code: 1006, wasClean: false });
    expect(c!.openedAt).toBeUndefined();
    expect(s.closeUnknown.size).toBe(0);
    expect(s.foreign.get(c!.id)).toMatchObject({ status: 403, error: 'Error during WebSocket handshake: Unexpected response code: 403' });
    expect(diagnoseAll({ connections: s.connections, context: s.context, now: s.endedAt }).get(c!.id)?.category).toBe('handshake-failed');
  });

  it('a HAR from another tool without messages says so', () => {
    const har = {
      log: {
        version: '1.2',
        creator: { name: 'Firefox', version: '153.0' },
        entries: [
          {
            startedDateTime: '2023-11-14T22:13:20.000Z',
            time: 5,
            request: { method: 'GET', url: 'wss://a.example/', httpVersion: 'HTTP/1.1', headers: [], queryString: [], cookies: [], headersSize: -1, bodySize: 0 },
            response: { status: 101, statusText: '', httpVersion: 'HTTP/1.1', headers: [], cookies: [], content: { size: 0, mimeType: '' }, redirectURL: '', headersSize: -1, bodySize: 0 },
            cache: {},
            timings: { send: 0, wait: 5, receive: 0 },
          },
        ],
      },
    };
    const r = mustImport(JSON.stringify(har));
    expect(r.source).toBe('other');
    expect(r.warnings).toEqual(['this HAR comes from Firefox: it has no WebSocket messages and no close codes']);
    expect(r.session.connections).toHaveLength(1);
  });
});

describe('ImportedSession is an ExportInput', () => {
  it('type-checks as one', () => {
    const s: ImportedSession = mustImport(fixture('session.har')).session;
    expect(exportHar(s, OPTS).log.entries).toHaveLength(4);
  });
});
