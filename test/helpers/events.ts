// Builds event sequences the way the page hook records them (a `hello` with the document's
// time origin, then events with monotonic `t` in ms since that origin) and feeds them through
// the real session reducer, so the diagnosis tests start from the same data the panel has.
import type { HookEvent, SeqEvent } from '../../src/core/wire/protocol.ts';
import { applyBatch, createSession, listConnections, type Connection, type SessionState } from '../../src/core/session/session.ts';
import type { DiagnoseContext } from '../../src/core/diagnosis/diagnose.ts';

/** 2023-11-14T22:13:20.000Z: a round epoch keeps clock strings in assertions readable. */
export const T0 = 1_700_000_000_000;

const sizeOf = (data: string, bin: boolean): number => (bin ? Buffer.from(data, 'base64').length : Buffer.byteLength(data, 'utf8'));

type Page = Extract<HookEvent, { k: 'page' }>['what'];
type Inject = Extract<HookEvent, { k: 'inject' }>;

export class Recorder {
  private seq = 0;
  readonly events: SeqEvent[] = [];
  private nextN = new Map<string, number>();

  constructor(
    readonly doc = 'doc-aaaaaaaa',
    readonly timeOrigin = T0,
    readonly pageUrl = 'https://app.example/',
    /** A worker's document (deep capture): its hello names the worker. */
    readonly worker?: { type: 'dedicated' | 'shared' | 'service'; url: string },
  ) {
    const hello: HookEvent = { k: 'hello', t: 0, timeOrigin, url: pageUrl, top: !worker };
    if (worker) hello.worker = worker;
    this.push(hello);
  }

  private push(ev: HookEvent): this {
    this.events.push({ seq: this.seq++, ev });
    return this;
  }

  private n(sid: number, dir: 'in' | 'out'): number {
    const key = `${sid}:${dir}`;
    const n = this.nextN.get(key) ?? 0;
    this.nextN.set(key, n + 1);
    return n;
  }

  /** `rs: 3`: the browser refused the socket at creation (CSP, blocked port); `error` follows, never `close`. */
  create(sid: number, t: number, url = 'wss://api.example/socket', opts: { protocols?: string[]; threw?: string; rs?: 0 | 3 } = {}): this {
    const ev: HookEvent = { k: 'create', sid, t, url, protocols: opts.protocols ?? [] };
    if (opts.threw) ev.threw = opts.threw;
    if (opts.rs !== undefined) ev.rs = opts.rs;
    return this.push(ev);
  }

  /** A securitypolicyviolation for connect-src: names no socket; the session links it by URL and time. */
  csp(t: number, blocked: string, policy: string, directive = 'connect-src'): this {
    return this.push({ k: 'csp', t, blocked, directive, policy, disposition: 'enforce' });
  }

  open(sid: number, t: number, protocol = ''): this {
    return this.push({ k: 'open', sid, t, protocol, extensions: '' });
  }

  send(sid: number, t: number, size = 20, bin = false): this {
    return this.push({ k: 'send', sid, t, n: this.n(sid, 'out'), rs: 1, buffered: 0, bin, size });
  }

  message(sid: number, t: number, size = 20, bin = false): this {
    return this.push({ k: 'message', sid, t, n: this.n(sid, 'in'), bin, size });
  }

  /** A send with its payload (text as is, binary as base64; `size` is then the text's UTF-8 length or the bytes'). */
  sendData(sid: number, t: number, data: string, bin = false): this {
    return this.push({ k: 'send', sid, t, n: this.n(sid, 'out'), rs: 1, buffered: 0, bin, size: sizeOf(data, bin), data });
  }

  /** A received message with its payload. */
  receiveData(sid: number, t: number, data: string, bin = false): this {
    return this.push({ k: 'message', sid, t, n: this.n(sid, 'in'), bin, size: sizeOf(data, bin), data });
  }

  error(sid: number, t: number, rs: 0 | 1 | 2 | 3 = 3): this {
    return this.push({ k: 'error', sid, t, rs });
  }

  closeCall(sid: number, t: number, opts: { code?: number; reason?: string; stack?: string; rs?: 0 | 1 | 2 | 3; threw?: string } = {}): this {
    const ev: HookEvent = { k: 'close-call', sid, t, rs: opts.rs ?? 1 };
    if (opts.code !== undefined) ev.code = opts.code;
    if (opts.reason !== undefined) ev.reason = opts.reason;
    if (opts.stack) ev.stack = opts.stack;
    if (opts.threw) ev.threw = opts.threw;
    return this.push(ev);
  }

  close(sid: number, t: number, code: number, reason = '', clean = code !== 1006): this {
    return this.push({ k: 'close', sid, t, code, reason, clean });
  }

  /** A fault command the hook applied (or refused: `ok: false` with `error`); no `sid` for document-wide ones. */
  inject(t: number, op: Inject['op'], fields: Omit<Inject, 'k' | 't' | 'op' | 'ok'> & { ok?: boolean } = {}): this {
    return this.push({ k: 'inject', t, op, ok: true, ...fields } as HookEvent);
  }

  /** A message injected from the panel into the page, as if from the server. */
  injectedMessage(sid: number, t: number, data = '{"injected":true}'): this {
    return this.push({ k: 'message', sid, t, n: this.n(sid, 'in'), bin: false, size: sizeOf(data, false), data, inj: true });
  }

  /** A message the panel sent to the server on the page's socket. */
  injectedSend(sid: number, t: number, data = '{"injected":true}'): this {
    return this.push({ k: 'send', sid, t, n: this.n(sid, 'out'), rs: 1, buffered: 0, bin: false, size: sizeOf(data, false), data, inj: true });
  }

  /** The close an injected fault showed the page (a drop: `error` first, 1006 not clean). */
  injectedClose(sid: number, t: number, code: number, reason = '', clean = code !== 1006): this {
    if (code === 1006) this.error(sid, t);
    return this.push({ k: 'close', sid, t, code, reason, clean, inj: true });
  }

  page(t: number, what: Page, persisted?: boolean): this {
    const ev: HookEvent = { k: 'page', t, what };
    if (persisted !== undefined) ev.persisted = persisted;
    return this.push(ev);
  }

  /** A socket that connects and is cut at once: the shape of every failed reconnect attempt. */
  failedAttempt(sid: number, t: number, url?: string, failAfter = 5): this {
    return this.create(sid, t, url).error(sid, t + failAfter).close(sid, t + failAfter, 1006);
  }

  session(state: SessionState = createSession()): SessionState {
    applyBatch(state, this.doc, this.events);
    return state;
  }
}

export interface Analysed {
  state: SessionState;
  conns: Connection[];
  ctx: DiagnoseContext;
  conn(sid: number, doc?: string): Connection;
}

/** Runs recorders through one session and returns what diagnose needs; `now` is ms since T0. */
export function analyse(recorders: Recorder | Recorder[], nowT: number): Analysed {
  const state = createSession();
  for (const r of Array.isArray(recorders) ? recorders : [recorders]) r.session(state);
  const conns = listConnections(state);
  const ctx: DiagnoseContext = { connections: conns, context: state.context, now: T0 + nowT };
  const first = Array.isArray(recorders) ? recorders[0]! : recorders;
  return {
    state,
    conns,
    ctx,
    conn(sid, doc = first.doc) {
      const c = state.connections.get(`${doc}:${sid}`);
      if (!c) throw new Error(`no connection ${doc}:${sid}`);
      return c;
    },
  };
}
