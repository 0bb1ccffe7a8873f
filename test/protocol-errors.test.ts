// The protocol-error rule: a connection the browser failed because the server broke RFC 6455,
// explained from the browser's own text. The texts are the ones Chromium 156 gave for the lab's
// protocol breakers (docs/deep-capture.md), carried as a cdp observation's frameErrors and run
// through the real matcher, as the panel does.
import { describe, expect, it } from 'vitest';
import { diagnose, type Diagnosis } from '../src/core/diagnosis/diagnose.ts';
import { protocolFamily } from '../src/core/diagnosis/rules-protocol-error.ts';
import type { NetObservation } from '../src/core/network/net.ts';
import { matchNetwork, mergeInto } from '../src/core/network/net-match.ts';
import { analyse, Recorder, T0 } from './helpers/events.ts';

const URL = 'ws://127.0.0.1:8080/ws/bad';

/** Chromium 156's webSocketFrameError texts, measured against lab/raw.ts. */
export const MEASURED = {
  reservedCode: 'Received a broken close frame containing a reserved status code.',
  utf8: 'Could not decode a text frame as UTF-8.',
  accept: "Error during WebSocket handshake: Incorrect 'Sec-WebSocket-Accept' header value",
  rsv: 'One or more reserved bits are on: reserved1 = 1, reserved2 = 0, reserved3 = 0',
  masked: 'A server must not mask any frames that it sends to the client.',
  opcode: 'Unrecognized frame opcode: 3',
  header: 'Invalid frame header',
} as const;

function cdp(texts: string[], extra: Partial<NetObservation> = {}): NetObservation {
  return {
    id: `cdp:${Math.random()}`,
    source: 'cdp',
    url: URL,
    at: T0 + 105,
    status: 101,
    responseAt: T0 + 110,
    frameErrors: texts.map((text, i) => ({ at: T0 + 300 + i, text })),
    closedAt: T0 + 301,
    ...extra,
  };
}

/** Opened at 120 ms, got a greeting, then the browser failed it: error + 1006 at 301 ms. */
function opened(observations: NetObservation[], r = new Recorder().create(1, 100, URL).open(1, 120).message(1, 130).error(1, 301).close(1, 301, 1006)) {
  const a = analyse(r, T0 + 10_000);
  const network = matchNetwork(a.conns, observations).byConn;
  const conn = a.conn(1);
  return { d: diagnose(conn, { ...a.ctx, network }), conn, network };
}

const text = (d: Diagnosis): string => [d.headline, ...d.evidence.map((e) => e.text), ...d.causes, ...d.fixes].map((t) => t.en).join('\n');

