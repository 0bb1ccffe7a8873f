// A tiny builder of hook event sequences: what the page hook records for one document, stamped
// with the relay's gap-free sequence numbers. Used by the session, tab-store and panel-store tests.
import type { HookEvent, SeqEvent } from '../../src/core/wire/protocol.ts';

/** A round epoch for time origins: wall-clock assertions stay readable. */
export const ORIGIN = 1_700_000_000_000;

export const DOC_A = 'doc-aaaaaaaa';
export const DOC_B = 'doc-bbbbbbbb';
export const DOC_C = 'doc-cccccccc';

type Ev<K extends HookEvent['k']> = Extract<HookEvent, { k: K }>;
type Without<K extends HookEvent['k'], P extends string> = Omit<Ev<K>, 'k' | P>;

export class HookSeq {
  readonly events: SeqEvent[] = [];
  private nextSeq: number;
  private counters = new Map<string, number>();

  constructor(
    readonly doc = DOC_A,
    readonly timeOrigin = ORIGIN,
    opts: { url?: string; top?: boolean; hello?: boolean; firstSeq?: number } = {},
  ) {
    this.nextSeq = opts.firstSeq ?? 0;
    if (opts.hello !== false) this.push({ k: 'hello', t: 0, timeOrigin, url: opts.url ?? 'https://app.example/', top: opts.top ?? true });
  }

  push(ev: HookEvent): this {
    this.events.push({ seq: this.nextSeq++, ev });
    return this;
  }

  /** Skips `n` sequence numbers (events the producer evicted). */
  skip(n: number): this {
    this.nextSeq += n;
    return this;
  }

  private n(sid: number, dir: 'out' | 'in'): number {
    const key = `${sid}:${dir}`;
    const n = this.counters.get(key) ?? 0;
    this.counters.set(key, n + 1);
    return n;
  }

  create(sid: number, t: number, url = 'wss://api.example/ws', more: Partial<Without<'create', 'sid' | 't' | 'url'>> = {}): this {
    return this.push({ k: 'create', sid, t, url, protocols: [], ...more });
  }

  open(sid: number, t: number, protocol = '', extensions = ''): this {
    return this.push({ k: 'open', sid, t, protocol, extensions });
  }

  send(sid: number, t: number, size: number, more: Partial<Without<'send', 'sid' | 't' | 'size' | 'n'>> = {}): this {
    return this.push({ k: 'send', sid, t, n: this.n(sid, 'out'), rs: 1, buffered: 0, bin: false, size, ...more });
  }

  message(sid: number, t: number, size: number, more: Partial<Without<'message', 'sid' | 't' | 'size' | 'n'>> = {}): this {
    return this.push({ k: 'message', sid, t, n: this.n(sid, 'in'), bin: false, size, ...more });
  }

  payload(sid: number, n: number, dir: 'send' | 'message', data: string, trunc = false): this {
    return this.push({ k: 'payload', sid, n, dir, data, trunc });
  }

  error(sid: number, t: number, rs: 0 | 1 | 2 | 3 = 3): this {
    return this.push({ k: 'error', sid, t, rs });
  }

  closeCall(sid: number, t: number, more: Partial<Without<'close-call', 'sid' | 't'>> = {}): this {
    return this.push({ k: 'close-call', sid, t, rs: 1, ...more });
  }

  close(sid: number, t: number, code: number, reason = '', clean = code !== 1006): this {
    return this.push({ k: 'close', sid, t, code, reason, clean });
  }

  page(t: number, what: Ev<'page'>['what'], persisted?: boolean): this {
    const ev: HookEvent = { k: 'page', t, what };
    if (persisted !== undefined) ev.persisted = persisted;
    return this.push(ev);
  }
}

export const zero = () => ({ malformed: 0, evicted: 0, hook: 0 });
