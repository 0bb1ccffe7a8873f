// Secrets in URLs, subprotocols and free text (stacks, error messages, close reasons, header
// values, diagnosis texts). Part of the one redaction module (redact.ts explains the whole).
//
// What a page hook sees that can carry a credential: the socket URL (tokens in the query are
// the norm for WebSockets, because the browser API cannot set an Authorization header), user
// info in that URL, subprotocol lists (the other header a page *can* set, used to smuggle
// bearer tokens, e.g. Kubernetes' `base64url.bearer.authorization.k8s.io.<token>`), and URLs
// inside stacks and error messages. Handshake headers come from the network layer, not the
// hook: net.ts pickHeaders keeps only the ones that explain a handshake and replaces Cookie and
// Authorization before they are stored; the exporter runs redactText over the other values
// (a token in Origin or Location) and redactProtocols over Sec-WebSocket-Protocol.
//
// Redaction is idempotent and self-describing: a value that already reads `[redacted]` counts
// as redacted again, so export → import → export lists the same things (exact round trip).
// String operations only, no `URL`: src/core has no host APIs.

export const REDACTED = '[redacted]';

/** Words that make a parameter name secret when they are the name or one of its parts. */
const SECRET_PARTS: ReadonlySet<string> = new Set([
  'token',
  'auth',
  'authorization',
  'bearer',
  'key',
  'apikey',
  'sig',
  'signature',
  'password',
  'passwd',
  'pwd',
  'secret',
  'jwt',
  'session',
  'sessionid',
  'sid',
  'ticket',
  'credential',
  'credentials',
  'otp',
  'hmac',
  'cookie',
  'cookies',
  'passphrase',
]);

/** Endings of a run-together name (`accesstoken`, `xapikey`, `clientsecret`). */
const SECRET_SUFFIXES = ['token', 'secret', 'password', 'passwd', 'signature', 'apikey', 'sessionid', 'jwt', 'credential', 'credentials', 'cookie'];

/** True for names like token, access_token, authToken, X-Amz-Signature, api-key, sessionId. */
export function isSecretName(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  if (words.some((w) => SECRET_PARTS.has(w))) return true;
  const flat = words.join('');
  return SECRET_PARTS.has(flat) || SECRET_SUFFIXES.some((s) => flat.endsWith(s));
}

/** A JSON Web Token: base64url header that starts `{"` (eyJ), payload, signature (RFC 7519 §3). */
const JWT = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/;

export function looksLikeJwt(value: string): boolean {
  return JWT.test(value);
}

const isRedacted = (value: string): boolean => value === REDACTED;

/**
 * A long opaque value: at least 32 characters of base64/base64url/hex with letters and digits
 * mixed the way generated secrets are (API keys, session ids, signatures, hashes). Words,
 * identifiers and paths rarely are: a value with a slash needs upper and lower case and digits
 * (base64), one without needs three digits or both cases. UUIDs are ids to match against server
 * logs, not secrets by their shape: they are kept (a UUID under a secret name is still redacted).
 */
export function looksLikeToken(s: string): boolean {
  if (s.length < 32 || !/^[A-Za-z0-9+/=_-]+$/.test(s)) return false;
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s)) return false;
  const digits = s.replace(/[^0-9]/g, '').length;
  const upper = /[A-Z]/.test(s);
  const lower = /[a-z]/.test(s);
  if (s.includes('/')) return upper && lower && digits > 0;
  return (upper || lower) && digits > 0 && (digits >= 3 || (upper && lower));
}

const LONG = /(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/=_-]{32,}(?![A-Za-z0-9+/=_-])/g;

/**
 * `name: value` / `name=value` / `"name": "value"` in text, where the name says secret
 * (`password=hunter2`, `Authorization: Bearer abc`, a cut JSON payload's `"token":"abc"`). An
 * auth scheme before the value is kept; a value already `[redacted]` matches again, so that a
 * second pass lists the same things.
 */
