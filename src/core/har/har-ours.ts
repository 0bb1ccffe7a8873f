// Reading back one of our own entries: `_socketAutopsy` holds the exact Connection, and
// `_webSocketNetwork` / `_webSocketCsp` what the network and the page's policy said of it.
import { isObject } from './har-json.ts';
import { DIAGNOSIS_CATEGORIES, type Diagnosis, type DiagnosisCategory } from '../diagnosis/diagnose.ts';
import { tx, type Text } from '../knowledge/i18n/text.ts';
import { boundedInert } from './har-net.ts';
import type { NetObservation } from '../network/net.ts';
import { HAR_FORMAT_VERSION, type ForeignInfo, type HarText } from './har-format.ts';
import {
  check,
  CloseSchema,
  FaultsSchema,
  ConnectionMetaSchema,
  DiagnosisSchema,
  MAX_STACK,
  MAX_URL,
  type EntryIn,
  type WsMessageIn,
} from './har-schema.ts';
import type { CloseCall, Connection, CspViolation, FaultRecord, MessageRecord } from '../session/session.ts';
import { NET_LINE_MAX, observationBase, statusCode } from './har-foreign.ts';

type Built =
  | { ok: true; conn: Connection; closeUnknown: boolean; foreign?: ForeignInfo; diagnosis?: Diagnosis; diagnosisError?: string }
  | { ok: false; error: string };

/** One of our entries: `_socketAutopsy` holds the exact Connection. */
export function fromOurs(raw: Record<string, unknown>, e: EntryIn, base: string): Built {
  const metaRaw = raw._socketAutopsy;
  if (isObject(metaRaw) && typeof metaRaw.version === 'number' && metaRaw.version > HAR_FORMAT_VERSION) {
    return { ok: false, error: `${base}._socketAutopsy.version is ${metaRaw.version}: written by a newer Socket Autopsy (this one reads version ${HAR_FORMAT_VERSION})` };
  }
  const mr = check(ConnectionMetaSchema, metaRaw, `${base}._socketAutopsy`);
  if (!mr.ok) return mr;
  const meta = mr.value;
  // Error frames are the network's failure text (read with the handshake, har-net.ts), not messages.
  const wire: readonly WsMessageIn[] = (e._webSocketMessages ?? []).filter((w) => w.type !== 'error');
  if (wire.length !== meta.messagesMeta.length) {
    return {
      ok: false,
      error: `${base}._socketAutopsy.messagesMeta has ${meta.messagesMeta.length} items but ${base}._webSocketMessages has ${wire.length}`,
    };
  }

  const messages: MessageRecord[] = new Array(wire.length);
  for (let j = 0; j < wire.length; j++) {
    const w = wire[j]!;
    const mm = meta.messagesMeta[j]!;
    if ((w.opcode === 2) !== mm.bin || (w.opcode !== 1 && w.opcode !== 2)) {
      return { ok: false, error: `${base}._webSocketMessages[${j}].opcode ${w.opcode} disagrees with ${base}._socketAutopsy.messagesMeta[${j}].bin (${mm.bin})` };
    }
    const m: MessageRecord = { n: mm.n, dir: w.type === 'send' ? 'out' : 'in', at: mm.at ?? w.time * 1000, bin: mm.bin, size: mm.size };
    if (!mm.nodata) m.data = w.data;
    if (mm.trunc) m.trunc = true;
    if (mm.later) m.later = true;
    if (w._injected) m.inj = true;
    messages[j] = m;
  }

  const conn: Connection = {
    id: meta.id,
    doc: meta.doc,
    sid: meta.sid,
    url: e.request.url,
    protocols: meta.protocols,
    createdAt: meta.createdAt,
    state: meta.state,
    closeCalls: meta.closeCalls.map((k) => {
      const call: CloseCall = { at: k.at, readyState: k.readyState };
      if (k.code !== undefined) call.code = k.code;
      if (k.reason !== undefined) call.reason = k.reason;
      if (k.stack !== undefined) call.stack = k.stack;
      if (k.threw !== undefined) call.threw = k.threw;
      return call;
    }),
    messages,
    // The file's `evicted` already counts every message it lacks (har-export.ts).
    stats: { ...meta.stats, missed: 0 },
  };
  if (meta.createStack !== undefined) conn.createStack = meta.createStack;
  if (meta.createThrew !== undefined) conn.createThrew = meta.createThrew;
  if (meta.createdState !== undefined) conn.createdState = meta.createdState;
  if (meta.openedAt !== undefined) conn.openedAt = meta.openedAt;
  if (meta.protocol !== undefined) conn.protocol = meta.protocol;
  if (meta.extensions !== undefined) conn.extensions = meta.extensions;
  if (meta.errorAt !== undefined) conn.errorAt = meta.errorAt;
  if (meta.lastIn) conn.lastIn = { at: meta.lastIn.at, size: meta.lastIn.size };
  if (meta.lastOut) conn.lastOut = { at: meta.lastOut.at, size: meta.lastOut.size };

  if (raw._webSocketClose !== undefined) {
    const cr = check(CloseSchema, raw._webSocketClose, `${base}._webSocketClose`);
    if (!cr.ok) return cr;
    const k = cr.value;
    // requested*/closedBy are derived from closeCalls on export: not read back.
    conn.close = { at: k.at, code: k.code, reason: k.reason, wasClean: k.wasClean };
    if (k.synthetic) conn.close.synthetic = k.synthetic;
    if (k._injected) conn.close.injected = true;
  }
  if (raw._injected !== undefined) {
    const fr = check(FaultsSchema, raw._injected, `${base}._injected`);
    if (!fr.ok) return fr;
    // Only the fields present: an optional field read back as `undefined` is not in the model.
    conn.faults = fr.value.map((r) => Object.fromEntries(Object.entries(r).filter(([, x]) => x !== undefined)) as FaultRecord);
  }

  const out: Built = { ok: true, conn, closeUnknown: meta.closeUnknown === true };
  if (meta.foreign) {
    const f: ForeignInfo = { status: meta.foreign.status, statusText: meta.foreign.statusText };
    if (meta.foreign.error !== undefined) f.error = meta.foreign.error;
    if (meta.foreign.endedAt !== undefined) f.endedAt = meta.foreign.endedAt;
    out.foreign = f;
  }
  if (raw._diagnosis !== undefined) {
    const d = diagnosisIn(raw._diagnosis, `${base}._diagnosis`);
    if (d.ok) out.diagnosis = d.value;
    else out.diagnosisError = d.error;
  }
  return out;
}

