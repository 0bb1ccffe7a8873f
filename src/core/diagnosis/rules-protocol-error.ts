// A protocol error the browser named: the server broke RFC 6455, the browser failed the
// connection (§7.1.7) and the page got 1006 like any cut. The browser's own text (CDP
// Network.webSocketFrameError with deep capture, or an imported HAR) is the only place the cause
// is stated, so it decides before the drop rules, which would read the same 1006 as a lost link.
// Texts measured in Chromium 156 (docs/deep-capture.md); the patterns are the families of
// Chromium's net/websockets messages, loose enough for their variants across versions.
import { fmtClock } from '../knowledge/i18n/text.ts';
import { PE, PF, type ProtocolFamily } from '../knowledge/i18n/protocol-errors.ts';
import type { NetView } from '../network/net.ts';
import { closeEvidence, timing } from './evidence.ts';
import type { Draft, Evidence, Facts } from './facts.ts';
import { q } from './net-verdict.ts';

/** The browser's text → which rule was broken. First match wins: the close-frame texts are the most specific. */
export const PROTOCOL_FAMILIES: readonly (readonly [RegExp, ProtocolFamily])[] = [
  // "Received a broken close frame containing a reserved status code." (1004–1006, 1015), and
  // "…an invalid status code." in other versions.
  [/close frame.*(reserved|invalid) status code/i, 'close-code'],
  [/close frame.*invalid size/i, 'close-size'],
  [/close frame.*(utf-?8|invalid reason)/i, 'close-utf8'],
  // "Could not decode a text frame as UTF-8."
  [/utf-?8/i, 'utf8'],
  // "One or more reserved bits are on: reserved1 = 1, reserved2 = 0, reserved3 = 0"
  [/reserved bits?/i, 'reserved-bits'],
  // "A server must not mask any frames that it sends to the client."
  [/must not mask|masked frame/i, 'masked'],
  // "Unrecognized frame opcode: 3"
  [/opcode/i, 'opcode'],
  // "Received unexpected continuation frame." / "Received start of new message but previous message is unfinished."
  [/continuation frame|previous message is unfinished/i, 'fragmentation'],
  // "Invalid frame header": an oversized or fragmented control frame (measured), or a bad length.
  [/frame header|control frame|payload length|frame length/i, 'control-frame'],
  [/Sec-WebSocket-Accept/i, 'accept'],
  [/Sec-WebSocket-Protocol/i, 'subprotocol'],
  [/Sec-WebSocket-Extensions/i, 'extension'],
];

export function protocolFamily(text: string): ProtocolFamily | undefined {
  for (const [re, family] of PROTOCOL_FAMILIES) if (re.test(text)) return family;
  return undefined;
}

const RFC = 'https://www.rfc-editor.org/rfc/rfc6455#section-';

/**
 * When the browser said why it failed a connection that ended 1006. A close the page saw with a
 * real code is what happened (Chromium hands code 404 through, measured), so only 1006 counts.
 */
export function protocolErrorRule(f: Facts, view: NetView | undefined): Draft | undefined {
  const { conn, close, info } = f;
  const errors = view?.frameErrors;
  if (!errors?.length || !close || close.synthetic || close.code !== 1006) return undefined;
  // The first text is the one that failed the connection; the rest followed from it.
  const first = errors[0]!;
  const text = q(first.text);
  const family = protocolFamily(first.text);
  const evidence: Evidence[] = [
    { fact: 'net.frameError', at: first.at, text: PE.browserSaid(text, fmtClock(first.at)) },
    closeEvidence(close, info),
    { fact: 'protocol.notCut', text: PE.notTheNetwork },
  ];
  if (errors.length > 1) evidence.push({ fact: 'net.frameError.more', text: PE.moreErrors(errors.length - 1) });
  evidence.push(...timing(conn, close.at));
  if (!family) {
    return {
      category: 'protocol-error',
      severity: 'error',
      confidence: 'likely',
      code: close.code,
      headline: PE.unknownHeadline(text),
      evidence,
      causes: [PE.unknownCause],
      fixes: [PE.unknownFix],
      learnMore: `${RFC}7.1.7`,
    };
  }
  const t = PF[family];
  return {
    category: 'protocol-error',
    severity: 'error',
    confidence: 'certain',
    code: close.code,
    headline: t.headline,
    evidence,
    causes: t.causes,
    fixes: t.fixes,
    learnMore: `${RFC}${t.section}`,
  };
}

/** The worker that made the connection, on every diagnosis of it: the page's code did not. */
export function workerEvidence(f: Facts, view: NetView | undefined): Evidence | undefined {
  const w = f.conn.worker ?? view?.worker;
  return w ? { fact: 'worker', text: PE.worker(w.type, q(w.url)) } : undefined;
}
