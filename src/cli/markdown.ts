// --format markdown and --summary: the report as GitHub-flavoured Markdown, for a job summary
// ($GITHUB_STEP_SUMMARY) or a pull-request comment. A table of every connection, then the
// explanation of each failing one. Everything in it comes from the report (already redacted
// unless --no-redact), and every text from the file is escaped: a HAR is untrusted input, and
// a close reason must not become a link, an image or a broken table.
import { localize, tx, type Lang, type Text } from '../core/knowledge/i18n/text.ts';
import { connectionLines, type Report, type ReportRow } from './render.ts';

const L = {
  title: tx('Socket Autopsy report', 'Socket Autopsy レポート'),
  writtenBy: tx('written by', '作成'),
  connections: (n: number): Text => tx(`${n} WebSocket connection${n === 1 ? '' : 's'}`, `WebSocket 接続 ${n} 件`),
  none: tx('No WebSocket connection in this file.', 'このファイルには WebSocket 接続がありません。'),
  note: tx('Note', '注意'),
  head: tx('| # | URL | Outcome | Code | Headline |', '| # | URL | 結果 | コード | 概要 |'),
  failing: tx('Failing connections', '失敗した接続'),
  errors: tx('Connections that ended in error', 'エラーで終わった接続'),
  failMatch: (spec: string, n: number, total: number): Text =>
    tx(`\`--fail-on ${spec}\`: ${n} of ${total} connection${total === 1 ? '' : 's'} match → exit 1`, `\`--fail-on ${spec}\`：${total} 件中 ${n} 件が該当 → 終了コード 1`),
  failNone: (spec: string): Text => tx(`\`--fail-on ${spec}\`: no connection matches`, `\`--fail-on ${spec}\`：該当する接続はありません`),
};

/** A headline in a table cell is cut here; the explanation below keeps all of it. */
const CELL_MAX = 300;

/**
 * Text from the file as inert Markdown on one line: no control characters, HTML as entities,
 * and the characters that make emphasis, code, links or table cells escaped (GFM: any ASCII
 * punctuation may be backslash-escaped).
 */
export function mdText(s: string, max = Infinity): string {
  let x = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  if (x.length > max) x = `${x.slice(0, max - 1)}…`;
  return x.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/[\\`*_[\]|~!#]/g, '\\$&');
}

/**
 * Which connections get their explanation below the table: those that matched --fail-on; with
 * no --fail-on, those whose diagnosis is an error (what a reader of a green job still wants to see).
 */
export function explained(r: Report): ReportRow[] {
  return r.failOn.length > 0 ? r.connections.filter((c) => c.failed) : r.connections.filter((c) => c.severity === 'error');
}

export function renderMarkdown(r: Report, lang: Lang): string {
  const t = (x: Text | string): string => localize(x, lang);
  const out: string[] = [];
  out.push(`## ${t(L.title)}: ${mdText(r.file)}`, '');
  const by = r.creator.name ? `${t(L.writtenBy)} ${mdText(`${r.creator.name}${r.creator.version ? ` ${r.creator.version}` : ''}`)} · ` : '';
  out.push(`${by}${t(L.connections(r.connections.length))}`, '');
  for (const w of r.warnings) out.push(`> ${t(L.note)}: ${mdText(w)}`, '');
  if (r.failOn.length > 0) {
    const spec = mdText(r.failOn.join(',')).replace(/`/g, '');
    const hit = r.connections.filter((c) => c.failed).length;
    out.push(`**${hit ? t(L.failMatch(spec, hit, r.connections.length)) : t(L.failNone(spec))}**`, '');
  }
  if (r.connections.length === 0) {
    out.push(t(L.none));
    return out.join('\n') + '\n';
  }
  out.push(t(L.head), '|---:|---|---|---|---|');
  for (const c of r.connections) {
    const code = c.code !== undefined ? mdText(`${c.code}${c.codeName ? ` ${c.codeName}` : ''}`) : '';
    const outcome = `${c.failed ? '❌ ' : ''}${mdText(c.outcomeLabel)}`;
    out.push(`| ${c.index} | ${mdText(c.url, CELL_MAX)} | ${outcome} | ${code} | ${mdText(c.headline, CELL_MAX)} |`);
  }
  const shown = explained(r);
  if (shown.length > 0) {
    out.push('', `### ${t(r.failOn.length > 0 ? L.failing : L.errors)}`);
    const byId = new Map(r.connections.map((c) => [c.id, c.index]));
    for (const c of shown) {
      const [facts, headline, ...rest] = connectionLines(c, lang, byId);
      out.push('', `#### \\#${c.index} ${mdText(c.url)}`, '', `${mdText(facts ?? '')}  `, `**${mdText(headline ?? '')}**`, '');
      for (const l of rest) out.push(`- ${mdText(l)}`);
      if (c.evidence.length) for (const e of c.evidence) out.push(`- ${mdText(e)}`);
    }
  }
  return out.join('\n') + '\n';
}
