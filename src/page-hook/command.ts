// Fault commands from the relay (core/wire/channel.ts `command`), and only from it.
//
// The relay makes a random token and gives it as the detail of its `ready` events until the hook
// has spoken (relay.iife.ts); the hook keeps the detail of the FIRST `ready` it hears and acts only
// on a command carrying it. Both run at document_start, before any script of the page, and the
// first `ready` reaches the hook inside that time (the relay's own first dispatch, or its answer to
// the hook's `hello`), so the page never sees it, and a `ready` it forges later changes nothing.
// A command event is stopped by our listener, capturing on the window and added before the page
// could add one, so no page listener reads a real command (nor its token) either.
//
// What a page can and cannot forge:
// - document.open() erases every listener of the window (HTML, "document open steps"), ours
//   included; they are added again when the native open() returns (reattach.ts), before any page
//   code runs, so ours still come first. The token stays in this closure and the relay never
//   gives it again (it has heard the hook), so a page's `hello` after it gets a `ready` with none.
// - A same-origin child frame the parent's hook wrapped (frames.ts) has no hook of its own
//   listening for commands: its sockets are the parent document's, commanded through the
//   parent's relay. The child's relay may hand its token to a parent page that listens on the
//   child window before the child's relay started, but no hook acts on commands there.
// - A child document with its own hook is covered like a top document, provided the parent page
//   cannot script the new document before its document_start scripts run; a parent that could
//   (a browser that let it) could forge that child's first `ready` and so command its sockets.
//   It can never command another document's, nor the top document's.
// - Anything else (guessed tokens, overwritten dispatchEvent, CustomEvent, JSON.parse or
//   Object.prototype getters) meets built-ins saved before the page ran and own-property reads.
import { faultProblem } from '../core/faults/checks.ts';
import type { FaultCommand, FaultOp } from '../core/faults/commands.ts';
import type { HookEvent } from '../core/wire/protocol.ts';
import { channelFor } from '../core/wire/channel.ts';
import { addListener, apply, ceDetail, hasOwn, NOARGS, parseJson, perfNow, stopImmediate, strSlice } from './builtins.ts';
import { emit } from './emit.ts';
import { applyCommand } from './apply.ts';
import { keep } from './reattach.ts';

const channel = channelFor(__SA_CHANNEL__);
/** Longest command text: a 1 MiB message, base64 or JSON-escaped, with room to spare. */
const COMMAND_MAX_CHARS = 8 * 1024 * 1024;
const OPS: Record<string, true> = { drop: true, close: true, silence: true, delay: true, 'drop-next': true, 'block-sends': true, 'fail-next': true, send: true, clear: true };

/** The first `ready`'s token; '' when it had none (then no command is ever accepted). */
let token: string | undefined;

const own = (o: object, k: string): unknown => (apply(hasOwn, o, [k]) ? (o as Record<string, unknown>)[k] : undefined);
const cut = (s: string, max: number): string => (s.length > max ? (apply(strSlice, s, [0, max]) as string) : s);
const isInt = (x: unknown, min: number, max: number): x is number => typeof x === 'number' && x % 1 === 0 && x >= min && x <= max;

