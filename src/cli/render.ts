// The report itself: from an imported session to rows (for --json) and to text. No I/O here,
// so tests can call it directly. Everything it says comes from src/core — the same import,
// the same diagnosis engine, the same code knowledge and category names as the panel — so a CI
// log and the panel use the same words.
import { CATEGORY_LABEL } from '../core/knowledge/categories.ts';
import { describeCode } from '../core/knowledge/close-codes.ts';
import { diagnoseAll, type Diagnosis, type DiagnosisCategory } from '../core/diagnosis/diagnose.ts';
import { unknownCloseHeadline, type HarSource, type ImportedSession } from '../core/har/har.ts';
import { statusLineParts } from '../core/har/har-net.ts';
import { fmtClock, fmtDuration, localize, tx, type Lang, type Text } from '../core/knowledge/i18n/text.ts';
import { CONFIDENCE } from '../core/knowledge/i18n/honest.ts';
import { protocolOf } from '../core/protocols/index.ts';
import { faultShort } from '../core/knowledge/i18n/faults.ts';
import { matchNetwork } from '../core/network/net-match.ts';
import { netLabel, parseFailureText, type NetView } from '../core/network/net.ts';
import { findReconnectChains } from '../core/session/reconnect.ts';
import { durationOf } from '../core/session/session.ts';
import type { FailOn } from './fail-on.ts';
import { redactText, redactUrl } from '../core/privacy/redact.ts';

export interface ReportRow {
  /** 1-based position in the file, as printed (#1, #2…). */
  index: number;
  id: string;
  url: string;
  /** The diagnosis category, or 'close-unknown' when the file has no close for it (Chrome's HARs). */
  outcome: DiagnosisCategory | 'close-unknown';
  outcomeLabel: string;
  severity: Diagnosis['severity'];
  code?: number;
  codeName?: string;
  reason?: string;
  wasClean?: boolean;
  /** Handshake response recorded by a foreign HAR (Chrome's), when it has one. */
  http?: { status: number; statusText: string; error?: string };
  /** What the network said about the handshake (the file's network facts), when it has them. */
  network?: RowNetwork;
  /** No page socket: a handshake the capture saw on the network only. */
  networkOnly?: true;
  durationMs: number;
  sent: number;
  received: number;
  reconnectOf?: string;
  headline: string;
  topCause?: string;
  topFix?: string;
  /** How sure the diagnosis is, and what else it could be with what would tell them apart. */
  confidence?: string;
  competitors?: { cause: string; tells: string }[];
  evidence: string[];
  /** The application protocol recognised (Socket.IO, STOMP…), with what it said of the end: its own goodbye, its heartbeat. */
  protocol?: { name: string; notes: string[] };
  /** Faults injected from the panel into this connection, in order (the HAR's `_injected`). */
  injected?: { at: number; op: string; ok: boolean; text: string }[];
  /** Matched --fail-on. */
  failed: boolean;
}

export interface RowNetwork {
  /** The HTTP status of the upgrade's response (101, 403…), also when only the failure text names it. */
  status: number | null;
  statusLine: string | null;
  /** The network error as the browser named it (net::ERR_…) or its failure text. */
  error: string | null;
  /** The short word the panel's row shows (net.ts netLabel): "403", "DNS", "refused"… */
  label: string | null;
}

export interface Report {
  file: string;
  source: HarSource;
  creator: { name: string; version: string };
  warnings: string[];
  failOn: string[];
  connections: ReportRow[];
  /** Ids of the connections that matched --fail-on. */
  matched: string[];
  exitCode: 0 | 1;
}

