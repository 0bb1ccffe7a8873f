// Fault injection, the panel's side, as plain functions: which actions a connection offers and
// why one is off, the dialogs' values turned into commands (with problems in the panel's own
// words, field by field), typed bytes (hex, Base64) into a payload, and pending commands
// matched with the hook's answers (Connection.faults). The command checks themselves are the
// contract's (core/faults/commands.ts): faultProblem() stays the last word before sending.
import { closeProblem, faultProblem, BLOCK_PATTERN_MAX, FAIL_NEXT_MAX, INJECT_MAX_BYTES, INJECT_MAX_MS, regexProblem, type FaultCommand, type FaultOp } from '../../core/faults/commands.ts';
import type { Connection, FaultRecord, MessageRecord } from '../../core/session/connection.ts';
import { base64, fromBase64, utf8Length } from '../../core/wire/payload.ts';
import type { UiKey } from '../i18n.ts';

/** A message in the panel's words: a catalogue key and its parameters. */
export interface Said {
  key: UiKey;
  params?: Record<string, string | number>;
}

/** What the Inject menu offers; the dialogs are the kinds that need values. */
export type FaultAction = 'drop' | 'close' | 'silence' | 'delay' | 'drop-next' | 'block' | 'fail-next' | 'send' | 'clear';
export type DialogKind = Exclude<FaultAction, 'drop' | 'clear'>;
export const FAULT_ACTIONS: readonly FaultAction[] = ['drop', 'close', 'silence', 'delay', 'drop-next', 'block', 'fail-next', 'send', 'clear'];
export const CLOSE_PRESETS: readonly number[] = [1001, 1008, 1011, 1012, 1013, 4000];

/** Where the panel shows data: the live tab, an imported file, or the viewer without a tab. */
export type FaultPlace = 'live' | 'file' | 'viewer';

/** Why an action is off for this connection here, or undefined when it can be used. */
export function actionOff(action: FaultAction, conn: Pick<Connection, 'state' | 'netOnly'>, place: FaultPlace): Said | undefined {
  if (place === 'file') return { key: 'faultOffFile' };
  if (place === 'viewer') return { key: 'faultOffViewer' };
  // A rule for the next attempts, and undoing everything, make sense after the socket ended.
  if (action === 'fail-next' || action === 'clear') return undefined;
  if (conn.netOnly) return { key: 'faultOffNetOnly' };
  if (conn.state === 'closed' || conn.state === 'closing') return { key: 'faultOffClosed' };
  return undefined;
}

/** Why a captured message cannot be sent again as it was, or undefined. */
export function replayOff(m: MessageRecord): Said | undefined {
  return m.data === undefined || m.trunc || m.later ? { key: 'faultOffPayload' } : undefined;
}

export type DataFormat = 'text' | 'hex' | 'base64';

/** The dialogs' values, as typed (strings), with defaults for every field. */
export interface FaultForm {
  code: string;
  reason: string;
  seconds: string;
  mode: 'hold' | 'drop';
  ms: string;
  n: string;
  pattern: string;
  regex: boolean;
  url: string;
  untilOff: boolean;
  as: 'before-open' | 'after-open';
  dir: 'in' | 'out';
  format: DataFormat;
  data: string;
}

export function defaultForm(conn: Pick<Connection, 'url'>): FaultForm {
  return { code: '1011', reason: '', seconds: '10', mode: 'hold', ms: '500', n: '1', pattern: '', regex: false, url: conn.url, untilOff: false, as: 'before-open', dir: 'in', format: 'text', data: '' };
}

/** The form for sending a captured message (replay's editable form): its direction and bytes. */
export function formFor(conn: Pick<Connection, 'url'>, m: MessageRecord, dir: 'in' | 'out'): FaultForm {
  return { ...defaultForm(conn), dir, format: m.bin ? 'base64' : 'text', data: m.data ?? '' };
}

/** Typed data → the payload a command carries (text as is, binary as Base64) and its size in bytes. */
export function payloadOf(format: DataFormat, typed: string): { data: string; bin: boolean; size: number } | { problem: Said } {
  if (format === 'text') return { data: typed, bin: false, size: utf8Length(typed) };
  const compact = typed.replace(/\s+/g, '');
  if (format === 'hex') {
    const hex = compact.replace(/^0x/i, '');
    if (!/^[0-9a-f]*$/i.test(hex) || hex.length % 2) return { problem: { key: 'errHex' } };
    // Sized before decoding: a 10 MB paste is refused without building its bytes.
    if (hex.length / 2 > INJECT_MAX_BYTES) return { problem: tooBig(hex.length / 2) };
    const bytes = new Uint8Array(hex.length / 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
    return { data: base64(bytes), bin: true, size: bytes.length };
  }
  // Base64 and its URL-safe alphabet (RFC 4648 §4, §5); padding is optional when typing.
  const std = compact.replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(std) || std.replace(/=+$/, '').length % 4 === 1) return { problem: { key: 'errBase64' } };
  const bare = std.replace(/=+$/, '');
  const size = Math.floor((bare.length * 3) / 4);
  if (size > INJECT_MAX_BYTES) return { problem: tooBig(size) };
  const padded = bare + '='.repeat((4 - (bare.length % 4)) % 4);
  // Re-encoded from the bytes, so the hook gets canonical Base64 whatever was pasted.
  return { data: base64(fromBase64(padded)), bin: true, size };
}

