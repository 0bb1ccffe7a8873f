// What a test's sockets look like in words: the session-level Markdown attached as sockets.md
// (a summary, a table, then each connection worth reading in the panel's own "Copy as Markdown"
// form, core/diagnosis/markdown.ts), and the error message of a test that failOn fails (each
// matching connection's headline and evidence). Bounded for a test with thousands of sockets:
// the table and the detailed sections stop at a count and say how many more there were.
// Redacted as the HAR export is, unless the caller turned redaction off.
import { EXPECTED_CATEGORIES, type FailOn } from '../cli/fail-on.ts';
import type { Diagnosis } from '../core/diagnosis/diagnose.ts';
import { diagnosisToMarkdown } from '../core/diagnosis/markdown.ts';
import { CATEGORY_LABEL } from '../core/knowledge/categories.ts';
import { fmtClock, fmtDuration, localize, tx, type Lang, type Text } from '../core/knowledge/i18n/text.ts';
import { redactText, redactUrl } from '../core/privacy/redact.ts';
import type { Connection } from '../core/session/session.ts';
import type { DropCounters } from '../core/wire/protocol.ts';
import type { Analysis } from './collector.ts';

/** Rows in the table, and connections explained in full, at most. */
export const TABLE_ROWS_MAX = 200;
export const DETAILED_MAX = 20;
/** Connections named in a failOn error message at most. */
export const MESSAGE_CONNECTIONS_MAX = 5;

const L = {
  title: (test: string): Text => tx(`Socket Autopsy: ${test}`, `Socket Autopsy：${test}`),
  none: tx('No WebSocket was opened during this test.', 'このテスト中に WebSocket は開かれませんでした。'),
  count: (n: number): Text => tx(`${n} WebSocket connection${n === 1 ? '' : 's'}:`, `WebSocket 接続 ${n} 件：`),
  matched: (spec: string, n: number): Text =>
    tx(`**failOn ${spec}**: ${n} connection${n === 1 ? ' matches' : 's match'}.`, `**failOn ${spec}**：${n} 件が該当します。`),
  noMatch: (spec: string): Text => tx(`failOn ${spec}: no connection matches.`, `failOn ${spec}：該当する接続はありません。`),
  drops: (d: DropCounters): Text =>
    tx(
      `Not everything was kept: ${d.malformed} malformed, ${d.evicted} evicted, ${d.hook} dropped by the page hook.`,
      `記録しきれなかったデータがあります：不正 ${d.malformed} 件、追い出し ${d.evicted} 件、ページフックで破棄 ${d.hook} 件。`,
    ),
  head: tx('| # | outcome | code | duration | URL |', '| # | 結果 | コード | 継続時間 | URL |'),
  more: (n: number): Text => tx(`…and ${n} more.`, `…ほか ${n} 件。`),
  details: tx('Explanations', '診断'),
  moreDetails: (n: number): Text => tx(`${n} more not shown here; the HAR (sockets.har) has them all.`, `ほか ${n} 件は省略。すべて HAR（sockets.har）にあります。`),
  failHead: (spec: string, n: number): Text =>
    tx(
      `Socket Autopsy: ${n} WebSocket connection${n === 1 ? '' : 's'} match${n === 1 ? 'es' : ''} failOn ${spec}`,
      `Socket Autopsy：${n} 件の WebSocket 接続が failOn ${spec} に該当します`,
    ),
  failMore: (n: number): Text => tx(`…and ${n} more (see sockets.md).`, `…ほか ${n} 件（sockets.md を参照）。`),
  abnormalHead: (n: number): Text =>
    tx(`${n} abnormal WebSocket connection${n === 1 ? '' : 's'} on this page`, `このページに異常終了した WebSocket 接続が ${n} 件あります`),
  sep: tx(', ', '、'),
};

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');

