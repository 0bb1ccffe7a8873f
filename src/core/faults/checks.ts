// The pure checks of fault commands (commands.ts), with no schema library: the page hook imports
// this module alone, so its bundle stays free of valibot (hook.iife.ts says why it must stay small
// and use only built-ins it saved).
/** The members of a command (commands.ts FaultCommand) that the checks read. */
export type CheckedCommand =
  | { op: 'close'; code: number; reason: string }
  | { op: 'fail-next'; url: string; as: 'before-open' | 'after-open'; code?: number; reason?: string }
  | { op: 'block-sends'; pattern: string; regex: boolean }
  | { op: 'send'; data: string; bin: boolean }
  | { op: 'drop' | 'silence' | 'delay' | 'drop-next' | 'clear' };

/** The close code the real socket gets when the page is shown a fault instead (private range, RFC 6455 §7.4.2). */
export const INJECTED_CLOSE_CODE = 4999;
/** …and its reason: what a server's log shows. */
export const INJECTED_CLOSE_REASON = 'Socket Autopsy: injected fault';

/** Bytes of one injected message at most (text as UTF-8, binary decoded). */
export const INJECT_MAX_BYTES = 1024 * 1024;
/** Longest silence, delay or hold, ms. */
export const INJECT_MAX_MS = 10 * 60_000;
/** Longest send-blocking pattern, characters; it is matched against at most BLOCK_MATCH_CHARS of each send. */
export const BLOCK_PATTERN_MAX = 256;
export const BLOCK_MATCH_CHARS = 4096;
/** Attempts one fail-next rule may fail. */
export const FAIL_NEXT_MAX = 100;

/** Why a command cannot be applied as given; undefined when it can. Pure, shared by the panel (before sending) and the hook. */
export function faultProblem(cmd: CheckedCommand): string | undefined {
  switch (cmd.op) {
    case 'close':
      return closeProblem(cmd.code, cmd.reason);
    case 'fail-next':
      if (!/^wss?:\/\//i.test(cmd.url)) return 'the endpoint must be a ws:// or wss:// URL';
      if (cmd.as === 'after-open') return closeProblem(cmd.code ?? 1011, cmd.reason ?? '');
      return undefined;
    case 'block-sends':
      return cmd.regex ? regexProblem(cmd.pattern) : cmd.pattern.length > BLOCK_PATTERN_MAX ? `a pattern is at most ${BLOCK_PATTERN_MAX} characters` : undefined;
    case 'send': {
      const bytes = cmd.bin ? Math.floor((cmd.data.replace(/=+$/, '').length * 3) / 4) : utf8Bytes(cmd.data);
      if (bytes > INJECT_MAX_BYTES) return `an injected message is at most ${INJECT_MAX_BYTES / 1024 / 1024} MiB (this one is ${(bytes / 1024 / 1024).toFixed(1)} MiB)`;
      if (cmd.bin && !/^[A-Za-z0-9+/]*={0,2}$/.test(cmd.data)) return 'binary data must be base64';
      return undefined;
    }
    default:
      return undefined;
  }
}

/**
 * A code a server may send in a close frame: 1000–1003, 1007–1014, 3000–4999. Not 1004–1006 and
 * 1015, which must never be on the wire (RFC 6455 §7.4.1: "MUST NOT be set as a status code in a
 * Close control frame"), nor 2000–2999 (reserved for extensions, none registered). The reason is
 * at most 123 bytes of UTF-8 (§5.5: a control frame's payload is at most 125 bytes, 2 of them the code).
 */
export function closeProblem(code: number, reason: string): string | undefined {
  const ok = Number.isInteger(code) && ((code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999));
  if (!ok) return `${code} is not a code a server can send (1000–1003, 1007–1014, 3000–4999; 1005, 1006 and 1015 never travel in a close frame)`;
  const bytes = utf8Bytes(reason);
  if (bytes > 123) return `a close reason is at most 123 bytes of UTF-8 (this one is ${bytes})`;
  return undefined;
}

/**
 * Whether a send-blocking regex is safe to run on every send: it must compile, stay short, and
 * have no quantified group that itself contains a quantifier (the shape of catastrophic
 * backtracking, e.g. `(a+)+`, `(a|aa)*`: "star height" above one). Matched against at most
 * BLOCK_MATCH_CHARS of each send, its time is bounded.
 */
export function regexProblem(pattern: string): string | undefined {
  if (pattern.length > BLOCK_PATTERN_MAX) return `a pattern is at most ${BLOCK_PATTERN_MAX} characters`;
  try {
    new RegExp(pattern);
  } catch (err) {
    return `not a valid regular expression: ${String((err as Error).message ?? err).slice(0, 200)}`;
  }
  if (nestedQuantifier(pattern)) return 'a quantified group that contains a quantifier or an alternation (like (a+)+ or (a|aa)*) can take exponential time; simplify the pattern';
  if (/\\[1-9]/.test(pattern)) return 'back-references are not allowed in a blocking pattern';
  return undefined;
}

/** A group that contains a quantifier or an alternation, followed by a quantifier. */
function nestedQuantifier(p: string): boolean {
  const stack: Array<{ inner: boolean }> = [];
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '[') {
      // A class: skip to its end; quantifiers inside mean nothing.
      for (i++; i < p.length && p[i] !== ']'; i++) if (p[i] === '\\') i++;
      continue;
    }
    if (c === '(') stack.push({ inner: false });
    else if (c === ')') {
      const g = stack.pop();
      const next = p[i + 1];
      const quantified = next === '*' || next === '+' || next === '?' || next === '{';
      if (g?.inner && quantified && next !== '?') return true;
      if (stack.length && (g?.inner || quantified)) stack[stack.length - 1]!.inner = true;
    } else if ((c === '*' || c === '+' || c === '{' || c === '|') && stack.length) stack[stack.length - 1]!.inner = true;
  }
  return false;
}

function utf8Bytes(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