const L = {
  protocol: tx('Protocol', 'プロトコル'),
  injected: tx('Injected', '注入'),
  at: (what: string, clock: string): Text => tx(`${what} at ${clock}`, `${clock} に${what}`),
  title: tx('Socket Autopsy report', 'Socket Autopsy レポート'),
  writtenBy: tx('written by', '作成'),
  connections: (n: number): Text => tx(`${n} WebSocket connection${n === 1 ? '' : 's'}`, `WebSocket 接続 ${n} 件`),
  none: tx('No WebSocket connection in this file.', 'このファイルには WebSocket 接続がありません。'),
  note: tx('note', '注意'),
  cause: tx('cause', '原因'),
  fix: tx('fix', '対処'),
  closeUnknown: tx('close unknown', 'クローズ不明'),
  noClose: tx('still open', '接続中'),
  reconnectOf: (n: number): Text => tx(`reconnect of #${n}`, `#${n} の再接続`),
  networkOnly: tx('network only', 'ネットワークのみ'),
  traffic: (s: number, r: number): Text => tx(`${s} sent, ${r} received`, `送信 ${s} 件、受信 ${r} 件`),
  summary: tx('Summary', '集計'),
  count: (n: number, label: string): Text => tx(`${n} ${label}`, `${label} ${n} 件`),
  sep: tx(', ', '、'),
  failMatch: (spec: string, n: number, total: number, which: string): Text =>
    tx(
      `--fail-on ${spec}: ${n} of ${total} connection${total === 1 ? '' : 's'} match (${which}) → exit 1`,
      `--fail-on ${spec}：${total} 件中 ${n} 件が該当（${which}）→ 終了コード 1`,
    ),
  failNone: (spec: string): Text => tx(`--fail-on ${spec}: no connection matches`, `--fail-on ${spec}：該当する接続はありません`),
};

export function buildReport(
  s: ImportedSession,
  meta: { file: string; source: HarSource; warnings: string[] },
  lang: Lang,
  failOn: FailOn,
  opts: { redact?: boolean } = {},
): Report {
  // A CI log or a pasted report leaves the machine: redacted as the HAR export is, unless asked.
  const redact = opts.redact ?? true;
  const t = (x: Text | string): string => localize(x, lang);
  const conns = s.connections;
  // `now` is the end of the recording, not the wall clock: a live socket is "open for" as
  // long as the file shows, whenever the report runs.
  const ctx = { connections: conns, context: s.context, now: s.endedAt };
  const chains = findReconnectChains(conns, { now: s.endedAt });
  // The handshake facts the file carries, matched to the connections as the panel does.
  const network = matchNetwork(conns, s.state.net.values()).byConn;
  const diagnoses = diagnoseAll({ ...ctx, chains, network });
  const prevOf = new Map<string, string>();
  for (const ch of chains) for (let i = 1; i < ch.connectionIds.length; i++) prevOf.set(ch.connectionIds[i]!, ch.connectionIds[i - 1]!);

  const rows = conns.map((c, i): ReportRow => {
    const d = diagnoses.get(c.id)!;
    const unknown = s.closeUnknown.has(c.id);
    const foreign = s.foreign.get(c.id);
    const close = c.close;
    const row: ReportRow = {
      index: i + 1,
      id: c.id,
      url: c.url,
      outcome: unknown ? 'close-unknown' : d.category,
      outcomeLabel: unknown ? t(L.closeUnknown) : t(CATEGORY_LABEL[d.category]),
      severity: unknown ? 'info' : d.severity,
      durationMs: durationOf(c, foreign?.endedAt ?? s.endedAt),
      sent: c.stats.sent,
      received: c.stats.received,
      headline: unknown ? t(unknownCloseHeadline(c, foreign)) : t(d.headline),
      evidence: d.evidence.map((e) => t(e.text)),
      failed: !unknown && failOn.matches(d),
    };
    if (!unknown && d.confidence) row.confidence = d.confidence;
    const track = protocolOf(c);
    if (track.label && track.detection && track.detection.certainty !== 'possible') {
      row.protocol = { name: track.label, notes: d.evidence.filter((e) => e.fact.startsWith('protocol.')).map((e) => t(e.text)) };
    }
    if (c.faults?.length) row.injected = c.faults.map((f) => ({ at: f.at, op: f.op, ok: f.ok, text: t(faultShort(f)) }));
    if (!unknown && d.competitors?.length) row.competitors = d.competitors.map((x) => ({ cause: t(x.cause), tells: t(x.tells) }));
    if (close) {
      row.code = close.code;
      row.codeName = t(describeCode(close.code, { protocol: c.protocol || c.protocols.join(','), url: c.url, reason: close.reason }).name);
      if (close.reason) row.reason = close.reason;
      row.wasClean = close.wasClean;
    }
    if (foreign && foreign.status !== 101) {
      row.http = { status: foreign.status, statusText: foreign.statusText };
      if (foreign.error !== undefined) row.http.error = foreign.error;
    }
    const view = network.get(c.id);
    if (view) row.network = rowNetwork(view);
    if (c.netOnly) row.networkOnly = true;
    const prev = prevOf.get(c.id);
    if (prev !== undefined) row.reconnectOf = prev;
    if (!unknown) {
      const cause = d.causes[0];
      const fix = d.fixes[0];
      if (cause) row.topCause = t(cause);
      if (fix) row.topFix = t(fix);
    }
    return redact ? redactRow(row) : row;
  });

  const matched = rows.filter((r) => r.failed).map((r) => r.id);
  return {
    file: meta.file,
    source: meta.source,
    creator: s.creator,
    warnings: meta.warnings,
    failOn: failOn.spec,
    connections: rows,
    matched,
    exitCode: matched.length > 0 ? 1 : 0,
  };
}

