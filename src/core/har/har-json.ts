// Reading an untrusted JSON file without letting it hurt us: size first, nesting depth before
// parsing, the parse error's position turned into line and column, and the keys that could
// reach an object's prototype removed. Pure: runs in the panel, the standalone viewer and the CLI.
import { utf8Length } from '../wire/payload.ts';

/** 256 MiB: a day of busy capture is a few dozen MiB; beyond this the panel would stall. */
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

/**
 * HAR is shallow (our deepest path, log.entries[i]._socketAutopsy.closeCalls[j], is 6 levels;
 * Chrome's async initiator stacks nest `parent` a few dozen deep at most). 128 leaves room for
 * both and still refuses files built to exhaust a recursive consumer.
 */
export const MAX_DEPTH = 128;

/**
 * Keys that name a prototype. JSON.parse itself stores them as plain own properties, but any
 * later merge or `obj[key] = value` copy would walk into Object.prototype, so they never get
 * past the parser.
 */
const DANGEROUS_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export type JsonResult = { ok: true; value: unknown; droppedKeys: string[] } | { ok: false; error: string };

/** Line and column (1-based) of a UTF-16 offset, for messages a person can act on. */
export function lineCol(text: string, pos: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  const end = Math.min(pos, text.length);
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    line++;
    last = i;
  }
  return { line, column: end - last };
}

const where = (text: string, pos: number): string => {
  const { line, column } = lineCol(text, pos);
  return `line ${line}, column ${column} (position ${pos})`;
};

/**
 * Position of the first bracket that opens level `max + 1`, or -1. A linear scan that skips
 * string contents (so brackets inside payloads do not count) and jumps between the
 * interesting characters with indexOf-like regex search rather than looking at every char.
 */
export function tooDeepAt(text: string, max: number): number {
  const re = /["[\]{}]/g;
  let depth = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const ch = m[0];
    if (ch === '"') {
      // Skip to the closing quote: the next quote not escaped by an odd run of backslashes.
      let i = m.index + 1;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q === -1) return -1; // unterminated: JSON.parse reports it with its position
        let bs = 0;
        for (let k = q - 1; k >= 0 && text.charCodeAt(k) === 92; k--) bs++;
        if (bs % 2 === 0) {
          re.lastIndex = q + 1;
          break;
        }
        i = q + 1;
      }
    } else if (ch === '[' || ch === '{') {
      if (++depth > max) return m.index;
    } else {
      depth--;
    }
  }
  return -1;
}

/** Parses JSON text, refusing what would be unsafe or unreadable, with a located message. */
export function parseJson(text: string, opts: { maxBytes?: number; maxDepth?: number } = {}): JsonResult {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  // Every UTF-16 unit is at least one UTF-8 byte, so the length alone decides most files
  // without encoding them; only a file near the limit is measured byte by byte.
  const bytes = text.length > maxBytes ? text.length : text.length * 3 > maxBytes ? utf8Length(text) : text.length;
  if (bytes > maxBytes) return { ok: false, error: `file too large: ${bytes} bytes (limit ${maxBytes} bytes)` };
  if (text.trim() === '') return { ok: false, error: 'not JSON: the file is empty' };

  const deep = tooDeepAt(text, opts.maxDepth ?? MAX_DEPTH);
  if (deep >= 0) {
    return { ok: false, error: `too deeply nested at ${where(text, deep)}: more than ${opts.maxDepth ?? MAX_DEPTH} levels of arrays and objects` };
  }

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    // V8: "… in JSON at position 7" (Node 20) or "… at position 7 (line 1 column 8)" (newer);
    // Firefox: "… at line 1 column 8 of the JSON data". Normalise both to one shape.
    const pos = /position (\d+)/.exec(msg);
    const ff = /at line (\d+) column (\d+)/.exec(msg);
    const what = msg
      .replace(/^JSON\.parse: /, '')
      .replace(/,? ?(in JSON )?at position \d+.*$/, '')
      .replace(/ at line \d+ column \d+ of the JSON data$/, '')
      // V8 quotes a slice of the input ("Unexpected token 'a', "abc" is not valid JSON"): the
      // position we add says where, and the quoted slice may be anything.
      .replace(/, ".*" is not valid JSON$/s, '')
      .replace(/^Unexpected end of JSON input$/, 'unexpected end of the file');
    if (pos) return { ok: false, error: `not JSON: ${what} at ${where(text, Number(pos[1]))}` };
    if (ff) return { ok: false, error: `not JSON: ${what} at line ${ff[1]}, column ${ff[2]}` };
    // Some messages carry no position: find it ourselves (only on this failure path).
    const at = syntaxErrorAt(text);
    return { ok: false, error: `not JSON: ${what} at ${where(text, at)}` };
  }

  const droppedKeys: string[] = [];
  // The walk costs a full pass over the tree; a file whose text cannot spell a dangerous key
  // (not even through a \u escape) does not need it.
  if (text.includes('__proto__') || text.includes('constructor') || text.includes('prototype') || text.includes('\\u')) {
    stripDangerousKeys(value, droppedKeys);
  }
  return { ok: true, value, droppedKeys };
}

/** Deletes prototype-naming keys everywhere in a parsed tree; iterative, so depth cannot overflow the stack. */
function stripDangerousKeys(root: unknown, dropped: string[]): void {
  const stack: Array<{ v: unknown; path: string }> = [{ v: root, path: '' }];
  while (stack.length > 0) {
    const { v, path } = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) if (typeof v[i] === 'object' && v[i] !== null) stack.push({ v: v[i], path: `${path}[${i}]` });
      continue;
    }
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      const child = `${path ? path + '.' : ''}${k}`;
      if (DANGEROUS_KEYS.has(k)) {
        delete o[k];
        dropped.push(child);
        continue;
      }
      const c = o[k];
      if (typeof c === 'object' && c !== null) stack.push({ v: c, path: child });
    }
  }
}

/**
 * Offset of the first JSON syntax error (RFC 8259 grammar), for engines whose message has no
 * position. Recursion is safe: tooDeepAt has bounded the nesting before JSON.parse ran.
 */
export function syntaxErrorAt(text: string): number {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const lit = (word: string): void => {
    for (const ch of word) {
      if (text[i] !== ch) fail();
      i++;
    }
  };
  const str = (): void => {
    if (text[i] !== '"') fail();
    i++;
    for (;;) {
      if (i >= text.length) fail();
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return;
      }
      if (c < 0x20) fail();
      if (c === 92) {
        i++;
        const e = text[i];
        if (e === 'u') {
          for (let k = 1; k <= 4; k++) if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) { i += k; fail(); }
          i += 5;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i++;
        else fail();
      } else i++;
    }
  };
  const num = (): void => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail();
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        str();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return;
        } else fail();
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return;
        } else fail();
      }
    } else if (c === '"') str();
    else if (c === 't') lit('true');
    else if (c === 'f') lit('false');
    else if (c === 'n') lit('null');
    else num();
  };
  try {
    value();
    ws();
    return i < text.length ? i : text.length;
  } catch (at) {
    return typeof at === 'number' ? Math.min(at, text.length) : 0;
  }
}

/** A JSON object (not null, not an array): what a field must be before its keys are read. */
export const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