/** "1× 1011 server error, 2× closed by page": counts by category and code, most first. */
function summary(a: Analysis, t: (x: Text | string) => string): string {
  const counts = new Map<string, number>();
  for (const c of a.connections) {
    const d = a.diagnoses.get(c.id);
    if (!d) continue;
    const key = `${c.close ? `${c.close.code} ` : ''}${t(CATEGORY_LABEL[d.category])}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts]
    .sort((x, y) => y[1] - x[1])
    .map(([k, n]) => `${n}× ${k}`)
    .join(t(L.sep));
}

/** Connections worth reading first: failOn matches, then anything but an expected end. */
function notable(a: Analysis, failOn: FailOn | undefined): Connection[] {
  const rank = (c: Connection): number => {
    const d = a.diagnoses.get(c.id);
    if (!d) return 2;
    if (failOn?.matches(d)) return 0;
    return EXPECTED_CATEGORIES.has(d.category) ? 2 : 1;
  };
  return a.connections
    .map((c, i) => ({ c, i, r: rank(c) }))
    .filter((x) => x.r < 2)
    .sort((x, y) => x.r - y.r || x.i - y.i)
    .map((x) => x.c);
}

export function sessionMarkdown(
  a: Analysis,
  opts: { title: string; lang: Lang; redact: boolean; failOn?: FailOn | undefined; drops?: DropCounters },
): string {
  const t = (x: Text | string): string => (opts.redact ? redactText(localize(x, opts.lang), 'markdown').value : localize(x, opts.lang));
  const lines: string[] = [`## ${t(L.title(opts.title))}`, ''];
  if (!a.connections.length) {
    lines.push(t(L.none));
    return lines.join('\n') + '\n';
  }
  lines.push(`${t(L.count(a.connections.length))} ${summary(a, t)}`, '');
  if (opts.failOn && opts.failOn.spec.length) {
    const n = a.connections.filter((c) => {
      const d = a.diagnoses.get(c.id);
      return d !== undefined && opts.failOn!.matches(d);
    }).length;
    lines.push(n ? t(L.matched(opts.failOn.spec.join(','), n)) : t(L.noMatch(opts.failOn.spec.join(','))), '');
  }
  const d = opts.drops;
  if (d && d.malformed + d.evicted + d.hook > 0) lines.push(t(L.drops(d)), '');

  lines.push(t(L.head), '|---|---|---|---|---|');
  a.connections.slice(0, TABLE_ROWS_MAX).forEach((c, i) => {
    const diag = a.diagnoses.get(c.id);
    const outcome = diag ? t(CATEGORY_LABEL[diag.category]) : '';
    const url = opts.redact ? redactUrl(c.url).value : c.url;
    const dur = c.close ? t(fmtDuration(c.close.at - c.createdAt)) : '';
    lines.push(`| ${i + 1} | ${cell(outcome)} | ${c.close?.code ?? ''} | ${cell(dur)} | \`${cell(url).replace(/`/g, "'")}\` |`);
  });
  if (a.connections.length > TABLE_ROWS_MAX) lines.push('', t(L.more(a.connections.length - TABLE_ROWS_MAX)));

  const worth = notable(a, opts.failOn);
  if (worth.length) {
    lines.push('', `## ${t(L.details)}`, '');
    for (const c of worth.slice(0, DETAILED_MAX)) lines.push(diagnosisToMarkdown(c, a.diagnoses.get(c.id)!, opts.lang, { redact: opts.redact }));
    if (worth.length > DETAILED_MAX) lines.push(t(L.moreDetails(worth.length - DETAILED_MAX)));
  }
  return lines.join('\n') + '\n';
}

/**
 * The explanation of connections that fail a test: a first line, then each connection's URL,
 * headline and evidence with times. `head` is the first line (failOn's, or the matcher's).
 */
function explain(conns: readonly Connection[], a: Analysis, head: Text, lang: Lang, redact: boolean): string {
  const t = (x: Text | string): string => (redact ? redactText(localize(x, lang), 'message').value : localize(x, lang));
  const lines = [t(head)];
  for (const c of conns.slice(0, MESSAGE_CONNECTIONS_MAX)) {
    const d: Diagnosis = a.diagnoses.get(c.id)!;
    const url = redact ? redactUrl(c.url).value : c.url;
    lines.push('', `${c.close ? `${c.close.code} · ` : ''}${url}`, `  ${t(d.headline)}`);
    for (const e of d.evidence) lines.push(`  - ${e.at !== undefined ? `${fmtClock(e.at)} ` : ''}${t(e.text)}`);
  }
  if (conns.length > MESSAGE_CONNECTIONS_MAX) lines.push('', t(L.failMore(conns.length - MESSAGE_CONNECTIONS_MAX)));
  return lines.join('\n');
}

export function matching(a: Analysis, failOn: FailOn): Connection[] {
  return a.connections.filter((c) => {
    const d = a.diagnoses.get(c.id);
    return d !== undefined && failOn.matches(d);
  });
}

export function failOnMessage(conns: readonly Connection[], a: Analysis, failOn: FailOn, lang: Lang, redact: boolean): string {
  return explain(conns, a, L.failHead(failOn.spec.join(','), conns.length), lang, redact);
}

export function abnormalMessage(conns: readonly Connection[], a: Analysis, lang: Lang, redact: boolean): string {
  return explain(conns, a, L.abnormalHead(conns.length), lang, redact);
}
