// What the views derive from the session: diagnoses, reconnect chains and the summary. Computed
// once per store version and shared by every view, so the timeline, the list and the card
// never disagree.
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