/** The human report. Plain text (no colours): it ends up in CI logs and bug reports. */
export function renderText(r: Report, lang: Lang): string {
  const t = (x: Text | string): string => localize(x, lang);
  const out: string[] = [];
  out.push(`${t(L.title)}: ${r.file}`);
  const by = r.creator.name ? `${t(L.writtenBy)} ${r.creator.name}${r.creator.version ? ` ${r.creator.version}` : ''} · ` : '';
  out.push(`${by}${t(L.connections(r.connections.length))}`);
  for (const w of r.warnings) out.push(`${t(L.note)}: ${w}`);
  out.push('');
  if (r.connections.length === 0) out.push(t(L.none));
  const byId = new Map(r.connections.map((c) => [c.id, c.index]));

  for (const c of r.connections) out.push(`#${c.index}  ${c.url}`, ...connectionLines(c, lang, byId).map((l) => `    ${l}`), '');

  if (r.connections.length > 0) {
    const counts = new Map<string, number>();
    for (const c of r.connections) counts.set(c.outcomeLabel, (counts.get(c.outcomeLabel) ?? 0) + 1);
    out.push(`${t(L.summary)}: ${[...counts].map(([k, n]) => t(L.count(n, k))).join(t(L.sep))}`);
  }
  if (r.failOn.length > 0) {
    const spec = r.failOn.join(',');
    const hit = r.connections.filter((c) => c.failed);
    out.push(hit.length ? t(L.failMatch(spec, hit.length, r.connections.length, hit.map((c) => `#${c.index}`).join(', '))) : t(L.failNone(spec)));
  }
  return out.join('\n') + '\n';
}

/**
 * What the text report says of one connection below its URL: the facts, the headline, the
 * diagnosis. Shared with --format junit, whose failure body is this explanation.
 */
