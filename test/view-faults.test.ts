import { describe, expect, it } from 'vitest';
import { INJECT_MAX_BYTES, type FaultCommand } from '../src/core/faults/commands.ts';
import type { Connection, FaultRecord } from '../src/core/session/connection.ts';
import { actionOff, buildFault, defaultForm, payloadOf, replayOff, settle, type FaultForm, type PendingFault } from '../src/panel/view/faults.ts';

const form = (over: Partial<FaultForm> = {}): FaultForm => ({ ...defaultForm({ url: 'wss://example.test/ws' }), ...over });
const problemOf = (r: ReturnType<typeof buildFault>) => ('problem' in r ? { field: r.problem.field, key: r.problem.key } : undefined);
const cmdOf = (r: ReturnType<typeof buildFault>): FaultCommand | undefined => ('cmd' in r ? r.cmd : undefined);

describe('payloadOf', () => {
  it('reads hex in pairs, spaces and a 0x prefix allowed, as Base64', () => {
    expect(payloadOf('hex', '0x48 65 6c 6C 6f')).toEqual({ data: 'SGVsbG8=', bin: true, size: 5 });
    expect(payloadOf('hex', '')).toEqual({ data: '', bin: true, size: 0 });
    expect(payloadOf('hex', 'abc')).toEqual({ problem: { key: 'errHex' } });
    expect(payloadOf('hex', 'zz')).toEqual({ problem: { key: 'errHex' } });
  });
  it('reads Base64 with or without padding, URL-safe too, and refuses what is not', () => {
    expect(payloadOf('base64', 'SGVsbG8')).toEqual({ data: 'SGVsbG8=', bin: true, size: 5 });
    expect(payloadOf('base64', 'SGVs\nbG8=')).toEqual({ data: 'SGVsbG8=', bin: true, size: 5 });
    expect(payloadOf('base64', '-_8')).toEqual({ data: '+/8=', bin: true, size: 2 });
    expect(payloadOf('base64', 'SGV*')).toEqual({ problem: { key: 'errBase64' } });
    expect(payloadOf('base64', 'SGVsb')).toEqual({ problem: { key: 'errBase64' } });
  });
  it('sizes text as UTF-8 and refuses more than 1 MiB in any format without decoding it', () => {
    expect(payloadOf('text', 'é€')).toEqual({ data: 'é€', bin: false, size: 5 });
    const big = payloadOf('hex', 'ab'.repeat(INJECT_MAX_BYTES + 1));
    expect(big).toEqual({ problem: { key: 'errTooBig', params: { size: '1.0 MiB' } } });
    expect('problem' in payloadOf('base64', 'A'.repeat(((INJECT_MAX_BYTES + 3) / 3) * 4))).toBe(true);
  });
});