describe('protocol errors named by the browser', () => {
  it('a reserved close code (1005 on the wire): protocol-error, certain, the fix named, the text quoted with its time', () => {
    const { d } = opened([cdp([MEASURED.reservedCode])]);
    expect(d.category).toBe('protocol-error');
    expect(d.confidence).toBe('certain');
    expect(d.code).toBe(1006);
    expect(d.headline.en).toContain('reserved close code');
    expect(d.headline.en).toContain('1005');
    expect(d.headline.en).toContain('send 1000 or a 4000–4999 code');
    const said = d.evidence.find((e) => e.fact === 'net.frameError')!;
    expect(said.at).toBe(T0 + 300);
    expect(said.text.en).toContain(MEASURED.reservedCode);
    expect(said.text.ja).toContain(MEASURED.reservedCode);
    expect(text(d)).toContain('§7.4.1');
    expect(d.learnMore).toContain('section-7.4.1');
  });

  it('the same 1006 without the browser\'s text is read as a cut, as before', () => {
    const { d } = opened([cdp([])]);
    expect(d.category).not.toBe('protocol-error');
  });

  it.each([
    [MEASURED.utf8, 'utf8', 'UTF-8', '8.1'],
    [MEASURED.rsv, 'reserved-bits', 'reserved bit', '5.2'],
    [MEASURED.masked, 'masked', 'masked', '5.1'],
    [MEASURED.opcode, 'opcode', 'opcode', '5.2'],
    [MEASURED.header, 'control-frame', '125 bytes', '5.5'],
  ] as const)('%s → %s', (said, family, words, section) => {
    expect(protocolFamily(said)).toBe(family);
    const { d } = opened([cdp([said])]);
    expect(d.category).toBe('protocol-error');
    expect(d.confidence).toBe('certain');
    expect(d.headline.en).toContain(words);
    expect(text(d)).toContain(`§${section}`);
    expect(d.evidence.some((e) => e.text.en.includes(said))).toBe(true);
  });

  it('reads variants of the texts (other Chromium versions, other wording) by family', () => {
    expect(protocolFamily('Received a broken close frame containing an invalid status code.')).toBe('close-code');
    expect(protocolFamily('Received a broken close frame containing an invalid size body.')).toBe('close-size');
    expect(protocolFamily('Received a broken close frame containing invalid UTF-8.')).toBe('close-utf8');
    expect(protocolFamily('Received unexpected continuation frame.')).toBe('fragmentation');
    expect(protocolFamily("Error during WebSocket handshake: 'Sec-WebSocket-Accept' header is missing")).toBe('accept');
    expect(protocolFamily("Error during WebSocket handshake: 'Sec-WebSocket-Protocol' header value 'x' in response does not match any of sent values")).toBe('subprotocol');
    expect(protocolFamily('Error during WebSocket handshake: Invalid Sec-WebSocket-Extensions header')).toBe('extension');
    expect(protocolFamily('Something nobody has seen yet')).toBeUndefined();
  });

  it('an unknown text is still quoted, as a likely protocol error', () => {
    const { d } = opened([cdp(['Frame too large: 9 TB'])]);
    expect(d.category).toBe('protocol-error');
    expect(d.confidence).toBe('likely');
    expect(d.headline.en).toBe('Protocol error: the browser failed the connection: "Frame too large: 9 TB"');
    expect(d.headline.ja).toContain('Frame too large: 9 TB');
  });

  it('the first text decides; later ones are counted', () => {
    const { d } = opened([cdp([MEASURED.utf8, MEASURED.header])]);
    expect(d.headline.en).toContain('UTF-8');
    expect(d.evidence.some((e) => e.fact === 'net.frameError.more')).toBe(true);
  });

  it('beats the page\'s own close(): the server answered it with a reserved code', () => {
    const r = new Recorder().create(1, 100, URL).open(1, 120).closeCall(1, 250, { code: 1000, rs: 1 }).error(1, 301).close(1, 301, 1006);
    const { d } = opened([cdp([MEASURED.reservedCode])], r);
    expect(d.category).toBe('protocol-error');
  });

  it('a close the page saw with a real code stays that code (Chromium hands 404 through)', () => {
    const r = new Recorder().create(1, 100, URL).open(1, 120).close(1, 301, 404, '', true);
    const { d } = opened([cdp(['Received a broken close frame containing a reserved status code.'])], r);
    expect(d.category).not.toBe('protocol-error');
    expect(d.code).toBe(404);
  });

  it('a wrong Sec-WebSocket-Accept, seen only as a frame error, explains the failed handshake with the browser\'s text', () => {
    const r = new Recorder().create(1, 100, URL).error(1, 180).close(1, 180, 1006);
    const { d, network, conn } = opened([cdp([MEASURED.accept], { status: undefined, responseAt: undefined })], r);
    expect(network.get(conn.id)?.error).toBe(MEASURED.accept);
    expect(d.category).toBe('handshake-failed');
    expect(d.net?.cls).toBe('invalid-response');
    expect(text(d)).toContain(MEASURED.accept);
    expect(text(d)).toContain('Sec-WebSocket-Accept');
  });

  it('names the worker on every diagnosis of a worker\'s connection', () => {
    const a = analyse(new Recorder().create(1, 100, URL).open(1, 120).close(1, 400, 1000, 'done'), T0 + 10_000);
    const conn = a.conn(1);
    conn.worker = { type: 'shared', url: 'http://127.0.0.1:8080/workers/shared-worker.js' };
    const d = diagnose(conn, a.ctx);
    const w = d.evidence.find((e) => e.fact === 'worker')!;
    expect(w.text.en).toBe('Made in a Shared Worker (http://127.0.0.1:8080/workers/shared-worker.js), not by the page itself');
    expect(w.text.ja).toContain('共有ワーカー');
    const plain = analyse(new Recorder().create(1, 100, URL).open(1, 120).close(1, 400, 1000, 'done'), T0 + 10_000);
    expect(diagnose(plain.conn(1), plain.ctx).evidence.some((e) => e.fact === 'worker')).toBe(false);
  });

  it('the network view keeps frame errors (ordered, deduplicated, bounded), the close and the worker', () => {
    const v = { url: URL, at: T0, sources: [], ids: [] } as Parameters<typeof mergeInto>[0];
    const many = Array.from({ length: 8 }, (_, i) => ({ at: T0 + 100 - i, text: `e${i}` }));
    mergeInto(v, { id: 'cdp:1', source: 'cdp', url: URL, at: T0, frameErrors: many, closedAt: T0 + 200, worker: { type: 'dedicated', url: 'w.js' } });
    mergeInto(v, { id: 'har:1', source: 'har', url: URL, at: T0, frameErrors: [{ at: T0 + 100, text: 'e0' }, { at: T0 + 1, text: 'early' }], closedAt: T0 + 150 });
    expect(v.frameErrors).toHaveLength(8);
    expect(v.frameErrors![0]).toEqual({ at: T0 + 1, text: 'early' });
    expect(v.frameErrors!.filter((e) => e.text === 'e0')).toHaveLength(0);
    expect(v.closedAt).toBe(T0 + 150);
    expect(v.worker).toEqual({ type: 'dedicated', url: 'w.js' });
  });
});

describe('protocol-error texts', () => {
  it('every family has a headline, causes and fixes in both languages, each citing its RFC section', async () => {
    const { PF } = await import('../src/core/knowledge/i18n/protocol-errors.ts');
    for (const [family, t] of Object.entries(PF)) {
      for (const x of [t.headline, ...t.causes, ...t.fixes]) {
        expect(x.en.length, family).toBeGreaterThan(10);
        expect(x.ja, family).toMatch(/[\u3040-\u30ff\u3400-\u9fff]/);
        expect(x.ja, family).not.toBe(x.en);
      }
      expect(t.causes.map((c) => c.en).join(' '), family).toContain(`§${t.section}`);
    }
  });
});
