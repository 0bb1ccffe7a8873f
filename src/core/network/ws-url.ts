// One spelling for a WebSocket URL. The page, the network layer and a HAR file each write a
// socket's URL their own way (case, default port, http(s) for ws(s), user info), and both the
// matching of observations to sockets (net-match.ts) and a CSP report's blocked URL
// (session/csp.ts) compare URLs as the browser would.

/** Scheme and host lower-cased, default port and fragment dropped: how both sides may spell one URL. */
export function normalizeWsUrl(url: string): string {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)([^#]*)/.exec(url.trim());
  if (!m) return url.trim();
  const scheme = m[1]!.toLowerCase();
  let host = m[2]!.toLowerCase();
  const at = host.lastIndexOf('@');
  if (at >= 0) host = host.slice(at + 1);
  if ((scheme === 'ws' || scheme === 'http') && host.endsWith(':80')) host = host.slice(0, -3);
  if ((scheme === 'wss' || scheme === 'https') && host.endsWith(':443')) host = host.slice(0, -4);
  const ws = scheme === 'http' ? 'ws' : scheme === 'https' ? 'wss' : scheme;
  return `${ws}://${host}${m[3] || '/'}`;
}