describe('buildFault', () => {
  it('server close: the code must be one a server can send, the reason at most 123 bytes', () => {
    expect(cmdOf(buildFault('close', form({ code: '4000', reason: 'bye' }), 7))).toEqual({ op: 'close', sid: 7, code: 4000, reason: 'bye' });
    expect(problemOf(buildFault('close', form({ code: '1006' }), 7))).toEqual({ field: 'code', key: 'errCode' });
    expect(problemOf(buildFault('close', form({ code: '2000' }), 7))).toEqual({ field: 'code', key: 'errCode' });
    expect(problemOf(buildFault('close', form({ code: '10a1' }), 7))).toEqual({ field: 'code', key: 'errNumber' });
    expect(problemOf(buildFault('close', form({ code: '1011', reason: 'x'.repeat(124) }), 7))).toEqual({ field: 'reason', key: 'errReason' });
    expect(cmdOf(buildFault('close', form({ code: '1011', reason: 'é'.repeat(61) }), 7))).toBeTruthy();
    expect(problemOf(buildFault('close', form({ code: '1011', reason: 'é'.repeat(62) }), 7))).toEqual({ field: 'reason', key: 'errReason' });
  });
  it('silence in seconds (to ms), delay in ms (0 = off), drop-next counts', () => {
    expect(cmdOf(buildFault('silence', form({ seconds: '2.5', mode: 'drop' }), 1))).toEqual({ op: 'silence', sid: 1, ms: 2500, mode: 'drop' });
    expect(problemOf(buildFault('silence', form({ seconds: '0' }), 1))).toEqual({ field: 'seconds', key: 'errSeconds' });
    expect(problemOf(buildFault('silence', form({ seconds: '601' }), 1))).toEqual({ field: 'seconds', key: 'errSeconds' });
    expect(cmdOf(buildFault('delay', form({ ms: '0' }), 1))).toEqual({ op: 'delay', sid: 1, ms: 0 });
    expect(problemOf(buildFault('delay', form({ ms: '-1' }), 1))).toEqual({ field: 'ms', key: 'errMs' });
    expect(cmdOf(buildFault('drop-next', form({ n: '3' }), 1))).toEqual({ op: 'drop-next', sid: 1, n: 3 });
    expect(problemOf(buildFault('drop-next', form({ n: '0' }), 1))).toEqual({ field: 'n', key: 'errCount' });
  });
  it('send blocking: text as is, regexes checked (invalid, catastrophic, back-references)', () => {
    expect(cmdOf(buildFault('block', form({ pattern: '(a+)+' }), 1))).toEqual({ op: 'block-sends', sid: 1, pattern: '(a+)+', regex: false });
    expect(problemOf(buildFault('block', form({ pattern: '(a+)+', regex: true }), 1))).toEqual({ field: 'pattern', key: 'errRegexSlow' });
    expect(problemOf(buildFault('block', form({ pattern: '(a', regex: true }), 1))).toEqual({ field: 'pattern', key: 'errRegex' });
    expect(problemOf(buildFault('block', form({ pattern: '(a)\\1', regex: true }), 1))).toEqual({ field: 'pattern', key: 'errRegexBackref' });
    expect(problemOf(buildFault('block', form({ pattern: 'x'.repeat(257) }), 1))).toEqual({ field: 'pattern', key: 'errPatternLong' });
    expect(cmdOf(buildFault('block', form({ pattern: '^ping$', regex: true }), 1))).toBeTruthy();
  });
  it('fail-next: a ws(s) endpoint, N attempts or until off, before open or after open with a code', () => {
    expect(cmdOf(buildFault('fail-next', form({ n: '2' }), 1))).toEqual({ op: 'fail-next', url: 'wss://example.test/ws', n: 2, as: 'before-open' });
    expect(cmdOf(buildFault('fail-next', form({ n: '', untilOff: true }), 1))).toEqual({ op: 'fail-next', url: 'wss://example.test/ws', n: 0, as: 'before-open' });
    expect(cmdOf(buildFault('fail-next', form({ as: 'after-open', code: '1013', reason: 'later' }), 1))).toEqual({
      op: 'fail-next', url: 'wss://example.test/ws', n: 1, as: 'after-open', code: 1013, reason: 'later',
    });
    expect(problemOf(buildFault('fail-next', form({ as: 'after-open', code: '1005' }), 1))).toEqual({ field: 'code', key: 'errCode' });
    expect(problemOf(buildFault('fail-next', form({ url: 'https://example.test/' }), 1))).toEqual({ field: 'url', key: 'errUrl' });
    expect(problemOf(buildFault('fail-next', form({ n: '101' }), 1))).toEqual({ field: 'n', key: 'errAttempts' });
  });
  it('send: direction and format; more than 1 MiB refused', () => {
    expect(cmdOf(buildFault('send', form({ dir: 'out', data: 'hi' }), 3))).toEqual({ op: 'send', sid: 3, dir: 'out', data: 'hi', bin: false });
    expect(cmdOf(buildFault('send', form({ format: 'hex', data: 'ff00' }), 3))).toEqual({ op: 'send', sid: 3, dir: 'in', data: '/wA=', bin: true });
    expect(problemOf(buildFault('send', form({ data: 'x'.repeat(2 * 1024 * 1024) }), 3))).toEqual({ field: 'data', key: 'errTooBig' });
    expect(problemOf(buildFault('send', form({ format: 'hex', data: 'f' }), 3))).toEqual({ field: 'data', key: 'errHex' });
  });
});