const FIELD =
  /(?<![A-Za-z0-9_.?&#-])(["']?)([A-Za-z][A-Za-z0-9_.-]*)\1([ \t]*[:=][ \t]*)((?:Bearer|Basic|Digest|Token|JWT)[ \t]+)?("(?:[^"\\\n]|\\.)*(?:"|$)|'[^'\n]*'|\[redacted\]|[^\s,;&"'`()<>[\]{}]+)/gi;

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s; // a lone % is not an error worth failing an export for
  }
}

export interface Redacted<T> {
  value: T;
  /** What was redacted, e.g. `query:token`, `userinfo`, `protocols[1]`, `stack:query:sig`. */
  what: string[];
}

/** Redacts the `name=value` pairs of a query (or fragment, or form-encoded body) string. */
export function redactParams(params: string, where: string, what: string[]): string {
  return params
    .split('&')
    .map((p) => {
      const eq = p.indexOf('=');
      if (eq < 0) return p;
      const name = decode(p.slice(0, eq));
      const value = decode(p.slice(eq + 1));
      if (value === '') return p;
      if (isRedacted(value) || isSecretName(name) || looksLikeJwt(value) || looksLikeToken(value)) {
        what.push(`${where}:${name}`);
        return `${p.slice(0, eq)}=${REDACTED}`;
      }
      return p;
    })
    .join('&');
}

/** Redacts secret query/fragment parameters and the password (or token) in the user info. */
export function redactUrl(url: string): Redacted<string> {
  const what: string[] = [];
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*@)?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/is.exec(url);
  if (!m) {
    // Not absolute (a constructor that threw on a relative URL): still redact its query.
    const q = url.indexOf('?');
    if (q < 0) return { value: url, what };
    const hash = url.indexOf('#', q);
    const query = hash < 0 ? url.slice(q + 1) : url.slice(q + 1, hash);
    const rest = hash < 0 ? '' : url.slice(hash);
    return { value: `${url.slice(0, q + 1)}${redactParams(query, 'query', what)}${rest}`, what };
  }
  const [, scheme = '', userinfo, path = '', query, fragment] = m;
  let out = scheme;
  if (userinfo !== undefined) {
    const info = userinfo.slice(0, -1);
    const colon = info.indexOf(':');
    // user:password@ keeps the user; a lone user part is as often a token as a name.
    const red = colon >= 0 ? `${info.slice(0, colon)}:${REDACTED}` : REDACTED;
    if (info !== '') what.push('userinfo');
    out += info === '' ? '@' : `${red}@`;
  }
  // A token as a path segment (`/socket/<jwt>`): the route around it stays.
  out += path
    .split('/')
    .map((seg) => {
      if (seg === '' || !(isRedacted(seg) || looksLikeJwt(seg) || looksLikeToken(decode(seg)))) return seg;
      what.push('path');
      return REDACTED;
    })
    .join('/');
  if (query !== undefined) out += `?${redactParams(query, 'query', what)}`;
  // OAuth implicit flows put access_token in the fragment.
  if (fragment !== undefined) out += `#${fragment.includes('=') ? redactParams(fragment, 'fragment', what) : fragment}`;
  return { value: out, what };
}

/**
 * Redacts free text (stack traces, error messages, close reasons, header values, diagnosis
 * texts): secret parameters of the URLs in it, `name: value` pairs whose name says secret,
 * JWTs, and long opaque tokens (looksLikeToken).
 */
