// Redaction of secrets before a session leaves the machine (bug attachments, CI artifacts).
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
]);

/** Endings of a run-together name (`accesstoken`, `xapikey`, `clientsecret`). */
const SECRET_SUFFIXES = ['token', 'secret', 'password', 'passwd', 'signature', 'apikey', 'sessionid', 'jwt', 'credential', 'credentials'];

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

/** Redacts the `name=value` pairs of a query (or fragment) string. */
function redactParams(params: string, where: string, what: string[]): string {
  return params
    .split('&')
    .map((p) => {
      const eq = p.indexOf('=');
      if (eq < 0) return p;
      const name = decode(p.slice(0, eq));
      const value = decode(p.slice(eq + 1));
      if (value === '') return p;
      if (isRedacted(value) || isSecretName(name) || looksLikeJwt(value)) {
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
  out += path;
  if (query !== undefined) out += `?${redactParams(query, 'query', what)}`;
  // OAuth implicit flows put access_token in the fragment.
  if (fragment !== undefined) out += `#${fragment.includes('=') ? redactParams(fragment, 'fragment', what) : fragment}`;
  return { value: out, what };
}

/** Redacts secret parameters of the URLs inside free text (stack traces, error messages). */
export function redactText(text: string, where: string): Redacted<string> {
  const what: string[] = [];
  // Values stop at ':' so that a stack frame's ":line:column" suffix survives.
  const value = text
    .replace(/([?&#])([^=&\s#?()'"<>]+)=([^&\s#()'"<>:]*)/g, (all, sep: string, name: string, v: string) => {
      const n = decode(name);
      const val = decode(v);
      if (val === '' || !(isRedacted(val) || isSecretName(n) || looksLikeJwt(val))) return all;
      what.push(`${where}:query:${n}`);
      return `${sep}${name}=${REDACTED}`;
    })
    .replace(new RegExp(JWT.source, 'g'), REDACTED);
  // Bare tokens (not a parameter value), counted after the fact so that a second pass over
  // already redacted text reports the same list.
  const bare = value.match(/(?:^|[^=])\[redacted\]/g)?.length ?? 0;
  for (let i = 0; i < bare; i++) what.push(`${where}:jwt`);
  return { value, what };
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
