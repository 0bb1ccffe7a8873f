// --format junit: the report as JUnit XML, the one test-result format every CI reads (GitHub
// test-report actions, GitLab's junit artifacts, Jenkins, Azure). One <testcase> per connection;
// the connections that match --fail-on carry a <failure> with the explanation, so the CI's
// test view fails exactly when the exit status is 1. A connection whose close the file does
// not record is <skipped>: it cannot be judged. Text comes from the report (redacted unless
// --no-redact) and is escaped for XML 1.0, whose grammar forbids most control characters even
// as character references (XML 1.0 §2.2 Char): they are removed.
import { localize, tx, type Lang } from '../core/knowledge/i18n/text.ts';
import { connectionLines, type Report, type ReportRow } from './render.ts';

const L = {
  closeUnknown: tx('the HAR records no close for this connection: it cannot be judged', 'この HAR にはこの接続のクローズが記録されていないため、判定できません'),
};

/** XML 1.0 §2.2: Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]; lone surrogates are not Chars either. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function xmlText(s: string): string {
  return s.replace(NOT_XML_CHAR, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An attribute value: also quotes, and line breaks and tabs as references (attribute normalization would turn them into spaces, XML 1.0 §3.3.3). */
export function xmlAttr(s: string): string {
  return xmlText(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

/** The connection's host, for classname: CI tools group test cases by it. */
function hostOf(url: string): string {
  try {
    return new URL(url).host || 'unknown-host';
  } catch {
    return 'unknown-host';
  }
}

function testcase(c: ReportRow, lang: Lang, byId: ReadonlyMap<string, number>): string {
  const open = `    <testcase classname="${xmlAttr(hostOf(c.url))}" name="${xmlAttr(`#${c.index} ${c.url}`)}"`;
  if (c.failed) {
    const body = [...connectionLines(c, lang, byId), ...c.evidence.map((e) => `- ${e}`)].join('\n');
    return `${open}>\n      <failure message="${xmlAttr(c.headline)}" type="${xmlAttr(c.outcome)}">${xmlText(body)}</failure>\n    </testcase>`;
  }
  if (c.outcome === 'close-unknown') return `${open}>\n      <skipped message="${xmlAttr(localize(L.closeUnknown, lang))}"/>\n    </testcase>`;
  return `${open}/>`;
}

export function renderJunit(r: Report, lang: Lang): string {
  const byId = new Map(r.connections.map((c) => [c.id, c.index]));
  const failures = r.connections.filter((c) => c.failed).length;
  const skipped = r.connections.filter((c) => !c.failed && c.outcome === 'close-unknown').length;
  const counts = `tests="${r.connections.length}" failures="${failures}" errors="0" skipped="${skipped}"`;
  const props = [
    `      <property name="file" value="${xmlAttr(r.file)}"/>`,
    `      <property name="fail-on" value="${xmlAttr(r.failOn.join(','))}"/>`,
    ...r.warnings.map((w) => `      <property name="warning" value="${xmlAttr(w)}"/>`),
  ];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="socket-autopsy" ${counts}>`,
    `  <testsuite name="socket-autopsy" ${counts}>`,
    '    <properties>',
    ...props,
    '    </properties>',
    ...r.connections.map((c) => testcase(c, lang, byId)),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