export function redactText(text: string, where: string): Redacted<string> {
  const what: string[] = [];
  let listed = 0;
  // Values stop at ':' so that a stack frame's ":line:column" suffix survives.
  const value = text
    .replace(/([?&#])([^=&\s#?()'"<>]+)=([^&\s#()'"<>:]*)/g, (all, sep: string, name: string, v: string) => {
      const n = decode(name);
      const val = decode(v);
      if (val === '' || !(isRedacted(val) || isSecretName(n) || looksLikeJwt(val) || looksLikeToken(val))) return all;
      what.push(`${where}:query:${n}`);
      listed++;
      return `${sep}${name}=${REDACTED}`;
    });
  const fields = redactFields(value, where, what);
  listed += fields.listed;
  const out = fields.value
    .replace(new RegExp(JWT.source, 'g'), REDACTED)
    .replace(LONG, (t) => (looksLikeToken(t) ? REDACTED : t));
  // Bare tokens (not a parameter or field value), counted after the fact so that a second pass
  // over already redacted text reports the same list.
  const bare = out.split(REDACTED).length - 1 - listed;
  for (let i = 0; i < bare; i++) what.push(`${where}:token`);
  return { value: out, what };
}

/**
 * FIELD over a text. A pair whose name is not secret is not consumed whole: its quoted value
 * can hold a secret pair of its own (`Close reason: "bye; token=abc"`), so the search goes on
 * right after the name.
 */
function redactFields(text: string, where: string, what: string[]): { value: string; listed: number } {
  let out = '';
  let from = 0;
  let listed = 0;
  FIELD.lastIndex = 0;
  for (let m = FIELD.exec(text); m; m = FIELD.exec(text)) {
    const [all, q = '', name = '', sep = '', scheme = '', v = ''] = m;
    if (!isSecretName(name)) {
      FIELD.lastIndex = m.index + q.length + name.length;
      continue;
    }
    what.push(`${where}:field:${name}`);
    listed++;
    const quote = v[0] === '"' || v[0] === "'" ? v[0] : '';
    out += `${text.slice(from, m.index)}${q}${name}${q}${sep}${scheme}${quote}${REDACTED}${quote}`;
    from = m.index + all.length;
  }
  return { value: out + text.slice(from), listed };
}

const K8S_BEARER = /^(base64url\.bearer\.authorization\.k8s\.io\.)(.+)$/;

/** Subprotocol entries used as the *name* before a token (`new WebSocket(url, ['access_token', token])`). */
const TOKEN_LABELS: ReadonlySet<string> = new Set(['accesstoken', 'authorization', 'auth', 'authtoken', 'bearer', 'token', 'jwt', 'apikey', 'idtoken', 'xauthtoken', 'sessiontoken']);
const isTokenLabel = (p: string): boolean => TOKEN_LABELS.has(p.toLowerCase().replace(/[^a-z0-9]/g, ''));

/**
 * Subprotocol lists: a JWT-looking entry, the token part of Kubernetes' bearer subprotocol,
 * and the entry right after a token label (`['access_token', '<token>']`, a common way to pass
 * a token because a page cannot set the Authorization header).
 */
export function redactProtocols(protocols: readonly string[]): Redacted<string[]> {
  const what: string[] = [];
  let afterLabel = false;
  const value = protocols.map((p, i) => {
    const wasAfterLabel = afterLabel;
    afterLabel = false;
    const k8s = K8S_BEARER.exec(p);
    if (k8s) {
      what.push(`protocols[${i}]`);
      return `${k8s[1]}${REDACTED}`;
    }
    if (wasAfterLabel || isRedacted(p) || looksLikeJwt(p)) {
      what.push(`protocols[${i}]`);
      return REDACTED;
    }
    afterLabel = isTokenLabel(p);
    return p;
  });
  return { value, what };
}

/** The negotiated subprotocol: the server echoes one of the requested ones. */
export function redactProtocol(protocol: string, requested: readonly string[], redactedRequested: readonly string[]): Redacted<string> {
  const i = requested.indexOf(protocol);
  const fromList = i >= 0 ? redactedRequested[i] : undefined;
  if (fromList !== undefined && fromList !== protocol) return { value: fromList, what: ['protocol'] };
  const k8s = K8S_BEARER.exec(protocol);
  if (k8s) return { value: `${k8s[1]}${REDACTED}`, what: ['protocol'] };
  if (isRedacted(protocol) || looksLikeJwt(protocol)) return { value: REDACTED, what: ['protocol'] };
  return { value: protocol, what: [] };
}
