// Secrets inside message payloads. A payload is read as what it most likely is, in this order:
// JSON (also a Socket.IO / Engine.IO frame's JSON after its packet prefix, `42["event",{…}]`),
// a form-encoded body (`a=1&token=x`), and else free text (redactText). In JSON, the values of
// fields whose names say secret are replaced at any depth, a secret-named object or array has
// every value under it replaced, and a graphql-ws / subscriptions-transport-ws
// `connection_init` has its whole `payload` replaced (that message exists to carry credentials).
//
// The JSON is rewritten token by token, never parsed and printed again: everything but the
// replaced values stays byte for byte (spacing, key order, number spelling, escapes), and valid
// JSON stays valid JSON. Replacing is idempotent, so that an exported file exported again
// carries the same text.
import { isSecretName, redactParams, redactText, REDACTED } from './redact-url.ts';

/** Strings inside JSON that are JSON again (double-encoded payloads) are read this deep. */
const MAX_NESTED = 2;

/** A text payload with its secrets replaced by `[redacted]` (the same string when it has none). */
export function redactPayload(text: string): string {
  return redactAny(text, 0);
}

function redactAny(text: string, depth: number): string {
  const start = text.trimStart()[0];
  if (start === '{' || start === '[') {
    const json = redactJson(text, depth);
    if (json !== undefined) return json;
  }
  // Socket.IO over Engine.IO: packet type digits, an optional binary-attachment count, namespace
  // and ack id, then the JSON (`0{"sid":…}`, `42["ev",…]`, `451-["ev",…]`, `42/chat,7["ev"]`).
  const sio = /^(\d+-?(?:\/[^,[{]*,)?\d*)([[{][\s\S]*)$/.exec(text);
  if (sio) {
    const json = redactJson(sio[2]!, depth);
    if (json !== undefined) return sio[1]! + json;
  }
  if (/^[^\s=&]+=[^\s&]*(?:&[^\s=&]+=[^\s&]*)*$/.test(text)) return redactParams(text, 'form', []);
  return redactText(text, 'payload').value;
}

interface Frame {
  obj: boolean;
  /** Everything under this container is secret. */
  secret: boolean;
  /** In an object: the next string is a key. */
  expectKey: boolean;
  /** In an object: the value after the last key is secret. */
  valueSecret: boolean;
}

const LITERAL = /-?\d[\d.eE+-]*|true|false|null/y;

function redactJson(text: string, depth: number): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const init = typeof parsed === 'object' && parsed !== null && (parsed as { type?: unknown }).type === 'connection_init';
  const stack: Frame[] = [];
  const secretHere = (): boolean => {
    const top = stack[stack.length - 1];
    return top === undefined ? false : top.obj ? top.valueSecret : top.secret;
  };
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '{' || ch === '[') {
      stack.push({ obj: ch === '{', secret: secretHere(), expectKey: ch === '{', valueSecret: false });
      out += ch;
      i++;
    } else if (ch === '}' || ch === ']') {
      stack.pop();
      out += ch;
      i++;
    } else if (ch === ',' || ch === ':') {
      const top = stack[stack.length - 1];
      if (top?.obj) top.expectKey = ch === ',';
      out += ch;
      i++;
    } else if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const tok = text.slice(i, j + 1);
      i = j + 1;
      const top = stack[stack.length - 1];
      const s = JSON.parse(tok) as string;
      if (top?.obj && top.expectKey) {
        top.valueSecret = top.secret || isSecretName(s) || (init && stack.length === 1 && s === 'payload');
        out += tok;
      } else if (secretHere()) {
        out += `"${REDACTED}"`;
      } else {
        // A JWT, a long token or a URL with a token in an ordinary field, or JSON in a string.
        const r = depth < MAX_NESTED ? redactAny(s, depth + 1) : redactText(s, 'payload').value;
        out += r === s ? tok : JSON.stringify(r);
      }
    } else {
      LITERAL.lastIndex = i;
      const lit = LITERAL.exec(text);
      if (lit) {
        // A secret-named number of 4 characters or more (a PIN, a numeric session id) becomes
        // the string "[redacted]"; a shorter one (`"sid": 1`, a socket's number) is a counter.
        const num = lit[0] !== 'true' && lit[0] !== 'false' && lit[0] !== 'null';
        out += secretHere() && num && lit[0].length >= 4 ? `"${REDACTED}"` : lit[0];
        i += lit[0].length;
      } else {
        out += ch; // whitespace
        i++;
      }
    }
  }
  return out;
}
