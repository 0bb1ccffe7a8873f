// How exportHar writes the parts of an entry that need more than copying: who closed the
// socket, capped payloads, the diagnosis in both languages, the query string, the handshake's
// status and sources, and headers and CSP reports with their secrets redacted.
import type { Diagnosis } from '../diagnosis/diagnose.ts';
import { localize, type Lang, type Text } from '../knowledge/i18n/text.ts';
import { base64, fromBase64, utf8Prefix } from '../wire/payload.ts';
import { redactHeader as redactHeaderValue, redactText, redactUrl } from '../privacy/redact.ts';
import { parseFailureText, type NetHeader, type NetSource, type NetView } from '../network/net.ts';
import type { ClosedBy, ForeignInfo, HarDiagnosis, HarNameValue, HarText } from './har-format.ts';
import type { CloseInfo, Connection, CspViolation, FaultRecord } from '../session/session.ts';
import { connectionEnd, pageCallOf as pageCallOfConn } from '../session/end.ts';

export const ISO = (ms: number): string => {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? new Date(0).toISOString() : d.toISOString();
};

/** The page's first close() call that took effect before the close (the end model's rule). */
export const pageCallOf = pageCallOfConn;

/** Who closed it, from the one model of a connection's end (session/end.ts). */
export function closedByOf(c: Connection, close: CloseInfo): ClosedBy {
  const by = connectionEnd(c)?.by;
  // HAR's closedBy predates network-only rows: the browser reported their end.
  if (by === undefined) return close.synthetic ? 'navigation' : 'server';
  return by === 'network-only' ? 'browser' : by;
}

/** The first `cap` bytes of a payload, in the same encoding. */
export function capData(data: string, bin: boolean, cap: number): string {
  if (!bin) return utf8Prefix(data, cap);
  // Whole 3-byte groups are whole 4-char groups; only the tail group needs decoding.
  const whole = Math.floor(cap / 3);
  const head = data.slice(0, whole * 4);
  const rest = cap - whole * 3;
  if (rest === 0) return head;
  try {
    const tail = fromBase64(data.slice(whole * 4, whole * 4 + 4));
    return head + base64(tail, Math.min(rest, tail.length));
  } catch {
    return head;
  }
}

export function diagnosisOut(d: Diagnosis, lang: Lang, scrub: (s: string) => string): HarDiagnosis {
  const t = (x: Text): HarText => ({ en: scrub(x.en), ja: scrub(x.ja) });
  const out: HarDiagnosis = {
    category: d.category,
    severity: d.severity,
    ...(d.code !== undefined ? { code: d.code } : {}),
    headline: scrub(localize(d.headline, lang)),
    headlineText: t(d.headline),
    evidence: d.evidence.map((e) => ({ fact: e.fact, ...(e.at !== undefined ? { at: e.at } : {}), text: t(e.text) })),
    causes: d.causes.map(t),
    fixes: d.fixes.map(t),
  };
  if (d.learnMore !== undefined) out.learnMore = d.learnMore;
  if (d.suspect) out.suspect = { name: d.suspect.name, timeoutMs: d.suspect.timeoutMs };
  if (d.chainId !== undefined) out.chainId = d.chainId;
  out.confidence = d.confidence;
  if (d.competitors?.length) out.competitors = d.competitors.map((c) => ({ cause: t(c.cause), tells: t(c.tells) }));
  return out;
}

/** "a=1&b=two" → HAR queryString (decoded like Chrome's `queryParameters`). */
export function queryStringOf(url: string): HarNameValue[] {
  const q = /\?([^#]*)/.exec(url)?.[1];
  if (!q) return [];
  const dec = (s: string): string => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s;
    }
  };
  return q
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=');
      return eq < 0 ? { name: dec(p), value: '' } : { name: dec(p.slice(0, eq)), value: dec(p.slice(eq + 1)) };
    });
}

export function foreignOut(f: ForeignInfo, scrub: (s: string) => string): ForeignInfo {
  const out: ForeignInfo = { status: f.status, statusText: f.statusText };
  if (f.error !== undefined) out.error = scrub(f.error);
  if (f.endedAt !== undefined) out.endedAt = f.endedAt;
  return out;
}

/**
 * The handshake's HTTP status as Chrome's HAR has it: the network's (101, or the refusal's 403),
 * else the one its failure text names, else a foreign file's, else 101 when the page saw the
 * socket open and 0 when nothing is known (what Chrome writes for a failed handshake).
 */
export function statusOf(c: Connection, view: NetView | undefined, foreign: ForeignInfo | undefined): number {
  if (view?.status !== undefined && view.status !== 0) return view.status;
  const named = view?.error !== undefined ? parseFailureText(view.error).status : undefined;
  if (named !== undefined) return named;
  if (foreign) return foreign.status;
  return c.openedAt !== undefined ? 101 : 0;
}

/** A view merged from an imported HAR reads "har": the file says where its facts came from. */
export function sourcesOf(view: NetView, recorded: readonly NetSource[] | undefined): NetSource[] {
  if (!recorded?.length || !view.sources.includes('har')) return [...view.sources];
  const out: NetSource[] = [];
  for (const s of view.sources.flatMap((x) => (x === 'har' ? recorded : [x]))) if (!out.includes(s)) out.push(s);
  return out;
}

/** A header value as redaction writes it (privacy/redact-headers.ts), what it replaced listed. */
export function redactHeader(h: NetHeader, where: string, what: string[]): string {
  const r = redactHeaderValue(h.name, h.value, where);
  what.push(...r.what);
  return r.value;
}

export function cspOut(csp: CspViolation, redact: boolean, what: string[]): CspViolation {
  let blocked = csp.blocked;
  let policy = csp.policy;
  if (redact) {
    const u = redactUrl(blocked);
    blocked = u.value;
    what.push(...u.what.map((w) => `csp.blocked:${w}`));
    const p = redactText(policy, 'csp.policy');
    policy = p.value;
    what.push(...p.what);
  }
  return { at: csp.at, directive: csp.directive, blocked, policy, ...(csp.disposition !== undefined ? { disposition: csp.disposition } : {}) };
}

/**
 * An injected fault as the entry's `_injected` lists it. What the developer typed in the panel
 * (a close reason, a blocking pattern, an endpoint, the hook's refusal quoting it) can carry a
 * secret like any text: redacted the same way.
 */
export function faultOut(r: FaultRecord, redact: boolean, where: string, what: string[]): FaultRecord {
  if (!redact) return { ...r };
  const out: FaultRecord = { ...r };
  for (const k of ['reason', 'pattern', 'error'] as const) {
    const s = r[k];
    if (s === undefined) continue;
    const x = redactText(s, `${where}.${k}`);
    out[k] = x.value;
    what.push(...x.what);
  }
  if (r.url !== undefined) {
    const u = redactUrl(r.url);
    out.url = u.value;
    what.push(...u.what.map((w) => `${where}.url:${w}`));
  }
  return out;
}
