// JSON-RPC 2.0 decoder on frames recorded between two ws ends speaking the spec
// (test/fixtures/protocols/record-json-rpc.ts), detection certainty, and hostile input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { jsonRpcDecoder, jsonRpcErrorName } from '../../src/core/protocols/json-rpc.ts';
import { isUndecodable, type ConnectionHints, type DecodedFrame, type FrameIn } from '../../src/core/protocols/types.ts';
import fixture from '../fixtures/protocols/json-rpc.json';

const conn = fixture.connections[0]!;
const frames: FrameIn[] = conn.frames.map((f) => ({ dir: f.dir as 'in' | 'out', at: f.t, bin: f.bin, size: f.data.length, data: f.data }));
const bare: ConnectionHints = { url: 'ws://127.0.0.1/rpc', protocols: [] };
const text = (data: string, extra: Partial<FrameIn> = {}): FrameIn => ({ dir: 'in', at: 0, bin: false, size: data.length, data, ...extra });
const decode = (f: FrameIn) => jsonRpcDecoder.decode(f, null);
const pick = (d: DecodedFrame) => [d.type, d.cls, d.id, d.pair];

describe('JSON-RPC 2.0', () => {
  const results = frames.map(decode);

  it('decodes every recorded message', () => {
    expect(fixture.recorded.how).toMatch(/No JSON-RPC-over-WebSocket library/);
    const bad = results.map((r, i) => (isUndecodable(r) ? i : -1)).filter((i) => i >= 0);
    // Only the client's deliberately unparsable message (the spec's own parse-error example).
    expect(bad).toEqual([7]);
  });

  it('reads requests, notifications, results and errors with their ids', () => {
    const one = (i: number): DecodedFrame => (results[i] as DecodedFrame[])[0]!;
    expect(pick(one(0))).toEqual(['subtract', 'data', '1', 'request']);
    expect(one(0).body).toEqual([42, 23]);
    expect(pick(one(1))).toEqual(['result', 'data', '1', 'response']);
    expect(one(1).body).toBe(19);
    expect(pick(one(2))).toEqual(['update', 'data', undefined, undefined]);
    expect(pick(one(4))).toEqual(['error -32601', 'error', '1', 'response']);
    expect(one(4).body).toEqual({ code: -32601, message: 'Method not found' });
    expect(pick(one(6))).toEqual(['ticker', 'data', undefined, undefined]);
    expect(pick(one(8))).toEqual(['error -32700', 'error', undefined, 'response']);
    expect(jsonRpcErrorName(-32700)).toBe('Parse error');
    expect(jsonRpcErrorName(-32050)).toBe('Server error');
  });

  it('splits batches into one frame per member', () => {
    const req = results[9] as DecodedFrame[];
    expect(req.map(pick)).toEqual([
      ['sum', 'data', '1', 'request'],
      ['notify_hello', 'data', undefined, undefined],
      ['subtract', 'data', '2', 'request'],
      ['invalid', 'error', undefined, undefined],
      ['foo.get', 'data', '5', 'request'],
      ['get_data', 'data', '9', 'request'],
    ]);
    const res = results[10] as DecodedFrame[];
    expect(res.map((d) => [d.type, d.id])).toEqual([
      ['result', '1'],
      ['result', '2'],
      ['error -32600', undefined],
      ['error -32601', '5'],
      ['result', '9'],
    ]);
  });

  it('is likely from frames that name themselves, certain only from a json-rpc subprotocol', () => {
    expect(jsonRpcDecoder.detect(bare)).toBeUndefined();
    expect(jsonRpcDecoder.sniff(frames.slice(0, 4), bare)).toEqual({ protocol: 'json-rpc', certainty: 'likely', by: 'frames', variant: 'JSON-RPC 2.0' });
    expect(jsonRpcDecoder.detect({ url: 'ws://x/', protocols: ['jsonrpc'], protocol: 'jsonrpc' })?.certainty).toBe('certain');
    expect(jsonRpcDecoder.detect({ url: 'ws://x/', protocols: ['json-rpc'] })?.certainty).toBe('certain');
    expect(jsonRpcDecoder.detect({ url: 'ws://x/', protocols: ['json-rpc'], protocol: 'chat' })).toBeUndefined();
    // Look-alikes: a JSON app with a "method" field, and JSON-RPC 1.0 without the version member.
    expect(jsonRpcDecoder.sniff([text('{"method":"chat","id":1}')], bare)).toBeUndefined();
    expect(jsonRpcDecoder.sniff([text('{"jsonrpc":"2.0"}')], bare)).toBeUndefined();
    expect(jsonRpcDecoder.sniff([text('42["jsonrpc"]')], bare)).toBeUndefined();
  });

  it('reads the method and id of a cut message, marked partial', () => {
    const r = decode(text('{"jsonrpc":"2.0","method":"upload","params":["aaaa', { trunc: true, size: 100_000 }));
    expect(r).toEqual([{ protocol: 'json-rpc', type: 'upload', cls: 'data', partial: true }]);
    const r2 = decode(text('{"jsonrpc":"2.0","id":7,"result":{"rows":[1,2', { trunc: true }));
    expect(r2).toEqual([{ protocol: 'json-rpc', type: 'result', cls: 'data', id: '7', pair: 'response', partial: true }]);
    expect(isUndecodable(decode(text('{"jsonrpc":"2.0","method":"x","params":[', { trunc: false })))).toBe(true);
  });

  it('falls back on empty, binary, non-object and empty-batch messages', () => {
    for (const f of [text(''), text('[]'), text('"hi"'), text('null'), { dir: 'in' as const, at: 0, bin: true, size: 2, data: 'AAE=' }]) {
      expect(isUndecodable(decode(f))).toBe(true);
    }
  });

  it('decodes a 10 MB message without a throw', () => {
    const big = `{"jsonrpc":"2.0","method":"put","params":["${'x'.repeat(10 * 1024 * 1024)}"],"id":3}`;
    const r = decode(text(big));
    // The id comes after the 10 MB params: beyond what is read, so not claimed.
    expect(r).toEqual([{ protocol: 'json-rpc', type: 'put', cls: 'data', partial: true }]);
  });

  it('never throws on random input', () => {
    fc.assert(
      fc.property(fc.string(), fc.boolean(), fc.boolean(), (s, bin, trunc) => {
        const r = decode({ dir: 'out', at: 0, bin, size: s.length, data: s, trunc });
        expect(Array.isArray(r) || typeof r.error === 'string').toBe(true);
      }),
    );
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const r = decode(text(JSON.stringify(v)));
        expect(Array.isArray(r) || typeof r.error === 'string').toBe(true);
      }),
    );
  });
});
