// What a diagnosis is (category, evidence, causes, fixes) and what every rule looks at: the
// connection's facts, computed once per connection, and the thresholds the rules use.
import type { DiagnosisCategory } from '../knowledge/categories.ts';
import { describeCode, type CodeInfo, type Severity } from '../knowledge/close-codes.ts';
import type { Text } from '../knowledge/i18n/text.ts';
import type { Competitor } from '../knowledge/i18n/honest.ts';
import { connectionEnd, type ConnectionEnd } from '../session/end.ts';
import { chainIndex, RECONNECT_WINDOW_MS, type ReconnectChain } from '../session/reconnect.ts';
import type { NetClass, NetSource, NetView } from '../network/net.ts';
import type { CloseCall, CloseInfo, Connection, DocFault, PageContextEvent } from '../session/session.ts';
import { protoFacts, type ProtoFacts } from './proto-facts.ts';

export interface Evidence {
  /** Stable id of the fact: 'close.code', 'open.never', 'lastIn', 'offline', 'closeCall', 'reconnect'… */
  fact: string;
  /** Epoch ms of the fact, when it has one. */
  at?: number;
  text: Text;
}

export interface Diagnosis {
  category: DiagnosisCategory;
  severity: Severity;
  code?: number;
  headline: Text;
  evidence: Evidence[];
  /** Most likely first. */
  causes: Text[];
  fixes: Text[];
  learnMore?: string;
  /** The intermediary whose timeout the timing matches (names joined when they share the number). */
  suspect?: { name: string; timeoutMs: number };
  /** The reconnect chain the connection belongs to. */
  chainId?: string;
  /** What the network (or the page's CSP / mixed-content check) said, when it explains the end. */
  net?: NetVerdict;
  /**
   * certain: the close code or the network says it; likely: the timing matches a known value;
   * possible: one of several explanations that the recording cannot tell apart.
   */
  confidence: Confidence;
  /** The other explanations, with what would tell them apart. */
  competitors?: Competitor[];
  /** The application protocol's own goodbye or error that ended it, in its words (rules-protocol.ts). */
  appClose?: { protocol: string; type: string; reason?: string; code?: number };
}

export type Confidence = 'certain' | 'likely' | 'possible';
export type { Competitor };

/** What a rule returns: diagnose() makes a missing confidence 'certain' (the code said it). */
export type Draft = Omit<Diagnosis, 'confidence'> & { confidence?: Confidence };

export interface DiagnoseContext {
  /** Every connection of the session, in creation order. */
  connections: readonly Connection[];
  /** Page context events (online/offline/visibility/freeze/pagehide) of the session. */
  context: readonly PageContextEvent[];
  /** Time of the analysis, epoch ms. */
  now: number;
  /** Precomputed chains (diagnoseAll passes them so they are found once per session). */
  chains?: readonly ReconnectChain[];
  /** Each connection's handshake as the network saw it (net-match.ts), by connection id. */
  network?: ReadonlyMap<string, NetView>;
  /** Fault commands that named no socket (fail-next rules), for naming the rule that failed an attempt. */
  faults?: readonly DocFault[];
}

/** The thresholds the rules use, in one place so the panel can state them. */
export const RULES = {
  /**
   * An idle cut of unknown origin: at least 2 s of silence in both directions right before a
   * 1006 that nothing else explains. Real intermediaries wait 30 s and more, but test rigs
   * and dev proxies (like the lab's idle proxy) cut after a few seconds; below 2 s the
   * silence is just normal pacing between messages.
   */
  idleMinSilenceMs: 2_000,
  /** From here the silence is "long" and the idle explanation clearly the most likely. */
  longSilenceMs: 20_000,
  /**
   * The browser fires `offline` when the OS reports the link down; the socket's own death is
   * noticed a moment earlier or later (RST, keep-alive), and a flapping link comes back
   * just before the close event. 5 s covers that lag without catching unrelated blips.
   */
  offlineWindowMs: 5_000,
  /** Same idea for resume: a socket killed during suspension reports its close on resume. */
  suspendWindowMs: 5_000,
  /**
   * A send this large just before a cut is worth a note; it is evidence only when the endpoint
   * has a known limit it exceeds (knowledge/size-limits.ts). 32 KiB: API Gateway's frame limit,
   * the smallest known one.
   */
  largeSendBytes: 32 * 1024,
  /** …when the cut follows it this closely (the peer rejects on receipt, not minutes later). */
  largeSendWindowMs: 2_000,
  /**
   * A hidden tab explains a cut only when it stayed hidden this long over the silence: Chrome
   * throttles timers in hidden tabs (to 1 per second, and chained timers to 1 per minute after
   * 5 minutes: "Heavy throttling of chained JS timers", Chrome 88), which can starve a
   * heartbeat, but it does not close sockets; a tab hidden for a moment before a crash did nothing.
   */
  hiddenLongMs: 30_000,
  /** The page sent within this of the cut while nothing came in: the server stopped answering. */
  serverSilentMinMs: 10_000,
  /** A socket still connecting after this long is worth a warning. */
  stuckConnectingMs: 10_000,
  reconnectWindowMs: RECONNECT_WINDOW_MS,
  /**
   * An end this long after an injected fault's window closed still counts as caused by it
   * (rules-injected.ts): a library's give-up timer fires on its own tick, and the close it
   * starts reaches the page a moment later (close handshake, event-loop delay). Held messages
   * are delivered when a silence ends, so a give-up decided later had news to go on.
   */
  faultSlackMs: 2_000,
  /** An injected delay shorter than this cannot make any known heartbeat overdue (their margins are seconds). */
  faultDelayMinMs: 1_000,
} as const;

