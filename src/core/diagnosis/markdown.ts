// A diagnosis as a Markdown snippet to paste into a bug report: enough to act on without the
// extension (URL, times in UTC, code and name, evidence with timestamps, causes, fixes).
// Redacted by default, as the HAR export is (privacy/redact.ts): a snippet pasted into a
// tracker leaves the machine just as a file does.
import { describeCode } from '../knowledge/close-codes.ts';
import type { Diagnosis } from './diagnose.ts';
import { sourceNames } from '../knowledge/i18n/network.ts';
import { fmtClock, fmtDuration, fmtIso, localize, tx, type Lang, type Text } from '../knowledge/i18n/text.ts';
import type { Connection } from '../session/session.ts';
import { CONFIDENCE } from '../knowledge/i18n/honest.ts';
import { redactProtocol, redactProtocols, redactText, redactUrl } from '../privacy/redact.ts';

const L = {
  title: tx('WebSocket', 'WebSocket 診断'),
  protocol: tx('Subprotocol', 'サブプロトコル'),
  created: tx('Created', '作成'),
  opened: tx('Opened', 'open 時刻'),
  never: tx('never', 'なし'),
  closed: tx('Closed', 'クローズ'),
  stillOpen: tx('still open', '接続中'),
  duration: tx('Duration', '継続時間'),
  close: tx('Close', 'クローズ'),
  reason: tx('reason', '理由'),
  clean: tx('clean', 'クリーン'),
  yes: tx('yes', 'はい'),
  no: tx('no', 'いいえ'),
  synthetic: tx('no close event in the page; synthesized from', 'ページに close イベントなし。次から推定'),
  category: tx('Category', '分類'),
  severity: tx('Severity', '重大度'),
  suspect: tx('Suspect', '疑わしい中継機器'),
  network: tx('Network', 'ネットワーク'),
  traffic: tx('Traffic', '通信量'),
  sent: tx('sent', '送信'),
  received: tx('received', '受信'),
  evidence: tx('Evidence', '根拠'),
  causes: tx('Likely causes', '考えられる原因'),
  fixes: tx('What to do', '対処'),
  learnMore: tx('Learn more', '詳細'),
  messages: tx('msg', '件'),
  sep: tx(', ', '、'),
};

/** Keeps a value from breaking out of an inline code span. */
const code = (s: string): string => '`' + s.replace(/`/g, "'").replace(/[\r\n]+/g, ' ') + '`';

export function diagnosisToMarkdown(conn: Connection, d: Diagnosis, lang: Lang, opts: { redact?: boolean } = {}): string {
  const redact = opts.redact ?? true;
  // Every text (diagnosis texts quote URLs, reasons and exceptions) passes the free-text rules.
  const t = (x: Text | string): string => (redact ? redactText(localize(x, lang), 'markdown').value : localize(x, lang));
  const lines: string[] = [];
  const close = conn.close;
  const name = close ? describeCode(close.code, { protocol: conn.protocol ?? '', url: conn.url, reason: close.reason }).name : undefined;
  const codePart = close && name ? `${close.code} ${t(name)} — ` : '';
  lines.push(`### ${t(L.title)}: ${codePart}${t(d.headline)}`, '');

  lines.push(`- URL: ${code(redact ? redactUrl(conn.url).value : conn.url)}`);
  if (conn.protocol) {
    const p = redact ? redactProtocol(conn.protocol, conn.protocols, redactProtocols(conn.protocols).value).value : conn.protocol;
    lines.push(`- ${t(L.protocol)}: ${code(p)}`);
  }
  lines.push(`- ${t(L.created)}: ${fmtIso(conn.createdAt)}`);
  lines.push(`- ${t(L.opened)}: ${conn.openedAt === undefined ? t(L.never) : fmtIso(conn.openedAt)}`);
  lines.push(`- ${t(L.closed)}: ${close ? fmtIso(close.at) : t(L.stillOpen)}`);
  if (close) lines.push(`- ${t(L.duration)}: ${t(fmtDuration(close.at - conn.createdAt))}`);
  if (close) {
    const parts = [`${close.code}${name ? ` ${t(name)}` : ''}`];
    if (close.reason) parts.push(`${t(L.reason)} ${code(t(close.reason))}`);
    parts.push(`${t(L.clean)}: ${t(close.wasClean ? L.yes : L.no)}`);
    if (close.synthetic) parts.push(`${t(L.synthetic)} ${close.synthetic}`);
    lines.push(`- ${t(L.close)}: ${parts.join(t(L.sep))}`);
  }
  lines.push(`- ${t(L.category)}: ${code(d.category)} · ${t(L.severity)}: ${d.severity}`);
  lines.push(`- ${t(CONFIDENCE.label)}: ${t(CONFIDENCE[d.confidence])}`);
  if (d.net) {
    // What the network itself said (status line or error, as worded by its source): the fact a
    // reader of the report can check against their own server and proxy logs.
    const n = d.net;
    const parts = [code(n.label)];
    if (n.said) parts.push(code(t(n.said)));
    if (n.at !== undefined) parts.push(`${fmtIso(n.at)}${n.sources?.length ? ` (${t(sourceNames(n.sources))})` : ''}`);
    lines.push(`- ${t(L.network)}: ${parts.join(' · ')}`);
  }
  if (d.suspect) lines.push(`- ${t(L.suspect)}: ${d.suspect.name} (${t(fmtDuration(d.suspect.timeoutMs))})`);
  const s = conn.stats;
  lines.push(
    `- ${t(L.traffic)}: ${t(L.sent)} ${s.sent} ${t(L.messages)} / ${s.bytesSent} B${t(L.sep)}${t(L.received)} ${s.received} ${t(L.messages)} / ${s.bytesReceived} B`,
  );

  if (d.evidence.length) {
    lines.push('', `**${t(L.evidence)}**`, '');
    for (const e of d.evidence) lines.push(`- ${e.at !== undefined ? `${code(fmtClock(e.at))} ` : ''}${t(e.text)}`);
  }
  if (d.causes.length) {
    lines.push('', `**${t(L.causes)}**`, '');
    d.causes.forEach((c, i) => lines.push(`${i + 1}. ${t(c)}`));
  }
  if (d.competitors?.length) {
    // The other explanations the recording cannot rule out, each with what would decide it.
    lines.push('', `**${t(CONFIDENCE.competitors)}**`, '');
    for (const c of d.competitors) lines.push(`- ${t(c.cause)} — ${t(CONFIDENCE.tells)}: ${t(c.tells)}`);
  }
  if (d.fixes.length) {
    lines.push('', `**${t(L.fixes)}**`, '');
    for (const f of d.fixes) lines.push(`- ${t(f)}`);
  }
  if (d.learnMore) lines.push('', `${t(L.learnMore)}: ${d.learnMore}`);
  return lines.join('\n') + '\n';
}