function tooBig(size: number): Said {
  return { key: 'errTooBig', params: { size: `${(size / 1024 / 1024).toFixed(1)} MiB` } };
}

/** A problem with a field of the form: which field, and what to say under it. */
export interface FieldProblem extends Said {
  field: keyof FaultForm;
}

const int = (s: string): number | undefined => (/^\s*\d+\s*$/.test(s) ? Number(s) : undefined);

/** The command a dialog's values make for connection `sid`, or the first problem with them. */
export function buildFault(kind: DialogKind, f: FaultForm, sid: number): { cmd: FaultCommand } | { problem: FieldProblem } {
  const problem = (field: keyof FaultForm, key: UiKey, params?: Record<string, string | number>) => ({ problem: { field, key, ...(params ? { params } : {}) } });
  const reasonOk = () => (utf8Length(f.reason) > 123 ? problem('reason', 'errReason', { n: utf8Length(f.reason) }) : undefined);
  const codeOf = () => {
    const code = int(f.code);
    if (code === undefined) return problem('code', 'errNumber');
    if (closeProblem(code, '')) return problem('code', 'errCode', { code });
    return code;
  };
  let cmd: FaultCommand;
  switch (kind) {
    case 'close': {
      const code = codeOf();
      if (typeof code !== 'number') return code;
      const r = reasonOk();
      if (r) return r;
      cmd = { op: 'close', sid, code, reason: f.reason };
      break;
    }
    case 'silence': {
      const s = Number(f.seconds.trim());
      const ms = Math.round(s * 1000);
      if (!f.seconds.trim() || !Number.isFinite(s) || ms < 1 || ms > INJECT_MAX_MS) return problem('seconds', 'errSeconds', { max: INJECT_MAX_MS / 1000 });
      cmd = { op: 'silence', sid, ms, mode: f.mode };
      break;
    }
    case 'delay': {
      const ms = int(f.ms);
      if (ms === undefined || ms > INJECT_MAX_MS) return problem('ms', 'errMs', { max: INJECT_MAX_MS });
      cmd = { op: 'delay', sid, ms };
      break;
    }
    case 'drop-next': {
      const n = int(f.n);
      if (n === undefined || n < 1 || n > 1_000_000) return problem('n', 'errCount', { max: 1_000_000 });
      cmd = { op: 'drop-next', sid, n };
      break;
    }
    case 'block': {
      const p = patternProblem(f.pattern, f.regex);
      if (p) return { problem: { field: 'pattern', ...p } };
      cmd = { op: 'block-sends', sid, pattern: f.pattern, regex: f.regex };
      break;
    }
    case 'fail-next': {
      if (!/^wss?:\/\/\S+$/i.test(f.url.trim())) return problem('url', 'errUrl');
      const n = f.untilOff ? 0 : int(f.n);
      if (n === undefined || (!f.untilOff && (n < 1 || n > FAIL_NEXT_MAX))) return problem('n', 'errAttempts', { max: FAIL_NEXT_MAX });
      if (f.as === 'after-open') {
        const code = codeOf();
        if (typeof code !== 'number') return code;
        const r = reasonOk();
        if (r) return r;
        cmd = { op: 'fail-next', url: f.url.trim(), n, as: 'after-open', code, reason: f.reason };
      } else cmd = { op: 'fail-next', url: f.url.trim(), n, as: 'before-open' };
      break;
    }
    case 'send': {
      const p = payloadOf(f.format, f.data);
      if ('problem' in p) return { problem: { field: 'data', ...p.problem } };
      if (p.size > INJECT_MAX_BYTES) return { problem: { field: 'data', ...tooBig(p.size) } };
      cmd = { op: 'send', sid, dir: f.dir, data: p.data, bin: p.bin };
      break;
    }
  }
  // The contract's own check, in case it knows of a problem the fields above do not.
  const why = faultProblem(cmd);
  return why ? problem('data', 'errProblem', { why }) : { cmd };
}