/** Everything the rules look at, computed once. */
export interface Facts {
  conn: Connection;
  ctx: DiagnoseContext;
  close: CloseInfo | undefined;
  info: CodeInfo | undefined;
  /** The page's first effective close() call before the close, if any. */
  pageCall: CloseCall | undefined;
  /** How it ended (session/end.ts): who, silence each way, failure or not. */
  end: ConnectionEnd | undefined;
  byId: ReadonlyMap<string, Connection>;
  /** This connection's place in the reconnect chains, if it is in one. */
  pos: { chain: ReconnectChain; index: number } | undefined;
  events: PageContextEvent[];
  /** What the application protocol (Socket.IO, STOMP…) said, when one was recognised (rules-protocol.ts). */
  proto: ProtoFacts | undefined;
}

/** The network's verdict on a handshake, as a diagnosis carries it (markdown.ts prints it). */
export interface NetVerdict {
  cls: NetClass;
  /** The short word a list row shows: the status, or the error's kind ("DNS", "CSP", "mixed"). */
  label: string;
  /** What the source said, as it said it, bounded: the status line, the error text, the CSP directive. */
  said?: string;
  /** When it said it, epoch ms. */
  at?: number;
  sources?: NetSource[];
}

// diagnoseAll calls diagnose once per connection with the same arrays: index them once.
const byIdCache = new WeakMap<readonly Connection[], Map<string, Connection>>();
const chainCache = new WeakMap<readonly ReconnectChain[], Map<string, { chain: ReconnectChain; index: number }>>();

function indexById(conns: readonly Connection[]): Map<string, Connection> {
  let m = byIdCache.get(conns);
  // A caller that grows the same array in place must not get a stale index.
  if (!m || m.size !== conns.length) {
    m = new Map(conns.map((c) => [c.id, c]));
    byIdCache.set(conns, m);
  }
  return m;
}

function indexChains(chains: readonly ReconnectChain[]): Map<string, { chain: ReconnectChain; index: number }> {
  let m = chainCache.get(chains);
  if (!m) {
    m = chainIndex(chains);
    chainCache.set(chains, m);
  }
  return m;
}

export function facts(conn: Connection, ctx: DiagnoseContext, chains: readonly ReconnectChain[]): Facts {
  const close = conn.close;
  const info = close ? describeCode(close.code, codeContext(conn, close)) : undefined;
  const end = connectionEnd(conn);
  const pageCall = end?.pageCall ?? conn.closeCalls.find((c) => !c.threw && (c.readyState === 0 || c.readyState === 1));
  const byId = indexById(ctx.connections);
  // Network and visibility state are the tab's, whichever frame's hook recorded them.
  const events = [...ctx.context].sort((a, b) => a.at - b.at);
  const proto = protoFacts(conn, ctx.now);
  return { conn, ctx, close, info, pageCall, end, byId, pos: indexChains(chains).get(conn.id), events, proto };
}

function codeContext(conn: Connection, close: CloseInfo): { protocol: string; url: string; reason: string } {
  // The requested subprotocols count too: a server refusing them (graphql-ws 4406) negotiates none.
  return { protocol: conn.protocol || conn.protocols.join(','), url: conn.url, reason: close.reason };
}