export function connectionLines(c: ReportRow, lang: Lang, byId: ReadonlyMap<string, number>): string[] {
  const t = (x: Text | string): string => localize(x, lang);
  const out: string[] = [];
  const facts: string[] = [c.outcomeLabel];
  if (c.networkOnly) facts.push(t(L.networkOnly));
  const net = c.network ? networkFact(c.network) : undefined;
  if (net) facts.push(net);
  else if (c.http) facts.push(`HTTP ${c.http.status}${c.http.statusText ? ` ${c.http.statusText}` : ''}${c.http.error ? ` (${c.http.error})` : ''}`);
  if (c.code !== undefined) facts.push(`${c.code} ${c.codeName ?? ''}${c.reason ? ` ${JSON.stringify(c.reason)}` : ''}`.trimEnd());
  else if (c.outcome === 'live') facts.push(t(L.noClose));
  facts.push(t(fmtDuration(c.durationMs)));
  facts.push(t(L.traffic(c.sent, c.received)));
  const prev = c.reconnectOf !== undefined ? byId.get(c.reconnectOf) : undefined;
  if (prev !== undefined) facts.push(t(L.reconnectOf(prev)));
  out.push(facts.join(' · '), c.headline);
  if (c.injected?.length) out.push(`${t(L.injected)}: ${c.injected.map((f) => t(L.at(f.text, fmtClock(f.at)))).join('; ')}`);
  if (c.protocol) {
    out.push(`${t(L.protocol)}: ${c.protocol.name}`);
    for (const n of c.protocol.notes) out.push(`  ${n}`);
  }
  if (c.confidence && c.confidence !== 'certain') out.push(`${t(CONFIDENCE.label)}: ${t(CONFIDENCE[c.confidence as 'likely' | 'possible'])}`);
  for (const x of c.competitors ?? []) out.push(`${t(CONFIDENCE.competitors)}: ${x.cause} (${t(CONFIDENCE.tells)}: ${x.tells})`);
  if (c.topCause) out.push(`${t(L.cause)}: ${c.topCause}`);
  if (c.topFix) out.push(`${t(L.fix)}: ${c.topFix}`);
  return out;
}

/** The row with every text that can quote a secret through privacy/redact.ts (text and --json alike). */
function redactRow(r: ReportRow): ReportRow {
  const x = (s: string): string => redactText(s, 'report').value;
  const out: ReportRow = { ...r, url: redactUrl(r.url).value, headline: x(r.headline), evidence: r.evidence.map(x) };
  if (r.reason !== undefined) out.reason = x(r.reason);
  if (r.codeName !== undefined) out.codeName = x(r.codeName);
  if (r.topCause !== undefined) out.topCause = x(r.topCause);
  if (r.topFix !== undefined) out.topFix = x(r.topFix);
  if (r.competitors) out.competitors = r.competitors.map((c) => ({ cause: x(c.cause), tells: x(c.tells) }));
  if (r.protocol) out.protocol = { name: r.protocol.name, notes: r.protocol.notes.map(x) };
  // A blocking pattern or a close reason typed in the panel can quote a secret like any text.
  if (r.injected) out.injected = r.injected.map((f) => ({ ...f, text: x(f.text) }));
  if (r.http) out.http = { ...r.http, statusText: x(r.http.statusText), ...(r.http.error !== undefined ? { error: x(r.http.error) } : {}) };
  if (r.network) {
    const n = r.network;
    out.network = { ...n, statusLine: n.statusLine === null ? null : x(n.statusLine), error: n.error === null ? null : x(n.error) };
  }
  return out;
}

function rowNetwork(v: NetView): RowNetwork {
  const named = v.error !== undefined ? parseFailureText(v.error).status : undefined;
  const status = v.status !== undefined && v.status !== 0 ? v.status : named;
  return { status: status ?? null, statusLine: v.statusLine ?? null, error: v.error ?? null, label: netLabel(v) ?? null };
}

/**
 * "HTTP 403 Forbidden", "DNS (net::ERR_NAME_NOT_RESOLVED)": the status when there is one, else
 * the label; the error in brackets when it says more than the status does.
 */
function networkFact(n: RowNetwork): string | undefined {
  const phrase = statusLineParts(n.statusLine ?? undefined).phrase;
  const head = n.status !== null ? `HTTP ${n.status}${phrase ? ` ${phrase}` : ''}` : n.label;
  const restates = n.error === null || parseFailureText(n.error).status !== undefined || n.error === head;
  if (head === null) return n.error ?? undefined;
  return restates ? head : `${head} (${n.error})`;
}