/** What is wrong with a send-blocking pattern, in the panel's words (regexProblem's cases). */
export function patternProblem(pattern: string, regex: boolean): Said | undefined {
  if (pattern.length > BLOCK_PATTERN_MAX) return { key: 'errPatternLong', params: { max: BLOCK_PATTERN_MAX } };
  if (!regex) return undefined;
  const why = regexProblem(pattern);
  if (!why) return undefined;
  try {
    new RegExp(pattern);
  } catch (err) {
    return { key: 'errRegex', params: { error: String((err as Error).message ?? err).slice(0, 200) } };
  }
  return /back-reference/.test(why) ? { key: 'errRegexBackref' } : { key: 'errRegexSlow' };
}

/** A fault as a short phrase: the menu's tooltip on a timeline marker, a line of the Injected list. */
export function faultPhrase(f: Pick<FaultRecord, 'op' | 'code' | 'ms' | 'n' | 'mode' | 'dir' | 'pattern' | 'size' | 'url' | 'as'>): Said {
  switch (f.op) {
    case 'drop':
      return { key: 'opDrop' };
    case 'close':
      return { key: 'opClose', params: { code: f.code ?? '' } };
    case 'silence':
      return { key: f.mode === 'drop' ? 'opSilenceDrop' : 'opSilenceHold', params: { s: (f.ms ?? 0) / 1000 } };
    case 'delay':
      return f.ms ? { key: 'opDelay', params: { ms: f.ms } } : { key: 'opDelayOff' };
    case 'drop-next':
      return { key: 'opDropNext', params: { n: f.n ?? 0 } };
    case 'block-sends':
      return f.pattern ? { key: 'opBlock', params: { pattern: f.pattern } } : { key: 'opBlockOff' };
    case 'fail-next':
      return { key: f.n ? 'opFailNext' : 'opFailUntil', params: { n: f.n ?? 0, url: f.url ?? '' } };
    case 'send':
      return { key: f.dir === 'out' ? 'opSendOut' : 'opSendIn', params: { size: f.size ?? 0 } };
    case 'clear':
      return { key: 'opClear' };
  }
}

/** The phrase of a command (not yet answered): the same words as its answer will have. */
export function commandPhrase(cmd: FaultCommand): Said {
  const rec: Parameters<typeof faultPhrase>[0] = { ...cmd, op: cmd.op } as Parameters<typeof faultPhrase>[0];
  if (cmd.op === 'send') rec.size = cmd.bin ? Math.floor((cmd.data.replace(/=+$/, '').length * 3) / 4) : utf8Length(cmd.data);
  return faultPhrase(rec);
}

/** A command sent to the hook and what became of it. */
export interface PendingFault {
  id: number;
  doc: string;
  /** Absent for document-wide commands (fail-next, clear without a socket). */
  sid?: number;
  op: FaultOp;
  what: Said;
  sentAt: number;
  state: 'pending' | 'ok' | 'refused' | 'timeout';
  error?: string;
}

/**
 * Settles pending commands with the hook's answers: the first answer of the same op on the same
 * connection (any connection of the document for a document-wide command) recorded after it was
 * sent, each answer claimed once. `slackMs` allows for the page's and the panel's clocks
 * differing by a little (both are the machine's wall clock, read in different processes).
 */
export function settle(
  pending: PendingFault[],
  connections: Iterable<Connection>,
  claimed: WeakSet<FaultRecord>,
  slackMs = 1000,
  docFaults: readonly (FaultRecord & { doc: string })[] = [],
): boolean {
  let changed = false;
  const open = pending.filter((p) => p.state === 'pending');
  if (!open.length) return false;
  // Document-wide answers (fail-next rules, clear all) are kept on the session, not on a connection.
  for (const p of open) {
    if (p.sid !== undefined) continue;
    const r = docFaults.find((f) => !claimed.has(f) && f.doc === p.doc && f.op === p.op && f.at >= p.sentAt - slackMs);
    if (!r) continue;
    claimed.add(r);
    p.state = r.ok ? 'ok' : 'refused';
    if (r.error) p.error = r.error;
    changed = true;
  }
  for (const c of connections) {
    if (!c.faults?.length) continue;
    for (const p of open) {
      if (p.state !== 'pending' || p.doc !== c.doc || (p.sid !== undefined && p.sid !== c.sid)) continue;
      const r = c.faults.find((f) => !claimed.has(f) && f.op === p.op && f.at >= p.sentAt - slackMs);
      if (!r) continue;
      claimed.add(r);
      p.state = r.ok ? 'ok' : 'refused';
      if (r.error) p.error = r.error;
      changed = true;
    }
  }
  return changed;
}
