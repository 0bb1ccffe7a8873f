// The trap bodies shared by the page hook and Firefox's isolated world (src/page-hook/traps.ts),
// with recording hooks and this realm's Reflect as the io: what each calls, in which order, what
// reaches the native, and that an error reaches the caller as it was thrown.
import { describe, expect, it } from 'vitest';
import {
  closeTrap, constructTrap, passTrap, SEND_GO, SEND_SWALLOW, SEND_UNRECORDED, sendTrap, type CloseHooks, type CtorHooks, type SendHooks, type TrapIo,
} from '../src/page-hook/traps.ts';
import { ITER_BAD_ITERATOR, ITER_BAD_METHOD, ITER_BAD_NEXT, ITER_BAD_RESULT, TEXT_BAD_HINT_METHOD, TEXT_NO_PRIMITIVE } from '../src/page-hook/trap-io.ts';

function ioWith(log: unknown[]): TrapIo {
  return {
    waive: (x) => x,
    apply: Reflect.apply,
    construct: Reflect.construct,
    unconvertible: (kind, bad) => ({ unconvertible: kind, bad }),
    iterable: (fault, bad, ...items) => ({ fault, bad, [Symbol.iterator]: () => items[Symbol.iterator]() }),
    hide: (err) => log.push(['hide', err]),
  };
}

class FakeSocket {
  args: unknown[];
  constructor(...args: unknown[]) {
    this.args = args;
    if (args[0] === 'bad') throw new SyntaxError('bad url');
  }
}