function diagnosisIn(raw: unknown, base: string): { ok: true; value: Diagnosis } | { ok: false; error: string } {
  const r = check(DiagnosisSchema, raw, base);
  if (!r.ok) return r;
  const x = r.value;
  if (!(DIAGNOSIS_CATEGORIES as readonly string[]).includes(x.category)) {
    return { ok: false, error: `${base}.category ${JSON.stringify(x.category.slice(0, 64))} is not a category this version knows` };
  }
  const t = (y: HarText): Text => tx(y.en, y.ja);
  const d: Diagnosis = {
    category: x.category as DiagnosisCategory,
    severity: x.severity,
    headline: t(x.headlineText),
    evidence: x.evidence.map((ev) => ({ fact: ev.fact, ...(ev.at !== undefined ? { at: ev.at } : {}), text: t(ev.text) })),
    causes: x.causes.map(t),
    fixes: x.fixes.map(t),
    // A file written before confidence existed: its diagnosis claimed certainty.
    confidence: x.confidence ?? 'certain',
  };
  if (x.competitors) d.competitors = x.competitors.map((c) => ({ cause: t(c.cause), tells: t(c.tells) }));
  if (x.code !== undefined) d.code = x.code;
  if (x.learnMore !== undefined) d.learnMore = x.learnMore;
  if (x.suspect) d.suspect = { name: x.suspect.name, timeoutMs: x.suspect.timeoutMs };
  if (x.chainId !== undefined) d.chainId = x.chainId;
  return { ok: true, value: d };
}

/** One of our entries that carries `_webSocketNetwork`: Chrome's fields plus ours (har-export.ts). */
export function ourObservation(e: EntryIn, conn: Connection, index: number): NetObservation {
  const n = e._webSocketNetwork!;
  const o = observationBase(e, conn, index, n.at, n.url ?? e.request.url);
  const status = statusCode(e.response.status);
  if (status !== undefined) o.status = status;
  if (n.statusLine !== undefined) o.statusLine = boundedInert(n.statusLine, NET_LINE_MAX);
  if (n.responseAt !== undefined) o.responseAt = n.responseAt;
  if (e.response._error) o.error = boundedInert(e.response._error, NET_LINE_MAX);
  if (n.endAt !== undefined) o.endAt = n.endAt;
  if (n.frameErrors?.length) o.frameErrors = n.frameErrors.map((x) => ({ at: x.at, text: boundedInert(x.text, NET_LINE_MAX) }));
  if (n.closedAt !== undefined) o.closedAt = n.closedAt;
  const dropped = (o.headersDropped ?? 0) + (n.headersDropped ?? 0);
  if (dropped > 0) o.headersDropped = dropped;
  return o;
}

/** A CSP violation from the file, inert: the policy is the page's text. */
export function cspIn(c: NonNullable<EntryIn['_webSocketCsp']>): CspViolation {
  const out: CspViolation = {
    at: c.at,
    directive: boundedInert(c.directive, 256),
    blocked: boundedInert(c.blocked, MAX_URL),
    policy: boundedInert(c.policy, MAX_STACK),
  };
  if (c.disposition !== undefined) out.disposition = boundedInert(c.disposition, 64);
  return out;
}
