// Applying one checked fault command (command.ts) to this document's sockets (faults.ts).
import type { FaultCommand } from '../core/faults/commands.ts';
import { utf8Length } from '../core/wire/payload.ts';
import type { HookEvent } from '../core/wire/protocol.ts';
import { apply, NOARGS, perfNow, RegExpCtor, strCharCodeAt, taBuffer, Uint8ArrayCtor } from './builtins.ts';
import { capture } from './capture.ts';
import { emit } from './emit.ts';
import { clearSocket, end, endpointKey, faultsOf, injectIn, pageReadyState, rules, setRules, type FailRule } from './faults.ts';
import { live, sidGiven, type SockRec } from './record.ts';
import { describeThrown } from './thrown.ts';

export interface Applied {
  error?: string;
  size?: number;
}

/** The socket a command names, or why there is none to fault. */
function socketFor(sid: number): SockRec | string {
  const r = live[sid];
  if (r && !r.f?.ended) return r;
  return sidGiven(sid) ? `socket ${sid} is already closed` : `no socket ${sid} in this page`;
}

/** Standard base64 to bytes, with no built-in a page could have replaced (faultProblem checked the alphabet). */
export function decodeBase64(s: string): Uint8Array {
  let end = s.length;
  while (end > 0 && apply(strCharCodeAt, s, [end - 1]) === 61) end--;
  const out = new Uint8ArrayCtor(Math.floor((end * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < end; i++) {
    const c = apply(strCharCodeAt, s, [i]) as number;
    const v = c >= 65 && c <= 90 ? c - 65 : c >= 97 && c <= 122 ? c - 71 : c >= 48 && c <= 57 ? c + 4 : c === 43 ? 62 : 63;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  // Without padding, `end` base64 digits are exactly ⌊6·end/8⌋ bytes: `out` is full.
  return out;
}

function send(r: SockRec, cmd: Extract<FaultCommand, { op: 'send' }>): Applied {
  const bytes = cmd.bin ? decodeBase64(cmd.data) : undefined;
  const size = bytes ? bytes.length : utf8Length(cmd.data);
  const rs = pageReadyState(r);
  if (rs !== 1) return { error: rs === 0 ? `socket ${r.sid} is not open yet` : `socket ${r.sid} is already closed`, size };
  const { realm } = r;
  if (cmd.dir === 'in') {
    let data: unknown = cmd.data;
    if (bytes) {
      // Of the socket's realm and its binaryType, as the browser would give them (WebSockets, "receives a message").
      const copy = new realm.Uint8Array(bytes.length);
      for (let i = 0; i < bytes.length; i++) copy[i] = bytes[i]!;
      const type = apply(realm.binaryType, r.ws, NOARGS);
      data = type === 'blob' && realm.Blob ? new realm.Blob([copy]) : apply(taBuffer, copy, NOARGS);
    }
    injectIn(r, data, bytes ?? cmd.data);
    return { size };
  }
  const data = bytes ?? cmd.data;
  try {
    apply(realm.send, r.ws, [data]);
  } catch (err) {
    return { error: `the browser refused the send: ${describeThrown(err)}`, size };
  }
  const c = capture(data, r.sid, r.sent, 'send');
  const ev: HookEvent = { k: 'send', sid: r.sid, t: perfNow(), n: r.sent++, rs: 1, buffered: apply(realm.buffered, r.ws, NOARGS) as number, bin: c.bin, size: c.size, inj: true };
  if (c.data !== undefined) ev.data = c.data;
  if (c.trunc) ev.trunc = true;
  emit(ev);
  return { size };
}

function failNextRule(cmd: Extract<FaultCommand, { op: 'fail-next' }>): Applied {
  const key = endpointKey(cmd.url);
  if (key === undefined) return { error: 'the endpoint is not a valid URL' };
  const rule: FailRule = { key, url: cmd.url, left: cmd.n === 0 ? Infinity : cmd.n, as: cmd.as, code: cmd.code ?? 1011, reason: cmd.reason ?? '' };
  // A new rule for an endpoint replaces the one it had.
  const next: FailRule[] = [];
  for (let i = 0; i < rules.length; i++) if (rules[i]!.key !== key) next[next.length] = rules[i]!;
  next[next.length] = rule;
  setRules(next);
  return {};
}

export function applyCommand(cmd: FaultCommand): Applied {
  if (cmd.op === 'fail-next') return failNextRule(cmd);
  if (cmd.op === 'clear') {
    if (cmd.sid === undefined) {
      setRules([]);
      for (const k in live) clearSocket(live[k]!);
      return {};
    }
    const r = socketFor(cmd.sid);
    if (typeof r === 'string') return { error: r };
    clearSocket(r);
    return {};
  }
  const r = socketFor(cmd.sid);
  if (typeof r === 'string') return { error: r };
  const f = faultsOf(r);
  switch (cmd.op) {
    case 'drop':
      end(r, 1006, '', false);
      return {};
    case 'close':
      end(r, cmd.code, cmd.reason, true);
      return {};
    case 'silence':
      f.holdUntil = perfNow() + cmd.ms;
      f.holdDrop = cmd.mode === 'drop';
      return {};
    case 'delay':
      f.delay = cmd.ms;
      return {};
    case 'drop-next':
      f.dropNext = cmd.n;
      return {};
    case 'block-sends':
      f.block = cmd.pattern === '' ? undefined : cmd.regex ? { re: new RegExpCtor(cmd.pattern) } : { text: cmd.pattern };
      return {};
    case 'send':
      return send(r, cmd);
  }
}