describe('constructTrap', () => {
  const hooks = (log: unknown[]): CtorHooks => ({
    now: () => 7,
    newTarget: (nt) => (log.push(['newTarget', nt]), FakeSocket),
    threw: (t, url, err) => log.push(['threw', t, url, (err as Error).message]),
    made: (ws, t, ...protocols) => log.push(['made', ws instanceof FakeSocket, t, protocols]),
  });

  it('converts the arguments once, gives the native strings and a page-realm iterable, and reports the protocols as strings', () => {
    const log: unknown[] = [];
    const calls: string[] = [];
    const url = { toString: () => (calls.push('url'), 'ws://x/') };
    const ws = constructTrap(ioWith(log), hooks(log), FakeSocket, [url, ['a', { toString: () => (calls.push('p'), 'b') }]], 'NT') as FakeSocket;
    expect(calls).toEqual(['url', 'p']);
    expect(ws.args[0]).toBe('ws://x/');
    expect([...(ws.args[1] as Iterable<unknown>)]).toEqual(['a', 'b']);
    expect(log).toEqual([['newTarget', 'NT'], ['made', true, 7, ['a', 'b']]]);
  });

  it('passes on what the native throws after hiding our frames and telling the hooks', () => {
    const log: unknown[] = [];
    let caught: unknown;
    try {
      constructTrap(ioWith(log), hooks(log), FakeSocket, ['bad'], undefined);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(SyntaxError);
    expect(log).toEqual([['newTarget', undefined], ['hide', caught], ['threw', 7, 'bad', 'bad url']]);
  });

  it('passes on the page\'s own error from a conversion; an iterable the browser would refuse goes to the native as a replica that fails the same way', () => {
    const log: unknown[] = [];
    const pageErr = new RangeError('page says no');
    expect(() => constructTrap(ioWith(log), hooks(log), FakeSocket, [{ toString: () => { throw pageErr; } }, 'chat'], undefined)).toThrow(pageErr);
    expect(log).toContainEqual(['threw', 7, expect.anything(), 'page says no']);
    const replica = (protocols: unknown) => (constructTrap(ioWith([]), hooks([]), FakeSocket, ['ws://x/', protocols], undefined) as FakeSocket).args[1];
    expect(replica({ [Symbol.iterator]: 5 })).toMatchObject({ fault: ITER_BAD_METHOD, bad: 5 });
    expect(replica({ [Symbol.iterator]: () => 'no' })).toMatchObject({ fault: ITER_BAD_ITERATOR, bad: 'no' });
    expect(replica({ [Symbol.iterator]: () => ({ next: 7 }) })).toMatchObject({ fault: ITER_BAD_NEXT, bad: 7 });
    let calls = 0;
    const badResult = { [Symbol.iterator]: () => ({ next: () => (++calls === 1 ? { done: false, value: 'a' } : 3) }) };
    const r = replica(badResult) as { fault: number; bad: unknown } & Iterable<unknown>;
    expect(r).toMatchObject({ fault: ITER_BAD_RESULT, bad: 3 });
    expect([...r]).toEqual(['a']);
    expect(calls).toBe(2);
  });
});

describe('conversions the engine would refuse', () => {
  const noPrimitive = { toString: () => ({}), valueOf: () => ({}) };
  const hooks: CtorHooks = { now: () => 0, newTarget: () => FakeSocket, threw: () => undefined, made: () => undefined };

  it('with no protocols, nothing is converted: the native converts the URL itself', () => {
    const url = { toString: () => 'ws://x/' };
    expect((constructTrap(ioWith([]), hooks, FakeSocket, [url], undefined) as FakeSocket).args).toEqual([url]);
  });

  it('a URL or protocol with no text goes to the native as a stand-in, after the page\'s methods ran once each, in the engine\'s order', () => {
    const calls: string[] = [];
    const logged = { toString: () => (calls.push('toString'), {}), valueOf: () => (calls.push('valueOf'), {}) };
    const urlFails = (constructTrap(ioWith([]), hooks, FakeSocket, [logged, 'chat'], undefined) as FakeSocket).args;
    expect(calls).toEqual(['toString', 'valueOf']);
    expect(urlFails).toEqual([{ unconvertible: TEXT_NO_PRIMITIVE, bad: logged }]);
    const protoFails = (constructTrap(ioWith([]), hooks, FakeSocket, ['ws://x/', noPrimitive], undefined) as FakeSocket).args;
    expect(protoFails).toEqual(['ws://x/', { unconvertible: TEXT_NO_PRIMITIVE, bad: noPrimitive }]);
    const hint = (constructTrap(ioWith([]), hooks, FakeSocket, ['ws://x/', { [Symbol.toPrimitive]: 5 }], undefined) as FakeSocket).args[1];
    expect(hint).toEqual({ unconvertible: TEXT_BAD_HINT_METHOD, bad: 5 });
    const sym = Symbol('s');
    const toSymbol = (constructTrap(ioWith([]), hooks, FakeSocket, ['ws://x/', { [Symbol.toPrimitive]: (h: string) => (calls.push(h), sym) }], undefined) as FakeSocket).args[1];
    expect(toSymbol).toEqual({ unconvertible: TEXT_NO_PRIMITIVE, bad: sym });
    expect(calls.at(-1)).toBe('string');
  });

  it('an item of an iterable with no text ends the iterable given to the native', () => {
    const items = ['a', noPrimitive, 'never read'];
    const it = { [Symbol.iterator]: () => items[Symbol.iterator]() };
    const given = (constructTrap(ioWith([]), hooks, FakeSocket, ['ws://x/', it], undefined) as FakeSocket).args[1] as Iterable<unknown>;
    expect([...given]).toEqual(['a', { unconvertible: TEXT_NO_PRIMITIVE, bad: noPrimitive }]);
  });

  it('send() of a value with no text gives the native the stand-in, unrecorded and ungated', () => {
    const log: unknown[] = [];
    const got: unknown[] = [];
    const native = (v: unknown) => void got.push(v);
    sendTrap(ioWith(log), { fast: () => false, rec: () => ({}), asText: () => true, gate: () => (log.push('gate'), SEND_GO), sent: () => log.push('sent') }, native, {}, [noPrimitive]);
    expect(got).toEqual([{ unconvertible: TEXT_NO_PRIMITIVE, bad: noPrimitive }]);
    expect(log).toEqual([]);
  });
});

describe('sendTrap', () => {
  const native = function (this: { sent: unknown[] }, ...args: unknown[]) {
    if (this.sent === undefined) throw new TypeError('Illegal invocation');
    this.sent.push(args);
    return 'r';
  };
  const hooks = (log: unknown[], verdict = SEND_GO, ours = true): SendHooks => ({
    fast: () => false,
    rec: (self) => (ours ? { self } : undefined),
    asText: (v) => !(v instanceof Uint8Array),
    gate: (_r, v) => (log.push(['gate', v]), verdict),
    sent: (_r, _self, v) => log.push(['sent', v]),
  });

  it('records a string as sent, after the native', () => {
    const log: unknown[] = [];
    const self = { sent: [] as unknown[] };
    expect(sendTrap(ioWith(log), hooks(log), native, self, ['hi'])).toBe('r');
    expect(self.sent).toEqual([['hi']]);
    expect(log).toEqual([['gate', 'hi'], ['sent', 'hi']]);
  });

  it('gives the native an object\'s string, converted once, and leaves binary alone', () => {
    const log: unknown[] = [];
    const self = { sent: [] as unknown[] };
    let n = 0;
    sendTrap(ioWith(log), hooks(log), native, self, [{ toString: () => `t${++n}` }]);
    const bytes = new Uint8Array([1]);
    sendTrap(ioWith(log), hooks(log), native, self, [bytes]);
    expect(n).toBe(1);
    expect(self.sent).toEqual([['t1'], [bytes]]);
  });

  it('a swallowed send never reaches the native; an unrecorded one does, and is not recorded', () => {
    const log: unknown[] = [];
    const self = { sent: [] as unknown[] };
    expect(sendTrap(ioWith(log), hooks(log, SEND_SWALLOW), native, self, ['x'])).toBeUndefined();
    expect(sendTrap(ioWith(log), hooks(log, SEND_UNRECORDED), native, self, ['y'])).toBe('r');
    expect(self.sent).toEqual([['y']]);
    expect(log).toEqual([['gate', 'x'], ['gate', 'y']]);
  });

  it('on something not ours: no gate, no conversion, no record, and the native\'s error passes with our frames hidden', () => {
    const log: unknown[] = [];
    const obj = { toString: () => { throw new Error('must not convert'); } };
    let caught: unknown;
    try {
      sendTrap(ioWith(log), hooks(log, SEND_GO, false), native, {}, [obj]);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(TypeError);
    expect(log).toEqual([['hide', caught]]);
  });
});

describe('sendTrap fast path', () => {
  it('when the hook sends it whole, nothing else runs', () => {
    const log: unknown[] = [];
    const h: SendHooks = { fast: (_s, data, argc) => (log.push(['fast', data, argc]), true), rec: () => log.push('rec'), asText: () => true, gate: () => SEND_GO, sent: () => log.push('sent') };
    expect(sendTrap(ioWith(log), h, () => log.push('native'), {}, ['x'])).toBeUndefined();
    expect(log).toEqual([['fast', 'x', 1]]);
  });
});

describe('closeTrap', () => {
  const hooks = (log: unknown[], ours = true): CloseHooks => ({
    begin: (self) => (log.push('begin'), ours ? { self } : undefined),
    end: (state, args, failed, err) => log.push(['end', !!state, Array.from(args as ArrayLike<unknown>), failed, (err as Error | undefined)?.name]),
  });
  const native = (code?: unknown) => {
    if (code === 2000) throw new RangeError('InvalidAccessError');
    return undefined;
  };

  it('records the call after the native, thrown or not, and rethrows what it threw', () => {
    const log: unknown[] = [];
    closeTrap(ioWith(log), hooks(log), native, {}, [1000, 'bye']);
    expect(() => closeTrap(ioWith(log), hooks(log), native, {}, [2000])).toThrow(RangeError);
    expect(log).toEqual(['begin', ['end', true, [1000, 'bye'], false, undefined], 'begin', ['hide', expect.any(RangeError)], ['end', true, [2000], true, 'RangeError']]);
  });

  it('records nothing for something not ours', () => {
    const log: unknown[] = [];
    closeTrap(ioWith(log), hooks(log, false), native, {}, []);
    expect(log).toEqual(['begin']);
  });
});

describe('passTrap', () => {
  it('calls the native with the hooks\' receiver and gives the page what after() returns', () => {
    const log: unknown[] = [];
    const native = function (this: { n: number }, k: number) {
      return this.n * k;
    };
    const out = passTrap(ioWith(log), { receiver: () => ({ n: 3 }), after: (self, r) => [self, r] }, native, 'page-self', [2]);
    expect(out).toEqual(['page-self', 6]);
  });

  it('hides our frames of an error the native throws and never calls after()', () => {
    const log: unknown[] = [];
    const err = new TypeError('Illegal invocation');
    expect(() => passTrap(ioWith(log), { receiver: (s) => s, after: () => log.push('after') }, () => { throw err; }, {}, [])).toThrow(err);
    expect(log).toEqual([['hide', err]]);
  });
});
