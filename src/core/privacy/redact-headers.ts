// Secrets in HTTP header values (the handshake headers the network observation kept, and those
// of an imported HAR). The capture already reduces Cookie and Authorization (net.ts
// pickHeaders); this is the same rule again at the export, so that a value that reached a
// session some other way never leaves the machine either.
import { isSecretName, redactProtocols, redactText, REDACTED, type Redacted } from './redact-url.ts';

export function redactHeader(name: string, value: string, where: string): Redacted<string> {
  const lower = name.toLowerCase();
  if (lower === 'cookie') {
    // What the capture writes ("[redacted: 2 cookies]") stays: the count is the useful fact.
    if (value.startsWith('[redacted')) return { value, what: [where] };
    const n = value.split(';').filter((p) => p.trim()).length;
    return { value: `[redacted: ${n} cookie${n === 1 ? '' : 's'}]`, what: [where] };
  }
  if (lower === 'authorization' || lower === 'proxy-authorization') {
    // The scheme says which kind of credential was sent (Basic, Bearer…), not what it was.
    const scheme = /^\s*([A-Za-z-]+)\s/.exec(value)?.[1];
    return { value: scheme ? `${scheme} ${REDACTED}` : REDACTED, what: [where] };
  }
  if (lower === 'set-cookie' || lower === 'set-cookie2') {
    // The cookie's name and attributes (SameSite, Secure, Path) explain handshakes; its value never.
    return { value: value.replace(/^([^=;]*=)[^;]*/, `$1${REDACTED}`), what: [where] };
  }
  if (lower === 'sec-websocket-protocol') {
    const list = value.split(',').map((p) => p.trim());
    const r = redactProtocols(list);
    const same = r.value.join(', ') === list.join(', ');
    return { value: same ? value : r.value.join(', '), what: r.what.map((w) => `${where}:${w}`) };
  }
  // X-Api-Key, X-Auth-Token, X-CSRF-Token…
  if (isSecretName(lower)) return { value: REDACTED, what: [where] };
  return redactText(value, where);
}
