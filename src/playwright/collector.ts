// What the Playwright fixture does in Node with the hook's batches: the relay's and the hub's work
// in one place. Each batch arrives as the hook's own JSON text (core/wire/page-batch.ts) through a
// Playwright binding; it is checked with the code the extension's relay and hub use
// (parseHookBatch: the envelope's schema and the traffic columns; checkEvent: each event's
// schema), numbered per document as the relay numbers it, and folded into one session with the
// reducer the panel runs (applyBatch), under the same limits. Nothing here throws on what a page
// sends: a page under test is as untrusted as any other, and a broken batch must never fail a test.
import { diagnoseAll, type Diagnosis } from '../core/diagnosis/diagnose.ts';
import { exportHar, type Har } from '../core/har/har.ts';
import { findReconnectChains } from '../core/session/reconnect.ts';
import { applyBatch, createSession, listConnections, type Connection, type SessionLimits, type SessionState } from '../core/session/session.ts';
import { checkEvent } from '../core/wire/event-check.ts';
import { TEXT_BLOCK_MAX_CHARS } from '../core/wire/limits.ts';
import { zeroDrops, type DropCounters, type SeqEvent } from '../core/wire/protocol.ts';
import { parseHookBatch } from '../core/wire/text-block.ts';
import type { Lang } from '../core/knowledge/i18n/text.ts';

/** The in-page relay's document ids: 32 hex digits (page-relay.ts). Anything else is refused. */
const DOC_ID = /^[0-9a-f]{32}$/;

export interface Analysis {
  connections: Connection[];
  diagnoses: Map<string, Diagnosis>;
  now: number;
}

export class Collector<Owner = unknown> {
  readonly session: SessionState;
  readonly drops: DropCounters = zeroDrops();
  /** Batches taken in, refused ones included. */
  batches = 0;
  private readonly next = new Map<string, number>();
  private readonly owners = new Map<string, Owner>();

  constructor(limits: Partial<SessionLimits> = {}) {
    this.session = createSession(limits);
  }

  /**
   * One hook batch from the document `doc`, owned by `owner` (the fixture's Page). Refused whole
   * when the document id or the text is not one the in-page relay sends; its bad events one by
   * one (counted malformed, as the relay counts them).
   */
  add(doc: unknown, text: unknown, owner?: Owner): void {
    this.batches++;
    if (typeof doc !== 'string' || !DOC_ID.test(doc) || typeof text !== 'string' || text.length > TEXT_BLOCK_MAX_CHARS) {
      this.drops.malformed++;
      return;
    }
    const batch = parseHookBatch(text);
    if (typeof batch === 'string' || typeof batch.events === 'string') {
      this.drops.malformed++;
      return;
    }
    this.drops.hook += batch.dropped;
    if (owner !== undefined && !this.owners.has(doc)) this.owners.set(doc, owner);
    let seq = this.next.get(doc) ?? 0;
    const events: SeqEvent[] = [];
    for (const raw of batch.events) {
      const ev = checkEvent(raw);
      if (typeof ev === 'string') this.drops.malformed++;
      else events.push({ seq: seq++, ev });
    }
    this.next.set(doc, seq);
    if (events.length) applyBatch(this.session, doc, events);
  }

  /** The documents `owner` sent batches from (a page's main frame and its frames). */
  docsOf(owner: Owner): Set<string> {
    const out = new Set<string>();
    for (const [doc, o] of this.owners) if (o === owner) out.add(doc);
    return out;
  }

  /**
   * Every connection diagnosed as the panel does (reconnect chains over the whole session), or
   * only those of `docs`. `now` is when the test ended: a socket still open then is live.
   */
  analyse(now: number, docs?: ReadonlySet<string>): Analysis {
    const all = listConnections(this.session);
    const chains = findReconnectChains(all, { now });
    const diagnoses = diagnoseAll({ connections: all, context: this.session.context, now, chains, faults: this.session.faults });
    const connections = docs ? all.filter((c) => docs.has(c.doc)) : all;
    return { connections, diagnoses, now };
  }

  har(a: Analysis, opts: { redact: boolean; lang: Lang; version: string; payloadCap?: number; pageUrl?: string }): Har {
    return exportHar(
      {
        connections: a.connections,
        context: this.session.context,
        diagnoses: a.diagnoses,
        drops: this.drops,
        ...(opts.pageUrl !== undefined ? { pageUrl: opts.pageUrl } : {}),
      },
      {
        redact: opts.redact,
        creatorVersion: opts.version,
        lang: opts.lang,
        ...(opts.payloadCap !== undefined ? { payloadCap: opts.payloadCap } : {}),
      },
    );
  }
}