/** A command checked by hand with the schema's rules (FaultCommandSchema), or why it is not one. */
export function checkCommand(raw: unknown): FaultCommand | string {
  if (typeof raw !== 'object' || raw === null) return 'not a command';
  const op = own(raw, 'op');
  if (typeof op !== 'string' || own(OPS, op) !== true) return 'unknown operation';
  const sid = own(raw, 'sid');
  const needSid = op !== 'fail-next' && op !== 'clear';
  if ((needSid || sid !== undefined) && !isInt(sid, 0, 2 ** 53)) return 'no socket named';
  const s = sid as number;
  const str = (k: string, max = Infinity): string | undefined => {
    const v = own(raw, k);
    return typeof v === 'string' && v.length <= max ? v : undefined;
  };
  const num = (k: string, min: number, max: number): number | undefined => {
    const v = own(raw, k);
    return isInt(v, min, max) ? v : undefined;
  };
  switch (op) {
    case 'drop':
      return { op, sid: s };
    case 'close': {
      const code = own(raw, 'code');
      const reason = str('reason');
      if (typeof code !== 'number' || reason === undefined) return 'a close needs a code and a reason';
      return { op, sid: s, code, reason };
    }
    case 'silence': {
      const ms = num('ms', 1, 10 * 60_000);
      const mode = own(raw, 'mode');
      if (ms === undefined || (mode !== 'hold' && mode !== 'drop')) return 'a silence needs a duration (1 ms to 10 min) and a mode';
      return { op, sid: s, ms, mode };
    }
    case 'delay': {
      const ms = num('ms', 0, 10 * 60_000);
      return ms === undefined ? 'a delay is 0 ms to 10 min' : { op, sid: s, ms };
    }
    case 'drop-next': {
      const n = num('n', 1, 1_000_000);
      return n === undefined ? 'drop-next needs a count from 1 to 1,000,000' : { op, sid: s, n };
    }
    case 'block-sends': {
      const pattern = str('pattern');
      const regex = own(raw, 'regex');
      if (pattern === undefined || typeof regex !== 'boolean') return 'block-sends needs a pattern';
      return { op, sid: s, pattern, regex };
    }
    case 'fail-next': {
      const url = str('url', 8192);
      const n = num('n', 0, 100);
      const as = own(raw, 'as');
      const code = own(raw, 'code');
      const reason = own(raw, 'reason');
      if (url === undefined || n === undefined || (as !== 'before-open' && as !== 'after-open')) return 'fail-next needs an endpoint, a count (0 to 100) and how to fail';
      if ((code !== undefined && typeof code !== 'number') || (reason !== undefined && typeof reason !== 'string')) return 'fail-next: bad code or reason';
      const cmd: FaultCommand = { op, url, n, as };
      if (code !== undefined) cmd.code = code;
      if (reason !== undefined) cmd.reason = reason;
      return cmd;
    }
    case 'send': {
      const dir = own(raw, 'dir');
      const data = str('data');
      const bin = own(raw, 'bin');
      if ((dir !== 'in' && dir !== 'out') || data === undefined || typeof bin !== 'boolean') return 'send needs a direction and data';
      return { op, sid: s, dir, data, bin };
    }
    default:
      return sid === undefined ? { op: 'clear' } : { op: 'clear', sid: s };
  }
}

/** The inject event that answers a command: what was asked, and whether it was done. */
export function injectEvent(cmd: FaultCommand, error: string | undefined, size?: number): HookEvent {
  const ev: HookEvent = { k: 'inject', t: perfNow(), op: cmd.op, ok: error === undefined };
  if (error !== undefined) ev.error = cut(error, 512);
  if ('sid' in cmd && cmd.sid !== undefined) ev.sid = cmd.sid;
  switch (cmd.op) {
    case 'close':
      ev.code = cmd.code;
      ev.reason = cut(cmd.reason, 1024);
      break;
    case 'silence':
      ev.ms = cmd.ms;
      ev.mode = cmd.mode;
      break;
    case 'delay':
      ev.ms = cmd.ms;
      break;
    case 'drop-next':
      ev.n = cmd.n;
      break;
    case 'block-sends':
      ev.pattern = cut(cmd.pattern, 256);
      break;
    case 'fail-next':
      ev.url = cmd.url;
      ev.n = cmd.n;
      ev.as = cmd.as;
      if (cmd.as === 'after-open') {
        ev.code = cmd.code ?? 1011;
        ev.reason = cmd.reason ?? '';
      }
      break;
    case 'send':
      ev.dir = cmd.dir;
      if (size !== undefined) ev.size = size;
      break;
  }
  return ev;
}

function onReady(e: Event): void {
  if (token !== undefined) return;
  let d: unknown;
  try {
    d = apply(ceDetail, e, NOARGS);
  } catch {
    d = undefined;
  }
  token = typeof d === 'string' && d.length >= 16 ? d : '';
}

function onCommand(e: Event): void {
  apply(stopImmediate, e, NOARGS);
  if (!token) return;
  let o: unknown;
  try {
    const d: unknown = apply(ceDetail, e, NOARGS);
    if (typeof d !== 'string' || d.length > COMMAND_MAX_CHARS) return;
    o = parseJson(d);
  } catch {
    return;
  }
  if (typeof o !== 'object' || o === null || own(o, 'token') !== token) return;
  const cmd = checkCommand(own(o, 'cmd'));
  // A malformed command from our own relay: the hub checked it with the schema, so this is a
  // bug or a version mismatch; say so rather than drop it silently.
  if (typeof cmd === 'string') {
    const raw = own(o, 'cmd');
    const op = typeof raw === 'object' && raw !== null ? own(raw, 'op') : undefined;
    if (typeof op === 'string' && own(OPS, op) === true) emit({ k: 'inject', t: perfNow(), op: op as FaultOp, ok: false, error: cmd });
    return;
  }
  const problem = faultProblem(cmd);
  if (problem !== undefined) return emit(injectEvent(cmd, problem));
  const { error, size } = applyCommand(cmd);
  emit(injectEvent(cmd, error, size));
}

/** Listens for the relay's token and its commands (before connectRelay says hello). */
export function listenCommands(): void {
  keep(window, () => {
    apply(addListener, window, [channel.ready, onReady, true]);
    apply(addListener, window, [channel.command, onCommand, true]);
  });
}