describe('which actions a connection offers', () => {
  const open = { state: 'open' as const };
  it('nothing outside a live tab, with why', () => {
    expect(actionOff('drop', open, 'file')).toEqual({ key: 'faultOffFile' });
    expect(actionOff('fail-next', open, 'viewer')).toEqual({ key: 'faultOffViewer' });
  });
  it('socket actions need a socket still open; the next attempts and clearing do not', () => {
    expect(actionOff('drop', open, 'live')).toBeUndefined();
    expect(actionOff('drop', { state: 'closed' }, 'live')).toEqual({ key: 'faultOffClosed' });
    expect(actionOff('send', { state: 'open', netOnly: true }, 'live')).toEqual({ key: 'faultOffNetOnly' });
    expect(actionOff('fail-next', { state: 'closed' }, 'live')).toBeUndefined();
    expect(actionOff('clear', { state: 'closed' }, 'live')).toBeUndefined();
  });
  it('replay needs the whole payload', () => {
    const m = { n: 0, dir: 'in' as const, at: 0, bin: false, size: 2 };
    expect(replayOff({ ...m, data: 'hi' })).toBeUndefined();
    expect(replayOff(m)).toEqual({ key: 'faultOffPayload' });
    expect(replayOff({ ...m, data: 'h', trunc: true })).toEqual({ key: 'faultOffPayload' });
  });
});

describe('settle', () => {
  const conn = (faults: FaultRecord[], sid = 1, doc = 'd1') => ({ doc, sid, faults }) as unknown as Connection;
  const pending = (over: Partial<PendingFault> = {}): PendingFault => ({ id: 1, doc: 'd1', sid: 1, op: 'drop', what: { key: 'opDrop' }, sentAt: 10_000, state: 'pending', ...over });
  it('matches the answer of the same op on the same socket after the command, each answer once', () => {
    const ok: FaultRecord = { op: 'drop', ok: true, at: 10_050 };
    const a = pending();
    const b = pending({ id: 2 });
    const claimed = new WeakSet<FaultRecord>();
    expect(settle([a, b], [conn([ok])], claimed)).toBe(true);
    expect(a.state).toBe('ok');
    expect(b.state).toBe('pending');
  });
  it('a refusal carries its reason; another socket, op, document or an older answer do not settle', () => {
    const refused: FaultRecord = { op: 'close', ok: false, error: 'socket already closed', at: 10_100 };
    const p = pending({ op: 'close' });
    const others = [conn([{ op: 'close', ok: true, at: 10_100 }], 2), conn([{ op: 'drop', ok: true, at: 10_100 }]), conn([{ op: 'close', ok: true, at: 10_100 }], 1, 'd2'), conn([{ op: 'close', ok: true, at: 5_000 }])];
    expect(settle([p], others, new WeakSet())).toBe(false);
    expect(p.state).toBe('pending');
    settle([p], [conn([refused])], new WeakSet());
    expect(p).toMatchObject({ state: 'refused', error: 'socket already closed' });
  });
  it('a document-wide command settles with an answer on any socket of its document', () => {
    const p = pending({ op: 'fail-next' });
    delete p.sid;
    settle([p], [conn([{ op: 'fail-next', ok: true, at: 10_001, n: 2 }], 9)], new WeakSet());
    expect(p.state).toBe('ok');
  });
  it('a document-wide command settles with the answer the session keeps for its document (no socket has one)', () => {
    const p = pending({ op: 'fail-next' });
    delete p.sid;
    const other = pending({ id: 3, op: 'clear', doc: 'd2' });
    delete other.sid;
    const docFaults = [{ doc: 'd1', op: 'fail-next' as const, ok: false, error: 'the endpoint must be a ws:// or wss:// URL', at: 10_002 }];
    expect(settle([p, other], [], new WeakSet(), 1000, docFaults)).toBe(true);
    expect(p).toMatchObject({ state: 'refused', error: 'the endpoint must be a ws:// or wss:// URL' });
    expect(other.state).toBe('pending');
  });
});
