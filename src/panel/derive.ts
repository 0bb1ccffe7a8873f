// What the views derive from the session: diagnoses, reconnect chains and the summary. Computed
// for a store version and shared by every view, so the timeline, the list and the card never
// disagree. Under load the live session is re-derived at most every so often (DeriveThrottle):
// diagnosing every connection costs ~15 ms at 1,000 connections (bench machine), and the store
// changes up to 60 times a second.
import { diagnoseAll, type Diagnosis, type DiagnosisCategory } from '../core/diagnose.ts';
import { CHROME_HAR_WARNING, unknownCloseHeadline, type ForeignInfo } from '../core/har.ts';
import { tx } from '../core/i18n/text.ts';
import { chainIndex, findReconnectChains, type ReconnectChain } from '../core/reconnect.ts';
import { listConnections, type Connection, type SessionState } from '../core/session.ts';

export interface SummaryItem {
  key: string;
  category: DiagnosisCategory;
  code?: number;
  count: number;
  suspect?: string;
}

export interface Derived {
  connections: Connection[];
  diagnoses: Map<string, Diagnosis>;
  chains: ReconnectChain[];
  chainOf: Map<string, { chain: ReconnectChain; index: number }>;
  summary: SummaryItem[];
  now: number;
}

/** What an imported file tells beyond the session: connections whose close it does not know. */
export interface FileFacts {
  closeUnknown: ReadonlySet<string>;
  foreign: ReadonlyMap<string, ForeignInfo>;
}

export function derive(session: SessionState, now: number, file?: FileFacts): Derived {
  const connections = listConnections(session);
  const chains = findReconnectChains(connections, { now });
  const diagnoses = diagnoseAll({ connections, context: session.context, now, chains });
  if (file) {
    // A Chrome HAR records messages but not how the socket closed: say that, with what the
    // timing still tells, instead of calling the socket live.
    for (const c of connections) {
      if (!file.closeUnknown.has(c.id)) continue;
      diagnoses.set(c.id, {
        category: 'unknown-code',
        severity: 'info',
        headline: unknownCloseHeadline(c, file.foreign.get(c.id)),
        evidence: [{ fact: 'close.unknown', text: tx(CHROME_HAR_WARNING, 'この HAR は Chrome DevTools が書き出したもので、メッセージはありますがクローズコードがありません') }],
        causes: [],
        fixes: [],
      });
    }
  }
  return { connections, diagnoses, chains, chainOf: chainIndex(chains), summary: summarize(connections, diagnoses), now };
}

/** Pause between two derives: at least this long (the rows' counts move on every render)… */
const MIN_GAP_MS = 100;
/** …or this many times what the last one cost (≤ 1/8 of the thread)… */
const COST_FACTOR = 8;
/** …but never longer than this, so a huge session still updates every second. */
const MAX_GAP_MS = 1000;

/**
 * Derives the live session at most once per gap that grows with what deriving costs: every
 * MIN_GAP_MS for a small session, every COST_FACTOR × its cost for a large one, up to
 * MAX_GAP_MS. A change after a quiet spell is derived at once. Between derives the views keep
 * the last result (the timeline is only redrawn when it changes, App.tsx); the rows' counts
 * come from the connections themselves and stay current on every render.
 */
export class DeriveThrottle {
  private last: Derived | undefined;
  private key = '';
  private at = -Infinity;
  private cost = 0;
  private renderCounted: Derived | undefined;

  constructor(private readonly clock: () => number = () => performance.now()) {}

  /**
   * The derived data for `session` at store `version` (and live-clock `tick`), or the previous
   * one if deriving again now would be too soon: then `retryInMs` says when to ask again.
   */
  get(session: SessionState, version: number, tick: number): { derived: Derived; retryInMs?: number } {
    const key = `${version}:${tick}`;
    if (this.last && key === this.key) return { derived: this.last };
    const t = this.clock();
    const gap = Math.min(MAX_GAP_MS, Math.max(MIN_GAP_MS, this.cost * COST_FACTOR));
    if (this.last && t - this.at < gap) return { derived: this.last, retryInMs: Math.ceil(gap - (t - this.at)) };
    this.last = derive(session, Date.now());
    this.key = key;
    this.at = t;
    this.cost = this.clock() - t;
    return { derived: this.last };
  }

  /**
   * Adds what the first render of a new result cost to the cost that paces derives: a fresh
   * result redraws the timeline, which buckets every message of every connection, and at
   * 1,000 connections that render outweighs the derive itself.
   */
  rendered(derived: Derived, ms: number): void {
    if (derived !== this.last || this.renderCounted === derived) return;
    this.renderCounted = derived;
    this.cost += ms;
  }
}

/** Counts closures by what happened ("3× 1006 idle cut — nginx"), worst first; live ones last. */
export function summarize(connections: readonly Connection[], diagnoses: Map<string, Diagnosis>): SummaryItem[] {
  const items = new Map<string, SummaryItem>();
  for (const c of connections) {
    const d = diagnoses.get(c.id);
    if (!d) continue;
    const suspect = d.suspect?.name;
    const key = `${d.category}|${d.code ?? ''}|${suspect ?? ''}`;
    const item = items.get(key);
    if (item) item.count++;
    else {
      const it: SummaryItem = { key, category: d.category, count: 1 };
      if (d.code !== undefined) it.code = d.code;
      if (suspect) it.suspect = suspect;
      items.set(key, it);
    }
  }
  const rank = (i: SummaryItem) => (i.category === 'live' ? 3 : SEVERE.has(i.category) ? 0 : CALM.has(i.category) ? 2 : 1);
  return [...items.values()].sort((a, b) => rank(a) - rank(b) || b.count - a.count);
}

const SEVERE: ReadonlySet<DiagnosisCategory> = new Set(['server-error', 'abnormal', 'idle-timeout', 'offline', 'suspended', 'handshake-failed', 'message-too-big', 'protocol-error']);
const CALM: ReadonlySet<DiagnosisCategory> = new Set(['closed-by-page', 'closed-by-server', 'navigated']);
